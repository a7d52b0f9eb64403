import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withTarget } from './targets';
import { Manifest } from '../core/manifest';
import { PatternWarning } from '../core/output';
import { StickyServiceProps, buildStickyService } from '../patterns/sticky-service';
import { emit } from './emit';

/**
 * Session affinity by consistent hashing, as a cdk8s construct: a DestinationRule with
 * `consistentHash` and, with a gateway or a version, a VirtualService (and Gateway). Warnings are
 * printed when the app synthesizes and kept in `warnings`.
 *
 * @throws IstioConstructError for invalid props (see `buildStickyService`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Duration, Protocol, ServiceRef, SessionAffinity, StickyService } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'shop');
 * const cart = ServiceRef.fromName('cart', { namespace: 'shop', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
 *
 * // Envoy sets the cookie (60 s lifetime) when the client sends none; a cookie value always reaches the same pod.
 * new StickyService(chart, 'cart', {
 *   service: cart,
 *   affinity: SessionAffinity.cookie('cart-session', { ttl: Duration.seconds(60) }),
 * });
 * ```
 */
export class StickyService extends Construct {
  /** The DestinationRule with the consistent hash. */
  public readonly destinationRule: ApiObject;
  /** The VirtualService, with a gateway or a version. */
  public readonly virtualService?: ApiObject;
  /** The Gateway, with `gateway`. */
  public readonly gateway?: ApiObject;
  /** Warnings about the props (also printed at synth). */
  public readonly warnings: PatternWarning[];
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: StickyServiceProps) {
    super(scope, id);
    const output = buildStickyService(withTarget(this, props));
    const objects = emit(this, output, props);
    this.destinationRule = objects['destination-rule'];
    this.virtualService = objects['virtual-service'];
    this.gateway = objects.gateway;
    this.warnings = output.warnings;
    this.manifests = output.objects.map((o) => o.manifest);
  }
}
