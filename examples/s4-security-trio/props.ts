/**
 * S4: the security trio (seed 000, "Istio Security Policies"): PERMISSIVE mTLS in `foo`, JWT
 * authentication for `my-app`, and an authorization policy allowing one user to GET.
 *
 * Corrected seed mistakes: the user `user@example.com` is a JWT identity, so it is matched as a
 * request principal `<iss>/<sub>`, not as a (SPIFFE) principal; and the RequestAuthentication is
 * paired with a policy that rejects requests without a token, which it does not do alone.
 */
import {
  AuthorizationAction, AuthorizationPolicyProps, MtlsMode, PeerAuthenticationProps, RequestAuthenticationProps,
} from '../../src';

export const stages = ['security'] as const;

export const permissive: PeerAuthenticationProps = { namespace: 'foo', mode: MtlsMode.PERMISSIVE };

export const jwt: RequestAuthenticationProps = {
  name: 'jwt-auth-policy',
  namespace: 'my-namespace',
  selector: { app: 'my-app' },
  jwtRules: [{ issuer: 'issuer.example.com', jwksUri: 'https://example.com/.well-known/jwks.json' }],
};

export const rbac: AuthorizationPolicyProps = {
  name: 'rbac-policy',
  namespace: 'my-namespace',
  selector: { app: 'my-app' },
  action: AuthorizationAction.ALLOW,
  rules: [{ from: [{ requestPrincipals: ['issuer.example.com/user@example.com'] }], to: [{ methods: ['GET'] }] }],
};
