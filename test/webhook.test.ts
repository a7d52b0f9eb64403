/**
 * Istio's validating-webhook rules (src/core/webhook): for every kind, the invalid examples of
 * ../shared/istio/validation/RULES.md are refused with an error at the offending field, a valid
 * counterpart is accepted, and the rules Istio only warns about give warnings, never errors.
 * Then Istio's own fixtures are run through the webhook rules alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest } from '../src/core/manifest';
import { webhookIssues } from '../src/core/webhook';

const API: Record<string, string> = {
  VirtualService: 'networking.istio.io/v1', DestinationRule: 'networking.istio.io/v1', Gateway: 'networking.istio.io/v1',
  ServiceEntry: 'networking.istio.io/v1', Sidecar: 'networking.istio.io/v1', WorkloadEntry: 'networking.istio.io/v1',
  WorkloadGroup: 'networking.istio.io/v1', EnvoyFilter: 'networking.istio.io/v1alpha3', ProxyConfig: 'networking.istio.io/v1beta1',
  PeerAuthentication: 'security.istio.io/v1', RequestAuthentication: 'security.istio.io/v1', AuthorizationPolicy: 'security.istio.io/v1',
  Telemetry: 'telemetry.istio.io/v1', WasmPlugin: 'extensions.istio.io/v1alpha1', TrafficExtension: 'extensions.istio.io/v1alpha1',
};

/** An object of `kind` named `x` in namespace `default`, with `spec` and optional metadata extras. */
function obj(kind: string, spec: any, meta: Record<string, any> = {}): Manifest {
  return { apiVersion: API[kind], kind, metadata: { name: 'x', namespace: 'default', ...meta }, spec };
}

// Valid bases each case modifies.
const route = [{ destination: { host: 'reviews.default.svc.cluster.local' } }];
const vs = (extra: any) => obj('VirtualService', { hosts: ['reviews.default.svc.cluster.local'], http: [{ route }], ...extra });
const vsHttp = (rule: any, extra: any = {}) => vs({ http: [{ route, ...rule }], ...extra });
const dr = (extra: any) => obj('DestinationRule', { host: 'reviews.default.svc.cluster.local', ...extra });
const lb = (loadBalancer: any) => dr({ trafficPolicy: { loadBalancer } });
const server = (extra: any) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'], ...extra });
const httpsServer = (tls: any) => server({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls });
const gw = (servers: any[], meta: any = {}) => obj('Gateway', { selector: { istio: 'ingressgateway' }, servers }, meta);
const sePort = { number: 443, name: 'https', protocol: 'TLS' };
const se = (extra: any) => obj('ServiceEntry', { hosts: ['api.example.com'], ports: [sePort], resolution: 'DNS', location: 'MESH_EXTERNAL', ...extra });
const sidecar = (extra: any) => obj('Sidecar', extra);
const ingress = (extra: any) => sidecar({ ingress: [{ port: { number: 9080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '127.0.0.1:8080', ...extra }] });
const authz = (extra: any) => obj('AuthorizationPolicy', { selector: { matchLabels: { app: 'reviews' } }, ...extra });
const rule = (r: any) => authz({ action: 'ALLOW', rules: [r] });
const ra = (jwt: any, extra: any = {}) => obj('RequestAuthentication', { selector: { matchLabels: { app: 'reviews' } }, jwtRules: [{ issuer: 'https://issuer.example.com', ...jwt }], ...extra });
const ef = (patch: any, extra: any = {}) => obj('EnvoyFilter', { configPatches: [patch], ...extra });
const httpFilterPatch = { applyTo: 'HTTP_FILTER', match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } }, patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua', inlineCode: 'x' } } } };
const wasm = (extra: any) => obj('WasmPlugin', { selector: { matchLabels: { app: 'reviews' } }, url: 'oci://ghcr.io/example/plugin:1.0', ...extra });

/** [title, object, a substring of the field the error is reported at]. */
type Invalid = [string, Manifest, string];

