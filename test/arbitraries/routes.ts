/**
 * Arbitraries of the plain routes (HttpRoute, TcpRoute, TlsRoute).
 *
 * - `validHttpRouteProps`, `validTcpRouteProps`, `validTlsRouteProps`: strictly valid props built
 *   from real value-type instances, with what the output must keep (`RouteCase`), for the property
 *   tests (test/routes-properties.test.ts) and the fuzzer;
 * - `corruptHttpRoute`, `corruptTcpRoute`, `corruptTlsRoute`: changes that make valid props invalid
 *   in one known way;
 * - `httpRouteRecipes`, `tcpRouteRecipes`, `tlsRouteRecipes`: valid-looking recipes with edge
 *   values anywhere (factories called at realize time), for the fuzz table (builders.ts).
 */
import * as fc from 'fast-check';
import {
  ExternalHost, GatewayRef, HttpRouteProps, Protocol, RedirectScheme, ServiceRef, StringMatch, TcpRouteProps, TlsRouteProps,
} from '../../src';
import { fault, headers, httpMatch, retries, routingTarget } from './parts';
import { bool, edgy, exoticString, host, hostname, int, label, labels, name, props, urlPath } from './primitives';
import { Call } from './recipe';
import { duration, portNumber, serviceRef, stringMatch } from './values';

type Change = (p: any) => any;

/** Where a strictly valid route applies. */
type Mode = 'mesh' | 'gateways' | 'both';
const mode: fc.Arbitrary<Mode> = fc.constantFrom('mesh', 'gateways', 'both');

/** 1-2 existing Gateways with distinct names, each serving its own host (`<label>.<label>.example.com`). */
const gatewayRefs: fc.Arbitrary<GatewayRef[]> = fc.uniqueArray(fc.tuple(label, label, hostname), { minLength: 1, maxLength: 2, selector: ([n, ns]) => `${ns}/${n}` })
  .filter((gs) => new Set(gs.map(([, , h]) => h)).size === gs.length)
  .map((gs) => gs.map(([n, ns, h]) => ({ name: n, namespace: ns, hosts: [h] })));

// ---------------------------------------------------------------------------------------------
// HttpRoute

/** The HTTP destination of the strictly valid props: a Service or an external host, one HTTP port. */
const httpDestination = fc.tuple(fc.boolean(), label, label, fc.integer({ min: 1, max: 65535 })).map(([external, n, ns, port]) => (external
  ? ExternalHost.fromName(`${n}.example-${ns}.org`, { ports: [{ port, protocol: Protocol.HTTP }] })
  : ServiceRef.fromName(n, { namespace: ns, ports: [{ port, protocol: Protocol.HTTP }] })));

/** Valid HttpRoute props. */
export const validHttpRouteProps: fc.Arbitrary<HttpRouteProps> = fc.tuple(httpDestination, mode, gatewayRefs).chain(([destination, m, gws]) => {
  const gateways = m === 'mesh' ? undefined : gws;
  const scope = fc.option(fc.record({
    gateways: gateways ? fc.subarray(gateways, { minLength: 1 }) : fc.constant(undefined),
    mesh: m === 'gateways' ? fc.constant(undefined) : fc.boolean(),
  }).filter((s) => (s.gateways?.length ?? 0) > 0 || s.mesh === true)
    .map((s) => ({ ...(s.gateways ? { gateways: s.gateways } : {}), ...(s.mesh !== undefined ? { mesh: s.mesh } : {}) })), { nil: undefined, freq: 2 });
  const match = fc.oneof(
    urlPath.map((p) => ({ uri: StringMatch.prefix(p) })),
    urlPath.map((p) => ({ uri: StringMatch.exact(p) })),
    fc.constantFrom('GET', 'POST').map((v) => ({ method: StringMatch.exact(v) })),
    fc.tuple(label, label).map(([h, v]) => ({ headers: { [`x-${h}`]: StringMatch.exact(v) } })),
  );
  const action = fc.oneof(
    { weight: 4, arbitrary: fc.record({ timeoutMs: fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }), attempts: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), rewrite: fc.option(urlPath.map((u) => (u.endsWith('/') ? u : `${u}/`)), { nil: undefined }) })
      .map((a) => ({
        ...(a.timeoutMs !== undefined ? { timeout: `${a.timeoutMs}ms` } : {}),
        ...(a.attempts !== undefined ? { retries: { attempts: a.attempts } } : {}),
        ...(a.rewrite !== undefined ? { rewrite: { uri: a.rewrite } } : {}),
      })) },
    { weight: 1, arbitrary: fc.record({ uri: urlPath, redirectCode: fc.constantFrom(301, 302, 303, 307, 308) }).map((redirect) => ({ redirect })) },
    { weight: 1, arbitrary: fc.record({ scheme: fc.constant(RedirectScheme.HTTPS) }).map((redirect) => ({ redirect })) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }).map((status) => ({ directResponse: { status, body: 'no' } })) },
  );
  const rule = fc.tuple(fc.array(match, { minLength: 1, maxLength: 3 }), scope, action, fc.option(label, { nil: undefined }))
    .map(([ms, appliesTo, a, n]) => ({ ...(n ? { name: n } : {}), match: ms, ...(appliesTo ? { appliesTo } : {}), ...a }));
  return fc.record({
    name: label,
    rules: fc.array(rule, { maxLength: 3 }),
    routeUnmatched: fc.boolean(),
    timeoutMs: fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }),
  }).map((r) => {
    const routeUnmatched = r.rules.length === 0 ? true : r.routeUnmatched;
    const out: Record<string, unknown> = {
      name: r.name,
      destination,
      ...(destination instanceof ExternalHost ? { namespace: 'default' } : {}),
      ...(gateways ? { gateways, hosts: gateways.map((g) => g.hosts[0]) } : {}),
      ...(m === 'both' ? { mesh: true } : {}),
      rules: r.rules,
      routeUnmatched,
      ...(routeUnmatched && r.timeoutMs !== undefined ? { timeout: `${r.timeoutMs}ms` } : {}),
    };
    return out as unknown as HttpRouteProps;
  });
});

