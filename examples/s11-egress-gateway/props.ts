/**
 * S11: extra gateways (seed 002, Banzai Cloud MeshGateway), both in namespace `default`.
 * - `echo-ingress`: a second ingress gateway (LoadBalancer, port 8000) whose pods carry
 *   `gateway-name: echo-ingress` and `gateway-type: ingress`; the Gateway `echo` and the route
 *   `echo` expose the `echo` Service (port 80) on 8000 for two host names.
 * - `egress`: an egress gateway (ClusterIP, port 80, labels `gateway-name: egress`,
 *   `gateway-type: egress`). `httpbin.org` (HTTP 80, resolution DNS, MESH_EXTERNAL) is declared, and
 *   the VirtualService `httpbin-egress`, bound to `mesh` and the Gateway `egress`, sends sidecar
 *   traffic to the egress gateway's Service and the gateway's traffic to httpbin.org.
 * - The mesh's outbound policy is REGISTRY_ONLY, as the seed sets it (the installation's mesh
 *   config, given to the analysis as `meshConfig`).
 *
 * The gateway workloads themselves (the MeshGateway resources of the seed) are the installation's:
 * the program references them (`IngressGateway.fromSelector`, `EgressGateway.fromSelector`), and
 * examples/cluster.ts stands in for them in the analysis.
 *
 * Corrected seed mistakes: the egress Gateway names the host `httpbin.org`, not `*` (a `*` server
 * on a shared egress gateway accepts every host for every team's routes); the VirtualService names
 * its gateway `default/egress` (the seed's bare `egress` only resolves from `default`, and the
 * seed's VirtualService has no namespace); the ServiceEntry is named `httpbin-egress` like the
 * objects the library derives from it (the seed's `httpbin-ext`), and the route to the egress
 * gateway's Service names a subset of it (a DestinationRule `httpbin-egress-egress-gateway`), as
 * Istio's egress-gateway task does. The seed's `xip.io` host names are `nip.io` (xip.io is gone;
 * nip.io answers the same names). `networking.istio.io/v1`, not the seed's `v1alpha3`.
 */
import {
  EgressGateway, ExternalEgressProps, GatewayProps, GatewayRef, HttpRouteProps, IngressGateway, Protocol, ServiceEntryLocation,
  ServiceEntryResolution, ServiceRef,
} from '../../src';

export const stages = ['echo-ingress', 'httpbin-egress'] as const;
export type Stage = typeof stages[number];

/** The `echo-ingress` gateway workload (LoadBalancer Service `echo-ingress`, HTTP on 8000). */
export const echoIngressGateway = IngressGateway.fromSelector({ 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress' }, {
  namespace: 'default', serviceName: 'echo-ingress', ports: [{ port: 8000, protocol: Protocol.HTTP, name: 'http' }],
});

/** The `egress` gateway workload (ClusterIP Service `egress`, HTTP on 80). */
export const egressGateway = EgressGateway.fromSelector({ 'gateway-name': 'egress', 'gateway-type': 'egress' }, {
  namespace: 'default', serviceName: 'egress', ports: [{ port: 80, protocol: Protocol.HTTP, name: 'http' }],
});

/** The `echo` application (Deployment and Service exist in `default`). */
export const echo = ServiceRef.fromName('echo', { namespace: 'default', ports: [{ port: 80, protocol: Protocol.HTTP }] });

const echoHosts = ['echo.18.197.110.20.nip.io', 'echo.18.185.173.38.nip.io'];

export const echoGateway: GatewayProps = {
  name: 'echo',
  namespace: 'default',
  workload: echoIngressGateway,
  servers: [{ port: 8000, protocol: Protocol.HTTP, hosts: echoHosts, portName: 'http' }],
};

export const echoRoute = (gateway: GatewayRef): HttpRouteProps => ({
  name: 'echo',
  namespace: 'default',
  destination: echo,
  port: 80,
  gateways: [gateway],
  hosts: echoHosts,
});

export const httpbinEgress: ExternalEgressProps = {
  name: 'httpbin-egress',
  namespace: 'default',
  hosts: ['httpbin.org'],
  ports: [{ port: 80, protocol: Protocol.HTTP, name: 'http' }],
  resolution: ServiceEntryResolution.DNS,
  location: ServiceEntryLocation.MESH_EXTERNAL,
  egressGateway: { gateway: egressGateway, gatewayName: 'egress' },
};

/** The mesh config of the seed: only registered destinations are reachable (the installation sets it). */
export const meshConfig = { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } };
