import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { GatewayRef } from '../core/gateway';
import { GATEWAY_WORKLOAD_ROLES } from '../patterns/gateway-workload';
import { HardenedGatewayProps, buildHardenedGateway } from '../patterns/hardened-gateway';
import { Args } from './inputs';
import { DeferredGatewayRef } from './references';
import { register } from './register';

/** The args of the Pulumi `HardenedGateway`: `HardenedGatewayProps` with `pulumi.Input` leaves (see `Args`). */
export type HardenedGatewayArgs = Args<HardenedGatewayProps>;

type CR = k8s.apiextensions.CustomResource;

/**
 * TLS ingress with secure defaults, as a Pulumi component (`istio-constructs:index:HardenedGateway`):
 * children `<name>-gateway`, `<name>-virtual-service`, `<name>-header-hygiene`, `<name>-deny-all`, `<name>-allow`.
 *
 * @throws IstioConstructError for invalid args (see `buildHardenedGateway`).
 * @see https://istio.io/latest/docs/ops/best-practices/security/
 * @example
 * ```ts
 * import { HardenedGateway, IngressGateway, Protocol, ServiceRef } from 'istio-constructs/pulumi';
 *
 * const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
 *   namespace: 'istio-system',
 *   serviceName: 'istio-ingressgateway',
 *   ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }],
 * });
 *
 * // HTTPS on 443 with the certificate in the Secret httpbin-credential (in the gateway's namespace),
 * // HTTP on 80 redirecting to HTTPS, TLS 1.2 minimum, HSTS, and only this host allowed through.
 * export const edge = new HardenedGateway('httpbin', {
 *   name: 'httpbin-gateway',
 *   namespace: 'default',
 *   gateway,
 *   servers: [{ hosts: ['httpbin.example.com'], credentialName: 'httpbin-credential' }],
 *   backend: ServiceRef.fromName('httpbin', { namespace: 'default', ports: [{ port: 8000, protocol: Protocol.HTTP }] }),
 * });
 * ```
 */
export class HardenedGateway extends pulumi.ComponentResource {
  public readonly gateway: CR;
  public readonly virtualService?: CR;
  /** The reference CanaryService or StickyService routes bind to (`existingGateway`). */
  public readonly ref: GatewayRef;
  public readonly envoyFilter?: CR;
  public readonly denyAll?: CR;
  public readonly allowPolicy?: CR;
  /** The DENY policy scoped to this gateway's hosts (shared gateway with `allow` rules). */
  public readonly denyPolicy?: CR;
  /** The dedicated workload's resources by role (deployment, service, service-account, pod-disruption-budget, autoscaler). */
  public readonly workload: Record<string, pulumi.CustomResource>;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `gateway-httproute`, `route`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;

  constructor(name: string, args: HardenedGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:HardenedGateway', name, {}, opts);
    const registration = register(this, name, `HardenedGateway ${JSON.stringify(name)}`, args, withConfigTarget(buildHardenedGateway));
    const { children, preview, hasInputs } = registration;
    this.resources = children;
    this.ref = hasInputs ? new DeferredGatewayRef(registration.output.apply((o) => o.ref), preview.ref) : preview.ref;
    this.gateway = children.gateway as CR;
    this.virtualService = children['virtual-service'] as CR | undefined;
    this.envoyFilter = children['header-hygiene'] as CR | undefined;
    this.denyAll = children['deny-all'] as CR | undefined;
    this.allowPolicy = children.allow as CR | undefined;
    this.denyPolicy = children.deny as CR | undefined;
    this.workload = Object.fromEntries(Object.entries(children).filter(([role]) => GATEWAY_WORKLOAD_ROLES.includes(role)));
    this.registerOutputs({ gateway: this.gateway, virtualService: this.virtualService });
  }
}