/** Corruptions of HttpRoute props: each is refused, whatever the props. */
export const corruptHttpRoute: fc.Arbitrary<Change> = fc.oneof(
  fc.constant((p: any) => ({ ...p, name: 'Bad_Name' })),
  fc.integer({ min: 65536 }).map((port) => (p: any) => ({ ...p, port })),
  fc.constant((p: any) => ({ ...p, port: 1 })), // the destination port is never 1 in the valid props... unless drawn: see below
  fc.constant((p: any) => ({ ...p, gateways: [] })),
  fc.constant((p: any) => ({ ...p, gateways: undefined, hosts: undefined, mesh: false })),
  fc.constant((p: any) => ({ ...p, rules: [{ match: [] }] })),
  fc.constant((p: any) => ({ ...p, routeUnmatched: true, timeout: '0s' })),
  fc.constant((p: any) => ({ ...p, destination: { host: 'x.example.com' } })),
  fc.constant((p: any) => ({ ...p, rules: [{ match: [{ uri: StringMatch.prefix('/x') }], redirect: {} }] })),
  fc.constant((p: any) => ({ ...p, routeUnmatched: true, cors: { allowOrigins: [] } })),
  fc.constant((p: any) => ({ ...p, rules: [{ match: [{ uri: StringMatch.prefix('/x') }], appliesTo: { gateways: [{ name: 'not-bound', namespace: 'nowhere', hosts: ['*'] }] } }] })),
  fc.constant((p: any) => ({ ...p, subsets: ['v1'] })),
).map((change) => (p: any) => {
  const out = change(p);
  // `port: 1` is only a corruption when 1 is not the destination's port.
  if (out.port === 1 && p.destination.ports[0].port === 1) return { ...out, port: 2 };
  return out;
});

// ---------------------------------------------------------------------------------------------
// TcpRoute

/** Valid TcpRoute props: a Service with 1-2 TCP ports; gateways serve `*` (a TCP server carries no host). */
export const validTcpRouteProps: fc.Arbitrary<TcpRouteProps> = fc.tuple(
  label, label, fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 2 }), mode, gatewayRefs, fc.integer({ min: 1, max: 65535 }), fc.boolean(), fc.option(fc.tuple(label, label), { nil: undefined }),
).map(([n, ns, ports, m, gws, gatewayPort, otherPort, source]) => {
  const destination = ServiceRef.fromName(n, { namespace: ns, ports: ports.map((port) => ({ port, protocol: Protocol.TCP })) });
  const gateways = m === 'mesh' ? undefined : gws.map((g) => ({ ...g, hosts: ['*'] }));
  const port = m === 'gateways' ? gatewayPort : ports[0];
  return {
    name: n,
    destination,
    ...(gateways ? { gateways } : {}),
    ...(m === 'both' ? { mesh: true } : {}),
    port,
    ...(otherPort && ports.length > 1 ? { destinationPort: ports[1] } : m === 'gateways' ? { destinationPort: ports[0] } : {}),
    ...(m === 'mesh' && source ? { sourceLabels: { [source[0]]: source[1] } } : {}),
  };
});

