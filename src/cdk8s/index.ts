/**
 * istio-constructs/cdk8s: the patterns as cdk8s constructs. Each takes the same props as the
 * core builder and exposes the `ApiObject`s it creates.
 *
 * @packageDocumentation
 */
import { assertPeersInstalled } from '../core/peers';

// Before anything loads the engine: a missing peer gets a message that says what to install.
assertPeersInstalled('istio-constructs/cdk8s', ['cdk8s', 'constructs'], require.resolve);

export * from '../index';
export { IstioAnalysis, IstioAnalysisOptions } from './analysis';
export { CanaryService } from './canary-service';
export { TcpIngress } from './tcp-ingress';
export { WorkloadService } from './workload-service';
export { StickyService } from './sticky-service';
export { HardenedGateway } from './hardened-gateway';
export { Gateway } from './gateway';
export { DnsProxying, DnsProxyingWorkload } from './dns-proxying';
export { ServiceTrafficPolicy } from './service-traffic-policy';
export { ExternalEgress } from './external-egress';
export { AuthorizationPolicy, PeerAuthentication, RequestAuthentication, ZeroTrustNamespace } from './security';
export { WorkloadEgress } from './workload-egress';
export { HttpRoute, TcpRoute, TlsRoute } from './routes';
export { MeshNamespace } from './mesh-namespace';
export { IstioInstallation, IstioInstallationConstructProps } from './istio-installation';
export { ROUTING_TARGET_CONTEXT, RoutingTargets } from './targets';
export { Waypoint } from './waypoint';
