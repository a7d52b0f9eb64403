/**
 * Waypoint: a waypoint proxy for ambient mode, as Istio deploys it: a Kubernetes Gateway API
 * `Gateway` (`gateway.networking.k8s.io/v1`) of class `istio-waypoint` with one listener, `mesh`,
 * on port 15008 speaking HBONE. Istio's deployment controller creates its Deployment, Service and
 * ServiceAccount (automated deployment); `infrastructure` passes labels, annotations and a
 * parameters ConfigMap to them.
 *
 * A waypoint takes nothing until objects are labelled to use it: a namespace (`MeshNamespace`'s
 * `waypoint`), a Service or ServiceEntry (`ref.useLabels(namespace)` on it; `ExternalEgress`'s
 * `waypoint`), or pods. L7 policies attach to it with `targetRefs` (`PolicyTargetRef.waypoint`).
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway
 */
import { checkLabelName, checkLabels, checkSubdomainName } from '../core/checks';
import {
  GATEWAY_API_GROUP, WAYPOINT_FOR_LABEL, WAYPOINT_GATEWAY_CLASS, WaypointNamespaces, WaypointRef, WaypointTrafficType, checkWaypointName,
} from '../core/ambient';
import { Ctx, ErrorCode, show } from '../core/errors';
import { Manifest, compact, metadata } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { checkProps, propsCtx } from '../core/props';

/**
 * What Istio's automated deployment puts on the waypoint's generated resources (Gateway API
 * `spec.infrastructure`).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */
export interface WaypointInfrastructure {
  /**
   * Labels for the generated Deployment, Service and ServiceAccount (at most 8; keys under
   * `gateway.networking.k8s.io/` are refused: Istio drops them).
   * @default - none (Istio then copies the Gateway's own labels)
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations for the generated resources (at most 16; values up to 4096 characters; keys under
   * `gateway.networking.k8s.io/` are refused).
   * @default - none (Istio then copies the Gateway's own annotations)
   */
  readonly annotations?: Record<string, string>;
  /**
   * The name of a ConfigMap in the waypoint's namespace whose keys (`deployment`, `service`,
   * `horizontalPodAutoscaler`, `podDisruptionBudget`, `serviceAccount`) are patches Istio applies
   * to the generated resources (replicas, resources, ...). The ConfigMap is not written here.
   * @default - none
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
   */
  readonly parametersRef?: string;
}

/** Props of a Waypoint. */
export interface WaypointProps {
  /**
   * The Gateway's name (also the name of the Deployment and Service Istio generates). `none` is
   * reserved.
   * @default 'waypoint' (Istio's name for a namespace's waypoint)
   */
  readonly name?: string;
  /** The namespace the waypoint runs in. */
  readonly namespace: string;
  /**
   * Which traffic it takes: to Services and ServiceEntries, directly to pods, both, or none
   * (`istio.io/waypoint-for`). Always written, so the GatewayClass's default does not matter.
   * @default WaypointTrafficType.SERVICE
   */
  readonly waypointFor?: WaypointTrafficType;
  /**
   * The control plane revision (or revision tag) that manages it (`istio.io/rev`), e.g. `1-31-0`.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Which namespaces may send traffic through it (the `mesh` listener's
   * `allowedRoutes.namespaces.from`). Objects of other namespaces labelled to use it are refused by
   * Istio, their traffic bypassing it.
   * @default WaypointNamespaces.SAME
   */
  readonly allowedNamespaces?: WaypointNamespaces;
  /** With `allowedNamespaces: SELECTOR`: the labels of the namespaces allowed. @default - none */
  readonly namespaceSelector?: Record<string, string>;
  /** Metadata and parameters for the resources Istio generates. @default - none */
  readonly infrastructure?: WaypointInfrastructure;
}

/** What `buildWaypoint` returns. */
export interface WaypointOutput extends PatternOutput {
  /** The `gateway.networking.k8s.io/v1` Gateway. */
  readonly gateway: Manifest;
  /** The reference other constructs take. */
  readonly ref: WaypointRef;
}

/** The waypoint listener: Istio's `mesh` listener on the HBONE port. */
const MESH_LISTENER = { name: 'mesh', port: 15008, protocol: 'HBONE' } as const;
/** Gateway API limits of `spec.infrastructure`. */
const MAX_INFRA_LABELS = 8;
const MAX_INFRA_ANNOTATIONS = 16;
const MAX_ANNOTATION_VALUE = 4096;
/** A revision or tag: a DNS-1123 label (Istio refuses dots). */
const REVISION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PATTERN = 'waypoint';

/**
 * Builds a waypoint Gateway. Pure.
 *
 * @throws IstioConstructError INVALID_NAME for a bad name (or `none`), namespace, revision or
 *   parameters ConfigMap name; INVALID_LABEL for bad infrastructure labels or annotations, too
 *   many of them, or keys Istio drops; CONFLICTING_PROPS for a namespaceSelector without
 *   `allowedNamespaces: SELECTOR` or the reverse.
 */
