import * as fc from 'fast-check';
import {
  Duration, ErrorCode, HashAlgorithm, IngressGateway, IstioConstructError, LoadBalancerAlgorithm, Protocol, ServiceRef,
  SessionAffinity, StickyServiceProps, WarningCode, buildStickyService, manifestsOf, validateManifests,
} from '../src';
import { StickyService } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

const svc = ServiceRef.fromName('cart', { namespace: 'shop', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }] });
const hashOf = (p: StickyServiceProps) => buildStickyService(p).destinationRule.spec.trafficPolicy!.loadBalancer!.consistentHash;

describe('StickyService', () => {
  test('cookie affinity behind a gateway, with Maglev and a connection pool', () => {
    const objects = synth((chart) => new StickyService(chart, 'cart', {
      service: svc,
      affinity: SessionAffinity.cookie('session', { ttl: Duration.seconds(0), path: '/', attributes: { SameSite: 'Strict', Secure: '' } }),
      hashAlgorithm: HashAlgorithm.maglev(65537),
      trafficPolicy: { connectionPool: { http: { http2MaxRequests: 100 } } },
      gateway: { gateway: ingress, hosts: ['shop.example.com'] },
    }));
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const dr = find(objects, 'DestinationRule', 'cart');
    expect(dr.spec.trafficPolicy.loadBalancer.consistentHash).toEqual({
      httpCookie: { name: 'session', path: '/', ttl: '0s', attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'Secure' }] },
      maglev: { tableSize: 65537 },
    });
    expect(dr.spec.trafficPolicy.connectionPool).toEqual({ http: { http2MaxRequests: 100 } });
    expect(find(objects, 'VirtualService', 'cart').spec.gateways).toEqual(['shop/cart-gateway', 'mesh']);
  });

  test.each([
    ['header', SessionAffinity.header('X-User'), { httpHeaderName: 'x-user' }],
    ['query parameter', SessionAffinity.queryParameter('user'), { httpQueryParameterName: 'user' }],
    ['source IP', SessionAffinity.sourceIp(), { useSourceIp: true }],
    ['Kubernetes ClientIP', SessionAffinity.clientIp(), { useSourceIp: true }],
    ['cookie without ttl (hashes an existing cookie only)', SessionAffinity.cookie('ISTIOID'), { httpCookie: { name: 'ISTIOID' } }],
  ])('affinity by %s', (_t, affinity, expected) => {
    expect(hashOf({ service: svc, affinity })).toEqual(expected);
  });

  test('ring hash size', () => {
    expect(hashOf({ service: svc, affinity: SessionAffinity.sourceIp(), hashAlgorithm: HashAlgorithm.ringHash(4096) }))
      .toEqual({ useSourceIp: true, ringHash: { minimumRingSize: 4096 } });
  });

  test('retries, timeout and a fault put a mesh VirtualService in front', () => {
    const out = buildStickyService({
      service: svc, affinity: SessionAffinity.header('x-user'),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(1) }, timeout: Duration.seconds(3), fault: { delay: { fixedDelay: Duration.millis(100), percentage: 1 } },
    });
    expectValid(manifestsOf(out));
    expect(out.virtualService!.spec.hosts).toEqual(['cart.shop.svc.cluster.local']);
    expect(out.virtualService!.spec.http![0]).toEqual(expect.objectContaining({
      timeout: '3s', retries: { attempts: 2, perTryTimeout: '1s' }, fault: { delay: { fixedDelay: '100ms', percentage: { value: 1 } } },
    }));
  });

  test('mesh only: just the DestinationRule', () => {
    const out = buildStickyService({ service: svc, affinity: SessionAffinity.header('x-user') });
    expect(out.objects.map((o) => o.role)).toEqual(['destination-rule']);
    expect(out.warnings).toEqual([]);
  });

  test('one live version: subsets and a VirtualService pinned to it', () => {
    const out = buildStickyService({ service: svc, affinity: SessionAffinity.header('x-user'), versions: [{ name: 'v1', weight: 100 }, { name: 'v2', weight: 0 }] });
    expectValid(manifestsOf(out));
    expect(out.destinationRule.spec.subsets!.map((s) => s.name)).toEqual(['v1', 'v2']);
    expect(out.virtualService!.spec.http![0].route).toEqual([{ destination: { host: 'cart.shop.svc.cluster.local', subset: 'v1' } }]);
  });
});

