/**
 * The library's Gateway API analyzers (library.GatewayApiParentAnalyzer,
 * library.GatewayApiBackendAnalyzer): route attachment to listeners (ICA0007), hostnames
 * (ICA0008), ReferenceGrants (ICA0009), and parents, backends and ports that do not exist
 * (IST0101). Each rule follows Istio's pilot/pkg/config/kube/gateway (conversion.go
 * `referenceAllowed`, `buildDestination`; gatewaycommon `GenerateGatewaySupportedKinds`,
 * references.go `BackendAllowed`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisOptions, Diagnostic, analyze, parseManifests } from '../src/analysis';
import { hostnamesIntersect, namespaceSelected } from '../src/analysis/gateway-api';
import { Manifest } from '../src/core/manifest';
import { CORPUS, cases } from './analysis/corpus';

const GROUP = 'gateway.networking.k8s.io';
const SAMPLES = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'samples');
const ANALYZERS = ['library.GatewayApiParentAnalyzer', 'library.GatewayApiBackendAnalyzer'];

const gateway = (name: string, ns: string, listeners: any[], gatewayClassName = 'istio'): Manifest => ({
  apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName, listeners },
});
const route = (kind: string, name: string, ns: string, spec: any): Manifest => ({ apiVersion: `${GROUP}/v1`, kind, metadata: { name, namespace: ns }, spec });
const service = (name: string, ns: string, ports: number[] = [8080]): Manifest => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: ports.map((port) => ({ name: `http-${port}`, port })) },
});
const namespace = (name: string, labels: Record<string, string> = {}): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const grant = (ns: string, from: any[], to: any[]): Manifest => ({ apiVersion: `${GROUP}/v1`, kind: 'ReferenceGrant', metadata: { name: 'allow', namespace: ns }, spec: { from, to } });

const http = (name: string, port = 80, extra: object = {}) => ({ name, port, protocol: 'HTTP', ...extra });
const web = service('web', 'shop');

function run(manifests: Manifest[], options: AnalysisOptions = {}): Diagnostic[] {
  return analyze(manifests, { analyzers: ANALYZERS, ...options });
}
/** `CODE Kind ns/name path` per diagnostic. */
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.resource} ${d.path ?? ''}`.trim());
/** An HTTPRoute in `shop` to Service shop/web:8080 under the given parentRefs and hostnames. */
const httpRoute = (parentRefs: any[], hostnames?: string[], ns = 'shop') => route('HTTPRoute', 'r', ns, { parentRefs, ...(hostnames ? { hostnames } : {}), rules: [{ backendRefs: [{ name: 'web', namespace: 'shop', port: 8080 }] }] });

describe("Istio's samples raise nothing", () => {
  const read = (...files: string[]) => files.flatMap((f) => parseManifests(fs.readFileSync(path.join(SAMPLES, f), 'utf8'), f)).map((i) => i.manifest);

  test('bookinfo: the gateway-api Gateway and HTTPRoute, the GAMMA routes to the version Services', () => {
    const program = read('bookinfo/platform/kube/bookinfo.yaml', 'bookinfo/platform/kube/bookinfo-versions.yaml', 'bookinfo/gateway-api/bookinfo-gateway.yaml', 'bookinfo/gateway-api/route-all-v1.yaml');
    expect(run(program)).toEqual([]);
    for (const f of ['route-reviews-90-10.yaml', 'route-reviews-50-v3.yaml', 'route-reviews-v3.yaml']) {
      expect(run([...read('bookinfo/platform/kube/bookinfo.yaml', 'bookinfo/platform/kube/bookinfo-versions.yaml'), ...read(`bookinfo/gateway-api/${f}`)])).toEqual([]);
    }
  });

  test('tcp-echo: a TCP listener that allows TCPRoutes only, a TCPRoute by sectionName', () => {
    expect(run(read('tcp-echo/tcp-echo-services.yaml', 'tcp-echo/gateway-api/tcp-echo-all-v1.yaml'))).toEqual([]);
    expect(run(read('tcp-echo/tcp-echo-services.yaml', 'tcp-echo/gateway-api/tcp-echo-all-v1.yaml', 'tcp-echo/gateway-api/tcp-echo-20-v2.yaml'))).toEqual([]);
  });

  test('the GAMMA routes without the Services they name: each parent and backend is not found (IST0101)', () => {
    const ds = run(read('bookinfo/gateway-api/route-reviews-90-10.yaml'));
    expect(brief(ds)).toEqual([
      'IST0101 HTTPRoute default/reviews spec.parentRefs[0]',
      'IST0101 HTTPRoute default/reviews spec.rules[0].backendRefs[0]',
      'IST0101 HTTPRoute default/reviews spec.rules[0].backendRefs[1]',
    ]);
    expect(ds[1].message).toContain('Service default/reviews-v1');
    // ...and nothing once they are known to exist elsewhere.
    expect(run(read('bookinfo/gateway-api/route-reviews-90-10.yaml'), { external: [service('reviews', 'default', [9080]), service('reviews-v1', 'default', [9080]), service('reviews-v2', 'default', [9080])] })).toEqual([]);
  });

  test("no input of Istio's analyzer corpus gets a spurious diagnostic", () => {
    const found: string[] = [];
    for (const c of cases()) {
      if (!c.inputFiles) continue;
      const inputs = c.inputFiles.flatMap((f) => parseManifests(fs.readFileSync(path.join(CORPUS, f), 'utf8'), f));
      for (const d of run(inputs.map((i) => i.manifest), { defaultNamespace: '' })) found.push(`#${c.index} ${d.code} ${d.resource} ${d.path}`);
    }
    // The condition-analyzer input's routes name a parent `negative-condition-svc` without a kind,
    // i.e. a Gateway, and declare only a Service of that name: those routes really attach nowhere.
    expect(found).toEqual([
      '#98 IST0101 GRPCRoute default/negative-condition-grpcroute spec.parentRefs[0]',
      '#98 IST0101 HTTPRoute default/negative-condition-httproute spec.parentRefs[0]',
    ]);
  });
});

