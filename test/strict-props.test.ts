/**
 * Strict props at the boundary: every builder and value-type factory refuses props as an untyped
 * caller (JavaScript, YAML, `as any`) may send them, with IstioConstructError naming the path:
 * unknown keys, wrong shapes, mistyped enums, fractions and out-of-range wire integers, non-boolean
 * booleans, cycles, Symbols, functions, getters, Proxies, BigInts, huge strings. Nothing else escapes.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as fc from 'fast-check';
import {
  AuthorizationAction, Duration, ErrorCode, HashAlgorithm, IngressGateway, IstioConstructError, MtlsMode, Protocol, ServiceAccountRef,
  ServiceRef, SessionAffinity, StringMatch, buildAuthorizationPolicy, buildCanaryService, buildHardenedGateway, buildPeerAuthentication,
  buildRequestAuthentication, buildServiceTrafficPolicy, buildStickyService, buildTcpIngress, buildWorkloadService, buildZeroTrustNamespace,
} from '../src';
import { show } from '../src/core/errors';

const svc = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080 }] });
const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] });
const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 443, protocol: Protocol.HTTPS }, { port: 5432, protocol: Protocol.TCP }],
});

type Builder = (props: any) => unknown;

/** Each builder with props it accepts. */
const BUILDERS: Record<string, { build: Builder; base: () => any }> = {
  CanaryService: { build: buildCanaryService, base: () => ({ service: svc, versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] }) },
  TcpIngress: { build: buildTcpIngress, base: () => ({ name: 'db', backend: db, port: 5432 }) },
  StickyService: { build: buildStickyService, base: () => ({ service: svc, affinity: SessionAffinity.header('x-user') }) },
  WorkloadService: { build: buildWorkloadService, base: () => ({ name: 'web', namespace: 'shop', selector: { app: 'web' }, ports: [{ port: 8080 }] }) },
  ServiceTrafficPolicy: { build: buildServiceTrafficPolicy, base: () => ({ service: svc, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }) },
  AuthorizationPolicy: {
    build: buildAuthorizationPolicy,
    base: () => ({ name: 'deny-x', namespace: 'shop', action: AuthorizationAction.DENY, rules: [{ from: [{ principals: ['cluster.local/ns/x/sa/y'] }] }] }),
  },
  PeerAuthentication: { build: buildPeerAuthentication, base: () => ({ mode: MtlsMode.STRICT, namespace: 'shop' }) },
  RequestAuthentication: {
    build: buildRequestAuthentication,
    base: () => ({ name: 'jwt', namespace: 'shop', jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] }),
  },
  ZeroTrustNamespace: { build: buildZeroTrustNamespace, base: () => ({ namespace: 'shop', services: [{ app: 'web', rules: [{ from: [{ namespaces: ['shop'] }] }] }] }) },
  HardenedGateway: {
    build: buildHardenedGateway,
    base: () => ({ name: 'web', gateway: ingress, servers: [{ hosts: ['shop.example.com'], credentialName: 'shop-cert' }] }),
  },
};

