/**
 * The traffic graph: what a set of manifests does to requests, as nodes and edges, without any
 * rendering. Gateways (Istio `Gateway`, Gateway API `Gateway`, and the implicit `mesh` of
 * sidecars) serve hosts; hosts lead to routes (VirtualService `http`/`tcp`/`tls` rules, Gateway API
 * route rules) in match order; routes send traffic to destinations (host, subset, port) with
 * weights, mirrors, faults, timeouts and retries; DestinationRules describe the destinations
 * (subsets, TLS mode, load balancer, outlier detection); security policies point at what they
 * apply to.
 *
 * Engine-free: plain manifests in, plain data out, deterministic order.
 */
import { GATEWAY_API_GROUP, attach, grantAllows, listenersOf } from '../analysis/gateway-api';
import { Manifest } from '../core/manifest';

/** What a node of the traffic graph stands for. */
export enum TrafficNodeKind {
  /** An Istio `Gateway`, a Gateway API `Gateway`, or `mesh` (every sidecar). */
  GATEWAY = 'gateway',
  /** A host name as clients call it (`bookinfo.example.com`, `reviews.default.svc.cluster.local`). */
  HOST = 'host',
  /** One route rule (a VirtualService `http[i]`, `tcp[i]` or `tls[i]`, a Gateway API `rules[i]`). */
  ROUTE = 'route',
  /** Where a route sends traffic: a host, optionally one subset of it. */
  DESTINATION = 'destination',
  /** An AuthorizationPolicy, PeerAuthentication or RequestAuthentication. */
  POLICY = 'policy',
}

/** How a node should catch the reader's eye. */
export enum TrafficTone {
  /** Nothing special. */
  NORMAL = 'normal',
  /** Something that will probably fail at run time (a subset no DestinationRule defines, a host no route serves). */
  WARNING = 'warning',
  /** A policy that refuses traffic (AuthorizationPolicy DENY, or ALLOW with no rules). */
  DENY = 'deny',
}

/** One node of the traffic graph. */
export interface TrafficNode {
  /** Stable identifier, derived from the objects (e.g. `gateway:istio-system/bookinfo`). */
  readonly id: string;
  readonly kind: TrafficNodeKind;
  /** The first line of the node's label. */
  readonly title: string;
  /** Further lines of the label, most important first (matches, faults, TLS mode...). */
  readonly details: readonly string[];
  /**
   * The namespace the node belongs to (renderers draw one cluster per namespace): the object's, for
   * a host the namespace of the route that declares it, for a destination the Service's namespace
   * (from a `*.svc.<domain>` name); absent for `mesh` and for destinations outside the cluster.
   */
  readonly namespace?: string;
  /** The object the node comes from, as `istioctl analyze` names it (`VirtualService default/reviews`). */
  readonly resource?: string;
  readonly tone: TrafficTone;
  /**
   * Where the node stands in egress traffic: `external` for a host outside the mesh (a
   * ServiceEntry host with location MESH_EXTERNAL, the default), `egress-gateway` for a gateway
   * that sends traffic out of the mesh (its routes lead to an external host, or it selects
   * `istio: egressgateway`); absent otherwise.
   */
  readonly role?: TrafficNodeRole;
}

/** The egress role of a node (`TrafficNode.role`). */
export enum TrafficNodeRole {
  /** A host outside the mesh (a MESH_EXTERNAL ServiceEntry host). */
  EXTERNAL = 'external',
  /** A gateway whose routes send traffic out of the mesh. */
  EGRESS_GATEWAY = 'egress-gateway',
}

/** What an edge of the traffic graph means. */
export enum TrafficEdgeKind {
  /** A gateway serves a host (to a route bound to that gateway). */
  SERVES = 'serves',
  /** Requests for a host are matched against a route (in the order of the edges). */
  MATCHES = 'matches',
  /** A route sends (a share of) its traffic to a destination. */
  ROUTES = 'routes',
  /** A route mirrors (a percentage of) its traffic to a destination; responses are discarded. */
  MIRRORS = 'mirrors',
  /** A policy applies to a gateway or a destination's workloads. */
  APPLIES = 'applies',
  /**
   * A destination is a gateway's Service: the traffic sent there enters that gateway (the mesh →
   * egress gateway hop of an egress route).
   */
  ENTERS = 'enters',
}

/** One edge of the traffic graph. */
export interface TrafficEdge {
  /** The id of the node the edge starts from. */
  readonly from: string;
  /** The id of the node the edge ends at. */
  readonly to: string;
  readonly kind: TrafficEdgeKind;
  /** Short text shown on the edge (`90%`, `port 9080`, `mirror 50%`). */
  readonly label?: string;
  /** For ROUTES edges: the share of the route's traffic, in percent (0-100). */
  readonly percent?: number;
  /** Whether the edge marks a likely failure (a host the gateway does not serve). */
  readonly warning?: boolean;
}

/** The traffic picture of a set of manifests. */
export interface TrafficGraph {
  /** Nodes in a deterministic order: gateways, hosts, routes (in match order), destinations, policies. */
  readonly nodes: readonly TrafficNode[];
  /** Edges in a deterministic order. */
  readonly edges: readonly TrafficEdge[];
  /** The namespaces of the nodes, sorted (one cluster each when rendered). */
  readonly namespaces: readonly string[];
}

/** Options of `buildTrafficGraph`. */
export interface TrafficGraphOptions {
  /**
   * The namespace of objects without `metadata.namespace` (what `kubectl apply` would use).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * The mesh's root namespace: a policy there without a selector applies to the whole mesh.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The cluster's DNS domain, used to complete short host names (`reviews` → `reviews.default.svc.cluster.local`).
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

const KIND_RANK: Record<TrafficNodeKind, number> = {
  [TrafficNodeKind.GATEWAY]: 0,
  [TrafficNodeKind.HOST]: 1,
  [TrafficNodeKind.ROUTE]: 2,
  [TrafficNodeKind.DESTINATION]: 3,
  [TrafficNodeKind.POLICY]: 4,
};

/** The id of the `mesh` gateway node (traffic between sidecars). */
export const MESH_GATEWAY_ID = 'gateway:mesh';

interface Obj {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly spec: any;
}

interface Subset { readonly name: string; readonly labels: Record<string, string>; readonly trafficPolicy?: any }

/**
 * Builds the traffic graph of a set of manifests. Objects of kinds the graph does not draw
 * (Deployments, ConfigMaps...) are ignored, except Services, whose selectors let policies with a
 * workload selector be drawn against the destinations they protect. An object given twice (same
 * apiVersion, kind, namespace and name) is drawn once, as the last one given (what `kubectl apply`
 * of the files in order would leave). Nothing is validated: a
 * route to a missing subset or an unknown gateway is drawn, marked as a warning.
 *
 * @param manifests any Kubernetes objects (the builders' output, or YAML read with `parseManifests`)
 * @param options the default namespace, root namespace and cluster domain
 * @returns nodes and edges in a deterministic order (the same input in any order gives the same graph)
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export function buildTrafficGraph(manifests: readonly Manifest[], options: TrafficGraphOptions = {}): TrafficGraph {
  return new GraphBuilder(manifests, options).build();
}

class GraphBuilder {
  private readonly nodes = new Map<string, { node: TrafficNode; order: number }>();
  private readonly edges = new Map<string, TrafficEdge>();
  private readonly objects: Obj[];
  private readonly defaultNamespace: string;
  private readonly rootNamespace: string;
  private readonly domain: string;
  private order = 0;
  /** Destination node id → what the Service behind a Gateway API backendRef selects (added by describeDestinations). */
  private readonly backendDetails = new Map<string, string>();

