/**
 * S5: sticky sessions for a BWCE application (seed 000, "Enable Sticky Sessions"): requests for
 * test.com through `default-gw` go to test2-bwce-srv:8080, hashed on the ISTIOID cookie, which
 * Envoy sets with a 60s lifetime when the client has none.
 */
import { Duration, Protocol, ServiceRef, SessionAffinity, StickyServiceProps, StringMatch } from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = ['sticky'] as const;

const bwce = ServiceRef.fromName('test2-bwce-srv', { namespace: 'default', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
const ingress = istioIngressGateway();

export const sticky: StickyServiceProps = {
  service: bwce,
  name: 'default-sticky-dr',
  virtualServiceName: 'test-vs',
  affinity: SessionAffinity.cookie('ISTIOID', { ttl: Duration.seconds(60) }),
  port: 8080,
  match: [{ uri: StringMatch.prefix('/') }],
  gateway: { gateway: ingress, gatewayName: 'default-gw', hosts: ['test.com'], includeMesh: false },
};
