/**
 * Props arbitraries of the public builders, and the table the fuzzer runs.
 *
 * Per builder, `valid` gives valid-looking props: consistent (routes name declared versions,
 * ports exist on the Service, gateways expose the server ports) so that most runs reach the
 * output, yet each field sometimes takes an edge value of its type. `hostile` plants wrong shapes
 * and nasty objects anywhere in those props. The value-type factories form one more group,
 * `values`: each factory called with any argument, its result used where a builder takes it.
 */
import * as fc from 'fast-check';
import {
  HeaderHygiene, MtlsMode, PatternOutput, Protocol, ServerTlsMode, TlsVersion,
  buildAuthorizationPolicy, buildCanaryService, buildHardenedGateway, buildPeerAuthentication, buildRequestAuthentication,
  buildServiceTrafficPolicy, buildStickyService, buildTcpIngress, buildWorkloadService, buildZeroTrustNamespace,
  buildHttpRoute, buildTcpRoute, buildTlsRoute,
} from '../../src';
import { buildWorkloadEgress } from '../../src';
import { buildExternalEgress } from '../../src';
import { egressProps } from './external-egress';
import { buildGateway } from '../../src/patterns/gateway';
import { gatewayProps } from './gateway';
import { buildDnsProxying, dnsProxyingHostile, dnsProxyingProps } from './dns-proxying';
import {
  authorizationAction, authorizationRule, authorizationRules, fault, gatewayBinding, headers, httpMatch, mirror, retries, routingTarget,
  secretName, split, trafficPolicy, versionNames, versions,
} from './parts';
import {
  bool, edgeNumber, edgy, enumOf, exoticString, host, hostile, hostname, int, junk, label, labels, name, props,
} from './primitives';
import { Applied, Leaf, realize } from './recipe';
import {
  corruptHttpRoute, corruptTcpRoute, corruptTlsRoute, httpRouteRecipes, tcpRouteRecipes, tlsRouteRecipes, validHttpRouteProps, validTcpRouteProps, validTlsRouteProps,
} from './routes';
import { corruptCanary, corruptTcp, junkCanary, junkTcp, validCanaryProps, validTcpProps } from './semantic';
import {
  call, duration, durationString, fakeInstance, gatewayHosts, hashAlgorithm, ingressGateway, portNumber, principal, regex,
  serviceAccount, serviceRef, servicePort, servicePorts, sessionAffinity, stringMatch, tampered,
} from './values';
import { workloadEgressProps } from './workload-egress';
import { buildMeshNamespace } from '../../src/patterns/mesh-namespace';
import { meshNamespaceProps } from './mesh-namespace';
import { buildInstallationForFuzz, installationProps } from './istio-installation';
import { buildIstioAddons, istioAddonsHostile, istioAddonsProps } from './istio-addons';
import { buildWaypoint } from '../../src/patterns/waypoint';
import { dataplaneMode, policyTargetRefs, waypointProps } from './waypoint';

/** A port of `ports` (mostly), or an edge value. */
function portOf(ports: number[]): fc.Arbitrary<unknown> {
  return ports.length ? edgy(fc.constantFrom(...ports), portNumber) : portNumber;
}

// ---------------------------------------------------------------------------------------------
// CanaryService

/** Valid-looking CanaryService props. */
export const canaryProps: fc.Arbitrary<unknown> = fc.tuple(serviceRef, versionNames).chain(([svc, names]) => {
  const route = props({
    name: name,
    match: edgy(fc.array(httpMatch, { minLength: 1, maxLength: 3 }), fc.constant([])),
    to: fc.oneof({ weight: 3, arbitrary: edgy(fc.constantFrom(...names), name) }, { weight: 1, arbitrary: split(names) }),
    retries,
    timeout: duration,
    headers,
    mirror: mirror(names),
    fault,
  }, ['match']);
  return props({
    service: fc.constant(svc.recipe),
    name,
    namespace: name,
    versions: versions(names, { trafficPolicy: true }),
    routes: fc.array(route, { maxLength: 3 }),
    routeUnmatched: bool,
    port: portOf(svc.ports),
    retries,
    timeout: duration,
    headers,
    mirror: mirror(names),
    fault,
    trafficPolicy: trafficPolicy(),
    workloadSelector: labels,
    gateway: gatewayBinding,
    target: routingTarget,
  }, ['service', 'versions']);
});