  constructor(manifests: readonly Manifest[], options: TrafficGraphOptions) {
    this.defaultNamespace = options.defaultNamespace ?? 'default';
    this.rootNamespace = options.rootNamespace ?? 'istio-system';
    this.domain = options.clusterDomain ?? 'cluster.local';
    // An object given twice (same kind, namespace and name) counts once: the last, as `kubectl apply` leaves it.
    const latest = new Map<string, Manifest>();
    for (const m of manifests) {
      if (!m || typeof m !== 'object' || typeof m.kind !== 'string' || typeof m.metadata?.name !== 'string') continue;
      const key = `${m.apiVersion}|${m.kind}|${m.metadata.namespace || this.defaultNamespace}|${m.metadata.name}`;
      latest.delete(key);
      latest.set(key, m);
    }
    this.objects = [...latest.values()]
      .map((m) => ({
        group: String(m.apiVersion ?? '').includes('/') ? String(m.apiVersion).split('/')[0] : '',
        kind: m.kind,
        name: m.metadata.name,
        namespace: m.metadata.namespace || this.defaultNamespace,
        labels: { ...(m.metadata.labels ?? {}) },
        spec: m.spec && typeof m.spec === 'object' ? m.spec : {},
      }))
      .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.group, b.group));
  }

  build(): TrafficGraph {
    const istioGateways = this.list('networking.istio.io', 'Gateway');
    for (const gw of istioGateways) this.istioGateway(gw);
    for (const gw of this.list('gateway.networking.k8s.io', 'Gateway')) this.k8sGateway(gw);
    for (const vs of this.list('networking.istio.io', 'VirtualService')) this.virtualService(vs);
    for (const kind of ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute']) {
      for (const route of this.list('gateway.networking.k8s.io', kind)) this.k8sRoute(route);
    }
    this.gatewayHostsWithoutRoutes(istioGateways);
    this.describeDestinations();
    this.egress(istioGateways);
    for (const kind of ['PeerAuthentication', 'RequestAuthentication', 'AuthorizationPolicy']) {
      for (const p of this.list('security.istio.io', kind)) this.policy(p);
    }
    const nodes = [...this.nodes.values()]
      .sort((a, b) => KIND_RANK[a.node.kind] - KIND_RANK[b.node.kind] || a.order - b.order)
      .map((n) => n.node);
    const index = new Map(nodes.map((n, i) => [n.id, i]));
    const edges = [...this.edges.values()].sort((a, b) => index.get(a.from)! - index.get(b.from)!
      || index.get(a.to)! - index.get(b.to)! || cmp(a.kind, b.kind) || cmp(a.label ?? '', b.label ?? ''));
    const namespaces = [...new Set(nodes.map((n) => n.namespace).filter((n): n is string => !!n))].sort();
    return { nodes, edges, namespaces };
  }

  // ---- objects ----

  private list(group: string, kind: string): Obj[] {
    return this.objects.filter((o) => o.group === group && o.kind === kind);
  }

  private addNode(node: Omit<TrafficNode, 'tone' | 'details'> & { tone?: TrafficTone; details?: readonly string[] }): TrafficNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing.node;
    const full: TrafficNode = { tone: TrafficTone.NORMAL, details: [], ...node };
    this.nodes.set(node.id, { node: full, order: this.order++ });
    return full;
  }

  private updateNode(id: string, change: (n: TrafficNode) => TrafficNode): void {
    const entry = this.nodes.get(id);
    if (entry) entry.node = change(entry.node);
  }

  private addEdge(edge: TrafficEdge): void {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.kind}\u0000${edge.label ?? ''}`;
    if (!this.edges.has(key)) this.edges.set(key, edge);
  }

  // ---- hosts ----

  /** Istio's short-name resolution: a name without a dot is completed with the namespace and cluster domain. */
  private fqdn(host: string, namespace: string): string {
    return host.includes('.') || host.includes('*') ? host : `${host}.${namespace}.svc.${this.domain}`;
  }

  /** The namespace of a cluster-local service host (`reviews.default.svc.cluster.local` → `default`). */
  private serviceNamespace(host: string): string | undefined {
    const suffix = `.svc.${this.domain}`;
    if (!host.endsWith(suffix)) return undefined;
    const parts = host.slice(0, -suffix.length).split('.');
    return parts.length === 2 && !parts[0].includes('*') ? parts[1] : undefined;
  }

  /**
   * The node of a host as reached through some gateways (`via`), drawn in the namespace of the
   * object that declares it (the route's, or the gateway's for a host no route serves), so that
   * each namespace's cluster holds a contiguous part of the picture.
   */
  private hostNode(host: string, via: string, namespace: string): string {
    const id = `host:${host}@${via}`;
    this.addNode({ id, kind: TrafficNodeKind.HOST, title: host, namespace });
    return id;
  }

  // ---- gateways ----

  private istioGateway(gw: Obj): void {
    const details: string[] = [];
    for (const server of asArray(gw.spec.servers)) {
      const port = server?.port ?? {};
      const tls = server?.tls?.mode ? ` · TLS ${server.tls.mode}${server.tls.credentialName ? ` (${server.tls.credentialName})` : ''}`
        : server?.tls?.httpsRedirect ? ' · redirects to HTTPS' : '';
      details.push(`${port.protocol ?? '?'} ${port.number ?? '?'}${tls}`);
    }
    const selector = labelText(gw.spec.selector);
    if (selector) details.push(`selector ${selector}`);
    this.addNode({
      id: `gateway:${gw.namespace}/${gw.name}`, kind: TrafficNodeKind.GATEWAY, title: `Gateway ${gw.name}`,
      details, namespace: gw.namespace, resource: `Gateway ${gw.namespace}/${gw.name}`,
    });
  }

  private k8sGateway(gw: Obj): void {
    const details: string[] = [];
    if (gw.spec.gatewayClassName) details.push(`class ${gw.spec.gatewayClassName}`);
    for (const l of asArray(gw.spec.listeners)) details.push(listenerText(l));
    // The listeners of the ListenerSets attached to this Gateway.
    for (const set of this.list(GATEWAY_API_GROUP, 'ListenerSet')) {
      const ref = set.spec.parentRef;
      if (ref?.name !== gw.name || (ref.namespace ?? set.namespace) !== gw.namespace) continue;
      for (const l of asArray(set.spec.listeners)) details.push(`${listenerText(l)} (ListenerSet ${set.namespace === gw.namespace ? '' : `${set.namespace}/`}${set.name})`);
    }
    this.addNode({
      id: `k8sgateway:${gw.namespace}/${gw.name}`, kind: TrafficNodeKind.GATEWAY, title: `Gateway ${gw.name} (Gateway API)`,
      details, namespace: gw.namespace, resource: `Gateway ${gw.namespace}/${gw.name}`,
    });
  }

  private meshNode(): string {
    this.addNode({ id: MESH_GATEWAY_ID, kind: TrafficNodeKind.GATEWAY, title: 'mesh', details: ['sidecars (east-west)'] });
    return MESH_GATEWAY_ID;
  }

  /** The node of a VirtualService's `gateways` entry (`mesh`, `name`, `ns/name`), created (as a warning) when absent. */
  private istioGatewayRef(ref: string, namespace: string): { id: string; obj?: Obj } {
    if (ref === 'mesh') return { id: this.meshNode() };
    const [ns, name] = ref.includes('/') ? ref.split('/', 2) : [namespace, ref];
    const obj = this.objects.find((o) => o.group === 'networking.istio.io' && o.kind === 'Gateway' && o.namespace === ns && o.name === name);
    const id = `gateway:${ns}/${name}`;
    if (!obj) {
      this.addNode({
        id, kind: TrafficNodeKind.GATEWAY, title: `Gateway ${name}`, details: ['not in these manifests'],
        namespace: ns, resource: `Gateway ${ns}/${name}`, tone: TrafficTone.WARNING,
      });
    }
    return { id, obj };
  }

  /** Hosts a gateway server offers that no route bound to the gateway uses: clients get 404. */
  private gatewayHostsWithoutRoutes(gateways: Obj[]): void {
    for (const gw of gateways) {
      const id = `gateway:${gw.namespace}/${gw.name}`;
      const served = [...this.edges.values()].filter((e) => e.from === id && e.kind === TrafficEdgeKind.SERVES).map((e) => this.nodes.get(e.to)!.node.title);
      for (const server of asArray(gw.spec.servers)) {
        for (const raw of asArray(server?.hosts)) {
          const host = stripNamespace(String(raw));
          if (served.some((h) => hostMatches(host, h))) continue;
          const hostId = this.hostNode(host, id, gw.namespace);
          this.updateNode(hostId, (n) => ({ ...n, tone: TrafficTone.WARNING, details: ['no route bound to this gateway (404)'] }));
          this.addEdge({ from: id, to: hostId, kind: TrafficEdgeKind.SERVES, label: `${server?.port?.protocol ?? ''} ${server?.port?.number ?? ''}`.trim() || undefined, warning: true });
          served.push(host);
        }
      }
    }
  }

  // ---- VirtualService ----

  private virtualService(vs: Obj): void {
    const gatewayRefs: string[] = asArray(vs.spec.gateways).length ? asArray(vs.spec.gateways).map(String) : ['mesh'];
    const hosts = asArray(vs.spec.hosts).map((h) => this.fqdn(String(h), vs.namespace));
    const normal = (g: string) => (g === 'mesh' || g.includes('/') ? g : `${vs.namespace}/${g}`);
    const via = gatewayRefs.map(normal).sort().join(',');
    // When rules name the gateways they apply at (`match[].gateways`, as an egress route does for
    // `mesh` and the egress gateway), each gateway gets its own host nodes, so the picture follows
    // the traffic (mesh → egress gateway → external host) instead of one shared host.
    const split = gatewayRefs.length > 1 && ['http', 'tls', 'tcp'].some((p) => asArray(vs.spec[p]).some((r: any) => ruleGateways(r) !== undefined));
    const hostIdsAt = new Map<string, string[]>(gatewayRefs.map((g) => [normal(g), hosts.map((h) => this.hostNode(h, split ? normal(g) : via, vs.namespace))]));
    const hostIds = [...new Set([...hostIdsAt.values()].flat())];
    for (const ref of gatewayRefs) {
      const { id, obj } = this.istioGatewayRef(ref, vs.namespace);
      const ids = hostIdsAt.get(normal(ref))!;
      for (let i = 0; i < hosts.length; i++) {
        let label: string | undefined;
        let warning = false;
        if (obj) {
          const servers = asArray(obj.spec.servers).filter((s) => asArray(s?.hosts).some((sh) => hostMatches(stripNamespace(String(sh)), hosts[i])));
          if (servers.length) label = [...new Set(servers.map((s) => `${s?.port?.protocol ?? ''} ${s?.port?.number ?? ''}`.trim()))].join(', ');
          else { label = 'host not on gateway'; warning = true; }
        }
        this.addEdge({ from: id, to: ids[i], kind: TrafficEdgeKind.SERVES, label, warning: warning || undefined });
      }
    }
    const resource = `VirtualService ${vs.namespace}/${vs.name}`;
    for (const protocol of ['http', 'tls', 'tcp'] as const) {
      asArray(vs.spec[protocol]).forEach((rule: any, i: number) => {
        const routeId = `route:${vs.namespace}/${vs.name}/${protocol}[${i}]`;
        const details = [...this.istioMatches(protocol, rule), ...istioRouteBehaviour(rule)];
        this.addNode({
          id: routeId, kind: TrafficNodeKind.ROUTE, namespace: vs.namespace, resource,
          title: `${vs.name} ${protocol}[${i}]${rule?.name ? ` "${rule.name}"` : ''}`, details,
        });
        const at = ruleGateways(rule)?.map(normal);
        const from = split && at ? [...new Set(at.flatMap((g) => hostIdsAt.get(g) ?? []))] : hostIds;
        for (const hostId of from) this.addEdge({ from: hostId, to: routeId, kind: TrafficEdgeKind.MATCHES, label: i === 0 && asArray(vs.spec[protocol]).length === 1 ? undefined : `${protocol} #${i + 1}` });
        const routes = asArray(rule?.route);
        const total = routes.reduce((sum: number, r: any) => sum + (typeof r?.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0), 0);
        for (const r of routes) {
          const d = r?.destination ?? {};
          if (!d.host) continue;
          const weight = typeof r?.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0;
          const percent = total > 0 ? round(weight * 100 / total) : 0;
          const to = this.destinationNode(this.fqdn(String(d.host), vs.namespace), d.subset);
          const parts = [routes.length > 1 || percent !== 100 ? `${percent}%` : '', d.port?.number ? `port ${d.port.number}` : ''].filter(Boolean);
          this.addEdge({ from: routeId, to, kind: TrafficEdgeKind.ROUTES, percent, label: parts.join(' · ') || undefined });
        }
        const mirrors = [...(rule?.mirror ? [{ destination: rule.mirror, percentage: rule.mirrorPercentage }] : []), ...asArray(rule?.mirrors)];
        for (const m of mirrors) {
          const d = m?.destination ?? {};
          if (!d.host) continue;
          const pct = typeof m?.percentage?.value === 'number' ? m.percentage.value : 100;
          this.addEdge({ from: routeId, to: this.destinationNode(this.fqdn(String(d.host), vs.namespace), d.subset), kind: TrafficEdgeKind.MIRRORS, label: `mirror ${round(pct)}%` });
        }
      });
    }
  }

  private istioMatches(protocol: 'http' | 'tls' | 'tcp', rule: any): string[] {
    const matches = asArray(rule?.match);
    if (!matches.length) return ['any request'];
    const lines = matches.map((m: any) => {
      const parts: string[] = [];
      if (protocol === 'http') {
        for (const key of ['uri', 'scheme', 'method', 'authority']) if (m?.[key]) parts.push(`${key} ${stringMatch(m[key])}`);
        for (const [k, v] of Object.entries(m?.headers ?? {})) parts.push(`header ${k} ${stringMatch(v)}`);
        for (const [k, v] of Object.entries(m?.queryParams ?? {})) parts.push(`query ${k} ${stringMatch(v)}`);
        for (const [k] of Object.entries(m?.withoutHeaders ?? {})) parts.push(`without header ${k}`);
      }
      if (asArray(m?.sniHosts).length) parts.push(`SNI ${asArray(m.sniHosts).join(', ')}`);
      if (asArray(m?.destinationSubnets).length) parts.push(`to ${asArray(m.destinationSubnets).join(', ')}`);
      if (m?.port) parts.push(`port ${m.port}`);
      if (m?.sourceLabels) parts.push(`from ${labelText(m.sourceLabels)}`);
      if (m?.sourceNamespace) parts.push(`from namespace ${m.sourceNamespace}`);
      if (asArray(m?.gateways).length) parts.push(`via ${asArray(m.gateways).join(', ')}`);
      return parts.length ? parts.join(' & ') : 'any request';
    });
    return lines.map((l: string, i: number) => (i === 0 ? `match ${l}` : `or ${l}`));
  }

  // ---- Gateway API routes ----

  private k8sRoute(route: Obj): void {
    const parents = asArray(route.spec.parentRefs);
    const hostnames = asArray(route.spec.hostnames).map(String);
    const hosts = hostnames.length ? hostnames : ['*'];
    const isMeshParent = (p: any) => (p?.group === '' && p?.kind === 'Service') || (p?.group === 'networking.istio.io' && p?.kind === 'ServiceEntry')
      // The graph has always read a Service parent without group as GAMMA.
      || (p?.group === undefined && p?.kind === 'Service');
    /** Per parentRef: the parent node, and the label and warning of the edge to the route's hosts. */
    const parentEdges: Array<{ id: string; label?: string; warning?: boolean }> = [];
    for (const p of parents) {
      const ns = p?.namespace ?? route.namespace;
      if (isMeshParent(p)) {
        parentEdges.push({ id: this.meshNode(), label: p?.port ? `port ${p.port}` : undefined });
        continue;
      }
      const kind = p?.kind ?? 'Gateway';
      const listenerSet = kind === 'ListenerSet' ? this.objects.find((o) => o.group === GATEWAY_API_GROUP && o.kind === 'ListenerSet' && o.namespace === ns && o.name === p?.name) : undefined;
      const gwNs = listenerSet ? (listenerSet.spec.parentRef?.namespace ?? listenerSet.namespace) : ns;
      const gwName = listenerSet ? String(listenerSet.spec.parentRef?.name) : String(p?.name);
      const id = `k8sgateway:${gwNs}/${gwName}`;
      const gw = this.objects.find((o) => o.group === GATEWAY_API_GROUP && o.kind === 'Gateway' && o.namespace === gwNs && o.name === gwName);
      if (!this.nodes.has(id)) {
        const missing = kind === 'ListenerSet' && !listenerSet ? `ListenerSet ${ns}/${p?.name} not in these manifests` : 'not in these manifests';
        this.addNode({ id, kind: TrafficNodeKind.GATEWAY, title: `Gateway ${gwName} (Gateway API)`, details: [missing], namespace: gwNs, resource: `Gateway ${gwNs}/${gwName}`, tone: TrafficTone.WARNING });
      }
      parentEdges.push({ id, ...this.attachmentLabel(route, p, listenerSet ?? gw, hostnames) });
    }
    const serviceParents = parents.filter(isMeshParent);
    const effectiveHosts = serviceParents.length && !hostnames.length
      ? serviceParents.map((p: any) => this.meshParentHost(p, route.namespace))
      : hosts;
    const via = parents.map((p: any) => `${p?.kind ?? 'Gateway'}:${p?.namespace ?? route.namespace}/${p?.name}`).sort().join(',');
    const hostIds = effectiveHosts.map((h) => this.hostNode(h, via, route.namespace));
    if (!hostnames.length && !serviceParents.length) {
      this.updateNode(hostIds[0], (n) => (n.details.length ? n : { ...n, details: ['no hostnames: every host of the listener'] }));
    }
    serviceParents.forEach((p: any, i: number) => {
      if (hostnames.length) return;
      this.updateNode(hostIds[i], (n) => (n.details.length ? n : { ...n, details: [`${p.kind} ${p.namespace ?? route.namespace}/${p.name} (mesh parent)`] }));
    });
    for (const e of parentEdges) {
      for (const to of hostIds) this.addEdge({ from: e.id, to, kind: TrafficEdgeKind.SERVES, label: e.label, ...(e.warning ? { warning: true } : {}) });
    }
    const resource = `${route.kind} ${route.namespace}/${route.name}`;
    const rules = asArray(route.spec.rules);
    rules.forEach((rule: any, i: number) => {
      const routeId = `route:${route.namespace}/${route.kind}/${route.name}/rules[${i}]`;
      const details = [...k8sMatches(route.kind, rule), ...k8sBehaviour(rule)];
      this.addNode({ id: routeId, kind: TrafficNodeKind.ROUTE, namespace: route.namespace, resource, title: `${route.name} rules[${i}]${rule?.name ? ` "${rule.name}"` : ''}`, details });
      for (const hostId of hostIds) this.addEdge({ from: hostId, to: routeId, kind: TrafficEdgeKind.MATCHES, label: rules.length > 1 ? `rule #${i + 1}` : undefined });
      const backends = asArray(rule?.backendRefs);
      const weightOf = (b: any) => (typeof b?.weight === 'number' ? b.weight : 1);
      const total = backends.reduce((sum: number, b: any) => sum + weightOf(b), 0);
      const gatewayParent = parents.some((p: any) => !isMeshParent(p));
      for (const b of backends) {
        if (!b?.name) continue;
        const percent = total > 0 ? round(weightOf(b) * 100 / total) : 0;
        const to = this.backendNode(b, route.namespace);
        const denied = gatewayParent && this.refNotPermitted(route, b);
        const parts = [backends.length > 1 || percent !== 100 ? `${percent}%` : '', b.port ? `port ${b.port}` : '', denied ? 'no ReferenceGrant' : ''].filter(Boolean);
        this.addEdge({ from: routeId, to, kind: TrafficEdgeKind.ROUTES, percent, label: parts.join(' · ') || undefined, ...(denied ? { warning: true } : {}) });
      }
      const mirrors = [...asArray(rule?.filters), ...backends.flatMap((b: any) => asArray(b?.filters))];
      for (const f of mirrors) {
        if (f?.type === 'RequestMirror' && f.requestMirror?.backendRef?.name) {
          const pct = typeof f.requestMirror.percent === 'number' ? f.requestMirror.percent
            : f.requestMirror.fraction ? round(100 * f.requestMirror.fraction.numerator / (f.requestMirror.fraction.denominator ?? 100)) : 100;
          const denied = gatewayParent && this.refNotPermitted(route, f.requestMirror.backendRef);
          this.addEdge({
            from: routeId, to: this.backendNode(f.requestMirror.backendRef, route.namespace), kind: TrafficEdgeKind.MIRRORS,
            label: `mirror ${pct}%${denied ? ' · no ReferenceGrant' : ''}`, ...(denied ? { warning: true } : {}),
          });
        }
      }
    });
  }

  /**
   * The label of the edge from a Gateway (or a ListenerSet's Gateway) to a route's hosts: the
   * listeners the parentRef attaches to, or, when none takes the route, why (a warning edge).
   */
  private attachmentLabel(route: Obj, ref: any, parent: Obj | undefined, hostnames: string[]): { label?: string; warning?: boolean } {
    const named = ref?.sectionName ? `listener ${ref.sectionName}` : ref?.port ? `port ${ref.port}` : undefined;
    if (!parent || !asArray(parent.spec.listeners).length) return { label: named };
    const namespaceLabels = (ns: string) => this.objects.find((o) => o.group === '' && o.kind === 'Namespace' && o.name === ns)?.labels;
    const result = attach({ kind: route.kind, namespace: route.namespace, hostnames }, ref, listenersOf(parent.spec), parent.namespace, namespaceLabels);
    if (result.attached.length) return { label: `listener${result.attached.length > 1 ? 's' : ''} ${result.attached.map((l) => l.name).join(', ')}` };
    if (!result.candidates.length) return { label: `not attached: no ${named ?? 'listener'}`, warning: true };
    const reasons = [...new Set(result.refusals.map((r) => r.reason === 'hostname' ? 'hostname' : r.reason === 'namespace' ? 'namespace not allowed' : `${route.kind} not allowed`))];
    return { label: `not attached (${result.refusals.map((r) => r.listener.name).join(', ')}): ${reasons.join(', ')}`, warning: true };
  }

  /** Whether a route's backendRef to a Service of another namespace lacks a ReferenceGrant of these manifests. */
  private refNotPermitted(route: Obj, ref: any): boolean {
    const kind = ref?.kind ?? 'Service';
    const group = ref?.group ?? '';
    const ns = ref?.namespace ?? route.namespace;
    if (ns === route.namespace || kind !== 'Service' || group !== '') return false;
    return !this.list(GATEWAY_API_GROUP, 'ReferenceGrant').some((g) => g.namespace === ns
      && grantAllows(g.spec, { group: GATEWAY_API_GROUP, kind: route.kind, namespace: route.namespace }, { group: '', kind: 'Service', name: String(ref.name) }));
  }

  /** The host a mesh parent (a Service, or an Istio ServiceEntry: its first host) stands for. */
  private meshParentHost(p: any, namespace: string): string {
    const ns = p.namespace ?? namespace;
    if (p.kind === 'ServiceEntry') {
      const se = this.objects.find((o) => o.group === 'networking.istio.io' && o.kind === 'ServiceEntry' && o.namespace === ns && o.name === p.name);
      const host = asArray(se?.spec.hosts)[0];
      if (typeof host === 'string') return this.fqdn(host, ns);
    }
    return this.fqdn(String(p.name), ns);
  }

  /**
   * The destination node of a Gateway API backendRef. A Service of these manifests adds what it
   * selects (the Gateway API has no subsets: a version is a Service of its own, selecting
   * `version: v1`, say).
   */
  private backendNode(ref: any, namespace: string): string {
    const id = this.destinationNode(this.backendHost(ref, namespace));
    if ((ref?.kind ?? 'Service') !== 'Service' || (ref?.group ?? '') !== '') return id;
    const ns = ref.namespace ?? namespace;
    const svc = this.objects.find((o) => o.group === '' && o.kind === 'Service' && o.namespace === ns && o.name === ref.name);
    const selector = labelText(svc?.spec.selector);
    if (selector) this.backendDetails.set(id, `Service selects ${selector}`);
    return id;
  }

  private backendHost(ref: any, namespace: string): string {
    const kind = ref?.kind ?? 'Service';
    const ns = ref?.namespace ?? namespace;
    if (kind === 'Service') return `${ref.name}.${ns}.svc.${this.domain}`;
    if (kind === 'Hostname') return String(ref.name);
    return `${kind} ${ns}/${ref.name}`;
  }

  // ---- destinations and DestinationRules ----

  private destinationNode(host: string, subset?: string): string {
    const id = `destination:${host}${subset ? `#${subset}` : ''}`;
    this.addNode({ id, kind: TrafficNodeKind.DESTINATION, title: host, details: subset ? [`subset ${subset}`] : [], namespace: this.serviceNamespace(host) });
    return id;
  }

  /** The DestinationRules whose host matches a destination host (exact first, then wildcards). */
  private destinationRulesFor(host: string): Obj[] {
    const rules = this.list('networking.istio.io', 'DestinationRule').filter((dr) => dr.spec.host);
    const exact = rules.filter((dr) => this.fqdn(String(dr.spec.host), dr.namespace) === host);
    return exact.length ? exact : rules.filter((dr) => hostMatches(this.fqdn(String(dr.spec.host), dr.namespace), host));
  }

  /** Adds subsets, traffic policies and ServiceEntries to destination nodes; DestinationRules no route uses get a node of their own. */
  private describeDestinations(): void {
    for (const dr of this.list('networking.istio.io', 'DestinationRule')) {
      if (!dr.spec.host) continue;
      const host = this.fqdn(String(dr.spec.host), dr.namespace);
      const used = [...this.nodes.values()].some((n) => n.node.kind === TrafficNodeKind.DESTINATION && hostMatches(host, n.node.title));
      if (!used) this.destinationNode(host);
    }
    for (const { node } of [...this.nodes.values()]) {
      if (node.kind !== TrafficNodeKind.DESTINATION) continue;
      const subsetName = node.id.includes('#') ? node.id.slice(node.id.indexOf('#') + 1) : undefined;
      const rules = this.destinationRulesFor(node.title);
      const details: string[] = [];
      let tone = TrafficTone.NORMAL;
      const dr = rules[0];
      const subsets: Subset[] = dr ? asArray(dr.spec.subsets).map((s: any) => ({ name: String(s?.name), labels: s?.labels ?? {}, trafficPolicy: s?.trafficPolicy })) : [];
      if (subsetName) {
        const subset = rules.flatMap((r) => asArray(r.spec.subsets)).find((s: any) => s?.name === subsetName);
        if (subset) {
          details.push(`subset ${subsetName}${subset.labels ? ` (${labelText(subset.labels)})` : ''}`);
        } else {
          details.push(`subset ${subsetName}: no DestinationRule defines it (503)`);
          tone = TrafficTone.WARNING;
        }
        if (subset?.trafficPolicy) details.push(...trafficPolicyText(subset.trafficPolicy).map((t) => `subset ${t}`));
      } else if (subsets.length) {
        details.push(`subsets ${subsets.map((s) => s.name).join(', ')}`);
      }
      const selects = this.backendDetails.get(node.id);
      if (selects) details.push(selects);
      const drName = (r: Obj) => (r.namespace === node.namespace ? r.name : `${r.namespace}/${r.name}`);
      if (dr) {
        details.push(`DestinationRule ${drName(dr)}`);
        details.push(...trafficPolicyText(dr.spec.trafficPolicy));
      }
      // Istio merges DestinationRules for one host into the oldest (here: the first by namespace and name):
      // the others add subsets, their trafficPolicy is ignored.
      for (const other of rules.slice(1)) {
        const ignored = other.spec.trafficPolicy !== undefined;
        details.push(`also DestinationRule ${drName(other)}: merged${ignored ? ', its trafficPolicy ignored' : ''}`);
        if (ignored) tone = TrafficTone.WARNING;
      }
      const entry = this.serviceEntryFor(node.title);
      let role: TrafficNodeRole | undefined;
      if (entry) {
        const location = entry.spec.location ?? 'MESH_EXTERNAL';
        const ports = asArray(entry.spec.ports).map((p: any) => `${p?.protocol ?? 'TCP'} ${p?.number ?? '?'}${p?.targetPort && p.targetPort !== p.number ? `→${p.targetPort}` : ''}`);
        details.unshift(`${location === 'MESH_EXTERNAL' ? 'outside the mesh' : 'in the mesh'}: ServiceEntry ${entry.namespace}/${entry.name}`);
        details.push(`resolution ${entry.spec.resolution ?? 'NONE'}${ports.length ? ` · ${ports.join(', ')}` : ''}`);
        if (location === 'MESH_EXTERNAL') role = TrafficNodeRole.EXTERNAL;
      } else if (!node.namespace && !node.title.includes('.svc.') && node.title.includes('.') && !node.title.includes(' ')) {
        // A host outside the cluster that no ServiceEntry of these manifests declares: Istio has no cluster for it.
        details.push('no ServiceEntry here: outside the registry, traffic routed to it is dropped');
        tone = TrafficTone.WARNING;
      }
      this.updateNode(node.id, (n) => ({ ...n, details, tone, ...(role ? { role } : {}) }));
    }
  }

  /** The ServiceEntry declaring a host (an exact host first, then a wildcard one), if any. */
  private serviceEntryFor(host: string): Obj | undefined {
    const entries = this.list('networking.istio.io', 'ServiceEntry');
    return entries.find((se) => asArray(se.spec.hosts).some((h) => String(h) === host))
      ?? entries.find((se) => asArray(se.spec.hosts).some((h) => hostMatches(String(h), host)));
  }

  // ---- egress ----

  /**
   * Marks the egress gateways (an Istio Gateway whose routes lead to a host outside the mesh, or
   * that selects `istio: egressgateway`) and links the destinations that are a gateway's Service to
   * the gateway (ENTERS), so an egress route reads mesh → egress gateway Service → egress gateway →
   * external host. A destination is a gateway's Service when a Service of these manifests selects a
   * subset of the gateway's selector labels, or when one VirtualService bound to `mesh` and to the
   * gateway sends the mesh's traffic to it and the gateway's traffic outside the mesh (Istio's
   * egress gateway pattern).
   */
  private egress(gateways: Obj[]): void {
    const nodes = [...this.nodes.values()].map((n) => n.node);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const external = (id: string) => byId.get(id)?.role === TrafficNodeRole.EXTERNAL;
    const edgesFrom = new Map<string, TrafficEdge[]>();
    for (const e of this.edges.values()) push(edgesFrom, e.from, e);
    /** The destinations reached from a gateway node: gateway → host → route → destination. */
    const reached = (gatewayId: string): string[] => (edgesFrom.get(gatewayId) ?? []).filter((e) => e.kind === TrafficEdgeKind.SERVES)
      .flatMap((e) => (edgesFrom.get(e.to) ?? []).filter((m) => m.kind === TrafficEdgeKind.MATCHES))
      .flatMap((m) => (edgesFrom.get(m.to) ?? []).filter((r) => r.kind === TrafficEdgeKind.ROUTES).map((r) => r.to));
    for (const gw of gateways) {
      const id = `gateway:${gw.namespace}/${gw.name}`;
      const toOutside = reached(id).some(external);
      if (!toOutside && gw.spec.selector?.istio !== 'egressgateway') continue;
      this.updateNode(id, (n) => ({ ...n, role: TrafficNodeRole.EGRESS_GATEWAY, title: `${n.title} (egress)` }));
      // The gateway's Service, by selector.
      const selector: Record<string, string> = gw.spec.selector ?? {};
      for (const svc of this.objects) {
        if (svc.group !== '' || svc.kind !== 'Service' || !svc.spec.selector || !Object.keys(svc.spec.selector).length) continue;
        if (!selectorMatches(svc.spec.selector, selector)) continue;
        const to = byId.get(`destination:${svc.name}.${svc.namespace}.svc.${this.domain}`);
        if (to) this.addEdge({ from: to.id, to: id, kind: TrafficEdgeKind.ENTERS });
      }
    }
    // One VirtualService bound to `mesh` and to a gateway: its mesh-only rules' cluster-local destinations enter that gateway.
    for (const vs of this.list('networking.istio.io', 'VirtualService')) {
      const refs = asArray(vs.spec.gateways).map(String);
      if (!refs.includes('mesh')) continue;
      for (const ref of refs) {
        if (ref === 'mesh') continue;
        const gwId = `gateway:${ref.includes('/') ? ref : `${vs.namespace}/${ref}`}`;
        if (this.nodes.get(gwId)?.node.role !== TrafficNodeRole.EGRESS_GATEWAY) continue;
        for (const protocol of ['http', 'tls', 'tcp']) {
          for (const rule of asArray(vs.spec[protocol])) {
            const at = ruleGateways(rule);
            if (!at || at.some((g) => g !== 'mesh')) continue;
            for (const r of asArray(rule?.route)) {
              const host = r?.destination?.host ? this.fqdn(String(r.destination.host), vs.namespace) : '';
              if (!this.serviceNamespace(host)) continue;
              const to = `destination:${host}${r.destination.subset ? `#${r.destination.subset}` : ''}`;
              if (this.nodes.has(to)) this.addEdge({ from: to, to: gwId, kind: TrafficEdgeKind.ENTERS });
            }
          }
        }
      }
    }
  }

  // ---- policies ----

  /** The labels of the workloads behind a destination, when the manifests say (a Service selector, plus subset labels). */
  private workloadLabels(node: TrafficNode): Record<string, string> | undefined {
    const ns = node.namespace;
    if (!ns) return undefined;
    const name = node.title.split('.')[0];
    const service = this.objects.find((o) => o.group === '' && o.kind === 'Service' && o.namespace === ns && o.name === name);
    if (!service?.spec.selector) return undefined;
    const subsetName = node.id.includes('#') ? node.id.slice(node.id.indexOf('#') + 1) : undefined;
    const subset = subsetName ? this.destinationRulesFor(node.title).flatMap((r) => asArray(r.spec.subsets)).find((s: any) => s?.name === subsetName) : undefined;
    return { ...service.spec.selector, ...(subset?.labels ?? {}) };
  }

  private policy(p: Obj): void {
    const id = `policy:${p.kind}/${p.namespace}/${p.name}`;
    const details: string[] = [];
    let tone = TrafficTone.NORMAL;
    if (p.kind === 'PeerAuthentication') {
      details.push(`mTLS ${p.spec.mtls?.mode ?? 'UNSET (inherit)'}`);
      for (const [port, v] of Object.entries(p.spec.portLevelMtls ?? {})) details.push(`port ${port}: ${(v as any)?.mode ?? 'UNSET'}`);
    } else if (p.kind === 'RequestAuthentication') {
      for (const r of asArray(p.spec.jwtRules)) details.push(`JWT issuer ${r?.issuer ?? '?'}`);
    } else {
      const action = p.spec.action ?? 'ALLOW';
      const rules = asArray(p.spec.rules);
      details.push(action === 'CUSTOM' ? `CUSTOM (${p.spec.provider?.name ?? '?'})` : action);
      if (action === 'DENY') tone = TrafficTone.DENY;
      if (action === 'ALLOW' && !rules.length) { details.push('no rules: denies every request'); tone = TrafficTone.DENY; }
      for (const r of rules.slice(0, 3)) details.push(authorizationRuleText(r));
      if (rules.length > 3) details.push(`+${rules.length - 3} more rules`);
    }
    const selector = p.spec.selector?.matchLabels;
    const targetRefs = [...(p.spec.targetRef ? [p.spec.targetRef] : []), ...asArray(p.spec.targetRefs)];
    if (targetRefs.length) details.push(`targets ${targetRefs.map((t: any) => `${t?.kind} ${t?.name}`).join(', ')}`);
    else if (selector && Object.keys(selector).length) details.push(`workloads ${labelText(selector)}`);
    else details.push(p.namespace === this.rootNamespace ? 'whole mesh (root namespace)' : `every workload in ${p.namespace}`);
    this.addNode({ id, kind: TrafficNodeKind.POLICY, title: `${p.kind} ${p.name}`, details, namespace: p.namespace, resource: `${p.kind} ${p.namespace}/${p.name}`, tone });

    const candidates = [...this.nodes.values()].map((n) => n.node);
    for (const t of targetRefs) {
      const ns = t?.namespace ?? p.namespace;
      if (t?.kind === 'Gateway') this.addEdge({ from: id, to: `k8sgateway:${ns}/${t.name}`, kind: TrafficEdgeKind.APPLIES });
      if (t?.kind === 'Service') {
        for (const n of candidates) if (n.kind === TrafficNodeKind.DESTINATION && n.title === `${t.name}.${ns}.svc.${this.domain}`) this.addEdge({ from: id, to: n.id, kind: TrafficEdgeKind.APPLIES });
      }
    }
    if (targetRefs.length || !selector || !Object.keys(selector).length) return;
    for (const n of candidates) {
      if (n.kind === TrafficNodeKind.GATEWAY && n.namespace === p.namespace && n.id.startsWith('gateway:')) {
        const gw = this.objects.find((o) => o.kind === 'Gateway' && o.group === 'networking.istio.io' && `gateway:${o.namespace}/${o.name}` === n.id);
        if (gw && selectorMatches(selector, gw.spec.selector ?? {})) this.addEdge({ from: id, to: n.id, kind: TrafficEdgeKind.APPLIES });
      }
      if (n.kind === TrafficNodeKind.DESTINATION && (n.namespace === p.namespace || p.namespace === this.rootNamespace)) {
        const labels = this.workloadLabels(n);
        if (labels && selectorMatches(selector, labels)) this.addEdge({ from: id, to: n.id, kind: TrafficEdgeKind.APPLIES });
      }
    }
  }
}

