import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { WorkloadServiceProps, buildWorkloadService } from '../patterns/workload-service';
import { Args } from './inputs';
import { ServiceRef } from './references';
import { register } from './register';

/** The args of the Pulumi `WorkloadService`: `WorkloadServiceProps` with `pulumi.Input` leaves (see `Args`). */
export type WorkloadServiceArgs = Args<WorkloadServiceProps>;

/**
 * The Kubernetes Service of a mesh workload with Istio protocol-named ports, as a Pulumi
 * component (`istio-constructs:index:WorkloadService`, child `<name>-service`).
 *
 * @throws IstioConstructError for invalid args (see `buildWorkloadService`).
 * @example
 * ```ts
 * import { Protocol, SessionAffinity, StickyService, WorkloadService } from 'istio-constructs/pulumi';
 *
 * // Service port 80 (named `http-80` for Istio's protocol selection) to container port 8080.
 * const cart = new WorkloadService('cart', {
 *   name: 'cart',
 *   namespace: 'shop',
 *   selector: { app: 'cart' },
 *   ports: [{ port: 80, targetPort: 8080, protocol: Protocol.HTTP }],
 * });
 *
 * // Routes take `cart.ref`, never the name as a string.
 * export const affinity = new StickyService('cart-affinity', { service: cart.ref, affinity: SessionAffinity.header('x-user') });
 * ```
 */
export class WorkloadService extends pulumi.ComponentResource {
  /** The v1 Service. */
  public readonly service: k8s.core.v1.Service;
  /** The reference routes use. */
  public readonly ref: ServiceRef;

  constructor(name: string, args: WorkloadServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:WorkloadService', name, {}, opts);
    this.service = register(this, name, `WorkloadService ${JSON.stringify(name)}`, args, buildWorkloadService).children.service as k8s.core.v1.Service;
    this.ref = ServiceRef.fromName(args.name, { namespace: args.namespace, ports: args.ports as WorkloadServiceProps['ports'] });
    this.registerOutputs({ service: this.service });
  }
}