export function buildWaypoint(props: WaypointProps): WaypointOutput {
  checkProps(propsCtx('Waypoint', props, 'name', 'namespace'), 'WaypointProps', props);
  const name = props.name ?? 'waypoint';
  const ctx = new Ctx(`Waypoint ${show(name)}`);
  checkWaypointName(ctx.at('name'), name);
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace, 'namespace');
  const trafficType = props.waypointFor ?? WaypointTrafficType.SERVICE;
  if (props.revision !== undefined && (!REVISION.test(props.revision) || props.revision.length > 63)) {
    ctx.at('revision').fail(ErrorCode.INVALID_NAME, `revision ${show(props.revision)} is not a DNS-1123 label (Istio refuses dots and capitals)`,
      'write it like "1-31-0" or the name of a revision tag');
  }
  const allowed = props.allowedNamespaces ?? WaypointNamespaces.SAME;
  if (allowed === WaypointNamespaces.SELECTOR && props.namespaceSelector === undefined) {
    ctx.at('namespaceSelector').fail(ErrorCode.CONFLICTING_PROPS, 'allowedNamespaces SELECTOR needs the labels of the namespaces',
      'give namespaceSelector, e.g. { "waypoint-users": "true" }');
  }
  if (allowed !== WaypointNamespaces.SELECTOR && props.namespaceSelector !== undefined) {
    ctx.at('namespaceSelector').fail(ErrorCode.CONFLICTING_PROPS, `namespaceSelector is only read with allowedNamespaces SELECTOR, not ${show(allowed)}`,
      'set allowedNamespaces: WaypointNamespaces.SELECTOR, or remove namespaceSelector');
  }
  const selector = props.namespaceSelector !== undefined ? checkLabels(ctx.at('namespaceSelector'), props.namespaceSelector, { nonEmpty: true }) : undefined;

  const labels = {
    ...metadata(name, namespace, PATTERN, name).labels,
    [WAYPOINT_FOR_LABEL]: trafficType,
    ...(props.revision !== undefined ? { 'istio.io/rev': props.revision } : {}),
  };
  const gateway: Manifest = {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace, labels },
    spec: compact({
      gatewayClassName: WAYPOINT_GATEWAY_CLASS,
      listeners: [{
        ...MESH_LISTENER,
        allowedRoutes: allowed === WaypointNamespaces.SAME ? undefined
          : { namespaces: compact({ from: allowed, selector: selector ? { matchLabels: selector } : undefined }) },
      }],
      infrastructure: props.infrastructure ? infrastructure(ctx.at('infrastructure'), props.infrastructure) : undefined,
    }),
  };
  return {
    objects: [{ role: 'gateway', manifest: gateway }],
    gateway,
    ref: WaypointRef.declared(name, namespace, trafficType, allowed),
  };
}

/** Checks and renders `spec.infrastructure`. */
function infrastructure(ctx: Ctx, infra: WaypointInfrastructure): Record<string, unknown> {
  const metadataMap = (field: 'labels' | 'annotations', max: number): Record<string, string> | undefined => {
    const given = infra[field];
    if (given === undefined) return undefined;
    const c = ctx.at(field);
    const keys = Object.keys(given);
    if (keys.length > max) {
      c.fail(ErrorCode.INVALID_LABEL, `${keys.length} ${field} are given; the Gateway API allows at most ${max}`, `give at most ${max}`);
    }
    // Keys follow the label key syntax (the Gateway API's CEL rule: a prefix shorter than 253 characters).
    checkLabels(c, Object.fromEntries(keys.map((k) => [k, field === 'labels' ? given[k] : 'x'])), { nonEmpty: true });
    const out: Record<string, string> = {};
    for (const key of keys.sort()) {
      if (key.includes('/') && key.indexOf('/') >= 253) {
        c.at(key).fail(ErrorCode.INVALID_LABEL, `the prefix of ${show(key)} is 253 characters or longer`, 'use a DNS prefix shorter than 253 characters');
      }
      if (key.startsWith('gateway.networking.k8s.io/')) {
        c.at(key).fail(ErrorCode.INVALID_LABEL, `Istio drops infrastructure ${field} under gateway.networking.k8s.io/ (it sets those itself)`,
          'use another key prefix');
      }
      if (field === 'annotations' && given[key].length > MAX_ANNOTATION_VALUE) {
        c.at(key).fail(ErrorCode.INVALID_LABEL, `the annotation value has ${given[key].length} characters; the Gateway API allows ${MAX_ANNOTATION_VALUE}`,
          `give at most ${MAX_ANNOTATION_VALUE} characters`);
      }
      out[key] = given[key];
    }
    return out;
  };
  const parametersRef = infra.parametersRef !== undefined
    ? { group: '', kind: 'ConfigMap', name: checkSubdomainName(ctx.at('parametersRef'), infra.parametersRef, 'ConfigMap name') }
    : undefined;
  const rendered = compact({
    labels: metadataMap('labels', MAX_INFRA_LABELS),
    annotations: metadataMap('annotations', MAX_INFRA_ANNOTATIONS),
    parametersRef,
  });
  if (Object.keys(rendered).length === 0) ctx.fail(ErrorCode.CONFLICTING_PROPS, 'infrastructure sets nothing', 'give labels, annotations or parametersRef, or leave infrastructure out');
  return rendered;
}
