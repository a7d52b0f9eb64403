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