describe('parentRefs to a Gateway: the listener must exist (ICA0007)', () => {
  const gw = gateway('edge', 'shop', [http('http', 80), http('alt', 8080)]);

  test('a sectionName that names no listener', () => {
    const ds = run([gw, web, httpRoute([{ name: 'edge', sectionName: 'https' }])]);
    expect(brief(ds)).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(ds[0].level).toBe('Error');
    expect(ds[0].message).toContain('sectionName "https" of Gateway shop/edge, but it has no such listener (its listeners: http (HTTP 80) and alt (HTTP 8080))');
  });

  test('a port no listener has, or a sectionName and port of two different listeners', () => {
    expect(brief(run([gw, web, httpRoute([{ name: 'edge', port: 443 }])]))).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(brief(run([gw, web, httpRoute([{ name: 'edge', sectionName: 'http', port: 8080 }])]))).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
  });

  test('a sectionName, a port, both, or neither that select a listener', () => {
    for (const ref of [{ name: 'edge' }, { name: 'edge', sectionName: 'alt' }, { name: 'edge', port: 8080 }, { name: 'edge', sectionName: 'http', port: 80 }]) {
      expect(run([gw, web, httpRoute([ref])])).toEqual([]);
    }
  });

  test('a Gateway that does not exist is not found (IST0101), unless it is external', () => {
    const ds = run([web, httpRoute([{ name: 'edge', namespace: 'ingress' }])]);
    expect(brief(ds)).toEqual(['IST0101 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(ds[0].message).toContain('Gateway ingress/edge');
    expect(run([web, httpRoute([{ name: 'edge', namespace: 'ingress' }])], { external: [gateway('edge', 'ingress', [http('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } })])] })).toEqual([]);
  });

  test('an external Gateway known by name only (no listeners) is not checked further', () => {
    const byName: Manifest = { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'edge', namespace: 'ingress' }, spec: { gatewayClassName: 'istio' } };
    expect(run([web, httpRoute([{ name: 'edge', namespace: 'ingress', sectionName: 'https' }], ['shop.example.com'])], { external: [byName] })).toEqual([]);
  });

  test('a route with no parentRefs attaches to nothing (Warning)', () => {
    const ds = run([web, route('HTTPRoute', 'r', 'shop', { rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] })]);
    expect(brief(ds)).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs']);
    expect(ds[0].level).toBe('Warning');
  });

  test('waypoint and east-west Gateways are not checked', () => {
    const waypoint = gateway('waypoint', 'shop', [{ name: 'mesh', port: 15008, protocol: 'HBONE' }], 'istio-waypoint');
    expect(run([waypoint, web, httpRoute([{ name: 'waypoint', sectionName: 'nothing' }])])).toEqual([]);
  });
});

describe('allowedRoutes: namespaces (ICA0007)', () => {
  const listener = (namespaces?: object) => http('http', 80, namespaces ? { allowedRoutes: { namespaces } } : {});
  const ingress = (namespaces?: object) => gateway('edge', 'ingress', [listener(namespaces)]);
  const fromShop = httpRoute([{ name: 'edge', namespace: 'ingress' }]);

  test('From Same (the default) refuses a route of another namespace, and takes one of its own', () => {
    const ds = run([ingress(), web, fromShop]);
    expect(brief(ds)).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(ds[0].message).toContain('it admits routes from its own namespace ingress only (allowedRoutes.namespaces.from: Same, the default)');
    expect(run([ingress({ from: 'Same' }), service('web', 'ingress'), route('HTTPRoute', 'r', 'ingress', { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] })])).toEqual([]);
  });

  test('From All takes every namespace; From None takes none', () => {
    expect(run([ingress({ from: 'All' }), web, fromShop])).toEqual([]);
    expect(brief(run([ingress({ from: 'None' }), web, fromShop]))).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
  });

  test('From Selector: decided on the Namespace labels the program declares', () => {
    const selector = { from: 'Selector', selector: { matchLabels: { 'shared-gateway': 'true' } } };
    expect(run([ingress(selector), namespace('shop', { 'shared-gateway': 'true' }), web, fromShop])).toEqual([]);
    const ds = run([ingress(selector), namespace('shop', { team: 'shop' }), web, fromShop]);
    expect(brief(ds)).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(ds[0].message).toContain('namespace selector does not select namespace shop');
    // matchExpressions too.
    const expressions = { from: 'Selector', selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] } };
    expect(run([ingress(expressions), namespace('shop', { env: 'prod' }), web, fromShop])).toEqual([]);
    expect(brief(run([ingress(expressions), namespace('shop', { env: 'dev' }), web, fromShop]))).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
  });

  test('From Selector on a Namespace the program does not declare: only kubernetes.io/metadata.name is known', () => {
    const byLabel = { from: 'Selector', selector: { matchLabels: { 'shared-gateway': 'true' } } };
    expect(run([ingress(byLabel), web, fromShop])).toEqual([]);
    const byName = (name: string) => ({ from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(run([ingress(byName('shop')), web, fromShop])).toEqual([]);
    expect(brief(run([ingress(byName('other')), web, fromShop]))).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
  });

  test('namespaceSelected', () => {
    expect(namespaceSelected({ matchLabels: { a: '1' } }, 'n', { a: '1' })).toBe(true);
    expect(namespaceSelected({ matchLabels: { a: '1' } }, 'n', {})).toBe(false);
    expect(namespaceSelected({ matchLabels: { a: '1' } }, 'n', undefined)).toBeUndefined();
    expect(namespaceSelected({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, 'n', {})).toBe(true);
    expect(namespaceSelected({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'n', {})).toBe(false);
    expect(namespaceSelected({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, 'n', {})).toBe(true);
    expect(namespaceSelected({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['n'] }] }, 'n', undefined)).toBe(true);
    expect(namespaceSelected({}, 'n', undefined)).toBe(true);
  });
});

describe('allowedRoutes: kinds, and the protocol the listener carries (ICA0007)', () => {
  const tcpRoute = (parentRefs: any[]) => route('TCPRoute', 't', 'shop', { parentRefs, rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] });
  const tlsRoute = (parentRefs: any[]) => route('TLSRoute', 's', 'shop', { parentRefs, hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] });
  const grpcRoute = (parentRefs: any[]) => route('GRPCRoute', 'g', 'shop', { parentRefs, rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] });

  test('HTTPRoute and GRPCRoute go on HTTP/HTTPS listeners, TCPRoute on TCP, TLSRoute on TLS', () => {
    const gw = gateway('edge', 'shop', [
      http('http', 80), { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
      { name: 'tcp', port: 9000, protocol: 'TCP' }, { name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } },
    ]);
    expect(run([gw, web, httpRoute([{ name: 'edge', sectionName: 'http' }, { name: 'edge', sectionName: 'https' }]), grpcRoute([{ name: 'edge', sectionName: 'https' }]),
      tcpRoute([{ name: 'edge', sectionName: 'tcp' }]), tlsRoute([{ name: 'edge', sectionName: 'tls' }])])).toEqual([]);
    const ds = run([gw, web, tcpRoute([{ name: 'edge', sectionName: 'http' }]), httpRoute([{ name: 'edge', sectionName: 'tcp' }]), tlsRoute([{ name: 'edge', sectionName: 'https' }]), grpcRoute([{ name: 'edge', sectionName: 'tls' }])]);
    expect(brief(ds)).toEqual([
      'ICA0007 GRPCRoute shop/g spec.parentRefs[0]', 'ICA0007 HTTPRoute shop/r spec.parentRefs[0]',
      'ICA0007 TCPRoute shop/t spec.parentRefs[0]', 'ICA0007 TLSRoute shop/s spec.parentRefs[0]',
    ]);
    expect(ds.find((d) => d.kind === 'TCPRoute')!.message).toContain('listener http (HTTP 80): a HTTP listener carries HTTPRoute and GRPCRoute, not TCPRoute');
  });

  test('a TLS listener that terminates carries TCPRoute too (Istio)', () => {
    const gw = gateway('edge', 'shop', [{ name: 'tls', port: 8443, protocol: 'TLS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } }]);
    expect(run([gw, web, tcpRoute([{ name: 'edge' }])])).toEqual([]);
  });

  test('a route without sectionName attaches when one listener takes it', () => {
    const gw = gateway('edge', 'shop', [http('http', 80), { name: 'tcp', port: 9000, protocol: 'TCP' }]);
    expect(run([gw, web, tcpRoute([{ name: 'edge' }]), httpRoute([{ name: 'edge' }])])).toEqual([]);
  });

  test('allowedRoutes.kinds narrows what the protocol carries (an absent group is the Gateway API group)', () => {
    const gw = gateway('edge', 'shop', [http('http', 80, { allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }] } })]);
    expect(run([gw, web, grpcRoute([{ name: 'edge' }])])).toEqual([]);
    const ds = run([gw, web, httpRoute([{ name: 'edge' }])]);
    expect(brief(ds)).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(ds[0].message).toContain('its allowedRoutes.kinds take GRPCRoute, not HTTPRoute');
    // A kind in another group is not the route's.
    expect(brief(run([gateway('edge', 'shop', [http('http', 80, { allowedRoutes: { kinds: [{ group: 'example.com', kind: 'HTTPRoute' }] } })]), web, httpRoute([{ name: 'edge' }])])))
      .toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
  });
});

describe('hostnames must intersect the listener hostname (ICA0008)', () => {
  const gw = (hostname?: string) => gateway('edge', 'shop', [http('http', 80, hostname ? { hostname } : {})]);

  test('no intersection: the route does not attach', () => {
    const ds = run([gw('shop.example.com'), web, httpRoute([{ name: 'edge' }], ['blog.example.com'])]);
    expect(brief(ds)).toEqual(['ICA0008 HTTPRoute shop/r spec.hostnames']);
    expect(ds[0].level).toBe('Error');
    expect(ds[0].message).toContain('no hostname of the route (blog.example.com) matches its hostname shop.example.com');
  });

  test('a wildcard listener takes names of one or more labels under it, not the bare domain', () => {
    expect(run([gw('*.example.com'), web, httpRoute([{ name: 'edge' }], ['shop.example.com'])])).toEqual([]);
    expect(run([gw('*.example.com'), web, httpRoute([{ name: 'edge' }], ['a.b.example.com'])])).toEqual([]);
    expect(brief(run([gw('*.example.com'), web, httpRoute([{ name: 'edge' }], ['example.com'])]))).toEqual(['ICA0008 HTTPRoute shop/r spec.hostnames']);
  });

  test('one intersecting hostname is enough; no route hostname or no listener hostname takes every host', () => {
    expect(run([gw('shop.example.com'), web, httpRoute([{ name: 'edge' }], ['blog.example.com', 'shop.example.com'])])).toEqual([]);
    expect(run([gw('shop.example.com'), web, httpRoute([{ name: 'edge' }])])).toEqual([]);
    expect(run([gw(), web, httpRoute([{ name: 'edge' }], ['anything.example.org'])])).toEqual([]);
  });

  test('a TLSRoute hostname is checked the same way', () => {
    const tls = gateway('edge', 'shop', [{ name: 'tls', port: 443, protocol: 'TLS', hostname: 'db.example.com', tls: { mode: 'Passthrough' } }]);
    const tlsRoute = (hostnames: string[]) => route('TLSRoute', 's', 'shop', { parentRefs: [{ name: 'edge' }], hostnames, rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] });
    expect(run([tls, web, tlsRoute(['db.example.com'])])).toEqual([]);
    expect(brief(run([tls, web, tlsRoute(['cache.example.com'])]))).toEqual(['ICA0008 TLSRoute shop/s spec.hostnames']);
  });

  test('a listener that refuses for another reason too makes it ICA0007', () => {
    const two = gateway('edge', 'ingress', [http('a', 80, { hostname: 'a.example.com' }), http('b', 8080, { hostname: 'b.example.com' })]);
    const ds = run([two, web, httpRoute([{ name: 'edge', namespace: 'ingress' }], ['b.example.com'])]);
    expect(brief(ds)).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(ds[0].message).toContain('listener a (HTTP 80 a.example.com): no hostname of the route');
    expect(ds[0].message).toContain('listener b (HTTP 8080 b.example.com): it admits routes from its own namespace ingress only');
  });

  test.each([
    [undefined, 'x.example.com', true], ['a.example.com', 'a.example.com', true], ['a.example.com', 'b.example.com', false],
    ['*.example.com', 'a.example.com', true], ['*.example.com', 'a.b.example.com', true], ['*.example.com', 'example.com', false],
    ['a.example.com', '*.example.com', true], ['example.com', '*.example.com', false],
    ['*.example.com', '*.a.example.com', true], ['*.a.example.com', '*.example.com', true], ['*.example.com', '*.example.org', false],
    ['*.example.com', 'badexample.com', false],
  ])('listener %s, route %s → %s', (listener, host, expected) => {
    expect(hostnamesIntersect(listener, host)).toBe(expected);
  });
});

describe('ListenerSet parents', () => {
  test('a route attaches to a listener of the ListenerSet it names', () => {
    const gw = gateway('edge', 'ingress', [http('http', 80)]);
    const set: Manifest = { apiVersion: `${GROUP}/v1`, kind: 'ListenerSet', metadata: { name: 'shop-listeners', namespace: 'shop' }, spec: { parentRef: { name: 'edge', namespace: 'ingress' }, listeners: [http('shop', 8081, { hostname: 'shop.example.com' })] } };
    const ref = { group: GROUP, kind: 'ListenerSet', name: 'shop-listeners' };
    expect(run([gw, set, web, httpRoute([ref], ['shop.example.com'])])).toEqual([]);
    expect(brief(run([gw, set, web, httpRoute([{ ...ref, sectionName: 'nope' }])]))).toEqual(['ICA0007 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(brief(run([gw, web, httpRoute([ref])]))).toEqual(['IST0101 HTTPRoute shop/r spec.parentRefs[0]']);
  });
});

describe('parentRefs to a Service (GAMMA) or ServiceEntry', () => {
  const gamma = (parentRef: object, ns = 'shop') => route('HTTPRoute', 'r', ns, { parentRefs: [parentRef], rules: [{ backendRefs: [{ name: 'web', namespace: 'shop', port: 8080 }] }] });

  test('the Service must exist, with the port named', () => {
    expect(run([web, gamma({ group: '', kind: 'Service', name: 'web', port: 8080 })])).toEqual([]);
    expect(run([web, gamma({ group: '', kind: 'Service', name: 'web' })])).toEqual([]);
    const missing = run([web, gamma({ group: '', kind: 'Service', name: 'api', port: 8080 })]);
    expect(brief(missing)).toEqual(['IST0101 HTTPRoute shop/r spec.parentRefs[0]']);
    expect(missing[0].message).toContain('Service shop/api');
    const port = run([web, gamma({ group: '', kind: 'Service', name: 'web', port: 9080 })]);
    expect(brief(port)).toEqual(['IST0101 HTTPRoute shop/r spec.parentRefs[0].port']);
    expect(port[0].message).toContain('port 9080 of Service shop/web, which exposes 8080');
  });

  test('a Service in another namespace (a consumer route) is looked up there; Istio asks no ReferenceGrant for a mesh route', () => {
    expect(run([web, gamma({ group: '', kind: 'Service', name: 'web', namespace: 'shop', port: 8080 }, 'frontend')])).toEqual([]);
  });

  test('a ServiceEntry parent, by its port numbers', () => {
    const se: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'shop' }, spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] } };
    expect(run([se, web, gamma({ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api', port: 443 })])).toEqual([]);
    expect(brief(run([se, web, gamma({ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api', port: 80 })]))).toEqual(['IST0101 HTTPRoute shop/r spec.parentRefs[0].port']);
  });

  test('a parent of a kind Istio does not implement is left alone', () => {
    expect(run([web, gamma({ group: 'example.com', kind: 'Mesh', name: 'm' })])).toEqual([]);
  });
});

describe('backendRefs and mirrors: Services and ports that exist (IST0101)', () => {
  const gw = gateway('edge', 'shop', [http('http', 80)]);
  const withRule = (rule: object) => route('HTTPRoute', 'r', 'shop', { parentRefs: [{ name: 'edge' }], rules: [rule] });

  test('a backend Service not declared; a port the Service does not expose', () => {
    const ds = run([gw, web, withRule({ backendRefs: [{ name: 'api', port: 8080, weight: 10 }, { name: 'web', port: 9090, weight: 90 }] })]);
    expect(brief(ds)).toEqual(['IST0101 HTTPRoute shop/r spec.rules[0].backendRefs[0]', 'IST0101 HTTPRoute shop/r spec.rules[0].backendRefs[1].port']);
    expect(ds[0].message).toContain('Service shop/api, which neither the program nor options.external declares');
    expect(ds[1].message).toContain('port 9090 of Service shop/web, which exposes 8080');
  });

  test('a host name where the Service name goes', () => {
    const ds = run([gw, web, withRule({ backendRefs: [{ name: 'web.shop.svc.cluster.local', port: 8080 }] })]);
    expect(brief(ds)).toEqual(['IST0101 HTTPRoute shop/r spec.rules[0].backendRefs[0].name']);
    expect(ds[0].message).toContain("takes the Service's name, not a host name");
  });

  test('mirror backends, at the rule and at a backendRef, are checked too', () => {
    const mirror = (name: string) => ({ type: 'RequestMirror', requestMirror: { backendRef: { name, port: 8080 }, percent: 10 } });
    const ds = run([gw, web, withRule({ filters: [mirror('shadow')], backendRefs: [{ name: 'web', port: 8080, filters: [mirror('shadow2')] }] })]);
    expect(brief(ds)).toEqual([
      'IST0101 HTTPRoute shop/r spec.rules[0].backendRefs[0].filters[0].requestMirror.backendRef',
      'IST0101 HTTPRoute shop/r spec.rules[0].filters[0].requestMirror.backendRef',
    ]);
    expect(ds[0].message).toContain('so no request is mirrored to it');
    expect(run([gw, web, service('shadow', 'shop'), withRule({ filters: [mirror('shadow')], backendRefs: [{ name: 'web', port: 8080 }] })])).toEqual([]);
  });

  test('GRPCRoute, TCPRoute and TLSRoute backends', () => {
    const all = gateway('edge', 'shop', [http('http', 80), { name: 'tcp', port: 9000, protocol: 'TCP' }, { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]);
    const ds = run([all, web,
      route('GRPCRoute', 'g', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'cart', port: 9090 }] }] }),
      route('TCPRoute', 't', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'tcp' }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] }),
      route('TLSRoute', 's', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'tls' }], hostnames: ['db.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 443 }] }] }),
    ]);
    expect(brief(ds)).toEqual([
      'IST0101 GRPCRoute shop/g spec.rules[0].backendRefs[0]',
      'IST0101 TCPRoute shop/t spec.rules[0].backendRefs[0]',
      'IST0101 TLSRoute shop/s spec.rules[0].backendRefs[0].port',
    ]);
  });

  test('an Istio Hostname backend must be a host of the registry', () => {
    const se: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'shop' }, spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] } };
    const hostRef = (name: string) => withRule({ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name, port: 443 }] });
    expect(run([gw, se, hostRef('api.example.com')])).toEqual([]);
    expect(brief(run([gw, se, hostRef('pay.example.com')]))).toEqual(['IST0101 HTTPRoute shop/r spec.rules[0].backendRefs[0]']);
  });

  test('other backend kinds are not checked', () => {
    expect(run([gw, withRule({ backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool' }] })])).toEqual([]);
  });
});

describe('ReferenceGrant for cross-namespace references (ICA0009)', () => {
  const gw = gateway('edge', 'ingress', [http('http', 80, { allowedRoutes: { namespaces: { from: 'All' } } })]);
  const api = service('api', 'backend');
  const toApi = route('HTTPRoute', 'r', 'shop', { parentRefs: [{ name: 'edge', namespace: 'ingress' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 8080 }] }] });
  const fromShop = [{ group: GROUP, kind: 'HTTPRoute', namespace: 'shop' }];

  test('a backendRef to a Service of another namespace without a grant', () => {
    const ds = run([gw, api, toApi]);
    expect(brief(ds)).toEqual(['ICA0009 HTTPRoute shop/r spec.rules[0].backendRefs[0]']);
    expect(ds[0].level).toBe('Error');
    expect(ds[0].message).toContain('add a ReferenceGrant in namespace backend with from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop }]');
  });

  test('a grant for the route kind and namespace, to every Service or to this one, allows it', () => {
    expect(run([gw, api, toApi, grant('backend', fromShop, [{ group: '', kind: 'Service' }])])).toEqual([]);
    expect(run([gw, api, toApi, grant('backend', fromShop, [{ group: '', kind: 'Service', name: 'api' }])])).toEqual([]);
    // An external grant counts too.
    expect(run([gw, api, toApi], { external: [grant('backend', fromShop, [{ group: '', kind: 'Service' }])] })).toEqual([]);
  });

  test('a grant that does not fit: another Service name, another route kind or namespace, another grant namespace', () => {
    const refused = ['ICA0009 HTTPRoute shop/r spec.rules[0].backendRefs[0]'];
    expect(brief(run([gw, api, toApi, grant('backend', fromShop, [{ group: '', kind: 'Service', name: 'other' }])]))).toEqual(refused);
    expect(brief(run([gw, api, toApi, grant('backend', [{ group: GROUP, kind: 'GRPCRoute', namespace: 'shop' }], [{ group: '', kind: 'Service' }])]))).toEqual(refused);
    expect(brief(run([gw, api, toApi, grant('backend', [{ group: GROUP, kind: 'HTTPRoute', namespace: 'blog' }], [{ group: '', kind: 'Service' }])]))).toEqual(refused);
    expect(brief(run([gw, api, toApi, grant('shop', fromShop, [{ group: '', kind: 'Service' }])]))).toEqual(refused);
  });

  test('a route with a Service parent only (GAMMA) needs none (Istio: enforceRefGrant = !mesh); one with a Gateway parent too does', () => {
    const gamma = (parentRefs: any[]) => route('HTTPRoute', 'r', 'shop', { parentRefs, rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 8080 }] }] });
    expect(run([gw, web, api, gamma([{ group: '', kind: 'Service', name: 'web', port: 8080 }])])).toEqual([]);
    expect(brief(run([gw, web, api, gamma([{ group: '', kind: 'Service', name: 'web', port: 8080 }, { name: 'edge', namespace: 'ingress' }])])))
      .toEqual(['ICA0009 HTTPRoute shop/r spec.rules[0].backendRefs[0]']);
  });

  test('a mirror to another namespace needs a grant as well', () => {
    const mirror = route('HTTPRoute', 'r', 'shop', {
      parentRefs: [{ name: 'edge', namespace: 'ingress' }],
      rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'api', namespace: 'backend', port: 8080 } } }], backendRefs: [{ name: 'web', port: 8080 }] }],
    });
    expect(brief(run([gw, api, web, mirror]))).toEqual(['ICA0009 HTTPRoute shop/r spec.rules[0].filters[0].requestMirror.backendRef']);
  });

  test('a Gateway certificateRef to a Secret of another namespace', () => {
    const tls = gateway('edge', 'ingress', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'shop-cert', namespace: 'certs' }] } }]);
    const ds = run([tls]);
    expect(brief(ds)).toEqual(['ICA0009 Gateway ingress/edge spec.listeners[0].tls.certificateRefs[0]']);
    expect(run([tls, grant('certs', [{ group: GROUP, kind: 'Gateway', namespace: 'ingress' }], [{ group: '', kind: 'Secret', name: 'shop-cert' }])])).toEqual([]);
    expect(run([gateway('edge', 'ingress', [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'shop-cert' }] } }])])).toEqual([]);
  });
});

