import {
  Duration, ErrorCode, ExternalHost, GatewayRef, HttpRouteProps, Protocol, RedirectScheme, RetryOn, ServiceRef, StringMatch,
  TcpRouteProps, TlsRouteProps, WarningCode, buildCanaryService, buildHardenedGateway, buildHttpRoute, buildTcpRoute, buildTlsRoute,
  IngressGateway, analyze, assumedObjects,
} from '../src';
import { ApiObject, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, IstioAnalysis, Manifest, TcpRoute, TlsRoute } from '../src/cdk8s';
import { errorOf, expectValid, find } from './helpers';

// Bookinfo (seed 001, scenario S10) without versions: productpage is one Service.
const productpage = ServiceRef.fromName('productpage', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
/** An existing Gateway (deployed elsewhere): its name, namespace and the hosts its servers carry. */
const bookinfoGateway: GatewayRef = { name: 'bookinfo-gateway', namespace: 'bookinfo', hosts: ['bookinfo.example.com'] };
const internalGateway: GatewayRef = { name: 'internal', namespace: 'istio-system', hosts: ['*/reviews.internal.example.com'] };
const httpbin = ExternalHost.fromName('httpbin.org', { ports: [{ port: 80, protocol: Protocol.HTTP }] });

/** The five productpage paths of the bookinfo walkthrough. */
const bookinfoMatches = [
  { uri: StringMatch.exact('/productpage') },
  { uri: StringMatch.prefix('/static') },
  { uri: StringMatch.exact('/login') },
  { uri: StringMatch.exact('/logout') },
  { uri: StringMatch.prefix('/api/v1/products') },
];

/**
 * The cluster objects the tests' references stand for (Gateways deployed elsewhere, their gateway
 * workload, the ServiceEntry of httpbin.org), given to the App-level analysis as external objects,
 * as a program that binds to objects it does not deploy does.
 */
const cluster: Manifest[] = [
  ...([['bookinfo-gateway', 'bookinfo', ['bookinfo.example.com'], 'HTTP', 80], ['internal', 'istio-system', ['*/reviews.internal.example.com'], 'HTTP', 80],
    ['passthrough', 'istio-system', ['db.example.com'], 'TLS', 443]] as const).map(([name, namespace, hosts, protocol, port]) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: port, name: `${protocol.toLowerCase()}-${port}`, protocol }, hosts: [...hosts], ...(protocol === 'TLS' ? { tls: { mode: 'PASSTHROUGH' } } : {}) }],
    },
  })),
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
    spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, template: { metadata: { labels: { istio: 'ingressgateway' }, annotations: { 'sidecar.istio.io/inject': 'false' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } },
  },
  {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
    spec: { selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'tls', port: 443, targetPort: 8443 }] },
  },
  {
    apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'httpbin', namespace: 'default' },
    spec: { hosts: ['httpbin.org'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] },
  },
];

/** Synthesizes a chart with the App-level analysis told about `cluster`; only this program's objects are returned. */
function synth(fn: (chart: Construct) => void): Manifest[] {
  const chart = Testing.chart();
  IstioAnalysis.configure(chart.node.root, { external: cluster });
  fn(chart);
  return Testing.synth(chart) as Manifest[];
}

function httpRoute(extra: Partial<HttpRouteProps> = {}) {
  return buildHttpRoute({ name: 'productpage', destination: productpage, ...extra });
}

