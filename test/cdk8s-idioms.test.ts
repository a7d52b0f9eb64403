/** cdk8s idioms: warnings and the cross-object analysis once per synth. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import {
  ClientTlsMode, Duration, DurationLike, ErrorCode, IngressGateway, MAX_DURATION_MILLIS, MtlsMode, Protocol, ServiceRef, SessionAffinity, StringMatch,
  buildCanaryService, buildHardenedGateway, buildServiceTrafficPolicy, buildStickyService,
} from '../src';
import { CanaryService, PeerAuthentication, ServiceTrafficPolicy, StickyService } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

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

describe('the mTLS check (the analysis\' library.MtlsConflictAnalyzer) runs once, over the whole app', () => {
  const disable = { service: reviews, trafficPolicy: { tls: { mode: ClientTlsMode.DISABLE } } };

  test('a conflict across charts fails app.synth() with one error naming the construct', () => {
    const app = Testing.app();
    new PeerAuthentication(new Chart(app, 'mesh'), 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    new ServiceTrafficPolicy(new Chart(app, 'svc'), 'plain', disable);
    let message = '';
    try {
      warnings(() => app.synth());
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/ICA0001/g)).toHaveLength(1);
    expect(message).toContain('svc/plain: Error ICA0001 (DestinationRule bookinfo/reviews)');
  });

  test('the analysis runs once per synth, not once per construct or per chart', () => {
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) {
      new ServiceTrafficPolicy(new Chart(app, id), 'policy', { service: ServiceRef.fromName(id, { namespace: id }), trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } } });
    }
    const analysis = jest.requireActual('../src/analysis/analyze');
    const spy = jest.spyOn(analysis, 'analyze');
    try {
      warnings(() => app.synth());
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
    expect(() => warnings(() => app.synth())).not.toThrow();
    new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    expect(() => warnings(() => Testing.synth(chart))).toThrow(/ICA0001/);
    expect(() => warnings(() => app.synth())).toThrow(/ICA0001/);
  });
});

const v1 = [{ name: 'v1', weight: 1 }];

describe('durations: Duration, Istio strings and cdk8s Duration', () => {

  test('cdk8s.Duration.seconds(5) and "1h2m" in a CanaryService retry and timeout', () => {
    // GIVEN a cdk8s user's durations (no cast: cdk8s.Duration is accepted as it is)
    const objects = synth((chart) => new CanaryService(chart, 'reviews', {
      service: reviews,
      versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }],
      routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], to: 'v2', timeout: '1h2m', retries: { attempts: 3, perTryTimeout: '1.5s' } }],
      retries: { attempts: 2, perTryTimeout: cdk8s.Duration.seconds(5) },
      timeout: cdk8s.Duration.minutes(2),
    }));
    // THEN the YAML carries Istio duration strings
    expectValid(objects);
    const [matched, byDefault] = find(objects, 'VirtualService').spec.http;
    expect([matched.timeout, matched.retries.perTryTimeout]).toEqual(['62m', '1500ms']);
    expect([byDefault.timeout, byDefault.retries.perTryTimeout]).toEqual(['2m', '5s']);
  });

  test.each<[string, DurationLike, string]>([
    ['Duration keeps its unit', Duration.seconds(60), '60s'],
    ['Duration with a fraction', Duration.seconds(1.5), '1500ms'],
    ['a single whole term keeps its unit', '90s', '90s'],
    ['leading zeros and a plus sign', '+007s', '7s'],
    ['several terms', '1h2m', '62m'],
    ['several terms, exact hours', '1h60m', '2h'],
    ['a fraction', '1.5s', '1500ms'],
    ['a leading dot', '.25s', '250ms'],
    ['microseconds that make whole milliseconds', '2000us', '2ms'],
    ['micro sign', '3000\u00b5s', '3ms'],
    ['Greek mu', '3000\u03bcs', '3ms'],
    ['nanoseconds that make whole milliseconds', '1000000ns', '1ms'],
    ['cdk8s seconds', cdk8s.Duration.seconds(5), '5s'],
    ['cdk8s 60 seconds (largest exact unit)', cdk8s.Duration.seconds(60), '1m'],
    ['cdk8s millis', cdk8s.Duration.millis(1500), '1500ms'],
    ['any toMilliseconds()', { toMilliseconds: () => 7_200_000 }, '2h'],
    ['the maximum', `${MAX_DURATION_MILLIS}ms`, `${MAX_DURATION_MILLIS}ms`],
  ])('%s', (_t, timeout, expected) => {
    const out = buildCanaryService({ service: reviews, versions: v1, timeout });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.http![0].timeout).toBe(expected);
  });

  test('a cookie ttl accepts zero in every shape; timeouts do not', () => {
    const ttl = (t: DurationLike) => buildStickyService({ service: cart, affinity: SessionAffinity.cookie('s', { ttl: t }) })
      .destinationRule.spec.trafficPolicy!.loadBalancer!.consistentHash!.httpCookie!.ttl;
    expect([ttl('0'), ttl('0s'), ttl(cdk8s.Duration.seconds(0)), ttl(Duration.seconds(0))]).toEqual(['0s', '0s', '0s', '0s']);
    expect(errorOf(() => buildCanaryService({ service: reviews, versions: v1, timeout: '0s' })).code).toBe(ErrorCode.INVALID_DURATION);
  });

  test('durations elsewhere: traffic policy, fault, warmup, HSTS max-age', () => {
    const dr = buildServiceTrafficPolicy({
      service: reviews,
      trafficPolicy: {
        connectionPool: { tcp: { connectTimeout: '250ms', tcpKeepalive: { time: cdk8s.Duration.hours(2), interval: '75s' } }, http: { idleTimeout: '1h' } },
        outlierDetection: { consecutive5xxErrors: 5, interval: cdk8s.Duration.seconds(10), baseEjectionTime: '30s' },
        loadBalancer: { warmup: { duration: '1m30s' } },
      },
    }).destinationRule.spec.trafficPolicy!;
    expect(dr.connectionPool).toEqual({ tcp: { connectTimeout: '250ms', tcpKeepalive: { time: '2h', interval: '75s' } }, http: { idleTimeout: '1h' } });
    expect([dr.outlierDetection!.interval, dr.outlierDetection!.baseEjectionTime, dr.loadBalancer!.warmup!.duration]).toEqual(['10s', '30s', '90s']);
    const fault = buildCanaryService({ service: reviews, versions: v1, fault: { delay: { fixedDelay: cdk8s.Duration.millis(700) } } }).virtualService!.spec.http![0].fault;
    expect(fault!.delay).toEqual({ fixedDelay: '700ms', percentage: { value: 100 } });
  });

  test('HSTS max-age from a string and from a cdk8s Duration', () => {
    const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP2 }, { port: 443, protocol: Protocol.HTTPS }] });
    const maxAge = (m: DurationLike) => buildHardenedGateway({
      name: 'blog', gateway: ingress, backend: reviews, servers: [{ hosts: ['blog.example.com'], credentialName: 'blog-cert' }], hsts: { maxAge: m },
    }).virtualService!.spec.http[0].headers.response.set['strict-transport-security'];
    expect([maxAge('1h'), maxAge(cdk8s.Duration.days(1))]).toEqual(['max-age=3600; includeSubDomains', 'max-age=86400; includeSubDomains']);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['null', null, /null is not a duration/],
    ['a number', 30, /a number has no unit/],
    ['a boolean', true, /not a duration/],
    ['an object without toMilliseconds', { seconds: 5 }, /not a duration/],
    ['an empty string', '', /not a duration/],
    ['a string without unit', '30', /missing unit/],
    ['an unknown unit', '3d', /unknown unit "d"/],
    ['spaces', '1h 2m', /unknown unit/],
    ['a lone dot', '.s', /expected a number/],
    ['below 1ms', '500us', /not whole milliseconds/],
    ['sub-millisecond remainder', '1.0005s', /not whole milliseconds/],
    ['negative string', '-5s', /negative/],
    ['zero', '0ms', /below 1ms/],
    ['above 2^63-1 ns', '2562048h', /above the maximum/],
    ['one millisecond above the maximum', `${MAX_DURATION_MILLIS + 1}ms`, /above the maximum/],
    ['NaN', Duration.seconds(NaN), /not a finite number/],
    ['Infinity', { toMilliseconds: () => Infinity }, /not a finite number/],
    ['toMilliseconds returning a string', { toMilliseconds: () => '5' }, /not a finite number/],
    ['toMilliseconds that throws', cdk8s.Duration.millis(0.5), /toMilliseconds\(\) failed/],
    ['a fraction of a millisecond', Duration.millis(0.5), /below 1ms|not whole milliseconds/],
    ['huge Duration', Duration.hours(1e9), /above the maximum/],
  ];
  test.each(bad)('%s is refused with IstioConstructError and the prop path', (_t, value, message) => {
    const e = errorOf(() => buildCanaryService({ service: reviews, versions: v1, retries: { attempts: 1, perTryTimeout: value as DurationLike } }));
    expect(e.code).toBe(ErrorCode.INVALID_DURATION);
    expect(e.path).toBe('retries.perTryTimeout');
    expect(e.message).toMatch(message);
    expect(e.hint).not.toBe('');
  });

  test('wrong shapes elsewhere name their own prop', () => {
    expect(errorOf(() => buildServiceTrafficPolicy({ service: reviews, trafficPolicy: { loadBalancer: { warmup: { duration: 5 as any } } } })).path)
      .toBe('trafficPolicy.loadBalancer.warmup.duration');
    expect(errorOf(() => buildCanaryService({ service: reviews, versions: v1, fault: { delay: { fixedDelay: null as any } } })).path).toBe('fault.delay.fixedDelay');
    expect(errorOf(() => buildStickyService({ service: cart, affinity: SessionAffinity.cookie('s', { ttl: 'forever' }) })).path).toBe('affinity.ttl');
  });

  test('Duration.parse reads Go syntax and keeps a single whole unit', () => {
    expect(Duration.parse('120s').toIstio()).toBe('120s');
    expect(Duration.parse('1h2m').toIstio()).toBe('62m');
    expect(Duration.parse('1.5s').toMilliseconds()).toBe(1500);
    expect(errorOf(() => Duration.parse('fast')).code).toBe(ErrorCode.INVALID_DURATION);
  });
});

describe('ServiceRef.fromService', () => {
  test('a cdk8s-plus Service: name, the Chart namespace and ports (protocol from the port name)', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const svc = new kplus.Service(chart, 'cart', {
      ports: [{ port: 8080, name: 'http-api', targetPort: 8081 }, { port: 9090, name: 'grpc-web' }, { port: 5432, name: 'db' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }],
    });
    const ref = ServiceRef.fromService(svc);
    expect([ref.name, ref.namespace, ref.fqdn]).toEqual([svc.name, 'shop', `${svc.name}.shop.svc.cluster.local`]);
    expect(ref.ports).toEqual([
      { port: 8080, protocol: Protocol.HTTP, name: 'http-api', targetPort: 8081 },
      { port: 9090, protocol: Protocol.GRPC_WEB, name: 'grpc-web', targetPort: 9090 },
      { port: 5432, protocol: Protocol.TCP, name: 'tcp', targetPort: 5432 },
      { port: 53, protocol: Protocol.UDP, name: 'udp', targetPort: 53 },
    ]);
  });

  test('routes built from it use the Service FQDN and its ports', () => {
    const objects = synth((chart) => {
      const svc = new kplus.Service(chart, 'reviews', { metadata: { name: 'reviews', namespace: 'bookinfo' }, ports: [{ port: 9080, name: 'http' }] });
      new CanaryService(chart, 'canary', { service: ServiceRef.fromService(svc), versions: [{ name: 'v1', weight: 9 }, { name: 'v2', weight: 1 }], port: 9080 });
    });
    expectValid(objects);
    const route = find(objects, 'VirtualService', 'reviews').spec.http[0].route;
    expect(route.map((r: any) => [r.destination.host, r.destination.port.number])).toEqual([['reviews.bookinfo.svc.cluster.local', 9080], ['reviews.bookinfo.svc.cluster.local', 9080]]);
    expect(errorOf(() => buildCanaryService({ service: ServiceRef.fromService(new kplus.Service(Testing.chart(), 's', { metadata: { namespace: 'x' }, ports: [{ port: 9080, name: 'http' }] })), versions: v1, port: 8080 })).code)
      .toBe(ErrorCode.SERVICE_PORT_NOT_FOUND);
  });

  test('a raw ApiObject of kind Service: appProtocol wins over the name, named targetPorts are dropped', () => {
    const chart = Testing.chart();
    const svc = new cdk8s.ApiObject(chart, 'svc', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings', namespace: 'bookinfo' },
      spec: { ports: [{ port: 80, name: 'web', appProtocol: 'http' }, { port: 81, name: 'web2', appProtocol: 'kubernetes.io/h2c', targetPort: 'h2c' }, { port: 443, name: 'https' }] },
    });
    const ref = ServiceRef.fromService(svc);
    expect([ref.name, ref.namespace]).toEqual(['ratings', 'bookinfo']);
    expect(ref.ports.map((p) => [p.port, p.protocol, p.name, p.targetPort])).toEqual([[80, 'HTTP', 'http', 80], [81, 'HTTP2', 'http2', 81], [443, 'HTTPS', 'https', 443]]);
  });

  test('an imported KubeService', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'data' });
    const svc = new k8s.KubeService(chart, 'redis', { spec: { ports: [{ port: 6379, name: 'redis' }] } });
    const ref = ServiceRef.fromService(svc);
    expect([ref.name, ref.namespace, ref.ports[0].protocol]).toEqual([svc.name, 'data', Protocol.REDIS]);
  });

  test('a Service without namespace: options.namespace, or a clear error', () => {
    const svc = new kplus.Service(Testing.chart(), 'cart', { ports: [{ port: 80, name: 'http' }] });
    const e = errorOf(() => ServiceRef.fromService(svc));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_NAME, 'service.metadata.namespace']);
    expect(e.hint).toContain('{ namespace }');
    expect(ServiceRef.fromService(svc, { namespace: 'shop', clusterDomain: 'corp.local' }).fqdn).toBe(`${svc.name}.shop.svc.corp.local`);
    const placed = new kplus.Service(Testing.chart(), 'x', { metadata: { namespace: 'a' } });
    expect(errorOf(() => ServiceRef.fromService(placed, { namespace: 'b' })).path).toBe('options.namespace');
  });

  test.each<[string, () => unknown]>([
    ['null', () => null],
    ['a string', () => 'reviews'],
    ['a plain object', () => ({ name: 'reviews' })],
    ['a Deployment ApiObject', () => new cdk8s.ApiObject(Testing.chart(), 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'x' } })],
    ['a cdk8s-plus Deployment', () => new kplus.Deployment(Testing.chart(), 'd', { containers: [{ image: 'nginx' }] })],
    ['a Pulumi-like resource', () => ({ urn: 'urn:pulumi:x', metadata: {}, spec: {} })],
  ])('refuses %s with IstioConstructError', (_t, make) => {
    const e = errorOf(() => ServiceRef.fromService(make() as any));
    expect(e.code).toBe(ErrorCode.CONFLICTING_PROPS);
    expect(e.hint).toMatch(/ServiceRef/);
  });
});
