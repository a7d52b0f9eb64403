/**
 * S1 from the start (seed 000, "Exposing TCP Ports"): the seed's first step adds TCP 31400 to the
 * ingress gateway's Service of the installation by hand. Here the installation (profile `default`,
 * with its `istio-ingressgateway`) manages that Service, and the TcpIngress bound to the
 * gateway's typed reference adds 31400 (named `tcp-31400`) to it: no port is written by hand.
 */
import { ManagedIngressGateway, TcpIngressProps } from '../../src';
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_VERSION, chartSource } from '../installation/settings';
import { tcpService } from '../s1-tcp-ingress/props';

export { tcpService };

export const stages = ['tcp-ingress'] as const;

export const installation = (): InstallationProps => ({ version: ISTIO_VERSION, profile: 'default', chartSource: chartSource() });

/** The seed's TcpIngress, on the installation's ingress gateway. */
export const tcpIngress = (backend: TcpIngressProps['backend'], gateway: ManagedIngressGateway): TcpIngressProps => ({
  name: 'tcp-virtual-service',
  backend,
  port: 31400,
  gateway,
  gatewayName: 'tcp-ingress-gateway',
  gatewayNamespace: 'istio-system',
});
