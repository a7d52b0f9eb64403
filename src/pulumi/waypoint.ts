import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { WaypointRef } from '../core/ambient';
import { WaypointProps, buildWaypoint } from '../patterns/waypoint';
import { register } from './register';

/**
 * The args of the Pulumi `Waypoint`: `WaypointProps` with plain values. The name and namespace
 * are written into other objects' labels (`istio.io/use-waypoint`) and policies' `targetRefs`,
 * so they must be known when the program runs.
 */
export type WaypointArgs = WaypointProps;

/**
 * A waypoint proxy for ambient mode, as a Pulumi component (`istio-constructs:index:Waypoint`,
 * child `<name>-gateway`, a `gateway.networking.k8s.io/v1` Gateway of class `istio-waypoint`
 * from which Istio deploys the proxy). Give its `ref` to the objects whose traffic it takes and to
 * the policies it enforces.
 *
 * @throws IstioConstructError for invalid args (see `buildWaypoint`).
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 * @example
 * ```ts
 * import { MeshNamespace, Waypoint } from 'istio-constructs/pulumi';
 *
 * // The namespace's waypoint, and the namespace enrolled in ambient mode with its traffic through it.
 * const waypoint = new Waypoint('bookinfo-waypoint', { namespace: 'bookinfo' });
 * export const ns = new MeshNamespace('bookinfo', { name: 'bookinfo', injection: 'ambient', waypoint: waypoint.ref });
 * ```
 */
export class Waypoint extends pulumi.ComponentResource {
  /**
   * References a waypoint that exists in the cluster (e.g. made by `istioctl waypoint apply`).
   * @throws IstioConstructError INVALID_NAME for a bad name or namespace, or the name `none`.
   */
  public static fromName(name: string, namespace: string): WaypointRef {
    return WaypointRef.fromName(name, namespace);
  }

  /** The Gateway (a `CustomResource`). */
  public readonly gateway: k8s.apiextensions.CustomResource;
  /** The reference other components take (and `ref.useLabels(namespace)` for resources of your own). */
  public readonly ref: WaypointRef;

  constructor(name: string, args: WaypointArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:Waypoint', name, {}, opts);
    const { children, preview } = register(this, name, `Waypoint ${JSON.stringify(name)}`, args, buildWaypoint);
    this.gateway = children.gateway as k8s.apiextensions.CustomResource;
    this.ref = preview.ref;
    this.registerOutputs({ gateway: this.gateway });
  }
}
