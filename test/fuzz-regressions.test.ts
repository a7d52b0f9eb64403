/**
 * Regressions of the fuzzer's findings (GitHub issue 9, /tmp/fuzz-findings.md): each counterexample
 * is refused with an IstioConstructError (short message, the prop path) or gives objects the full
 * validator admits.
 */
import {
  Duration, ErrorCode, IngressGateway, IstioConstructError, Protocol, ServiceAccountRef, ServiceRef, StringMatch, buildAuthorizationPolicy, buildServiceTrafficPolicy, ClientTlsMode,
  buildCanaryService, buildHardenedGateway, buildHttpRoute, buildTlsRoute, buildIstioInstallation, buildRequestAuthentication, buildStickyService, buildTcpIngress, buildZeroTrustNamespace, SessionAffinity,
} from '../src';
import { manifestsOf } from '../src/core/output';
import { errorOf, expectValid } from './helpers';

const service = ServiceRef.fromName('reviews', { namespace: 'a', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 443, protocol: Protocol.HTTPS }],
});

/** The error `fn` throws, checked to be short and to carry `code` and `path`. */
function refused(fn: () => unknown, code: ErrorCode, path?: string): IstioConstructError {
  const e = errorOf(fn);
  expect(e.code).toBe(code);
  if (path !== undefined) expect(e.path).toBe(path);
  expect(e.message.length).toBeLessThanOrEqual(400);
  return e;
}

describe('A1/A2: ServiceRef.fromService reads foreign objects without letting their errors escape', () => {
  test.each([
    ['a Symbol', Symbol('x')], ['a nested list', [[]]], ['an object', {}], ['Infinity', Infinity],
  ])('a port name that is %s is refused', (_, name) => {
    const e = errorOf(() => ServiceRef.fromService({ kind: 'Service', name: 'reviews', metadata: { namespace: 'a' }, ports: [{ port: 1, name }] } as any));
    expect(e.path).toBe('service.ports[0].name');
    expect(e.message.length).toBeLessThanOrEqual(400);
  });

  test('a non-string appProtocol is refused, with the port path', () => {
    const e = errorOf(() => ServiceRef.fromService({ name: 'reviews', metadata: { namespace: 'a' }, ports: [{ port: 1, appProtocol: 7 }] } as any));
    expect(e.path).toContain('ports');
  });

  test('a Proxy whose traps throw is refused', () => {
    const e = refused(() => ServiceRef.fromService(new Proxy([], { has() { throw new Error('boom'); } }) as any), ErrorCode.CONFLICTING_PROPS);
    expect(e.message).toContain('boom');
  });

  test('a metadata.namespace getter that throws is refused', () => {
    const metadata = Object.defineProperty({}, 'namespace', { get() { throw new Error('getter'); }, enumerable: true });
    refused(() => ServiceRef.fromService({ kind: 'Service', name: 'k', metadata, ports: [] } as any), ErrorCode.CONFLICTING_PROPS);
  });

  test('ports that are a throwing Proxy are refused', () => {
    const ports = new Proxy([{ port: 1 }], { get() { throw new Error('proxy get'); } });
    refused(() => ServiceRef.fromService({ kind: 'Service', name: 'v', metadata: { namespace: 'w' }, ports } as any), ErrorCode.CONFLICTING_PROPS);
  });

  test('plain valid ports still give a usable reference', () => {
    const ref = ServiceRef.fromService({ name: 'reviews', metadata: { namespace: 'a' }, ports: [{ port: 9080, name: 'http' }] });
    expect(ref.fqdn).toBe('reviews.a.svc.cluster.local');
    expect(ref.ports).toEqual([{ port: 9080, protocol: Protocol.HTTP, name: 'http', targetPort: 9080 }]);
  });
});

