import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withTarget } from './targets';
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
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { IngressGateway, Protocol, ServiceRef, TcpIngress } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'messaging');
 * // The existing ingress gateway; its Service must expose 31400, and the construct checks it does.
 * const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
 *   namespace: 'istio-system',
 *   serviceName: 'istio-ingressgateway',
 *   ports: [{ port: 31400, protocol: Protocol.TCP, name: 'tcp' }],
 * });
 * const backend = ServiceRef.fromName('tcp-service', { namespace: 'default', ports: [{ port: 31400, protocol: Protocol.TCP }] });
 *
 * // A Gateway server on 31400 and a VirtualService `tcp` route to tcp-service:31400.
 * new TcpIngress(chart, 'messages', { name: 'tcp-virtual-service', backend, port: 31400, gateway });
 * ```
 */
export class TcpIngress<const V extends string = string> extends Construct {
  /** The VirtualService with the `tcp` (or `tls`) route. */
  public readonly virtualService?: ApiObject;
  /** The Gateway, when `gateway` is set. */
  public readonly gateway?: ApiObject;
  /** The DestinationRule, when `versions` is set. */
  public readonly destinationRule?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: TcpIngressProps<V>) {
    super(scope, id);
    const output = buildTcpIngress(withTarget(this, props));
    const objects = emit(this, output, props);
    this.virtualService = objects['virtual-service'];
    this.gateway = objects.gateway;
    this.destinationRule = objects['destination-rule'];
    this.manifests = output.objects.map((o) => o.manifest);
  }
}