describe('HttpRoute', () => {
  test('bookinfo: productpage without versions, through an existing gateway, only the five paths (S10)', () => {
    const objects = synth((chart) => {
      new HttpRoute(chart, 'bookinfo', {
        name: 'bookinfo', destination: productpage, port: 9080, gateways: [bookinfoGateway], hosts: ['bookinfo.example.com'],
        rules: [{ name: 'productpage', match: bookinfoMatches }], routeUnmatched: false,
      });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();

    const vs = find(objects, 'VirtualService', 'bookinfo');
    expect(vs.metadata.namespace).toBe('bookinfo');
    expect(vs.spec.hosts).toEqual(['bookinfo.example.com']);
    // Gateways only: Istio leaves out the mesh unless `mesh` is listed.
    expect(vs.spec.gateways).toEqual(['bookinfo/bookinfo-gateway']);
    expect(vs.spec.http).toEqual([{
      name: 'productpage',
      match: [
        { uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } },
        { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } },
      ],
      route: [{ destination: { host: 'productpage.bookinfo.svc.cluster.local', port: { number: 9080 } } }],
    }]);
    // No versions, so nothing else: no DestinationRule, no subset.
    expect(JSON.stringify(vs)).not.toContain('subset');
  });

  test('mesh and gateways, with rules per gateway (match.gateways) and a default rule for everyone', () => {
    const objects = synth((chart) => {
      new HttpRoute(chart, 'reviews', {
        name: 'reviews', destination: reviews, gateways: [bookinfoGateway, internalGateway], mesh: true,
        hosts: ['bookinfo.example.com', 'reviews.internal.example.com'],
        rules: [
          { name: 'public-read-only', match: [{ method: StringMatch.exact('POST') }], appliesTo: { gateways: [bookinfoGateway] }, directResponse: { status: 405, body: 'read only' } },
          { name: 'internal-v2-paths', match: [{ uri: StringMatch.prefix('/v2/') }], appliesTo: { gateways: [internalGateway], mesh: true }, rewrite: { uri: '/' } },
          { name: 'old-path', match: [{ uri: StringMatch.exact('/reviews/legacy') }], redirect: { uri: '/reviews', redirectCode: 308 } },
        ],
        timeout: '10s',
      });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();

    const vs = find(objects, 'VirtualService', 'reviews');
    expect(vs.spec.gateways).toEqual(['bookinfo/bookinfo-gateway', 'istio-system/internal', 'mesh']);
    // With the mesh, in-mesh callers' host (the Service FQDN) is a host of the VirtualService.
    expect(vs.spec.hosts).toEqual(['bookinfo.example.com', 'reviews.internal.example.com', 'reviews.bookinfo.svc.cluster.local']);
    expect(vs.spec.http.map((r: any) => r.match?.map((m: any) => m.gateways))).toEqual([
      [['bookinfo/bookinfo-gateway']],
      [['istio-system/internal', 'mesh']],
      [undefined],
      undefined,
    ]);
    expect(vs.spec.http[0]).toEqual({ name: 'public-read-only', match: [{ method: { exact: 'POST' }, gateways: ['bookinfo/bookinfo-gateway'] }], directResponse: { status: 405, body: { string: 'read only' } } });
    expect(vs.spec.http[2].redirect).toEqual({ uri: '/reviews', redirectCode: 308 });
    expect(vs.spec.http[2].route).toBeUndefined();
    // The top-level options configure the default rule only.
    expect(vs.spec.http[3]).toEqual({ route: [{ destination: { host: 'reviews.bookinfo.svc.cluster.local' } }], timeout: '10s' });
  });

  test('to an external host: in-mesh calls to httpbin.org with a timeout and retries', () => {
    const objects = synth((chart) => {
      new HttpRoute(chart, 'httpbin', {
        name: 'httpbin', namespace: 'default', destination: httpbin,
        timeout: Duration.seconds(5), retries: { attempts: 3, perTryTimeout: '2s', retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE] },
      });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const vs = find(objects, 'VirtualService', 'httpbin');
    expect(vs.spec.hosts).toEqual(['httpbin.org']);
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.http).toEqual([{
      route: [{ destination: { host: 'httpbin.org' } }],
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure' },
    }]);
  });

  test('an external host declared by a ServiceEntry of the program defaults to its namespace', () => {
    const declared = ExternalHost.declaredBy({ name: 'httpbin', namespace: 'egress' }, 'httpbin.org', httpbin.ports);
    expect(buildHttpRoute({ name: 'httpbin', destination: declared }).virtualService!.metadata.namespace).toBe('egress');
  });

  test('a mesh-only route answers for the destination FQDN', () => {
    const out = httpRoute({ fault: { delay: { fixedDelay: '7s', percentage: 50 } } });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.hosts).toEqual(['productpage.bookinfo.svc.cluster.local']);
    expect(out.virtualService!.spec.http![0].fault).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 50 } } });
  });

  test('CORS, header changes and an authority rewrite for a route to an external host', () => {
    const out = buildHttpRoute({
      name: 'httpbin', namespace: 'edge', destination: httpbin, gateways: [{ name: 'edge', namespace: 'istio-system', hosts: ['*.example.com'] }],
      hosts: ['httpbin.example.com'],
      rewrite: { authority: 'httpbin.org' },
      headers: { response: { remove: ['x-envoy-upstream-service-time'] } },
      cors: { allowOrigins: [StringMatch.exact('https://app.example.com')], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization'], maxAge: '24h', allowCredentials: true },
    });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.http).toEqual([{
      route: [{ destination: { host: 'httpbin.org' } }],
      rewrite: { authority: 'httpbin.org' },
      headers: { response: { remove: ['x-envoy-upstream-service-time'] } },
      corsPolicy: { allowOrigins: [{ exact: 'https://app.example.com' }], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization'], maxAge: '24h', allowCredentials: true },
    }]);
  });

  test('a catch-all last rule (redirect everything to HTTPS) with routeUnmatched: false', () => {
    const out = httpRoute({ gateways: [bookinfoGateway], hosts: ['bookinfo.example.com'], routeUnmatched: false, rules: [{ redirect: { scheme: RedirectScheme.HTTPS } }] });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.http).toEqual([{ redirect: { scheme: 'https' } }]);
    expect(out.warnings).toBeUndefined();
  });

  test('routeUnmatched: false on a route that applies to the mesh warns that other in-mesh requests get 404', () => {
    const out = httpRoute({ routeUnmatched: false, rules: [{ match: [{ uri: StringMatch.prefix('/api') }] }] });
    expect(out.warnings?.map((w) => [w.code, w.path])).toEqual([[WarningCode.UNMATCHED_REQUESTS_404_IN_MESH, 'routeUnmatched']]);
  });

  test('binds to a HardenedGateway by its ref', () => {
    const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 443, protocol: Protocol.HTTPS }, { port: 80, protocol: Protocol.HTTP }] });
    const { ref } = buildHardenedGateway({ name: 'shop', namespace: 'istio-system', gateway: ingress, servers: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls' }] });
    const out = buildHttpRoute({ name: 'shop', destination: ServiceRef.fromName('shop', { namespace: 'shop' }), gateways: [ref], hosts: ['shop.example.com'] });
    expect(out.virtualService!.spec.gateways).toEqual(['istio-system/shop']);
  });

  test('a Gateway host scoped to another namespace (ns/host) does not serve this route', () => {
    const scoped: GatewayRef = { name: 'gw', namespace: 'istio-system', hosts: ['team-a/app.example.com'] };
    const e = errorOf(() => httpRoute({ gateways: [scoped], hosts: ['app.example.com'] }));
    expect([e.code, e.path]).toEqual([ErrorCode.HOST_NOT_IN_GATEWAY, 'hosts[0]']);
    // ./host: the Gateway's own namespace
    const local: GatewayRef = { name: 'gw', namespace: 'bookinfo', hosts: ['./app.example.com'] };
    expect(httpRoute({ gateways: [local], hosts: ['app.example.com'] }).virtualService!.spec.gateways).toEqual(['bookinfo/gw']);
  });
});

