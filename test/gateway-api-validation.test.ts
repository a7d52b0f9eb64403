/**
 * Admission of Kubernetes Gateway API objects (`gateway.networking.k8s.io`, the v1.6 bundle of
 * ../shared/istio/crds/gateway-api/, experimental channel): the schema of every served version
 * and the CRDs' CEL rules, as the API server checks them. Istio's own Gateway API samples must
 * pass; each refusal below is a rule of the CRD (its message is quoted).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest, validateManifest, validateManifestDetailed } from '../src';
import { isGatewayApiVersion } from '../src/core/validation';
import { isKubernetesIp } from '../src/core/validation/cel';
import * as schemas from '../src/generated/schemas.json';
import type {
  GRPCRouteSpec, GatewaySpec, HTTPRouteSpec, ReferenceGrantSpec, TCPRouteSpec, TLSRouteSpec,
} from '../src/generated/gateway-api-types';

const SAMPLES = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'samples');
const GROUP = 'gateway.networking.k8s.io';
const generated: { kinds: Record<string, { versions: string[]; storage: string; deprecated?: Record<string, string> }>; schemas: Record<string, unknown> } = (schemas as any).default ?? schemas;

/** The objects of one sample file, each placed in a namespace (as `kubectl apply -n` would). */
function sample(file: string, namespace = 'bookinfo'): Manifest[] {
  return parseAllDocuments(fs.readFileSync(path.join(SAMPLES, file), 'utf8')).map((d) => d.toJS()).filter(Boolean)
    .map((m: Manifest) => ({ ...m, metadata: { ...m.metadata, namespace } }));
}

const obj = (kind: string, spec: unknown, version = 'v1', name = 'x'): Manifest => ({
  apiVersion: `${GROUP}/${version}`, kind, metadata: { name, namespace: 'shop' }, spec,
} as Manifest);
const route = (spec: HTTPRouteSpec): Manifest => obj('HTTPRoute', spec);
const gateway = (spec: GatewaySpec): Manifest => obj('Gateway', spec);
/** The messages of the errors, with the fields they are reported at. */
const errors = (m: Manifest): string[] => validateManifest(m).map((i) => `${i.field}: ${i.message}`);
const backend = { name: 'web', port: 8080 };

describe("Istio's Gateway API samples are admitted", () => {
  const files = [
    ...fs.readdirSync(path.join(SAMPLES, 'bookinfo', 'gateway-api')).map((f) => `bookinfo/gateway-api/${f}`),
    ...fs.readdirSync(path.join(SAMPLES, 'tcp-echo', 'gateway-api')).map((f) => `tcp-echo/gateway-api/${f}`),
  ].filter((f) => f.endsWith('.yaml')).sort();

  test('the sample files are there', () => {
    expect(files).toEqual(expect.arrayContaining(['bookinfo/gateway-api/bookinfo-gateway.yaml', 'bookinfo/gateway-api/route-all-v1.yaml', 'tcp-echo/gateway-api/tcp-echo-20-v2.yaml']));
  });

  test.each(files)('%s', (file) => {
    for (const m of sample(file)) {
      const { errors: e, warnings } = validateManifestDetailed(m);
      expect(e).toEqual([]);
      // Only the deprecated v1alpha2 TCPRoute of the tcp-echo samples is admitted with a warning.
      expect(warnings.map((w) => w.message)).toEqual(m.apiVersion === `${GROUP}/v1alpha2` ? [`${GROUP}/v1alpha2 ${m.kind} is deprecated`] : []);
    }
  });
});

