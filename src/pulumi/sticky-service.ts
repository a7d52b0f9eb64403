import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { Manifest } from '../core/manifest';
import { PatternOutput, PatternWarning } from '../core/output';
import { StickyServiceProps, buildStickyService } from '../patterns/sticky-service';
import { Args } from './inputs';
import { Registration, register } from './register';

/** The args of the Pulumi `StickyService`: `StickyServiceProps` with `pulumi.Input` leaves (see `Args`). */
export type StickyServiceArgs = Args<StickyServiceProps>;

/**
 * Session affinity by consistent hashing, as a Pulumi component
 * (`istio-constructs:index:StickyService`): children `<name>-destination-rule` and, with a
 * gateway or a version, `<name>-virtual-service` and `<name>-gateway`. Warnings go to
 * `pulumi.log.warn`.
 *
 * @throws IstioConstructError for invalid args (see `buildStickyService`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
 * @example
 * ```ts
 * import { Duration, Protocol, ServiceRef, SessionAffinity, StickyService } from 'istio-constructs/pulumi';
 *
 * const cart = ServiceRef.fromName('cart', { namespace: 'shop', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
 *
 * // Envoy sets the cookie (60 s lifetime) when the client sends none; a cookie value always reaches the same pod.
 * export const sticky = new StickyService('cart', {
 *   service: cart,
 *   affinity: SessionAffinity.cookie('cart-session', { ttl: Duration.seconds(60) }),
 * });
 * ```
 */
export class StickyService extends pulumi.ComponentResource {
  /** The DestinationRule with the consistent hash. */
  public readonly destinationRule: k8s.apiextensions.CustomResource;
  /** The VirtualService, with a gateway or a version. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;
  /** The Gateway, with `gateway`. */
  public readonly gateway?: k8s.apiextensions.CustomResource;
  /** Warnings about the args (also logged). */
  public readonly warnings: PatternWarning[];
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<PatternOutput>;

  constructor(name: string, args: StickyServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:StickyService', name, {}, opts);
    const registration = register(this, name, `StickyService ${JSON.stringify(name)}`, args, withConfigTarget(buildStickyService));
    const { children, preview } = registration;
    this.registration = registration;
    this.destinationRule = children['destination-rule'] as k8s.apiextensions.CustomResource;
    this.virtualService = children['virtual-service'] as k8s.apiextensions.CustomResource | undefined;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource | undefined;
    this.warnings = preview.warnings;
    this.registerOutputs({ destinationRule: this.destinationRule, virtualService: this.virtualService, gateway: this.gateway });
  }
}