describe('StickyService guards', () => {
  test('outlier detection with hashing disables locality load balancing and says why', () => {
    const out = buildStickyService({ service: svc, affinity: SessionAffinity.cookie('s', { ttl: Duration.minutes(5) }), trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } } });
    expectValid(manifestsOf(out));
    expect(out.destinationRule.spec.trafficPolicy!.loadBalancer!.localityLbSetting).toEqual({ enabled: false });
    expect(out.warnings).toEqual([expect.objectContaining({ code: WarningCode.LOCALITY_LB_DISABLED, path: 'trafficPolicy.outlierDetection' })]);
  });

  test('source IP affinity behind the ingress load balancer warns about externalTrafficPolicy: Local', () => {
    const out = buildStickyService({ service: svc, affinity: SessionAffinity.sourceIp(), gateway: { gateway: ingress, hosts: ['shop.example.com'] } });
    expect(out.warnings.map((w) => w.code)).toEqual([WarningCode.SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY]);
    expect(out.warnings[0].message).toContain('externalTrafficPolicy: Local');
    expect(buildStickyService({ service: svc, affinity: SessionAffinity.sourceIp() }).warnings).toEqual([]);
  });

  test('warnings are printed when the cdk8s app synthesizes, and kept on the construct', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      let construct!: StickyService;
      const chart = synth((c) => { construct = new StickyService(c, 'cart', { service: svc, affinity: SessionAffinity.sourceIp(), behindLoadBalancer: true }); });
      expect(chart).toHaveLength(1);
      expect(construct.warnings).toHaveLength(1);
      expect(construct.node.validate()).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY'));
    } finally {
      warn.mockRestore();
    }
  });

  const cases: Array<[string, StickyServiceProps, ErrorCode, string]> = [
    ['warmup with hashing', { service: svc, affinity: SessionAffinity.header('x'), trafficPolicy: { loadBalancer: { warmup: { duration: Duration.seconds(30) } } } }, ErrorCode.HASH_WITH_WARMUP, 'trafficPolicy.loadBalancer.warmup'],
    ['a simple algorithm with hashing', { service: svc, affinity: SessionAffinity.header('x'), trafficPolicy: { loadBalancer: { algorithm: LoadBalancerAlgorithm.ROUND_ROBIN } } }, ErrorCode.CONFLICTING_PROPS, 'trafficPolicy.loadBalancer'],
    ['a weighted split across versions', { service: svc, affinity: SessionAffinity.header('x'), versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] }, ErrorCode.HASH_WITH_WEIGHTED_SPLIT, 'versions'],
    ['Maglev table size not prime', { service: svc, affinity: SessionAffinity.header('x'), hashAlgorithm: HashAlgorithm.maglev(1000) }, ErrorCode.INVALID_HASH, 'hashAlgorithm.tableSize'],
    ['Maglev table size too large', { service: svc, affinity: SessionAffinity.header('x'), hashAlgorithm: HashAlgorithm.maglev(5000011) }, ErrorCode.INVALID_HASH, 'hashAlgorithm.tableSize'],
    ['ring size 0', { service: svc, affinity: SessionAffinity.header('x'), hashAlgorithm: HashAlgorithm.ringHash(0) }, ErrorCode.INVALID_HASH, 'hashAlgorithm.minimumRingSize'],
    ['an empty cookie name', { service: svc, affinity: SessionAffinity.cookie('') }, ErrorCode.INVALID_HASH, 'affinity.name'],
    ['a negative cookie ttl', { service: svc, affinity: SessionAffinity.cookie('s', { ttl: Duration.seconds(-1) }) }, ErrorCode.INVALID_DURATION, 'affinity.ttl'],
    ['an invalid header name', { service: svc, affinity: SessionAffinity.header('x user') }, ErrorCode.INVALID_HEADER, 'affinity.name'],
    ['a wildcard gateway host without opt-in', { service: svc, affinity: SessionAffinity.header('x'), gateway: { gateway: ingress, hosts: ['*'] } }, ErrorCode.WILDCARD_HOST, 'gateway.hosts[0]'],
  ];
  test.each(cases)('%s is refused', (_t, props, code, path) => {
    const e = errorOf(() => buildStickyService(props));
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('StickyService properties', () => {
  const affinity = fc.oneof(
    fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/), fc.option(fc.integer({ min: 0, max: 86_400 }), { nil: undefined }))
      .map(([n, ttl]) => SessionAffinity.cookie(n, { ttl: ttl === undefined ? undefined : Duration.seconds(ttl) })),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).map((h) => SessionAffinity.header(h)),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/).map((q) => SessionAffinity.queryParameter(q)),
    fc.constant(SessionAffinity.sourceIp()),
  );
  const primes = [2, 3, 1021, 65537, 131071, 4999999];
  const props = fc.record({
    affinity,
    hash: fc.option(fc.oneof(fc.integer({ min: 1, max: 1 << 20 }).map((n) => HashAlgorithm.ringHash(n)), fc.constantFrom(...primes).map((n) => HashAlgorithm.maglev(n))), { nil: undefined }),
    outlier: fc.boolean(),
    gateway: fc.boolean(),
  }).map((r): StickyServiceProps => ({
    service: svc,
    affinity: r.affinity,
    hashAlgorithm: r.hash,
    trafficPolicy: r.outlier ? { outlierDetection: { consecutive5xxErrors: 5 } } : undefined,
    gateway: r.gateway ? { gateway: ingress, hosts: ['shop.example.com'] } : undefined,
  }));

  test('valid props give schema-valid objects with exactly one hash key and locality LB off with outlier detection', () => {
    fc.assert(fc.property(props, (p) => {
      const out = buildStickyService(p);
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      const lb = out.destinationRule.spec.trafficPolicy!.loadBalancer!;
      const keys = ['httpCookie', 'httpHeaderName', 'httpQueryParameterName', 'useSourceIp'].filter((k) => (lb.consistentHash as any)[k] !== undefined);
      expect(keys).toHaveLength(1);
      expect(lb.localityLbSetting?.enabled === false).toBe(p.trafficPolicy?.outlierDetection !== undefined);
    }), { numRuns: 200 });
  });

  test('invalid hash settings throw IstioConstructError', () => {
    const badHash = fc.oneof(
      fc.integer({ max: 0 }).map((n) => HashAlgorithm.ringHash(n)),
      fc.integer({ min: 4, max: 100_000 }).filter((n) => n % 2 === 0).map((n) => HashAlgorithm.maglev(n)),
    );
    fc.assert(fc.property(props, badHash, (p, hash) => {
      expect(() => buildStickyService({ ...p, hashAlgorithm: hash })).toThrow(IstioConstructError);
    }), { numRuns: 100 });
  });
});
