import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Manifest } from '../core/manifest';
import { WorkloadEgressProps, buildWorkloadEgress } from '../patterns/workload-egress';
import { emit } from './emit';

/**
 * Which external hosts a set of workloads may reach, as a cdk8s construct: a Sidecar with
 * `REGISTRY_ONLY` scoped to the allowed hosts and, at `EgressEnforcement.EGRESS_GATEWAY`, a
 * NetworkPolicy that keeps the pods' traffic on the egress gateway and a DENY AuthorizationPolicy
 * that reserves the hosts for the workloads there. See `EgressEnforcement` for what each level
 * guarantees and what it does not.
 *
 * @throws IstioConstructError for invalid props (see `buildWorkloadEgress`).
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { EgressEnforcement, EgressGateway, ExternalHost, Protocol, ServiceAccountRef, WorkloadEgress } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'egress');
 * const gateway = EgressGateway.fromSelector({ istio: 'egressgateway' }, {
 *   namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }],
 * });
 * const httpbin = ExternalHost.fromName('httpbin.org', { ports: [{ port: 80, protocol: Protocol.HTTP }] });
 *
 * // Only the `sleep` workloads of `default` may call httpbin.org, and only through the egress gateway.
 * new WorkloadEgress(chart, 'sleep-egress', {
 *   name: 'sleep-egress', namespace: 'default', selector: { app: 'sleep' },
 *   hosts: [httpbin], enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: gateway,
 *   serviceAccounts: [ServiceAccountRef.of('default', 'sleep')],
 * });
 * ```
 */
export class WorkloadEgress extends Construct {
  /** The Sidecar that scopes the workloads' proxies. */
  public readonly sidecar: ApiObject;
  /** The NetworkPolicy on the workloads' pods, at `EGRESS_GATEWAY`. */
  public readonly networkPolicy?: ApiObject;
  /** The DENY AuthorizationPolicy on the egress gateway, at `EGRESS_GATEWAY`. */
  public readonly authorizationPolicy?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: WorkloadEgressProps) {
    super(scope, id);
    const output = buildWorkloadEgress(props);
    const objects = emit(this, output, props);
    this.sidecar = objects.sidecar;
    this.networkPolicy = objects['network-policy'];
    this.authorizationPolicy = objects['authorization-policy'];
    this.manifests = output.objects.map((o) => o.manifest);
  }
}
