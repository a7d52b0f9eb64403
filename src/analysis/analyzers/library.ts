/**
 * The library's own analyzers (`library.*`, codes `ICA`), for cross-object mistakes that fail
 * silently and that Istio's analyzers do not report: a DestinationRule sending plain text to
 * workloads that require mTLS (ICA0001), two DestinationRules Istio merges for one host (ICA0002),
 * and a subset that selects none of the workloads the program declares for its Service (ICA0003).
 * All run by default. The egress checks (ICA0004-ICA0006) are in `egress.ts`. @internal
 */
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { LabelIndex, ServiceRegistry, Workload, fullNameOfFqdn, toFqdn, visibleNamespaces, workloads } from '../util';
import { labelMap, subsetSelectsNoPod } from './destinationrule';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const show = (r: Resource) => (r.namespace ? `${r.namespace}/${r.name}` : r.name);

/** The declared workloads (Pods and pod templates), indexed by labels within their namespace; built once per analysis. */
const workloadIndexes = new WeakMap<AnalysisContext, LabelIndex<Workload>>();
function workloadIndex(ctx: AnalysisContext): LabelIndex<Workload> {
  let i = workloadIndexes.get(ctx);
  if (!i) workloadIndexes.set(ctx, i = new LabelIndex(workloads(ctx), (w) => w.labels, (w) => w.namespace));
  return i;
}

/** `a` merged with `b`, or undefined when they require different values for one key (nothing can match both). */
function mergeSelectors(a: Record<string, string>, b: Record<string, string>): Record<string, string> | undefined {
  for (const [k, v] of Object.entries(b)) if (k in a && a[k] !== v) return undefined;
  return { ...a, ...b };
}

/**
 * The Service or ServiceEntry a DestinationRule's host names and the labels of the workloads
 * behind it (a Service's `selector`, a ServiceEntry's `workloadSelector.labels`); undefined when
 * the host is unknown or selects no workloads by labels.
 */
function backingSelector(ctx: AnalysisContext, dr: Resource): { service: Resource; selector: Record<string, string> } | undefined {
  const host = typeof dr.spec.host === 'string' ? dr.spec.host : '';
  const found = ServiceRegistry.of(ctx).lookup(dr.namespace, dr.spec.exportTo, host);
  if (!found) return undefined;
  const service = found.resource;
  const selector = service.group === '' ? labelMap(service.spec.selector) : labelMap(service.spec.workloadSelector?.labels);
  return Object.keys(selector).length ? { service, selector } : undefined;
}

// ---------------------------------------------------------------------------------------------
// ICA0001: client TLS DISABLE toward workloads whose PeerAuthentication is STRICT

/** A PeerAuthentication mode that decides (UNSET or absent inherits from the level above). */
function peerMode(pa: Resource): string | undefined {
  const mode = pa.spec?.mtls?.mode;
  return typeof mode === 'string' && mode !== 'UNSET' ? mode : undefined;
}

/** Where a client TLS mode DISABLE is set in a DestinationRule. */
interface Disabled {
  readonly path: string;
  /** How the place reads in a message: `''` (top level), `subset "v1"`, `port 9080`... */
  readonly where: string;
}

function disabledTls(spec: any): Disabled[] {
  const out: Disabled[] = [];
  const visit = (tp: any, path: string, where: string) => {
    if (!isRecord(tp)) return;
    if (isRecord(tp.tls) && tp.tls.mode === 'DISABLE') out.push({ path: `${path}.tls`, where });
    list(tp.portLevelSettings).forEach((p: any, i: number) => {
      if (isRecord(p) && isRecord(p.tls) && p.tls.mode === 'DISABLE') {
        out.push({ path: `${path}.portLevelSettings[${i}].tls`, where: `${where ? where + ' ' : ''}port ${p.port?.number ?? '?'}` });
      }
    });
  };
  visit(spec.trafficPolicy, 'spec.trafficPolicy', '');
  list(spec.subsets).forEach((s: any, i: number) => visit(s?.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, `subset ${JSON.stringify(s?.name ?? '')}`));
  return out;
}

/**
 * The namespace a DestinationRule host's workloads run in: `name.ns.svc...` or `*.ns.svc...` → ns,
 * a short name → the rule's own namespace; undefined for other hosts (external names, `*.svc...`).
 */
function hostNamespace(dr: Resource, host: string): string | undefined {
  const parts = host.split('.');
  if (parts.length >= 3 && parts[2] === 'svc') return parts[1];
  if (parts.length === 1 && host && host !== '*') return dr.namespace || undefined;
  return undefined;
}