/** Corruptions of TcpRoute props: each is refused, whatever the props. */
export const corruptTcpRoute: fc.Arbitrary<Change> = fc.oneof(
  fc.constant((p: any) => ({ ...p, name: 'Bad_Name' })),
  fc.integer({ min: 65536 }).map((port) => (p: any) => ({ ...p, port })),
  // A port the destination does not expose: the highest free one (the old arithmetic picked 65534 when only 65534 was exposed).
  fc.constant((p: any) => ({ ...p, destinationPort: unexposedPort(p.destination.ports) })),
  fc.constant((p: any) => ({ ...p, gateways: [{ name: 'g', namespace: 'istio-system', hosts: ['*'] }], sourceLabels: { app: 'a' } })),
  fc.constant((p: any) => ({ ...p, sourceSubnet: '10.0.0.0/8' })),
  fc.constant((p: any) => ({ ...p, gateways: undefined, mesh: false })),
  fc.constant((p: any) => ({ ...p, gateways: [{ name: 'g', namespace: 'istio-system', hosts: ['not-this-ns-0/db.example.com'] }], mesh: false, hosts: undefined })),
);

// ---------------------------------------------------------------------------------------------
// TlsRoute

/** Valid TlsRoute props: a Service with one TLS port; gateways serve the SNI hosts. */
export const validTlsRouteProps: fc.Arbitrary<TlsRouteProps> = fc.tuple(
  label, label, fc.integer({ min: 1, max: 65535 }), mode, gatewayRefs, fc.uniqueArray(hostname, { minLength: 1, maxLength: 2 }), fc.boolean(),
).map(([n, ns, dport, m, gws, sni, withPort]) => {
  const destination = ServiceRef.fromName(n, { namespace: ns, ports: [{ port: dport, protocol: Protocol.TLS }] });
  const gateways = m === 'mesh' ? undefined : gws.map((g) => ({ ...g, hosts: [...sni] }));
  return {
    name: n,
    destination,
    sniHosts: sni,
    ...(gateways ? { gateways } : {}),
    ...(m === 'both' ? { mesh: true } : {}),
    ...(withPort ? { port: m === 'gateways' ? 443 : dport } : {}),
  };
});

/** Corruptions of TlsRoute props: each is refused, whatever the props. */
export const corruptTlsRoute: fc.Arbitrary<Change> = fc.oneof(
  fc.constant((p: any) => ({ ...p, sniHosts: [] })),
  fc.constant((p: any) => ({ ...p, sniHosts: ['*.example.com'], allowWildcardHosts: false })),
  fc.constant((p: any) => ({ ...p, hosts: ['unrelated.example.net'], gateways: undefined, mesh: undefined })),
  fc.constant((p: any) => ({ ...p, name: 'Bad_Name' })),
  fc.constant((p: any) => ({ ...p, gateways: [{ name: 'g', namespace: 'istio-system', hosts: ['*'] }], sourceLabels: { app: 'a' } })),
);

// ---------------------------------------------------------------------------------------------
// Fuzz recipes

/** `ExternalHost.fromName(...)` at realize time. */
const externalHost = (...args: unknown[]) => new Call('ExternalHost.fromName', ExternalHost.fromName as any, args);

/** A destination recipe with its port numbers: a ServiceRef, or an ExternalHost with 0-2 ports. */
const destinationRecipe: fc.Arbitrary<{ recipe: unknown; ports: number[] }> = fc.oneof(
  { weight: 3, arbitrary: serviceRef.map((s) => ({ recipe: s.recipe, ports: s.ports })) },
  {
    weight: 2,
    arbitrary: fc.tuple(edgy(fc.oneof(hostname, fc.constantFrom('httpbin.org', '*.wikipedia.org')), host), fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      fc.constantFrom(Protocol.HTTP, Protocol.TLS, Protocol.TCP, Protocol.HTTPS))
      .map(([h, ports, protocol]) => ({ recipe: externalHost(h, ports ? { ports: ports.map((port) => ({ port, protocol })) } : {}), ports: ports ?? [] })),
  },
);

/** A GatewayRef recipe (plain object), sometimes with odd hosts or names. */
const gatewayRefRecipe: fc.Arbitrary<unknown> = props({
  name, namespace: name, hosts: edgy(fc.array(hostname, { minLength: 1, maxLength: 2 }), fc.array(host, { maxLength: 2 }), fc.constantFrom(['*'], ['*.example.com'], ['./a.example.com'], ['*/a.example.com'])),
}, ['name', 'namespace', 'hosts']);

/** Common route props: name, namespace, destination, gateways, mesh, hosts. */
function baseRecipe(dest: { recipe: unknown }, gws: unknown[]) {
  return {
    name,
    namespace: edgy(fc.constant(undefined), name),
    destination: fc.constant(dest.recipe),
    gateways: edgy(fc.constant(gws.length ? gws : undefined), fc.constant([]), fc.array(gatewayRefRecipe, { maxLength: 2 })),
    mesh: fc.option(bool, { nil: undefined }),
    hosts: edgy(fc.constant(undefined), fc.array(host, { minLength: 1, maxLength: 3 }), fc.array(hostname, { minLength: 1, maxLength: 2 })),
    allowWildcardHosts: fc.option(bool, { nil: undefined }),
    target: fc.option(routingTarget, { nil: undefined }),
  };
}

