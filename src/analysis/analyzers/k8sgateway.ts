/**
 * Analyzers of the `k8sgateway` family: Kubernetes Gateway API objects and the Istio policies
 * around them. Facts from Istio's `pkg/config/analysis/analyzers/k8sgateway`; the code is the
 * library's own.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
import { GATEWAY_NAME_LABEL } from '../../core/gateway';
import { K } from '../kinds';
import { Analyzer, Resource } from '../types';
import { workloads } from '../util';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The label Gateway API implementations put on the pods of a Gateway's deployment (defined in core). */
export { GATEWAY_NAME_LABEL };

/** The policy kinds whose `selector` Istio ignores on Gateway API gateway pods, with their keys. */
const POLICY_KINDS = [K.AuthorizationPolicy, K.RequestAuthentication, K.Telemetry, K.WasmPlugin] as const;

/**
 * `k8sgateway.SelectorAnalyzer`: an AuthorizationPolicy, RequestAuthentication, Telemetry or
 * WasmPlugin without `targetRef`/`targetRefs` whose `selector.matchLabels` matches the pods of a
 * Kubernetes Gateway API gateway in its namespace (pods labelled
 * `gateway.networking.k8s.io/gateway-name`) has no effect on that gateway: IST0166
 * IneffectiveSelector, once per gateway. The gateway pods are the program's Pods and the pod
 * templates of its controllers; a Gateway API `Gateway` object of the program also stands for the
 * pods Istio deploys for it (labelled with its name), since those pods are never in the program.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0166/
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 */
const selectorAnalyzer: Analyzer = {
  name: 'k8sgateway.SelectorAnalyzer',
  analyze(ctx) {
    // namespace → label sets of gateway pods (and of the pods implied by Gateway API Gateways)
    const gatewayPods = new Map<string, Array<Record<string, string>>>();
    const add = (ns: string, labels: Record<string, string>) => {
      let list = gatewayPods.get(ns);
      if (!list) gatewayPods.set(ns, list = []);
      list.push(labels);
    };
    for (const w of workloads(ctx)) if (GATEWAY_NAME_LABEL in w.labels) add(w.namespace, w.labels);
    for (const gw of ctx.list(K.KubernetesGateway)) add(gw.namespace, { [GATEWAY_NAME_LABEL]: gw.name });
    if (gatewayPods.size === 0) return;
    for (const kind of POLICY_KINDS) {
      for (const policy of ctx.list(kind)) {
        const spec = policy.spec;
        if (isRecord(spec.targetRef) || (Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0)) continue;
        if (!isRecord(spec.selector)) continue;
        const matchLabels = isRecord(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
        const names = new Set<string>();
        for (const labels of gatewayPods.get(policy.namespace) ?? []) {
          if (Object.entries(matchLabels).every(([k, v]) => labels[k] === String(v))) names.add(labels[GATEWAY_NAME_LABEL]);
        }
        for (const name of [...names].sort()) report(ctx, policy, name);
      }
    }
  },
};

function report(ctx: Parameters<Analyzer['analyze']>[0], policy: Resource, gateway: string): void {
  ctx.report(policy, 'IneffectiveSelector',
    `The selector matches the pods of the Kubernetes Gateway '${gateway}', where Istio ignores workload selectors: `
    + `attach the ${policy.kind} to the gateway with targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: ${gateway} }] instead of a selector.`,
    'spec.selector');
}

/** The oldest Gateway API bundle version Istio processes, per CRD name (Istio's `MinimumCRDVersions`). */
export const MINIMUM_GATEWAY_API_CRD_VERSIONS: Readonly<Record<string, readonly [number, number, number]>> = {
  'grpcroutes.gateway.networking.k8s.io': [1, 1, 0],
  'backendtlspolicies.gateway.networking.k8s.io': [1, 4, 0],
  'tlsroutes.gateway.networking.k8s.io': [1, 5, 0],
  'tcproutes.gateway.networking.k8s.io': [1, 6, 0],
};

/** The annotation carrying a Gateway API CRD's release bundle version. */
const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';

/**
 * A semantic version (`v1.4.1`, `1.5`, `1.5.0-rc.1`, optional `v`, missing minor/patch = 0) as
 * `[major, minor, patch]` without its pre-release part, or undefined when it does not parse.
 */
export function parseBundleVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

const lessThan = (a: readonly number[], b: readonly number[]) => a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

/**
 * `k8sgateway.CRDVersionAnalyzer`: a Gateway API CustomResourceDefinition (GRPCRoute, TLSRoute,
 * TCPRoute, BackendTLSPolicy) whose `gateway.networking.k8s.io/bundle-version` annotation is
 * older than the release Istio needs for that kind: istiod ignores the CRD, so routes of that kind
 * never attach (IST0176 GatewayAPICRDVersionBelowMinimum). A CRD without the annotation, or with a
 * version that does not parse, is not reported. Pre-release versions count as their release.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0176/
 * @see https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api
 */
const crdVersionAnalyzer: Analyzer = {
  name: 'k8sgateway.CRDVersionAnalyzer',
  analyze(ctx) {
    for (const crd of ctx.list(K.CustomResourceDefinition)) {
      const minimum = Object.prototype.hasOwnProperty.call(MINIMUM_GATEWAY_API_CRD_VERSIONS, crd.name) ? MINIMUM_GATEWAY_API_CRD_VERSIONS[crd.name] : undefined;
      if (!minimum) continue;
      const written = crd.annotations[BUNDLE_VERSION];
      if (written === undefined) continue;
      const installed = parseBundleVersion(written);
      if (!installed || !lessThan(installed, minimum)) continue;
      ctx.report(crd, 'GatewayAPICRDVersionBelowMinimum',
        `The CRD is from Gateway API ${written} but Istio needs at least v${minimum.join('.')} for it and ignores older ones, so no ${crd.spec?.names?.kind ?? 'resource'} of this kind takes effect: `
        + `install the Gateway API CRDs of release v${minimum.join('.')} or later.`,
        `metadata.annotations.${BUNDLE_VERSION}`);
    }
  },
};

/** The `k8sgateway` analyzers, in the order they run. */
export const k8sGatewayAnalyzers: readonly Analyzer[] = [selectorAnalyzer, crdVersionAnalyzer];