const INVALID: Record<string, Invalid[]> = {
  'common building blocks': [
    ['port 0 (ServiceEntry)', se({ ports: [{ ...sePort, number: 0 }] }), 'spec.ports[0].number'],
    ['port 70000 (Sidecar egress)', sidecar({ egress: [{ port: { number: 70000, protocol: 'HTTP', name: 'http' }, hosts: ['*/*'] }] }), 'spec.egress[0].port.number'],
    ['port name http_web', se({ ports: [{ ...sePort, name: 'http_web' }] }), 'spec.ports[0].name'],
    ['port name my.port', se({ ports: [{ ...sePort, name: 'my.port' }] }), 'spec.ports[0].name'],
    ['port name -http', se({ ports: [{ ...sePort, name: '-http' }] }), 'spec.ports[0].name'],
    ['protocol SMTP', se({ ports: [{ ...sePort, protocol: 'SMTP' }] }), 'spec.ports[0].protocol'],
    ['timeout 0.5ms', vsHttp({ timeout: '0.5ms' }), 'spec.http[0].timeout'],
    ['timeout 1500us', vsHttp({ timeout: '1500us' }), 'spec.http[0].timeout'],
    ['timeout 0s', vsHttp({ timeout: '0s' }), 'spec.http[0].timeout'],
    ['wildcard host foo_bar.com', vs({ hosts: ['foo_bar.com'] }), 'spec.hosts[0]'],
    ['wildcard host *.*.com', vs({ hosts: ['*.*.com'] }), 'spec.hosts[0]'],
    ['wildcard host example.123', vs({ hosts: ['example.123'] }), 'spec.hosts[0]'],
    ['FQDN required: *.example.com as tunnel targetHost', dr({ trafficPolicy: { tunnel: { protocol: 'CONNECT', targetHost: '*.example.com', targetPort: 8080 } } }), 'spec.trafficPolicy.tunnel.targetHost'],
    ['partial wildcard foo*.example.com on a Gateway', gw([server({ hosts: ['foo*.example.com'] })]), 'spec.servers[0].hosts[0]'],
    ['partial wildcard *example.com on a Sidecar', sidecar({ egress: [{ hosts: ['./*example.com'] }] }), 'spec.egress[0].hosts[0]'],
    ['ns/host short name prod/reviews', gw([server({ hosts: ['prod/reviews'] })]), 'spec.servers[0].hosts[0]'],
    ['ns/host bad namespace prod_ns/*.example.com', gw([server({ hosts: ['prod_ns/*.example.com'] })]), 'spec.servers[0].hosts[0]'],
    ['ns/host */foo*.com', sidecar({ egress: [{ hosts: ['*/foo*.com'] }] }), 'spec.egress[0].hosts[0]'],
    ['IP 10.0.0.300', se({ addresses: ['10.0.0.300'] }), 'spec.addresses[0]'],
    ['CIDR 10.0.0.0/33', se({ addresses: ['10.0.0.0/33'], resolution: 'STATIC', endpoints: [{ address: '10.0.0.1' }] }), 'spec.addresses[0]'],
    ['label value "a b"', dr({ subsets: [{ name: 'v1', labels: { app: 'a b' } }] }), 'spec.subsets[0].labels'],
    ['label key -bad', dr({ subsets: [{ name: 'v1', labels: { '-bad': 'x' } }] }), 'spec.subsets[0].labels'],
    ['selector value *', obj('PeerAuthentication', { selector: { matchLabels: { app: '*' } } }), 'spec.selector.matchLabels.app'],
    ['selector empty key', obj('PeerAuthentication', { selector: { matchLabels: { '': 'x' } } }), 'spec.selector.matchLabels'],
    ['alpha selector value *', sidecar({ workloadSelector: { labels: { app: '*' } }, egress: [{ hosts: ['*/*'] }] }), 'spec.workloadSelector.labels.app'],
    ['targetRef kind Deployment', authz({ selector: undefined, targetRef: { kind: 'Deployment', name: 'x' } }), 'spec.targetRef.kind'],
    ['targetRef cross-namespace', authz({ selector: undefined, targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw', namespace: 'other' } }), 'spec.targetRef.namespace'],
    ['both selector and targetRefs', authz({ targetRefs: [{ kind: 'Service', group: '', name: 'reviews' }] }), 'spec'],
    ['exportTo [".", "*"]', vs({ exportTo: ['.', '*'] }), 'spec.exportTo'],
    ['exportTo ["~"] on a VirtualService', vs({ exportTo: ['~'] }), 'spec.exportTo[0]'],
    ['exportTo [".", "default"] in namespace default', vs({ exportTo: ['.', 'default'] }), 'spec.exportTo[1]'],
    ['exportTo ["~", "a"] on a ServiceEntry', se({ exportTo: ['~', 'a'] }), 'spec.exportTo'],
    ['dry-run annotation on a VirtualService', obj('VirtualService', { hosts: ['a.example.com'], http: [{ route }] }, { annotations: { 'istio.io/dry-run': 'true' } }), 'metadata.annotations'],
    ['dry-run annotation not boolean', obj('AuthorizationPolicy', { action: 'ALLOW', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'maybe' } }), 'metadata.annotations'],
    ['dry-run annotation with action CUSTOM', obj('AuthorizationPolicy', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } }), 'metadata.annotations'],
    ['internal parent-namespace annotation', obj('DestinationRule', { host: 'a.default.svc.cluster.local' }, { annotations: { 'internal.istio.io/parent-namespace': 'x' } }), 'metadata.annotations'],
    ['always-reject test annotation', obj('DestinationRule', { host: 'a.default.svc.cluster.local' }, { annotations: { 'internal.istio.io/webhook-always-reject': '' } }), 'metadata.annotations'],
  ],
  VirtualService: [
    ['delegate VS with gateways', vs({ hosts: [], gateways: ['gw'] }), 'spec.gateways'],
    ['only hosts', obj('VirtualService', { hosts: ['a.example.com'] }), 'spec'],
    ['host reviews_v1', vs({ hosts: ['reviews_v1'] }), 'spec.hosts[0]'],
    ['host * on the mesh', vs({ hosts: ['*'] }), 'spec.hosts[0]'],
    ['overlapping hosts', vs({ hosts: ['*.foo.com', 'a.foo.com'] }), 'spec.hosts[1]'],
    ['gateway /gw', vs({ gateways: ['/gw'] }), 'spec.gateways[0]'],
    ['gateway istio_system/gw', vs({ gateways: ['istio_system/gw'] }), 'spec.gateways[0]'],
    ['JWT claim match on the mesh', vsHttp({ match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } } }] }), 'spec.http[0].match[0].headers'],
    ['rule with only a match', vs({ http: [{ match: [{ uri: { prefix: '/' } }] }] }), 'spec.http[0]'],
    ['redirect with rewrite', vs({ http: [{ redirect: { uri: '/x' }, rewrite: { uri: '/y' } }] }), 'spec.http[0].redirect'],
    ['directResponse with route', vsHttp({ directResponse: { status: 200 } }), 'spec.http[0].directResponse'],
    ['delegate with route', vsHttp({ delegate: { name: 'd', namespace: 'default' } }), 'spec.http[0].route'],
    ['delegate VS rule delegating', obj('VirtualService', { http: [{ delegate: { name: 'd' } }] }), 'spec.http[0].delegate'],
    ['mirror and mirrors', vsHttp({ mirror: { host: 'a.default.svc.cluster.local' }, mirrors: [{ destination: { host: 'b.default.svc.cluster.local' } }] }), 'spec.http[0].mirrors'],
    ['header name with a space', vsHttp({ match: [{ headers: { 'bad header': { exact: 'x' } } }] }), 'spec.http[0].match[0].headers'],
    ['uri regex with lookbehind', vsHttp({ match: [{ uri: { regex: '(?<=a)b' } }] }), 'spec.http[0].match[0].uri.regex'],
    ['empty prefix on headers', vsHttp({ match: [{ headers: { 'x-a': { prefix: '' } } }] }), 'spec.http[0].match[0].headers'],
    ['empty prefix on method', vsHttp({ match: [{ method: { prefix: '' } }] }), 'spec.http[0].match[0].method.prefix'],
    ['match port 0 is skipped but 70000 refused', vsHttp({ match: [{ port: 70000 }] }), 'spec.http[0].match[0].port'],
    ['sourceNamespace prod.ns', vsHttp({ match: [{ sourceNamespace: 'prod.ns' }] }), 'spec.http[0].match[0].sourceNamespace'],
    ['sourceLabels invalid', vsHttp({ match: [{ sourceLabels: { app: 'a b' } }] }), 'spec.http[0].match[0].sourceLabels'],
    ['response set host', vsHttp({ headers: { response: { set: { host: 'x' } } } }), 'spec.http[0].headers.response.set.host'],
    ['request set :path', vsHttp({ headers: { request: { set: { ':path': '/x' } } } }), 'spec.http[0].headers.request.set'],
    ['request remove host', vsHttp({ headers: { request: { remove: ['host'] } } }), 'spec.http[0].headers.request.remove[0]'],
    ['header value 100%', vsHttp({ headers: { request: { set: { 'x-a': '100%' } } } }), 'spec.http[0].headers.request.set'],
    ['header value with a newline', vsHttp({ headers: { request: { set: { 'x-a': 'a\nb' } } } }), 'spec.http[0].headers.request.set'],
    ['authority rewritten twice', vsHttp({ rewrite: { authority: 'a' }, headers: { request: { set: { host: 'b' } } } }), 'spec.http[0].headers.request.set.host'],
    ['empty rewrite', vsHttp({ rewrite: {} }), 'spec.http[0]'],
    ['rewrite uri and uriRegexRewrite', vsHttp({ rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } }), 'spec.http[0]'],
    ['uriRegexRewrite without rewrite', vsHttp({ rewrite: { uriRegexRewrite: { match: '^/a' } } }), 'spec.http[0].rewrite.uriRegexRewrite'],
    ['redirectCode 200', vs({ http: [{ redirect: { redirectCode: 200, uri: '/x' } }] }), 'spec.http[0].redirect.redirectCode'],
    ['redirect scheme ftp', vs({ http: [{ redirect: { scheme: 'ftp' } }] }), 'spec.http[0].redirect.scheme'],
    ['redirect uri and prefixRewrite', vs({ http: [{ redirect: { uri: '/a', prefixRewrite: '/b' } }] }), 'spec.http[0].redirect'],
    ['prefixRewrite with an exact uri match', vs({ http: [{ match: [{ uri: { exact: '/a' } }], redirect: { prefixRewrite: '/b' } }] }), 'spec.http[0].redirect.prefixRewrite'],
    ['empty redirect', vs({ http: [{ redirect: { redirectCode: 301 } }] }), 'spec.http[0].redirect'],
    ['directResponse status 700', vs({ http: [{ directResponse: { status: 700 } }] }), 'spec.http[0].directResponse.status'],
    ['directResponse body over 1 MiB', vs({ http: [{ directResponse: { status: 200, body: { string: 'x'.repeat(1024 * 1024 + 1) } } }] }), 'spec.http[0].directResponse.body'],
    ['abort httpStatus 700', vsHttp({ fault: { abort: { httpStatus: 700 } } }), 'spec.http[0].fault.abort.httpStatus'],
    ['abort grpcStatus unknown', vsHttp({ fault: { abort: { grpcStatus: 'NOPE' } } }), 'spec.http[0].fault.abort.grpcStatus'],
    ['abort http2Error', vsHttp({ fault: { abort: { http2Error: 'x' } } }), 'spec.http[0].fault.abort.http2Error'],
    ['exponentialDelay', vsHttp({ fault: { delay: { exponentialDelay: '1s' } } }), 'spec.http[0].fault.delay.exponentialDelay'],
    ['empty fault', vsHttp({ fault: {} }), 'spec.http[0].fault'],
    ['fault percentage 0.00001', vsHttp({ fault: { delay: { fixedDelay: '1s', percentage: { value: 0.00001 } } } }), 'spec.http[0].fault.delay.percentage.value'],
    ['mirrorPercent 150', vsHttp({ mirror: { host: 'a.default.svc.cluster.local' }, mirrorPercent: 150 }), 'spec.http[0].mirrorPercent'],
    ['mirrorPercentage 150', vsHttp({ mirror: { host: 'a.default.svc.cluster.local' }, mirrorPercentage: { value: 150 } }), 'spec.http[0].mirrorPercentage.value'],
    ['mirrors without destination', vsHttp({ mirrors: [{ percentage: { value: 10 } }] }), 'spec.http[0].mirrors[0].destination'],
    ['retries attempts 0 with retryOn', vsHttp({ retries: { attempts: 0, retryOn: '5xx' } }), 'spec.http[0].retries.attempts'],
    ['retryOn bogus', vsHttp({ retries: { attempts: 3, retryOn: '5xx,bogus' } }), 'spec.http[0].retries.retryOn'],
    ['retries negative attempts', vsHttp({ retries: { attempts: -1 } }), 'spec.http[0].retries.attempts'],
    ['perTryTimeout 0.1ms', vsHttp({ retries: { attempts: 2, perTryTimeout: '0.1ms' } }), 'spec.http[0].retries.perTryTimeout'],
    ['cors allowMethods get', vsHttp({ corsPolicy: { allowMethods: ['get'] } }), 'spec.http[0].corsPolicy.allowMethods[0]'],
    ['cors maxAge 1.5s', vsHttp({ corsPolicy: { maxAge: '1.5s' } }), 'spec.http[0].corsPolicy.maxAge'],
    ['cors empty origin', vsHttp({ corsPolicy: { allowOrigins: [{ exact: '' }] } }), 'spec.http[0].corsPolicy.allowOrigins[0]'],
    ['cors header name with a space', vsHttp({ corsPolicy: { allowHeaders: ['a b'] } }), 'spec.http[0].corsPolicy.allowHeaders[0]'],
    ['destination host *', vs({ http: [{ route: [{ destination: { host: '*' } }] }] }), 'spec.http[0].route[0].destination.host'],
    ['subset v1.0', vs({ http: [{ route: [{ destination: { host: 'a.default.svc.cluster.local', subset: 'v1.0' } }] }] }), 'spec.http[0].route[0].destination.subset'],
    ['destination port 0', vs({ http: [{ route: [{ destination: { host: 'a.default.svc.cluster.local', port: { number: 0 } } }] }] }), 'spec.http[0].route[0].destination.port.number'],
    ['weight -10', vs({ http: [{ route: [{ destination: { host: 'a.default.svc.cluster.local' }, weight: -10 }] }] }), 'spec.http[0].route[0].weight'],
    ['two destinations of weight 0', vs({ http: [{ route: [{ destination: { host: 'a.default.svc.cluster.local' }, weight: 0 }, { destination: { host: 'b.default.svc.cluster.local' }, weight: 0 }] }] }), 'spec.http[0].route'],
    ['route without destination', vs({ http: [{ route: [{ weight: 100 }] }] }), 'spec.http[0].route[0].destination'],
    ['tls SNI outside hosts', obj('VirtualService', { hosts: ['a.com'], tls: [{ match: [{ sniHosts: ['b.com'] }], route }] }), 'spec.tls[0].match[0].sniHosts[0]'],
    ['tls route without match', obj('VirtualService', { hosts: ['a.com'], tls: [{ route }] }), 'spec.tls[0].match'],
    ['tls match without sniHosts', obj('VirtualService', { hosts: ['a.com'], tls: [{ match: [{ port: 443 }], route }] }), 'spec.tls[0].match[0].sniHosts'],
    ['tls destinationSubnets invalid', obj('VirtualService', { hosts: ['a.com'], tls: [{ match: [{ sniHosts: ['a.com'], destinationSubnets: ['1.2.3.4/40'] }], route }] }), 'spec.tls[0].match[0].destinationSubnets[0]'],
    ['tcp route without route', obj('VirtualService', { hosts: ['mongo.default.svc.cluster.local'], tcp: [{ match: [{ port: 27017 }] }] }), 'spec.tcp[0].route'],
    ['tcp match port 70000', obj('VirtualService', { hosts: ['mongo.default.svc.cluster.local'], tcp: [{ match: [{ port: 70000 }], route }] }), 'spec.tcp[0].match[0].port'],
  ],
  DestinationRule: [
    ['empty host', dr({ host: '' }), 'spec.host'],
    ['host reviews..svc', dr({ host: 'reviews..svc' }), 'spec.host'],
    ['empty trafficPolicy', dr({ trafficPolicy: {} }), 'spec.trafficPolicy'],
    ['tunnel and proxyProtocol', dr({ trafficPolicy: { tunnel: { targetHost: 'a.com', targetPort: 80 }, proxyProtocol: {} } }), 'spec.trafficPolicy'],
    ['two subsets named v1', dr({ subsets: [{ name: 'v1' }, { name: 'v1' }] }), 'spec.subsets[1].name'],
    ['subset name v1.0', dr({ subsets: [{ name: 'v1.0' }] }), 'spec.subsets[0].name'],
    ['empty subset trafficPolicy', dr({ subsets: [{ name: 'v1', trafficPolicy: {} }] }), 'spec.subsets[0].trafficPolicy'],
    ['portLevelSettings with only a port', dr({ trafficPolicy: { portLevelSettings: [{ port: { number: 80 } }] } }), 'spec.trafficPolicy.portLevelSettings[0]'],
    ['tcp maxConnections -1', dr({ trafficPolicy: { connectionPool: { tcp: { maxConnections: -1 } } } }), 'spec.trafficPolicy.connectionPool.tcp.maxConnections'],
    ['empty connectionPool', dr({ trafficPolicy: { connectionPool: {} } }), 'spec.trafficPolicy.connectionPool'],
    ['UPGRADE with useClientProtocol', dr({ trafficPolicy: { connectionPool: { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } } } }), 'spec.trafficPolicy.connectionPool.http.useClientProtocol'],
    ['http2KeepAlive without timeout', dr({ trafficPolicy: { connectionPool: { http: { http2KeepAlive: { interval: '10s' } } } } }), 'spec.trafficPolicy.connectionPool.http.http2KeepAlive.timeout'],
    ['maxEjectionPercent 120', dr({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 120 } } }), 'spec.trafficPolicy.outlierDetection.maxEjectionPercent'],
    ['outlier interval 0s', dr({ trafficPolicy: { outlierDetection: { interval: '0s' } } }), 'spec.trafficPolicy.outlierDetection.interval'],
    ['local origin failures without split', dr({ trafficPolicy: { outlierDetection: { consecutiveLocalOriginFailures: 5 } } }), 'spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures'],
    ['httpCookie without name', lb({ consistentHash: { httpCookie: { ttl: '0s' } } }), 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name'],
    ['duplicate cookie attributes', lb({ consistentHash: { httpCookie: { name: 'c', attributes: [{ name: 'a' }, { name: 'a' }] } } }), 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[1].name'],
    ['minimumRingSize with ringHash', lb({ consistentHash: { httpHeaderName: 'x', minimumRingSize: 1024, ringHash: { minimumRingSize: 1024 } } }), 'spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize'],
    ['maglev tableSize 1000', lb({ consistentHash: { httpHeaderName: 'x', maglev: { tableSize: 1000 } } }), 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize'],
    ['distribute totalling 90', lb({ localityLbSetting: { distribute: [{ from: 'us-west/*', to: { 'us-west/*': 80, 'us-east/*': 10 } }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to'],
    ['distribute and failover', lb({ localityLbSetting: { distribute: [{ from: 'a/*', to: { 'a/*': 100 } }], failover: [{ from: 'a', to: 'b' }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting'],
    ['failover with a topology failoverPriority', lb({ localityLbSetting: { failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.kubernetes.io/region'] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority'],
    ['failover from = to', lb({ localityLbSetting: { failover: [{ from: 'a', to: 'a' }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]'],
    ['failover with a zone', lb({ localityLbSetting: { failover: [{ from: 'a/z', to: 'b' }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]'],
    ['locality with a * in the middle', lb({ localityLbSetting: { distribute: [{ from: 'a/*/c', to: { 'b/*': 100 } }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute'],
    ['overlapping localities', lb({ localityLbSetting: { distribute: [{ from: 'a/*', to: { 'b/*': 100 } }, { from: 'a/z', to: { 'b/*': 100 } }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute'],
    ['locality and zoneAware', lb({ localityLbSetting: { enabled: true }, zoneAwareLbSetting: { minClusterSize: 1 } }), 'spec.trafficPolicy.loadBalancer'],
    ['zoneAware topology failoverPriority', lb({ zoneAwareLbSetting: { failoverPriority: ['topology.kubernetes.io/zone'] } }), 'spec.trafficPolicy.loadBalancer.zoneAwareLbSetting.failoverPriority[0]'],
    ['warmup minimumPercent 150', lb({ warmup: { duration: '60s', minimumPercent: 150 } }), 'spec.trafficPolicy.loadBalancer.warmup.minimumPercent'],
    ['warmup without duration', lb({ warmup: { aggression: 1 } }), 'spec.trafficPolicy.loadBalancer.warmup.duration'],
    ['warmup aggression 0', lb({ warmup: { duration: '60s', aggression: 0 } }), 'spec.trafficPolicy.loadBalancer.warmup.aggression'],
    ['tunnel protocol GET', dr({ trafficPolicy: { tunnel: { protocol: 'GET', targetHost: 'x.com', targetPort: 8080 } } }), 'spec.trafficPolicy.tunnel.protocol'],
    ['tunnel targetPort 0', dr({ trafficPolicy: { tunnel: { targetHost: 'x.com', targetPort: 0 } } }), 'spec.trafficPolicy.tunnel.targetPort'],
    ['MUTUAL without certificates', dr({ trafficPolicy: { tls: { mode: 'MUTUAL' } } }), 'spec.trafficPolicy.tls'],
    ['insecureSkipVerify with caCertificates', dr({ trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/etc/ca.pem' } } }), 'spec.trafficPolicy.tls.insecureSkipVerify'],
    ['credentialName with clientCertificate', dr({ trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'c', clientCertificate: '/a' } } }), 'spec.trafficPolicy.tls.credentialName'],
    ['configmap credential in another namespace', dr({ trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'configmap://other/ca' } } }), 'spec.trafficPolicy.tls.credentialName'],
    ['workloadSelector with exportTo *', dr({ workloadSelector: { matchLabels: { app: 'a' } }, exportTo: ['*'] }), 'spec.exportTo'],
  ],
  Gateway: [
    ['name my.gateway', gw([server({})], { name: 'my.gateway' }), 'metadata.name'],
    ['no servers', gw([]), 'spec.servers'],
    ['server without port', gw([{ hosts: ['*'] }]), 'spec.servers[0].port'],
    ['host bookinfo (short name)', gw([server({ hosts: ['bookinfo'] })]), 'spec.servers[0].hosts[0]'],
    ['server without hosts', gw([server({ hosts: [] })]), 'spec.servers[0].hosts'],
    ['protocol SMTP', gw([server({ port: { number: 25, name: 'smtp', protocol: 'SMTP' } })]), 'spec.servers[0].port.protocol'],
    ['targetPort set', gw([server({ port: { number: 80, name: 'http', protocol: 'HTTP', targetPort: 8080 } })]), 'spec.servers[0].port.targetPort'],
    ['port without name', gw([server({ port: { number: 80, protocol: 'HTTP' } })]), 'spec.servers[0].port.name'],
    ['two servers named http', gw([server({}), server({ port: { number: 8080, name: 'http', protocol: 'HTTP' } })]), 'spec.servers[1].port.name'],
    ['port 0 without a unix bind', gw([server({ port: { number: 0, name: 'http', protocol: 'HTTP' } })]), 'spec.servers[0].port.number'],
    ['bind not an IP', gw([server({ bind: 'localhost' })]), 'spec.servers[0].bind'],
    ['unix bind with a port number', gw([server({ bind: 'unix:///var/run/gw.sock' })]), 'spec.servers[0].port.number'],
    ['HTTPS without tls', gw([server({ port: { number: 443, name: 'https', protocol: 'HTTPS' } })]), 'spec.servers[0].tls'],
    ['TCP with tls', gw([server({ port: { number: 31400, name: 'tcp', protocol: 'TCP' }, tls: { mode: 'SIMPLE', credentialName: 'c' } })]), 'spec.servers[0].tls'],
    ['HTTP with a certificate', gw([server({ tls: { httpsRedirect: true, serverCertificate: '/a', privateKey: '/b' } })]), 'spec.servers[0].tls'],
    ['ISTIO_MUTUAL with credentialName', gw([httpsServer({ mode: 'ISTIO_MUTUAL', credentialName: 'cert' })]), 'spec.servers[0].tls.credentialName'],
    ['two certificate sources', gw([httpsServer({ mode: 'SIMPLE', credentialName: 'cert', tlsCertificates: [{ serverCertificate: '/a', privateKey: '/b' }] })]), 'spec.servers[0].tls'],
    ['SIMPLE with nothing', gw([httpsServer({ mode: 'SIMPLE' })]), 'spec.servers[0].tls.serverCertificate'],
    ['MUTUAL without caCertificates', gw([httpsServer({ mode: 'MUTUAL', serverCertificate: '/a', privateKey: '/b' })]), 'spec.servers[0].tls.caCertificates'],
    ['tlsCertificates entry without a key', gw([httpsServer({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/a' }] })]), 'spec.servers[0].tls.tlsCertificates[0].privateKey'],
    // Istio (validateTLSOptions) returns before its caCrl check for SIMPLE/MUTUAL with a credentialName, so only other modes reach it.
    ['caCrl with credentialName', gw([{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['*.example.com'], tls: { mode: 'PASSTHROUGH', credentialName: 'c', caCrl: '/crl' } }]), 'spec.servers[0].tls.caCrl'],
    ['caCrl in SIMPLE mode', gw([httpsServer({ mode: 'SIMPLE', serverCertificate: '/a', privateKey: '/b', caCrl: '/crl' })]), 'spec.servers[0].tls.caCrl'],
  ],
  ServiceEntry: [
    ['host *', se({ hosts: ['*'] }), 'spec.hosts[0]'],
    ['no hosts', se({ hosts: [] }), 'spec.hosts'],
    ['workloadSelector and endpoints', se({ resolution: 'STATIC', workloadSelector: { labels: { app: 'a' } }, endpoints: [{ address: '1.2.3.4' }] }), 'spec'],
    ['CIDR with DNS', se({ addresses: ['10.0.0.0/16'] }), 'spec.addresses'],
    ['two ports number 443', se({ ports: [sePort, { ...sePort, name: 'tls2' }] }), 'spec.ports[1].number'],
    ['two ports named https', se({ ports: [sePort, { ...sePort, number: 8443 }] }), 'spec.ports[1].name'],
    ['targetPort 70000', se({ ports: [{ ...sePort, targetPort: 70000 }] }), 'spec.ports[0].targetPort'],
    ['NONE with endpoints', se({ resolution: 'NONE', endpoints: [{ address: '1.2.3.4' }] }), 'spec.endpoints'],
    ['STATIC endpoint hostname', se({ resolution: 'STATIC', endpoints: [{ address: 'foo.com' }] }), 'spec.endpoints[0].address'],
    ['STATIC endpoint unknown port name', se({ resolution: 'STATIC', endpoints: [{ address: '1.2.3.4', ports: { http: 8080 } }] }), 'spec.endpoints[0].ports.http'],
    ['STATIC unix endpoint with two SE ports', se({ resolution: 'STATIC', ports: [sePort, { number: 80, name: 'http', protocol: 'HTTP' }], endpoints: [{ address: 'unix:///sock' }] }), 'spec.endpoints[0]'],
    ['DNS wildcard host without endpoints', se({ hosts: ['*.example.com'] }), 'spec.hosts'],
    ['DNS_ROUND_ROBIN with two endpoints', se({ resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }), 'spec.endpoints'],
    ['DNS endpoint address invalid', se({ endpoints: [{ address: 'bad_host' }] }), 'spec.endpoints[0].address'],
    ['DYNAMIC_DNS with a non-wildcard host', se({ resolution: 'DYNAMIC_DNS', hosts: ['api.example.com'] }), 'spec.hosts[0]'],
    ['DYNAMIC_DNS with a TCP port', se({ resolution: 'DYNAMIC_DNS', hosts: ['*.example.com'], ports: [{ number: 3306, name: 'tcp', protocol: 'TCP' }] }), 'spec.ports[0].protocol'],
    ['DYNAMIC_DNS MESH_INTERNAL with a waypoint', obj('ServiceEntry', { hosts: ['*.example.com'], ports: [sePort], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' }, { labels: { 'istio.io/use-waypoint': 'wp' } }), 'spec.location'],
    ['several hosts with a TCP port', se({ hosts: ['a.com', 'b.com'], ports: [{ number: 3306, protocol: 'TCP', name: 'tcp' }] }), 'spec.ports'],
    ['exportTo ~ not alone', se({ exportTo: ['~', '.'] }), 'spec.exportTo'],
  ],
  Sidecar: [
    ['empty spec', sidecar({}), 'spec'],
    ['ingress without port', sidecar({ ingress: [{ defaultEndpoint: '127.0.0.1:8080' }] }), 'spec.ingress[0].port'],
    ['ingress defaultEndpoint 10.0.0.5:8080', ingress({ defaultEndpoint: '10.0.0.5:8080' }), 'spec.ingress[0].defaultEndpoint'],
    ['ingress targetPort', ingress({ port: { number: 9080, protocol: 'HTTP', name: 'http', targetPort: 9090 } }), 'spec.ingress[0].port.targetPort'],
    ['ingress ports duplicated', sidecar({ ingress: [{ port: { number: 9080, protocol: 'HTTP', name: 'a' } }, { port: { number: 9080, protocol: 'HTTP', name: 'b' } }] }), 'spec.ingress[1].port.number'],
    ['ingress bind not an IP', ingress({ bind: 'localhost' }), 'spec.ingress[0].bind'],
    ['ingress HTTP port with tls', ingress({ tls: { mode: 'SIMPLE', serverCertificate: '/a', privateKey: '/b' } }), 'spec.ingress[0].tls'],
    ['ingress tls ISTIO_MUTUAL', ingress({ port: { number: 9443, protocol: 'HTTPS', name: 'https' }, tls: { mode: 'ISTIO_MUTUAL' } }), 'spec.ingress[0].tls.mode'],
    ['ingress tls credentialName', ingress({ port: { number: 9443, protocol: 'HTTPS', name: 'https' }, tls: { mode: 'SIMPLE', credentialName: 'c' } }), 'spec.ingress[0].tls.credentialName'],
    ['egress host reviews', sidecar({ egress: [{ hosts: ['reviews'] }] }), 'spec.egress[0].hosts[0]'],
    ['egress without hosts', sidecar({ egress: [{ hosts: [] }] }), 'spec.egress[0].hosts'],
    ['port-less egress listener first', sidecar({ egress: [{ hosts: ['./*'] }, { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] }] }), 'spec.egress[0]'],
    ['egress port 0 without unix bind', sidecar({ egress: [{ port: { number: 0, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] }] }), 'spec.egress[0].bind'],
    ['egress unix listener with captureMode IPTABLES', sidecar({ egress: [{ port: { number: 0, protocol: 'HTTP', name: 'http' }, bind: 'unix:///sock', captureMode: 'IPTABLES', hosts: ['./*'] }] }), 'spec.egress[0].captureMode'],
    ['ALLOW_ANY_DYNAMIC_DNS', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY_DYNAMIC_DNS' } }), 'spec.outboundTrafficPolicy.mode'],
    ['egressProxy with REGISTRY_ONLY', sidecar({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } }), 'spec.outboundTrafficPolicy.egressProxy'],
    ['egressProxy without port', sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com' } } }), 'spec.outboundTrafficPolicy.egressProxy.port'],
    ['inbound connection pool empty', sidecar({ inboundConnectionPool: {} }), 'spec.inboundConnectionPool'],
  ],
  PeerAuthentication: [
    ['portLevelMtls without selector', obj('PeerAuthentication', { portLevelMtls: { 8080: { mode: 'DISABLE' } } }), 'spec.portLevelMtls'],
    ['portLevelMtls empty', obj('PeerAuthentication', { selector: { matchLabels: { app: 'a' } }, portLevelMtls: {} }), 'spec.portLevelMtls'],
    ['portLevelMtls port 0', obj('PeerAuthentication', { selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 0: { mode: 'STRICT' } } }), 'spec.portLevelMtls'],
  ],
  RequestAuthentication: [
    ['selector and targetRef', ra({}, { targetRef: { kind: 'Service', group: '', name: 'reviews' } }), 'spec'],
    ['targetRef without name', ra({}, { selector: undefined, targetRef: { kind: 'Service', group: '' } }), 'spec.targetRef.name'],
    ['jwksUri ftp://keys', ra({ issuer: undefined, jwksUri: 'ftp://keys' }), 'spec.jwtRules[0].jwksUri'],
    ['neither issuer nor jwksUri', ra({ issuer: undefined, audiences: ['a'] }), 'spec.jwtRules[0]'],
    ['empty audience', ra({ audiences: [''] }), 'spec.jwtRules[0].audiences[0]'],
    ['jwks not a key set', ra({ jwks: '{"nope": true}' }), 'spec.jwtRules[0].jwks'],
    ['fromHeaders without name', ra({ fromHeaders: [{ prefix: 'Bearer ' }] }), 'spec.jwtRules[0].fromHeaders[0].name'],
    ['empty fromParams', ra({ fromParams: [''] }), 'spec.jwtRules[0].fromParams[0]'],
    ['empty fromCookies', ra({ fromCookies: [''] }), 'spec.jwtRules[0].fromCookies[0]'],
    ['outputClaimToHeaders header "x claim"', ra({ outputClaimToHeaders: [{ header: 'x claim', claim: 'sub' }] }), 'spec.jwtRules[0].outputClaimToHeaders[0].header'],
    ['outputClaimToHeaders without claim', ra({ outputClaimToHeaders: [{ header: 'x-sub' }] }), 'spec.jwtRules[0].outputClaimToHeaders[0]'],
    ['timeout 0.5ms', ra({ timeout: '0.5ms' }), 'spec.jwtRules[0].timeout'],
  ],
  AuthorizationPolicy: [
    ['CUSTOM with principals', authz({ action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ from: [{ source: { principals: ['x'] } }] }] }), 'spec.rules[0].from[0].source.principals'],
    ['CUSTOM without rules', authz({ action: 'CUSTOM', provider: { name: 'ext' } }), 'spec.rules'],
    ['CUSTOM without provider', authz({ action: 'CUSTOM', rules: [{}] }), 'spec.provider.name'],
    ['CUSTOM with a request.auth condition', authz({ action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ when: [{ key: 'request.auth.principal', values: ['x'] }] }] }), 'spec.rules[0].when[0].key'],
    ['provider with ALLOW', authz({ action: 'ALLOW', provider: { name: 'ext' }, rules: [{}] }), 'spec.provider'],
    ['DENY without rules', authz({ action: 'DENY' }), 'spec.rules'],
    ['empty source', rule({ from: [{ source: {} }] }), 'spec.rules[0].from[0].source'],
    ['from present but empty', rule({ from: [] }), 'spec.rules[0].from'],
    ['to present but empty', rule({ to: [] }), 'spec.rules[0].to'],
    ['to without operation', rule({ to: [{}] }), 'spec.rules[0].to[0].operation'],
    ['serviceAccounts *', rule({ from: [{ source: { serviceAccounts: ['*'] } }] }), 'spec.rules[0].from[0].source.serviceAccounts'],
    ['serviceAccounts with namespaces', rule({ from: [{ source: { serviceAccounts: ['sa'], namespaces: ['ns'] } }] }), 'spec.rules[0].from[0].source'],
    ['ipBlocks 1.2.3.4/40', rule({ from: [{ source: { ipBlocks: ['1.2.3.4/40'] } }] }), 'spec.rules[0].from[0].source.ipBlocks[0]'],
    ['ports http', rule({ to: [{ operation: { ports: ['http'] } }] }), 'spec.rules[0].to[0].operation.ports'],
    ['methods ""', rule({ to: [{ operation: { methods: [''] } }] }), 'spec.rules[0].to[0].operation.methods'],
    ['trustDomains with /', rule({ from: [{ source: { trustDomains: ['a/b'] } }] }), 'spec.rules[0].from[0].source.trustDomains'],
    // RULES.md's example `/a/{**}/b` is accepted by Istio (CheckValidPathTemplate: {**} must be the last *operator*; a literal may follow).
    ['path /a/{**}/{*}', rule({ to: [{ operation: { paths: ['/a/{**}/{*}'] } }] }), 'spec.rules[0].to[0].operation.paths[0]'],
    ['path /a/{**}/b/{**}', rule({ to: [{ operation: { paths: ['/a/{**}/b/{**}'] } }] }), 'spec.rules[0].to[0].operation.paths[0]'],
    ['path /a/{id}', rule({ to: [{ operation: { paths: ['/a/{id}'] } }] }), 'spec.rules[0].to[0].operation.paths[0]'],
    ['when key request.headers', rule({ when: [{ key: 'request.headers', values: ['x'] }] }), 'spec.rules[0].when[0].values'],
    ['when key destination.labels[app]', rule({ when: [{ key: 'destination.labels[app]', values: ['a'] }] }), 'spec.rules[0].when[0].values'],
    ['when key unknown', rule({ when: [{ key: 'source.pod', values: ['a'] }] }), 'spec.rules[0].when[0].values'],
    ['when without values', rule({ when: [{ key: 'source.ip' }] }), 'spec.rules[0].when[0]'],
    ['when source.ip invalid', rule({ when: [{ key: 'source.ip', values: ['10.0.0.300'] }] }), 'spec.rules[0].when[0].values'],
    ['when source.trustDomain with a middle *', rule({ when: [{ key: 'source.trustDomain', values: ['a*b'] }] }), 'spec.rules[0].when[0].values'],
  ],
  EnvoyFilter: [
    ['patch without value', ef({ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE' } }), 'spec.configPatches[0].patch.value'],
    ['patch without applyTo', ef({ patch: { operation: 'REMOVE' } }), 'spec.configPatches[0].applyTo'],
    ['patch without operation', ef({ applyTo: 'CLUSTER', patch: { value: {} } }), 'spec.configPatches[0].patch.operation'],
    ['HTTP_FILTER with a cluster match', ef({ applyTo: 'HTTP_FILTER', match: { cluster: { service: 'a' } }, patch: { operation: 'INSERT_BEFORE', value: {} } }), 'spec.configPatches[0].match'],
    ['CLUSTER with a listener match', ef({ applyTo: 'CLUSTER', match: { listener: { portNumber: 80 } }, patch: { operation: 'MERGE', value: {} } }), 'spec.configPatches[0].match'],
    ['VIRTUAL_HOST with a cluster match', ef({ applyTo: 'VIRTUAL_HOST', match: { cluster: { service: 'a' } }, patch: { operation: 'MERGE', value: {} } }), 'spec.configPatches[0].match'],
    ['filter match without name', ef({ ...httpFilterPatch, match: { listener: { filterChain: { filter: { subFilter: { name: 'x' } } } } } }), 'spec.configPatches[0].match.listener.filterChain.filter.name'],
    ['subFilter under NETWORK_FILTER', ef({ ...httpFilterPatch, applyTo: 'NETWORK_FILTER', match: { listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'x' } } } } } }), 'spec.configPatches[0].match.listener.filterChain.filter.subFilter'],
    ['subFilter under another filter', ef({ ...httpFilterPatch, match: { listener: { filterChain: { filter: { name: 'envoy.filters.network.tcp_proxy', subFilter: { name: 'x' } } } } } }), 'spec.configPatches[0].match.listener.filterChain.filter.name'],
    ['invalid proxyVersion regex', ef({ ...httpFilterPatch, match: { ...httpFilterPatch.match, proxy: { proxyVersion: '1\\.2(' } } }), 'spec.configPatches[0].match.proxy.proxyVersion'],
    ['v2 @type', ef({ ...httpFilterPatch, patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.lua', typed_config: { '@type': 'type.googleapis.com/envoy.config.filter.http.lua.v2.Lua' } } } }), 'spec.configPatches[0].patch.value.typed_config'],
    ['selector with *', ef(httpFilterPatch, { workloadSelector: { labels: { app: '*' } } }), 'spec.workloadSelector.labels.app'],
    ['workloadSelector and targetRefs', ef(httpFilterPatch, { workloadSelector: { labels: { app: 'a' } }, targetRefs: [{ kind: 'Service', group: '', name: 'a' }] }), 'spec'],
  ],
  WorkloadEntry: [
    ['no address', obj('WorkloadEntry', { ports: { http: 8080 } }), 'spec.address'],
    ['relative unix path', obj('WorkloadEntry', { address: 'unix://relative/path' }), 'spec.address'],
    ['address bad_host', obj('WorkloadEntry', { address: 'bad_host' }), 'spec.address'],
    ['unix address with ports', obj('WorkloadEntry', { address: 'unix:///sock', ports: { http: 8080 } }), 'spec.ports'],
    ['port 0', obj('WorkloadEntry', { address: '1.2.3.4', ports: { http: 0 } }), 'spec.ports.http'],
    ['port name http_web', obj('WorkloadEntry', { address: '1.2.3.4', ports: { http_web: 80 } }), 'spec.ports.http_web'],
    ['labels invalid', obj('WorkloadEntry', { address: '1.2.3.4', labels: { app: 'a b' } }), 'spec.labels'],
  ],
  WorkloadGroup: [
    ['no template', obj('WorkloadGroup', { metadata: { labels: { app: 'a' } } }), 'spec.template'],
    ['metadata labels invalid', obj('WorkloadGroup', { template: {}, metadata: { labels: { app: 'a b' } } }), 'spec.metadata.labels'],
    ['negative periodSeconds', obj('WorkloadGroup', { template: {}, probe: { periodSeconds: -1, tcpSocket: { port: 80 } } }), 'spec.probe.periodSeconds'],
    ['httpGet port 0', obj('WorkloadGroup', { template: {}, probe: { httpGet: { port: 0 } } }), 'spec.probe.httpGet.port'],
    ['httpGet scheme FTP', obj('WorkloadGroup', { template: {}, probe: { httpGet: { port: 80, scheme: 'FTP' } } }), 'spec.probe.httpGet.scheme'],
    ['httpGet header name x_a', obj('WorkloadGroup', { template: {}, probe: { httpGet: { port: 80, httpHeaders: [{ name: 'x_a' }] } } }), 'spec.probe.httpGet.httpHeaders[0].name'],
    ['exec without command', obj('WorkloadGroup', { template: {}, probe: { exec: { command: [] } } }), 'spec.probe.exec.command'],
  ],
  Telemetry: [
    ['selector and targetRefs', obj('Telemetry', { selector: { matchLabels: { app: 'a' } }, targetRefs: [{ kind: 'Service', group: '', name: 'a' }] }), 'spec'],
    ['provider without name', obj('Telemetry', { accessLogging: [{ providers: [{}] }] }), 'spec.accessLogging[0].providers[0].name'],
    ['filter expression not CEL', obj('Telemetry', { accessLogging: [{ filter: { expression: 'response.code >= ' } }] }), 'spec.accessLogging[0].filter.expression'],
    ['randomSamplingPercentage 101', obj('Telemetry', { tracing: [{ randomSamplingPercentage: 101 }] }), 'spec.tracing[0].randomSamplingPercentage'],
    ['empty literal tag', obj('Telemetry', { tracing: [{ customTags: { t: { literal: { value: '' } } } }] }), 'spec.tracing[0].customTags.t.literal.value'],
    ['REMOVE with a value', obj('Telemetry', { metrics: [{ overrides: [{ tagOverrides: { request_host: { operation: 'REMOVE', value: 'x' } } }] }] }), 'spec.metrics[0].overrides[0].tagOverrides.request_host.value'],
    ['UPSERT without a value', obj('Telemetry', { metrics: [{ overrides: [{ tagOverrides: { request_host: { operation: 'UPSERT' } } }] }] }), 'spec.metrics[0].overrides[0].tagOverrides.request_host.value'],
    ['empty customMetric', obj('Telemetry', { metrics: [{ overrides: [{ match: { customMetric: '' } }] }] }), 'spec.metrics[0].overrides[0].match.customMetric'],
  ],
  ProxyConfig: [
    ['concurrency -1', obj('ProxyConfig', { concurrency: -1 }), 'spec.concurrency'],
    ['selector with *', obj('ProxyConfig', { selector: { matchLabels: { app: '*' } } }), 'spec.selector.matchLabels.app'],
  ],
  WasmPlugin: [
    ['url ftp://', wasm({ url: 'ftp://example.com/plugin.wasm' }), 'spec.url'],
    ['url that does not parse', wasm({ url: '#%blah$#@' }), 'spec.url'],
    ['no url', wasm({ url: undefined }), 'spec.url'],
    ['sha256 ABC', wasm({ sha256: 'ABC' }), 'spec.sha256'],
    ['imagePullSecret over 253 characters', wasm({ imagePullSecret: 'a'.repeat(254) }), 'spec.imagePullSecret'],
    ['pluginName over 256 characters', wasm({ pluginName: 'a'.repeat(257) }), 'spec.pluginName'],
    ['env value with valueFrom HOST', wasm({ vmConfig: { env: [{ name: 'A', valueFrom: 'HOST', value: 'x' }] } }), 'spec.vmConfig.env[0].value'],
    ['env name duplicated', wasm({ vmConfig: { env: [{ name: 'A' }, { name: 'A' }] } }), 'spec.vmConfig.env[1].name'],
    ['match port 0', wasm({ match: [{ ports: [{ number: 0 }] }] }), 'spec.match[0].ports[0].number'],
    ['selector and targetRef', wasm({ targetRef: { kind: 'Service', group: '', name: 'a' } }), 'spec'],
  ],
  TrafficExtension: [
    ['both wasm and lua', obj('TrafficExtension', { wasm: { url: 'oci://a/b:1' }, lua: { inlineCode: 'x' } }), 'spec'],
    ['empty lua', obj('TrafficExtension', { lua: { inlineCode: '' } }), 'spec.lua.inlineCode'],
    ['wasm url scheme ftp', obj('TrafficExtension', { wasm: { url: 'ftp://a/b' } }), 'spec.wasm.url'],
  ],
};

/** A valid counterpart per kind, and a few valid edge cases the rules must not refuse. */
const VALID: Record<string, Manifest[]> = {
  'VirtualService': [
    vs({}),
    vs({ hosts: ['reviews.default.svc.cluster.local', '10.0.0.1'], gateways: ['mesh', 'istio-system/ingress'], exportTo: ['.'] }),
    obj('VirtualService', { hosts: ['*'], gateways: ['istio-system/gw'], http: [{ match: [{ uri: { prefix: '' }, headers: { '@request.auth.claims.group': { exact: 'admin' }, ':authority': { exact: 'a' } } }], route }] }),
    vsHttp({ retries: { attempts: 3, retryOn: '5xx,connect-failure,503', perTryTimeout: '2s' }, timeout: '10s', corsPolicy: { allowOrigins: [{ regex: 'https://.*\\.example\\.com' }], allowMethods: ['GET', '*'], allowHeaders: ['*', 'x-a'], maxAge: '24h' } }),
    vsHttp({ fault: { delay: { fixedDelay: '5s', percentage: { value: 0 } }, abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 0.0001 } } } }),
    vsHttp({ headers: { request: { set: { ':authority': 'a', 'x-a': '100%% %HOSTNAME% %REQ(x-b)%' }, remove: ['x-c'] }, response: { add: { 'x-d': 'e' } } } }),
    vs({ http: [{ match: [{ uri: { prefix: '/a' } }], redirect: { prefixRewrite: '/b', redirectCode: 308, scheme: 'https', port: 8443 } }, { directResponse: { status: 503, body: { string: 'down' } } }] }),
    vs({ http: [{ route: [{ destination: { host: 'a.default.svc.cluster.local', subset: 'v1' }, weight: 0 }, { destination: { host: 'a.default.svc.cluster.local', subset: 'v2' }, weight: 100 }] }] }),
    obj('VirtualService', { hosts: ['*.example.com'], gateways: ['istio-system/gw'], tls: [{ match: [{ sniHosts: ['a.example.com'], port: 443 }], route }], tcp: [{ match: [{ port: 31400, destinationSubnets: ['10.0.0.0/8'] }], route }] }),
    obj('VirtualService', { http: [{ match: [{ uri: { prefix: '/api' } }], route }] }), // a delegate
    vsHttp({ delegate: { name: 'd', namespace: 'default' }, route: undefined }),
    vsHttp({ mirrors: [{ destination: { host: 'b.default.svc.cluster.local' }, percentage: { value: 10 } }], rewrite: { uriRegexRewrite: { match: '^/a(.*)', rewrite: '/b\\1' } } }),
  ],
  'DestinationRule': [
    dr({}),
    dr({
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 100, idleTimeout: '0s', connectTimeout: '30ms' }, http: { http2KeepAlive: { interval: '10s', timeout: '1s' } } },
        outlierDetection: { consecutive5xxErrors: 7, interval: '5m', baseEjectionTime: '15m', maxEjectionPercent: 100, splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3 },
        loadBalancer: { simple: 'LEAST_REQUEST', localityLbSetting: { distribute: [{ from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } }] }, warmup: { duration: '60s', minimumPercent: 10, aggression: 1.5 } },
        tls: { mode: 'MUTUAL', clientCertificate: '/a', privateKey: '/b', insecureSkipVerify: true },
        portLevelSettings: [{ port: { number: 80 }, loadBalancer: { simple: 'RANDOM' } }],
      },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'V2', labels: { version: 'v2' }, trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'configmap://default/ca' } } }],
      exportTo: ['.'],
    }),
    lb({ consistentHash: { httpCookie: { name: 'session', ttl: '0s', attributes: [{ name: 'SameSite', value: 'Strict' }] }, maglev: { tableSize: 65537 } } }),
    dr({ workloadSelector: { matchLabels: { app: 'a' } }, exportTo: ['default'], trafficPolicy: { tunnel: { protocol: 'POST', targetHost: '10.0.0.1', targetPort: 8080 } } }),
  ],
  'Gateway': [
    gw([server({})]),
    gw([
      server({ hosts: ['prod/*.example.com', './a.example.com', '*/10.0.0.1', '*'], tls: { httpsRedirect: true } }),
      httpsServer({ mode: 'SIMPLE', credentialName: 'cert', minProtocolVersion: 'TLSV1_2' }),
      { port: { number: 8443, name: 'https-mutual', protocol: 'HTTPS' }, hosts: ['*.example.com'], tls: { mode: 'MUTUAL', serverCertificate: '/a', privateKey: '/b', caCertificates: '/c', caCrl: '/crl' } },
      { port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.local'], tls: { mode: 'AUTO_PASSTHROUGH' } },
      { port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix:///var/run/gw.sock', hosts: ['*.example.com'] },
    ]),
  ],
  'ServiceEntry': [
    se({}),
    se({ resolution: 'STATIC', addresses: ['10.0.0.0/16', '2001:db8::/32'], endpoints: [{ address: '10.0.0.1', ports: { https: 8443 }, labels: { app: 'a' } }], exportTo: ['~'] }),
    se({ hosts: ['a.example.com', 'b.example.com'], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'lb.example.com' }] }),
    se({ hosts: ['*.example.com'], resolution: 'DYNAMIC_DNS', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] }),
    se({ hosts: ['*.example.com'], resolution: 'NONE', addresses: ['10.0.0.0/8'], ports: [{ number: 3306, name: 'tcp', protocol: 'TCP' }] }),
    se({ resolution: 'STATIC', endpoints: [{ address: 'unix:///var/run/a.sock' }] }),
  ],
  'Sidecar': [
    sidecar({ egress: [{ hosts: ['./*', 'istio-system/*'] }] }),
    sidecar({
      workloadSelector: { labels: { app: 'reviews' } },
      ingress: [
        { port: { number: 9080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '127.0.0.1:8080' },
        { port: { number: 9443, protocol: 'HTTPS', name: 'https' }, defaultEndpoint: '[::1]:8443', tls: { mode: 'SIMPLE', serverCertificate: '/a', privateKey: '/b' } },
        { port: { number: 9090, protocol: 'TCP', name: 'tcp' }, defaultEndpoint: 'unix:///var/run/app.sock' },
      ],
      egress: [{ port: { number: 0, protocol: 'HTTP', name: 'uds' }, bind: 'unix:///var/run/egress.sock', hosts: ['~istio-system/*'] }, { hosts: ['*/*.example.com', './*'] }],
      outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } },
      inboundConnectionPool: { http: { http1MaxPendingRequests: 10 } },
    }),
  ],
  'PeerAuthentication': [
    obj('PeerAuthentication', { mtls: { mode: 'STRICT' } }),
    obj('PeerAuthentication', { selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 8080: { mode: 'DISABLE' } } }),
  ],
  'RequestAuthentication': [
    ra({ jwksUri: 'https://issuer.example.com/jwks', audiences: ['a'], fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }], fromParams: ['token'], fromCookies: ['session'], outputClaimToHeaders: [{ header: 'x-sub_1', claim: 'sub' }], timeout: '5s' }),
    ra({ jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc"}]}' }, { selector: undefined, targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' } }),
  ],
  'AuthorizationPolicy': [
    authz({}),
    authz({ action: 'DENY', rules: [{ from: [{ source: { notNamespaces: ['istio-system'], ipBlocks: ['10.0.0.0/8', '2001:db8::1'] } }], to: [{ operation: { ports: ['8080'], paths: ['/api/{*}/x', '/static/{**}'], methods: ['GET'] } }], when: [{ key: 'request.headers[x-a]', values: ['b'] }, { key: 'source.trustDomain', notValues: ['*.example.com'] }, { key: 'destination.port', values: ['443'] }] }] }),
    authz({ action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] }),
    authz({ action: 'ALLOW', selector: undefined, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }], rules: [{ from: [{ source: { serviceAccounts: ['ns/sa', 'sa2'] } }] }] }),
    obj('AuthorizationPolicy', { action: 'DENY', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } }),
  ],
  'EnvoyFilter': [
    ef(httpFilterPatch),
    ef({ applyTo: 'CLUSTER', match: { context: 'SIDECAR_OUTBOUND', cluster: { service: 'a.default.svc.cluster.local' } }, patch: { operation: 'REMOVE' } }),
    ef({ applyTo: 'HTTP_FILTER', match: { context: 'WAYPOINT', waypoint: { portNumber: 80 } }, patch: { operation: 'ADD' } }),
  ],
  'WorkloadEntry': [
    obj('WorkloadEntry', { address: '10.0.0.1', ports: { http: 8080 }, labels: { app: 'a' } }),
    obj('WorkloadEntry', { address: 'vm.example.com' }),
    obj('WorkloadEntry', { network: 'vpc1' }),
    obj('WorkloadEntry', { address: 'unix://@abstract' }),
  ],
  'WorkloadGroup': [
    obj('WorkloadGroup', { metadata: { labels: { app: 'a' } }, template: { ports: { http: 8080 } }, probe: { httpGet: { port: 8080, scheme: 'HTTPS', httpHeaders: [{ name: 'x-a' }] }, periodSeconds: 5 } }),
  ],
  'Telemetry': [
    obj('Telemetry', { accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }], tracing: [{ randomSamplingPercentage: 10, customTags: { t: { literal: { value: 'v' } } } }], metrics: [{ overrides: [{ tagOverrides: { request_host: { operation: 'REMOVE' } } }] }] }),
  ],
  'ProxyConfig': [obj('ProxyConfig', { concurrency: 0, selector: { matchLabels: { app: 'a' } } })],
  'WasmPlugin': [
    wasm({}),
    wasm({ url: 'file:///opt/plugin.wasm', sha256: 'a'.repeat(64), vmConfig: { env: [{ name: 'A', value: 'x' }, { name: 'B', valueFrom: 'HOST' }] }, match: [{ ports: [{ number: 8080 }] }] }),
    wasm({ url: 'ghcr.io/example/plugin:1.0' }),
  ],
  'TrafficExtension': [obj('TrafficExtension', { lua: { inlineCode: 'function envoy_on_request(h) end' } })],
};

/** [title, object, a substring of the warning's message or field]. */
const WARNINGS: Array<[string, Manifest, string]> = [
  ['empty matchLabels', obj('PeerAuthentication', { selector: { matchLabels: {} } }), 'spec.selector'],
  ['empty alpha selector labels', sidecar({ workloadSelector: { labels: {} }, egress: [{ hosts: ['./*'] }] }), 'spec.workloadSelector'],
  ['legacy gateway name.namespace', vs({ gateways: ['gw.istio-system'] }), 'spec.gateways[0]'],
  ['abort without error type', vsHttp({ fault: { abort: { percentage: { value: 1 } } } }), 'spec.http[0].fault.abort'],
  ['deprecated mirrorPercent', vsHttp({ mirror: { host: 'a.default.svc.cluster.local' }, mirrorPercent: 50 }), 'spec.http[0].mirrorPercent'],
  ['direct response body over 100 KiB', vs({ http: [{ directResponse: { status: 200, body: { string: 'x'.repeat(100 * 1024 + 1) } } }] }), 'spec.http[0].directResponse.body'],
  ['IP SNI host', obj('VirtualService', { hosts: ['*'], gateways: ['istio-system/gw'], tls: [{ match: [{ sniHosts: ['10.0.0.1'] }], route }] }), 'spec.tls[0].match[0].sniHosts[0]'],
  ['rule after a catch-all (IST0130)', vs({ http: [{ route }, { match: [{ uri: { prefix: '/a' } }], route }] }), 'spec.http[1]'],
  ['rule with repeated matches (IST0130)', vs({ http: [{ match: [{ uri: { exact: '/a' } }], route }, { match: [{ uri: { exact: '/a' } }], route }] }), 'spec.http[1]'],
  ['match covered by an earlier prefix (IST0131)', vs({ http: [{ match: [{ uri: { prefix: '/' } }], route }, { match: [{ uri: { prefix: '/api' } }], route }] }), 'spec.http[1].match[0]'],
  ['deprecated consecutiveErrors', dr({ trafficPolicy: { outlierDetection: { consecutiveErrors: 5 } } }), 'spec.trafficPolicy.outlierDetection.consecutiveErrors'],
  ['deprecated minimumRingSize', lb({ consistentHash: { httpHeaderName: 'x', minimumRingSize: 1024 } }), 'minimumRingSize'],
  ['failover without outlierDetection', lb({ localityLbSetting: { failover: [{ from: 'a', to: 'b' }] } }), 'spec.trafficPolicy.loadBalancer.localityLbSetting'],
  ['httpsRedirect on a non-HTTP (HTTPS) server', gw([httpsServer({ mode: 'SIMPLE', credentialName: 'c', httpsRedirect: true })]), 'spec.servers[0].tls.httpsRedirect'],
  ['certificates on a PASSTHROUGH server', gw([{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['*.example.com'], tls: { mode: 'PASSTHROUGH', credentialName: 'c' } }]), 'spec.servers[0].tls'],
  ['TLS 1.0 without ciphers', gw([httpsServer({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0' })]), 'spec.servers[0].tls.minProtocolVersion'],
  ['unknown and duplicate cipher suites', gw([httpsServer({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['NOPE', 'AES128-SHA', 'AES128-SHA'] })]), 'spec.servers[0].tls.cipherSuites'],
  ['more than 2 tlsCertificates', gw([httpsServer({ mode: 'SIMPLE', tlsCertificates: [1, 2, 3].map((i) => ({ serverCertificate: `/c${i}`, privateKey: `/k${i}` })) })]), 'spec.servers[0].tls.tlsCertificates'],
  // `foo*.example.com` is also an invalid wildcard domain (an error); `*foo.example.com` is only a partial wildcard.
  ['partial wildcard ServiceEntry host', se({ hosts: ['*foo.example.com'], resolution: 'NONE' }), 'spec.hosts[0]'],
  ['TCP port without addresses or auto-allocation', se({ resolution: 'NONE', ports: [{ number: 3306, name: 'tcp', protocol: 'TCP' }] }), 'spec.ports[0]'],
  ['NONE with a workloadSelector', se({ resolution: 'NONE', workloadSelector: { labels: { app: 'a' } } }), 'spec.workloadSelector'],
  ['DNS with addresses, a TCP port and two hosts', se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['10.0.0.1'], ports: [sePort] }), 'spec.hosts'],
  ['ingress HTTP pool on a TCP port', ingress({ port: { number: 9090, protocol: 'TCP', name: 'tcp' }, connectionPool: { http: { http1MaxPendingRequests: 1 } } }), 'spec.ingress[0].connectionPool.http'],
  ['duplicated egress host', sidecar({ egress: [{ hosts: ['ns/a.example.com', 'ns/a.example.com'] }] }), 'spec.egress[0].hosts[1]'],
  ['*/* next to other hosts', sidecar({ egress: [{ hosts: ['*/*', 'ns/a.example.com'] }] }), 'spec.egress[0].hosts'],
  ['private jwks key', ra({ jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc","d":"secret"}]}' }), 'spec.jwtRules[0].jwks'],
  ['DENY with only HTTP attributes', authz({ action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] }), 'spec.rules[0]'],
  ['every EnvoyFilter', ef(httpFilterPatch), 'spec'],
  ['filter match on FILTER_CHAIN', ef({ ...httpFilterPatch, applyTo: 'FILTER_CHAIN', patch: { operation: 'MERGE', value: {} } }), 'spec.configPatches[0].match.listener.filterChain.filter'],
  ['proxyVersion over 1024 characters', ef({ ...httpFilterPatch, match: { ...httpFilterPatch.match, proxy: { proxyVersion: 'a'.repeat(1025) } } }), 'spec.configPatches[0].match.proxy.proxyVersion'],
  ['WorkloadEntry with network only', obj('WorkloadEntry', { network: 'vpc1' }), 'spec.address'],
  ['two tracing entries and providers', obj('Telemetry', { tracing: [{ providers: [{ name: 'a' }, { name: 'b' }] }, {}] }), 'spec.tracing'],
  ['empty tag override name', obj('Telemetry', { metrics: [{ overrides: [{ tagOverrides: { '': { operation: 'REMOVE' } } }] }] }), 'spec.metrics[0].overrides[0].tagOverrides'],
];

describe('webhookIssues refuses the invalid examples of RULES.md', () => {
  for (const [kind, cases] of Object.entries(INVALID)) {
    describe(kind, () => {
      test.each(cases.map((c) => [c[0], c[1], c[2]] as const))('%s', (_title, manifest, field) => {
        const { errors } = webhookIssues(manifest);
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
        for (const e of errors) {
          expect(e.object).toBe(`${manifest.kind} default/${manifest.metadata.name}`);
          expect(e.message).toMatch(/^\S.*[^.]$/); // one sentence, no trailing period
        }
      });
    });
  }
});

describe('webhookIssues accepts valid counterparts', () => {
  for (const [kind, manifests] of Object.entries(VALID)) {
    test.each(manifests.map((m, i) => [i, m] as const))(`${kind} #%d`, (_i, manifest) => {
      expect(webhookIssues(manifest).errors).toEqual([]);
    });
  }
});

describe('webhookIssues warns (and does not refuse) where Istio only warns', () => {
  test.each(WARNINGS)('%s', (_title, manifest, field) => {
    const { errors, warnings } = webhookIssues(manifest);
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.field)).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
  });
});

describe('webhookIssues on objects it does not own', () => {
  test('Kubernetes and Gateway API kinds get no issues', () => {
    expect(webhookIssues({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a_b' }, spec: {} })).toEqual({ errors: [], warnings: [] });
    expect(webhookIssues({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'a.b' }, spec: {} })).toEqual({ errors: [], warnings: [] });
  });

  test('malformed shapes never throw', () => {
    for (const kind of Object.keys(API)) {
      for (const spec of [null, 'x', 42, [], { hosts: 'x', http: {}, servers: [null], rules: [null], jwtRules: [null], configPatches: [null, 1] }]) {
        expect(() => webhookIssues({ apiVersion: API[kind], kind, metadata: { name: 'x' }, spec } as any)).not.toThrow();
      }
    }
    expect(() => webhookIssues(null as any)).not.toThrow();
  });
});

/**
 * Istio's admission fixtures through the webhook rules alone. Some invalid documents are only the
 * schema's or a CEL rule's to refuse (enum values, `minLength`, waypoint matches); the combined
 * score is test/validation-fixtures.test.ts's. Here: no valid document is refused, and the invalid
 * ones the webhook is known to catch are caught.
 */
describe('Istio\'s admission fixtures, webhook rules only', () => {
  const dir = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'validation', 'testdata', 'crds');
  const docs: Array<{ id: string; invalid: boolean; manifest: Manifest }> = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    // Go's YAML reads the unquoted `001:db8::` of serviceentry-valid.yaml as one string; quote it for YAML 1.2.
    const source = fs.readFileSync(path.join(dir, file), 'utf8').replace('[1.2.3.4, 001:db8::]', '[1.2.3.4, "001:db8::"]');
    parseAllDocuments(source).forEach((d, i) => {
      const js = d.toJS();
      if (!js) return;
      delete js._err;
      docs.push({ id: `${file} #${i} ${js.metadata?.name}`, invalid: file.endsWith('-invalid.yaml'), manifest: js });
    });
  }
  const caught = docs.filter((d) => d.invalid && webhookIssues(d.manifest).errors.length > 0);
  /** Invalid documents only the CRD schema or CEL refuses (enums, minLength, type errors, waypoint CEL rules). */
  const SCHEMA_ONLY = ['envoyfilter-invalid.yaml #1', 'envoyfilter-invalid.yaml #2', 'peerauth-invalid.yaml #0', 'reqauth-invalid.yaml #6',
    'reqauth-invalid.yaml #18', 'reqauth-invalid.yaml #19', 'wasm-invalid.yaml #5', 'wasm-invalid.yaml #6'];

  test('every valid document is accepted', () => {
    const refused = docs.filter((d) => !d.invalid).map((d) => ({ id: d.id, errors: webhookIssues(d.manifest).errors })).filter((d) => d.errors.length);
    expect(refused).toEqual([]);
  });

  test('every invalid document that is not schema-only is refused', () => {
    const invalid = docs.filter((d) => d.invalid);
    // eslint-disable-next-line no-console
    console.log(`webhook rules alone: ${caught.length}/${invalid.length} invalid fixture documents refused`);
    const missed = invalid.filter((d) => !caught.includes(d) && !SCHEMA_ONLY.some((s) => d.id.startsWith(s))).map((d) => d.id);
    expect(missed).toEqual([]);
    expect(invalid.length).toBe(77);
  });
});