const ruleScope = (gws: unknown[]) => props({ gateways: edgy(gws.length ? fc.subarray(gws) : fc.constant(undefined), fc.array(gatewayRefRecipe, { maxLength: 1 })), mesh: bool });

/** Valid-looking HttpRoute recipes. */
export const httpRouteRecipes: fc.Arbitrary<unknown> = fc.tuple(destinationRecipe, fc.array(gatewayRefRecipe, { maxLength: 2 })).chain(([dest, gws]) => {
  const rule = props({
    name,
    match: edgy(fc.array(httpMatch, { minLength: 1, maxLength: 2 }), fc.constant([])),
    appliesTo: ruleScope(gws),
    retries, timeout: duration, headers, fault,
    rewrite: props({ uri: edgy(urlPath, exoticString), uriRegexRewrite: props({ match: edgy(fc.constantFrom('^/a/(.*)', '^/(v[0-9])/'), exoticString), rewrite: edgy(fc.constantFrom('/\\1', '/b'), exoticString) }, ['match', 'rewrite']), authority: edgy(hostname, exoticString) }),
    redirect: props({ uri: edgy(urlPath, exoticString), authority: edgy(hostname, exoticString), port: portNumber, scheme: edgy(fc.constantFrom('http', 'https'), exoticString), redirectCode: edgy(fc.constantFrom(301, 302, 308), int(100, 600)) }),
    directResponse: props({ status: int(200, 600), body: edgy(fc.constantFrom('ok', ''), exoticString) }, ['status']),
    cors: props({ allowOrigins: fc.array(stringMatch(), { maxLength: 2 }), allowMethods: fc.array(edgy(fc.constantFrom('GET', 'POST', '*'), exoticString), { maxLength: 2 }), allowHeaders: fc.array(edgy(fc.constantFrom('authorization', '*'), exoticString), { maxLength: 2 }), exposeHeaders: fc.array(edgy(fc.constantFrom('x-request-id', '*'), exoticString), { maxLength: 2 }), maxAge: duration, allowCredentials: bool }, ['allowOrigins']),
  });
  return props({
    ...baseRecipe(dest, gws),
    port: dest.ports.length ? edgy(fc.constantFrom(...dest.ports), portNumber) : edgy(fc.constant(undefined), portNumber),
    rules: fc.array(rule, { maxLength: 3 }),
    routeUnmatched: bool,
    retries, timeout: duration, headers, fault,
    cors: props({ allowOrigins: fc.array(stringMatch(), { maxLength: 2 }), maxAge: duration }, ['allowOrigins']),
    rewrite: props({ uri: edgy(urlPath, exoticString), authority: edgy(hostname, exoticString) }),
  }, ['name', 'destination']);
});

/** Valid-looking TcpRoute recipes. */
export const tcpRouteRecipes: fc.Arbitrary<unknown> = fc.tuple(destinationRecipe, fc.array(gatewayRefRecipe, { maxLength: 2 })).chain(([dest, gws]) => props({
  ...baseRecipe(dest, gws),
  port: dest.ports.length ? edgy(fc.constantFrom(...dest.ports), portNumber) : portNumber,
  destinationPort: dest.ports.length ? edgy(fc.constant(undefined), fc.constantFrom(...dest.ports), portNumber) : edgy(fc.constant(undefined), portNumber),
  sourceLabels: edgy(fc.constant(undefined), labels),
}, ['name', 'destination', 'port']));

/** Valid-looking TlsRoute recipes. */
export const tlsRouteRecipes: fc.Arbitrary<unknown> = fc.tuple(destinationRecipe, fc.array(gatewayRefRecipe, { maxLength: 2 })).chain(([dest, gws]) => props({
  ...baseRecipe(dest, gws),
  sniHosts: edgy(fc.array(hostname, { minLength: 1, maxLength: 2 }), fc.array(host, { maxLength: 2 })),
  port: edgy(fc.constant(undefined), dest.ports.length ? fc.constantFrom(...dest.ports) : portNumber, portNumber),
  destinationPort: dest.ports.length ? edgy(fc.constant(undefined), fc.constantFrom(...dest.ports), portNumber) : edgy(fc.constant(undefined), portNumber),
  sourceLabels: edgy(fc.constant(undefined), labels),
}, ['name', 'destination', 'sniHosts']));

/** The highest port number none of `ports` uses. */
function unexposedPort(ports: ReadonlyArray<{ port: number }>): number {
  let port = 65535;
  while (ports.some((x) => x.port === port)) port--;
  return port;
}
