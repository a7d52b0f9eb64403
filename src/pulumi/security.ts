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
