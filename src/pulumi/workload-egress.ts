import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { WorkloadEgressProps, buildWorkloadEgress } from '../patterns/workload-egress';
import { Args } from './inputs';
import { Registration, register } from './register';

/** The args of the Pulumi `WorkloadEgress`: `WorkloadEgressProps` with `pulumi.Input` leaves (see `Args`). */
export type WorkloadEgressArgs = Args<WorkloadEgressProps>;

/**
 * Which external hosts a set of workloads may reach, as a Pulumi component
 * (`istio-constructs:index:WorkloadEgress`): children `<name>-sidecar` and, at
 * `EgressEnforcement.EGRESS_GATEWAY`, `<name>-network-policy` (a `networking.k8s.io/v1`
 * NetworkPolicy) and `<name>-authorization-policy` (a DENY policy on the egress gateway). See
 * `EgressEnforcement` for what each level guarantees and what it does not.
 *
 * @throws IstioConstructError for invalid args (see `buildWorkloadEgress`).
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 * @example
 * ```ts
 * import { ExternalHost, Protocol, WorkloadEgress } from 'istio-constructs/pulumi';
 *
 * const wikipedia = ExternalHost.fromName('*.wikipedia.org', { ports: [{ port: 443, protocol: Protocol.TLS }] });
 * // Child shop-egress-sidecar: the proxies of `shop` reach their namespace and *.wikipedia.org only.
 * export const egress = new WorkloadEgress('shop-egress', { name: 'egress', namespace: 'shop', hosts: [wikipedia] });
 * ```
 */
export class WorkloadEgress extends pulumi.ComponentResource {
  /** The Sidecar that scopes the workloads' proxies. */
  public readonly sidecar: k8s.apiextensions.CustomResource;
  /** The NetworkPolicy on the workloads' pods, at `EGRESS_GATEWAY`. */
  public readonly networkPolicy?: k8s.networking.v1.NetworkPolicy;
  /** The DENY AuthorizationPolicy on the egress gateway, at `EGRESS_GATEWAY`. */
  public readonly authorizationPolicy?: k8s.apiextensions.CustomResource;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<PatternOutput>;

  constructor(name: string, args: WorkloadEgressArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:WorkloadEgress', name, {}, opts);
    const registration = register(this, name, `WorkloadEgress ${JSON.stringify(name)}`, args, buildWorkloadEgress);
    const { children } = registration;
    this.registration = registration;
    this.sidecar = children.sidecar as k8s.apiextensions.CustomResource;
    this.networkPolicy = children['network-policy'] as k8s.networking.v1.NetworkPolicy | undefined;
    this.authorizationPolicy = children['authorization-policy'] as k8s.apiextensions.CustomResource | undefined;
    this.registerOutputs({ sidecar: this.sidecar, networkPolicy: this.networkPolicy, authorizationPolicy: this.authorizationPolicy });
  }
}
