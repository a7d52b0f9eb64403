/**
 * S10's ambient variant (seed 001; Istio's ambient getting-started): bookinfo in namespace
 * `default` enrolled in ambient mode (`istio.io/dataplane-mode=ambient`: no sidecars, ztunnel
 * captures the pods' traffic), exposed through a Gateway API ingress, and reviews split 90/10
 * between v1 and v2 by a mesh HTTPRoute attached to the `reviews` Service (GAMMA).
 *
 * - The ingress is `s10-gateway-api`'s: the Gateway `bookinfo-gateway` of class `istio` (Istio
 *   deploys it), HTTP on 80 with same-namespace routes, and the HTTPRoute `bookinfo` with the five
 *   productpage paths to `productpage:9080`.
 * - reviews: one Service per version (`reviews-v1`, `reviews-v2`), and the HTTPRoute `reviews`.
 *   In ambient mode ztunnel only handles L4: an HTTPRoute attached to a Service is applied by the
 *   waypoint proxy the Service's traffic goes through, and without one it is ignored. So the
 *   namespace gets its waypoint, `default/waypoint` (a Gateway of class `istio-waypoint` that Istio
 *   deploys), and uses it (`istio.io/use-waypoint: waypoint`), as
 *   `istioctl waypoint apply --enroll-namespace` does in Istio's ambient getting-started.
 */
import { CanaryServiceProps, MeshNamespaceProps, WaypointProps, WaypointRef } from '../../src';
import { bookinfoGateway, bookinfoRoute, gatewayApi, productpage, reviews } from '../s10-gateway-api/props';

export { bookinfoGateway, bookinfoRoute, gatewayApi, productpage, reviews };

export const stages = ['ambient'] as const;

/** The waypoint of `default`: it takes the traffic to the namespace's Services (the default `waypointFor`). */
export const waypoint: WaypointProps = { name: 'waypoint', namespace: 'default' };

/** `default` in ambient mode, its Services' traffic through `waypoint`. */
export const bookinfoNamespace = (ref: WaypointRef): MeshNamespaceProps => ({ name: 'default', injection: 'ambient', waypoint: ref });

/** reviews: 90% to v1, 10% to v2 (Istio's `route-reviews-90-10.yaml`, as the ambient getting-started applies it). */
export const reviews9010: CanaryServiceProps<'v1' | 'v2'> = {
  service: reviews,
  versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
};