// ---------------------------------------------------------------------------------------------
// TcpIngress

/** Valid-looking TcpIngress props. */
export const tcpProps: fc.Arbitrary<unknown> = fc.tuple(serviceRef, fc.boolean(), fc.boolean()).chain(([svc, viaGateway, tls]) => {
  const port = svc.ports.length ? svc.ports[0] : 31400;
  const gwPort = tls ? 15443 : 31400;
  return props({
    name,
    namespace: name,
    backend: fc.constant(svc.recipe),
    port: edgy(fc.constant(viaGateway ? gwPort : port), portNumber),
    backendPort: portOf(svc.ports),
    gateway: viaGateway ? ingressGateway([gwPort]) : fc.constant(undefined),
    gatewayName: name,
    gatewayNamespace: name,
    sourceLabels: labels,
    versions: versionNames.chain((n) => versions(n)),
    tlsPassthrough: tls ? props({ sniHosts: edgy(gatewayHosts, fc.array(host, { maxLength: 2 })), allowWildcardHosts: bool }, ['sniHosts']) : fc.constant(undefined),
    target: routingTarget,
  }, ['name', 'backend', 'port', ...(viaGateway ? ['gateway' as const] : []), ...(tls ? ['tlsPassthrough' as const] : [])]);
});

// ---------------------------------------------------------------------------------------------
// StickyService

/** Valid-looking StickyService props. */
export const stickyProps: fc.Arbitrary<unknown> = fc.tuple(serviceRef, versionNames).chain(([svc, names]) => props({
  service: fc.constant(svc.recipe),
  name,
  virtualServiceName: name,
  namespace: name,
  affinity: sessionAffinity,
  hashAlgorithm,
  trafficPolicy: edgy(trafficPolicy({ loadBalancer: false }), trafficPolicy()),
  workloadSelector: labels,
  // at most one live version, sometimes several (refused)
  versions: edgy(versions(names).map((vs) => vs.map((v: any, i) => ({ ...v, ...('weight' in v ? { weight: i === 0 ? v.weight : 0 } : {}) }))), versions(names)),
  port: portOf(svc.ports),
  gateway: gatewayBinding,
  match: fc.array(httpMatch, { maxLength: 2 }),
  retries,
  timeout: duration,
  fault,
  behindLoadBalancer: bool,
  target: routingTarget,
}, ['service', 'affinity']));

// ---------------------------------------------------------------------------------------------
// WorkloadService

/** Valid-looking WorkloadService props. */
export const workloadProps: fc.Arbitrary<unknown> = props({
  name,
  namespace: name,
  selector: labels,
  ports: edgy(servicePorts, fc.array(servicePort(), { maxLength: 3 }), fc.constant([])),
}, ['name', 'namespace', 'selector', 'ports']);

// ---------------------------------------------------------------------------------------------
// ServiceTrafficPolicy

/** Valid-looking ServiceTrafficPolicy props. */
export const serviceTrafficPolicyProps: fc.Arbitrary<unknown> = fc.tuple(serviceRef, fc.integer({ min: 0, max: 12 })).chain(([svc, pick]) => props({
  service: pick > 0 ? fc.constant(svc.recipe) : fc.constant(undefined),
  host: pick === 0 || pick === 12 ? edgy(fc.oneof(label.map((l) => `*.${l}.svc.cluster.local`), hostname), host) : fc.constant(undefined),
  name: pick === 0 ? edgy(label, name) : name,
  namespace: pick === 0 ? edgy(label, name) : name,
  trafficPolicy: trafficPolicy(),
  workloadSelector: labels,
}, [...(pick > 0 ? ['service' as const] : []), ...(pick === 0 || pick === 12 ? ['host' as const] : []), ...(pick === 0 ? ['name' as const, 'namespace' as const] : []), 'trafficPolicy']));

