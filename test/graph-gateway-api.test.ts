/**
 * The traffic graph of Kubernetes Gateway API objects: Gateways with their listeners, routes
 * attached to the listeners that take them (as Istio decides it: see src/analysis/gateway-api.ts),
 * weighted backendRefs to the per-version Services, mirrors, timeouts, GAMMA Service parents as the
 * mesh, and warnings where a route does not attach or a backend lacks its ReferenceGrant. Drawn
 * from Istio's own samples (../shared/istio/samples/{bookinfo,tcp-echo}/gateway-api).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../src/analysis';
import { Manifest } from '../src/core/manifest';
import { MESH_GATEWAY_ID, TrafficEdgeKind, TrafficGraph, TrafficNodeKind, TrafficTone, buildTrafficGraph, renderSvg, toMermaid } from '../src/graph';

const SAMPLES = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'samples');
const GROUP = 'gateway.networking.k8s.io';
const read = (...files: string[]): Manifest[] => files.flatMap((f) => parseManifests(fs.readFileSync(path.join(SAMPLES, f), 'utf8'), f)).map((i) => i.manifest);
const node = (g: TrafficGraph, id: string) => g.nodes.find((n) => n.id === id)!;
const edgesFrom = (g: TrafficGraph, id: string, kind?: TrafficEdgeKind) => g.edges.filter((e) => e.from === id && (!kind || e.kind === kind));

const BOOKINFO = ['bookinfo/platform/kube/bookinfo.yaml', 'bookinfo/platform/kube/bookinfo-versions.yaml', 'bookinfo/gateway-api/bookinfo-gateway.yaml'];

describe("bookinfo's gateway-api samples", () => {
  const g = buildTrafficGraph(read(...BOOKINFO, 'bookinfo/gateway-api/route-all-v1.yaml'));

  test('the Gateway with its listener → every host (no hostnames) → the five productpage matches → productpage:9080', () => {
    const gw = node(g, 'k8sgateway:default/bookinfo-gateway');
    expect(gw.details).toEqual(['class istio', 'http: HTTP 80']);
    expect(edgesFrom(g, gw.id, TrafficEdgeKind.SERVES)).toEqual([
      { from: gw.id, to: 'host:*@Gateway:default/bookinfo-gateway', kind: TrafficEdgeKind.SERVES, label: 'listener http' },
    ]);
    expect(node(g, 'host:*@Gateway:default/bookinfo-gateway').details).toEqual(['no hostnames: every host of the listener']);
    const route = node(g, 'route:default/HTTPRoute/bookinfo/rules[0]');
    expect(route.details).toEqual([
      'match path = /productpage', 'or path prefix /static', 'or path = /login', 'or path = /logout', 'or path prefix /api/v1/products',
    ]);
    expect(edgesFrom(g, route.id)).toEqual([
      { from: route.id, to: 'destination:productpage.default.svc.cluster.local', kind: TrafficEdgeKind.ROUTES, percent: 100, label: 'port 9080' },
    ]);
  });

  test('GAMMA: each route under a Service parent is the mesh serving that Service, routed to its version Service', () => {
    for (const svc of ['details', 'productpage', 'ratings', 'reviews']) {
      const host = `host:${svc}.default.svc.cluster.local@Service:default/${svc}`;
      expect(g.edges).toContainEqual({ from: MESH_GATEWAY_ID, to: host, kind: TrafficEdgeKind.SERVES, label: 'port 9080' });
      expect(node(g, host).details).toEqual([`Service default/${svc} (mesh parent)`]);
      const dest = node(g, `destination:${svc}-v1.default.svc.cluster.local`);
      // No subsets in the Gateway API: the version is a Service of its own, which the graph says it selects.
      expect(dest.details).toEqual([`Service selects app=${svc}, version=v1`]);
    }
  });

  test('weighted backendRefs: reviews 90/10 and 50/50', () => {
    const split = (file: string) => {
      const graph = buildTrafficGraph(read('bookinfo/platform/kube/bookinfo-versions.yaml', `bookinfo/gateway-api/${file}`));
      return edgesFrom(graph, 'route:default/HTTPRoute/reviews/rules[0]').map((e) => `${e.to.replace(/^destination:|\.default\.svc\.cluster\.local$/g, '')} ${e.percent}%`);
    };
    expect(split('route-reviews-90-10.yaml')).toEqual(['reviews-v1 90%', 'reviews-v2 10%']);
    expect(split('route-reviews-50-v3.yaml')).toEqual(['reviews-v1 50%', 'reviews-v3 50%']);
  });

  test('renders as SVG and Mermaid', async () => {
    const svg = await renderSvg(g, { title: 'bookinfo (Gateway API)' });
    expect(svg.startsWith('<svg')).toBe(true);
    // Graphviz writes some characters as numeric entities.
    const text = svg.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
    for (const line of ['Gateway bookinfo-gateway (Gateway API)', 'listener http', 'match path = /productpage', 'reviews-v1.default.svc.cluster.local', 'Service selects app=reviews, version=v1']) {
      expect(text).toContain(line);
    }
    expect(toMermaid(g)).toContain('listener http');
  });
});

describe("tcp-echo's gateway-api samples", () => {
  test('a TCP listener that takes TCPRoutes only, a TCPRoute split 80/20', () => {
    const g = buildTrafficGraph(read('tcp-echo/tcp-echo-services.yaml', 'tcp-echo/gateway-api/tcp-echo-all-v1.yaml', 'tcp-echo/gateway-api/tcp-echo-20-v2.yaml'));
    expect(node(g, 'k8sgateway:default/tcp-echo-gateway').details).toEqual(['class istio', 'tcp-31400: TCP 31400 · TCPRoute only']);
    expect(edgesFrom(g, 'k8sgateway:default/tcp-echo-gateway', TrafficEdgeKind.SERVES).map((e) => e.label)).toEqual(['listener tcp-31400']);
    expect(edgesFrom(g, 'route:default/TCPRoute/tcp-echo/rules[0]').map((e) => e.label)).toEqual(['80% · port 9000', '20% · port 9000']);
  });
});

describe('attachment, grants, filters', () => {
  const gateway = (listeners: any[]): Manifest => ({ apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'edge', namespace: 'ingress' }, spec: { gatewayClassName: 'istio', listeners } });
  const route = (spec: any, ns = 'shop', kind = 'HTTPRoute'): Manifest => ({ apiVersion: `${GROUP}/v1`, kind, metadata: { name: 'r', namespace: ns }, spec });
  const serves = (g: TrafficGraph) => g.edges.filter((e) => e.kind === TrafficEdgeKind.SERVES && e.from.startsWith('k8sgateway:')).map((e) => `${e.label}${e.warning ? ' (warning)' : ''}`);

  test('without sectionName, the edge names the listeners that take the route', () => {
    const gw = gateway([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'alt', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'tcp', port: 9000, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'All' } } },
    ]);
    expect(serves(buildTrafficGraph([gw, route({ parentRefs: [{ name: 'edge', namespace: 'ingress' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] })]))).toEqual(['listeners http, alt']);
  });

  test('a route no listener takes is drawn with a warning edge saying why', () => {
    const gw = gateway([{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }]);
    expect(serves(buildTrafficGraph([gw, route({ parentRefs: [{ name: 'edge', namespace: 'ingress' }], rules: [] })]))).toEqual(['not attached (http): namespace not allowed (warning)']);
    expect(serves(buildTrafficGraph([gw, route({ parentRefs: [{ name: 'edge' }], hostnames: ['blog.example.com'], rules: [] }, 'ingress')]))).toEqual(['not attached (http): hostname (warning)']);
    expect(serves(buildTrafficGraph([gw, route({ parentRefs: [{ name: 'edge', sectionName: 'https' }], rules: [] }, 'ingress')]))).toEqual(['not attached: no listener https (warning)']);
    // A Namespace of the manifests whose labels the listener's selector matches.
    const selected = gateway([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shop: 'true' } } } } }]);
    const ns = (labels: Record<string, string>): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
    expect(serves(buildTrafficGraph([selected, ns({ shop: 'true' }), route({ parentRefs: [{ name: 'edge', namespace: 'ingress' }], rules: [] })]))).toEqual(['listener http']);
    expect(serves(buildTrafficGraph([selected, ns({}), route({ parentRefs: [{ name: 'edge', namespace: 'ingress' }], rules: [] })]))).toEqual(['not attached (http): namespace not allowed (warning)']);
  });

  test('the listeners of a ListenerSet are drawn on its Gateway, and its routes attach there', () => {
    const set: Manifest = {
      apiVersion: `${GROUP}/v1`, kind: 'ListenerSet', metadata: { name: 'extra', namespace: 'shop' },
      spec: { parentRef: { name: 'edge', namespace: 'ingress' }, listeners: [{ name: 'shop', port: 8081, protocol: 'HTTP' }] },
    };
    const g = buildTrafficGraph([gateway([{ name: 'http', port: 80, protocol: 'HTTP' }]), set, route({ parentRefs: [{ group: GROUP, kind: 'ListenerSet', name: 'extra' }], rules: [] })]);
    expect(node(g, 'k8sgateway:ingress/edge').details).toEqual(['class istio', 'http: HTTP 80', 'shop: HTTP 8081 (ListenerSet shop/extra)']);
    expect(serves(g)).toEqual(['listener shop']);
  });

  test('a backend in another namespace without a ReferenceGrant is a warning edge; with one it is not', () => {
    const gw = gateway([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]);
    const r = route({ parentRefs: [{ name: 'edge', namespace: 'ingress' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 8080 }] }] });
    const routeEdge = (g: TrafficGraph) => edgesFrom(g, 'route:shop/HTTPRoute/r/rules[0]')[0];
    expect(routeEdge(buildTrafficGraph([gw, r]))).toMatchObject({ label: 'port 8080 · no ReferenceGrant', warning: true });
    const grant: Manifest = {
      apiVersion: `${GROUP}/v1`, kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'backend' },
      spec: { from: [{ group: GROUP, kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
    };
    expect(routeEdge(buildTrafficGraph([gw, r, grant]))).toEqual({ from: 'route:shop/HTTPRoute/r/rules[0]', to: 'destination:api.backend.svc.cluster.local', kind: TrafficEdgeKind.ROUTES, percent: 100, label: 'port 8080' });
  });

  test('mirrors (at the rule and at a backendRef, percent or fraction), timeouts, header changes, rewrites and redirects', () => {
    const g = buildTrafficGraph([
      gateway([{ name: 'http', port: 80, protocol: 'HTTP' }]),
      route({
        parentRefs: [{ name: 'edge' }],
        rules: [
          {
            filters: [
              { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 }, fraction: { numerator: 1, denominator: 4 } } },
              { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-a', value: '1' }], remove: ['x-b'] } },
              { type: 'URLRewrite', urlRewrite: { hostname: 'api.internal', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } },
            ],
            backendRefs: [{ name: 'api', port: 80, filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'audit', port: 80 }, percent: 5 } }] }],
            timeouts: { request: '10s', backendRequest: '2s' },
          },
          { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301, path: { type: 'ReplaceFullPath', replaceFullPath: '/new' } } }] },
        ],
      }, 'ingress'),
    ]);
    const first = node(g, 'route:ingress/HTTPRoute/r/rules[0]');
    expect(first.details).toEqual(['any request', 'timeout 10s', 'backend timeout 2s', 'request headers: set x-a, remove x-b', 'rewrite host api.internal, prefix → /v2']);
    expect(edgesFrom(g, first.id, TrafficEdgeKind.MIRRORS).map((e) => `${e.to} ${e.label}`)).toEqual([
      'destination:shadow.ingress.svc.cluster.local mirror 25%', 'destination:audit.ingress.svc.cluster.local mirror 5%',
    ]);
    expect(node(g, 'route:ingress/HTTPRoute/r/rules[1]').details).toEqual(['any request', 'redirect scheme https, path /new (301)']);
  });

  test('a ServiceEntry parent is the mesh serving its host, not a Gateway', () => {
    const se: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'shop' }, spec: { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' } };
    const g = buildTrafficGraph([se, route({ parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'api' }], rules: [{ backendRefs: [{ name: 'api-proxy', port: 80 }] }] })]);
    expect(g.nodes.filter((n) => n.kind === TrafficNodeKind.GATEWAY).map((n) => n.id)).toEqual([MESH_GATEWAY_ID]);
    expect(edgesFrom(g, MESH_GATEWAY_ID).map((e) => e.to)).toEqual(['host:api.example.com@ServiceEntry:shop/api']);
  });

  test('a parent Gateway not in the manifests is a warning node', () => {
    const g = buildTrafficGraph([route({ parentRefs: [{ name: 'gone' }], rules: [] })]);
    expect(node(g, 'k8sgateway:shop/gone')).toMatchObject({ tone: TrafficTone.WARNING, details: ['not in these manifests'] });
  });
});
