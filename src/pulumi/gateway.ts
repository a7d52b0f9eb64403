import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { GatewayRef } from '../core/gateway';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { GatewayProps, buildGateway } from '../patterns/gateway';
import { Args } from './inputs';
import { DeferredGatewayRef } from './references';
import { Registration, register } from './register';

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
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<PatternOutput>;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:Gateway', name, {}, opts);
    const registration = register(this, name, `Gateway ${JSON.stringify(name)}`, args, withConfigTarget(buildGateway));
    const { children, preview, hasInputs } = registration;
    this.registration = registration;
    this.resources = children;
    this.ref = hasInputs ? new DeferredGatewayRef(registration.output.apply((o) => o.ref), preview.ref, 'Gateway') : preview.ref;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource;
    this.registerOutputs({ gateway: this.gateway });
  }
}
