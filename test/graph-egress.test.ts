/**
 * The traffic graph of egress (scenario S11, Istio's egress-gateway task): external hosts are
 * marked as outside the mesh, egress gateways as such, and an egress route reads as one path
 * mesh → egress gateway Service → egress gateway → external host.
 */
import { Manifest } from '../src/core/manifest';
import {
  TrafficEdgeKind, TrafficGraph, TrafficNodeRole, TrafficTone, buildTrafficGraph, renderSvg, toDot, toMermaid,
} from '../src/graph';

const LABELS = { 'gateway-name': 'egress', 'gateway-type': 'egress' };

/** S11: the egress gateway `egress` (ClusterIP Service, port 80), httpbin.org (HTTP 80, DNS), one VirtualService bound to the gateway and the mesh. */
function s11(): Manifest[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'egress', namespace: 'default' }, spec: { type: 'ClusterIP', selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'httpbin-ext', namespace: 'default' }, spec: { hosts: ['httpbin.org'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'egress', namespace: 'default' }, spec: { selector: LABELS, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['httpbin.org'] }] } },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'httpbin-egress', namespace: 'default' },
      spec: {
        hosts: ['httpbin.org'], gateways: ['egress', 'mesh'],
        http: [
          { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'egress.default.svc.cluster.local', port: { number: 80 } } }] },
          { match: [{ gateways: ['egress'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
        ],
      },
    },
  ] as Manifest[];
}

const edge = (g: TrafficGraph, kind: TrafficEdgeKind) => g.edges.filter((e) => e.kind === kind).map((e) => `${e.from} -> ${e.to}`);
const node = (g: TrafficGraph, id: string) => g.nodes.find((n) => n.id === id)!;

describe('egress in the traffic graph (S11)', () => {
  const graph = buildTrafficGraph(s11());

  test('the external host is a destination outside every namespace, marked external, with its ServiceEntry', () => {
    const external = node(graph, 'destination:httpbin.org');
    expect(external.role).toBe(TrafficNodeRole.EXTERNAL);
    expect(external.namespace).toBeUndefined();
    expect(external.details).toEqual(['outside the mesh: ServiceEntry default/httpbin-ext', 'resolution DNS · HTTP 80']);
    expect(external.tone).toBe(TrafficTone.NORMAL);
  });

  test('the egress gateway is marked, and the path reads mesh → host → route → gateway Service → egress gateway → host → route → external host', () => {
    expect(node(graph, 'gateway:default/egress')).toMatchObject({ role: TrafficNodeRole.EGRESS_GATEWAY, title: 'Gateway egress (egress)' });
    expect(node(graph, 'gateway:mesh').role).toBeUndefined();
    // one host node per gateway, each leading only to the rule that applies there
    expect(edge(graph, TrafficEdgeKind.SERVES)).toEqual([
      'gateway:default/egress -> host:httpbin.org@default/egress',
      'gateway:mesh -> host:httpbin.org@mesh',
    ]);
    expect(edge(graph, TrafficEdgeKind.MATCHES)).toEqual([
      'host:httpbin.org@default/egress -> route:default/httpbin-egress/http[1]',
      'host:httpbin.org@mesh -> route:default/httpbin-egress/http[0]',
    ]);
    expect(edge(graph, TrafficEdgeKind.ROUTES)).toEqual([
      'route:default/httpbin-egress/http[0] -> destination:egress.default.svc.cluster.local',
      'route:default/httpbin-egress/http[1] -> destination:httpbin.org',
    ]);
    expect(edge(graph, TrafficEdgeKind.ENTERS)).toEqual(['destination:egress.default.svc.cluster.local -> gateway:default/egress']);
  });

  test('the gateway Service is found without a Service object, from the VirtualService bound to mesh and the gateway (Istio\'s egress gateway task)', () => {
    const manifests = s11().filter((m) => m.kind !== 'Service').map((m) => (m.kind === 'VirtualService'
      ? { ...m, spec: { ...m.spec, gateways: ['istio-system/istio-egressgateway', 'mesh'], http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 80 } } }] },
        { match: [{ gateways: ['istio-system/istio-egressgateway'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
      ] } }
      : m.kind === 'Gateway' ? { ...m, metadata: { name: 'istio-egressgateway', namespace: 'istio-system' }, spec: { ...m.spec, selector: { istio: 'egressgateway' } } } : m)) as Manifest[];
    const g = buildTrafficGraph(manifests);
    expect(edge(g, TrafficEdgeKind.ENTERS)).toEqual(['destination:istio-egressgateway.istio-system.svc.cluster.local -> gateway:istio-system/istio-egressgateway']);
    expect(node(g, 'gateway:istio-system/istio-egressgateway').role).toBe(TrafficNodeRole.EGRESS_GATEWAY);
  });

  test('a VirtualService whose rules name no gateway keeps one host node for all its gateways; an ingress gateway stays unmarked', () => {
    const g = buildTrafficGraph([
      { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'default' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['echo.example.com'] }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'echo', namespace: 'default' }, spec: { hosts: ['echo.example.com'], gateways: ['edge', 'mesh'], http: [{ route: [{ destination: { host: 'echo' } }] }] } },
    ] as Manifest[]);
    expect(g.nodes.filter((n) => n.id.startsWith('host:')).map((n) => n.id)).toEqual(['host:echo.example.com@default/edge,mesh']);
    expect(node(g, 'gateway:default/edge').role).toBeUndefined();
    expect(edge(g, TrafficEdgeKind.ENTERS)).toEqual([]);
  });

  test('an external destination no ServiceEntry declares is a likely failure (traffic dropped); a cluster Service is not', () => {
    const g = buildTrafficGraph([
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'out', namespace: 'default' }, spec: { hosts: ['api.example.com'], http: [{ route: [{ destination: { host: 'api.example.com' } }], mirror: { host: 'reviews' } }] } },
    ] as Manifest[]);
    expect(node(g, 'destination:api.example.com')).toMatchObject({ tone: TrafficTone.WARNING, details: ['no ServiceEntry here: outside the registry, traffic routed to it is dropped'] });
    expect(node(g, 'destination:reviews.default.svc.cluster.local').tone).toBe(TrafficTone.NORMAL);
  });

  test('the renderers draw the roles: DOT and Mermaid colour external hosts and egress gateways, and label the gateway hop', async () => {
    const dot = toDot(graph);
    expect(dot).toMatch(/fillcolor="#ccfbf1", color="#0f766e".*httpbin\.org/);
    expect(dot).toMatch(/style="rounded,filled,bold,dashed"/);
    expect(dot).toMatch(/-> n\d+ \[label=<enters gateway>, penwidth=2\.4/);
    const mermaid = toMermaid(graph);
    expect(mermaid).toMatch(/:::external/);
    expect(mermaid).toMatch(/:::egress/);
    expect(mermaid).toMatch(/==>\|"enters gateway"\|/);
    const svg = await renderSvg(graph, { title: 'S11 egress' });
    expect(svg).toContain('enters gateway');
    expect(svg).toContain('outside the mesh: ServiceEntry default/httpbin&#45;ext');
  });
});
