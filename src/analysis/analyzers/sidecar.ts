/**
 * Analyzers of the `sidecar` family, and the workload-selection helpers the `authz` and
 * `telemetry` families share with it (which workloads a `matchLabels`/`labels` selector picks,
 * whether a workload or namespace runs in ambient mode, whether a workload has a sidecar).
 *
 * Which workloads a selector resolves against: Istio's analyzers match live Pods. A program
 * declares controllers (Deployments, StatefulSets, ...) instead, so the pod templates count too,
 * standing for the Pods they will create, except a template whose Pods the input already holds (a
 * Pod in its namespace carrying every label of the template, as a cluster dump holds both the
 * Pods and the controllers that made them): counting both would report every conflict twice.
 * (Not simply "Pods wherever a namespace has one": `analyze` assumes a default ingress gateway
 * Pod in the Istio namespace, which would hide the gateway Deployments a program declares there.)
 *
 * When the input declares no workload, the program only configures Istio for workloads deployed
 * elsewhere: "this selector selects nothing" (IST0101 on a selector, IST0127) cannot be decided,
 * and is not reported. A workload counts when the program declares it, or when it is external
 * (`options.external`) and outside the Istio namespace; the external ones in the Istio namespace
 * (the default ingress gateway `analyze` assumes, the control plane) say nothing about where the
 * applications run. Istio's corpus cases all hold application Pods, so they are unaffected.
 */
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { LabelIndex, Workload, declaresWorkloads, workloads, isRecord } from '../util';
import { AMBIENT_REDIRECTION_ANNOTATION, DATAPLANE_MODE_LABEL, INJECTION_LABEL, PROXY_CONTAINER, REVISION_LABEL, SIDECAR_INJECT } from '../istio-labels';

/**
 * A selector's labels as strings (`version: 1` in YAML selects the label value `"1"`); `{}` when
 * absent or not a map. @internal
 */
export function labelMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  let allStrings = true;
  for (const k in v) if (typeof v[k] !== 'string') allStrings = false;
  if (allStrings) return v;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = String(x);
  return out;
}

/**
 * A label selector written as Kubernetes prints one (`app=reviews,version=v1`, keys sorted), for
 * messages. @internal
 */
