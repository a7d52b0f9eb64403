/** cdk8s idioms: warnings and cross-object checks once per synth. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ClientTlsMode, MtlsMode, Protocol, ServiceRef, SessionAffinity } from '../src';
import { PeerAuthentication, ServiceTrafficPolicy, StickyService } from '../src/cdk8s';

const cart = ServiceRef.fromName('cart', { namespace: 'shop', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });

/** An app in a temporary outdir with three charts, each holding one StickyService that warns. */
function appWithThreeWarningCharts(): { app: App; charts: Chart[]; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-'));
  const app = new App({ outdir });
  const charts = ['a', 'b', 'c'].map((id) => {
    const chart = new Chart(app, id);
    new StickyService(chart, 'cart', { service: cart, affinity: SessionAffinity.sourceIp(), behindLoadBalancer: true });
    return chart;
  });
  return { app, charts, outdir };
}

/** Runs `fn` with console.warn captured; returns the printed lines. */
function warnings(fn: () => void): string[] {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    fn();
    return warn.mock.calls.map((args) => String(args[0]));
  } finally {
    warn.mockRestore();
  }
}

describe('warnings are printed once per synth', () => {
  test('app.synth() with 3 charts prints each warning once (cdk8s validates the app 4 times)', () => {
    // GIVEN three charts, each with one construct that has one warning
    const { app, outdir } = appWithThreeWarningCharts();
    // WHEN the app synthesizes
    const printed = warnings(() => app.synth());
    // THEN each warning is printed exactly once, naming its construct
    expect(printed).toHaveLength(3);
    expect(printed.map((l) => l.split(' ')[2])).toEqual(['a/cart', 'b/cart', 'c/cart']);
    expect(printed.every((l) => l.includes('SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY'))).toBe(true);
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
  });

  test('a second app.synth() prints them again, once', () => {
    const { app } = appWithThreeWarningCharts();
    expect(warnings(() => { app.synth(); app.synth(); })).toHaveLength(6);
  });

  test('app.synthYaml() prints each warning once', () => {
    const { app } = appWithThreeWarningCharts();
    let yaml = '';
    expect(warnings(() => { yaml = app.synthYaml(); })).toHaveLength(3);
    expect(yaml).toContain('kind: DestinationRule');
  });

  test('Testing.synth(chart) and chart.toJson() validate the whole app: each warning once per call', () => {
    const { charts } = appWithThreeWarningCharts();
    expect(warnings(() => Testing.synth(charts[0]))).toHaveLength(3);
    expect(warnings(() => charts[1].toJson())).toHaveLength(3);
  });

  test('warnings stay on the construct, and nothing is validated per construct', () => {
    const chart = Testing.chart();
    const sticky = new StickyService(chart, 'cart', { service: cart, affinity: SessionAffinity.sourceIp(), behindLoadBalancer: true });
    expect(sticky.warnings).toHaveLength(1);
    expect(warnings(() => expect(sticky.node.validate()).toEqual([]))).toEqual([]);
  });

  test('an app whose constructs have no warnings prints nothing', () => {
    const app = Testing.app();
    new StickyService(new Chart(app, 'c'), 'cart', { service: cart, affinity: SessionAffinity.sourceIp() });
    expect(warnings(() => app.synth())).toEqual([]);
  });
});

describe('the mTLS check runs once, over the whole app', () => {
  const disable = { service: reviews, trafficPolicy: { tls: { mode: ClientTlsMode.DISABLE } } };

  test('a conflict across charts fails app.synth() with one error naming the construct', () => {
    const app = Testing.app();
    new PeerAuthentication(new Chart(app, 'mesh'), 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    new ServiceTrafficPolicy(new Chart(app, 'svc'), 'plain', disable);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/MTLS_CONFLICT/);
    expect(message.match(/MTLS_CONFLICT/g)).toHaveLength(1);
    expect(message).toContain('svc/plain: DestinationRule bookinfo/reviews');
  });

  test('the check runs once per synth, not once per construct or per chart', () => {
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) {
      new ServiceTrafficPolicy(new Chart(app, id), 'policy', { service: ServiceRef.fromName(id, { namespace: id }), trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } } });
    }
    const mtls = jest.requireActual('../src/analysis/mtls');
    const spy = jest.spyOn(mtls, 'findMtlsConflicts');
    try {
      app.synth();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toHaveLength(3);
    } finally {
      spy.mockRestore();
    }
  });

  test('a fix made after a failed synth is seen by the next synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ServiceTrafficPolicy(chart, 'plain', disable);
    expect(() => app.synth()).not.toThrow();
    new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    expect(() => Testing.synth(chart)).toThrow(/MTLS_CONFLICT/);
    expect(() => app.synth()).toThrow(/MTLS_CONFLICT/);
  });
});
