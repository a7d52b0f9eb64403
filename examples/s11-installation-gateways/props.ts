/**
 * S11 with the gateways installed by the program (seed 002): the installation adds two gateways
 * with Istio's `gateway` chart, both in `default`,
 * - `echo-ingress`: a LoadBalancer on 8000, pods labelled `gateway-name: echo-ingress` and
 *   `gateway-type: ingress`; the Gateway `echo` and the route `echo` (as in s11-egress-gateway)
 *   are bound to its typed reference;
 * - `egress`: a ClusterIP on 80, labels `gateway-name: egress`, `gateway-type: egress`;
 *   httpbin.org leaves the mesh through it (ExternalEgress bound to its reference);
 * and sets the seed's mesh-wide `REGISTRY_ONLY` outbound policy.
 *
 * The seed selects the gateway pods by `gateway-name` / `gateway-type`; the references carry every
 * label the chart really puts on the pods (`app` and `istio` from the release name, plus these), so
 * a Gateway bound to them cannot select nothing.
 */
import { ExternalEgressProps, GatewayProps, InstallationGatewayProps, ManagedEgressGateway, ManagedIngressGateway, Protocol } from '../../src';
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_VERSION, chartSource } from '../installation/settings';
import { echoGateway, httpbinEgress } from '../s11-egress-gateway/props';

export { echo, echoRoute } from '../s11-egress-gateway/props';

export const stages = ['gateways'] as const;

export const echoIngress: InstallationGatewayProps = {
  name: 'echo-ingress',
  kind: 'ingress',
  namespace: 'default',
  service: { type: 'LoadBalancer', ports: [{ port: 8000, protocol: Protocol.HTTP, name: 'http' }] },
  labels: { 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress' },
};

export const egress: InstallationGatewayProps = {
  name: 'egress',
  kind: 'egress',
  namespace: 'default',
  service: { type: 'ClusterIP', ports: [{ port: 80, protocol: Protocol.HTTP, name: 'http' }] },
  labels: { 'gateway-name': 'egress', 'gateway-type': 'egress' },
};

/** Istio (profile `minimal`: no default gateway) with the two gateways and REGISTRY_ONLY. */
export const installation = (): InstallationProps => ({
  version: ISTIO_VERSION,
  profile: 'minimal',
  chartSource: chartSource(),
  meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  gateways: [echoIngress, egress],
});

/** The Gateway `echo` on the installed echo-ingress gateway. */
export const gatewayOn = (workload: ManagedIngressGateway): GatewayProps => ({ ...echoGateway, workload });

/** httpbin.org through the installed egress gateway. */
export const egressThrough = (gateway: ManagedEgressGateway): ExternalEgressProps => ({
  ...httpbinEgress, egressGateway: { gateway, gatewayName: 'egress' },
});
