/**
 * Istio's catalogue of resource annotations: each known annotation with its feature status, whether
 * it is deprecated, and the kinds of object it applies to. Facts transcribed from istio/api
 * (`annotation/annotations.yaml`, the set `AllResourceAnnotations()` returns), as data only.
 *
 * @see https://istio.io/latest/docs/reference/config/annotations/
 * @internal
 */

/** The maturity of the feature an annotation belongs to. */
export type AnnotationFeatureStatus = 'Alpha' | 'Beta' | 'Stable';

/** One known Istio annotation. */
export interface AnnotationInfo {
  /** The annotation's key, e.g. `sidecar.istio.io/inject`. */
  readonly name: string;
  readonly featureStatus: AnnotationFeatureStatus;
  /** Whether Istio has deprecated it. */
  readonly deprecated: boolean;
  /**
   * The kinds it may be set on (`Pod`, `Service`, `Namespace`, `Gateway`, ...), or `['Any']` when
   * it applies to every kind.
   */
  readonly resources: readonly string[];
}

/**
 * `name: 'STATUS[D] Kind,Kind'`: status `A` Alpha, `B` Beta, `S` Stable; a trailing `D` marks a
 * deprecated annotation.
 */
const TABLE: Readonly<Record<string, string>> = {
  'alpha.istio.io/canonical-serviceaccounts': 'AD Service',
  'alpha.istio.io/kubernetes-serviceaccounts': 'AD Service',
  'ambient.istio.io/bypass-inbound-capture': 'A Pod',
  'ambient.istio.io/dns-capture': 'A Pod',
  'ambient.istio.io/redirection': 'B Pod',
  'ambient.istio.io/waypoint-inbound-binding': 'A GatewayClass,Gateway',
  'galley.istio.io/analyze-suppress': 'A Any',
  'gateway.istio.io/controller-version': 'A Any',
  'gateway.istio.io/name-override': 'A Gateway',
  'gateway.istio.io/service-account': 'A Gateway',
  'inject.istio.io/templates': 'A Pod',
  'istio.io/autoRegistrationGroup': 'A WorkloadEntry',
  'istio.io/connectedAt': 'A WorkloadEntry',
  'istio.io/disconnectedAt': 'A WorkloadEntry',
  'istio.io/dry-run': 'A AuthorizationPolicy',
  'istio.io/reroute-virtual-interfaces': 'A Pod',
  'istio.io/rev': 'A Pod',
  'istio.io/use-waypoint-canary-weight': 'A Service,ServiceEntry,Namespace',
  'istio.io/workloadController': 'A WorkloadEntry',
  'kubernetes.io/ingress.class': 'S Ingress',
  'networking.istio.io/exportTo': 'A Service',
  'networking.istio.io/service-type': 'A Gateway',
  'networking.istio.io/traffic-distribution': 'A Namespace,Service,ServiceEntry',
  'prometheus.istio.io/merge-metrics': 'A Pod',
  'proxy.istio.io/config': 'B Pod',
  'proxy.istio.io/overrides': 'A Pod',
  'readiness.status.sidecar.istio.io/applicationPorts': 'A Pod',
  'readiness.status.sidecar.istio.io/failureThreshold': 'A Pod',
  'readiness.status.sidecar.istio.io/initialDelaySeconds': 'A Pod',
  'readiness.status.sidecar.istio.io/periodSeconds': 'A Pod',
  'sidecar.istio.io/agentLogLevel': 'A Pod',
  'sidecar.istio.io/bootstrapOverride': 'A Pod',
  'sidecar.istio.io/componentLogLevel': 'A Pod',
  'sidecar.istio.io/discoveryAddress': 'AD Pod',
  'sidecar.istio.io/extraStatTags': 'AD Pod',
  'sidecar.istio.io/inject': 'BD Pod',
  'sidecar.istio.io/interceptionMode': 'A Pod',
  'sidecar.istio.io/logLevel': 'A Pod',
  'sidecar.istio.io/nativeSidecar': 'A Pod',
  'sidecar.istio.io/proxyCPU': 'A Pod',
  'sidecar.istio.io/proxyCPULimit': 'A Pod',
  'sidecar.istio.io/proxyImage': 'A Pod',
  'sidecar.istio.io/proxyImageType': 'A Pod',
  'sidecar.istio.io/proxyMemory': 'A Pod',
  'sidecar.istio.io/proxyMemoryLimit': 'A Pod',
  'sidecar.istio.io/rewriteAppHTTPProbers': 'A Pod',
  'sidecar.istio.io/statsCompression': 'AD Pod',
  'sidecar.istio.io/statsEvictionInterval': 'A Pod',
  'sidecar.istio.io/statsFlushInterval': 'A Pod',
  'sidecar.istio.io/statsHistogramBins': 'A Pod',
  'sidecar.istio.io/statsHistogramBuckets': 'A Pod',
  'sidecar.istio.io/statsInclusionPrefixes': 'AD Pod',
  'sidecar.istio.io/statsInclusionRegexps': 'AD Pod',
  'sidecar.istio.io/statsInclusionSuffixes': 'AD Pod',
  'sidecar.istio.io/status': 'A Pod',
  'sidecar.istio.io/userVolume': 'A Pod',
  'sidecar.istio.io/userVolumeMount': 'A Pod',
  'status.sidecar.istio.io/port': 'A Pod',
  'topology.istio.io/controlPlaneClusters': 'A Namespace',
  'traffic.istio.io/nodeSelector': 'S Service',
  'traffic.sidecar.istio.io/excludeInboundPorts': 'A Pod',
  'traffic.sidecar.istio.io/excludeInterfaces': 'A Pod',
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': 'A Pod',
  'traffic.sidecar.istio.io/excludeOutboundPorts': 'A Pod',
  'traffic.sidecar.istio.io/includeInboundPorts': 'A Pod',
  'traffic.sidecar.istio.io/includeOutboundIPRanges': 'A Pod',
  'traffic.sidecar.istio.io/includeOutboundPorts': 'A Pod',
  'traffic.sidecar.istio.io/kubevirtInterfaces': 'AD Pod',
};

const STATUS: Record<string, AnnotationFeatureStatus> = { A: 'Alpha', B: 'Beta', S: 'Stable' };

/** Every known Istio annotation, by name. */
export const ISTIO_ANNOTATIONS: ReadonlyMap<string, AnnotationInfo> = new Map(
  Object.entries(TABLE).map(([name, row]) => {
    const [flags, kinds] = row.split(' ');
    return [name, { name, featureStatus: STATUS[flags[0]], deprecated: flags.endsWith('D'), resources: kinds.split(',') }];
  }),
);

/**
 * Annotations Istio's own components write (the injector's status, the gateway controller's
 * version, the revision): never reported by the annotation checks.
 */
export const ALWAYS_IGNORED_ANNOTATIONS: ReadonlySet<string> = new Set([
  'sidecar.istio.io/status',
  'gateway.istio.io/controller-version',
  'istio.io/rev',
]);

/**
 * Annotations the CNI plugin sets by default on every pod it handles: the alpha check skips them
 * on a pod without an `istio-init` init container.
 */
export const CNI_DEFAULT_ANNOTATIONS: ReadonlySet<string> = new Set([
  'sidecar.istio.io/interceptionMode',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
]);

/**
 * Whether an annotation key is in Istio's namespace (its prefix ends in `istio.io`), or is
 * `kubernetes.io/ingress.class`, the one foreign annotation Istio documents.
 */
export function isIstioAnnotation(key: string): boolean {
  if (key === 'kubernetes.io/ingress.class') return true;
  return key.split('/')[0].endsWith('istio.io');
}