function errorOf(fn: () => unknown): IstioConstructError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IstioConstructError) return e;
    throw new Error(`expected IstioConstructError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected IstioConstructError, nothing was thrown');
}

/** Asserts the error, its path and (when given) its code, and a short message. */
function expectRefused(fn: () => unknown, expectedPath: string, code?: ErrorCode): IstioConstructError {
  const e = errorOf(fn);
  expect(e.path).toBe(expectedPath);
  if (code) expect(e.code).toBe(code);
  expect(e.message.length).toBeLessThan(400);
  expect(e.message).toContain('Fix: ');
  return e;
}

describe('every builder accepts its base props', () => {
  test.each(Object.keys(BUILDERS))('%s', (name) => {
    const { build, base } = BUILDERS[name];
    expect(() => build(base())).not.toThrow();
    // GIVEN the same props as Object.create(null) objects THEN they are fine as plain objects
    const nullProto = Object.assign(Object.create(null), base());
    expect(JSON.stringify(build(nullProto))).toBe(JSON.stringify(build(base())));
  });
});

describe('the same hostile input is refused by every builder, with its path', () => {
  const cases: Array<[string, (p: any) => any, string, ErrorCode?]> = [
    ['an unknown key at the top', (p) => ({ ...p, principalz: ['x'] }), 'principalz', ErrorCode.UNKNOWN_PROP],
    ['a cycle', (p) => { const loop: any = { a: 1 }; loop.self = loop; return { ...p, loop }; }, 'loop.self', ErrorCode.UNSUPPORTED_VALUE],
    ['a Symbol value', (p) => ({ ...p, odd: Symbol('x') }), 'odd', ErrorCode.UNSUPPORTED_VALUE],
    ['a Symbol key', (p) => ({ ...p, [Symbol('x')]: 1 }), '', ErrorCode.UNSUPPORTED_VALUE],
    ['a function', (p) => ({ ...p, odd: () => 1 }), 'odd', ErrorCode.UNSUPPORTED_VALUE],
    ['a BigInt', (p) => ({ ...p, odd: 10n ** 30n }), 'odd', ErrorCode.UNSUPPORTED_VALUE],
    ['a getter that throws', (p) => Object.defineProperty({ ...p }, 'odd', { get: () => { throw new Error('boom'); }, enumerable: true }), 'odd', ErrorCode.UNSUPPORTED_VALUE],
    ['a hidden property', (p) => Object.defineProperty({ ...p }, 'odd', { value: 1, enumerable: false }), 'odd', ErrorCode.UNSUPPORTED_VALUE],
    ['a Proxy', (p) => new Proxy(p, { get: () => { throw new Error('boom'); } }), '', ErrorCode.UNSUPPORTED_VALUE],
    ['a class instance for the props', (p) => Object.assign(new (class Props {})(), p), '', ErrorCode.INVALID_PROP],
    ['a 100k-character string', (p) => ({ ...p, odd: 'x'.repeat(100_000) }), 'odd', ErrorCode.UNSUPPORTED_VALUE],
    ['nesting deeper than 32', (p) => { let deep: any = {}; for (let i = 0; i < 40; i++) deep = { d: deep }; return { ...p, deep }; }, `deep${'.d'.repeat(31)}`, ErrorCode.UNSUPPORTED_VALUE],
    ['null props', () => null, '', ErrorCode.INVALID_PROP],
    ['a string for the props', () => 'props', '', ErrorCode.INVALID_PROP],
  ];
  for (const [name, { build, base }] of Object.entries(BUILDERS)) {
    test.each(cases)(`${name}: %s`, (_title, mutate, expectedPath, code) => {
      expectRefused(() => build(mutate(base())), expectedPath, code);
    });
  }
});

describe('wrong shapes, enums and ranges, per builder', () => {
  const cases: Array<[string, Builder, any, string, ErrorCode]> = [
    // CanaryService
    ['a string where a StringMatch is', buildCanaryService, { ...BUILDERS.CanaryService.base(), routes: [{ match: [{ uri: '/api' }], to: 'v2' }] }, 'routes[0].match[0].uri', ErrorCode.INVALID_MATCH],
    ['null where a StringMatch is', buildCanaryService, { ...BUILDERS.CanaryService.base(), routes: [{ match: [{ headers: { user: null } }], to: 'v2' }] }, 'routes[0].match[0].headers.user', ErrorCode.INVALID_MATCH],
    ['null where a Duration is', buildCanaryService, { ...BUILDERS.CanaryService.base(), timeout: null }, 'timeout', ErrorCode.INVALID_DURATION],
    ['a fraction where an integer weight is', buildCanaryService, { service: svc, versions: [{ name: 'v1', weight: 1.5 }] }, 'versions[0].weight', ErrorCode.INVALID_WEIGHT],
    ['an int32 pool count out of range', buildCanaryService, { ...BUILDERS.CanaryService.base(), trafficPolicy: { connectionPool: { http: { http2MaxRequests: 2 ** 31 } } } },
      'trafficPolicy.connectionPool.http.http2MaxRequests', ErrorCode.INVALID_TRAFFIC_POLICY],
    ['a fractional maxEjectionPercent', buildCanaryService, { ...BUILDERS.CanaryService.base(), trafficPolicy: { outlierDetection: { maxEjectionPercent: 10.5 } } },
      'trafficPolicy.outlierDetection.maxEjectionPercent', ErrorCode.INVALID_PERCENTAGE],
    ['a nested unknown key', buildCanaryService, { service: svc, versions: [{ name: 'v1', weight: 1, wieght: 2 }] }, 'versions[0].wieght', ErrorCode.UNKNOWN_PROP],
    ['a string where a boolean is', buildCanaryService, { ...BUILDERS.CanaryService.base(), routeUnmatched: 'false' }, 'routeUnmatched', ErrorCode.INVALID_PROP],
    ['a split weight fraction', buildCanaryService, { ...BUILDERS.CanaryService.base(), routes: [{ match: [{ uri: StringMatch.prefix('/') }], to: [{ version: 'v1', weight: 0.5 }] }] },
      'routes[0].to[0].weight', ErrorCode.INVALID_WEIGHT],
    // TcpIngress
    ['a port out of range', buildTcpIngress, { ...BUILDERS.TcpIngress.base(), port: 70000 }, 'port', ErrorCode.PORT_OUT_OF_RANGE],
    ['an unknown tlsPassthrough key', buildTcpIngress, { ...BUILDERS.TcpIngress.base(), gateway: ingress, tlsPassthrough: { sniHosts: ['db.example.com'], sni: 'x' } }, 'tlsPassthrough.sni', ErrorCode.UNKNOWN_PROP],
    ['a string where a ServiceRef is', buildTcpIngress, { ...BUILDERS.TcpIngress.base(), backend: 'db.data' }, 'backend', ErrorCode.CONFLICTING_PROPS],
    // StickyService
    ['a string where a SessionAffinity is', buildStickyService, { service: svc, affinity: 'cookie' }, 'affinity', ErrorCode.INVALID_HASH],
    ['a fractional maxConnections', buildStickyService, { ...BUILDERS.StickyService.base(), trafficPolicy: { connectionPool: { tcp: { maxConnections: 1.5 } } } },
      'trafficPolicy.connectionPool.tcp.maxConnections', ErrorCode.INVALID_TRAFFIC_POLICY],
    // WorkloadService
    ['a fractional port', buildWorkloadService, { ...BUILDERS.WorkloadService.base(), ports: [{ port: 80.5 }] }, 'ports[0].port', ErrorCode.PORT_OUT_OF_RANGE],
    ['a mistyped protocol', buildWorkloadService, { ...BUILDERS.WorkloadService.base(), ports: [{ port: 80, protocol: 'http' }] }, 'ports[0].protocol', ErrorCode.INVALID_PORT],
    // ServiceTrafficPolicy
    ['a fractional minHealthPercent', buildServiceTrafficPolicy, { service: svc, trafficPolicy: { outlierDetection: { minHealthPercent: 50.5 } } },
      'trafficPolicy.outlierDetection.minHealthPercent', ErrorCode.INVALID_PERCENTAGE],
    ['a mistyped TLS mode', buildServiceTrafficPolicy, { service: svc, trafficPolicy: { tls: { mode: 'istio_mutual' } } }, 'trafficPolicy.tls.mode', ErrorCode.INVALID_TLS],
    // AuthorizationPolicy
    ['a non-object rule', buildAuthorizationPolicy, { ...BUILDERS.AuthorizationPolicy.base(), rules: ['allow-all'] }, 'rules[0]', ErrorCode.INVALID_AUTHORIZATION],
    ['an unsupported source field (would widen a DENY)', buildAuthorizationPolicy, { ...BUILDERS.AuthorizationPolicy.base(), rules: [{ from: [{ principalz: ['cluster.local/ns/x/sa/y'] }] }] },
      'rules[0].from[0].principalz', ErrorCode.UNKNOWN_PROP],
    ['a mistyped action', buildAuthorizationPolicy, { ...BUILDERS.AuthorizationPolicy.base(), action: 'deny' }, 'action', ErrorCode.INVALID_AUTHORIZATION],
    ['a port 0 in an operation', buildAuthorizationPolicy, { ...BUILDERS.AuthorizationPolicy.base(), rules: [{ to: [{ ports: [0] }] }] }, 'rules[0].to[0].ports[0]', ErrorCode.PORT_OUT_OF_RANGE],
    // PeerAuthentication
    ['a mistyped mode', buildPeerAuthentication, { mode: 'strict', namespace: 'shop' }, 'mode', ErrorCode.CONFLICTING_PROPS],
    ['a port-level key that is no port', buildPeerAuthentication, { mode: MtlsMode.STRICT, namespace: 'shop', selector: { app: 'a' }, portLevelMtls: { http: MtlsMode.DISABLE } },
      'portLevelMtls.http', ErrorCode.INVALID_PROP],
    // RequestAuthentication
    ["requireToken: ''", buildRequestAuthentication, { ...BUILDERS.RequestAuthentication.base(), requireToken: '' }, 'requireToken', ErrorCode.INVALID_PROP],
    ['an unknown fromHeaders key', buildRequestAuthentication, { name: 'jwt', namespace: 'shop', jwtRules: [{ issuer: 'i', fromHeaders: [{ nme: 'x-token' }] }] },
      'jwtRules[0].fromHeaders[0].name', ErrorCode.INVALID_JWT_RULE],
    // ZeroTrustNamespace
    ['a nested unknown source key', buildZeroTrustNamespace, { namespace: 'shop', services: [{ app: 'web', rules: [{ from: [{ principalz: ['x'] }] }] }] },
      'services[0].rules[0].from[0].principalz', ErrorCode.UNKNOWN_PROP],
    ['a number for a rule', buildZeroTrustNamespace, { namespace: 'shop', services: [{ app: 'web', rules: [5] }] }, 'services[0].rules[0]', ErrorCode.INVALID_AUTHORIZATION],
    // HardenedGateway
    ['a mistyped headerHygiene', buildHardenedGateway, { ...BUILDERS.HardenedGateway.base(), headerHygiene: 'envoy_filter' }, 'headerHygiene', ErrorCode.INVALID_PROP],
    ['null where the HSTS max-age Duration is', buildHardenedGateway, { ...BUILDERS.HardenedGateway.base(), hsts: { maxAge: null } }, 'hsts.maxAge', ErrorCode.INVALID_DURATION],
    ['a fractional server port', buildHardenedGateway, { ...BUILDERS.HardenedGateway.base(), servers: [{ hosts: ['a.example.com'], credentialName: 'c', port: 443.5 }] },
      'servers[0].port', ErrorCode.PORT_OUT_OF_RANGE],
    ['a mistyped TLS version', buildHardenedGateway, { ...BUILDERS.HardenedGateway.base(), minProtocolVersion: 'TLSV1_0' }, 'minProtocolVersion', ErrorCode.INVALID_TLS],
  ];
  test.each(cases)('%s', (_title, build, props, expectedPath, code) => {
    const e = expectRefused(() => build(props), expectedPath, code);
    expect(e.message).toMatch(/is not|unknown prop|is required|not allowed/);
  });

  test('the message shows a short prefix of a long bad value, and names the expected shape', () => {
    const e = expectRefused(() => buildHardenedGateway({ ...BUILDERS.HardenedGateway.base(), headerHygiene: 'x'.repeat(60_000) }), 'headerHygiene', ErrorCode.INVALID_PROP);
    expect(e.message).toContain('one of "AUTO", "PROXY_CONFIG", "ENVOY_FILTER", "OFF"');
    expect(e.message).not.toContain('x'.repeat(70));
  });

  test('a long unknown key is shown cut', () => {
    const e = expectRefused(() => buildCanaryService({ ...BUILDERS.CanaryService.base(), ['k'.repeat(10_000)]: 1 } as any), `["${'k'.repeat(37)}..."]`, ErrorCode.UNKNOWN_PROP);
    expect(e.message.length).toBeLessThan(400);
  });
});

describe('value-type factories check their arguments', () => {
  test.each<[string, () => unknown, string]>([
    ['StringMatch.exact(null)', () => StringMatch.exact(null as any), 'value'],
    ['StringMatch.prefix(100k chars)', () => StringMatch.prefix('x'.repeat(100_000)), 'value'],
    ['StringMatch.cookie(name, 5)', () => StringMatch.cookie('user', 5 as any), 'value'],
    ['SessionAffinity.cookie with ttl null', () => SessionAffinity.cookie('ISTIOID', { ttl: null as any }), 'options.ttl'],
    ['SessionAffinity.cookie with an unknown option', () => SessionAffinity.cookie('ISTIOID', { ttll: '60s' } as any), 'options.ttll'],
    ['SessionAffinity.header(5)', () => SessionAffinity.header(5 as any), 'name'],
    ["HashAlgorithm.ringHash('5')", () => HashAlgorithm.ringHash('5' as any), 'minimumRingSize'],
    ['ServiceAccountRef.of with a Symbol', () => ServiceAccountRef.of('shop', Symbol('sa') as any), 'name'],
    ['ServiceRef.fromName with an unknown option', () => ServiceRef.fromName('a', { namespace: 'shop', portz: [] } as any), 'portz'],
    ['ServiceRef.fromName with a fractional port', () => ServiceRef.fromName('a', { namespace: 'shop', ports: [{ port: 80.5 }] }), 'ports[0].port'],
    ['IngressGateway.fromSelector with a cyclic selector', () => { const s: any = { istio: 'x' }; s.s = s; return IngressGateway.fromSelector(s, { namespace: 'n' }); }, 'selector.s'],
    ['IngressGateway.fromSelector with a numeric label', () => IngressGateway.fromSelector({ istio: 5 } as any, { namespace: 'n' }), 'selector.istio'],
    ['Duration.parse(null)', () => Duration.parse(null as any), 'text'],
    ["Duration.seconds('5')", () => Duration.seconds('5' as any), 'amount'],
  ])('%s', (_title, fn, expectedPath) => {
    expectRefused(fn, expectedPath);
  });
});

describe('show() renders any value safely and briefly', () => {
  const output = { toJSON: () => { throw new Error('toJSON must not be called'); } };
  const hostile: unknown[] = [
    'x'.repeat(100_000), Symbol('s'), 10n ** 100n, () => 1, null, undefined, NaN, Object.create(null), output,
    new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); }, getPrototypeOf: () => { throw new Error('trap'); } }),
    Object.defineProperty({}, 'a', { get: () => { throw new Error('getter'); }, enumerable: true }),
    (() => { const a: any = [1]; a.push(a); return a; })(),
    { toString: () => { throw new Error('toString'); } },
    new (class Secret { public readonly x = 1; })(),
  ];
  test.each(hostile.map((v, i) => [i, v]))('value %d', (_i, value) => {
    let text = '';
    expect(() => { text = show(value); }).not.toThrow();
    expect(text.length).toBeLessThanOrEqual(63);
  });
  test('a class instance is named, not serialized', () => {
    expect(show(new (class Secret { public readonly token = 'abc'; })())).toBe('a Secret');
  });
});

describe('property: junk anywhere in the props gives IstioConstructError, never another exception', () => {
  const junk = fc.anything({
    withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
    withObjectString: true, withSparseArray: true, withTypedArray: true, maxDepth: 3,
  });
  const exotic = fc.constantFrom<unknown>(
    Symbol('s'), () => 1, new Proxy({}, {}), Object.create(null), 'x'.repeat(70_000), -0, NaN, Infinity, 2 ** 31, 0.5, -1, '', 'STRICT', [],
  );
  const value = fc.oneof(junk, exotic);

  /** Replaces the value at a random path of the props (or adds a key) with junk. */
  function mutate(props: any, pathChoice: number[], junkValue: unknown): unknown {
    const root = structuredCloneKeepingClasses(props);
    let node = root;
    for (const choice of pathChoice) {
      const keys = node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype || Array.isArray(node) ? Object.keys(node) : [];
      if (keys.length === 0) break;
      const key = keys[choice % keys.length];
      const child = node[key];
      if (child === null || typeof child !== 'object' || !(Array.isArray(child) || Object.getPrototypeOf(child) === Object.prototype) || choice % 3 === 0) {
        node[key] = junkValue;
        return root;
      }
      node = child;
    }
    if (node !== null && typeof node === 'object') node[pathChoice.length % 2 ? 'extra' : Object.keys(node)[0] ?? 'extra'] = junkValue;
    return root;
  }

  for (const [name, { build, base }] of Object.entries(BUILDERS)) {
    test(name, () => {
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 6 }), value, fc.boolean(), (choices, junkValue, whole) => {
        const props = whole ? junkValue : mutate(base(), choices, junkValue);
        try {
          build(props);
        } catch (e) {
          if (!(e instanceof IstioConstructError)) throw e;
          expect(e.message.length).toBeLessThan(600);
        }
      }), { numRuns: 300 });
    });
  }
});

/** A deep copy of plain objects and arrays; class instances (ServiceRef, ...) are shared. */
function structuredCloneKeepingClasses(value: any): any {
  if (Array.isArray(value)) return value.map(structuredCloneKeepingClasses);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCloneKeepingClasses(v)]));
  }
  return value;
}

test('src/generated/props-schemas.json is what npm run props-schemas generates from the props interfaces', () => {
  const root = path.resolve(__dirname, '..');
  const out = execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'tsconfig.dev.json', '--transpile-only', 'scripts/props-schemas.ts', '--check'],
    { cwd: root, encoding: 'utf8' });
  expect(out).toMatch(/up to date/);
}, 120_000);
