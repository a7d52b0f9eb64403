/**
 * S1 on the Kubernetes Gateway API: the message server's TCP port 31400 exposed through the
 * istioctl-profile ingress gateway, as a TCPRoute instead of a VirtualService `tcp` route. The
 * props are `s1-tcp-ingress`'s with the Gateway API as the target.
 *
 * The gateway pods run already (the istioctl installation's `istio-ingressgateway` in
 * istio-system), so the Gateway API `Gateway` uses them through their Service (manual deployment:
 * `addresses` of type Hostname naming `istio-ingressgateway.istio-system.svc.cluster.local`)
 * instead of having Istio deploy a new one. The Gateway stays in istio-system with a TCP listener
 * on 31400 that admits TCPRoutes from `default` (and istio-system); the TCPRoute in `default`
 * attaches to that listener by its name (`sectionName`) and forwards to `tcp-service:31400`.
 *
 * TCPRoute is `gateway.networking.k8s.io/v1` from Gateway API v1.6, the version Istio reads
 * (below v1.6 Istio ignores TCPRoutes: istioctl IST0176); an older installed bundle is refused.
 */
import { GatewayApiChannel, RoutingApi, RoutingTarget } from '../../src';

/** S1's gateway, Service and route props (`tcp-virtual-service` on `istio-system/tcp-ingress-gateway`), unchanged. */
export { ingressGateway, tcpIngress, tcpService } from '../s1-tcp-ingress/props';

export const stages = ['tcp-route'] as const;

/** The routing target of the program: the Gateway API v1.6 CRDs (the oldest bundle whose TCPRoute Istio reads). */
export const gatewayApi: RoutingTarget = { api: RoutingApi.GATEWAY_API, gatewayApiVersion: 'v1.6.0', gatewayApiChannel: GatewayApiChannel.STANDARD };
