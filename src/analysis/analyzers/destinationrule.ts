/**
 * Analyzers of the `destinationrule` family: client TLS that does not verify the server
 * (IST0128/IST0129), and DestinationRules whose host is unknown or whose subsets select no pod
 * (IST0174/IST0173). Facts from Istio's `pkg/config/analysis/analyzers/destinationrule`.
 *
 * Also holds the label index the subset checks share with the library's own analyzers. @internal
 */
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { LabelIndex, ServiceRegistry, Workload, declaresWorkloads, pods, isRecord } from '../util';

/** A label map of strings (non-string values stringified, null/undefined dropped); `{}` for anything else. */
export function labelMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = String(x);
  return out;
}

/** Node topology labels Istio copies onto the endpoints of a pod (`AugmentLabels`). */
const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const SUBZONE = 'topology.istio.io/subzone';
const HOSTNAME = 'kubernetes.io/hostname';

/**
 * A pod's labels as Istio's service registry sees its endpoint: its own labels plus the region,
 * zone and subzone of its node (when the Node is in the input) and `kubernetes.io/hostname` = its
 * node name. A subzone is only kept under a zone, as Istio's locality string does.
 */
function endpointLabels(pod: Workload, nodes: ReadonlyMap<string, Record<string, string>>): Record<string, string> {
  const nodeName = typeof pod.podSpec?.nodeName === 'string' ? pod.podSpec.nodeName : '';
  const node = nodeName ? nodes.get(nodeName) : undefined;
  if (!nodeName) return pod.labels;
  const out = { ...pod.labels };
  if (node) {
    const region = node[REGION] ?? '';
    const zone = node[ZONE] ?? '';
    // Istio joins them into "region/zone/subzone" (a subzone only after a zone) and splits again.
    const subzone = zone ? node[SUBZONE] ?? '' : '';
    if (region) out[REGION] = region;
    if (zone) out[ZONE] = zone;
    if (subzone) out[SUBZONE] = subzone;
  }
  out[HOSTNAME] = nodeName;
  return out;
}

/** The live Pods of an analysis, indexed by their endpoint labels (across namespaces, as Istio matches them). */
interface PodIndex {
  readonly index: LabelIndex<{ labels: Record<string, string> }>;
  /** Whether the input declares at least one Pod (`declaresWorkloads`: not the assumed default ingress gateway's). */
  readonly any: boolean;
}

const podIndexes = new WeakMap<AnalysisContext, PodIndex>();

/** The Pod index of an analysis (built once). @internal */
export function podIndex(ctx: AnalysisContext): PodIndex {
  let p = podIndexes.get(ctx);
  if (p) return p;
  const nodes = new Map<string, Record<string, string>>();
  for (const n of ctx.list('/Node')) nodes.set(n.name, n.labels);
  const all = pods(ctx);
  const items = all.map((w) => ({ labels: endpointLabels(w, nodes) }));
  p = { index: new LabelIndex(items, (i) => i.labels), any: declaresWorkloads(ctx, all) };
  podIndexes.set(ctx, p);
  return p;
}

/**
 * The labels a subset's endpoints are selected by: the subset's labels merged over the host's
 * ServiceEntry `workloadSelector.labels` (a Kubernetes Service contributes none, as in Istio, whose
 * registry converts Services to ServiceEntries without a workload selector).
 */
export function subsetSelector(service: Resource, subset: any): Record<string, string> {
  const base = service.group === 'networking.istio.io' ? labelMap(service.spec?.workloadSelector?.labels) : {};
  return { ...base, ...labelMap(subset?.labels) };
}

/**
 * Whether Istio's IST0173 (`destinationrule.PodNotSelectedAnalyzer`) reports this subset: the
 * input holds Pods and none matches the subset's selector. With no Pod in the input at all (a
 * program of Deployments, not a cluster snapshot; the default ingress gateway `analyze` assumes
 * does not count) nothing is known about pods and nothing is reported; the library's ICA0003 then
 * checks the pod templates instead. @internal
 */
export function subsetSelectsNoPod(ctx: AnalysisContext, service: Resource, subset: any): boolean {
  const p = podIndex(ctx);
  return p.any && !p.index.some(subsetSelector(service, subset));
}

const TLS_MODES_NEEDING_CA = new Set(['SIMPLE', 'MUTUAL']);

/**
 * IST0128 / IST0129: client TLS in mode SIMPLE or MUTUAL without `caCertificates` (at the rule, or
 * per port; subsets are not checked, as in Istio). Not reported when `credentialName` is set on a
 * DestinationRule with a `workloadSelector` (the CA then comes with the credential). Istio's
 * message says the server's certificate is not verified; since Istio 1.21 (and always since 1.24,
 * when `VERIFY_CERTIFICATE_AT_CLIENT` was removed) the proxy verifies it against the system's root
 * CAs when `caCertificates` is empty (`CaCertificatePath` "system" in Istio's `cluster_tls.go`),
 * and not at all with `insecureSkipVerify`. The messages here say that.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0128/
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0129/
 */