describe('served versions', () => {
  test('every served version of every Gateway API kind Istio reads is known, as the CRDs list them', () => {
    const versions = Object.fromEntries(Object.entries(generated.kinds).filter(([k]) => k.startsWith(`${GROUP}/`)).map(([k, v]) => [k.slice(GROUP.length + 1), v.versions]));
    expect(versions).toEqual({
      BackendTLSPolicy: ['v1', 'v1alpha3'],
      Gateway: ['v1', 'v1beta1'],
      GatewayClass: ['v1', 'v1beta1'],
      GRPCRoute: ['v1'],
      HTTPRoute: ['v1', 'v1beta1'],
      ListenerSet: ['v1'],
      ReferenceGrant: ['v1', 'v1beta1'],
      TCPRoute: ['v1', 'v1alpha2'],
      TLSRoute: ['v1', 'v1alpha2', 'v1alpha3'],
      UDPRoute: ['v1', 'v1alpha2'],
    });
  });

  test('a schema served under several versions is stored once (the later versions name the first)', () => {
    expect(generated.schemas[`${GROUP}/v1beta1/HTTPRoute`]).toBe(`${GROUP}/v1/HTTPRoute`);
    expect(generated.schemas[`${GROUP}/v1beta1/Gateway`]).toBe(`${GROUP}/v1/Gateway`);
    expect(typeof generated.schemas[`${GROUP}/v1/HTTPRoute`]).toBe('object');
  });

  test('no upstream description is stored', () => {
    const text = JSON.stringify(generated.schemas[`${GROUP}/v1/HTTPRoute`]);
    expect(text).not.toContain('"description"');
  });

  test('an apiVersion the CRD does not serve is refused, naming the served ones', () => {
    expect(errors(obj('HTTPRoute', { parentRefs: [{ name: 'gw' }] }, 'v1alpha2'))).toEqual([
      `/apiVersion: HTTPRoute is not served as ${GROUP}/v1alpha2: the served versions are ${GROUP}/v1, ${GROUP}/v1beta1`,
    ]);
  });

  test('a deprecated served version is admitted with a warning', () => {
    const r = validateManifestDetailed(obj('TLSRoute', { hostnames: ['db.example.com'], parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [backend] }] }, 'v1alpha3'));
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([`${GROUP}/v1alpha3 TLSRoute is deprecated`]);
  });

  test('isGatewayApiVersion', () => {
    expect(isGatewayApiVersion(`${GROUP}/v1`)).toBe(true);
    expect(isGatewayApiVersion(`${GROUP}/v1alpha2`)).toBe(true);
    expect(isGatewayApiVersion('gateway.networking.x-k8s.io/v1alpha1')).toBe(false);
    expect(isGatewayApiVersion('networking.istio.io/v1')).toBe(false);
    expect(isGatewayApiVersion(undefined as unknown as string)).toBe(false);
  });
});

describe('schema', () => {
  test('an unknown (misspelled) field is refused, with its path', () => {
    expect(errors(route({ parentRefs: [{ name: 'gw' }], rules: [{ backendRef: [backend] } as any] }))).toEqual([
      '/spec/rules/0: must NOT have additional properties (backendRef)',
    ]);
  });

  test('a wrong type, a value out of range and a value off its pattern are refused', () => {
    expect(errors(route({ rules: [{ backendRefs: [{ name: 'web', port: '8080' as any }] }] }))).toContainEqual(expect.stringContaining('/spec/rules/0/backendRefs/0/port: must be integer'));
    expect(errors(route({ rules: [{ backendRefs: [{ name: 'web', port: 70000 }] }] }))).toContainEqual(expect.stringContaining('/spec/rules/0/backendRefs/0/port: must be <= 65535'));
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'h', port: 80, protocol: 'HTTP/1.1' }] }))).toContainEqual(expect.stringContaining('/spec/listeners/0/protocol: must match pattern'));
  });

  test('a required field missing is refused', () => {
    expect(errors(gateway({ listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }] } as GatewaySpec))).toEqual(["/spec: must have required property 'gatewayClassName'"]);
  });

  test('an invalid hostname is refused', () => {
    expect(errors(route({ hostnames: ['Shop.Example.com'] }))).toContainEqual(expect.stringContaining('/spec/hostnames/0: must match pattern'));
  });
});

