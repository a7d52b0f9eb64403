/**
 * Ambient mode's value types. In ambient mode pods have no sidecar: the node's ztunnel carries
 * their traffic (mutual TLS, L4 authorization) and, for a namespace, Service or ServiceEntry that
 * asks for one, hands it to a waypoint proxy (an Envoy deployed from a Gateway API `Gateway` of
 * class `istio-waypoint`), which applies the L7 policies and routes.
 *
 * - `WaypointRef`: a typed reference to a waypoint, with the `istio.io/use-waypoint` labels that
 *   send an object's traffic through it;
 * - `PolicyTargetRef`: what a policy attaches to at a waypoint (`targetRefs`);
 * - `DataplaneMode`: which proxy enforces a selector-based policy.
 *
 * Facts from Istio's source: `pilot/pkg/serviceregistry/ambient/waypoints.go` (how the labels are
 * resolved), `pilot/pkg/model/policyattachment.go` (which policies a waypoint applies),
 * `pilot/pkg/serviceregistry/ambient/authorization.go` (what ztunnel enforces).
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 * @see https://istio.io/latest/docs/ambient/usage/l7-features/
 */
import { Brand } from './brand';
import { checkLabelName, checkSubdomainName } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { ExternalHost, isExternalHost } from './external';
import { checkProps, registerInstanceType } from './props';
import { ServiceRef, requireServiceRef } from './references';

/** The label that sends an object's traffic through a waypoint (value: the waypoint's name, or `none`). */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** The label naming the waypoint's namespace when it is not the object's own. */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
/** The label of a waypoint `Gateway` saying which traffic it takes (`service`, `workload`, `all`, `none`). */
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
/** The namespace (or pod) label that enrols workloads in ambient mode (`ambient`). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** The GatewayClass of Istio's waypoints. */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The API group of the Kubernetes Gateway API. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * Which traffic a waypoint takes (the `istio.io/waypoint-for` label of its Gateway). A Service or
 * ServiceEntry only uses a waypoint for `service` or `all`; a pod only one for `workload` or
 * `all`; Istio reports the others and sends the traffic past the waypoint.
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#waypoint-traffic-types
 */
export enum WaypointTrafficType {
  /** Traffic addressed to a Service or ServiceEntry (its host or VIP): Istio's default. */
  SERVICE = 'service',
  /** Traffic addressed to a pod (or WorkloadEntry) IP directly. */
  WORKLOAD = 'workload',
  /** Both. */
  ALL = 'all',
  /** Neither: no traffic is sent to it. */
  NONE = 'none',
}

/**
 * Which namespaces may send their traffic through a waypoint: the Gateway API `from` of its `mesh`
 * listener's `allowedRoutes.namespaces`. An object labelled to use a waypoint of another namespace
 * that this does not allow is refused by Istio (its traffic does not go through the waypoint).
 */
export enum WaypointNamespaces {
  /** Only objects of the waypoint's own namespace (Gateway API's default). */
  SAME = 'Same',
  /** Objects of any namespace. */
  ALL = 'All',
  /** Objects of the namespaces whose labels match `namespaceSelector`. */
  SELECTOR = 'Selector',
}

/** The kinds of object that carry `istio.io/use-waypoint` labels, for `WaypointRef.useLabels`. */
export type WaypointUser = 'Namespace' | 'Service' | 'ServiceEntry' | 'Pod' | 'WorkloadEntry';

/** The WaypointRefs made by the factories (see `Brand`). */
const WAYPOINT_REFS = new Brand<WaypointRef>((w) => [w.name, w.namespace, w.trafficType, w.allowedNamespaces]);

/** Whether `value` is a WaypointRef made by its factories, unchanged. Never throws. @internal */
export function isWaypointRef(value: unknown): value is WaypointRef {
  return WAYPOINT_REFS.isGenuine(value);
}