/**
 * ICA0001 MtlsModeConflict: a DestinationRule sets client TLS mode DISABLE (top level, per subset
 * or per port) toward workloads whose effective PeerAuthentication mode is STRICT: the server
 * refuses the plain-text connection and every request fails. The effective mode is the
 * workload-level PeerAuthentication (selector) of the workloads behind the host's Service when
 * the Service is declared (its declared workloads, or its selector when it has none), else the
 * namespace-wide one, else the mesh-wide one (root namespace). Port-level PeerAuthentication modes
 * (`portLevelMtls`) are not considered.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/tls-configuration/
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
const mtlsConflictAnalyzer: Analyzer = {
  name: 'library.MtlsConflictAnalyzer',
  analyze(ctx) {
    const root = ctx.options.rootNamespace;
    let mesh: Resource | undefined;
    const byNamespace = new Map<string, Resource>();
    // Workload-level policies with a mode, per namespace, indexed by their selector labels: a
    // policy applies to a workload when every selector label is among the workload's labels.
    const workloadPolicies: Array<{ pa: Resource; selector: Record<string, string>; order: number }> = [];
    for (const pa of ctx.list(K.PeerAuthentication)) {
      const mode = peerMode(pa);
      if (!mode) continue;
      const selector = labelMap(pa.spec.selector?.matchLabels);
      if (Object.keys(selector).length) workloadPolicies.push({ pa, selector, order: workloadPolicies.length });
      else if (pa.namespace === root) mesh ??= pa;
      else if (!byNamespace.has(pa.namespace)) byNamespace.set(pa.namespace, pa);
    }
    const policyIndex = new Map<string, typeof workloadPolicies>();
    for (const p of workloadPolicies) {
      for (const [k, v] of Object.entries(p.selector)) {
        const key = `${p.pa.namespace}\u0000${k}\u0000${v}`;
        let l = policyIndex.get(key);
        if (!l) policyIndex.set(key, l = []);
        l.push(p);
      }
    }
    /** The oldest (first declared) workload-level policy with a mode that selects these labels. */
    const workloadPolicy = (ns: string, labels: Record<string, string>): Resource | undefined => {
      let best: Resource | undefined;
      let bestIndex = Infinity;
      for (const [k, v] of Object.entries(labels)) {
        for (const p of policyIndex.get(`${ns}\u0000${k}\u0000${v}`) ?? []) {
          const i = p.order;
          if (i < bestIndex && Object.entries(p.selector).every(([sk, sv]) => labels[sk] === sv)) {
            best = p.pa;
            bestIndex = i;
          }
        }
      }
      return best;
    };
    const index = workloadIndex(ctx);

    for (const dr of ctx.list(K.DestinationRule)) {
      const disabled = disabledTls(dr.spec);
      if (!disabled.length) continue;
      const host = typeof dr.spec.host === 'string' ? dr.spec.host : '';
      const ns = hostNamespace(dr, host);
      if (ns === undefined) continue;
      const fallback = byNamespace.get(ns) ?? mesh;
      // The policies deciding for the workloads behind the host: per declared workload (or the
      // Service's selector standing for its pods), the workload-level one, else the fallback.
      let deciding: Resource[] = fallback ? [fallback] : [];
      const named = fullNameOfFqdn(host) ?? (host.includes('.') || host.includes('*') ? undefined : { name: host, namespace: ns });
      const service = named ? ctx.find(K.Service, named.namespace, named.name) : undefined;
      const selector = service ? labelMap(service.spec.selector) : {};
      if (service && Object.keys(selector).length) {
        const behind = index.matching(selector, ns);
        const labelSets = behind.length ? behind.map((w) => w.labels) : [selector];
        deciding = [];
        for (const labels of labelSets) {
          const p = workloadPolicy(ns, labels) ?? fallback;
          if (p && !deciding.includes(p)) deciding.push(p);
        }
      }
      const strict = deciding.find((p) => peerMode(p) === 'STRICT');
      if (!strict) continue;
      const scope = strict === mesh ? 'mesh-wide' : strict === byNamespace.get(ns) ? `namespace ${ns}` : 'workload-level';
      for (const d of disabled) {
        ctx.report(dr, 'MtlsModeConflict',
          `${d.where ? d.where + ': ' : ''}tls.mode DISABLE sends plain text to ${host}, but the ${scope} PeerAuthentication ${show(strict)} requires STRICT mTLS `
          + `there, so every connection is refused; use ISTIO_MUTUAL (or leave tls out for auto mTLS), or relax the PeerAuthentication`, d.path);
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// ICA0002: two DestinationRules for one host, merged by Istio

/**
 * ICA0002 DuplicateDestinationRuleHost: two DestinationRules in one namespace for one host (as
 * FQDN), both without a workloadSelector, visible to a common namespace (exportTo). Istio merges
 * them into the first: the later one's trafficPolicy is ignored when the first has one, and its
 * subsets whose names the first already defines are dropped. Reported on each later rule, naming
 * the first it collides with.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-virtual-services
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
const duplicateDestinationRuleAnalyzer: Analyzer = {
  name: 'library.DuplicateDestinationRuleAnalyzer',
  analyze(ctx) {
    interface Group { readonly first: Resource; readonly byScope: Map<string, Resource> }
    const groups = new Map<string, Group>();
    for (const dr of ctx.list(K.DestinationRule)) {
      if (dr.spec.workloadSelector !== undefined && dr.spec.workloadSelector !== null) continue;
      const host = typeof dr.spec.host === 'string' ? dr.spec.host : '';
      if (!host) continue;
      const fqdn = toFqdn(dr.namespace, host);
      const key = `${dr.namespace}\u0000${fqdn}`;
      const scopes = visibleNamespaces(dr.spec.exportTo, dr.namespace);
      const group = groups.get(key);
      if (!group) {
        groups.set(key, { first: dr, byScope: new Map(scopes.map((s) => [s, dr])) });
        continue;
      }
      const other = scopes.includes('*') ? group.first : group.byScope.get('*') ?? scopes.map((s) => group.byScope.get(s)).find((r) => r !== undefined);
      for (const s of scopes) if (!group.byScope.has(s)) group.byScope.set(s, dr);
      // The same object declared twice is a different mistake (the later one replaces it).
      if (!other || other.name === dr.name) continue;
      const otherSubsets = new Set(list(other.spec.subsets).map((s: any) => s?.name));
      const dropped = list(dr.spec.subsets).map((s: any) => s?.name).filter((n: unknown) => otherSubsets.has(n));
      const effects = [
        ...(dr.spec.trafficPolicy && other.spec.trafficPolicy ? [`its trafficPolicy is ignored (${show(other)}'s applies)`] : []),
        ...(dropped.length ? [`its subset(s) ${dropped.map((n) => JSON.stringify(n)).join(', ')} are dropped (${show(other)} defines them)`] : []),
      ];
      ctx.report(dr, 'DuplicateDestinationRuleHost',
        `DestinationRule ${show(other)} also configures host ${fqdn}; Istio merges the two into the first`
        + (effects.length ? `: ${effects.join(', and ')}` : ', keeping only its trafficPolicy and subset names')
        + '. Merge them into one DestinationRule, or scope one with a workloadSelector or exportTo', 'spec.host');
    }
  },
};

// ---------------------------------------------------------------------------------------------
// ICA0003: a subset that selects none of the declared workloads behind its Service

/**
 * ICA0003 SubsetSelectsNoDeclaredWorkload: a DestinationRule subset whose labels select none of
 * the workloads (Pods, and pod templates of Deployments, StatefulSets, ...) behind the host's
 * Service (or ServiceEntry with a workloadSelector). Only reported when that Service is declared
 * and at least one workload in its namespace matches its selector (otherwise the workloads live
 * elsewhere and nothing is known), and not when Istio's IST0173 already reports the subset for the
 * live Pods.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset
 */
const subsetWorkloadAnalyzer: Analyzer = {
  name: 'library.SubsetWorkloadAnalyzer',
  analyze(ctx) {
    const index = workloadIndex(ctx);
    for (const dr of ctx.list(K.DestinationRule)) {
      const subsets = list(dr.spec.subsets);
      if (!subsets.length) continue;
      const backing = backingSelector(ctx, dr);
      if (!backing) continue;
      const behind = index.matching(backing.selector, backing.service.namespace);
      if (!behind.length) continue;
      subsets.forEach((subset: any, i: number) => {
        const labels = labelMap(subset?.labels);
        if (!Object.keys(labels).length) return;
        const merged = mergeSelectors(backing.selector, labels);
        if (merged && index.some(merged, backing.service.namespace)) return;
        if (subsetSelectsNoPod(ctx, backing.service, subset)) return;
        const names = behind.slice(0, 3).map((w) => `${w.resource.kind} ${show(w.resource)}`).join(', ') + (behind.length > 3 ? `, and ${behind.length - 3} more` : '');
        ctx.report(dr, 'SubsetSelectsNoDeclaredWorkload',
          `subset ${JSON.stringify(subset?.name ?? '')} (labels ${JSON.stringify(labels)}) selects none of the workloads behind ${backing.service.kind} ${show(backing.service)} `
          + `(${names}), so routes to it fail with 503 no healthy upstream; fix the subset labels or give a workload those labels`, `spec.subsets[${i}].labels`);
      });
    }
  },
};

/** The `library` analyzers, in the order they run. */
export const libraryAnalyzers: readonly Analyzer[] = [mtlsConflictAnalyzer, duplicateDestinationRuleAnalyzer, subsetWorkloadAnalyzer];