describe('CEL rules of the CRDs', () => {
  const match = (type: 'Exact' | 'PathPrefix' | 'RegularExpression', value: string) => ({ path: { type, value } });

  test("HTTPRoute: an Exact or PathPrefix path must start with '/'", () => {
    expect(errors(route({ rules: [{ matches: [match('PathPrefix', 'api')], backendRefs: [backend] }] }))).toEqual([
      "/spec/rules/0/matches/0/path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    ]);
    expect(errors(route({ rules: [{ matches: [match('RegularExpression', 'api.*')], backendRefs: [backend] }] }))).toEqual([]);
  });

  test('HTTPRoute: a RequestRedirect filter is not allowed together with backendRefs', () => {
    const redirect = { type: 'RequestRedirect' as const, requestRedirect: { scheme: 'https' as const, statusCode: 301 as const } };
    expect(errors(route({ rules: [{ filters: [redirect], backendRefs: [backend] }] }))).toEqual([
      '/spec/rules/0: RequestRedirect filter must not be used together with backendRefs',
    ]);
    expect(errors(route({ rules: [{ filters: [redirect] }] }))).toEqual([]);
  });

  test('HTTPRoute: a URLRewrite replacePrefixMatch needs exactly one PathPrefix match', () => {
    const rewrite = { type: 'URLRewrite' as const, urlRewrite: { path: { type: 'ReplacePrefixMatch' as const, replacePrefixMatch: '/v2' } } };
    expect(errors(route({ rules: [{ matches: [match('Exact', '/v1')], filters: [rewrite], backendRefs: [backend] }] }))).toEqual([
      '/spec/rules/0: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
    ]);
    expect(errors(route({ rules: [{ matches: [match('PathPrefix', '/v1')], filters: [rewrite], backendRefs: [backend] }] }))).toEqual([]);
    // No match at all: the default match (PathPrefix /) is applied first, as the API server does.
    expect(errors(route({ rules: [{ filters: [rewrite], backendRefs: [backend] }] }))).toEqual([]);
  });

  test('HTTPRoute: a filter type needs its own field, and only that one', () => {
    expect(errors(route({ rules: [{ filters: [{ type: 'RequestHeaderModifier' }], backendRefs: [backend] }] }))).toEqual([
      '/spec/rules/0/filters/0: filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
    ]);
  });

  test('HTTPRoute: a backendRef to a Service needs a port', () => {
    expect(errors(route({ rules: [{ backendRefs: [{ name: 'web' }] }] }))).toEqual(['/spec/rules/0/backendRefs/0: Must have port for Service reference']);
    // Not for another kind.
    expect(errors(route({ rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com' }] }] }))).toEqual([]);
  });

  test('HTTPRoute: a request mirror takes a percent or a fraction, not both, and the fraction is at most 1', () => {
    const mirror = (requestMirror: object) => route({ rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 }, ...requestMirror } }], backendRefs: [backend] }] });
    expect(errors(mirror({ percent: 10, fraction: { numerator: 1, denominator: 10 } }))).toEqual([
      '/spec/rules/0/filters/0/requestMirror: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
    ]);
    expect(errors(mirror({ fraction: { numerator: 20, denominator: 10 } }))).toEqual(['/spec/rules/0/filters/0/requestMirror/fraction: numerator must be less than or equal to denominator']);
    expect(errors(mirror({ fraction: { numerator: 1 } }))).toEqual([]);
    expect(errors(mirror({ percent: 25 }))).toEqual([]);
  });

  test('HTTPRoute: the backend request timeout cannot exceed the request timeout (durations compared)', () => {
    expect(errors(route({ rules: [{ timeouts: { request: '10s', backendRequest: '1m' }, backendRefs: [backend] }] }))).toEqual([
      '/spec/rules/0/timeouts: backendRequest timeout cannot be longer than request timeout',
    ]);
    expect(errors(route({ rules: [{ timeouts: { request: '1m', backendRequest: '10s' }, backendRefs: [backend] }] }))).toEqual([]);
    expect(errors(route({ rules: [{ timeouts: { request: '0s', backendRequest: '10s' }, backendRefs: [backend] }] }))).toEqual([]);
  });

  test('HTTPRoute: two parentRefs to one parent need distinct sectionNames or ports', () => {
    expect(errors(route({ parentRefs: [{ name: 'gw' }, { name: 'gw', sectionName: 'https' }] }))).toEqual([
      '/spec/parentRefs: sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
    ]);
    expect(errors(route({ parentRefs: [{ name: 'gw' }, { name: 'gw' }] }))).toEqual([
      '/spec/parentRefs: sectionName or port must be unique when parentRefs includes 2 or more references to the same parent',
    ]);
    expect(errors(route({ parentRefs: [{ name: 'gw', sectionName: 'http' }, { name: 'gw', sectionName: 'https' }] }))).toEqual([]);
  });

  test('HTTPRoute: rule names are unique', () => {
    expect(errors(route({ rules: [{ name: 'a', backendRefs: [backend] }, { name: 'a', backendRefs: [backend] }] }))).toEqual(['/spec/rules: Rule name must be unique within the route']);
  });

  test('Gateway: a TCP (or UDP) listener takes no hostname', () => {
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'tcp', port: 9000, protocol: 'TCP', hostname: 'db.example.com' }] }))).toEqual([
      "/spec/listeners: hostname must not be specified for protocols ['TCP', 'UDP']",
    ]);
  });

  test('Gateway: an HTTPS listener terminating TLS needs certificateRefs', () => {
    // The rule reads the absent certificateRefs: the API server refuses with an evaluation error ("no such key").
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate' } }] }))).toEqual([
      expect.stringMatching(/^\/spec\/listeners\/0\/tls: certificateRefs or options must be specified when mode is Terminate \(the rule could not be evaluated: .*certificateRefs/),
    ]);
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [] } }] }))).toEqual([
      expect.stringMatching(/^\/spec\/listeners\/0\/tls: certificateRefs or options must be specified when mode is Terminate/),
    ]);
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [], options: {} } }] }))).toEqual([
      '/spec/listeners/0/tls: certificateRefs or options must be specified when mode is Terminate',
    ]);
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } }] }))).toEqual([]);
  });

  test('Gateway: an HTTPS listener only terminates; a TLS listener needs a mode; HTTP takes no tls', () => {
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Passthrough' } }] }))).toEqual([
      '/spec/listeners: tls mode must be Terminate for protocol HTTPS',
    ]);
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'tls', port: 443, protocol: 'TLS' }] }))).toEqual(['/spec/listeners: tls mode must be set for protocol TLS']);
    expect(errors(gateway({ gatewayClassName: 'istio', listeners: [{ name: 'h', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'c' }] } }] }))).toEqual([
      "/spec/listeners: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    ]);
  });

  test('Gateway: listener names are unique, and so is each port/protocol/hostname', () => {
    expect(errors(gateway({
      gatewayClassName: 'istio',
      listeners: [{ name: 'h', port: 80, protocol: 'HTTP' }, { name: 'h', port: 8080, protocol: 'HTTP' }],
    }))).toEqual(['/spec/listeners: Listener name must be unique within the Gateway', '/spec/listeners/1: Duplicate value: {"name":"h"}']);
    expect(errors(gateway({
      gatewayClassName: 'istio',
      listeners: [{ name: 'a', port: 80, protocol: 'HTTP', hostname: 'a.example.com' }, { name: 'b', port: 80, protocol: 'HTTP', hostname: 'a.example.com' }],
    }))).toEqual(['/spec/listeners: Combination of port, protocol and hostname must be unique for each listener']);
  });

  test('TLSRoute: a hostname cannot be an IP (the Kubernetes isIP function)', () => {
    const tls = (hostnames: string[]) => obj('TLSRoute', { hostnames, parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [backend] }] } satisfies TLSRouteSpec);
    expect(errors(tls(['10.0.0.1']))).toEqual(['/spec/hostnames: Hostnames cannot contain an IP']);
    expect(errors(tls(['db.example.com', '*.example.com']))).toEqual([]);
  });

  test('GRPCRoute: a method match names a service or a method, each a valid gRPC name', () => {
    const grpc = (method: object) => obj('GRPCRoute', { rules: [{ matches: [{ method }], backendRefs: [backend] }] } as GRPCRouteSpec);
    expect(errors(grpc({ type: 'Exact' }))).toEqual(["/spec/rules/0/matches/0/method: One or both of 'service' or 'method' must be specified"]);
    expect(errors(grpc({ service: 'shop.v1.Cart', method: 'Add' }))).toEqual([]);
    // RE2's inline (?i) flag in the CRD's pattern: an upper-case service name is valid.
    expect(errors(grpc({ service: 'Shop.V1.Cart' }))).toEqual([]);
    expect(errors(grpc({ service: 'shop/Cart' }))).toEqual([expect.stringContaining('service must only contain valid characters')]);
  });

  test('ListenerSet, BackendTLSPolicy: their rules apply too', () => {
    expect(errors(obj('ListenerSet', { parentRef: { name: 'gw' }, listeners: [{ name: 'tcp', port: 9000, protocol: 'TCP', hostname: 'x.example.com' }] }))).toEqual([
      "/spec/listeners: hostname must not be specified for protocols ['TCP', 'UDP']",
    ]);
    expect(errors(obj('BackendTLSPolicy', { targetRefs: [{ group: '', kind: 'Service', name: 'web' }], validation: { hostname: 'web.example.com' } }))).toEqual([
      '/spec/validation: must specify either CACertificateRefs or WellKnownCACertificates',
    ]);
  });
});

