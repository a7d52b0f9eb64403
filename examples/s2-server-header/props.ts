/**
 * S2: hide server information (seed 000, "Prevent Server Information Disclosure"): no `Server`
 * header and no `x-envoy-*` debug headers from the ingress gateway, chosen by Istio version.
 * - `envoy-filter`: the existing istio-ingressgateway, which the program does not own: the
 *   EnvoyFilter of the seed (server_header_transformation PASS_THROUGH, the header removed from
 *   responses), plus Envoy's router told to suppress its debug headers.
 * - `proxy-config`: a dedicated gateway on Istio 1.20+: `proxyHeaders` in the workload's proxy
 *   configuration, no EnvoyFilter.
 */
import { HardenedGatewayProps, Protocol, ServiceRef } from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = ['envoy-filter', 'proxy-config'] as const;
export type Stage = typeof stages[number];

const shop = ServiceRef.fromName('shop', { namespace: 'shop', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
const servers = [{ hosts: ['shop.example.com'], credentialName: 'shop-example-com-tls' }];

export const hygiene: Record<Stage, HardenedGatewayProps> = {
  'envoy-filter': { name: 'shop', namespace: 'shop', gateway: istioIngressGateway(), istioVersion: '1.19', servers, backend: shop },
  'proxy-config': { name: 'shop', namespace: 'shop', workload: { name: 'shop-gateway', namespace: 'shop' }, istioVersion: '1.31', servers, backend: shop },
};
