import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceRef } from '../core/references';
import { WorkloadServiceProps, buildWorkloadService } from '../patterns/workload-service';
import { emit } from './emit';

/**
 * The Kubernetes Service of a mesh workload with Istio protocol-named ports, as a cdk8s
 * construct. Use `ref` as the destination of routes.
 *
 * @throws IstioConstructError for invalid props (see `buildWorkloadService`).
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Protocol, StickyService, SessionAffinity, WorkloadService } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'shop');
 * // Service port 80 (named `http-80` for Istio's protocol selection) to container port 8080.
 * const cart = new WorkloadService(chart, 'cart', {
 *   name: 'cart',
 *   namespace: 'shop',
 *   selector: { app: 'cart' },
 *   ports: [{ port: 80, targetPort: 8080, protocol: Protocol.HTTP }],
 * });
 *
 * // Routes take `cart.ref`, never the name as a string.
 * new StickyService(chart, 'cart-affinity', { service: cart.ref, affinity: SessionAffinity.header('x-user') });
 * ```
 */
export class WorkloadService extends Construct {
  /** The v1 Service. */
  public readonly service: ApiObject;
  /** The reference routes use. */
  public readonly ref: ServiceRef;

  constructor(scope: Construct, id: string, props: WorkloadServiceProps) {
    super(scope, id);
    const output = buildWorkloadService(props);
    this.service = emit(this, output).service;
    this.ref = output.ref;
  }
}
