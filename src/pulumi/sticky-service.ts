import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../core/manifest';
import { PatternWarning } from '../core/output';
import { StickyServiceProps, buildStickyService } from '../patterns/sticky-service';
import { register } from './register';

/**
 * Session affinity by consistent hashing, as a Pulumi component
 * (`istio-constructs:index:StickyService`): children `<name>-destination-rule` and, with a
 * gateway or a version, `<name>-virtual-service` and `<name>-gateway`. Warnings go to
 * `pulumi.log.warn`.
 *
 * @throws IstioConstructError for invalid args (see `buildStickyService`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
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
  /** The objects registered, as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(name: string, args: StickyServiceProps, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:StickyService', name, {}, opts);
    const output = buildStickyService(args);
    const children = register(this, name, output);
    this.destinationRule = children['destination-rule'] as k8s.apiextensions.CustomResource;
    this.virtualService = children['virtual-service'] as k8s.apiextensions.CustomResource | undefined;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource | undefined;
    this.warnings = output.warnings;
    this.manifests = output.objects.map((o) => o.manifest);
    this.registerOutputs({ destinationRule: this.destinationRule, virtualService: this.virtualService, gateway: this.gateway });
  }
}