// ---------------------------------------------------------------------------------------------
// AuthorizationPolicy

/** Valid-looking AuthorizationPolicy props. */
export const authorizationProps: fc.Arbitrary<unknown> = fc.tuple(authorizationAction, label).chain(([action, ns]) => props({
  name,
  namespace: edgy(fc.constant(ns), name),
  selector: labels,
  action: fc.constant(action),
  provider: action === 'CUSTOM' ? edgy(fc.constantFrom('ext-authz', 'opa'), exoticString) : edgy(fc.constant(undefined), exoticString),
  rules: authorizationRules,
  // ambient: enforced at waypoints (targetRefs) or by ztunnel (dataplaneMode AMBIENT)
  targetRefs: policyTargetRefs(ns),
  dataplaneMode,
}, ['name', 'namespace', ...(action === 'CUSTOM' ? ['provider' as const] : [])]));

// ---------------------------------------------------------------------------------------------
// PeerAuthentication

const MTLS_MODES = Object.values(MtlsMode) as string[];

/** Valid-looking PeerAuthentication props. */
export const peerProps: fc.Arbitrary<unknown> = fc.tuple(fc.boolean(), fc.boolean()).chain(([meshWide, workload]) => props({
  mode: enumOf(MTLS_MODES),
  meshWide: meshWide ? edgy(fc.constant(true), bool) : fc.constant(false),
  rootNamespace: name,
  namespace: meshWide ? edgy(fc.constant(undefined), name) : name,
  name,
  selector: meshWide ? edgy(fc.constant(undefined), labels) : workload ? labels : fc.constant(undefined),
  portLevelMtls: meshWide || !workload ? edgy(fc.constant(undefined), fc.constant({ 8080: 'DISABLE' }))
    : edgy(fc.dictionary(fc.integer({ min: 1, max: 65535 }).map(String), enumOf(MTLS_MODES), { minKeys: 1, maxKeys: 3 }),
      fc.dictionary(fc.oneof(exoticString, edgeNumber.map(String)), enumOf(MTLS_MODES), { maxKeys: 2 })),
}, ['mode', ...(meshWide ? ['meshWide' as const] : ['namespace' as const]), ...(!meshWide && workload ? ['selector' as const] : [])]));

// ---------------------------------------------------------------------------------------------
// RequestAuthentication

const jwks = edgy(
  fc.constantFrom('{"keys":[{"kty":"RSA","e":"AQAB","n":"abc","kid":"k1"}]}', '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}'),
  exoticString,
  fc.constantFrom('{"keys":[]}', '{"keys":[{"kty":"RSA","d":"secret"}]}', '{"keys":[null]}', '{"keys":[1]}', '{"keys":{}}', '[]', 'null', '{', '{"keys":[{}]}', '{"keys":[{"kty":"RSA"}], "x":1}'),
);

const jwtRule: fc.Arbitrary<unknown> = props({
  issuer: edgy(fc.constantFrom('https://accounts.google.com', 'https://issuer.example.com', 'testing@secure.istio.io'), exoticString),
  jwksUri: edgy(fc.constantFrom('https://www.googleapis.com/oauth2/v3/certs', 'https://issuer.example.com/.well-known/jwks.json', 'http://jwks.local/keys'), exoticString,
    fc.constantFrom('https://', 'https://a b', 'ftp://x', 'https://x\n', 'http://[::1]:8080/k', `https://${'a'.repeat(3000)}`)),
  jwks,
  audiences: fc.array(edgy(fc.constantFrom('bookinfo', 'api.example.com'), exoticString), { maxLength: 2 }),
  forwardOriginalToken: bool,
  fromHeaders: fc.array(props({ name: edgy(fc.constantFrom('Authorization', 'x-jwt', 'x-goog-iap-jwt-assertion'), exoticString), prefix: edgy(fc.constantFrom('Bearer ', 'JWT '), exoticString) }, ['name']), { maxLength: 2 }),
  outputPayloadToHeader: edgy(fc.constantFrom('x-jwt-payload', 'x-user'), exoticString),
}, ['issuer']).map((r: any) => {
  // Mostly one key source, as Istio wants; sometimes both (refused).
  if (r.jwks !== undefined && r.jwksUri !== undefined && String(r.issuer).length % 5 !== 0) { const { jwks: _, ...rest } = r; return rest; }
  return r;
});