describe('A3: forged and tampered value-type instances are refused at the props check', () => {
  test('Object.create(ServiceRef.prototype) as a TcpIngress backend', () => {
    const forged = Object.create(ServiceRef.prototype);
    const e = refused(() => buildTcpIngress({ name: 'a', backend: forged, port: 1 }), ErrorCode.CONFLICTING_PROPS, 'backend');
    expect(e.message).toMatch(/not made by its factory/);
  });

  test('a real ServiceRef whose clusterDomain was overwritten', () => {
    const ref = ServiceRef.fromName('o', { namespace: 'a', ports: [{ port: 80, protocol: Protocol.HTTP }] });
    (ref as any).clusterDomain = { toString: () => 'x' };
    refused(() => buildCanaryService({ service: ref, versions: [{ name: 'v1' }] }), ErrorCode.CONFLICTING_PROPS, 'service');
  });

  test('a real ServiceRef whose ports were replaced', () => {
    const ref = ServiceRef.fromName('o', { namespace: 'a', ports: [{ port: 80 }] });
    (ref as any).ports = 'nope';
    refused(() => buildCanaryService({ service: ref, versions: [{ name: 'v1' }] }), ErrorCode.CONFLICTING_PROPS, 'service');
  });

  test('the ports of a ServiceRef cannot be changed in place', () => {
    const ref = ServiceRef.fromName('o', { namespace: 'a', ports: [{ port: 80 }] });
    expect(Object.isFrozen(ref.ports) && Object.isFrozen(ref.ports[0])).toBe(true);
  });

  test('forged IngressGateway, StringMatch, Duration and ServiceAccountRef', () => {
    refused(() => buildHardenedGateway({ name: 'a', gateway: Object.create(IngressGateway.prototype), servers: [{ hosts: ['a.example.com'], credentialName: 'c' }] }),
      ErrorCode.CONFLICTING_PROPS, 'gateway');
    const m = StringMatch.exact('x');
    (m as any).kind = 'bogus';
    refused(() => buildCanaryService({ service, versions: [{ name: 'v1', weight: 100 }, { name: 'v2' }], routes: [{ match: [{ uri: m }], to: 'v2' }] }), ErrorCode.INVALID_MATCH);
    refused(() => buildCanaryService({ service, versions: [{ name: 'v1', weight: 100 }], timeout: Object.create(Duration.prototype) }), ErrorCode.INVALID_DURATION, 'timeout');
    refused(() => buildAuthorizationPolicy({ name: 'p', namespace: 'a', rules: [{ from: [{ principals: [Object.create(ServiceAccountRef.prototype)] }] }] }),
      ErrorCode.INVALID_PRINCIPAL);
  });

  test('genuine instances still pass', () => {
    const out = buildCanaryService({ service, versions: [{ name: 'v1', weight: 100 }, { name: 'v2' }], routes: [{ match: [{ uri: StringMatch.prefix('/a') }], to: 'v2' }], timeout: Duration.seconds(3) });
    expectValid(manifestsOf(out));
  });
});

describe('B1: percentages between 0 and 0.0001 are refused, as Istio refuses them', () => {
  test.each([1.5e-323, 0.00005])('fault.abort.percentage %p', (percentage) => {
    refused(() => buildCanaryService({ service, versions: [{ name: 'aa', weight: 1 }], fault: { abort: { httpStatus: 503, percentage } } }),
      ErrorCode.INVALID_PERCENTAGE, 'fault.abort.percentage');
  });

  test('fault.delay.percentage', () => {
    refused(() => buildCanaryService({ service, versions: [{ name: 'aa', weight: 100 }], fault: { delay: { fixedDelay: Duration.seconds(1), percentage: 1e-9 } } }),
      ErrorCode.INVALID_PERCENTAGE, 'fault.delay.percentage');
  });

  test('0 and 0.0001 are accepted and valid', () => {
    for (const percentage of [0, 0.0001]) {
      expectValid(manifestsOf(buildCanaryService({ service, versions: [{ name: 'aa', weight: 100 }], fault: { abort: { httpStatus: 503, percentage } } })));
    }
  });
});

describe('B2: the cluster domain is a DNS domain', () => {
  test.each(['#c', '🙂', ' ', '\u202eabc', '600', 'a.600', 'Corp.example', ''])('clusterDomain %p is refused', (clusterDomain) => {
    refused(() => ServiceRef.fromName('default', { namespace: 'app', ports: [{ port: 33001, protocol: Protocol.TLS }], clusterDomain }),
      ErrorCode.INVALID_NAME, 'clusterDomain');
  });

  test('a custom domain gives valid objects', () => {
    const backend = ServiceRef.fromName('default', { namespace: 'app', ports: [{ port: 33001, protocol: Protocol.TLS }], clusterDomain: 'corp.example' });
    const out = buildTcpIngress({ name: 'a', backend, port: 33001 });
    expectValid(manifestsOf(out));
    expect(backend.fqdn).toBe('default.app.svc.corp.example');
  });
});

