import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ServiceRef } from '../core/references';
import { WorkloadServiceProps, buildWorkloadService } from '../patterns/workload-service';
import { register } from './register';

/**
 * The Kubernetes Service of a mesh workload with Istio protocol-named ports, as a Pulumi
 * component (`istio-constructs:index:WorkloadService`, child `<name>-service`).
 *
 * @throws IstioConstructError for invalid args (see `buildWorkloadService`).
 */
export class WorkloadService extends pulumi.ComponentResource {
  /** The v1 Service. */
  public readonly service: k8s.core.v1.Service;
  /** The reference routes use. */
  public readonly ref: ServiceRef;

  constructor(name: string, args: WorkloadServiceProps, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:WorkloadService', name, {}, opts);
    const output = buildWorkloadService(args);
    this.service = register(this, name, output).service as k8s.core.v1.Service;
    this.ref = output.ref;
    this.registerOutputs({ service: this.service });
  }
}