describe('objects using most fields are admitted (every rule on them evaluates)', () => {
  test.each<[string, Manifest]>([
    ['GatewayClass', { apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: 'istio.io/gateway-controller' } } as Manifest],
    ['Gateway', gateway({
      gatewayClassName: 'istio',
      addresses: [{ type: 'IPAddress', value: '10.0.0.10' }, { type: 'Hostname', value: 'lb.example.com' }],
      infrastructure: { labels: { team: 'shop' }, annotations: { 'example.com/owner': 'shop' }, parametersRef: { group: '', kind: 'ConfigMap', name: 'gw-options' } },
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } } } },
        { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-cert', namespace: 'certs' }] } },
        { name: 'tls', port: 8443, protocol: 'TLS', hostname: 'db.example.com', tls: { mode: 'Passthrough' }, allowedRoutes: { kinds: [{ kind: 'TLSRoute' }] } },
        { name: 'tcp', port: 9000, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ group: GROUP, kind: 'TCPRoute' }] } },
      ],
    })],
    ['HTTPRoute', route({
      parentRefs: [{ name: 'gw', sectionName: 'http' }, { name: 'gw', sectionName: 'https' }, { group: '', kind: 'Service', name: 'shop', port: 8080 }],
      hostnames: ['shop.example.com', '*.shop.example.com'],
      rules: [
        {
          name: 'api',
          // One PathPrefix match only: the URLRewrite below replaces the prefix.
          matches: [
            { path: { type: 'PathPrefix', value: '/api' }, method: 'GET', headers: [{ name: 'x-canary', value: 'true' }], queryParams: [{ type: 'RegularExpression', name: 'v', value: '^2' }] },
          ],
          filters: [
            { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: 'api' }], add: [{ name: 'x-a', value: '1' }], remove: ['x-debug'] } },
            { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'cache-control', value: 'no-store' }] } },
            { type: 'URLRewrite', urlRewrite: { hostname: 'api.internal', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
            { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 }, fraction: { numerator: 5, denominator: 100 } } },
            { type: 'CORS', cors: { allowOrigins: ['https://shop.example.com'], allowMethods: ['GET', 'POST'], allowCredentials: true, maxAge: 600 } },
          ],
          backendRefs: [
            { name: 'api-v1', port: 8080, weight: 90 },
            { name: 'api-v2', namespace: 'next', port: 8080, weight: 10, filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-v', value: '2' }] } }] },
          ],
          timeouts: { request: '10s', backendRequest: '2s' },
          retry: { attempts: 3, backoff: '100ms', codes: [503, 504] },
          sessionPersistence: { type: 'Cookie', sessionName: 'shop', absoluteTimeout: '1h', cookieConfig: { lifetimeType: 'Permanent' } },
        },
        { matches: [{ path: { type: 'Exact', value: '/api/health' } }, { path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: 'new.example.com', path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 301 } }] },
      ],
    })],
    ['GRPCRoute', obj('GRPCRoute', {
      parentRefs: [{ name: 'gw' }], hostnames: ['grpc.example.com'],
      rules: [{ matches: [{ method: { type: 'Exact', service: 'shop.v1.Cart', method: 'Add' }, headers: [{ name: 'x-tenant', value: 'a' }] }], backendRefs: [{ name: 'cart', port: 9090, weight: 1 }] }],
    } satisfies GRPCRouteSpec)],
    ['TCPRoute', obj('TCPRoute', { parentRefs: [{ name: 'gw', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'db', port: 5432, weight: 3 }, { name: 'db-b', port: 5432, weight: 1 }] }] } satisfies TCPRouteSpec)],
    ['TLSRoute', obj('TLSRoute', { parentRefs: [{ name: 'gw', sectionName: 'tls' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } satisfies TLSRouteSpec)],
    ['UDPRoute', obj('UDPRoute', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] })],
    ['ReferenceGrant', obj('ReferenceGrant', {
      from: [{ group: GROUP, kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }, { group: '', kind: 'Service', name: 'api-v2' }],
    } satisfies ReferenceGrantSpec)],
    ['ListenerSet', obj('ListenerSet', { parentRef: { name: 'gw' }, listeners: [{ name: 'extra', port: 8081, protocol: 'HTTP', hostname: 'extra.example.com' }] })],
    ['BackendTLSPolicy', obj('BackendTLSPolicy', {
      targetRefs: [{ group: '', kind: 'Service', name: 'api-v1', sectionName: 'https' }],
      validation: { hostname: 'api.internal', wellKnownCACertificates: 'System', subjectAltNames: [{ type: 'Hostname', hostname: 'api.internal' }] },
    })],
  ])('%s', (_kind, m) => {
    expect(validateManifestDetailed(m)).toEqual({ errors: [], warnings: [] });
  });
});

describe('isIP (Kubernetes CEL IP library, Go netip.ParseAddr semantics)', () => {
  test.each([
    ['10.0.0.1', true], ['255.255.255.255', true], ['0.0.0.0', true],
    ['256.0.0.1', false], ['01.2.3.4', false], ['1.2.3', false], ['1.2.3.4.5', false],
    ['::1', true], ['::', true], ['2001:db8::8a2e:370:7334', true], ['2001:0db8:0000:0000:0000:ff00:0042:8329', true],
    ['1:2:3:4:5:6:7::', true], ['64:ff9b::1.2.3.4', true], ['1:2:3:4:5:6:1.2.3.4', true],
    ['::ffff:1.2.3.4', false], ['::ffff:102:304', false], // IPv4-mapped IPv6 is refused
    ['fe80::1%eth0', false], // zones are refused
    ['1::2::3', false], ['12345::', false], ['1:2:3:4:5:6:7:8:9', false], [':1::', false], ['db.example.com', false], ['', false],
  ])('%s → %s', (text, expected) => {
    expect(isKubernetesIp(text)).toBe(expected);
  });
});