/** Valid-looking RequestAuthentication props. */
export const requestAuthProps: fc.Arbitrary<unknown> = props({
  name,
  namespace: name,
  selector: labels,
  jwtRules: edgy(fc.array(jwtRule, { minLength: 1, maxLength: 3 }), fc.constant([])),
  requireToken: bool,
}, ['name', 'namespace', 'jwtRules']);

// ---------------------------------------------------------------------------------------------
// ZeroTrustNamespace

/** Valid-looking ZeroTrustNamespace props. */
export const zeroTrustProps: fc.Arbitrary<unknown> = props({
  namespace: name,
  // `nothing` would name its policy allow-nothing, the namespace's default-deny policy
  services: fc.array(props({ app: fc.oneof({ weight: 20, arbitrary: name }, { weight: 1, arbitrary: fc.constant('nothing') }), selector: labels, rules: edgy(fc.array(authorizationRule, { minLength: 1, maxLength: 2 }), authorizationRules) }, ['app', 'rules']), { maxLength: 4 }),
}, ['namespace', 'services']);

// ---------------------------------------------------------------------------------------------
// HardenedGateway

const quantity = edgy(fc.constantFrom('100m', '128Mi', '2', '1Gi', '500m', '0.5', '1.5Gi'), exoticString, fc.constantFrom('1e3', '1E', '-1', '0', '1Ki ', '1.', '.5'));

