/**
 * S12, mTLS and RBAC parts (seed 003), written with today's APIs: the legacy MeshPolicy/Policy
 * become a STRICT PeerAuthentication for `tutorial`, the DestinationRule for every service of the
 * namespace uses ISTIO_MUTUAL, and the legacy RbacConfig/ServiceRole/ServiceRoleBinding ("GET on
 * customer, recommendation, preference") become one AuthorizationPolicy per service.
 */
import {
  AuthorizationPolicyProps, ClientTlsMode, MtlsMode, PeerAuthenticationProps, ServiceTrafficPolicyProps,
} from '../../src';

export const stages = ['security'] as const;

const ns = 'tutorial';

export const strict: PeerAuthenticationProps = { namespace: ns, mode: MtlsMode.STRICT };

export const mutualTls: ServiceTrafficPolicyProps = {
  name: 'default',
  namespace: ns,
  host: `*.${ns}.svc.cluster.local`,
  trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } },
};

export const viewers: AuthorizationPolicyProps[] = ['customer', 'recommendation', 'preference'].map((app) => ({
  name: `${app}-viewer`,
  namespace: ns,
  selector: { app },
  rules: [{ to: [{ methods: ['GET'] }] }],
}));
