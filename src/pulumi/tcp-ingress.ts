import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { TcpIngressProps, buildTcpIngress } from '../patterns/tcp-ingress';
import { Args } from './inputs';
import { Registration, register } from './register';

/** The args of the Pulumi `TcpIngress`: `TcpIngressProps` with `pulumi.Input` leaves (see `Args`). */
export type TcpIngressArgs<V extends string = string> = Args<TcpIngressProps<V>>;

/**
 * A TCP (or TLS passthrough) port exposed through an ingress gateway, or a mesh TCP route, as a
 * Pulumi component (`istio-constructs:index:TcpIngress`): children `<name>-gateway`,
 * `<name>-destination-rule` (with versions) and `<name>-virtual-service`.
 *
 * @throws IstioConstructError for invalid args (see `buildTcpIngress`).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/tcp-ingress/
 * @example
 * ```ts
 * import { IngressGateway, Protocol, ServiceRef, TcpIngress } from 'istio-constructs/pulumi';
 *
 * // The existing ingress gateway; its Service must expose 31400, and the component checks it does.
 * const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
 *   namespace: 'istio-system',
 *   serviceName: 'istio-ingressgateway',
 *   ports: [{ port: 31400, protocol: Protocol.TCP, name: 'tcp' }],
 * });
 * const backend = ServiceRef.fromName('tcp-service', { namespace: 'default', ports: [{ port: 31400, protocol: Protocol.TCP }] });
 *
 * // Children messages-gateway (a server on 31400) and messages-virtual-service (`tcp` route to tcp-service:31400).
 * export const messages = new TcpIngress('messages', { name: 'tcp-virtual-service', backend, port: 31400, gateway });
 * ```
 */
export class TcpIngress<const V extends string = string> extends pulumi.ComponentResource {
  /** The VirtualService with the `tcp` (or `tls`) route. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;
  /** The Gateway, when `gateway` is set. */
  public readonly gateway?: k8s.apiextensions.CustomResource;
  /** The DestinationRule, when `versions` is set. */
  public readonly destinationRule?: k8s.apiextensions.CustomResource;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `route`, `version-service-<name>`, `reference-grant`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<PatternOutput>;

  constructor(name: string, args: TcpIngressArgs<V>, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:TcpIngress', name, {}, opts);
    const registration = register(this, name, `TcpIngress ${JSON.stringify(name)}`, args, withConfigTarget(buildTcpIngress<V>));
    const { children } = registration;
    this.registration = registration;
    this.resources = children;
    this.virtualService = children['virtual-service'] as k8s.apiextensions.CustomResource;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource | undefined;
    this.destinationRule = children['destination-rule'] as k8s.apiextensions.CustomResource | undefined;
    this.registerOutputs({ virtualService: this.virtualService, gateway: this.gateway, destinationRule: this.destinationRule });
  }
}