// ---- text helpers ----

/** The gateways a route rule's matches name (`match[].gateways`), or undefined when one match names none (the rule applies at every gateway). */
function ruleGateways(rule: any): string[] | undefined {
  const matches = asArray(rule?.match);
  if (!matches.length) return undefined;
  const named = matches.map((m: any) => asArray(m?.gateways).map(String));
  if (named.some((g) => g.length === 0)) return undefined;
  return [...new Set(named.flat())];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v); else m.set(k, [v]);
}

function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** `ns/host` or `./host` (Gateway server hosts) → `host`. */
function stripNamespace(host: string): string {
  return host.includes('/') ? host.slice(host.indexOf('/') + 1) : host;
}

/** Whether two host patterns overlap (`*` and `*.example.com` wildcards on either side). */
function hostMatches(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const wild = (p: string, h: string) => p.startsWith('*.') && (h.endsWith(p.slice(1)) || (h.startsWith('*.') && h.endsWith(p.slice(1))));
  return wild(a, b) || wild(b, a);
}

function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function labelText(labels: unknown): string {
  if (!labels || typeof labels !== 'object') return '';
  return Object.entries(labels as Record<string, unknown>).sort(([a], [b]) => cmp(a, b)).map(([k, v]) => `${k}=${v}`).join(', ');
}

