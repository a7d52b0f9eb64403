/**
 * S13, canary part: WordPress (seed 004) split 90/10 between v1 and v2 for blog.datadoc.info on
 * `wordpress-gateway`. The HTTPS server and mTLS come with the HardenedGateway work; until then
 * the gateway serves the host on port 80.
 */
import { CanaryServiceProps, Protocol, ServiceRef } from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = ['canary'] as const;

const wordpress = ServiceRef.fromName('wordpress', { namespace: 'default', ports: [{ port: 80, protocol: Protocol.HTTP }] });
const ingress = istioIngressGateway();

export const wordpressCanary: CanaryServiceProps<'v1' | 'v2'> = {
  service: wordpress,
  versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
  gateway: { gateway: ingress, gatewayName: 'wordpress-gateway', hosts: ['blog.datadoc.info'] },
};
