/**
 * The cdk8s IstioInstallation: the demo profile rendered with the real Istio charts and a real
 * helm, its default gateways selected by istioctl's labels, and ports bound constructs add to the
 * rendered gateway Service in any construction order.
 */
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { helmBinary } from '../scripts/helm';
import { ChartSource, ErrorCode, IstioConstructError, Protocol, ServiceRef } from '../src';
import { IstioInstallation, TcpIngress } from '../src/cdk8s';
import { Manifest } from '../src/core/manifest';
import { validateManifest } from '../src/core/validation';

const CHARTS = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'charts');
const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });

function errorOf(fn: () => unknown): IstioConstructError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IstioConstructError);
    return e as IstioConstructError;
  }
  throw new Error('expected an IstioConstructError');
}

describe('demo profile with its default gateways, rendered by the real helm', () => {
  let objects: Manifest[];
  let warnings: string[];
  let istio: IstioInstallation;
  beforeAll(() => {
    const app: App = Testing.app();
    // A chart before the installation's: its TcpIngress binds to a ref taken from the installation.
    const apps = new Chart(app, 'apps');
    const chart = new Chart(app, 'istio');
    istio = new IstioInstallation(chart, 'istio', {
      version: '1.28.0', profile: 'demo', chartSource: ChartSource.fromDirectory(CHARTS), helmExecutable: helmBinary(),
    });
    const gateway = istio.ingressGateway!;
    new TcpIngress(apps, 'tcp-echo', { name: 'tcp-echo', backend, port: 31400, gateway });
    new TcpIngress(chart, 'tcp-late', { name: 'tcp-late', backend, port: 31401, gateway: istio.gateway('istio-ingressgateway') });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      objects = app.charts.flatMap((c) => Testing.synth(c) as Manifest[]);
      warnings = warn.mock.calls.map((c) => String(c[0]));
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });

  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as any;

  test('the default ingress gateway is selected by istioctl\'s labels, in the Istio namespace (what Istio docs select)', () => {
    expect(istio.ingressGateway!.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(istio.ingressGateway!.namespace).toBe('istio-system');
    expect(istio.egressGateway('istio-egressgateway').selector).toEqual({ app: 'istio-egressgateway', istio: 'egressgateway' });
    const deployment = find('Deployment', 'istio-ingressgateway');
    expect(deployment.metadata.namespace).toBe('istio-system');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
  });

  test('TcpIngress ports are added to the rendered Service, whichever chart or order they were declared in (S1)', () => {
    const service = find('Service', 'istio-ingressgateway');
    expect(service.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443', 'tcp-31400:31400', 'tcp-31401:31401']);
    expect(find('Service', 'istio-egressgateway').spec.type).toBe('ClusterIP');
  });

  test('App checks pass: no IST0101 (selector matches no pods), no IST0162 (port not on the Service)', () => {
    expect(warnings.filter((w) => /IST0101|IST0162|error/i.test(w))).toEqual([]);
    expect(find('Gateway', 'tcp-echo-gateway').spec.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
  });

  test('the chain is in apply order, the gateways after istiod, and every rendered object validates', () => {
    const at = (kind: string, name: string) => objects.findIndex((o) => o.kind === kind && o.metadata.name === name);
    expect(at('Deployment', 'istio-ingressgateway')).toBeGreaterThan(at('Deployment', 'istiod'));
    expect(at('Deployment', 'istiod')).toBeGreaterThan(at('Namespace', 'istio-system'));
    for (const o of objects) expect([o.kind, o.metadata.name, validateManifest(o)]).toEqual([o.kind, o.metadata.name, []]);
  });

  test('accessors: revisions, tags, namespace; an unknown gateway names the known ones', () => {
    expect(istio.revisions.map((r) => r.releaseId)).toEqual(['istiod']);
    expect(istio.revisionTags).toEqual({});
    expect(istio.istioNamespace).toBe('istio-system');
    const e = errorOf(() => istio.gateway('nope'));
    expect(e.code).toBe(ErrorCode.UNKNOWN_GATEWAY);
    expect(e.message).toContain('"istio-ingressgateway"');
  });
});

test('a user without helm gets an error naming helmExecutable', () => {
  const e = errorOf(() => new IstioInstallation(Testing.chart(), 'istio', {
    version: '1.28.0', chartSource: ChartSource.fromDirectory(CHARTS), helmExecutable: '/nonexistent/helm',
  }));
  expect(e.code).toBe(ErrorCode.HELM_NOT_FOUND);
  expect(e.path).toBe('helmExecutable');
});

test('a missing chart directory names chartSource', () => {
  const e = errorOf(() => new IstioInstallation(Testing.chart(), 'istio', {
    version: '1.28.0', chartSource: ChartSource.fromDirectory('/nonexistent/charts'), helmExecutable: helmBinary(),
  }));
  expect(e.path).toBe('chartSource');
});
