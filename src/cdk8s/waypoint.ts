import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { WaypointRef } from '../core/ambient';
import { WaypointProps, buildWaypoint } from '../patterns/waypoint';
import { emit } from './emit';

/**
 * A waypoint proxy for ambient mode, as a cdk8s construct: a Gateway API `Gateway` of class
 * `istio-waypoint` (listener `mesh`, port 15008, HBONE) from which Istio deploys the proxy. Give
 * its `ref` to the objects whose traffic it takes and to the policies it enforces.
 *
 * @throws IstioConstructError for invalid props (see `buildWaypoint`).
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { AuthorizationAction, AuthorizationPolicy, MeshNamespace, PolicyTargetRef, Waypoint } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 * // The namespace's waypoint, and the namespace enrolled in ambient mode with its traffic through it.
 * const waypoint = new Waypoint(chart, 'waypoint', { namespace: 'bookinfo' });
 * new MeshNamespace(chart, 'ns', { name: 'bookinfo', injection: 'ambient', waypoint: waypoint.ref });
 * // An L7 rule, enforced at the waypoint.
 * new AuthorizationPolicy(chart, 'get-only', {
 *   name: 'get-only', namespace: 'bookinfo', targetRefs: [PolicyTargetRef.waypoint(waypoint.ref)],
 *   action: AuthorizationAction.ALLOW, rules: [{ to: [{ methods: ['GET'] }] }],
 * });
 * ```
 */
export class Waypoint extends Construct {
  /**
   * References a waypoint that exists in the cluster (e.g. made by `istioctl waypoint apply`).
   * @throws IstioConstructError INVALID_NAME for a bad name or namespace, or the name `none`.
   */
  public static fromName(name: string, namespace: string): WaypointRef {
    return WaypointRef.fromName(name, namespace);
  }

  /** The `gateway.networking.k8s.io/v1` Gateway. */
  public readonly gateway: ApiObject;
  /** The reference other constructs take (and `ref.useLabels(namespace)` for objects of your own). */
  public readonly ref: WaypointRef;

  constructor(scope: Construct, id: string, props: WaypointProps) {
    super(scope, id);
    const output = buildWaypoint(props);
    this.gateway = emit(this, output, props).gateway;
    this.ref = output.ref;
  }
}
