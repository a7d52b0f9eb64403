import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withTarget } from './targets';
import { GatewayRef } from '../core/gateway';
import { Manifest } from '../core/manifest';
import { GatewayProps, buildGateway } from '../patterns/gateway';
import { emit } from './emit';

/**
 * A plain Istio Gateway on an ingress or egress gateway workload, as a cdk8s construct: the
 * servers as given, no defaults added (see `HardenedGateway` for secure defaults).
 *
 * @throws IstioConstructError for invalid props (see `buildGateway`).
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { CanaryService, Gateway, GatewayTlsMode, IngressGateway, Protocol, ServiceRef } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 * const workload = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
 *   namespace: 'istio-system',
 *   serviceName: 'istio-ingressgateway',
 *   ports: [{ port: 443, protocol: Protocol.HTTPS }],
 * });
 *
 * // One HTTPS server terminating TLS with the certificate in the Secret bookinfo-credential.
 * const gateway = new Gateway(chart, 'gateway', {
 *   name: 'bookinfo-gateway-https',
 *   namespace: 'default',
 *   workload,
 *   servers: [{
 *     port: 443, protocol: Protocol.HTTPS, hosts: ['bookinfo.example.com'],
 *     tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'bookinfo-credential' },
 *   }],
 * });
 * // Routes bind to it by reference.
 * new CanaryService(chart, 'reviews', {
 *   service: ServiceRef.fromName('reviews', { namespace: 'default', ports: [{ port: 9080 }] }),
 *   versions: [{ name: 'v1', weight: 100 }],
 *   gateway: { existingGateway: gateway.ref, hosts: ['bookinfo.example.com'] },
 * });
 * ```
 */
export class Gateway extends Construct {
  /** The Gateway object. */
  public readonly gateway: ApiObject;
  /** The reference routes bind to (`existingGateway`). */
  public readonly ref: GatewayRef;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const output = buildGateway(withTarget(this, props));
    const objects = emit(this, output, props);
    this.gateway = objects.gateway;
    this.ref = output.ref;
    this.manifests = output.objects.map((o) => o.manifest);
  }
}