describe('B3/B10: gateway hosts are fully qualified and do not overlap', () => {
  test('a short server host is refused', () => {
    refused(() => buildHardenedGateway({ name: 'a', gateway, servers: [{ hosts: ['x'], credentialName: 'aa' }] }), ErrorCode.INVALID_HOST, 'servers[0].hosts[0]');
  });

  test('a short SNI host is refused', () => {
    const backend = ServiceRef.fromName('db', { namespace: 'a', ports: [{ port: 443, protocol: Protocol.TLS }] });
    refused(() => buildTcpIngress({ name: 'a', backend, port: 443, gateway, tlsPassthrough: { sniHosts: ['db'] } }), ErrorCode.INVALID_HOST, 'tlsPassthrough.sniHosts[0]');
  });

  test('a wildcard server host next to a host it covers is refused', () => {
    refused(() => buildHardenedGateway({
      name: 'a', gateway, backend: service, allowWildcardHosts: true,
      servers: [{ hosts: ['*.example.com'], credentialName: 'aa' }, { hosts: ['a.example.com'], credentialName: 'bb' }],
    }), ErrorCode.INVALID_HOST, 'servers[1].hosts');
    refused(() => buildHardenedGateway({
      name: 'a', gateway, backend: service, allowWildcardHosts: true, servers: [{ hosts: ['a.example.com', '*.example.com'], credentialName: 'aa' }],
    }), ErrorCode.INVALID_HOST, 'servers[0].hosts[1]');
  });

  test('disjoint hosts, "*" alone and fully qualified hosts stay valid', () => {
    expectValid(manifestsOf(buildHardenedGateway({
      name: 'a', gateway, backend: service, allowWildcardHosts: true,
      servers: [{ hosts: ['*.example.com'], credentialName: 'aa' }, { hosts: ['a.example.org'], credentialName: 'bb' }],
    })));
  });
});

describe('B4: ZeroTrustNamespace policy names are unique', () => {
  test('two services with one app', () => {
    refused(() => buildZeroTrustNamespace({ namespace: 'a', services: [{ app: 'prod', rules: [{}] }, { app: 'prod', rules: [{}] }] }),
      ErrorCode.INVALID_NAME, 'services[1].app');
  });

  test('app "nothing" would clash with allow-nothing', () => {
    refused(() => buildZeroTrustNamespace({ namespace: 'a', services: [{ app: 'nothing', rules: [{}] }] }), ErrorCode.INVALID_NAME, 'services[0].app');
  });
});

describe('B5-B7: AuthorizationPolicy lists and condition values', () => {
  test.each([
    [{ from: [{ principals: [] }] }, 'rules[0].from[0].principals'],
    [{ from: [{ notPrincipals: [] }] }, 'rules[0].from[0].notPrincipals'],
    [{ to: [{ ports: [] }] }, 'rules[0].to[0].ports'],
    [{ to: [{ notPorts: [] }] }, 'rules[0].to[0].notPorts'],
  ])('an empty list is refused (%j)', (rule, path) => {
    refused(() => buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [rule as any] }), ErrorCode.INVALID_AUTHORIZATION, path);
  });

  test('destination.ip "8080" is refused', () => {
    refused(() => buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ when: [{ key: 'destination.ip', values: ['8080'] }] }] }),
      ErrorCode.INVALID_CIDR, 'rules[0].when[0].values[0]');
  });

  test.each(['https://accounts.google.com', 'a/*', '/b', 'a/'])('source.serviceAccount %p is refused', (v) => {
    refused(() => buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ when: [{ key: 'source.serviceAccount', values: [v] }] }] }),
      ErrorCode.INVALID_PRINCIPAL, 'rules[0].when[0].values[0]');
  });

  test('more than 16 service accounts are refused; name and namespace/name are valid', () => {
    const many = Array.from({ length: 17 }, (_, i) => `sa${i}`);
    refused(() => buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ when: [{ key: 'source.serviceAccount', values: many }] }] }),
      ErrorCode.INVALID_AUTHORIZATION, 'rules[0].when[0].values');
    expectValid(manifestsOf(buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ when: [{ key: 'source.serviceAccount', values: ['sa', 'prod/sa'] }] }] })));
  });

  test.each(['01.2.3.4', '0', '127.1', '0x7f.0.0.1', '10.0.0.0/33', '1.2.3.4/08x'])('ipBlocks %p is refused', (block) => {
    refused(() => buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ from: [{ notIpBlocks: [block], notRequestPrincipals: ['*'] }] }] }),
      ErrorCode.INVALID_CIDR, 'rules[0].from[0].notIpBlocks[0]');
  });

  test('dotted-decimal, IPv6 and CIDR blocks are valid', () => {
    expectValid(manifestsOf(buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ from: [{ ipBlocks: ['1.2.3.4', '10.0.0.0/8', '::1', 'fd00::/8'] }] }] })));
  });
});