/**
 * A typed reference to a waypoint proxy: a Gateway API `Gateway` of class `istio-waypoint`. Made
 * by a `Waypoint` construct (its `ref`), or `WaypointRef.fromName` for a waypoint that exists
 * elsewhere. Other constructs take it (`MeshNamespace`'s `waypoint`, `ExternalEgress`'s
 * `waypoint`, `PolicyTargetRef.waypoint`); for an object the library does not write (a Service of
 * your own), put `useLabels(namespace)` on it.
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#configure-a-pod-to-use-a-specific-waypoint
 */
export class WaypointRef {
  /**
   * References a waypoint that exists in the cluster (deployed by `istioctl waypoint apply` or
   * another program). What it accepts (traffic type, namespaces) is unknown, so `useLabels` checks
   * nothing of it.
   * @throws IstioConstructError INVALID_NAME for a name or namespace that is not a DNS-1123 label,
   *   or the name `none` (which the label reserves for opting out).
   */
  public static fromName(name: string, namespace: string): WaypointRef {
    const ctx = new Ctx(`WaypointRef ${show(name)}`);
    checkProps(ctx, 'WaypointRef.fromName', { name, namespace });
    checkWaypointName(ctx.at('name'), name);
    checkLabelName(ctx.at('namespace'), namespace, 'namespace');
    return new WaypointRef(name, namespace, undefined, undefined);
  }

  /** @internal A waypoint this program declares (the builder has checked its fields). */
  public static declared(name: string, namespace: string, trafficType: WaypointTrafficType, allowedNamespaces: WaypointNamespaces): WaypointRef {
    return new WaypointRef(name, namespace, trafficType, allowedNamespaces);
  }

  private constructor(
    /** The Gateway's name. */
    public readonly name: string,
    /** The Gateway's namespace. */
    public readonly namespace: string,
    /** The traffic it takes (`istio.io/waypoint-for`); undefined when unknown (`fromName`). */
    public readonly trafficType: WaypointTrafficType | undefined,
    /** The namespaces it accepts; undefined when unknown (`fromName`). */
    public readonly allowedNamespaces: WaypointNamespaces | undefined,
  ) {
    WAYPOINT_REFS.mark(this);
  }

  /** `namespace/name`, as Istio names the waypoint in status messages. */
  public get resourceName(): string {
    return `${this.namespace}/${this.name}`;
  }

  /**
   * The labels that send an object's traffic through this waypoint: `istio.io/use-waypoint:
   * <name>`, plus `istio.io/use-waypoint-namespace: <namespace>` when the object is in another
   * namespace (Istio otherwise looks for the waypoint in the object's own namespace). Put them on a
   * Namespace (every Service of it, and its pods for a `workload`/`all` waypoint), a Service or
   * ServiceEntry (traffic to it), or a pod template (traffic to the pods).
   *
   * @param namespace the namespace of the object that carries the labels (for a Namespace, its name).
   * @param kind the kind of that object. @default 'Service'
   * @throws IstioConstructError INVALID_NAME for a bad namespace; AMBIENT_UNSUPPORTED when the
   *   waypoint (declared in this program) would not take the traffic: it accepts only its own
   *   namespace and `namespace` is another one, or its traffic type does not include this kind
   *   (`workload` waypoint on a Service, `service` waypoint on a pod, `none`).
   * @example
   * ```ts
   * // A Service of your own whose traffic goes through the namespace's waypoint.
   * new KubeService(chart, 'reviews', { metadata: { name: 'reviews', namespace: 'bookinfo', labels: waypoint.ref.useLabels('bookinfo') }, spec });
   * ```
   */
  public useLabels(namespace: string, kind: WaypointUser = 'Service'): Record<string, string> {
    return this.useLabelsAt(new Ctx(`WaypointRef ${show(this.name)}`), namespace, kind);
  }