function stringMatch(m: any): string {
  if (m && typeof m === 'object') {
    if ('exact' in m) return `= ${m.exact}`;
    if ('prefix' in m) return `prefix ${m.prefix}`;
    if ('regex' in m) return `~ ${m.regex}`;
  }
  return 'present';
}

function duration(d: unknown): string {
  return typeof d === 'string' ? d : '?';
}

/** Faults, timeouts, retries, rewrites, redirects and direct responses of a VirtualService route. */
function istioRouteBehaviour(rule: any): string[] {
  const out: string[] = [];
  const fault = rule?.fault;
  if (fault?.delay) out.push(`fault: delay ${duration(fault.delay.fixedDelay)} (${fault.delay.percentage?.value ?? fault.delay.percent ?? 100}%)`);
  if (fault?.abort) {
    const what = fault.abort.httpStatus ?? (fault.abort.grpcStatus ? `gRPC ${fault.abort.grpcStatus}` : '?');
    out.push(`fault: abort ${what} (${fault.abort.percentage?.value ?? 100}%)`);
  }
  if (rule?.timeout) out.push(`timeout ${rule.timeout}`);
  if (rule?.retries) {
    const r = rule.retries;
    out.push(r.attempts === 0 ? 'retries off' : `retries ${r.attempts ?? '?'}${r.perTryTimeout ? ` × ${r.perTryTimeout}` : ''}${r.retryOn ? ` on ${r.retryOn}` : ''}`);
  }
  if (rule?.rewrite) out.push(`rewrite ${[rule.rewrite.uri ? `uri ${rule.rewrite.uri}` : '', rule.rewrite.authority ? `authority ${rule.rewrite.authority}` : ''].filter(Boolean).join(', ') || '...'}`);
  if (rule?.redirect) out.push(`redirect ${[rule.redirect.scheme, rule.redirect.authority, rule.redirect.uri].filter(Boolean).join(' ') || '...'} (${rule.redirect.redirectCode ?? 301})`);
  if (rule?.directResponse) out.push(`direct response ${rule.directResponse.status}`);
  if (rule?.headers) out.push('headers changed');
  return out;
}