describe('HttpRoute validation', () => {
  const gw = { gateways: [bookinfoGateway], hosts: ['bookinfo.example.com'] };
  test.each<[string, Partial<HttpRouteProps>, ErrorCode, string]>([
    ['gateways without hosts', { gateways: [bookinfoGateway] }, ErrorCode.HOSTS_REQUIRED, 'hosts'],
    ['a host no gateway serves (the 404 class)', { ...gw, hosts: ['shop.example.com'] }, ErrorCode.HOST_NOT_IN_GATEWAY, 'hosts[0]'],
    ['a gateway that serves none of the hosts (IST0132)', { gateways: [bookinfoGateway, internalGateway], hosts: ['bookinfo.example.com'] }, ErrorCode.HOST_NOT_IN_GATEWAY, 'gateways[1]'],
    ['a wildcard host without opt-in', { gateways: [{ ...bookinfoGateway, hosts: ['*'] }], hosts: ['*.example.com'] }, ErrorCode.WILDCARD_HOST, 'hosts[0]'],
    ['the host * with the mesh (Istio refuses it)', { gateways: [{ ...bookinfoGateway, hosts: ['*'] }], hosts: ['*'], allowWildcardHosts: true, mesh: true }, ErrorCode.CONFLICTING_PROPS, 'hosts[0]'],
    ['a host that overlaps the destination host the mesh adds', { hosts: ['*.svc.cluster.local', 'productpage.bookinfo.svc.cluster.local'], allowWildcardHosts: true }, ErrorCode.INVALID_HOST, 'hosts[1]'],
    ['an empty gateways list', { gateways: [] }, ErrorCode.CONFLICTING_PROPS, 'gateways'],
    ['the same gateway twice', { gateways: [bookinfoGateway, bookinfoGateway], hosts: ['bookinfo.example.com'] }, ErrorCode.CONFLICTING_PROPS, 'gateways[1]'],
    ['a gateway with a bad name', { gateways: [{ ...bookinfoGateway, name: 'Bad_Name' }], hosts: ['bookinfo.example.com'] }, ErrorCode.INVALID_NAME, 'gateways[0].gatewayName'],
    ['mesh: false without gateways', { mesh: false }, ErrorCode.CONFLICTING_PROPS, 'mesh'],
    ['a port the Service does not have', { port: 8080 }, ErrorCode.SERVICE_PORT_NOT_FOUND, 'port'],
    ['a bad name', { name: 'Product_Page' }, ErrorCode.INVALID_NAME, 'name'],
    ['an unknown prop', { versions: [] } as any, ErrorCode.UNKNOWN_PROP, 'versions'],
    ['a rule for a gateway the route is not bound to', { ...gw, rules: [{ match: [{ uri: StringMatch.prefix('/a') }], appliesTo: { gateways: [internalGateway] } }] }, ErrorCode.GATEWAY_NOT_BOUND, 'rules[0].appliesTo.gateways[0]'],
    ['a rule for the mesh on a gateway-only route', { ...gw, rules: [{ match: [{ uri: StringMatch.prefix('/a') }], appliesTo: { mesh: true } }] }, ErrorCode.GATEWAY_NOT_BOUND, 'rules[0].appliesTo.mesh'],
    ['appliesTo naming nothing', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], appliesTo: {} }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].appliesTo'],
    ['sourceLabels in a scoped rule (Istio ignores them: route.go sourceMatchHTTP)', { ...gw, mesh: true, rules: [{ match: [{ sourceLabels: { app: 'a' } }], appliesTo: { mesh: true } }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].match[0].sourceLabels'],
    ['sourceLabels on a gateway-only route', { ...gw, rules: [{ match: [{ sourceLabels: { app: 'a' } }] }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].match[0].sourceLabels'],
    ['an empty match list', { rules: [{ match: [] }] }, ErrorCode.INVALID_MATCH, 'rules[0].match'],
    ['a catch-all rule before the default rule', { rules: [{ timeout: '1s' }] }, ErrorCode.INVALID_MATCH, 'rules[0].match'],
    ['a catch-all rule that is not last', { routeUnmatched: false, rules: [{ timeout: '1s' }, { match: [{ uri: StringMatch.prefix('/a') }] }] }, ErrorCode.INVALID_MATCH, 'rules[0].match'],
    ['redirect and directResponse (Istio refuses it)', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { uri: '/b' }, directResponse: { status: 200 } }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].directResponse'],
    ['redirect with rewrite (Istio refuses it)', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { uri: '/b' }, rewrite: { uri: '/c' } }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].rewrite'],
    ['redirect with fault (Istio refuses it)', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { uri: '/b' }, fault: { abort: { httpStatus: 500 } } }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].fault'],
    ['directResponse with a timeout (dropped by Istio)', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], directResponse: { status: 404 }, timeout: '1s' }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].timeout'],
    ['directResponse with retries (dropped by Istio)', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], directResponse: { status: 404 }, retries: { attempts: 2 } }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].retries'],
    ['a redirect that changes nothing', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: {} }] }, ErrorCode.INVALID_PROP, 'rules[0].redirect'],
    ['a redirect code Envoy cannot send (Istio drops the rule)', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { uri: '/b', redirectCode: 300 } }] }, ErrorCode.INVALID_PROP, 'rules[0].redirect.redirectCode'],
    ['a redirect path without a slash', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { uri: 'b' } }] }, ErrorCode.INVALID_PROP, 'rules[0].redirect.uri'],
    ['a redirect to a bad authority', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { authority: 'a b' } }] }, ErrorCode.INVALID_HOST, 'rules[0].redirect.authority'],
    ['a redirect port out of range', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], redirect: { port: 0 } }] }, ErrorCode.PORT_OUT_OF_RANGE, 'rules[0].redirect.port'],
    ['a direct response status out of range', { rules: [{ match: [{ uri: StringMatch.prefix('/a') }], directResponse: { status: 199 } }] }, ErrorCode.INVALID_PROP, 'rules[0].directResponse.status'],
    ['a rewrite that sets nothing', { rewrite: {} }, ErrorCode.INVALID_PROP, 'rewrite'],
    ['a rewrite with uri and uriRegexRewrite (Istio refuses it)', { rewrite: { uri: '/a', uriRegexRewrite: { match: '^/b', rewrite: '/c' } } }, ErrorCode.CONFLICTING_PROPS, 'rewrite.uriRegexRewrite'],
    ['a path rewrite not ending in "/" on a rule without a path match (Envoy rewrites only the prefix "/")', { rules: [{ match: [{ method: StringMatch.exact('GET') }], rewrite: { uri: '/v2' } }] }, ErrorCode.CONFLICTING_PROPS, 'rules[0].rewrite.uri'],
    ['a path rewrite not ending in "/" on the default rule', { rewrite: { uri: '/v2' } }, ErrorCode.CONFLICTING_PROPS, 'rewrite.uri'],
    ['a regex rewrite that is not RE2', { rewrite: { uriRegexRewrite: { match: '(?<=a)b', rewrite: '/c' } } }, ErrorCode.INVALID_REGEX, 'rewrite.uriRegexRewrite.match'],
    ['a regex rewrite with an empty replacement', { rewrite: { uriRegexRewrite: { match: '^/b', rewrite: '' } } }, ErrorCode.INVALID_PROP, 'rewrite.uriRegexRewrite.rewrite'],
    ['the authority rewritten twice (Istio refuses it)', { rewrite: { authority: 'a.example.com' }, headers: { request: { set: { host: 'b.example.com' } } } }, ErrorCode.CONFLICTING_PROPS, 'headers.request.set.host'],
    ['CORS without origins', { cors: { allowOrigins: [] } }, ErrorCode.INVALID_MATCH, 'cors.allowOrigins'],
    ['CORS with an empty origin', { cors: { allowOrigins: [StringMatch.exact('')] } }, ErrorCode.INVALID_MATCH, 'cors.allowOrigins[0]'],
    ['CORS with a lower-case method', { cors: { allowOrigins: [StringMatch.exact('https://a.example.com')], allowMethods: ['get'] } }, ErrorCode.INVALID_METHOD, 'cors.allowMethods[0]'],
    ['CORS with a bad header name', { cors: { allowOrigins: [StringMatch.exact('https://a.example.com')], allowHeaders: ['x y'] } }, ErrorCode.INVALID_HEADER, 'cors.allowHeaders[0]'],
    ['CORS maxAge not in whole seconds (Istio refuses it)', { cors: { allowOrigins: [StringMatch.exact('https://a.example.com')], maxAge: '1500ms' } }, ErrorCode.INVALID_DURATION, 'cors.maxAge'],
    ['routeUnmatched: false without rules', { routeUnmatched: false }, ErrorCode.CONFLICTING_PROPS, 'routeUnmatched'],
    ['default-rule options with routeUnmatched: false (they would be dropped)', { routeUnmatched: false, timeout: '1s', rules: [{ match: [{ uri: StringMatch.prefix('/a') }] }] }, ErrorCode.CONFLICTING_PROPS, 'timeout'],
    ['a bad timeout', { timeout: '0s' }, ErrorCode.INVALID_DURATION, 'timeout'],
    ['bad retries', { retries: { attempts: 0, perTryTimeout: '1s' } }, ErrorCode.INVALID_RETRIES, 'retries'],
  ])('%s is refused', (_t, extra, code, path) => {
    const e = errorOf(() => httpRoute(extra));
    expect([e.code, e.path]).toEqual([code, path]);
    expect(e.message).toContain('Fix:');
  });

  test('a destination with several ports needs a port (istioctl IST0112)', () => {
    const multi = ServiceRef.fromName('api', { namespace: 'shop', ports: [{ port: 8080, protocol: Protocol.HTTP }, { port: 9090, protocol: Protocol.GRPC }] });
    const e = errorOf(() => buildHttpRoute({ name: 'api', destination: multi }));
    expect([e.code, e.path]).toEqual([ErrorCode.SERVICE_PORT_NOT_FOUND, 'port']);
    expect(buildHttpRoute({ name: 'api', destination: multi, port: 9090 }).virtualService!.spec.http![0].route![0].destination.port).toEqual({ number: 9090 });
  });

  test('an HTTP route on a TCP or TLS port of the destination is refused for in-mesh callers (sidecars ignore it)', () => {
    const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] });
    expect(errorOf(() => buildHttpRoute({ name: 'db', destination: db })).code).toBe(ErrorCode.PROTOCOL_MISMATCH);
    const tls = ExternalHost.fromName('api.example.org', { ports: [{ port: 443, protocol: Protocol.TLS }] });
    const e = errorOf(() => buildHttpRoute({ name: 'api', namespace: 'default', destination: tls }));
    expect([e.code, e.path]).toEqual([ErrorCode.PROTOCOL_MISMATCH, 'destination']);
    expect(e.hint).toMatch(/TlsRoute/);
  });

  test('an external host without a declaring ServiceEntry needs a namespace', () => {
    const e = errorOf(() => buildHttpRoute({ name: 'httpbin', destination: httpbin }));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_PROP, 'namespace']);
  });

  test('a gateway cannot forward to a wildcard external host', () => {
    const wiki = ExternalHost.fromName('*.wikipedia.org', { ports: [{ port: 80, protocol: Protocol.HTTP }] });
    const e = errorOf(() => buildHttpRoute({ name: 'wiki', namespace: 'default', destination: wiki, gateways: [{ name: 'egress', namespace: 'istio-system', hosts: ['*.wikipedia.org'] }], hosts: ['*.wikipedia.org'], allowWildcardHosts: true }));
    expect([e.code, e.path]).toEqual([ErrorCode.CONFLICTING_PROPS, 'destination']);
  });

  test('a forged destination is refused', () => {
    expect(errorOf(() => httpRoute({ destination: { name: 'x', namespace: 'y' } as any })).code).toBe(ErrorCode.CONFLICTING_PROPS);
  });
});