  /** @internal `useLabels` failing at a prop path of the caller. */
  public useLabelsAt(ctx: Ctx, namespace: string, kind: WaypointUser): Record<string, string> {
    checkLabelName(ctx.at('namespace'), namespace, 'namespace');
    const where = `${kind}s of namespace ${namespace}`;
    if (this.allowedNamespaces === WaypointNamespaces.SAME && namespace !== this.namespace) {
      ctx.fail(ErrorCode.AMBIENT_UNSUPPORTED,
        `waypoint ${this.resourceName} accepts traffic from its own namespace only, so Istio refuses it for ${where} (the traffic would bypass it)`,
        `give the waypoint allowedNamespaces: WaypointNamespaces.ALL (or SELECTOR), or use a waypoint in ${namespace}`);
    }
    const t = this.trafficType;
    if (t !== undefined) {
      const takes = t === WaypointTrafficType.ALL
        || (t === WaypointTrafficType.SERVICE && kind !== 'Pod' && kind !== 'WorkloadEntry')
        || (t === WaypointTrafficType.WORKLOAD && (kind === 'Pod' || kind === 'WorkloadEntry' || kind === 'Namespace'));
      if (!takes) {
        ctx.fail(ErrorCode.AMBIENT_UNSUPPORTED,
          `waypoint ${this.resourceName} is for ${t} traffic (istio.io/waypoint-for), so Istio does not send the traffic of ${where} through it`,
          kind === 'Pod' || kind === 'WorkloadEntry'
            ? 'use a waypoint with waypointFor WORKLOAD or ALL'
            : 'use a waypoint with waypointFor SERVICE (the default) or ALL');
      }
    }
    return {
      [USE_WAYPOINT_LABEL]: this.name,
      ...(namespace !== this.namespace ? { [USE_WAYPOINT_NAMESPACE_LABEL]: this.namespace } : {}),
    };
  }
}

/** A waypoint name: a DNS-1123 label other than `none` (the `istio.io/use-waypoint` value that opts out). @internal */
export function checkWaypointName(ctx: Ctx, name: string): string {
  checkLabelName(ctx, name, 'waypoint name');
  if (name === 'none') {
    ctx.fail(ErrorCode.INVALID_NAME, 'a waypoint cannot be named "none": istio.io/use-waypoint=none means "no waypoint"',
      'choose another name, e.g. "waypoint"');
  }
  return name;
}

/**
 * Which proxy enforces a policy that selects workloads (a `selector`, or none: the namespace),
 * as the namespace enrols its pods (MeshNamespace's `injection`).
 */
export enum DataplaneMode {
  /** Sidecars (and gateways) enforce it: every field of the policy works. */
  SIDECAR = 'sidecar',
  /**
   * Ambient: ztunnel enforces it, at L4 only. HTTP fields (methods, paths, hosts, request
   * principals, `request.*` conditions) and the CUSTOM and AUDIT actions need a waypoint
   * (`targetRefs`). A policy with `targetRefs` is always enforced at a waypoint.
   */
  AMBIENT = 'ambient',
}

/** The PolicyTargetRefs made by the factories. */
const POLICY_TARGETS = new Brand<PolicyTargetRef>((t) => [t.group, t.kind, t.name, t.namespace]);

/** Whether `value` is a PolicyTargetRef made by its factories, unchanged. Never throws. @internal */
export function isPolicyTargetRef(value: unknown): value is PolicyTargetRef {
  return POLICY_TARGETS.isGenuine(value);
}

/**
 * What a policy attaches to instead of selecting workloads (Istio's `PolicyTargetReference`, a
 * `targetRefs` entry). In ambient mode, where L7 policies are enforced by waypoints:
 * - `waypoint(ref)`: the waypoint itself: every request that passes through it;
 * - `service(ref)` / `serviceEntry(host)`: requests to that Service or ServiceEntry, enforced by
 *   the waypoint it uses (its own `istio.io/use-waypoint` label, or its namespace's). Without a
 *   waypoint nothing enforces the policy.
 *
 * Istio attaches a policy only to a target of its own namespace.
 *
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 * @see https://istio.io/latest/docs/ambient/usage/l7-features/#targeting-policies-or-routing-rules
 */
export class PolicyTargetRef {
  /**
   * Attaches to a waypoint: the policy applies to every request through it.
   * @throws IstioConstructError CONFLICTING_PROPS when `waypoint` is not a WaypointRef.
   */
  public static waypoint(waypoint: WaypointRef): PolicyTargetRef {
    if (!isWaypointRef(waypoint)) {
      new Ctx('PolicyTargetRef.waypoint').at('waypoint').fail(ErrorCode.CONFLICTING_PROPS, 'the value is not a WaypointRef made by its factories',
        'pass a Waypoint construct\'s ref, or WaypointRef.fromName(name, namespace)');
    }
    return new PolicyTargetRef(GATEWAY_API_GROUP, 'Gateway', waypoint.name, waypoint.namespace);
  }