/** One listener of a Gateway API Gateway: `name: PROTOCOL port hostname · TLS mode · routes from X (kinds)`. */
function listenerText(l: any): string {
  const parts = [`${l?.name ?? '?'}: ${l?.protocol ?? '?'} ${l?.port ?? '?'}${l?.hostname ? ` ${l.hostname}` : ''}`];
  if (l?.tls) parts.push(`TLS ${l.tls.mode ?? 'Terminate'}`);
  const from = l?.allowedRoutes?.namespaces?.from;
  const kinds = asArray(l?.allowedRoutes?.kinds).map((k: any) => k?.kind).filter(Boolean);
  if (from && from !== 'Same') parts.push(`routes from ${from === 'Selector' ? `namespaces ${labelText(l.allowedRoutes.namespaces.selector?.matchLabels) || 'by selector'}` : from}`);
  if (kinds.length) parts.push(`${kinds.join(', ')} only`);
  return parts.join(' · ');
}

function k8sMatches(kind: string, rule: any): string[] {
  const matches = asArray(rule?.matches);
  if (!matches.length) return ['any request'];
  const lines = matches.map((m: any) => {
    const parts: string[] = [];
    if (kind === 'GRPCRoute') {
      if (m?.method) parts.push(`method ${m.method.service ?? '*'}/${m.method.method ?? '*'}`);
    } else {
      if (m?.path) parts.push(`path ${m.path.type === 'Exact' ? '=' : m.path.type === 'RegularExpression' ? '~' : 'prefix'} ${m.path.value ?? '/'}`);
      if (m?.method) parts.push(`method ${m.method}`);
      for (const q of asArray(m?.queryParams)) parts.push(`query ${q?.name} = ${q?.value}`);
    }
    for (const h of asArray(m?.headers)) parts.push(`header ${h?.name} ${h?.type === 'RegularExpression' ? '~' : '='} ${h?.value}`);
    return parts.length ? parts.join(' & ') : 'any request';
  });
  return lines.map((l: string, i: number) => (i === 0 ? `match ${l}` : `or ${l}`));
}

