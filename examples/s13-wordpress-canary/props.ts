/**
 * S13: WordPress over HTTPS with a canary (seed 004). `wordpress-gateway` serves blog.datadoc.info
 * on 443 with the certificate from a Secret (`credentialName`; the seed mounted certificate files,
 * which Istio no longer supports), redirects HTTP, and the canary routes 90/10 between v1 and v2
 * over ISTIO_MUTUAL, with mTLS STRICT mesh-wide.
 */
import {
  CanaryServiceProps, ClientTlsMode, GatewayRef, HardenedGatewayProps, MtlsMode, PeerAuthenticationProps, Protocol, ServiceRef,
} from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = ['wordpress'] as const;

const wordpress = ServiceRef.fromName('wordpress', { namespace: 'default', ports: [{ port: 80, protocol: Protocol.HTTP }] });

export const gateway: HardenedGatewayProps = {
  name: 'wordpress-gateway',
  namespace: 'default',
  gateway: istioIngressGateway(),
  servers: [{ hosts: ['blog.datadoc.info'], credentialName: 'blog-datadoc-info-tls' }],
};

export const wordpressCanary = (ref: GatewayRef): CanaryServiceProps<'v1' | 'v2'> => ({
  service: wordpress,
  versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
  trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } },
  headers: { response: { set: { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } } },
  gateway: { existingGateway: ref, hosts: ['blog.datadoc.info'] },
});

export const meshMtls: PeerAuthenticationProps = { meshWide: true, mode: MtlsMode.STRICT };
