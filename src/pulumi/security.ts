import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { AuthorizationPolicyProps, buildAuthorizationPolicy } from '../patterns/authorization-policy';
import { PeerAuthenticationProps, buildPeerAuthentication } from '../patterns/peer-authentication';
import { RequestAuthenticationProps, buildRequestAuthentication } from '../patterns/request-authentication';
import { ZeroTrustNamespaceProps, buildZeroTrustNamespace } from '../patterns/zero-trust-namespace';
import { Args } from './inputs';
import { register } from './register';

/** The args of the Pulumi `AuthorizationPolicy`: `AuthorizationPolicyProps` with `pulumi.Input` leaves (see `Args`). */
export type AuthorizationPolicyArgs = Args<AuthorizationPolicyProps>;
/** The args of the Pulumi `PeerAuthentication`: `PeerAuthenticationProps` with `pulumi.Input` leaves (see `Args`). */
export type PeerAuthenticationArgs = Args<PeerAuthenticationProps>;
/** The args of the Pulumi `RequestAuthentication`: `RequestAuthenticationProps` with `pulumi.Input` leaves (see `Args`). */
export type RequestAuthenticationArgs = Args<RequestAuthenticationProps>;
/** The args of the Pulumi `ZeroTrustNamespace`: `ZeroTrustNamespaceProps` with `pulumi.Input` leaves (see `Args`). */
export type ZeroTrustNamespaceArgs = Args<ZeroTrustNamespaceProps>;

type CR = k8s.apiextensions.CustomResource;

/**
 * An AuthorizationPolicy, as a Pulumi component (`istio-constructs:index:AuthorizationPolicy`,
 * child `<name>-authorization-policy`).
 * @throws IstioConstructError for invalid args (see `buildAuthorizationPolicy`).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @example
 * ```ts
 * import { AuthorizationAction, AuthorizationPolicy, ServiceAccountRef } from 'istio-constructs/pulumi';
 *
 * // Only the productpage workload (by its service account) may GET /reviews/* on reviews.
 * export const viewers = new AuthorizationPolicy('reviews-viewers', {
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
export class AuthorizationPolicy extends pulumi.ComponentResource {
  /** The `allow-nothing` policy of a namespace. */
  public static allowNothing(name: string, namespace: pulumi.Input<string>, opts?: pulumi.ComponentResourceOptions): AuthorizationPolicy {
    return new AuthorizationPolicy(name, { name: 'allow-nothing', namespace }, opts);
  }

  /** The AuthorizationPolicy. */
  public readonly authorizationPolicy: CR;

  constructor(name: string, args: AuthorizationPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:AuthorizationPolicy', name, {}, opts);
    this.authorizationPolicy = register(this, name, `AuthorizationPolicy ${JSON.stringify(name)}`, args, buildAuthorizationPolicy).children['authorization-policy'] as CR;
    this.registerOutputs({ authorizationPolicy: this.authorizationPolicy });
  }
}

/**
 * A PeerAuthentication, as a Pulumi component (`istio-constructs:index:PeerAuthentication`,
 * child `<name>-peer-authentication`).
 * @throws IstioConstructError for invalid args (see `buildPeerAuthentication`).
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @example
 * ```ts
 * import { MtlsMode, PeerAuthentication } from 'istio-constructs/pulumi';
 *
 * // Mutual TLS required for every workload of the namespace bookinfo.
 * export const strict = new PeerAuthentication('strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
 * ```
 */
export class PeerAuthentication extends pulumi.ComponentResource {
  /** The PeerAuthentication. */
  public readonly peerAuthentication: CR;

  constructor(name: string, args: PeerAuthenticationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:PeerAuthentication', name, {}, opts);
    this.peerAuthentication = register(this, name, `PeerAuthentication ${JSON.stringify(name)}`, args, buildPeerAuthentication).children['peer-authentication'] as CR;
    this.registerOutputs({ peerAuthentication: this.peerAuthentication });
  }
}

/**
 * A RequestAuthentication and its token requirement, as a Pulumi component
 * (`istio-constructs:index:RequestAuthentication`, children `<name>-request-authentication`, `<name>-require-jwt`).
 * @throws IstioConstructError for invalid args (see `buildRequestAuthentication`).
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 * @example
 * ```ts
 * import { RequestAuthentication } from 'istio-constructs/pulumi';
 *
 * // JWTs from this issuer are verified on productpage, and requests without a token are denied
 * // (the DENY policy in `requireTokenPolicy`; `requireToken: false` leaves it out).
 * export const jwt = new RequestAuthentication('productpage-jwt', {
 *   name: 'productpage-jwt',
 *   namespace: 'bookinfo',
 *   selector: { app: 'productpage' },
 *   jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }],
 * });
 * ```
 */
export class RequestAuthentication extends pulumi.ComponentResource {
  /** The RequestAuthentication. */
  public readonly requestAuthentication: CR;
  /** The DENY policy for token-less requests. */
  public readonly requireTokenPolicy?: CR;

  constructor(name: string, args: RequestAuthenticationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:RequestAuthentication', name, {}, opts);
    const children = register(this, name, `RequestAuthentication ${JSON.stringify(name)}`, args, buildRequestAuthentication).children;
    this.requestAuthentication = children['request-authentication'] as CR;
    this.requireTokenPolicy = children['require-jwt'] as CR | undefined;
    this.registerOutputs({ requestAuthentication: this.requestAuthentication, requireTokenPolicy: this.requireTokenPolicy });
  }
}

/**
 * `allow-nothing` for a namespace plus one ALLOW policy per service, as a Pulumi component
 * (`istio-constructs:index:ZeroTrustNamespace`, children `<name>-allow-nothing`, `<name>-allow-<app>`).
 * @throws IstioConstructError for invalid args (see `buildZeroTrustNamespace`).
 * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
 * @example
 * ```ts
 * import { ServiceAccountRef, ZeroTrustNamespace } from 'istio-constructs/pulumi';
 *
 * const productpage = ServiceAccountRef.of('bookinfo', 'bookinfo-productpage');
 *
 * // Everything in bookinfo is denied, except GETs to details from productpage.
 * export const zeroTrust = new ZeroTrustNamespace('zero-trust', {
 *   namespace: 'bookinfo',
 *   services: [{ app: 'details', rules: [{ from: [{ principals: [productpage] }], to: [{ methods: ['GET'] }] }] }],
 * });
 * ```
 */
export class ZeroTrustNamespace extends pulumi.ComponentResource {
  /** The policies by role: `allow-nothing` and `allow-<app>`. */
  public readonly policies: Record<string, CR>;

  constructor(name: string, args: ZeroTrustNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:ZeroTrustNamespace', name, {}, opts);
    this.policies = register(this, name, `ZeroTrustNamespace ${JSON.stringify(name)}`, args, buildZeroTrustNamespace).children as Record<string, CR>;
    this.registerOutputs({ policies: this.policies });
  }
}
