/**
 * Arbitraries of the props parts several builders share: versions, HTTP matches, retries, header
 * operations, faults, mirrors, traffic policies, gateway bindings and authorization rules. Each
 * covers the full range of its fields' types (see `edgy`), with optional fields present and
 * absent.
 */
import * as fc from 'fast-check';
import { AuthorizationAction, ClientTlsMode, GrpcStatus, LoadBalancerAlgorithm, RetryOn } from '../../src';
import {
  EXOTIC_STRINGS, bool, edgeNumber, edgy, enumOf, exoticString, host, hostname, int, label, labels, name, percentage, props, someProps, urlPath,
} from './primitives';
import { call, duration, gatewayHosts, ingressGateway, portNumber, principal, stringMatch } from './values';

// ---------------------------------------------------------------------------------------------
// Versions

/** Distinct version names (1-5), sometimes with an edge name. */
export const versionNames: fc.Arbitrary<unknown[]> = fc.uniqueArray(label, { minLength: 1, maxLength: 5 })
  .chain((names) => fc.tuple(...names.map((n) => edgy(fc.constant(n), name))));

/** Versions for `names`: by weight (mostly), by percent (totalling 100), or mixed. */
export function versions(names: unknown[], opts: { trafficPolicy?: boolean } = {}): fc.Arbitrary<unknown[]> {
  const extra = (n: unknown) => props({
    labels,
    trafficPolicy: opts.trafficPolicy ? trafficPolicy({ loadBalancer: true }) : fc.constant(undefined),
  }).map((e) => ({ name: n, ...e }));
  const byWeight = fc.tuple(...names.map((n) => fc.tuple(extra(n), fc.option(int(0, 1000), { nil: undefined, freq: 10 }))))
    .map((vs) => vs.map(([v, w]) => (w === undefined ? v : { ...v, weight: w })));
  const byPercent = fc.tuple(...names.map(() => fc.nat(100))).chain((cuts) => {
    const sorted = [...cuts.slice(1)].sort((a, b) => a - b);
    const bounds = [0, ...sorted, 100];
    const percents = names.map((_, i) => bounds[i + 1] - bounds[i]);
    return fc.tuple(...names.map((n, i) => fc.tuple(extra(n), edgy(fc.constant(percents[i]), edgeNumber))))
      .map((vs) => vs.map(([v, p]) => ({ ...v, percent: p })));
  });
  const mixed = fc.tuple(byWeight, byPercent).map(([w, p]) => w.map((v, i) => (i % 2 ? p[i] : v)));
  return edgy(fc.oneof({ weight: 3, arbitrary: byWeight }, { weight: 1, arbitrary: byPercent }), mixed) as fc.Arbitrary<unknown[]>;
}

/** A weighted split across some of `names`. */
export function split(names: unknown[]): fc.Arbitrary<unknown> {
  return fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: names.length })
    .chain((vs) => fc.tuple(...vs.map((version) => int(0, 100).map((weight) => ({ version, weight })))));
}

// ---------------------------------------------------------------------------------------------
// HTTP

const headerName: fc.Arbitrary<unknown> = edgy(fc.constantFrom('x-user', 'end-user', 'x-request-id', 'x-b3-traceid', 'X-Mixed-Case', 'user-agent', 'cookie'),
  exoticString, fc.constantFrom(':authority', ':path', ':method', ':status', 'host', 'Host', 'a b', 'a:b', '', 'x'.repeat(1000)));

/** An HttpMatch: one to a few conditions (rarely none). */
export const httpMatch: fc.Arbitrary<unknown> = props({
  uri: stringMatch(edgy(urlPath, exoticString)),
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH').map(call.exact), stringMatch()),
  headers: fc.dictionary(fc.oneof(fc.constantFrom('end-user', 'x-canary', 'x-version'), exoticString), stringMatch(), { minKeys: 1, maxKeys: 2 }),
  userAgent: stringMatch(),
  cookie: stringMatch(),
  queryParams: fc.dictionary(fc.oneof(label, exoticString), stringMatch(), { minKeys: 1, maxKeys: 2 }),
  sourceLabels: labels,
  port: portNumber,
  ignoreUriCase: bool,
});