/** Valid-looking HardenedGateway props. */
export const hardenedProps: fc.Arbitrary<unknown> = fc.tuple(
  fc.uniqueArray(gatewayHosts, { minLength: 1, maxLength: 3, selector: (h) => h[0] }),
  fc.boolean(),
  fc.option(serviceRef, { nil: undefined }),
).chain(([hostSets, dedicated, backend]) => {
  const server = (hosts: string[]) => props({
    hosts: edgy(fc.constant(hosts), fc.array(host, { maxLength: 2 }), fc.constant(['*.example.com'])),
    credentialName: secretName,
    mode: enumOf(Object.values(ServerTlsMode)),
    portName: edgy(fc.constantFrom('https', 'https-main', 'https-443'), exoticString, fc.constantFrom('http', 'tls-x', 'https-' + 'a'.repeat(60))),
    port: edgy(fc.constantFrom(443, 8443), portNumber),
  }, ['hosts', 'credentialName']);
  const serverPorts = [443, 8443];
  const workload = props({
    name,
    namespace: name,
    labels,
    minReplicas: int(2, 10),
    maxReplicas: int(2, 20),
    resources: props({ cpuRequest: quantity, memoryRequest: quantity, cpuLimit: quantity, memoryLimit: quantity }),
    serviceType: enumOf(['LoadBalancer', 'ClusterIP', 'NodePort']),
    externalTrafficPolicy: enumOf(['Local', 'Cluster']),
  }, ['name', 'namespace']);
  return props({
    name,
    namespace: name,
    gateway: dedicated ? edgy(fc.constant(undefined), ingressGateway([80, ...serverPorts])) : ingressGateway([80, ...serverPorts]),
    workload: dedicated ? workload : edgy(fc.constant(undefined), workload),
    dedicatedGateway: bool,
    istioVersion: edgy(fc.constantFrom('1.31', '1.19', '1.20', '1.22.3', '2.0'), exoticString, fc.constantFrom('1', '1.x', 'v1.31', '01.031', '1.99999999999999999999', `1.${'9'.repeat(400)}`)),
    servers: edgy(fc.tuple(...hostSets.map(server)), fc.constant([])),
    allowWildcardHosts: bool,
    backend: backend ? fc.constant(backend.recipe) : fc.constant(undefined),
    backendPort: portOf(backend?.ports ?? []),
    httpsRedirect: bool,
    minProtocolVersion: enumOf(Object.values(TlsVersion)),
    cipherSuites: edgy(fc.uniqueArray(fc.constantFrom('ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'AES128-SHA'), { minLength: 1, maxLength: 2 }),
      fc.constantFrom([], [''], ['NOT-A-CIPHER']), fc.array(exoticString, { maxLength: 2 })),
    hsts: fc.oneof(fc.constant(false), props({ maxAge: edgy(duration, fc.constantFrom(call.seconds(0), '0s', call.millis(999))), includeSubDomains: bool, preload: bool })),
    headerHygiene: enumOf(Object.values(HeaderHygiene)),
    allow: fc.oneof(fc.constant(false), authorizationRules),
    target: routingTarget,
  }, ['name', 'servers', ...(dedicated ? ['workload' as const] : ['gateway' as const])]);
});

// ---------------------------------------------------------------------------------------------
// Value-type factories

/** A builder call that uses one value of a factory, so the value's rendering is exercised. */
function useIn(kind: 'service' | 'ingress' | 'match' | 'duration' | 'affinity' | 'hash' | 'principal', value: unknown): { builder: string; props: unknown } {
  const svc = call.serviceRef('app', { namespace: 'prod', ports: [{ port: 8080 }, { port: 31400, protocol: Protocol.TCP }] });
  const versions = [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }];
  switch (kind) {
    case 'service': return { builder: 'CanaryService', props: { service: value, versions } };
    case 'ingress': return { builder: 'TcpIngress', props: { name: 'db', backend: svc, port: 31400, gateway: value } };
    case 'match': return { builder: 'CanaryService', props: { service: svc, versions, routes: [{ match: [{ uri: value }, { headers: { 'x-a': value } }, { queryParams: { q: value } }], to: 'v2' }] } };
    case 'duration': return { builder: 'CanaryService', props: { service: svc, versions, timeout: value, retries: { attempts: 2, perTryTimeout: value } } };
    case 'affinity': return { builder: 'StickyService', props: { service: svc, affinity: value, port: 8080 } };
    case 'hash': return { builder: 'StickyService', props: { service: svc, affinity: call.header('x-user'), hashAlgorithm: value } };
    default: return { builder: 'AuthorizationPolicy', props: { name: 'p', namespace: 'prod', rules: [{ from: [{ principals: [value] }] }] } };
  }
}

const anyArg: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: exoticString }, { weight: 2, arbitrary: edgeNumber }, { weight: 2, arbitrary: junk }, { weight: 1, arbitrary: label });