function k8sBehaviour(rule: any): string[] {
  const out: string[] = [];
  if (rule?.timeouts?.request) out.push(`timeout ${rule.timeouts.request}`);
  if (rule?.timeouts?.backendRequest) out.push(`backend timeout ${rule.timeouts.backendRequest}`);
  if (rule?.retry) out.push(`retries ${rule.retry.attempts ?? '?'}${rule.retry.codes ? ` on ${asArray(rule.retry.codes).join(',')}` : ''}`);
  for (const f of asArray(rule?.filters)) {
    if (f?.type === 'URLRewrite') out.push(`rewrite ${rewriteText(f.urlRewrite) || '...'}`);
    else if (f?.type === 'RequestRedirect') {
      const r = f.requestRedirect ?? {};
      const to = [r.scheme ? `scheme ${r.scheme}` : '', r.hostname ? `host ${r.hostname}` : '', r.port ? `port ${r.port}` : '', pathText(r.path)].filter(Boolean).join(', ');
      out.push(`redirect ${to || '...'} (${r.statusCode ?? 302})`);
    } else if (f?.type === 'RequestHeaderModifier') out.push(`request headers: ${headerText(f.requestHeaderModifier)}`);
    else if (f?.type === 'ResponseHeaderModifier') out.push(`response headers: ${headerText(f.responseHeaderModifier)}`);
    else if (f?.type && f.type !== 'RequestMirror') out.push(`filter ${f.type}`);
  }
  return out;
}

