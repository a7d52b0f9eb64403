/**
 * The traffic graph: the model built from a small set of manifests (gateway hosts, weights,
 * subsets, mirrors, faults, DestinationRule policies, security policies), and its renderers.
 */
import { Manifest } from '../src/core/manifest';
import { TrafficEdgeKind, TrafficNodeKind, TrafficTone, buildTrafficGraph, renderSvg, toDot, toMermaid } from '../src/graph';

const gateway: Manifest = {
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-system' },
  spec: {
    selector: { istio: 'ingressgateway' },
    servers: [
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop/shop.example.com', 'shop/unrouted.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } },
    ],
  },
};
const virtualService: Manifest = {
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'cart', namespace: 'shop' },
  spec: {
    hosts: ['shop.example.com'],
    gateways: ['istio-system/public'],
    http: [
      {
        name: 'testers',
        match: [{ headers: { 'end-user': { exact: 'jason "the tester" <qa>' } } }],
        route: [{ destination: { host: 'cart', subset: 'v2', port: { number: 8080 } } }],
        fault: { delay: { fixedDelay: '7s', percentage: { value: 100 } } },
      },
      {
        route: [
          { destination: { host: 'cart', subset: 'v1' }, weight: 90 },
          { destination: { host: 'cart', subset: 'v2' }, weight: 10 },
        ],
        mirror: { host: 'cart', subset: 'v3' },
        mirrorPercentage: { value: 50 },
        timeout: '5s',
        retries: { attempts: 3, perTryTimeout: '2s' },
      },
    ],
  },
};
const destinationRule: Manifest = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'cart', namespace: 'shop' },
  spec: {
    host: 'cart.shop.svc.cluster.local',
    trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, loadBalancer: { simple: 'LEAST_REQUEST' }, outlierDetection: { consecutive5xxErrors: 5, interval: '10s' } },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  },
};
const service: Manifest = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' },
  spec: { selector: { app: 'cart' }, ports: [{ port: 8080, name: 'http' }] },
};
const allowFrontend: Manifest = {
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'cart-allow', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'cart' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'] } }] }] },
};
const denyV1: Manifest = {
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-v1', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'cart', version: 'v1' } }, action: 'DENY', rules: [{}] },
};
const strict: Manifest = {
  apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' },
  spec: { mtls: { mode: 'STRICT' } },
};
const all = [gateway, virtualService, destinationRule, service, allowFrontend, denyV1, strict];

const FQDN = 'cart.shop.svc.cluster.local';