const caCertificateAnalyzer: Analyzer = {
  name: 'destinationrule.CaCertificateAnalyzer',
  analyze(ctx) {
    for (const dr of ctx.list(K.DestinationRule)) {
      const spec = dr.spec;
      const hasSelector = spec.workloadSelector !== undefined && spec.workloadSelector !== null;
      const unverified = (tls: any) => isRecord(tls) && TLS_MODES_NEEDING_CA.has(tls.mode) && !tls.caCertificates
        && !(tls.credentialName && hasSelector);
      const tp = isRecord(spec.trafficPolicy) ? spec.trafficPolicy : {};
      const effect = (tls: any) => (tls.insecureSkipVerify === true
        ? 'and insecureSkipVerify is true, so the server\'s certificate is not verified at all'
        : 'so the proxy trusts any certificate a public root CA of its system bundle signed for the host, not only your server\'s CA');
      if (unverified(tp.tls)) {
        ctx.report(dr, 'NoServerCertificateVerificationDestinationLevel',
          `client TLS mode ${tp.tls.mode} toward ${spec.host} sets no caCertificates, ${effect(tp.tls)}; `
          + 'set trafficPolicy.tls.caCertificates to the CA that signs the server\'s certificate (or a credentialName with a workloadSelector)', 'spec.trafficPolicy.tls');
      }
      const ports = Array.isArray(tp.portLevelSettings) ? tp.portLevelSettings : [];
      ports.forEach((p: any, i: number) => {
        if (!isRecord(p) || !unverified(p.tls)) return;
        ctx.report(dr, 'NoServerCertificateVerificationPortLevel',
          `client TLS mode ${p.tls.mode} toward ${spec.host} port ${p.port?.number ?? '?'} sets no caCertificates, ${effect(p.tls)}; `
          + `set trafficPolicy.portLevelSettings[${i}].tls.caCertificates to the CA that signs the server's certificate`, `spec.trafficPolicy.portLevelSettings[${i}].tls`);
      });
    }
  },
};

/**
 * IST0174: a DestinationRule whose host is no Service or ServiceEntry visible to it; IST0173: a
 * subset of a known host whose labels select no Pod (matched against every live Pod, with the
 * topology labels of its Node, as Istio's registry labels endpoints). Only Pods are considered, as
 * in Istio: see `subsetSelectsNoPod` for the case of an input without Pods.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0173/
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0174/
 */
const podNotSelectedAnalyzer: Analyzer = {
  name: 'destinationrule.PodNotSelectedAnalyzer',
  analyze(ctx) {
    const registry = ServiceRegistry.of(ctx);
    for (const dr of ctx.list(K.DestinationRule)) {
      const host = typeof dr.spec.host === 'string' ? dr.spec.host : '';
      const service = registry.lookup(dr.namespace, dr.spec.exportTo, host);
      // A wildcard host (`*.bookinfo.svc.cluster.local`: a namespace-wide policy) names whichever
      // services exist, now or later; Istio's lookup only matches it against wildcard
      // ServiceEntry hosts, so it would call every such rule unknown. Not reported.
      if (!service && host.startsWith('*')) continue;
      if (!service) {
        ctx.report(dr, 'UnknownDestinationRuleHost',
          `host ${JSON.stringify(host)} is no Service or ServiceEntry visible from namespace ${dr.namespace || '(none)'}, so this rule applies to nothing; `
          + 'fix the host (a Service name, or its FQDN name.namespace.svc.cluster.local) or declare the ServiceEntry', 'spec.host');
        continue;
      }
      const subsets = Array.isArray(dr.spec.subsets) ? dr.spec.subsets : [];
      const seen = new Set<string>();
      subsets.forEach((subset: any, i: number) => {
        const name = isRecord(subset) && typeof subset.name === 'string' ? subset.name : '';
        if (seen.has(name)) return;
        seen.add(name);
        if (!subsetSelectsNoPod(ctx, service.resource, subset)) return;
        const selector = subsetSelector(service.resource, subset);
        ctx.report(dr, 'DestinationRuleSubsetNotSelectPods',
          `subset ${JSON.stringify(name)} selects no pod (labels ${JSON.stringify(selector)}), so routes to it fail with 503 no healthy upstream; `
          + 'fix the subset labels to match the version label of the pods', `spec.subsets[${i}]`);
      });
    }
  },
};

/** The `destinationrule` analyzers, in the order they run. */
export const destinationruleAnalyzers: readonly Analyzer[] = [caCertificateAnalyzer, podNotSelectedAnalyzer];