/** Retries. */
export const retries: fc.Arbitrary<unknown> = props({
  attempts: int(0, 10),
  perTryTimeout: duration,
  retryOn: edgy(fc.uniqueArray(fc.oneof(fc.constantFrom(...Object.values(RetryOn)), fc.constantFrom('503', '429', '502')), { minLength: 1, maxLength: 3 }),
    fc.constantFrom([], [''], ['5xx,reset'], ['600'], ['099'], ['5XX'], [' 5xx'], ['5xx', '5xx']), fc.array(exoticString, { maxLength: 2 })),
}, ['attempts']);

const headerValue: fc.Arbitrary<unknown> = edgy(fc.oneof(label, fc.constantFrom('max-age=31536000', 'no-cache', '%DOWNSTREAM_REMOTE_ADDRESS%', '%%', 'a%%b', '%REQ(x-id)%', '')), exoticString);

/** Header operations of one direction. */
const headerOps: fc.Arbitrary<unknown> = props({
  set: fc.dictionary(headerName as fc.Arbitrary<string>, headerValue, { maxKeys: 2 }),
  add: fc.dictionary(headerName as fc.Arbitrary<string>, headerValue, { maxKeys: 2 }),
  remove: fc.array(headerName, { maxLength: 2 }),
});

/** Route header manipulation. */
export const headers: fc.Arbitrary<unknown> = someProps({ request: headerOps, response: headerOps });

/** Fault injection. */
export const fault: fc.Arbitrary<unknown> = someProps({
  abort: props({
    httpStatus: edgy(fc.constantFrom(400, 404, 500, 503, 200, 600), edgeNumber),
    grpcStatus: enumOf(Object.values(GrpcStatus)),
    percentage,
  }),
  delay: props({ fixedDelay: duration, percentage }, ['fixedDelay']),
});

/** A mirror to one of `names`. */
export function mirror(names: unknown[]): fc.Arbitrary<unknown> {
  return props({ version: edgy(fc.constantFrom(...names), name), percentage }, ['version']);
}

// ---------------------------------------------------------------------------------------------
// Traffic policy

const count32: fc.Arbitrary<unknown> = int(0, 10_000);

const connectionPool: fc.Arbitrary<unknown> = someProps({
  tcp: props({
    maxConnections: count32,
    connectTimeout: duration,
    tcpKeepalive: someProps({ time: duration, interval: duration, probes: int(0, 10) }),
  }),
  http: props({
    http1MaxPendingRequests: count32,
    http2MaxRequests: count32,
    maxRequestsPerConnection: count32,
    maxRetries: count32,
    idleTimeout: duration,
  }),
});

const outlierDetection: fc.Arbitrary<unknown> = someProps({
  consecutive5xxErrors: int(0, 100),
  consecutiveGatewayErrors: int(0, 100),
  interval: duration,
  baseEjectionTime: duration,
  maxEjectionPercent: int(0, 100),
  minHealthPercent: int(0, 100),
});

const loadBalancer: fc.Arbitrary<unknown> = props({
  algorithm: enumOf(Object.values(LoadBalancerAlgorithm)),
  warmup: props({ duration, minimumPercent: percentage, aggression: edgy(fc.double({ min: 0.1, max: 10, noNaN: true }), edgeNumber) }, ['duration']),
});

const CLIENT_TLS_MODES = Object.values(ClientTlsMode) as string[];
const clientTls: fc.Arbitrary<unknown> = fc.oneof(
  // mostly the fields each mode takes
  fc.constantFrom('DISABLE', 'ISTIO_MUTUAL').map((mode) => ({ mode })),
  props({ mode: fc.constant('SIMPLE'), credentialName: edgy(label, exoticString), sni: edgy(hostname, exoticString), subjectAltNames: fc.array(edgy(hostname, exoticString), { maxLength: 2 }) }, ['mode']),
  props({ mode: fc.constant('MUTUAL'), credentialName: edgy(label, exoticString), sni: edgy(hostname, exoticString), subjectAltNames: fc.array(edgy(hostname, exoticString), { maxLength: 2 }) }, ['mode', 'credentialName']),
).chain((t) => edgy(fc.constant(t), props({
  mode: enumOf(CLIENT_TLS_MODES),
  credentialName: edgy(label, exoticString),
  sni: edgy(hostname, exoticString),
  subjectAltNames: fc.array(edgy(hostname, exoticString), { maxLength: 2 }),
}, ['mode'])));

