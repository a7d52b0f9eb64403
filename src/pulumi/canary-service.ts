import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { CanaryServiceProps, buildCanaryService } from '../patterns/canary-service';
import { Args } from './inputs';
import { Registration, register } from './register';

/** The args of the Pulumi `CanaryService`: `CanaryServiceProps` with `pulumi.Input` leaves (see `Args`). */
export type CanaryServiceArgs<V extends string = string> = Args<CanaryServiceProps<V>>;

/**
 * A service split across versions, as a Pulumi component (`istio-constructs:index:CanaryService`):
 * children `<name>-destination-rule`, `<name>-virtual-service` (which depends on the
 * DestinationRule, so subsets exist before routes name them) and `<name>-gateway`.
 *
 * @throws IstioConstructError for invalid args (see `buildCanaryService`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 * @example
 * ```ts
 * import * as k8s from '@pulumi/kubernetes';
 * import { CanaryService, Protocol, ServiceRef, StringMatch } from 'istio-constructs/pulumi';
 *
 * // Leaf values such as the namespace may be Outputs of other resources.
 * const ns = new k8s.core.v1.Namespace('bookinfo', { metadata: { name: 'bookinfo' } });
 * const reviews = ServiceRef.fromName('reviews', { namespace: ns.metadata.name, ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 *
 * // 90/10 between the pods labelled version=v1 and version=v2; the user jason always gets v2.
 * // Children: reviews-destination-rule, then reviews-virtual-service (dependsOn the DestinationRule).
 * export const canary = new CanaryService('reviews', {
 *   service: reviews,
 *   versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
 *   routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], to: 'v2' }],
 * });
 * ```
 */
export class CanaryService<const V extends string = string> extends pulumi.ComponentResource {
  /** The VirtualService. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;
  /** The DestinationRule with one subset per version. */
  public readonly destinationRule?: k8s.apiextensions.CustomResource;
  /** The Gateway, when `gateway` is set. */
  public readonly gateway?: k8s.apiextensions.CustomResource;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `route`, `version-service-<name>`, `reference-grant`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<PatternOutput>;

  constructor(name: string, args: CanaryServiceArgs<V>, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:CanaryService', name, {}, opts);
    const registration = register(this, name, `CanaryService ${JSON.stringify(name)}`, args, withConfigTarget(buildCanaryService<V>));
    const { children } = registration;
    this.registration = registration;
    this.resources = children;
    this.virtualService = children['virtual-service'] as k8s.apiextensions.CustomResource;
    this.destinationRule = children['destination-rule'] as k8s.apiextensions.CustomResource;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource | undefined;
    this.registerOutputs({ virtualService: this.virtualService, destinationRule: this.destinationRule, gateway: this.gateway });
  }
}