describe('buildTrafficGraph', () => {
  const graph = buildTrafficGraph(all);
  const node = (id: string) => {
    const n = graph.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no node ${id}; nodes: ${graph.nodes.map((x) => x.id).join(', ')}`);
    return n;
  };
  const edgesFrom = (id: string, kind?: TrafficEdgeKind) => graph.edges.filter((e) => e.from === id && (!kind || e.kind === kind));

  test('the gateway serves the VirtualService host on its HTTPS port, and flags the host no route serves', () => {
    const gw = node('gateway:istio-system/public');
    expect(gw.namespace).toBe('istio-system');
    expect(gw.details).toContain('HTTPS 443 · TLS SIMPLE (shop-cert)');
    const served = edgesFrom(gw.id, TrafficEdgeKind.SERVES).map((e) => ({ host: node(e.to).title, label: e.label, warning: !!e.warning }));
    expect(served).toEqual([
      { host: 'shop.example.com', label: 'HTTPS 443', warning: false },
      { host: 'unrouted.example.com', label: 'HTTPS 443', warning: true },
    ]);
    const unrouted = graph.nodes.find((n) => n.title === 'unrouted.example.com')!;
    expect(unrouted.tone).toBe(TrafficTone.WARNING);
  });

  test('routes follow the host in match order, with their matches, faults, timeouts and retries', () => {
    const host = graph.nodes.find((n) => n.kind === TrafficNodeKind.HOST && n.title === 'shop.example.com')!;
    const routes = edgesFrom(host.id, TrafficEdgeKind.MATCHES).map((e) => node(e.to));
    expect(routes.map((r) => r.title)).toEqual(['cart http[0] "testers"', 'cart http[1]']);
    expect(routes[0].details).toEqual(['match header end-user = jason "the tester" <qa>', 'fault: delay 7s (100%)']);
    expect(routes[1].details).toEqual(['any request', 'timeout 5s', 'retries 3 × 2s']);
  });

  test('weights become percentages toward subsets; the mirror is its own edge; the port is shown', () => {
    const split = edgesFrom('route:shop/cart/http[1]').map((e) => ({ to: e.to, kind: e.kind, percent: e.percent, label: e.label }));
    expect(split).toEqual([
      { to: `destination:${FQDN}#v2`, kind: TrafficEdgeKind.ROUTES, percent: 10, label: '10%' },
      { to: `destination:${FQDN}#v1`, kind: TrafficEdgeKind.ROUTES, percent: 90, label: '90%' },
      { to: `destination:${FQDN}#v3`, kind: TrafficEdgeKind.MIRRORS, percent: undefined, label: 'mirror 50%' },
    ].sort((a, b) => graph.nodes.findIndex((n) => n.id === a.to) - graph.nodes.findIndex((n) => n.id === b.to)));
    expect(edgesFrom('route:shop/cart/http[0]')).toEqual([
      { from: 'route:shop/cart/http[0]', to: `destination:${FQDN}#v2`, kind: TrafficEdgeKind.ROUTES, percent: 100, label: 'port 8080' },
    ]);
  });

  test('destinations carry the subset labels and the DestinationRule traffic policy; an undefined subset is a warning', () => {
    const v1 = node(`destination:${FQDN}#v1`);
    expect(v1.namespace).toBe('shop');
    expect(v1.details).toEqual(['subset v1 (version=v1)', 'DestinationRule cart', 'TLS ISTIO_MUTUAL', 'LB LEAST_REQUEST', 'outlier: eject after 5 errors / 10s']);
    const v3 = node(`destination:${FQDN}#v3`);
    expect(v3.tone).toBe(TrafficTone.WARNING);
    expect(v3.details[0]).toBe('subset v3: no DestinationRule defines it (503)');
  });

  test('policies with a selector point at the destinations whose workloads they select; namespace-wide ones say so', () => {
    const allowTargets = edgesFrom('policy:AuthorizationPolicy/shop/cart-allow', TrafficEdgeKind.APPLIES).map((e) => e.to).sort();
    expect(allowTargets).toEqual([`destination:${FQDN}#v1`, `destination:${FQDN}#v2`, `destination:${FQDN}#v3`]);
    // version=v1 is only on subset v1 (v3 has no labels: no DestinationRule defines it)
    expect(edgesFrom('policy:AuthorizationPolicy/shop/deny-v1').map((e) => e.to)).toEqual([`destination:${FQDN}#v1`]);
    expect(node('policy:AuthorizationPolicy/shop/deny-v1').tone).toBe(TrafficTone.DENY);
    const pa = node('policy:PeerAuthentication/shop/default');
    expect(pa.details).toEqual(['mTLS STRICT', 'every workload in shop']);
    expect(edgesFrom(pa.id)).toEqual([]);
  });

  test('the order is deterministic: the same objects in another order give the same graph', () => {
    expect(buildTrafficGraph([...all].reverse())).toEqual(graph);
    expect(graph.namespaces).toEqual(['istio-system', 'shop']);
  });

  test('an object given twice (same kind, namespace, name) is drawn once, as the last one given', () => {
    const v = (subset: string): Manifest => ({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews' },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset } }] }] },
    });
    const g = buildTrafficGraph([v('v1'), v('v3')]);
    expect(g.edges.filter((e) => e.kind === TrafficEdgeKind.ROUTES).map((e) => e.to)).toEqual(['destination:reviews.default.svc.cluster.local#v3']);
  });

  test('a second DestinationRule for a host is shown as merged, and a warning when its traffic policy is ignored', () => {
    const breaker: Manifest = {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'cart-breaker', namespace: 'shop' },
      spec: { host: 'cart', trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } },
    };
    const v1 = buildTrafficGraph([...all, breaker]).nodes.find((n) => n.id === `destination:${FQDN}#v1`)!;
    expect(v1.details).toContain('also DestinationRule cart-breaker: merged, its trafficPolicy ignored');
    expect(v1.details).not.toContain('pool: 1 conn');
    expect(v1.tone).toBe(TrafficTone.WARNING);
  });

  test('mesh-bound routes start at the mesh node; short hosts resolve in the VirtualService namespace', () => {
    const g = buildTrafficGraph([{
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'ratings' },
      spec: { hosts: ['ratings'], tcp: [{ match: [{ port: 3306 }], route: [{ destination: { host: 'mysql', port: { number: 3306 } } }] }] },
    }]);
    expect(g.nodes.map((n) => n.id)).toEqual([
      'gateway:mesh', 'host:ratings.default.svc.cluster.local@mesh', 'route:default/ratings/tcp[0]', 'destination:mysql.default.svc.cluster.local',
    ]);
    expect(g.nodes[2].details).toEqual(['match port 3306']);
  });

  test('Gateway API: an HTTPRoute under a Gateway listener, backends weighted, a request mirror', () => {
    const g = buildTrafficGraph([
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'edge' },
        spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'shop' },
        spec: {
          parentRefs: [{ name: 'web', namespace: 'edge', sectionName: 'http' }], hostnames: ['shop.example.com'],
          rules: [{
            matches: [{ path: { type: 'PathPrefix', value: '/cart' } }],
            backendRefs: [{ name: 'cart-v1', port: 8080, weight: 3 }, { name: 'cart-v2', port: 8080, weight: 1 }],
            filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'cart-shadow', port: 8080 } } }],
          }],
        },
      },
    ]);
    expect(g.edges.filter((e) => e.kind === TrafficEdgeKind.SERVES)).toEqual([
      { from: 'k8sgateway:edge/web', to: 'host:shop.example.com@Gateway:edge/web', kind: TrafficEdgeKind.SERVES, label: 'listener http' },
    ]);
    const route = g.nodes.find((n) => n.kind === TrafficNodeKind.ROUTE)!;
    expect(route.details).toEqual(['match path prefix /cart']);
    expect(g.edges.filter((e) => e.from === route.id).map((e) => e.label)).toEqual(['75% · port 8080', '25% · port 8080', 'mirror 100%']);
  });
});