  /**
   * Attaches to a Service: requests to it, at the waypoint the Service uses.
   * @throws IstioConstructError CONFLICTING_PROPS when `service` is not a ServiceRef; INPUT_NOT_ALLOWED
   *   for a Pulumi ServiceRef built from Outputs.
   */
  public static service(service: ServiceRef): PolicyTargetRef {
    const ref = requireServiceRef(new Ctx('PolicyTargetRef.service').at('service'), service);
    return new PolicyTargetRef('', 'Service', ref.name, ref.namespace);
  }

  /**
   * Attaches to the ServiceEntry that declares an external host (an `ExternalEgress` host): requests
   * to its hosts, at the waypoint the ServiceEntry uses.
   * @throws IstioConstructError CONFLICTING_PROPS when `host` is not an ExternalHost of a ServiceEntry
   *   of this program (`ExternalHost.fromName` names no ServiceEntry: use `serviceEntryNamed`).
   */
  public static serviceEntry(host: ExternalHost): PolicyTargetRef {
    const ctx = new Ctx('PolicyTargetRef.serviceEntry').at('host');
    if (!isExternalHost(host)) {
      ctx.fail(ErrorCode.CONFLICTING_PROPS, 'the value is not an ExternalHost', 'pass a host of an ExternalEgress (its hosts), or use PolicyTargetRef.serviceEntryNamed(name, namespace)');
    }
    if (host.serviceEntry === undefined) {
      ctx.fail(ErrorCode.CONFLICTING_PROPS, `ExternalHost ${show(host.host)} names no ServiceEntry (it was made by ExternalHost.fromName)`,
        'pass a host of an ExternalEgress, or use PolicyTargetRef.serviceEntryNamed(name, namespace) for a ServiceEntry that exists elsewhere');
    }
    const se = host.serviceEntry!;
    return new PolicyTargetRef('networking.istio.io', 'ServiceEntry', se.name, se.namespace);
  }

  /**
   * Attaches to a ServiceEntry by name, for one the program does not declare.
   * @throws IstioConstructError INVALID_NAME for a name that is not a DNS-1123 subdomain or a bad namespace.
   */
  public static serviceEntryNamed(name: string, namespace: string): PolicyTargetRef {
    const ctx = new Ctx(`PolicyTargetRef.serviceEntryNamed ${show(name)}`);
    checkProps(ctx, 'WaypointRef.fromName', { name, namespace });
    checkSubdomainName(ctx.at('name'), name, 'ServiceEntry name');
    checkLabelName(ctx.at('namespace'), namespace, 'namespace');
    return new PolicyTargetRef('networking.istio.io', 'ServiceEntry', name, namespace);
  }

  private constructor(
    /** The target's API group (`''` for a Service). */
    public readonly group: string,
    /** `Gateway`, `Service` or `ServiceEntry`. */
    public readonly kind: string,
    /** The target's name. */
    public readonly name: string,
    /** The target's namespace (the policy must be in it). */
    public readonly namespace: string,
  ) {
    POLICY_TARGETS.mark(this);
  }

  /** `Kind namespace/name`, for messages. */
  public toString(): string {
    return `${this.kind} ${this.namespace}/${this.name}`;
  }
}

registerInstanceType('WaypointRef', isWaypointRef, 'a WaypointRef (a Waypoint\'s ref, or WaypointRef.fromName(name, namespace))', ErrorCode.CONFLICTING_PROPS,
  (v) => v instanceof WaypointRef);
registerInstanceType('PolicyTargetRef', isPolicyTargetRef,
  'a PolicyTargetRef (PolicyTargetRef.waypoint(ref), .service(ref), .serviceEntry(host) or .serviceEntryNamed(name, namespace))', ErrorCode.CONFLICTING_PROPS,
  (v) => v instanceof PolicyTargetRef);
