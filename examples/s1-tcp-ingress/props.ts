/**
 * S1: TCP ingress for a message server on 31400 (seed 000, "Exposing TCP Ports").
 *
 * Corrected seed mistakes: the VirtualService names its Gateway as `istio-system/tcp-ingress-gateway`
 * (the seed's bare name binds nothing from `default`), and routes to the Service port 31400 (the
 * seed routes to 8080, the targetPort).
 */
import { Protocol, TcpIngressProps, WorkloadServiceProps } from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = ['tcp-ingress'] as const;

/** The istioctl-profile ingress gateway; its Service must expose 31400 (named `tcp`) in the installation. */
export const ingressGateway = istioIngressGateway({ port: 31400, protocol: Protocol.TCP, name: 'tcp' });

/** The message server's Service: port 31400 forwards to container port 8080. */
export const tcpService: WorkloadServiceProps = {
  name: 'tcp-service',
  namespace: 'default',
  selector: { app: 'tcp-app' },
  ports: [{ port: 31400, targetPort: 8080, protocol: Protocol.TCP }],
};

export const tcpIngress = (backend: TcpIngressProps['backend']): TcpIngressProps => ({
  name: 'tcp-virtual-service',
  backend,
  port: 31400,
  gateway: ingressGateway,
  gatewayName: 'tcp-ingress-gateway',
  gatewayNamespace: 'istio-system',
});