describe('TcpRoute', () => {
  test('a mesh TCP route to another Service port (S12 postgresql)', () => {
    const pg = ServiceRef.fromName('postgresql', { namespace: 'tutorial', ports: [{ port: 5432, protocol: Protocol.TCP }, { port: 5555, protocol: Protocol.TCP }] });
    const objects = synth((chart) => {
      new TcpRoute(chart, 'postgresql', { name: 'postgresql', destination: pg, port: 5432, destinationPort: 5555, sourceLabels: { app: 'api' } });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const vs = find(objects, 'VirtualService', 'postgresql');
    expect(vs.metadata.namespace).toBe('tutorial');
    expect(vs.spec.hosts).toEqual(['postgresql.tutorial.svc.cluster.local']);
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.tcp).toEqual([{
      match: [{ port: 5432, sourceLabels: { app: 'api' } }],
      route: [{ destination: { host: 'postgresql.tutorial.svc.cluster.local', port: { number: 5555 } } }],
    }]);
  });

  test('through an existing gateway TCP server: host "*" needs no opt-in, the destination port defaults to the only one', () => {
    const tcpGateway: GatewayRef = { name: 'tcp-ingress-gateway', namespace: 'istio-system', hosts: ['*'] };
    const tcpService = ServiceRef.fromName('tcp-service', { namespace: 'default', ports: [{ port: 31400, targetPort: 8080, protocol: Protocol.TCP }] });
    const out = buildTcpRoute({ name: 'tcp', destination: tcpService, gateways: [tcpGateway], port: 31400 });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec).toEqual({
      hosts: ['*'],
      gateways: ['istio-system/tcp-ingress-gateway'],
      tcp: [{ match: [{ port: 31400 }], route: [{ destination: { host: 'tcp-service.default.svc.cluster.local', port: { number: 31400 } } }] }],
    });
    // With the mesh too, the host is the Service's (Istio refuses "*" with the mesh).
    const both = buildTcpRoute({ name: 'tcp', destination: tcpService, gateways: [tcpGateway], mesh: true, port: 31400 });
    expect(both.virtualService!.spec.hosts).toEqual(['tcp-service.default.svc.cluster.local']);
    expect(both.virtualService!.spec.gateways).toEqual(['istio-system/tcp-ingress-gateway', 'mesh']);
  });

  test.each<[string, Partial<TcpRouteProps>, ErrorCode, string]>([
    ['a match port the mesh destination lacks', { port: 9999 }, ErrorCode.SERVICE_PORT_NOT_FOUND, 'port'],
    ['a destination port the Service lacks', { destinationPort: 8080 }, ErrorCode.SERVICE_PORT_NOT_FOUND, 'destinationPort'],
    ['a port out of range', { port: 70000 }, ErrorCode.PORT_OUT_OF_RANGE, 'port'],
    ['sourceLabels on a gateway route (Istio ignores them there: gateway.go l4SingleMatch)', { gateways: [{ name: 'g', namespace: 'istio-system', hosts: ['*'] }], sourceLabels: { app: 'a' } }, ErrorCode.CONFLICTING_PROPS, 'sourceLabels'],
    ['bad source labels', { sourceLabels: { 'bad key!': 'a' } }, ErrorCode.INVALID_LABEL, 'sourceLabels["bad key!"]'],
    ['a gateway whose servers serve no route host', { gateways: [{ name: 'g', namespace: 'istio-system', hosts: ['other/db.example.com'] }] }, ErrorCode.HOST_NOT_IN_GATEWAY, 'gateways[0]'],
    ['sourceSubnet (Istio never reads it)', { sourceSubnet: '10.0.0.0/8' } as any, ErrorCode.UNKNOWN_PROP, 'sourceSubnet'],
  ])('%s is refused', (_t, extra, code, path) => {
    const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] });
    const e = errorOf(() => buildTcpRoute({ name: 'db', destination: db, port: 5432, ...extra }));
    expect([e.code, e.path]).toEqual([code, path]);
  });

  test('a TCP route on an HTTP port is refused for in-mesh callers (sidecars route HTTP ports with HTTP rules)', () => {
    const e = errorOf(() => buildTcpRoute({ name: 'pp', destination: productpage, port: 9080 }));
    expect([e.code, e.path]).toEqual([ErrorCode.PROTOCOL_MISMATCH, 'port']);
  });

  test('a destination with several ports and none matching needs destinationPort', () => {
    const multi = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }, { port: 5433, protocol: Protocol.TCP }] });
    const e = errorOf(() => buildTcpRoute({ name: 'db', destination: multi, port: 31400, gateways: [{ name: 'g', namespace: 'istio-system', hosts: ['*'] }] }));
    expect([e.code, e.path]).toEqual([ErrorCode.SERVICE_PORT_NOT_FOUND, 'destinationPort']);
  });
});