/** A factory call with valid-looking or hostile arguments, and a builder that uses the result. */
export const valueProps: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(serviceRef.map((s) => s.recipe), fc.tuple(anyArg, fc.oneof(props({ namespace: anyArg, ports: fc.oneof(servicePorts, junk), clusterDomain: anyArg }), junk)).map(([n, o]) => call.serviceRef(n, o)),
    fc.tuple(
      fc.oneof(junk, props({ kind: fc.oneof(fc.constant('Service'), anyArg), name: fc.oneof(label, anyArg), metadata: fc.oneof(props({ namespace: fc.oneof(label, anyArg) }), junk), ports: fc.oneof(fc.array(props({ port: portNumber, name: anyArg, appProtocol: fc.oneof(fc.constantFrom('http', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'grpc-web', 'HTTP'), anyArg), protocol: fc.oneof(fc.constantFrom('TCP', 'UDP', 'SCTP'), anyArg), targetPort: fc.oneof(portNumber, anyArg) }), { maxLength: 3 }), junk), toJson: fc.oneof(junk, fc.constantFrom(new Leaf('(() => ({ spec: { ports: [{ port: 80, name: "http" }] } }))', () => () => ({ spec: { ports: [{ port: 80, name: 'http' }] } })), new Leaf('(() => { throw new Error("boom") })', () => () => { throw new Error('boom'); }))) })),
      fc.option(fc.oneof(props({ namespace: fc.oneof(label, anyArg), clusterDomain: fc.oneof(fc.constant('cluster.local'), anyArg) }), junk), { nil: undefined }),
    ).map(([s, o]) => (o === undefined ? call.serviceRefFromService(s) : call.serviceRefFromService(s, o))))
    .map((v) => useIn('service', v)),
  fc.oneof(ingressGateway([31400]), fc.tuple(fc.oneof(labels, junk), fc.oneof(props({ namespace: anyArg, serviceName: anyArg, ports: fc.oneof(fc.array(servicePort(), { maxLength: 3 }), junk) }), junk)).map(([s, o]) => call.ingress(s, o)))
    .map((v) => useIn('ingress', v)),
  fc.oneof(stringMatch(), fc.tuple(fc.constantFrom(call.exact, call.prefix, call.regex), fc.oneof(anyArg, regex)).map(([f, a]) => f(a)), fc.tuple(anyArg, anyArg).map(([n, v]) => call.cookieMatch(n, v)))
    .map((v) => useIn('match', v)),
  fc.oneof(duration, durationString, fc.tuple(fc.constantFrom(call.millis, call.seconds, call.minutes, call.hours, call.parse), anyArg).map(([f, a]) => f(a)))
    .map((v) => useIn('duration', v)),
  fc.oneof(sessionAffinity, fc.tuple(fc.constantFrom(call.header, call.queryParameter), anyArg).map(([f, a]) => f(a)),
    fc.tuple(anyArg, fc.oneof(junk, props({ ttl: fc.oneof(duration, anyArg), path: anyArg, attributes: fc.oneof(junk, fc.dictionary(exoticString, anyArg, { maxKeys: 2 })) }))).map(([n, o]) => call.cookie(n, o)))
    .map((v) => useIn('affinity', v)),
  fc.oneof(hashAlgorithm, fc.tuple(fc.constantFrom(call.ringHash, call.maglev), anyArg).map(([f, a]) => f(a)))
    .map((v) => useIn('hash', v)),
  fc.oneof(principal, fc.tuple(anyArg, anyArg, fc.option(anyArg, { nil: undefined })).map(([a, b, c]) => (c === undefined ? call.serviceAccount(a, b) : call.serviceAccount(a, b, c))))
    .map((v) => useIn('principal', v)),
  fc.oneof(fakeInstance, tampered(fc.oneof(serviceRef.map((s) => s.recipe), stringMatch(), duration, sessionAffinity, hashAlgorithm, serviceAccount)))
    .chain((v) => fc.constantFrom('service', 'match', 'duration', 'affinity', 'hash', 'principal', 'ingress').map((k) => useIn(k as any, v))),
);

// ---------------------------------------------------------------------------------------------
// The table

/** One fuzzed builder: how to run it on realized props, and its props arbitraries. */
export interface FuzzTarget {
  /** The builder (or group) name, e.g. `CanaryService`. */
  readonly name: string;
  /** Builds the props (or arguments) a recipe describes, calling the factories it names. */
  readonly realize: (recipe: unknown) => unknown;
  /** Runs the builder on realized props. */
  readonly build: (props: unknown) => PatternOutput;
  /** Valid-looking props recipes. */
  readonly valid: fc.Arbitrary<unknown>;
  /** Hostile props recipes. */
  readonly hostile: fc.Arbitrary<unknown>;
}

