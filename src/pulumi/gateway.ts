import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { GatewayRef } from '../core/gateway';
import { Manifest } from '../core/manifest';
import { GatewayProps, buildGateway } from '../patterns/gateway';
import { Args } from './inputs';
import { DeferredGatewayRef } from './references';
import { register } from './register';

/** The args of the Pulumi `Gateway`: `GatewayProps` with `pulumi.Input` leaves (see `Args`). */
export type GatewayArgs = Args<GatewayProps>;

/**
 * A plain Istio Gateway on an ingress or egress gateway workload, as a Pulumi component
 * (`istio-constructs:index:Gateway`): one child, `<name>-gateway`. The servers as given, no
 * defaults added (see `HardenedGateway` for secure defaults).
 *
 * @throws IstioConstructError for invalid args (see `buildGateway`).
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 * @example
 * ```ts
 * import { EgressGateway, Gateway, Protocol } from 'istio-constructs/pulumi';
 *
 * const egress = EgressGateway.fromSelector({ istio: 'egressgateway' }, {
 *   namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP }],
 * });
 * // A Gateway on the egress gateway for httpbin.org on port 80.
 * export const egressGateway = new Gateway('egress', {
 *   name: 'istio-egressgateway', workload: egress,
 *   servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['httpbin.org'] }],
 * });
 * ```
 */
export class Gateway extends pulumi.ComponentResource {
  /** The Gateway object. */
  public readonly gateway: k8s.apiextensions.CustomResource;
  /** The reference routes bind to (`existingGateway`); with inputs, only a component of this library can read it. */
  public readonly ref: GatewayRef;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `route`, `version-service-<name>`, `reference-grant`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public readonly manifests: pulumi.Output<Manifest[]>;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:Gateway', name, {}, opts);
    const { children, output, preview, hasInputs } = register(this, name, `Gateway ${JSON.stringify(name)}`, args, withConfigTarget(buildGateway));
    this.resources = children;
    this.ref = hasInputs ? new DeferredGatewayRef(output.apply((o) => o.ref), preview.ref, 'Gateway') : preview.ref;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource;
    this.manifests = output.apply((o) => o.objects.map((x) => x.manifest));
    this.registerOutputs({ gateway: this.gateway });
  }
}