describe('TlsRoute', () => {
  const passthrough: GatewayRef = { name: 'passthrough', namespace: 'istio-system', hosts: ['db.example.com'] };
  const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TLS }] });

  test('SNI passthrough through an existing gateway to a Service', () => {
    const objects = synth((chart) => {
      new TlsRoute(chart, 'db', { name: 'db', destination: db, gateways: [passthrough], sniHosts: ['db.example.com'], port: 443 });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const vs = find(objects, 'VirtualService', 'db');
    expect(vs.spec).toEqual({
      hosts: ['db.example.com'],
      gateways: ['istio-system/passthrough'],
      tls: [{ match: [{ port: 443, sniHosts: ['db.example.com'] }], route: [{ destination: { host: 'db.data.svc.cluster.local', port: { number: 5432 } } }] }],
    });
  });

  test('a mesh TLS route to an external host (S6 wikipedia over TLS)', () => {
    const wiki = ExternalHost.fromName('en.wikipedia.org', { ports: [{ port: 443, protocol: Protocol.TLS }] });
    const out = buildTlsRoute({ name: 'wikipedia', namespace: 'default', destination: wiki, sniHosts: ['en.wikipedia.org'], port: 443 });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.hosts).toEqual(['en.wikipedia.org']);
    expect(out.virtualService!.spec.tls![0].route).toEqual([{ destination: { host: 'en.wikipedia.org', port: { number: 443 } } }]);
  });

  test.each<[string, Partial<TlsRouteProps>, ErrorCode, string]>([
    ['no SNI hosts', { sniHosts: [] }, ErrorCode.HOSTS_REQUIRED, 'sniHosts'],
    ['a wildcard SNI host without opt-in', { sniHosts: ['*.example.com'] }, ErrorCode.WILDCARD_HOST, 'sniHosts[0]'],
    ['an SNI host outside the explicit hosts (Istio refuses it)', { hosts: ['other.example.com'], gateways: [{ ...passthrough, hosts: ['*.example.com'] }] }, ErrorCode.INVALID_HOST, 'sniHosts[0]'],
    ['the SNI host * with the mesh', { sniHosts: ['*'], allowWildcardHosts: true, mesh: true, gateways: [passthrough] }, ErrorCode.CONFLICTING_PROPS, 'sniHosts'],
    ['a gateway that serves none of the hosts', { gateways: [{ ...passthrough, hosts: ['api.example.com'] }] }, ErrorCode.HOST_NOT_IN_GATEWAY, 'gateways[0]'],
    ['sourceLabels on a gateway route', { gateways: [passthrough], sourceLabels: { app: 'a' } }, ErrorCode.CONFLICTING_PROPS, 'sourceLabels'],
    ['a mesh TLS route on a TCP port', { destination: ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] }) }, ErrorCode.PROTOCOL_MISMATCH, 'destination'],
  ])('%s is refused', (_t, extra, code, path) => {
    const e = errorOf(() => buildTlsRoute({ name: 'db', destination: db, sniHosts: ['db.example.com'], ...extra }));
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('CanaryService points to HttpRoute for a Service without versions', () => {
  test('the NO_VERSIONS fix names HttpRoute', () => {
    const e = errorOf(() => buildCanaryService({ service: productpage, versions: [] }));
    expect(e.code).toBe(ErrorCode.NO_VERSIONS);
    expect(e.hint).toMatch(/HttpRoute/);
  });
});


describe('the bookinfo seed (S10) as written: gateway hosts "*"', () => {
  test('hosts "*" on a gateway-only route needs the wildcard opt-in, and then binds', () => {
    const seedGateway: GatewayRef = { name: 'bookinfo-gateway', namespace: 'default', hosts: ['*'] };
    const pp = ServiceRef.fromName('productpage', { namespace: 'default', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
    const props: HttpRouteProps = { name: 'bookinfo', destination: pp, gateways: [seedGateway], hosts: ['*'], routeUnmatched: false, rules: [{ match: bookinfoMatches }] };
    expect(errorOf(() => buildHttpRoute(props)).code).toBe(ErrorCode.WILDCARD_HOST);
    const out = buildHttpRoute({ ...props, allowWildcardHosts: true });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.hosts).toEqual(['*']);
    expect(out.virtualService!.spec.gateways).toEqual(['default/bookinfo-gateway']);
  });
});

describe('path rewrites', () => {
  test('a rewrite ending in "/" on a rule without a path match, and any rewrite on path matches, are kept', () => {
    const out = httpRoute({
      rules: [
        { match: [{ uri: StringMatch.prefix('/v1/') }], rewrite: { uri: '/v2/' } },
        { match: [{ uri: StringMatch.exact('/old') }], rewrite: { uri: '/new' } },
        { match: [{ headers: { 'x-api': StringMatch.exact('2') } }], rewrite: { uri: '/v2/' } },
      ],
      rewrite: { uriRegexRewrite: { match: '^/api/(.*)$', rewrite: '/\\1' } },
    });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.virtualService!.spec.http!.map((r) => r.rewrite)).toEqual([
      { uri: '/v2/' }, { uri: '/new' }, { uri: '/v2/' }, { uriRegexRewrite: { match: '^/api/(.*)$', rewrite: '/\\1' } },
    ]);
  });
});

describe('HttpRoute in an app that declares nothing about the cluster', () => {
  test('a Gateway bound by reference ({ name, namespace, hosts }) is assumed to exist: the synth passes', () => {
    // GIVEN an app with no external objects configured, and a route bound to a Gateway deployed elsewhere
    const chart = Testing.chart();
    new HttpRoute(chart, 'bookinfo', { name: 'bookinfo', destination: productpage, gateways: [bookinfoGateway], hosts: ['bookinfo.example.com'] });

    // WHEN it synthesizes THEN the route is emitted (no IST0101 for the referenced Gateway)
    const vs = find(Testing.synth(chart) as Manifest[], 'VirtualService', 'bookinfo');
    expect(vs.spec.gateways).toEqual(['bookinfo/bookinfo-gateway']);
  });

  test('the assumed Gateway serves only the referenced hosts: a route with another host on it is reported (IST0132)', () => {
    // GIVEN the objects the route's props assume, and a VirtualService bound by hand to that Gateway with another host
    const props: HttpRouteProps = { name: 'bookinfo', destination: productpage, gateways: [bookinfoGateway], hosts: ['bookinfo.example.com'] };
    const stray = {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'stray', namespace: 'bookinfo' },
      spec: { hosts: ['other.example.com'], gateways: ['bookinfo/bookinfo-gateway'], http: [{ route: [{ destination: { host: productpage.fqdn } }] }] },
    };

    // WHEN the program is analyzed with them as external objects
    const diagnostics = analyze([...buildHttpRoute(props).objects.map((o) => o.manifest), stray as Manifest], { external: assumedObjects(props) });

    // THEN only the stray route is reported, for the host the Gateway does not serve
    expect(diagnostics.filter((d) => d.code === 'IST0132').map((d) => d.resource)).toEqual(['VirtualService bookinfo/stray']);
  });
});