export function selectorString(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/** `Pod ns/name` for a Pod, `Deployment ns/name` (etc.) for a template, for messages. @internal */
export function workloadName(w: Workload): string {
  return w.resource.friendlyName;
}

/**
 * Whether a namespace runs in ambient mode: labelled `istio.io/dataplane-mode: ambient`, and
 * neither labelled for sidecar injection (`istio-injection: enabled`) nor for a revision
 * (`istio.io/rev`), which win over it (Istio's `NamespaceInAmbientMode`). An unknown namespace
 * is not in ambient mode. @internal
 */
export function namespaceInAmbientMode(ns: Resource | undefined): boolean {
  if (!ns) return false;
  if (ns.labels[INJECTION_LABEL] === 'enabled') return false;
  if (ns.labels[REVISION_LABEL]) return false;
  return ns.labels[DATAPLANE_MODE_LABEL] === 'ambient';
}

function hasProxyContainer(podSpec: any): boolean {
  const containers = [
    ...(Array.isArray(podSpec?.containers) ? podSpec.containers : []),
    ...(Array.isArray(podSpec?.initContainers) ? podSpec.initContainers : []),
  ];
  return containers.some((c: any) => c?.name === PROXY_CONTAINER && !!c?.image);
}

/**
 * Whether a workload gets a sidecar (Istio's `PodInMesh`): it has an `istio-proxy` container with
 * an image, else its `sidecar.istio.io/inject` label, else that annotation, else its namespace's
 * `istio-injection: enabled` label decides; by default it does not. @internal
 */
export function workloadInMesh(ctx: AnalysisContext, w: Workload): boolean {
  if (hasProxyContainer(w.podSpec)) return true;
  if (SIDECAR_INJECT in w.labels) return w.labels[SIDECAR_INJECT] === 'true';
  if (SIDECAR_INJECT in w.annotations) return w.annotations[SIDECAR_INJECT] === 'true';
  const ns = ctx.find(K.Namespace, '', w.namespace);
  return ns ? ns.labels[INJECTION_LABEL] === 'enabled' : false;
}

/**
 * Whether a workload runs in ambient mode. A live Pod does when the node agent marked it
 * (`ambient.istio.io/redirection: enabled`, Istio's `PodInAmbientMode`). A pod template carries
 * no such mark before it runs, so it counts when it is labelled `istio.io/dataplane-mode: ambient`,
 * or when its namespace is in ambient mode and it neither opts out (`istio.io/dataplane-mode:
 * none`) nor gets a sidecar. @internal
 */
export function workloadInAmbientMode(ctx: AnalysisContext, w: Workload): boolean {
  if (w.annotations[AMBIENT_REDIRECTION_ANNOTATION] === 'enabled') return true;
  if (w.isPod) return false;
  const mode = w.labels[DATAPLANE_MODE_LABEL];
  if (mode === 'ambient') return true;
  if (mode === 'none') return false;
  return namespaceInAmbientMode(ctx.find(K.Namespace, '', w.namespace)) && !workloadInMesh(ctx, w);
}

/**
 * The workloads selectors resolve against, indexed by namespace and by `key=value` label, so
 * that a selector costs the length of its rarest label's list instead of a scan of every workload.
 * Pods, and the pod templates whose Pods the input does not hold (see the file comment). @internal
 */
export class WorkloadIndex {
  /**
   * The index of a context, cached per analysis run and per variant.
   * @param variant names the filter, so that two filters never share a cache entry
   * @param keep which workloads to index @default every workload
   */
  public static of(ctx: AnalysisContext, variant = 'all', keep?: (w: Workload) => boolean): WorkloadIndex {
    let perCtx = indexes.get(ctx);
    if (!perCtx) indexes.set(ctx, perCtx = new Map());
    let index = perCtx.get(variant);
    if (!index) perCtx.set(variant, index = new WorkloadIndex(ctx, keep));
    return index;
  }

  /** Whether the input declares a workload (before the filter; see the file comment). */
  public readonly declaresWorkloads: boolean;
  private readonly byNamespace = new Map<string, Workload[]>();
  private readonly all: Workload[] = [];
  /** The indexed workloads, scoped by namespace. */
  private readonly labels: LabelIndex<Workload>;
  /** The same over every namespace, built on first use (only mesh-wide selectors need it). */
  private global?: LabelIndex<Workload>;

  private constructor(ctx: AnalysisContext, keep?: (w: Workload) => boolean) {
    const candidates = workloads(ctx);
    this.declaresWorkloads = declaresWorkloads(ctx, candidates);
    const podIndex = new LabelIndex(candidates.filter((w) => w.isPod), (w) => w.labels, (w) => w.namespace);
    for (const w of candidates) {
      // A template whose Pods the input holds: its Pods stand for it.
      if (!w.isPod && podIndex.some(w.labels, w.namespace)) continue;
      if (keep && !keep(w)) continue;
      this.all.push(w);
      push(this.byNamespace, w.namespace, w);
    }
    this.labels = new LabelIndex(this.all, (w) => w.labels, (w) => w.namespace);
  }

  /** The workloads of one namespace. */
  public inNamespace(namespace: string): readonly Workload[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /**
   * The workloads whose labels include every `key: value` of `selector` (an empty selector
   * selects every workload), in one namespace, or in every namespace when `namespace` is undefined.
   */
  public select(namespace: string | undefined, selector: Record<string, string>): readonly Workload[] {
    if (namespace !== undefined) return this.labels.matching(selector, namespace);
    if (!this.global) this.global = new LabelIndex(this.all, (w) => w.labels);
    return this.global.matching(selector);
  }
}

const indexes = new WeakMap<AnalysisContext, Map<string, WorkloadIndex>>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

/** Sorted names of objects, for messages listing them. */
function names(list: readonly Resource[]): string {
  return list.map((r) => r.name).sort().join(', ');
}

/**
 * `sidecar.SelectorAnalyzer`: per namespace, a Sidecar with a `workloadSelector` must select a
 * workload (IST0101 ReferencedResourceNotFound), two Sidecars must not select the same workload
 * (IST0110 ConflictingSidecarWorkloadSelectors, on each), at most one Sidecar may omit the
 * selector (IST0111 MultipleSidecarsWithoutWorkloadSelectors, on each), and a Sidecar that
 * applies to an ambient-mode workload or namespace has no effect (IST0167 IneffectivePolicy,
 * once per Sidecar, instead of the conflict messages).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0110/
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
const sidecarSelectorAnalyzer: Analyzer = {
  name: 'sidecar.SelectorAnalyzer',
  analyze(ctx) {
    const index = WorkloadIndex.of(ctx);
    const sidecarsOfWorkload = new Map<Workload, Resource[]>();
    const defaultsOfNamespace = new Map<string, Resource[]>();
    for (const sc of ctx.list(K.Sidecar)) {
      const labels = labelMap(sc.spec.workloadSelector?.labels);
      if (Object.keys(labels).length === 0) {
        push(defaultsOfNamespace, sc.namespace, sc);
        continue;
      }
      const selected = index.select(sc.namespace, labels);
      if (selected.length === 0 && index.declaresWorkloads) {
        ctx.report(sc, 'ReferencedResourceNotFound',
          `the workloadSelector ${selectorString(labels)} selects no workload in namespace ${sc.namespace || '(none)'}, so this Sidecar applies to nothing; `
          + 'fix the labels, or declare the workload in the same namespace as the Sidecar', 'spec.workloadSelector.labels');
      }
      for (const w of selected) push(sidecarsOfWorkload, w, sc);
    }

    const ineffective = new Set<Resource>();
    for (const [w, sidecars] of sidecarsOfWorkload) {
      const ambient = workloadInAmbientMode(ctx, w);
      if (sidecars.length === 1 && !ambient) continue;
      for (const sc of sidecars) {
        if (ambient) {
          if (!ineffective.has(sc)) {
            ineffective.add(sc);
            ctx.report(sc, 'IneffectivePolicy',
              `the workload it selects (${workloadName(w)}) runs in ambient mode, which has no sidecar, so this Sidecar has no effect; `
              + 'remove it, or take the workload out of ambient mode', 'spec.workloadSelector');
          }
          continue;
        }
        ctx.report(sc, 'ConflictingSidecarWorkloadSelectors',
          `Sidecars ${names(sidecars)} all select ${workloadName(w)}, and a workload can only use one of them; `
          + 'make the workloadSelectors disjoint, or merge the Sidecars', 'spec.workloadSelector');
      }
    }

    for (const [ns, sidecars] of defaultsOfNamespace) {
      if (namespaceInAmbientMode(ctx.find(K.Namespace, '', ns))) {
        for (const sc of sidecars) {
          if (ineffective.has(sc)) continue;
          ineffective.add(sc);
          ctx.report(sc, 'IneffectivePolicy',
            `namespace ${ns} runs in ambient mode, which has no sidecars, so this Sidecar has no effect; remove it, or take the namespace out of ambient mode`);
        }
        continue;
      }
      if (sidecars.length < 2) continue;
      for (const sc of sidecars) {
        ctx.report(sc, 'MultipleSidecarsWithoutWorkloadSelectors',
          `Sidecars ${names(sidecars)} in namespace ${ns || '(none)'} all omit workloadSelector, and only one namespace-wide Sidecar can apply; `
          + 'keep one, and give the others a workloadSelector');
      }
    }
  },
};

/** The `sidecar` analyzers, in the order they run. */
export const sidecarAnalyzers: readonly Analyzer[] = [sidecarSelectorAnalyzer];
