import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../core/manifest';
import { TcpIngressProps, buildTcpIngress } from '../patterns/tcp-ingress';
import { Args } from './inputs';
import { register } from './register';

/** The args of the Pulumi `TcpIngress`: `TcpIngressProps` with `pulumi.Input` leaves (see `Args`). */
export type TcpIngressArgs<V extends string = string> = Args<TcpIngressProps<V>>;

/**
 * A TCP (or TLS passthrough) port exposed through an ingress gateway, or a mesh TCP route, as a
 * Pulumi component (`istio-constructs:index:TcpIngress`): children `<name>-gateway`,
 * `<name>-destination-rule` (with versions) and `<name>-virtual-service`.
 *
 * @throws IstioConstructError for invalid args (see `buildTcpIngress`).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/tcp-ingress/
 */
export class TcpIngress<const V extends string = string> extends pulumi.ComponentResource {
  /** The VirtualService with the `tcp` (or `tls`) route. */
  public readonly virtualService: k8s.apiextensions.CustomResource;
  /** The Gateway, when `gateway` is set. */
  public readonly gateway?: k8s.apiextensions.CustomResource;
  /** The DestinationRule, when `versions` is set. */
  public readonly destinationRule?: k8s.apiextensions.CustomResource;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public readonly manifests: pulumi.Output<Manifest[]>;

  constructor(name: string, args: TcpIngressArgs<V>, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:TcpIngress', name, {}, opts);
    const { children, output } = register(this, name, `TcpIngress ${JSON.stringify(name)}`, args, buildTcpIngress<V>);
    this.virtualService = children['virtual-service'] as k8s.apiextensions.CustomResource;
    this.gateway = children.gateway as k8s.apiextensions.CustomResource | undefined;
    this.destinationRule = children['destination-rule'] as k8s.apiextensions.CustomResource | undefined;
    this.manifests = output.apply((o) => o.objects.map((x) => x.manifest));
    this.registerOutputs({ virtualService: this.virtualService, gateway: this.gateway, destinationRule: this.destinationRule });
  }
}
