import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withTarget } from './targets';
import { GatewayRef } from '../core/gateway';
import { GATEWAY_WORKLOAD_ROLES } from '../patterns/gateway-workload';
import { HardenedGatewayProps, buildHardenedGateway } from '../patterns/hardened-gateway';
import { emit } from './emit';

/**
 * TLS ingress with secure defaults, as a cdk8s construct: Gateway (HTTPS + redirect), VirtualService
 * with HSTS, header-hygiene EnvoyFilter, default-deny and ALLOW policies on the gateway workload.
 *
 * @throws IstioConstructError for invalid props (see `buildHardenedGateway`).
 * @see https://istio.io/latest/docs/ops/best-practices/security/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { HardenedGateway, IngressGateway, Protocol, ServiceRef } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'edge');
 * const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
 *   namespace: 'istio-system',
 *   serviceName: 'istio-ingressgateway',
 *   ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }],
 * });
 *
 * // HTTPS on 443 with the certificate in the Secret httpbin-credential (in the gateway's namespace),
 * // HTTP on 80 redirecting to HTTPS, TLS 1.2 minimum, HSTS, and only this host allowed through.
 * new HardenedGateway(chart, 'httpbin', {
 *   name: 'httpbin-gateway',
 *   namespace: 'default',
 *   gateway,
 *   servers: [{ hosts: ['httpbin.example.com'], credentialName: 'httpbin-credential' }],
 *   backend: ServiceRef.fromName('httpbin', { namespace: 'default', ports: [{ port: 8000, protocol: Protocol.HTTP }] }),
 * });
 * ```
 */
export class HardenedGateway extends Construct {
  /** The Gateway. */
  public readonly gateway: ApiObject;
  /** The VirtualService, with `backend`. */
  public readonly virtualService?: ApiObject;
  /** The reference CanaryService or StickyService routes bind to (`existingGateway`). */
  public readonly ref: GatewayRef;
  /** The header-hygiene EnvoyFilter. */
  public readonly envoyFilter?: ApiObject;
  /** The default-deny policy on the gateway workload (dedicated gateway). */
  public readonly denyAll?: ApiObject;
  /** The ALLOW policy on the gateway workload (dedicated gateway). */
  public readonly allowPolicy?: ApiObject;
  /** The DENY policy scoped to this gateway's hosts (shared gateway with `allow` rules). */
  public readonly denyPolicy?: ApiObject;
  /** The dedicated workload's objects by role (deployment, service, service-account, pod-disruption-budget, autoscaler). */
  public readonly workload: Record<string, ApiObject>;

  constructor(scope: Construct, id: string, props: HardenedGatewayProps) {
    super(scope, id);
    const output = buildHardenedGateway(withTarget(this, props));
    const objects = emit(this, output, props);
    this.ref = output.ref;
    this.gateway = objects.gateway;
    this.virtualService = objects['virtual-service'];
    this.envoyFilter = objects['header-hygiene'];
    this.denyAll = objects['deny-all'];
    this.allowPolicy = objects.allow;
    this.denyPolicy = objects.deny;
    this.workload = Object.fromEntries(Object.entries(objects).filter(([role]) => GATEWAY_WORKLOAD_ROLES.includes(role)));
  }
}