describe('B8/B9: RequestAuthentication jwks and jwksUri', () => {
  test.each(['{"keys":[1]}', '{"keys":[null]}', '{"keys":[[]]}', '{"keys":[{"n":"x"}]}'])('jwks %p is refused', (jwks) => {
    refused(() => buildRequestAuthentication({ name: 'a', namespace: 'aa', jwtRules: [{ issuer: 'https://accounts.google.com', jwks }] }),
      ErrorCode.INVALID_JWT_RULE, 'jwtRules[0].jwks');
  });

  test('a jwksUri over 2048 characters is refused', () => {
    const e = errorOf(() => buildRequestAuthentication({
      name: 'a', namespace: 'aa', jwtRules: [{ issuer: 'https://i.example.com', jwksUri: `https://i.example.com/${'k'.repeat(2048)}` }],
    }));
    expect(e.path).toBe('jwtRules[0].jwksUri');
  });

  test('a JWK set of public keys is valid', () => {
    const jwks = JSON.stringify({ keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB' }] });
    expectValid(manifestsOf(buildRequestAuthentication({ name: 'a', namespace: 'aa', jwtRules: [{ issuer: 'https://accounts.google.com', jwks }] })));
  });
});

describe('C: error messages stay under 400 characters', () => {
  test('an unknown retryOn condition', () => {
    const ref = ServiceRef.fromName('g8piz3h', { namespace: 'reviews', ports: [{ port: 27240, protocol: Protocol.TCP }] });
    const e = refused(() => buildCanaryService({ service: ref, versions: [{ name: 'j', percent: 30 }, { name: 'default', percent: 70 }], retries: { attempts: 1, retryOn: [' 5xx' as any] } }),
      ErrorCode.INVALID_RETRIES, 'retries.retryOn[0]');
    expect(e.message).toContain('5xx');
  });

  test('a non-object props root and a non-object rule entry', () => {
    refused(() => buildCanaryService('x' as any), ErrorCode.INVALID_PROP);
    refused(() => buildStickyService(7 as any), ErrorCode.INVALID_PROP);
    const e = errorOf(() => buildAuthorizationPolicy({ name: 'p', namespace: 'prod', rules: [{ from: ['x' as any] }] }));
    expect(e.message.length).toBeLessThanOrEqual(400);
    expect(e.message).not.toMatch(/ a Authorization/);
  });

  test('client TLS credentialName without workloadSelector, on a port, with the longest names', () => {
    const long = ServiceRef.fromName('s'.repeat(63), { namespace: 'n'.repeat(63), ports: [{ port: 8443, protocol: Protocol.HTTPS }] });
    refused(() => buildServiceTrafficPolicy({
      service: long, trafficPolicy: { portLevelSettings: [{ port: 8443, tls: { mode: ClientTlsMode.MUTUAL, credentialName: 'c'.repeat(253) } }] },
    } as any), ErrorCode.INVALID_TLS);
  });

  test('TcpIngress versions on the Gateway API for a Service without a known pod selector, with the longest names (fuzz seed 79541378: 411 characters)', () => {
    const backend = ServiceRef.fromName('s'.repeat(63), { namespace: 'n'.repeat(63), ports: [{ port: 49811, protocol: Protocol.TCP }] });
    refused(() => buildTcpIngress({
      name: 'a', backend, port: 49811, gatewayNamespace: 'reviews', versions: [{ name: 'a', labels: { reviews: 'a' }, weight: 1 }], target: { api: 'gateway-api' },
    } as any), ErrorCode.TARGET_UNSUPPORTED, 'versions');
  });

  test('an unknown gRPC status', () => {
    refused(() => buildCanaryService({ service, versions: [{ name: 'v1', weight: 100 }], fault: { abort: { grpcStatus: 'NOPE' as any } } }), ErrorCode.INVALID_FAULT);
  });

  test('SessionAffinity is unaffected', () => {
    expectValid(manifestsOf(buildStickyService({ service, affinity: SessionAffinity.header('x-user') })));
  });
});

describe('negative zero is emitted as 0 (plain JSON; YAML would write -0)', () => {
  test('counts, percentages and weights', () => {
    const out = manifestsOf(buildServiceTrafficPolicy({
      service,
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: -0 } },
        outlierDetection: { consecutive5xxErrors: -0, maxEjectionPercent: -0 },
        loadBalancer: { warmup: { duration: Duration.seconds(1), minimumPercent: -0 } },
      },
    }));
    const tp = (out[0].spec as any).trafficPolicy;
    expect(Object.is(tp.connectionPool.tcp.maxConnections, 0)).toBe(true);
    expect(Object.is(tp.outlierDetection.consecutive5xxErrors, 0)).toBe(true);
    expect(Object.is(tp.outlierDetection.maxEjectionPercent, 0)).toBe(true);
    expect(Object.is(tp.loadBalancer.warmup.minimumPercent, 0)).toBe(true);
    const canary = manifestsOf(buildCanaryService({ service, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: -0 }] }));
    const weights = (canary.find((m) => m.kind === 'VirtualService')!.spec as any).http.at(-1).route.map((r: any) => r.weight);
    expect(weights.every((w: number) => !Object.is(w, -0))).toBe(true);
  });
});

