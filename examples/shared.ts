/** What the examples share: the ingress gateway of an istioctl-profile installation. */
import { GatewayPort, IngressGateway, Protocol } from '../src';

/**
 * `istio-ingressgateway` in istio-system (label `istio: ingressgateway`), with the ports its
 * Service exposes in the installation: 80 and 443, plus any extra ones the example needs.
 */
export function istioIngressGateway(...extraPorts: GatewayPort[]): IngressGateway {
  return IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
    namespace: 'istio-system',
    serviceName: 'istio-ingressgateway',
    ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }, ...extraPorts],
  });
}