describe('toMermaid', () => {
  const graph = buildTrafficGraph(all);
  const text = toMermaid(graph);
  const lines = text.trimEnd().split('\n');

  test('is a flowchart whose every line is a class definition, a node, a subgraph boundary or an edge', () => {
    expect(lines[0]).toBe('flowchart LR');
    const patterns = [
      /^ {2}classDef \w+ [\w:#,.-]+$/,
      /^ {2,4}n\d+(\{\{|\(\[|\[\[|\[|\()"[^"]*"(\}\}|\]\)|\]\]|\]|\)):::\w+$/,
      /^ {2}subgraph ns\d+\["[^"]*"\]$/,
      /^ {2}end$/,
      /^ {2}n\d+ (-->|==>|-\.->)(\|"[^"]*"\|)? n\d+$/,
    ];
    for (const line of lines.slice(1)) {
      expect(patterns.some((p) => p.test(line)) ? line : `unparsed: ${line}`).toBe(line);
    }
  });

  test('one node line per node, one edge line per edge, every edge between declared nodes', () => {
    const nodeIds = lines.filter((l) => /^\s+n\d+[[({]/.test(l)).map((l) => l.trim().split(/[[({]/)[0]);
    const edges = lines.filter((l) => /^\s+n\d+ [-=]/.test(l)).map((l) => l.trim().split(' '));
    expect(nodeIds).toHaveLength(graph.nodes.length);
    expect(edges).toHaveLength(graph.edges.length);
    for (const e of edges) {
      expect(nodeIds).toContain(e[0]);
      expect(nodeIds).toContain(e[e.length - 1]);
    }
    expect(lines.filter((l) => /^\s+subgraph /.test(l))).toHaveLength(2);
  });

  test('labels are escaped: quotes, angle brackets and # cannot end or break a label', () => {
    expect(text).toContain('jason #quot;the tester#quot; #lt;qa#gt;');
    expect(text).not.toContain('"the tester"');
    expect(text).toContain('|"90%"|');
    expect(text).toContain('-.->|"mirror 50%"|');
  });

  test('markdown option wraps the chart in a mermaid fence', () => {
    expect(toMermaid(graph, { markdown: true })).toMatch(/^```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
  });
});

describe('toDot and renderSvg', () => {
  const graph = buildTrafficGraph(all);

  test('DOT has a cluster per namespace and escapes HTML in labels', () => {
    const dot = toDot(graph);
    expect(dot).toMatch(/^digraph traffic \{/);
    expect(dot.match(/subgraph cluster_\d+/g)).toHaveLength(2);
    expect(dot).toContain('jason &quot;the tester&quot; &lt;qa&gt;');
  });

  test('SVG renders offline and shows the hosts, subsets and weights', async () => {
    const svg = await renderSvg(graph, { title: 'shop' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['shop.example.com', 'unrouted.example.com', FQDN, 'subset v1 (version=v1)', '90%', 'mirror 50%']) {
      expect(svg).toContain(text);
    }
  });
});