describe('a long enum listed in the problem is not listed again in the fix', () => {
  test('StickyService fault.abort.grpcStatus with a wide junk value stays under 400 characters', () => {
    const junk = { '': new Date(0), '      ': -1e15 } as any;
    const e = refused(() => buildStickyService({
      service: ServiceRef.fromName('e', { namespace: 'k', clusterDomain: 'corp.example' }),
      virtualServiceName: 'a',
      affinity: SessionAffinity.queryParameter('ISTIOID'),
      fault: { abort: { grpcStatus: junk } },
    }), ErrorCode.INVALID_FAULT, 'fault.abort.grpcStatus');
    expect(e.message).toContain('"CANCELLED"');
  });
});

describe('Fuzz findings of the 10,000-run pass (session of issue 11)', () => {
  test('retries.attempts of -0 is written as 0 (plain JSON), not as -0', () => {
    // GIVEN -0 attempts, which JavaScript keeps and JSON cannot hold
    const out = buildStickyService({ service, affinity: SessionAffinity.cookie('ISTIOID'), retries: { attempts: -0 } });

    // THEN the emitted attempts is +0 and the objects are admitted
    const retries = (out.virtualService!.spec.http![0] as any).retries;
    expect(Object.is(retries.attempts, 0)).toBe(true);
    expectValid(manifestsOf(out));
  });

  test('a weighted split across many long-named versions is refused with a short message', () => {
    const versions = Array.from({ length: 6 }, (_, i) => ({ name: `${'v'.repeat(60)}${i}`, weight: 10 }));
    refused(() => buildStickyService({ service: ServiceRef.fromName('a'.repeat(63), { namespace: 'a' }), affinity: SessionAffinity.cookie('ISTIOID'), versions }),
      ErrorCode.HASH_WITH_WEIGHTED_SPLIT, 'versions');
  });
});

test('a Service port named like an Object.prototype member ("constructor") is read as TCP, not as a function', () => {
  // GIVEN a cdk8s-plus-like Service whose port names are "constructor" and "toString"
  const ref = ServiceRef.fromService({ kind: 'Service', name: 'y', metadata: { namespace: 'prod' }, ports: [{ port: 2, name: 'constructor' }, { port: 3, appProtocol: 'toString' }] } as any);

  // THEN Istio's default protocol applies (TCP), and the ports route
  expect(ref.ports.map((p) => p.protocol)).toEqual([Protocol.TCP, Protocol.TCP]);
});

test.each(['1constructor', '1toString', '1__proto__', '5hasOwnProperty'])('Duration.parse(%j) is refused as an unknown unit, not a TypeError', (text) => {
  refused(() => Duration.parse(text), ErrorCode.INVALID_DURATION);
});