describe('IST0176: Gateway API CRDs older than Istio needs (k8sgateway.CRDVersionAnalyzer, already there)', () => {
  test("the v1.6 bundle's CRDs raise nothing; a v1.5 TCPRoute CRD does", () => {
    const crd = (name: string, version: string): Manifest => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      metadata: { name, annotations: { 'gateway.networking.k8s.io/bundle-version': version } }, spec: { names: { kind: 'TCPRoute' } },
    });
    expect(analyze([crd('tcproutes.gateway.networking.k8s.io', 'v1.6.0')], { analyzers: ['k8sgateway.CRDVersionAnalyzer'] })).toEqual([]);
    expect(brief(analyze([crd('tcproutes.gateway.networking.k8s.io', 'v1.5.1')], { analyzers: ['k8sgateway.CRDVersionAnalyzer'] })))
      .toEqual(['IST0176 CustomResourceDefinition tcproutes.gateway.networking.k8s.io metadata.annotations.gateway.networking.k8s.io/bundle-version']);
  });
});

describe('default analysis', () => {
  test('the Gateway API analyzers run by default', () => {
    const ds = analyze([gateway('edge', 'shop', [http('http', 80)]), web, httpRoute([{ name: 'edge', sectionName: 'nope' }])]);
    expect(ds.map((d) => d.analyzer)).toContain('library.GatewayApiParentAnalyzer');
  });
});
