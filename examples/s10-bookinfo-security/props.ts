/**
 * S10, security parts: bookinfo (seed 001) with STRICT mTLS in `default` and mesh-wide, zero trust
 * (allow-nothing plus four allow lists built from typed service accounts), and JWT on productpage
 * with the issuer claim required.
 */
import {
  AuthorizationAction, AuthorizationPolicyProps, MtlsMode, PeerAuthenticationProps, RequestAuthenticationProps, ServiceAccountRef,
  ZeroTrustNamespaceProps,
} from '../../src';

export const stages = ['security'] as const;

const ns = 'default';
const issuer = 'testing@secure.istio.io';
const productpageSa = ServiceAccountRef.of(ns, 'bookinfo-productpage');
const reviewsSa = ServiceAccountRef.of(ns, 'bookinfo-reviews');

export const strictNamespace: PeerAuthenticationProps = { namespace: ns, mode: MtlsMode.STRICT };
export const strictMesh: PeerAuthenticationProps = { meshWide: true, mode: MtlsMode.STRICT };

/** Zero trust: allow-nothing, then who may call each service, and how. */
export const zeroTrust: ZeroTrustNamespaceProps = {
  namespace: ns,
  services: [
    {
      app: 'productpage',
      rules: [
        { to: [{ methods: ['GET'], paths: ['/logout', '/static/*', '/productpage', '/api/v1/products'] }] },
        { to: [{ methods: ['POST'], paths: ['/login'] }] },
      ],
    },
    { app: 'details', rules: [{ from: [{ principals: [productpageSa] }], to: [{ methods: ['GET'], paths: ['/details/*'] }] }] },
    { app: 'reviews', rules: [{ from: [{ principals: [productpageSa] }], to: [{ methods: ['GET'], paths: ['/reviews/*'] }] }] },
    { app: 'ratings', rules: [{ from: [{ principals: [reviewsSa] }], to: [{ methods: ['GET'], paths: ['/ratings/*'] }] }] },
  ],
};

/** The example's own public key (the private half was never kept): tokens cannot be minted for it. */
const jwks = '{"keys":[{"kty":"RSA","e":"AQAB","n":"qmHU4wmE8E6Er_oMBJodpneOiILQXlkbH1bK37Zx3uSyicf3FZaVQ350wgx335xm9uow5gGkrWOIL3y9PlVsbV7Qu1_-eqIyq06EalPPMKDq-jp6wfF63bH1gHdlVFur4gF1gVYopPVj4Zhk3R_sKTX70dX0bbpJrp7y33iEEdgw8d-8Q2qkmQl4X0K04zlarpvA84mUVWodq1-RcKG-7qR4Fpd_7iFvsSMYm31mQgo8kJQtxtsLCYsUXvYzhPxtu_Z7QBLuymJwTCASlxErEsiVj8fob296NdXcGRrLaDCaEQmJIuQwf2EON7GWVaZTnEtYqO7jfD5iHN3qSf2-ww","kid":"istio-constructs-example","alg":"RS256","use":"sig"}]}';

export const productpageJwt: RequestAuthenticationProps = {
  name: 'productpage-jwt',
  namespace: ns,
  selector: { app: 'productpage' },
  jwtRules: [{ issuer, jwks, forwardOriginalToken: true }],
};

/** Requests whose token was not issued by `issuer` are denied. */
export const requireIssuer: AuthorizationPolicyProps = {
  name: 'productpage-require-issuer',
  namespace: ns,
  selector: { app: 'productpage' },
  action: AuthorizationAction.DENY,
  rules: [{ when: [{ key: 'request.auth.claims[iss]', notValues: [issuer] }] }],
};