test('a cdk8s Duration whose toMilliseconds() throws a huge message is refused with a short one', () => {
  // GIVEN a duration-like object that throws a 100,000-character error (as cdk8s.Duration.seconds('%'.repeat(100000)) does)
  const interval = { toMilliseconds: () => { throw new Error('%'.repeat(100_000)); } };

  // THEN the builder's error stays short and names the prop
  refused(() => buildServiceTrafficPolicy({ service, trafficPolicy: { outlierDetection: { interval: interval as any } } }), ErrorCode.INVALID_DURATION, 'trafficPolicy.outlierDetection.interval');
});

test('an authorization path with a lone "}" is refused by the builder, as Istio\'s webhook refuses it (CheckValidPathTemplate)', () => {
  refused(() => buildZeroTrustNamespace({ namespace: 'reviews', services: [{ app: 'a', rules: [{ to: [{ paths: ['}', '/'] }] }] }] }), ErrorCode.INVALID_AUTHORIZATION);
});

describe('installation escape hatches hold plain JSON only (a JSON copy would silently drop a function)', () => {
  const fn = { toMilliseconds() { throw new Error('x'); } };
  test('chart values with a method are refused at its path', () => {
    refused(() => buildIstioInstallation({ version: '1.31.0', defaultGateways: false, values: { istiod: fn as any } }), ErrorCode.INVALID_PROP, 'values.istiod.toMilliseconds');
  });
  test('a list where the base chart wants an object, or a list holding undefined, is refused (fuzz: it was dropped in sail mode)', () => {
    refused(() => buildIstioInstallation({ version: '1.30.2', mode: 'sail', defaultGateways: false, values: { base: { base: [{}] } as any } }), ErrorCode.INVALID_PROP, 'values.base.base');
    refused(() => buildIstioInstallation({ version: '1.30.2', mode: 'sail', defaultGateways: false, values: { base: { base: [undefined] } as any } }), ErrorCode.INVALID_PROP, 'values.base.base[0]');
  });
  test('an unknown 300-character mesh-config key is refused with a short message (the key is in the path once, shortened)', () => {
    refused(() => buildIstioInstallation({ version: '1.31.0', meshConfig: { defaultConfig: { ['a'.repeat(300)]: 1 } as any } }), ErrorCode.UNKNOWN_PROP);
  });
  test('mesh config holding a class instance is refused at its path', () => {
    refused(() => buildIstioInstallation({ version: '1.31.0', meshConfig: { defaultConfig: new Date() as any } }), ErrorCode.INVALID_PROP, 'meshConfig.defaultConfig');
  });
  test('gateway values and the Kiali CR spec are checked the same way', () => {
    // A bare function or symbol is already refused by the props check; a duration-like object is not.
    refused(() => buildIstioInstallation({ version: '1.31.0', gateways: [{ name: 'echo', values: { podAnnotations: fn } as any }] }),
      ErrorCode.INVALID_PROP, 'gateways[0].values.podAnnotations.toMilliseconds');
    refused(() => buildIstioInstallation({ version: '1.31.0', addons: { kiali: { spec: { auth: fn } as any } } }),
      ErrorCode.INVALID_PROP, 'addons.kiali.spec.auth.toMilliseconds');
  });
});

test('a chart-values key "__proto__" (as JSON.parse makes it) stays a key of the values helm gets, not a prototype', () => {
  const values = JSON.parse('{"pilot":{"__proto__":{"replicaCount":2}}}');
  const out = (() => { try { return buildIstioInstallation({ version: '1.31.0', defaultGateways: false, values: { istiod: values } }); } catch (e) { return e; } })();
  // Either refused as an unknown key of the values schema, or kept as a key: never merged into a prototype and lost.
  if (out instanceof IstioConstructError) {
    expect(out.path).toMatch(/^values\.istiod/);
  } else {
    const istiod = (out as ReturnType<typeof buildIstioInstallation>).plan.releases.find((r) => r.role === 'istiod')!;
    expect(Object.prototype.hasOwnProperty.call((istiod.values as any).pilot, '__proto__')).toBe(true);
  }
});

