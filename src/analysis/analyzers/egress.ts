/**
 * The library's egress analyzers (`library.*`, codes `ICA`): routes to an external host that no
 * ServiceEntry declares although the program names it on purpose (ICA0004), TLS originated by a
 * DestinationRule toward a port where the application already speaks TLS (ICA0005), and gateway
 * routes to a ServiceEntry host with `resolution: NONE` (ICA0006). All run by default; each reads
 * through indexes built once, so the cost stays linear in the objects (times the labels of a host).
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/
 * @internal
 */
import { EXTERNAL_HOST_REFERENCE } from '../assumed';
import { K } from '../kinds';
import { DiagnosticLevel } from '../messages';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { ServiceRegistry, toFqdn, visibleNamespaces } from '../util';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const show = (r: Resource) => (r.namespace ? `${r.namespace}/${r.name}` : r.name);

/** The group/kind key of the marker `assumedObjects` writes for an `ExternalHost.fromName`. */
const REFERENCE_KIND = `${EXTERNAL_HOST_REFERENCE.apiVersion.split('/')[0]}/${EXTERNAL_HOST_REFERENCE.kind}`;

/** The reserved gateway name that binds a VirtualService to every sidecar. */
const MESH = 'mesh';

/** The suffixes of a host that start at a dot, longest first (`a.b.c` → `.b.c`, `.c`). */
function dotSuffixes(host: string): string[] {
  const out: string[] = [];
  for (let i = host.indexOf('.', 1); i >= 0; i = host.indexOf('.', i + 1)) out.push(host.slice(i));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The external hosts the program names on purpose

/** The hosts of the `ExternalHostReference` markers of an analysis: exact ones and wildcard suffixes. */
interface NamedHosts {
  readonly exact: ReadonlySet<string>;
  /** `.wikipedia.org` for `*.wikipedia.org`. */
  readonly wildcardSuffixes: ReadonlySet<string>;
}

const namedHostsCache = new WeakMap<AnalysisContext, NamedHosts>();

function namedHosts(ctx: AnalysisContext): NamedHosts {
  let n = namedHostsCache.get(ctx);
  if (n) return n;
  const exact = new Set<string>();
  const wildcardSuffixes = new Set<string>();
  for (const r of ctx.list(REFERENCE_KIND)) {
    const host = str(r.spec.host).toLowerCase();
    if (!host) continue;
    if (host.startsWith('*.')) wildcardSuffixes.add(host.slice(1));
    else exact.add(host);
  }
  namedHostsCache.set(ctx, n = { exact, wildcardSuffixes });
  return n;
}

/**
 * Whether the program names `host` on purpose as an external host (an `ExternalHost.fromName`,
 * passed to the analysis as an `ExternalHostReference` marker): Istio's IST0101 is then replaced
 * by the library's ICA0004. Constant time per label of the host. @internal
 */
export function isNamedExternalHost(ctx: AnalysisContext, host: string): boolean {
  const n = namedHosts(ctx);
  if (n.exact.size === 0 && n.wildcardSuffixes.size === 0) return false;
  const h = host.toLowerCase();
  if (n.exact.has(h)) return true;
  if (h.startsWith('*.') && n.wildcardSuffixes.has(h.slice(1))) return true;
  return dotSuffixes(h).some((s) => n.wildcardSuffixes.has(s));
}

/** Whether the mesh config sends traffic for hosts outside the registry nowhere (`REGISTRY_ONLY`). */
function registryOnly(ctx: AnalysisContext): boolean {
  return ctx.options.meshConfig?.outboundTrafficPolicy?.mode === 'REGISTRY_ONLY';
}

/** One destination of a VirtualService: rule kind (`http`, `tcp`, `tls`, `mirror`), host, path. */
interface Destination {
  readonly rule: 'http' | 'tcp' | 'tls' | 'mirror';
  readonly host: string;
  readonly port?: number;
  readonly path: string;
}

function destinations(spec: any): Destination[] {
  const out: Destination[] = [];
  const portOf = (d: any) => (isRecord(d?.port) && d.port.number !== undefined ? Number(d.port.number) : undefined);
  for (const rule of ['tcp', 'tls', 'http'] as const) {
    arr(spec[rule]).forEach((r: any, i: number) => arr(r?.route).forEach((rd: any, j: number) => {
      const d = rd?.destination;
      if (str(d?.host)) out.push({ rule, host: d.host, port: portOf(d), path: `spec.${rule}[${i}].route[${j}].destination` });
    }));
  }
  arr(spec.http).forEach((r: any, i: number) => {
    if (str(r?.mirror?.host)) out.push({ rule: 'mirror', host: r.mirror.host, port: portOf(r.mirror), path: `spec.http[${i}].mirror` });
    arr(r?.mirrors).forEach((m: any, j: number) => {
      if (str(m?.destination?.host)) out.push({ rule: 'mirror', host: m.destination.host, port: portOf(m.destination), path: `spec.http[${i}].mirrors[${j}].destination` });
    });
  });
  return out;
}

/** The gateways a VirtualService is bound to, other than `mesh`, and whether `mesh` is among them (or none is named). */
function bindings(vs: Resource): { gateways: string[]; mesh: boolean } {
  const refs = arr(vs.spec.gateways).filter((g): g is string => typeof g === 'string');
  return { gateways: refs.filter((g) => g !== MESH), mesh: refs.length === 0 || refs.includes(MESH) };
}

/** The destinations of a VirtualService with the gateways their rule's matches restrict them to (undefined: every bound gateway). */
function destinationsWithGateways(spec: any): Array<Destination & { gateways?: string[] }> {
  const gatewaysOfRule = (rule: string, i: number): string[] | undefined => {
    const matches = arr(spec[rule]?.[i]?.match);
    if (!matches.length) return undefined;
    const named = matches.map((m: any) => arr(m?.gateways).filter((g): g is string => typeof g === 'string'));
    // One match without gateways applies at every bound gateway.
    if (named.some((g) => g.length === 0)) return undefined;
    return [...new Set(named.flat())];
  };
  return destinations(spec).map((d) => {
    const m = /^spec\.(http|tcp|tls)\[(\d+)\]/.exec(d.path);
    return m ? { ...d, gateways: gatewaysOfRule(m[1], Number(m[2])) } : d;
  });
}

// ---------------------------------------------------------------------------------------------
// ICA0004: a route to an external host named on purpose that no ServiceEntry declares

/**
 * ICA0004 ExternalHostNotDeclared: a VirtualService route (or mirror) whose destination is an
 * external host the program names on purpose (`ExternalHost.fromName`) and that no Service or
 * ServiceEntry visible to the VirtualService declares. Istio builds clusters only for hosts of its
 * registry, and drops traffic sent to a destination outside it; what that does depends on where the
 * route applies (read from Istio's route and listener generation):
 *
 * - bound to a gateway: the gateway sends the requests to a cluster that does not exist (HTTP 503,
 *   TCP/TLS connections closed); gateways have no passthrough. Error.
 * - an HTTP route at the sidecars: the sidecars apply it (for a VirtualService host outside the
 *   registry, on port 80 only) and requests it matches fail with 503 whatever the outbound traffic
 *   policy. Error.
 * - a TCP/TLS route at the sidecars of a VirtualService whose hosts are all outside the registry:
 *   the sidecars never apply it; with the mesh's outbound traffic policy ALLOW_ANY connections to
 *   the host leave through the passthrough cluster, without the route's rules. Warning; Error with
 *   REGISTRY_ONLY (connections go to the black hole cluster). When one of its hosts is in the
 *   registry, the route is applied and its connections are closed. Error.
 * - a mirror: the mirrored copies are dropped (the requests themselves are served). Warning.
 *
 * Only hosts the engines pass as `ExternalHostReference` markers (`assumedObjects`) are reported
 * here; every other unresolved host stays Istio's IST0101 (`virtualservice.DestinationHostAnalyzer`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
 */
const externalHostAnalyzer: Analyzer = {
  name: 'library.ExternalHostAnalyzer',
  analyze(ctx) {
    const named = namedHosts(ctx);
    if (named.exact.size === 0 && named.wildcardSuffixes.size === 0) return;
    const registry = ServiceRegistry.of(ctx);
    const strict = registryOnly(ctx);
    for (const vs of ctx.list(K.VirtualService)) {
      const bound = bindings(vs);
      let ownHostsKnown: boolean | undefined;
      for (const d of destinationsWithGateways(vs.spec)) {
        // A rule whose matches name gateways applies only at those.
        const gateways = d.gateways ? d.gateways.filter((g) => g !== MESH) : bound.gateways;
        const mesh = d.gateways ? d.gateways.includes(MESH) : bound.mesh;
        if (registry.lookup(vs.namespace, vs.spec.exportTo, d.host)) continue;
        if (!isNamedExternalHost(ctx, d.host)) continue;
        const what = d.rule === 'mirror' ? 'mirror destination' : `${d.rule.toUpperCase()} route destination`;
        const head = `${what} ${JSON.stringify(d.host)} is an external host (ExternalHost.fromName) that no ServiceEntry visible from namespace `
          + `${JSON.stringify(vs.namespace)} declares, so Istio builds no cluster for it (traffic routed there is dropped): `;
        const effects: string[] = [];
        let level: DiagnosticLevel = 'Warning';
        if (gateways.length && d.rule === 'mirror') {
          effects.push(`at gateway ${gateways.join(', ')} the mirrored copies are dropped (the requests themselves are served)`);
        } else if (gateways.length) {
          level = 'Error';
          effects.push(`at gateway ${gateways.join(', ')} the requests go to a cluster that does not exist `
            + '(HTTP 503, TCP/TLS connections closed; a gateway has no passthrough)');
        }
        if (mesh) {
          if (d.rule === 'mirror') {
            effects.push('at the sidecars the mirrored copies are dropped (the requests themselves are served)');
          } else if (d.rule === 'http') {
            level = 'Error';
            effects.push('the sidecars apply this HTTP route (on port 80 for a VirtualService host outside the registry) and the requests it matches fail '
              + 'with 503 whatever the outbound traffic policy');
          } else {
            ownHostsKnown ??= arr(vs.spec.hosts).some((h) => typeof h === 'string' && !!registry.lookup(vs.namespace, vs.spec.exportTo, h));
            if (ownHostsKnown) {
              level = 'Error';
              effects.push('the sidecars apply this route on the listeners of its registry hosts and close the connections it matches');
            } else if (strict) {
              level = 'Error';
              effects.push('the sidecars do not apply this VirtualService (none of its hosts is in the registry), and the mesh\'s outbound traffic policy '
                + 'REGISTRY_ONLY sends connections to hosts outside the registry to the black hole cluster: they fail');
            } else {
              effects.push('the sidecars do not apply this VirtualService (none of its hosts is in the registry): connections to the host only work while '
                + 'the mesh\'s outbound traffic policy is ALLOW_ANY, leaving through the passthrough cluster without this route\'s rules (no routing, '
                + 'TLS origination or per-host telemetry), and fail under REGISTRY_ONLY');
            }
          }
        }
        ctx.report(vs, 'ExternalHostNotDeclared', `${head}${effects.join('; and ')}. Declare the host in a ServiceEntry (ExternalEgress), `
          + 'or, when its ServiceEntry is managed elsewhere, pass that ServiceEntry to the analysis (options.external).', `${d.path}.host`, level);
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// ICA0005: TLS originated toward a port where the application already speaks TLS

/** Protocols of a ServiceEntry port whose traffic is already TLS when it leaves the application. */
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);
/** Client TLS modes that originate TLS toward a server outside the mesh. */
const ORIGINATING = new Set(['SIMPLE', 'MUTUAL']);

/** The TLS settings that apply to one port, and where they are written. */
interface PortTls { readonly tls: any; readonly path: string; readonly portLevel: boolean }

/**
 * The client TLS of a traffic policy for one service port, as Istio selects it
 * (`GetPortLevelTrafficPolicy`): the first `portLevelSettings` entry whose `port.number` is the
 * service port (its `tls`, possibly none: a port-level entry replaces the whole policy), else the
 * policy's own `tls`. The port is the ServiceEntry's `ports[].number`, never its `targetPort`.
 */
function tlsForPort(policy: any, base: string, port: number): PortTls {
  const settings = arr(policy?.portLevelSettings);
  const i = settings.findIndex((p: any) => isRecord(p?.port) && Number(p.port.number) === port);
  if (i >= 0) return { tls: settings[i]?.tls, path: `${base}.portLevelSettings[${i}].tls`, portLevel: true };
  return { tls: policy?.tls, path: `${base}.tls`, portLevel: false };
}

/**
 * The TLS settings of each cluster a DestinationRule makes for one port: the host's own, and each
 * subset's with its trafficPolicy merged over the rule's (Istio's `MergeSubsetTrafficPolicy`: a
 * subset's port-level entry replaces the rule's settings; else its `tls`, when set, wins).
 */
function clusterTls(dr: Resource, port: number): PortTls[] {
  const top = tlsForPort(dr.spec.trafficPolicy, 'spec.trafficPolicy', port);
  const out: PortTls[] = [top];
  arr(dr.spec.subsets).forEach((s: any, i: number) => {
    if (!isRecord(s?.trafficPolicy)) return;
    const own = tlsForPort(s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, port);
    if (own.portLevel || own.tls !== undefined) out.push(own);
  });
  return out;
}

/** Whether two objects with these exportTo lists are visible together in some namespace. */
function shareScope(a: Resource, b: Resource): boolean {
  const sa = visibleNamespaces(a.spec.exportTo, a.namespace);
  const sb = visibleNamespaces(b.spec.exportTo, b.namespace);
  return sa.includes('*') || sb.includes('*') || sa.some((n) => sb.includes(n));
}

/**
 * ICA0005 DoubleTlsOrigination: a DestinationRule originates TLS (`tls.mode` SIMPLE or MUTUAL, at
 * the rule, per port or per subset) on a port of a ServiceEntry host whose protocol is HTTPS or
 * TLS, i.e. where the application already speaks TLS: the sidecar wraps the application's TLS in a
 * second session, which the server cannot read, so every connection fails. Exact as Istio applies
 * settings: the DestinationRule that governs a host is the one with the most specific host (exact,
 * then the longest wildcard); port-level settings match the ServiceEntry port `number` (not its
 * `targetPort`) and replace the rule-level TLS for that port; subsets merge over the rule. The
 * DestinationRule and the ServiceEntry must be visible in a common namespace (exportTo).
 *
 * @see https://istio.io/latest/docs/ops/common-problems/network-issues/#double-tls
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
 */
const doubleTlsAnalyzer: Analyzer = {
  name: 'library.DoubleTlsAnalyzer',
  analyze(ctx) {
    // DestinationRules that originate TLS somewhere, by host (FQDN in their namespace).
    const rulesByHost = new Map<string, Resource[]>();
    const allHosts = new Set<string>();
    for (const dr of ctx.list(K.DestinationRule)) {
      const host = str(dr.spec.host);
      if (!host) continue;
      const fqdn = toFqdn(dr.namespace, host).toLowerCase();
      allHosts.add(fqdn);
      const tp = dr.spec.trafficPolicy;
      const policies = [tp, ...arr(dr.spec.subsets).map((s: any) => s?.trafficPolicy)];
      const originates = policies.some((p) => ORIGINATING.has(p?.tls?.mode) || arr(p?.portLevelSettings).some((s: any) => ORIGINATING.has(s?.tls?.mode)));
      if (!originates) continue;
      let l = rulesByHost.get(fqdn);
      if (!l) rulesByHost.set(fqdn, l = []);
      l.push(dr);
    }
    if (rulesByHost.size === 0) return;
    /** The most specific DestinationRule host (of every rule, TLS or not) that governs a service host (`MostSpecificHostMatch`). */
    const governing = (host: string): string | undefined => {
      if (allHosts.has(host)) return host;
      const bare = host.startsWith('*') ? host.slice(1) : host;
      for (const s of dotSuffixes(bare)) if (allHosts.has(`*${s}`)) return `*${s}`;
      return allHosts.has('*') ? '*' : undefined;
    };
    for (const se of ctx.list(K.ServiceEntry)) {
      const ports = arr(se.spec.ports).filter((p: any) => TLS_PROTOCOLS.has(str(p?.protocol).toUpperCase()));
      if (!ports.length) continue;
      for (const h of arr(se.spec.hosts)) {
        if (typeof h !== 'string') continue;
        const key = governing(toFqdn(se.namespace, h).toLowerCase());
        for (const dr of (key && rulesByHost.get(key)) || []) {
          if (!shareScope(dr, se)) continue;
          for (const p of ports) {
            const number = Number(p.number);
            for (const c of clusterTls(dr, number)) {
              if (!ORIGINATING.has(c.tls?.mode)) continue;
              const protocol = str(p.protocol).toUpperCase();
              const target = p.targetPort !== undefined && Number(p.targetPort) !== number ? ` (targetPort ${p.targetPort})` : '';
              ctx.report(dr, 'DoubleTlsOrigination',
                `${c.path} originates TLS (mode ${c.tls.mode}) toward ${h} port ${number}${target}, which ServiceEntry ${show(se)} declares with protocol ${protocol}: `
                + 'the application already speaks TLS there, so the sidecar wraps it in a second TLS session the server cannot read and every connection fails. '
                + `Either let the application do TLS and drop this setting (e.g. tls.mode DISABLE for port ${number}), or let the sidecar originate TLS: `
                + `declare an HTTP port the application calls in plain text (e.g. number 80, protocol HTTP, targetPort ${p.targetPort ?? number}) and set the TLS on that port`,
                c.path);
            }
          }
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// ICA0006: a gateway route to a ServiceEntry host with resolution NONE

/**
 * ICA0006 GatewayToPassthroughHost: a VirtualService bound to an Istio Gateway routes to a
 * ServiceEntry host with `resolution: NONE` (the default). For such a host Istio forwards to the
 * connection's original destination address; at a gateway that address is the gateway pod itself
 * (clients, or the sidecars of an egress route, connect to the gateway's Service), so requests fail
 * (503) or come back to the gateway in a loop (Error; Warning for a mirror, whose copies only are lost). The analyzer does not need to know whether the
 * gateway is an egress gateway: this holds for any gateway proxy; the message says "egress gateway"
 * when the route is the gateway half of an egress route (the VirtualService is also bound to `mesh`,
 * or the gateway selects `istio: egressgateway`). Mesh routes to such a host are not reported (at a
 * sidecar the original destination is the external server).
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Resolution
 */
const gatewayPassthroughAnalyzer: Analyzer = {
  name: 'library.GatewayPassthroughAnalyzer',
  analyze(ctx) {
    const registry = ServiceRegistry.of(ctx);
    for (const vs of ctx.list(K.VirtualService)) {
      const { gateways, mesh } = bindings(vs);
      if (!gateways.length) continue;
      // The gateway bindings of a route: a route whose matches name gateways applies only there.
      for (const d of destinationsWithGateways(vs.spec)) {
        const at = d.gateways ? d.gateways.filter((g) => g !== MESH) : gateways;
        if (!at.length) continue;
        const svc = registry.lookup(vs.namespace, vs.spec.exportTo, d.host);
        if (!svc || svc.resource.kind !== 'ServiceEntry') continue;
        const resolution = str(svc.resource.spec.resolution) || 'NONE';
        if (resolution !== 'NONE') continue;
        const egress = mesh || at.some((g) => {
          const slash = g.indexOf('/');
          const gw = ctx.find(K.Gateway, slash < 0 ? vs.namespace : g.slice(0, slash), slash < 0 ? g : g.slice(slash + 1));
          return gw?.spec?.selector?.istio === 'egressgateway';
        });
        ctx.report(vs, 'GatewayToPassthroughHost',
          `${d.rule === 'mirror' ? 'mirror' : `${d.rule.toUpperCase()} route`} at ${egress ? 'egress ' : ''}gateway ${at.join(', ')} sends ${JSON.stringify(d.host)} to ServiceEntry `
          + `${show(svc.resource)}, whose resolution is NONE: the gateway forwards to the original destination address of the connection, which is the `
          + 'gateway itself, so requests fail or loop back to it. Set the ServiceEntry\'s resolution to DNS (DYNAMIC_DNS for a wildcard host) or STATIC '
          + 'with endpoints, so the gateway resolves the external host.', `${d.path}.host`, d.rule === 'mirror' ? 'Warning' : undefined);
      }
    }
  },
};

/** The library's egress analyzers, in the order they run. */
export const egressAnalyzers: readonly Analyzer[] = [externalHostAnalyzer, doubleTlsAnalyzer, gatewayPassthroughAnalyzer];
