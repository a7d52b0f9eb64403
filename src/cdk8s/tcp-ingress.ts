import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Manifest } from '../core/manifest';
import { TcpIngressProps, buildTcpIngress } from '../patterns/tcp-ingress';
import { emit } from './emit';

/**
 * A TCP (or TLS passthrough) port of a backend Service exposed through an ingress gateway, or a
 * mesh TCP route, as a cdk8s construct: Gateway server, VirtualService `tcp`/`tls` route, and a
 * DestinationRule when split across versions.
 *
 * @throws IstioConstructError for invalid props (see `buildTcpIngress`).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/tcp-ingress/
 */
export class TcpIngress<const V extends string = string> extends Construct {
  /** The VirtualService with the `tcp` (or `tls`) route. */
  public readonly virtualService: ApiObject;
  /** The Gateway, when `gateway` is set. */
  public readonly gateway?: ApiObject;
  /** The DestinationRule, when `versions` is set. */
  public readonly destinationRule?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: TcpIngressProps<V>) {
    super(scope, id);
    const output = buildTcpIngress(props);
    const objects = emit(this, output);
    this.virtualService = objects['virtual-service'];
    this.gateway = objects.gateway;
    this.destinationRule = objects['destination-rule'];
    this.manifests = output.objects.map((o) => o.manifest);
  }
}