/** A TrafficPolicy; `loadBalancer: false` leaves the load balancer out (StickyService). */
export function trafficPolicy(opts: { loadBalancer?: boolean } = {}): fc.Arbitrary<unknown> {
  const lb = opts.loadBalancer === false ? fc.constant(undefined) : loadBalancer;
  return someProps({
    connectionPool,
    outlierDetection,
    loadBalancer: lb,
    tls: clientTls,
    portLevelSettings: fc.array(fc.tuple(portNumber, someProps({ connectionPool, outlierDetection, loadBalancer: lb, tls: clientTls })).map(([port, p]) => ({ port, ...p })), { maxLength: 2 }),
  });
}

// ---------------------------------------------------------------------------------------------
// Gateway binding

/** A GatewayBinding: a new Gateway on an IngressGateway that exposes the port (mostly), or an existing Gateway. */
export const gatewayBinding: fc.Arbitrary<unknown> = fc.record({
  hosts: edgy(gatewayHosts, fc.array(host, { maxLength: 3 }), fc.constantFrom(['*'], ['*.example.com'], ['a.example.com', 'a.example.com'])),
  port: fc.option(edgy(fc.constantFrom(80, 8080), portNumber), { nil: undefined }),
  allowWildcardHosts: fc.option(bool, { nil: undefined }),
  includeMesh: fc.option(bool, { nil: undefined }),
  gatewayName: fc.option(name, { nil: undefined, freq: 3 }),
  gatewayNamespace: fc.option(name, { nil: undefined, freq: 3 }),
  existing: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  both: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
}).chain((r) => {
  const port = typeof r.port === 'number' && Number.isInteger(r.port) && r.port >= 1 && r.port <= 65535 ? r.port : 80;
  const hosts = Array.isArray(r.hosts) ? r.hosts.filter((h): h is string => typeof h === 'string') : [];
  return fc.record({
    gateway: ingressGateway([port]),
    existingGateway: props({ name, namespace: name, hosts: edgy(fc.constant([...hosts, '*.example.com']), fc.array(host, { maxLength: 2 })) }, ['name', 'namespace', 'hosts']),
  }).map(({ gateway, existingGateway }) => {
    const out: Record<string, unknown> = { hosts: r.hosts };
    if (!r.existing || r.both) out.gateway = gateway;
    if (r.existing || r.both) out.existingGateway = existingGateway;
    for (const k of ['port', 'allowWildcardHosts', 'includeMesh', 'gatewayName', 'gatewayNamespace'] as const) if (r[k] !== undefined) out[k] = r[k];
    return out;
  });
});

// ---------------------------------------------------------------------------------------------
// Authorization

const cidr: fc.Arbitrary<unknown> = edgy(
  fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 })).map(([a, b, len]) => `${a}.${b}.0.0/${len}`),
    fc.constantFrom('10.0.0.1', '192.168.0.0/16', '2001:db8::/32', '::1', '0.0.0.0/0'),
  ),
  exoticString, fc.constantFrom('10.0.0.1/8', '1.2.3.4/33', '01.2.3.4', '1.2.3', '::ffff:1.2.3.4/120', '2001:db8::/129', '10.0.0.0/ 8'),
);

const pathPattern: fc.Arbitrary<unknown> = edgy(
  fc.oneof(urlPath, urlPath.map((p) => `${p}*`), urlPath.map((p) => `*${p}`), fc.constantFrom('/api/{*}/items', '/api/{**}', '/a/{*}')),
  exoticString, fc.constantFrom('/{**}/a', '/a{*}', '/{x}', '{*}', '*', '/a*b', '**', '/a/{**}/'),
);

function list<T>(item: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return edgy(fc.array(item, { minLength: 1, maxLength: 3 }), fc.constantFrom([], [''], [null]), fc.array(exoticString, { maxLength: 2 }));
}