const BUILDERS: Record<string, (props: any) => PatternOutput> = {
  CanaryService: buildCanaryService,
  TcpIngress: buildTcpIngress,
  StickyService: buildStickyService,
  WorkloadService: buildWorkloadService,
  ServiceTrafficPolicy: buildServiceTrafficPolicy,
  AuthorizationPolicy: buildAuthorizationPolicy,
  PeerAuthentication: buildPeerAuthentication,
  RequestAuthentication: buildRequestAuthentication,
  ZeroTrustNamespace: buildZeroTrustNamespace,
  HardenedGateway: buildHardenedGateway,
  WorkloadEgress: buildWorkloadEgress,
  ExternalEgress: buildExternalEgress,
  HttpRoute: buildHttpRoute,
  TcpRoute: buildTcpRoute,
  TlsRoute: buildTlsRoute,
  Gateway: buildGateway,
  DnsProxying: buildDnsProxying,
  MeshNamespace: buildMeshNamespace,
  IstioInstallation: buildInstallationForFuzz,
  IstioAddons: buildIstioAddons,
  Waypoint: buildWaypoint,
};

function target(builder: string, valid: fc.Arbitrary<unknown>, moreHostile?: fc.Arbitrary<unknown>): FuzzTarget {
  return { name: builder, realize, build: (p) => BUILDERS[builder](p), valid, hostile: moreHostile ? fc.oneof({ weight: 4, arbitrary: hostile(valid) }, { weight: 1, arbitrary: moreHostile }) : hostile(valid) };
}

/** Strictly valid props (test/arbitraries/semantic.ts) with one corruption or junk field. */
function corrupted(valid: fc.Arbitrary<unknown>, ...changes: Array<fc.Arbitrary<(p: any) => any>>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.oneof(...changes)).map(([p, change]) => new Applied(p, change));
}

/** The value-type group: its recipes are `{ builder, props }`. */
const valuesTarget: FuzzTarget = {
  name: 'values',
  realize,
  build: (p: any) => BUILDERS[p.builder](p.props),
  valid: valueProps,
  hostile: valueProps.chain((v: any) => hostile(fc.constant(v.props)).map((p) => ({ builder: v.builder, props: p }))),
};

/** Every fuzz target: the ten builders, then the value-type factories. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  target('CanaryService', fc.oneof({ weight: 4, arbitrary: canaryProps }, { weight: 1, arbitrary: validCanaryProps }), corrupted(validCanaryProps, corruptCanary, junkCanary)),
  target('TcpIngress', fc.oneof({ weight: 4, arbitrary: tcpProps }, { weight: 1, arbitrary: validTcpProps }), corrupted(validTcpProps, corruptTcp, junkTcp)),
  target('StickyService', stickyProps),
  target('WorkloadService', workloadProps),
  target('ServiceTrafficPolicy', serviceTrafficPolicyProps),
  target('AuthorizationPolicy', authorizationProps),
  target('PeerAuthentication', peerProps),
  target('RequestAuthentication', requestAuthProps),
  target('ZeroTrustNamespace', zeroTrustProps),
  target('HardenedGateway', hardenedProps),
  target('WorkloadEgress', workloadEgressProps),
  target('ExternalEgress', egressProps),
  target('HttpRoute', fc.oneof({ weight: 4, arbitrary: httpRouteRecipes }, { weight: 1, arbitrary: validHttpRouteProps }), corrupted(validHttpRouteProps, corruptHttpRoute)),
  target('TcpRoute', fc.oneof({ weight: 4, arbitrary: tcpRouteRecipes }, { weight: 1, arbitrary: validTcpRouteProps }), corrupted(validTcpRouteProps, corruptTcpRoute)),
  target('TlsRoute', fc.oneof({ weight: 4, arbitrary: tlsRouteRecipes }, { weight: 1, arbitrary: validTlsRouteProps }), corrupted(validTlsRouteProps, corruptTlsRoute)),
  target('Gateway', gatewayProps),
  { name: 'DnsProxying', realize, build: (p) => BUILDERS.DnsProxying(p), valid: dnsProxyingProps, hostile: dnsProxyingHostile },
  target('MeshNamespace', meshNamespaceProps),
  target('IstioInstallation', installationProps),
  { name: 'IstioAddons', realize, build: (p) => BUILDERS.IstioAddons(p), valid: istioAddonsProps, hostile: istioAddonsHostile },
  target('Waypoint', waypointProps),
  valuesTarget,
];
