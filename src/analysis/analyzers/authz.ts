/**
 * Analyzers of the `authz` family: AuthorizationPolicies that apply to no workload, and source
 * namespaces that match no namespace.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { labelMap, selectorString, workloadInAmbientMode, workloadInMesh, WorkloadIndex } from './sidecar';
import { isRecord } from '../util';

const arrayOf = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/**
 * The namespaces that exist for the analysis, lower-cased, sorted forwards and by reversed name
 * (so that `prefix*` and `*suffix` patterns are binary searches).
 *
 * Istio only counts Namespace objects. A program rarely declares its namespaces (they are made
 * elsewhere), so a namespace also exists when the input (or `options.external`) places an object
 * in it: the program cannot be applied unless it does. Workaround for the context having no list
 * of every object: the kinds the analyzers know (`K`) are read.
 */
class KnownNamespaces {
  public static of(ctx: AnalysisContext): KnownNamespaces {
    let k = known.get(ctx);
    if (!k) known.set(ctx, k = new KnownNamespaces(ctx));
    return k;
  }

  private readonly exact = new Set<string>();
  private readonly forward: string[];
  private readonly reversed: string[];
  private readonly memo = new Map<string, boolean>();

  private constructor(ctx: AnalysisContext) {
    const seen = new Set<string>();
    const add = (name: string) => {
      if (!name || seen.has(name)) return;
      seen.add(name);
      this.exact.add(name.toLowerCase());
    };
    for (const ns of ctx.list(K.Namespace)) add(ns.name);
    for (const kind of Object.values(K)) {
      if (kind === K.Namespace) continue;
      for (const r of ctx.list(kind)) add(r.namespace);
    }
    this.forward = [...this.exact].sort();
    this.reversed = this.forward.map(reverse).sort();
  }

  /**
   * Whether a namespace matches `pattern`: `*` (any namespace), `prefix*`, `*suffix`, or an exact
   * name (case-insensitive), as Istio's AuthorizationPolicy source namespaces match.
   */
  public matches(pattern: string): boolean {
    let hit = this.memo.get(pattern);
    if (hit === undefined) {
      const p = pattern.toLowerCase();
      if (p === '*') hit = this.exact.size > 0;
      else if (p.startsWith('*')) hit = hasPrefix(this.reversed, reverse(p.slice(1)));
      else if (p.endsWith('*')) hit = hasPrefix(this.forward, p.slice(0, -1));
      else hit = this.exact.has(p);
      this.memo.set(pattern, hit);
    }
    return hit;
  }
}

const known = new WeakMap<AnalysisContext, KnownNamespaces>();

function reverse(s: string): string {
  return [...s].reverse().join('');
}

/** Whether a sorted list holds a string starting with `prefix`. */
function hasPrefix(sorted: readonly string[], prefix: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < prefix) lo = mid + 1; else hi = mid;
  }
  return lo < sorted.length && sorted[lo].startsWith(prefix);
}

/**
 * `authz.AuthorizationPoliciesAnalyzer` (Istio's `AuthorizationPoliciesAnalyzer`):
 * - IST0127 NoMatchingWorkloadsFound: the policy applies to no workload with a proxy (a sidecar,
 *   or ambient mode). In the root namespace only a policy with a `selector` is checked, against
 *   every namespace; elsewhere a policy without `selector` needs some such workload in its
 *   namespace, and one with a `selector` a workload there that it selects. Workloads are Pods,
 *   or pod templates in a namespace with no Pod; nothing is reported when the input declares no
 *   workload at all (see `sidecar.ts`).
 * - IST0101 ReferencedResourceNotFound: a `rules[].from[].source.namespaces` or `notNamespaces`
 *   entry matches no namespace (once per entry).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0127/
 */
const authorizationPoliciesAnalyzer: Analyzer = {
  name: 'authz.AuthorizationPoliciesAnalyzer',
  analyze(ctx) {
    const proxied = WorkloadIndex.of(ctx, 'proxied', (w) => workloadInMesh(ctx, w) || workloadInAmbientMode(ctx, w));
    for (const ap of ctx.list(K.AuthorizationPolicy)) {
      // With no workload declared at all, where they run is unknown (see sidecar.ts).
      // A policy with targetRef(s) applies at the waypoint or gateway it names, not to workloads by label.
      const targeted = ap.spec.targetRef !== undefined || (Array.isArray(ap.spec.targetRefs) && ap.spec.targetRefs.length > 0);
      if (proxied.declaresWorkloads && !targeted) checkWorkloads(ctx, proxied, ap);
      checkSourceNamespaces(ctx, ap);
    }
  },
};

/** IST0127 for one policy. */
function checkWorkloads(ctx: AnalysisContext, proxied: WorkloadIndex, ap: Resource): void {
  const root = ctx.options.rootNamespace;
  const hasSelector = isRecord(ap.spec.selector);
  const labels = labelMap(ap.spec.selector?.matchLabels);
  if (ap.namespace === root) {
    if (hasSelector && proxied.select(undefined, labels).length === 0) {
      ctx.report(ap, 'NoMatchingWorkloadsFound',
        `this mesh-wide policy (in root namespace ${root}) has selector ${selectorString(labels) || '(empty)'}, which selects no workload with a proxy in any namespace; `
        + 'fix the labels, or declare the workload', 'spec.selector.matchLabels');
    }
  } else if (!hasSelector) {
    if (proxied.inNamespace(ap.namespace).length === 0) {
      ctx.report(ap, 'NoMatchingWorkloadsFound',
        `namespace ${ap.namespace || '(none)'} has no workload with a proxy (sidecar or ambient), so this namespace-wide policy applies to nothing; `
        + 'enable injection for the namespace or declare its workloads');
    }
  } else if (proxied.select(ap.namespace, labels).length === 0) {
    ctx.report(ap, 'NoMatchingWorkloadsFound',
      `the selector ${selectorString(labels) || '(empty)'} selects no workload with a proxy in namespace ${ap.namespace || '(none)'}, so this policy applies to nothing; `
      + 'fix the labels, enable injection for the workload, or declare it in the same namespace as the policy', 'spec.selector.matchLabels');
  }
}

/** IST0101 for each source namespace pattern of one policy that matches no namespace. */
function checkSourceNamespaces(ctx: AnalysisContext, ap: Resource): void {
  arrayOf(ap.spec.rules).forEach((rule, i) => {
    arrayOf(rule?.from).forEach((from, j) => {
      for (const field of ['namespaces', 'notNamespaces'] as const) {
        arrayOf(from?.source?.[field]).forEach((ns, k) => {
          if (typeof ns !== 'string' || KnownNamespaces.of(ctx).matches(ns)) return;
          ctx.report(ap, 'ReferencedResourceNotFound',
            `source ${field} entry ${JSON.stringify(ns)} matches no namespace the program declares or places objects in; `
            + 'fix the name, or declare the Namespace (or pass it in options.external)', `spec.rules[${i}].from[${j}].source.${field}[${k}]`);
        });
      }
    });
  });
}

/** The `authz` analyzers, in the order they run. */
export const authzAnalyzers: readonly Analyzer[] = [authorizationPoliciesAnalyzer];
