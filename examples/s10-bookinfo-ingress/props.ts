/**
 * S10, the plain ingress of the bookinfo walkthrough (seed 001): `bookinfo-gateway` on the
 * istioctl ingress gateway (HTTP on 80), and the `bookinfo` VirtualService exposing only the five
 * productpage paths to `productpage:9080`. productpage has one version, so this is a plain route
 * (`HttpRoute`) with no DestinationRule; compare `s10-bookinfo-traffic`, whose CanaryService needed
 * a version `v1` (and a subset) for the same route.
 *
 * Corrected seed mistakes: the seed's VirtualService names its host `productpage` (a short name
 * Istio qualifies to `productpage.default.svc.cluster.local`, a host no client sends through the
 * gateway, so every request got 404 until the seed switched to `*`): the route answers for the
 * gateway's hosts; its destination is the FQDN with the Service port 9080 (the seed leaves the
 * port out). The gateway is written `default/bookinfo-gateway`, not the bare name.
 */
import { GatewayProps, GatewayRef, HttpRouteProps, Protocol, ServiceRef } from '../../src';
import { productpageMatches } from '../s10-bookinfo-traffic/props';
import { istioIngressGateway } from '../shared';

export const stages = ['bookinfo-ingress'] as const;

export const productpage = ServiceRef.fromName('productpage', { namespace: 'default', ports: [{ port: 9080, protocol: Protocol.HTTP }] });

/** `bookinfo-gateway`: HTTP on 80 for any host, as in the walkthrough (a development cluster without a domain). */
export const bookinfoGateway: GatewayProps = {
  name: 'bookinfo-gateway',
  namespace: 'default',
  workload: istioIngressGateway(),
  servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['*'], portName: 'http' }],
  // The walkthrough serves any host; the opt-in makes that choice visible.
  allowWildcardHosts: true,
};

/** `bookinfo`: the five productpage paths through the gateway; every other request gets 404. */
export const bookinfoRoute = (gateway: GatewayRef): HttpRouteProps => ({
  name: 'bookinfo',
  namespace: 'default',
  destination: productpage,
  port: 9080,
  gateways: [gateway],
  hosts: ['*'],
  allowWildcardHosts: true,
  rules: [{
    name: 'productpage',
    match: productpageMatches,
  }],
  routeUnmatched: false,
});
