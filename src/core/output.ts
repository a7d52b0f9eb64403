import { Manifest } from './manifest';

/** One object a pattern emits, with its role (the child's id suffix) and apply-order dependencies. */
export interface EmittedObject {
  /** The role of the object in its pattern, e.g. `virtual-service`; unique within one pattern. */
  readonly role: string;
  /** The object itself. */
  readonly manifest: Manifest;
  /** Roles of objects that must be applied before this one. */
  readonly dependsOn?: string[];
}

/** Stable codes of the warnings builders return for valid but risky configurations. */
export enum WarningCode {
  /** Locality load balancing was turned off because outlier detection and consistent hashing are combined. */
  LOCALITY_LB_DISABLED = 'LOCALITY_LB_DISABLED',
  /** Source-IP affinity behind a load balancer needs `externalTrafficPolicy: Local` on the gateway Service. */
  SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY = 'SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY',
  /** A DENY rule made only of HTTP fields: Istio ignores them on TCP traffic, so it denies every TCP connection. */
  HTTP_ONLY_DENY_RULE = 'HTTP_ONLY_DENY_RULE',
  /** `routeUnmatched: false` on a route that also applies to in-mesh callers: they get 404 for every other request. */
  UNMATCHED_REQUESTS_404_IN_MESH = 'UNMATCHED_REQUESTS_404_IN_MESH',
  /** A HardenedGateway on a gateway workload it does not own: it only protects its own hosts. */
  SHARED_GATEWAY = 'SHARED_GATEWAY',
  /** A DestinationRule with a workload selector: its subsets and policy only apply to the selected workloads. */
  DESTINATION_RULE_SCOPED = 'DESTINATION_RULE_SCOPED',
  /** A plain TCP port of a ServiceEntry without addresses: clients reach it only through DNS proxying (istioctl IST0134). */
  SERVICE_ENTRY_ADDRESSES_REQUIRED = 'SERVICE_ENTRY_ADDRESSES_REQUIRED',
  /** TLS origination that does not verify the server against a pinned CA (istioctl IST0128/IST0129). */
  SERVER_CERTIFICATE_NOT_VERIFIED = 'SERVER_CERTIFICATE_NOT_VERIFIED',
  /** `ISTIO_META_DNS_AUTO_ALLOCATE` on Istio 1.25+, where istiod allocates ServiceEntry addresses itself. */
  DNS_AUTO_ALLOCATE_BY_ISTIOD = 'DNS_AUTO_ALLOCATE_BY_ISTIOD',
  /** Kiali installed without the Prometheus add-on: its graph and health read a Prometheus that may not exist. */
  KIALI_WITHOUT_PROMETHEUS = 'KIALI_WITHOUT_PROMETHEUS',
}

/** A warning about valid props whose effect the user may not expect. */
export interface PatternWarning {
  readonly code: WarningCode;
  /** The prop path the warning is about. */
  readonly path: string;
  /** What happens, and what to do about it. */
  readonly message: string;
}

/** What a pattern builder returns: its objects in a deterministic order, and its warnings. */
export interface PatternOutput {
  /** The pattern's objects, in emission order. */
  readonly objects: EmittedObject[];
  /** Warnings about the props; the front ends show them (cdk8s: at synth; Pulumi: `pulumi.log.warn`). */
  readonly warnings?: PatternWarning[];
}

/** The manifests of an output. */
export function manifestsOf(output: PatternOutput): Manifest[] {
  return output.objects.map((o) => o.manifest);
}
