/**
 * istio-constructs: the engine-agnostic core. Pattern props, pure builders (props → objects),
 * value types and schema validation. The cdk8s constructs are in `istio-constructs/cdk8s`, the
 * Pulumi components in `istio-constructs/pulumi`.
 *
 * @packageDocumentation
 */
export * from './core/errors';
export * from './core/duration';
export * from './core/ports';
export * from './core/references';
export * from './core/external';
export * from './core/http';
export * from './core/versions';
export * from './core/traffic-policy';
export * from './core/manifest';
export * from './core/output';
export * from './core/target';
export type { GatewayBinding, GatewayRef } from './core/gateway';
export * from './core/validation';
export * from './analysis';
export * from './patterns/canary-service';
export * from './patterns/tcp-ingress';
export * from './patterns/workload-service';
export * from './patterns/sticky-service';
export * from './patterns/service-traffic-policy';
export * from './patterns/authorization-policy';
export * from './patterns/peer-authentication';
export * from './patterns/request-authentication';
export * from './patterns/zero-trust-namespace';
export * from './patterns/hardened-gateway';
export * from './patterns/workload-egress';
export * from './patterns/external-egress';
export * from './patterns/routes';
export * from './patterns/gateway';
export * from './patterns/dns-proxying';
export type { GatewayWorkloadOptions, GatewayResources } from './patterns/gateway-workload';
export { ServiceAccountRef } from './core/identity';
export * from './graph';
export { ManagedIngressGateway, ManagedEgressGateway } from './core/managed-gateway';
export * from './patterns/installation-gateways';
export * from './patterns/mesh-namespace';
export * from './patterns/istio-installation';
export { ChartSource, ISTIO_HELM_REPOSITORY, ISTIO_OCI_REGISTRY } from './core/chart-source';
export * from './core/istio-version';
export * from './patterns/istio-addons';
export * from './core/ambient';
export * from './patterns/waypoint';