/** A URLRewrite: `host x, path prefix → /y`. */
function rewriteText(r: any): string {
  return [r?.hostname ? `host ${r.hostname}` : '', pathText(r?.path)].filter(Boolean).join(', ');
}

/** A rewrite or redirect path: `path /x` (full) or `prefix → /x`. */
function pathText(p: any): string {
  if (p?.type === 'ReplaceFullPath') return ` path ${p.replaceFullPath}`.trim();
  if (p?.type === 'ReplacePrefixMatch') return ` prefix → ${p.replacePrefixMatch}`.trim();
  return '';
}

/** A header modifier: `set a, add b, remove c`. */
function headerText(m: any): string {
  const names = (key: string) => asArray(m?.[key]).map((h: any) => (typeof h === 'string' ? h : h?.name)).filter(Boolean);
  return [['set', names('set')], ['add', names('add')], ['remove', names('remove')]]
    .filter(([, n]) => (n as string[]).length).map(([k, n]) => `${k} ${shortList(n as string[])}`).join(', ') || 'none';
}

/** One line per traffic policy setting that changes behaviour: TLS mode, load balancer, outlier detection, connection pool. */
function trafficPolicyText(policy: any): string[] {
  if (!policy || typeof policy !== 'object') return [];
  const out: string[] = [];
  if (policy.tls?.mode) out.push(`TLS ${policy.tls.mode}${policy.tls.sni ? ` (SNI ${policy.tls.sni})` : ''}`);
  const lb = policy.loadBalancer;
  if (lb?.simple) out.push(`LB ${lb.simple}`);
  if (lb?.consistentHash) {
    const h = lb.consistentHash;
    const key = h.httpHeaderName ? `header ${h.httpHeaderName}` : h.httpCookie ? `cookie ${h.httpCookie.name}` : h.useSourceIp ? 'source IP' : h.httpQueryParameterName ? `query ${h.httpQueryParameterName}` : '?';
    out.push(`LB consistent hash on ${key}`);
  }
  const od = policy.outlierDetection;
  if (od) {
    const errors = od.consecutive5xxErrors ?? od.consecutiveGatewayErrors ?? od.consecutiveErrors;
    out.push(`outlier: eject after ${errors ?? 5} errors${od.interval ? ` / ${od.interval}` : ''}${od.baseEjectionTime ? ` for ${od.baseEjectionTime}` : ''}`);
  }
  const pool = policy.connectionPool;
  if (pool) {
    const parts = [
      pool.tcp?.maxConnections !== undefined ? `${pool.tcp.maxConnections} conn` : '',
      pool.http?.http1MaxPendingRequests !== undefined ? `${pool.http.http1MaxPendingRequests} pending` : '',
      pool.http?.maxRequestsPerConnection !== undefined ? `${pool.http.maxRequestsPerConnection} req/conn` : '',
    ].filter(Boolean);
    out.push(`pool: ${parts.join(', ') || 'limits set'}`);
  }
  for (const pl of asArray(policy.portLevelSettings)) {
    const inner = trafficPolicyText({ ...pl, portLevelSettings: undefined });
    if (inner.length) out.push(`port ${pl?.port?.number ?? '?'}: ${inner.join('; ')}`);
  }
  return out;
}

function authorizationRuleText(rule: any): string {
  const parts: string[] = [];
  for (const f of asArray(rule?.from)) {
    const s = f?.source ?? {};
    for (const key of ['principals', 'namespaces', 'ipBlocks', 'requestPrincipals', 'remoteIpBlocks', 'notPrincipals', 'notNamespaces']) {
      if (asArray(s[key]).length) parts.push(`${key} ${shortList(s[key])}`);
    }
  }
  for (const t of asArray(rule?.to)) {
    const o = t?.operation ?? {};
    for (const key of ['methods', 'paths', 'ports', 'hosts', 'notPaths', 'notMethods']) {
      if (asArray(o[key]).length) parts.push(`${key} ${shortList(o[key])}`);
    }
  }
  if (asArray(rule?.when).length) parts.push(`when ${asArray(rule.when).map((w: any) => w?.key).join(', ')}`);
  return parts.length ? `rule: ${parts.join('; ')}` : 'rule: any request';
}

function shortList(values: unknown[]): string {
  const items = values.map(String);
  return items.length > 2 ? `${items.slice(0, 2).join(', ')} +${items.length - 2}` : items.join(', ');
}