test('a header value "%()%" is refused by the builder, as Istio\'s webhook refuses it (fuzz seed 84352172: unterminated %VAR%)', () => {
  const e = refused(() => buildHttpRoute({ name: 'aa', destination: service, headers: { response: { set: { 'x-user': '%()%' } } } }), ErrorCode.INVALID_HEADER, 'headers.response.set["x-user"]');
  expect(e.message).toContain('unterminated %VAR% expression');
});

test.each(['%DOWNSTREAM_REMOTE_ADDRESS%', '%REQ(x-id)%', '100%%', 'plain'])('the header value %j is still accepted and admitted', (v) => {
  expectValid(manifestsOf(buildHttpRoute({ name: 'aa', destination: service, headers: { response: { set: { 'x-user': v } } } })));
});

test('an undefined chart value is an absent one: not written into the Sail Istio values (fuzz seed 84352172: refused by the Sail schema)', () => {
  const values = { base: { base: { enableIstioConfigCRDs: undefined } }, istiod: { pilot: { replicaCount: undefined } } };
  const sail = buildIstioInstallation({ version: '1.30.2', mode: 'sail', defaultGateways: false, values });
  const istio = sail.plan.sailResources.find((m) => m.kind === 'Istio')!;
  expect(Object.keys((istio.spec as any).values)).not.toContain('base');
  expect(Object.keys((istio.spec as any).values.pilot ?? {})).not.toContain('replicaCount');
  expectValid(sail.plan.sailResources);
  const helm = buildIstioInstallation({ version: '1.30.2', defaultGateways: false, values });
  const base = helm.plan.releases.find((r) => r.role === 'base')!;
  expect(Object.keys((base.values as any).base ?? {})).not.toContain('enableIstioConfigCRDs');
});

test('a gateway serving none of the route\'s hosts is named in at most 400 characters, however long its hosts (fuzz seed 96114050: a 253-character host)', () => {
  const tls = ServiceRef.fromName('a', { namespace: 'a', ports: [{ port: 1, protocol: Protocol.TLS, name: 'tls' }] });
  const long = 'a'.repeat(253);
  const e = refused(() => buildTlsRoute({
    name: 'a', destination: tls, sniHosts: ['aa.a.example.com'],
    gateways: [{ name: 'reviews', namespace: 'aa', hosts: [long, 'b.example.com'] }, { name: 'aa', namespace: 'a', hosts: ['aa.a.example.com'] }],
  }), ErrorCode.HOST_NOT_IN_GATEWAY, 'gateways[0]');
  expect(e.message).toContain('Gateway aa/reviews serves none of the route\'s hosts');
  expect(e.message).toContain('it serves ["aaaa');
});

test('the other refusals that list hosts stay within 400 characters with 253-character hosts', () => {
  const long = (c: string) => `${c.repeat(60)}.${c.repeat(60)}.${c.repeat(60)}.${c.repeat(60)}.com`;
  const tls = ServiceRef.fromName('a', { namespace: 'a', ports: [{ port: 1, protocol: Protocol.TLS, name: 'tls' }] });
  refused(() => buildTlsRoute({ name: 'a', destination: tls, sniHosts: [long('s')], hosts: [long('a'), long('b')] }), ErrorCode.INVALID_HOST, 'sniHosts[0]');
  refused(() => buildHttpRoute({
    name: 'a', destination: service, hosts: [long('h')],
    gateways: [{ name: 'g1', namespace: 'a', hosts: [long('x'), long('y')] }, { name: 'g2', namespace: 'a', hosts: [long('z')] }],
  }), ErrorCode.HOST_NOT_IN_GATEWAY);
});

describe('fuzz seed 127567259: a fault percentage of -0', () => {
  test.each(['abort', 'delay'] as const)('%s percentage -0 is emitted as 0 (JSON has no -0), and the fault injects nothing', (kind) => {
    const fault = kind === 'abort' ? { abort: { httpStatus: 503, percentage: -0 } } : { delay: { fixedDelay: '1s', percentage: -0 } };
    const out = buildCanaryService({ service, versions: [{ name: 'v1', weight: 1 }], fault } as any);
    const vs = manifestsOf(out).find((m) => m.kind === 'VirtualService') as any;
    const value = vs.spec.http[0].fault[kind].percentage.value;
    expect(Object.is(value, 0)).toBe(true);
    expectValid(manifestsOf(out));
  });
});
