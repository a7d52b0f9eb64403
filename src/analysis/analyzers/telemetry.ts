/**
 * Analyzers of the `telemetry` family: Telemetry selectors (they must select a workload, two must
 * not select the same one, one namespace-wide Telemetry per namespace), access-logging entries
 * without a provider, and tracing through the deprecated Lightstep provider.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
import { K } from '../kinds';
import { Analyzer, Resource } from '../types';
import { Workload } from '../util';
import { labelMap, selectorString, WorkloadIndex, workloadName } from './sidecar';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

/** Sorted names of objects, for messages listing them. */
function names(list: readonly Resource[]): string {
  return list.map((r) => r.name).sort().join(', ');
}

/** Whether a Telemetry targets objects by reference (`targetRef`/`targetRefs`) rather than by selector. */
function hasTargetRefs(t: Resource): boolean {
  return isRecord(t.spec.targetRef) || arrayOf(t.spec.targetRefs).length > 0;
}

/**
 * `telemetry.ProviderAnalyzer`: when the mesh config names no default access-log provider
 * (`defaultProviders.accessLogging`), an `accessLogging` entry that names no provider and is not
 * `disabled` configures nothing (IST0157 InvalidTelemetryProvider, once per such entry).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0157/
 */
const providerAnalyzer: Analyzer = {
  name: 'telemetry.ProviderAnalyzer',
  analyze(ctx) {
    if (arrayOf(ctx.options.meshConfig.defaultProviders?.accessLogging).length > 0) return;
    for (const t of ctx.list(K.Telemetry)) {
      arrayOf(t.spec.accessLogging).forEach((entry, i) => {
        if (!isRecord(entry) || entry.disabled === true) return;
        if (arrayOf(entry.providers).length > 0) return;
        ctx.report(t, 'InvalidTelemetryProvider',
          `accessLogging[${i}] names no provider and the mesh config sets no defaultProviders.accessLogging, so this entry logs nothing; `
          + 'name a provider (e.g. envoy) in the entry, or set meshConfig.defaultProviders.accessLogging', `spec.accessLogging[${i}]`);
      });
    }
  },
};

/**
 * `telemetry.SelectorAnalyzer`: a Telemetry with a non-empty `selector.matchLabels` must select a
 * workload in its namespace (IST0101 ReferencedResourceNotFound), and two such Telemetries must not
 * select the same workload (IST0159 ConflictingTelemetryWorkloadSelectors, on each). Workloads are
 * Pods, or pod templates in a namespace with no Pod; IST0101 needs the input to declare some
 * workload (see `sidecar.ts`).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0159/
 */
const selectorAnalyzer: Analyzer = {
  name: 'telemetry.SelectorAnalyzer',
  analyze(ctx) {
    const index = WorkloadIndex.of(ctx);
    const telemetriesOfWorkload = new Map<Workload, Resource[]>();
    for (const t of ctx.list(K.Telemetry)) {
      const labels = labelMap(t.spec.selector?.matchLabels);
      if (Object.keys(labels).length === 0) continue;
      const selected = index.select(t.namespace, labels);
      if (selected.length === 0 && index.declaresWorkloads) {
        ctx.report(t, 'ReferencedResourceNotFound',
          `the selector ${selectorString(labels)} selects no workload in namespace ${t.namespace || '(none)'}, so this Telemetry applies to nothing; `
          + 'fix the labels, or declare the workload in the same namespace as the Telemetry', 'spec.selector.matchLabels');
      }
      for (const w of selected) push(telemetriesOfWorkload, w, t);
    }
    for (const [w, telemetries] of telemetriesOfWorkload) {
      if (telemetries.length < 2) continue;
      for (const t of telemetries) {
        ctx.report(t, 'ConflictingTelemetryWorkloadSelectors',
          `Telemetries ${names(telemetries)} all select ${workloadName(w)}, and which one applies is undefined; `
          + 'make the selectors disjoint, or merge the Telemetries', 'spec.selector');
      }
    }
  },
};

/**
 * `telemetry.DefaultSelectorAnalyzer`: at most one Telemetry per namespace may omit `selector`
 * (IST0160 MultipleTelemetriesWithoutWorkloadSelectors, on each). Unlike Istio's analyzer, a
 * Telemetry that targets a Gateway or Service with `targetRef(s)` is not counted as
 * namespace-wide: it applies only to what it targets.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0160/
 */
const defaultSelectorAnalyzer: Analyzer = {
  name: 'telemetry.DefaultSelectorAnalyzer',
  analyze(ctx) {
    const byNamespace = new Map<string, Resource[]>();
    for (const t of ctx.list(K.Telemetry)) {
      if (t.spec.selector !== undefined && t.spec.selector !== null) continue;
      if (hasTargetRefs(t)) continue;
      push(byNamespace, t.namespace, t);
    }
    for (const [ns, telemetries] of byNamespace) {
      if (telemetries.length < 2) continue;
      for (const t of telemetries) {
        ctx.report(t, 'MultipleTelemetriesWithoutWorkloadSelectors',
          `Telemetries ${names(telemetries)} in namespace ${ns || '(none)'} all omit selector, and only one namespace-wide Telemetry can apply; `
          + 'keep one, and give the others a selector');
      }
    }
  },
};

/**
 * `telemetry.LightstepAnalyzer`: tracing through a mesh config extension provider of type
 * `lightstep` relies on a deprecated provider (IST0002 Deprecated, once per reference).
 *
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-ExtensionProvider
 */
const lightstepAnalyzer: Analyzer = {
  name: 'telemetry.LightstepAnalyzer',
  analyze(ctx) {
    const lightstep = new Set<string>();
    for (const p of arrayOf(ctx.options.meshConfig.extensionProviders)) {
      if (isRecord(p) && typeof p.name === 'string' && isRecord(p.lightstep)) lightstep.add(p.name);
    }
    if (lightstep.size === 0) return;
    for (const t of ctx.list(K.Telemetry)) {
      arrayOf(t.spec.tracing).forEach((tracing, i) => {
        arrayOf(tracing?.providers).forEach((p, j) => {
          if (!lightstep.has(p?.name)) return;
          ctx.report(t, 'Deprecated',
            `tracing provider ${p.name} is a Lightstep provider, which Istio deprecated; `
            + 'send traces through an OpenTelemetry provider (extensionProviders[].opentelemetry) instead', `spec.tracing[${i}].providers[${j}]`);
        });
      });
    }
  },
};

/** The `telemetry` analyzers, in the order they run. */
export const telemetryAnalyzers: readonly Analyzer[] = [providerAnalyzer, selectorAnalyzer, defaultSelectorAnalyzer, lightstepAnalyzer];