const source: fc.Arbitrary<unknown> = props({
  principals: list(principal),
  notPrincipals: list(principal),
  namespaces: list(edgy(label, exoticString)),
  notNamespaces: list(edgy(label, exoticString)),
  ipBlocks: list(cidr),
  notIpBlocks: list(cidr),
  remoteIpBlocks: list(cidr),
  notRemoteIpBlocks: list(cidr),
  requestPrincipals: list(edgy(fc.constantFrom('*', 'https://issuer.example.com/user1', 'iss/sub', '*/sub', 'iss/*'), exoticString)),
  notRequestPrincipals: list(edgy(fc.constantFrom('*', 'iss/sub'), exoticString)),
});

const methods = list(edgy(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'), fc.constantFrom('get', 'PROPFIND', '*', 'GET ', '')));
const authzPorts = edgy(fc.array(edgy(fc.constantFrom(80, 443, 8080, 9080), portNumber), { minLength: 1, maxLength: 3 }), fc.constantFrom([], ['80'], [0]));
const hostPattern = edgy(fc.oneof(hostname, hostname.map((h) => `${h}:8080`), hostname.map((h) => `${h}:*`), fc.constantFrom('*.example.com', '*')), host, fc.constantFrom('a.com:99999', 'a.com:', 'a.com:x'));

const operation: fc.Arbitrary<unknown> = props({
  methods,
  notMethods: methods,
  paths: list(pathPattern),
  notPaths: list(pathPattern),
  ports: authzPorts,
  notPorts: authzPorts,
  hosts: list(hostPattern),
  notHosts: list(hostPattern),
});

const whenKey: fc.Arbitrary<unknown> = edgy(
  fc.constantFrom('request.auth.claims[iss]', 'request.auth.claims[groups]', 'request.auth.claims[a][b]', 'request.headers[x-token]', 'source.ip', 'remote.ip',
    'source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'destination.ip', 'destination.port',
    'connection.sni', 'experimental.envoy.filters.network.mysql_proxy[db.table]', 'source.serviceAccount', 'source.trustDomain'),
  exoticString, fc.constantFrom('request.headers[]', 'request.auth.claims[', 'request.headers[a][b]', 'source.ip ', 'destination.port[x]'),
);

const condition: fc.Arbitrary<unknown> = props({
  key: whenKey,
  values: list(edgy(fc.oneof(label, fc.constantFrom('10.0.0.0/8', '8080', 'https://accounts.google.com')), exoticString)),
  notValues: list(edgy(label, exoticString)),
}, ['key']);

/** One authorization rule. */
export const authorizationRule: fc.Arbitrary<unknown> = props({
  from: edgy(fc.array(source, { minLength: 1, maxLength: 2 }), fc.constant([])),
  to: edgy(fc.array(operation, { minLength: 1, maxLength: 2 }), fc.constant([])),
  when: fc.array(condition, { maxLength: 2 }),
});

/** Authorization rules (rarely none). */
export const authorizationRules: fc.Arbitrary<unknown> = fc.array(authorizationRule, { maxLength: 3 });

/** An authorization action. */
export const authorizationAction: fc.Arbitrary<unknown> = enumOf(Object.values(AuthorizationAction));

/** Strings that look like secrets' names. */
export const secretName: fc.Arbitrary<unknown> = edgy(fc.oneof(label, label.map((l) => `${l}.tls`)), exoticString, fc.constantFrom('a'.repeat(253), 'a'.repeat(254), 'Cert', 'a_b'));

export { EXOTIC_STRINGS };

/** A routing target: mostly the Gateway API (the Istio API is the default when none is given), with edge versions and channels. */
export const routingTarget: fc.Arbitrary<unknown> = fc.record({
  api: edgy(fc.constantFrom('gateway-api', 'istio'), fc.constantFrom('gateway', '', 'ISTIO')),
  gatewayApiVersion: fc.option(edgy(fc.constantFrom('v1.6.0', '1.5', 'v1.7.0', 'v1.1.0'), fc.constantFrom('v1.0.0', 'v2.0', 'latest', '')), { nil: undefined, freq: 2 }),
  gatewayApiChannel: fc.option(edgy(fc.constantFrom('standard', 'experimental'), fc.constant('beta')), { nil: undefined, freq: 2 }),
}).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
