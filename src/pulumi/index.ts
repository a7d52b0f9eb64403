/**
 * istio-constructs/pulumi: the patterns as Pulumi components. Each takes the same props as the
 * core builder and exposes the child resources it registers.
 *
 * @packageDocumentation
 */
import { assertPeersInstalled } from '../core/peers';

// Before anything loads the engine: a missing peer gets a message that says what to install.
assertPeersInstalled('istio-constructs/pulumi', ['@pulumi/pulumi', '@pulumi/kubernetes'], require.resolve);

export * from '../index';
export { CanaryService, CanaryServiceArgs } from './canary-service';
export { TcpIngress, TcpIngressArgs } from './tcp-ingress';
export { WorkloadService, WorkloadServiceArgs } from './workload-service';
export { StickyService, StickyServiceArgs } from './sticky-service';
export { HardenedGateway, HardenedGatewayArgs } from './hardened-gateway';
export { Gateway, GatewayArgs } from './gateway';
export { withDnsProxying, PodTemplateWorkloadArgs } from './dns-proxying';
export { ServiceTrafficPolicy, ServiceTrafficPolicyArgs } from './service-traffic-policy';
export { ExternalEgress, ExternalEgressArgs } from './external-egress';
export { HttpRoute, HttpRouteArgs, TcpRoute, TcpRouteArgs, TlsRoute, TlsRouteArgs } from './routes';
export {
  AuthorizationPolicy, AuthorizationPolicyArgs, PeerAuthentication, PeerAuthenticationArgs,
  RequestAuthentication, RequestAuthenticationArgs, ZeroTrustNamespace, ZeroTrustNamespaceArgs,
} from './security';
export { WorkloadEgress, WorkloadEgressArgs } from './workload-egress';
// The Pulumi references take pulumi.Input values; they replace the core ones of the same name.
export { ServiceRef, ServiceRefArgs, ServiceRefFromServiceOptions, IngressGateway, IngressGatewayArgs } from './references';
export { Args, InputLeafKey, InputLabelKey } from './inputs';
export { MeshNamespace, MeshNamespaceArgs } from './mesh-namespace';
export { IstioInstallation, IstioInstallationArgs } from './istio-installation';
export { configRoutingTarget } from './targets';
export { Waypoint, WaypointArgs } from './waypoint';
