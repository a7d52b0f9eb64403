import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationPolicyProps, buildAuthorizationPolicy } from '../patterns/authorization-policy';
import { PeerAuthenticationProps, buildPeerAuthentication } from '../patterns/peer-authentication';
import { RequestAuthenticationProps, buildRequestAuthentication } from '../patterns/request-authentication';
import { ZeroTrustNamespaceProps, buildZeroTrustNamespace } from '../patterns/zero-trust-namespace';
import { emit } from './emit';

/**
 * An AuthorizationPolicy, as a cdk8s construct.
 * @throws IstioConstructError for invalid props (see `buildAuthorizationPolicy`).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { AuthorizationAction, AuthorizationPolicy, ServiceAccountRef } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 *
 * // Only the productpage workload (by its service account) may GET /reviews/* on reviews.
 * new AuthorizationPolicy(chart, 'reviews-viewers', {
 *   name: 'reviews-viewers',
 *   namespace: 'bookinfo',
 *   selector: { app: 'reviews' },
 *   action: AuthorizationAction.ALLOW,
 *   rules: [{
 *     from: [{ principals: [ServiceAccountRef.of('bookinfo', 'bookinfo-productpage')] }],
 *     to: [{ methods: ['GET'], paths: ['/reviews/*'] }],
 *   }],
 * });
 * ```
 */
export class AuthorizationPolicy extends Construct {
  /** The `allow-nothing` policy of a namespace: every request is denied unless an ALLOW policy matches it. */
  public static allowNothing(scope: Construct, id: string, namespace: string): AuthorizationPolicy {
    return new AuthorizationPolicy(scope, id, { name: 'allow-nothing', namespace });
  }

  /** The AuthorizationPolicy. */
  public readonly authorizationPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps) {
    super(scope, id);
    this.authorizationPolicy = emit(this, buildAuthorizationPolicy(props))['authorization-policy'];
  }
}

/**
 * A PeerAuthentication (mTLS mode), as a cdk8s construct.
 * @throws IstioConstructError for invalid props (see `buildPeerAuthentication`).
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { MtlsMode, PeerAuthentication } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'mesh');
 *
 * // Mutual TLS required for every workload of the namespace bookinfo.
 * new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
 * ```
 */
export class PeerAuthentication extends Construct {
  /** The PeerAuthentication. */
  public readonly peerAuthentication: ApiObject;

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps) {
    super(scope, id);
    this.peerAuthentication = emit(this, buildPeerAuthentication(props))['peer-authentication'];
  }
}

/**
 * A RequestAuthentication and, unless `requireToken: false`, the AuthorizationPolicy that rejects
 * requests without a token, as a cdk8s construct.
 * @throws IstioConstructError for invalid props (see `buildRequestAuthentication`).
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { RequestAuthentication } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 *
 * // JWTs from this issuer are verified on productpage, and requests without a token are denied
 * // (the DENY policy in `requireTokenPolicy`; `requireToken: false` leaves it out).
 * new RequestAuthentication(chart, 'productpage-jwt', {
 *   name: 'productpage-jwt',
 *   namespace: 'bookinfo',
 *   selector: { app: 'productpage' },
 *   jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }],
 * });
 * ```
 */
export class RequestAuthentication extends Construct {
  /** The RequestAuthentication. */
  public readonly requestAuthentication: ApiObject;
  /** The DENY policy for token-less requests. */
  public readonly requireTokenPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, id);
    const objects = emit(this, buildRequestAuthentication(props));
    this.requestAuthentication = objects['request-authentication'];
    this.requireTokenPolicy = objects['require-jwt'];
  }
}

/**
 * `allow-nothing` for a namespace plus one ALLOW policy per service, as a cdk8s construct.
 * @throws IstioConstructError for invalid props (see `buildZeroTrustNamespace`).
 * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { ServiceAccountRef, ZeroTrustNamespace } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 * const productpage = ServiceAccountRef.of('bookinfo', 'bookinfo-productpage');
 *
 * // Everything in bookinfo is denied, except GETs to details from productpage.
 * new ZeroTrustNamespace(chart, 'zero-trust', {
 *   namespace: 'bookinfo',
 *   services: [{ app: 'details', rules: [{ from: [{ principals: [productpage] }], to: [{ methods: ['GET'] }] }] }],
 * });
 * ```
 */
export class ZeroTrustNamespace extends Construct {
  /** The policies by role: `allow-nothing` and `allow-<app>`. */
  public readonly policies: Record<string, ApiObject>;

  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps) {
    super(scope, id);
    this.policies = emit(this, buildZeroTrustNamespace(props));
  }
}
