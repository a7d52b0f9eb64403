/**
 * S7, ingress half (seed 000, "Setting up Istio TLS Connections"): `bookinfo-gateway-https` in
 * `default` on the istioctl ingress gateway, HTTPS SIMPLE on 443 with the certificate from the
 * Secret `httpbin-credential`, routing to httpbin.
 */
import { HardenedGatewayProps, Protocol, ServiceRef } from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = ['tls-ingress'] as const;

export const httpsIngress: HardenedGatewayProps = {
  name: 'bookinfo-gateway-https',
  namespace: 'default',
  gateway: istioIngressGateway(),
  servers: [{ hosts: ['httpbin.example.com'], credentialName: 'httpbin-credential' }],
  backend: ServiceRef.fromName('httpbin', { namespace: 'default', ports: [{ port: 8000, protocol: Protocol.HTTP }] }),
};
