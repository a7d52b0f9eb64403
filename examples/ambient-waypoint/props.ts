/**
 * Ambient mode with waypoints (issue 13; Istio's ambient docs: "Use a waypoint proxy", "Use
 * Layer 7 features", "Egress gateways"):
 * - namespace `bookinfo` enrolled in ambient mode (ztunnel, no sidecars), its Services' traffic
 *   through the namespace's waypoint `bookinfo/waypoint` (a Gateway API Gateway of class
 *   `istio-waypoint`);
 * - L4 at ztunnel: productpage's pods accept connections only from the waypoint (its service
 *   account), so nothing skips the L7 checks;
 * - L7 at the waypoint: `productpage-viewer` allows only GET to productpage from the `curl`
 *   service account (targetRefs: the productpage Service); `no-delete` denies DELETE for every
 *   Service of the namespace (targetRefs: the waypoint itself);
 * - egress through a waypoint: the `istio-egress` namespace holds a waypoint and the ServiceEntry
 *   for `httpbin.org`, labelled to use it; the waypoint originates TLS (the application sends
 *   plain HTTP to port 80, the waypoint speaks TLS to 443) and lets only `bookinfo` GET it.
 *
 * What the library refuses here (see test/ambient.test.ts): the same L7 rule as a selector-based
 * policy of an ambient namespace (ztunnel cannot see HTTP: Istio would drop the rule), and the
 * sidecar-era egress gateway routing (`egressGateway`) on a ServiceEntry that uses a waypoint.
 */
import {
  AuthorizationAction, AuthorizationPolicyProps, DataplaneMode, ExternalEgressProps, ExternalHost, MeshNamespaceProps, PolicyTargetRef, Protocol,
  Manifest, ServiceAccountRef, ServiceRef, TlsOriginationMode, WaypointProps, WaypointRef,
} from '../../src';

export const stages = ['ambient-waypoint'] as const;

const bookinfo = 'bookinfo';
const egressNamespace = 'istio-egress';

/** The bookinfo namespace's waypoint: it takes the traffic to the namespace's Services (the default). */
export const waypoint: WaypointProps = { name: 'waypoint', namespace: bookinfo };

/** bookinfo, in ambient mode, with its Services' traffic through `waypoint`. */
export const namespace = (ref: WaypointRef): MeshNamespaceProps => ({ name: bookinfo, injection: 'ambient', waypoint: ref });

/** The productpage Service (it exists in the cluster: the bookinfo sample). */
export const productpage = ServiceRef.fromName('productpage', { namespace: bookinfo, ports: [{ port: 9080, protocol: Protocol.HTTP }] });

/**
 * L4, enforced by ztunnel at productpage's pods: connections only from the waypoint (whose pods run
 * as the service account named after the Gateway).
 */
export const productpageZtunnel: AuthorizationPolicyProps = {
  name: 'productpage-ztunnel',
  namespace: bookinfo,
  selector: { app: 'productpage' },
  dataplaneMode: DataplaneMode.AMBIENT,
  action: AuthorizationAction.ALLOW,
  rules: [{ from: [{ principals: [ServiceAccountRef.of(bookinfo, 'waypoint')] }] }],
};

/** L7, enforced by the waypoint for requests to productpage: GET from the curl client only. */
export const productpageViewer: AuthorizationPolicyProps = {
  name: 'productpage-viewer',
  namespace: bookinfo,
  targetRefs: [PolicyTargetRef.service(productpage)],
  action: AuthorizationAction.ALLOW,
  rules: [{ from: [{ principals: [ServiceAccountRef.of(bookinfo, 'curl')] }], to: [{ methods: ['GET'] }] }],
};

/**
 * L7, enforced by the waypoint for every request through it: no DELETE on bookinfo's HTTP port
 * (the port keeps the rule from denying every plain TCP connection, where there is no method).
 */
export const noDelete = (ref: WaypointRef): AuthorizationPolicyProps => ({
  name: 'no-delete',
  namespace: bookinfo,
  targetRefs: [PolicyTargetRef.waypoint(ref)],
  action: AuthorizationAction.DENY,
  rules: [{ to: [{ methods: ['DELETE'], ports: [9080] }] }],
});

/** The egress waypoint, in its own namespace (Istio's "egress gateway" for ambient). */
export const egressWaypoint: WaypointProps = { name: 'waypoint', namespace: egressNamespace };

/** httpbin.org through the egress waypoint, which originates TLS (port 80 in plain HTTP, 443 to the server). */
export const httpbin = (ref: WaypointRef): ExternalEgressProps => ({
  name: 'httpbin',
  namespace: egressNamespace,
  hosts: ['httpbin.org'],
  ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }],
  waypoint: ref,
  tlsOrigination: { mode: TlsOriginationMode.SIMPLE, caCertificates: '/etc/ssl/certs/ca-certificates.crt' },
});

/** Only bookinfo's workloads may GET httpbin.org, checked at the egress waypoint (targetRefs: the ServiceEntry). */
export const httpbinFromBookinfo = (host: ExternalHost): AuthorizationPolicyProps => ({
  name: 'httpbin-from-bookinfo',
  namespace: egressNamespace,
  targetRefs: [PolicyTargetRef.serviceEntry(host)],
  action: AuthorizationAction.ALLOW,
  rules: [{ from: [{ namespaces: [bookinfo] }], to: [{ methods: ['GET'] }] }],
});

/**
 * The Deployment Istio generates for a waypoint (automated deployment): pods with the Gateway's
 * name label and a proxy. It is not part of the program; the analysis is told it runs, so that
 * the namespace of a policy enforced there is not taken for a namespace without proxies.
 */
export function generatedWaypointDeployment(w: WaypointProps): Manifest {
  const labels = { 'gateway.networking.k8s.io/gateway-name': w.name ?? 'waypoint' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: w.name ?? 'waypoint', namespace: w.namespace, labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } },
  };
}
