/**
 * The Gateway API target (src/targets/gateway-api.ts): what each routing construct writes there,
 * and the refusal of every prop the Gateway API (or Istio's implementation of it) cannot express.
 * Facts: Istio pilot/pkg/config/kube/gateway/conversion.go (retry, timeouts, TLS options,
 * sortHTTPRoutes), the Gateway API v1.6 CRDs in ../shared/istio/crds/gateway-api/.
 */
import { App, Chart } from 'cdk8s';
import {
  Duration, ErrorCode, GatewayApiChannel, IngressGateway, Protocol, RetryOn, RoutingApi, RoutingTarget, ServiceRef, SessionAffinity, StringMatch,
  buildCanaryService, buildGateway, buildHardenedGateway, buildHttpRoute, buildStickyService, buildTcpIngress, buildTcpRoute, buildTlsRoute,
} from '../src';
import { CanaryService, RoutingTargets } from '../src/cdk8s';
import { Manifest } from '../src/core/manifest';
import { errorOf, expectValid } from './helpers';

const GW: RoutingTarget = { api: RoutingApi.GATEWAY_API };
const http9080 = [{ port: 9080, protocol: Protocol.HTTP }];
const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: http9080, selector: { app: 'reviews' } });
const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system', serviceName: 'istio-ingressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 443, protocol: Protocol.HTTPS }, { port: 31400, protocol: Protocol.TCP }],
});
const manifests = (o: { objects: Array<{ manifest: Manifest }> }) => o.objects.map((x) => x.manifest);
const find = (ms: Manifest[], kind: string, name?: string): any => ms.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));

describe('CanaryService on the Gateway API', () => {
  const out = buildCanaryService({
    service: reviews,
    versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
    routes: [{
      match: [{ headers: { 'end-user': StringMatch.exact('jason') }, queryParams: { debug: StringMatch.regex('1|true') } }],
      to: 'v2',
      timeout: '3s',
      headers: { request: { set: { 'x-canary': 'yes' } }, response: { remove: ['server'] } },
      mirror: { version: 'v1', percentage: 12.5 },
    }],
    target: GW,
  });
  const ms = manifests(out);

  test('versions become Services selecting the Service selector plus the version labels', () => {
    expect(find(ms, 'Service', 'reviews-v1').spec).toEqual({ ports: [{ name: 'http', port: 9080, targetPort: 9080 }], selector: { app: 'reviews', version: 'v1' } });
    expect(find(ms, 'Service', 'reviews-v2').spec.selector).toEqual({ app: 'reviews', version: 'v2' });
    expect(ms.some((m) => m.apiVersion.startsWith('networking.istio.io'))).toBe(false);
  });

  test('the mesh route attaches to the Service (GAMMA) with its port, rules in order, the default weighted', () => {
    const route = find(ms, 'HTTPRoute', 'reviews');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(route.spec.rules[1]).toEqual({ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] });
  });

  test('matches, header modifiers, mirror percentage as a fraction and the timeout carry over', () => {
    const rule = find(ms, 'HTTPRoute', 'reviews').spec.rules[0];
    expect(rule.matches).toEqual([{ headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }], queryParams: [{ name: 'debug', type: 'RegularExpression', value: '1|true' }] }]);
    expect(rule.filters).toEqual([
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-canary', value: 'yes' }] } },
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v1', port: 9080 }, fraction: { numerator: 125, denominator: 1000 } } },
    ]);
    expect(rule.timeouts).toEqual({ request: '3s' });
  });

  test('a gateway binding on an automatically deployed gateway: a Gateway of class istio and a route per parent kind', () => {
    const o = buildCanaryService({
      service: reviews, versions: [{ name: 'v1', weight: 1 }],
      gateway: { gateway: IngressGateway.automated({ namespace: 'bookinfo' }), hosts: ['reviews.example.com'] },
      target: GW,
    });
    const g = find(manifests(o), 'Gateway');
    expect(g.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(g.spec).toEqual({
      gatewayClassName: 'istio',
      listeners: [{ name: 'http-80', hostname: 'reviews.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(find(manifests(o), 'HTTPRoute', 'reviews').spec).toMatchObject({ parentRefs: [{ name: 'reviews-gateway' }], hostnames: ['reviews.example.com'] });
    expect(find(manifests(o), 'HTTPRoute', 'reviews-mesh').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
  });

  test('a running gateway is used through its Service (manual deployment), with a ReferenceGrant-free cross-namespace parentRef', () => {
    const o = buildCanaryService({
      service: reviews, versions: [{ name: 'v1', weight: 1 }],
      gateway: { gateway: ingress, gatewayNamespace: 'istio-system', hosts: ['reviews.example.com'], includeMesh: false },
      target: GW,
    });
    const g = find(manifests(o), 'Gateway');
    expect(g.spec.addresses).toEqual([{ type: 'Hostname', value: 'istio-ingressgateway.istio-system.svc.cluster.local' }]);
    // The route is in bookinfo: the listener admits that namespace.
    expect(g.spec.listeners[0].allowedRoutes).toEqual({
      namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['bookinfo', 'istio-system'] }] } },
    });
    expect(find(manifests(o), 'HTTPRoute').spec.parentRefs).toEqual([{ name: 'reviews-gateway', namespace: 'istio-system' }]);
  });

  test('IngressGateway.automated is refused on the Istio API', () => {
    const e = errorOf(() => buildCanaryService({
      service: reviews, versions: [{ name: 'v1', weight: 1 }], gateway: { gateway: IngressGateway.automated({ namespace: 'bookinfo' }), hosts: ['a.example.com'] },
    }));
    expect([e.code, e.path]).toEqual([ErrorCode.TARGET_UNSUPPORTED, 'gateway.gateway']);
  });

  test('a gRPC port becomes a GRPCRoute with service/method matches', () => {
    const grpc = ServiceRef.fromName('echo', { namespace: 'apps', ports: [{ port: 7070, protocol: Protocol.GRPC }], selector: { app: 'echo' } });
    const o = buildCanaryService({
      service: grpc, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }],
      routes: [{ match: [{ uri: StringMatch.exact('/echo.Echo/Ping') }], to: 'v2' }], target: GW,
    });
    const r = find(manifests(o), 'GRPCRoute', 'echo');
    expect(r.spec.rules[0].matches).toEqual([{ method: { type: 'Exact', service: 'echo.Echo', method: 'Ping' } }]);
  });
});

test('durations are written as the Gateway API takes them (fuzz: "1.5s" and 100000s failed its pattern)', () => {
  const rule = (timeout: string | Duration) => find(manifests(buildCanaryService({ service: reviews, versions: [{ name: 'v1', weight: 1 }], timeout, target: GW })), 'HTTPRoute').spec.rules[0];
  expect(rule('1.5s').timeouts).toEqual({ request: '1s500ms' });
  expect(rule(Duration.seconds(100000)).timeouts).toEqual({ request: '27h46m40s' });
  expectValid(manifests(buildCanaryService({ service: reviews, versions: [{ name: 'v1', weight: 1 }], timeout: '0.25s', target: GW })));
});

describe('retries need a bundle that has HTTPRoute retry', () => {
  const props = (target: RoutingTarget) => ({
    service: reviews, versions: [{ name: 'v1', weight: 1 }],
    retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE] },
    timeout: '10s',
    target,
  });

  test('refused on the v1.6 standard channel (retry is standard from v1.7)', () => {
    const e = errorOf(() => buildCanaryService(props(GW)));
    expect([e.code, e.path]).toEqual([ErrorCode.GATEWAY_API_VERSION_TOO_OLD, 'retries']);
  });

  test('on the experimental channel: codes, attempts and the per-try timeout as backendRequest', () => {
    const rule = find(manifests(buildCanaryService(props({ ...GW, gatewayApiChannel: GatewayApiChannel.EXPERIMENTAL }))), 'HTTPRoute').spec.rules[0];
    // connect-failure is implicit: Istio adds it to every Gateway API retry.
    expect(rule.retry).toEqual({ attempts: 3, codes: [502, 503, 504] });
    expect(rule.timeouts).toEqual({ request: '10s', backendRequest: '2s' });
  });

  test('a condition with no status-code form is refused at its index', () => {
    const e = errorOf(() => buildCanaryService({
      ...props({ ...GW, gatewayApiVersion: 'v1.7.0' }), retries: { attempts: 2, retryOn: ['503', RetryOn.RESET] },
    }));
    expect([e.code, e.path]).toEqual([ErrorCode.TARGET_UNSUPPORTED, 'retries.retryOn[1]']);
  });
});

describe('refused, never dropped', () => {
  const canary = (extra: object, service = reviews) => () => buildCanaryService({
    service, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }], target: GW, ...extra,
  } as any);
  test.each([
    ['fault injection', canary({ fault: { abort: { httpStatus: 503, percentage: 10 } } }), 'fault'],
    ['fault injection in a route', canary({ routes: [{ match: [{ uri: StringMatch.prefix('/a') }], fault: { delay: { fixedDelay: '1s', percentage: 5 } } }] }), 'routes[0].fault'],
    ['cookie-regex matching', canary({ routes: [{ match: [{ cookie: StringMatch.cookie('user', 'jason') }], to: 'v2' }] }), 'routes[0].match[0].cookie'],
    ['source-label matches', canary({ routes: [{ match: [{ sourceLabels: { app: 'productpage' } }], to: 'v2' }] }), 'routes[0].match[0].sourceLabels'],
    ['port matches', canary({ routes: [{ match: [{ port: 9080 }], to: 'v2' }] }), 'routes[0].match[0].port'],
    ['case-insensitive URI', canary({ routes: [{ match: [{ uri: StringMatch.prefix('/a'), ignoreUriCase: true }], to: 'v2' }] }), 'routes[0].match[0].ignoreUriCase'],
    ['a regex method', canary({ routes: [{ match: [{ method: StringMatch.regex('GET|HEAD') }], to: 'v2' }] }), 'routes[0].match[0].method'],
    ['a DestinationRule traffic policy', canary({ trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 1 } } } }), 'trafficPolicy'],
    ['a version traffic policy', canary({ versions: [{ name: 'v1', weight: 1, trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } }] }), 'versions[0].trafficPolicy'],
    // Fuzz: Istio sets an empty header value; the Gateway API's HTTPHeader.value refuses it.
    ['an empty header value', canary({ headers: { response: { add: { 'x-user': '' } } } }), 'headers.response.add'],
    ['a pseudo-header', canary({ headers: { request: { set: { ':authority': 'a.example.com' } } } }), 'headers.request.set'],
    ['a workload-scoped DestinationRule', canary({ workloadSelector: { app: 'gw' } }), 'workloadSelector'],
    ['versions of a Service whose selector is unknown', canary({}, ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: http9080 })), 'versions'],
    ['consistent-hash affinity', () => buildStickyService({ service: reviews, affinity: SessionAffinity.cookie('sid', { ttl: '1h' }), target: GW }), 'affinity'],
    ['a direct response', () => buildHttpRoute({
      name: 'r', destination: reviews, rules: [{ match: [{ uri: StringMatch.exact('/x') }], directResponse: { status: 404 } }], target: GW,
    }), 'rules[0].directResponse'],
    ['a regex rewrite', () => buildHttpRoute({
      name: 'r', destination: reviews, rules: [{ match: [{ uri: StringMatch.prefix('/x') }], rewrite: { uriRegexRewrite: { match: '^/x/(.*)', rewrite: '/\\1' } } }], target: GW,
    }), 'rules[0].rewrite.uriRegexRewrite'],
    ['source labels of a TCP route', () => buildTcpRoute({
      name: 't', destination: ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] }), port: 5432, sourceLabels: { app: 'api' }, target: GW,
    }), 'sourceLabels'],
    ['TLS 1.3 as minimum on a listener', () => buildHardenedGateway({
      name: 'web', gateway: ingress, servers: [{ hosts: ['web.example.com'], credentialName: 'web-cert' }], minProtocolVersion: 'TLSV1_3' as any, target: GW,
    }), 'minProtocolVersion'],
  ])('%s', (_what, build, path) => {
    const e = errorOf(build);
    expect(e.code).toBe(ErrorCode.TARGET_UNSUPPORTED);
    expect(e.path.startsWith(path)).toBe(true);
    // Each refusal names the alternative.
    expect(e.hint.length).toBeGreaterThan(10);
  });

  test('each refused prop is accepted on the Istio API', () => {
    expect(() => canary({ fault: { abort: { httpStatus: 503, percentage: 10 } }, target: undefined })()).not.toThrow();
    expect(() => buildStickyService({ service: reviews, affinity: SessionAffinity.cookie('sid', { ttl: '1h' }) })).not.toThrow();
  });
});

describe('Gateway API bundle versions (Istio ignores TCPRoute below v1.6 and TLSRoute below v1.5: IST0176)', () => {
  const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] });
  test('a TCPRoute needs v1.6', () => {
    const e = errorOf(() => buildTcpRoute({ name: 't', destination: db, port: 5432, target: { ...GW, gatewayApiVersion: 'v1.5.1' } }));
    expect(e.code).toBe(ErrorCode.GATEWAY_API_VERSION_TOO_OLD);
    expect(e.message).toContain('IST0176');
    expect(buildTcpRoute({ name: 't', destination: db, port: 5432, target: { ...GW, gatewayApiVersion: 'v1.6.0' } }).objects[0].manifest.kind).toBe('TCPRoute');
  });
  test('a TLSRoute needs v1.5', () => {
    const props = { name: 't', destination: ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 443, protocol: Protocol.TLS }] }), sniHosts: ['db.example.com'] };
    expect(errorOf(() => buildTlsRoute({ ...props, target: { ...GW, gatewayApiVersion: '1.4' } })).code).toBe(ErrorCode.GATEWAY_API_VERSION_TOO_OLD);
    const ms = manifests(buildTlsRoute({ ...props, target: { ...GW, gatewayApiVersion: '1.5' } }));
    expect(find(ms, 'TLSRoute').spec.hostnames).toEqual(['db.example.com']);
  });
  test('a version that is not one is refused', () => {
    expect(errorOf(() => buildTcpRoute({ name: 't', destination: db, port: 5432, target: { ...GW, gatewayApiVersion: 'latest' } })).code).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});

describe('rule order: Istio orders Gateway API matches by specificity (sortHTTPRoutes)', () => {
  test('a later, more specific overlapping match of another destination is refused', () => {
    const e = errorOf(() => buildCanaryService({
      service: reviews, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }], target: GW,
      routes: [
        { match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], to: 'v2' },
        // A path prefix outranks the header-only match (path "/"): jason's /api requests would go to v1.
        { match: [{ uri: StringMatch.prefix('/api') }], to: 'v1' },
      ],
    }));
    expect([e.code, e.path]).toEqual([ErrorCode.ROUTE_ORDER_NOT_EXPRESSIBLE, 'routes[1].match[0]']);
  });
  test('a regex path before the default is refused (the default prefix "/" outranks a regex)', () => {
    const e = errorOf(() => buildCanaryService({
      service: reviews, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }], target: GW,
      routes: [{ match: [{ uri: StringMatch.regex('/v[0-9]+/.*') }], to: 'v2' }],
    }));
    expect(e.code).toBe(ErrorCode.ROUTE_ORDER_NOT_EXPRESSIBLE);
  });
  test('disjoint matches in any order, and the more specific first, are accepted', () => {
    expect(() => buildCanaryService({
      service: reviews, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }], target: GW,
      routes: [
        { match: [{ uri: StringMatch.exact('/a') }], to: 'v1' },
        { match: [{ uri: StringMatch.prefix('/api') }], to: 'v2' },
        // An exact path outside /api after the prefix: no request matches both.
        { match: [{ uri: StringMatch.exact('/b') }], to: 'v1' },
        { match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], to: 'v2' },
      ],
    })).not.toThrow();
  });
});

describe('Gateway, HttpRoute and HardenedGateway on the Gateway API', () => {
  test('a Gateway: listeners per host, TLS Terminate with the Secret in the workload namespace (and a ReferenceGrant)', () => {
    const out = buildGateway({
      name: 'web', namespace: 'web', workload: ingress, target: GW,
      servers: [
        { port: 443, protocol: Protocol.HTTPS, hosts: ['a.example.com', 'b.example.com'], tls: { mode: 'SIMPLE' as any, credentialName: 'web-cert' } as any, portName: 'https' },
        { port: 80, protocol: Protocol.HTTP, hosts: ['a.example.com'], portName: 'http' },
      ],
    });
    const ms = manifests(out);
    const g = find(ms, 'Gateway');
    expect(g.spec.listeners.map((l: any) => [l.name, l.hostname, l.protocol])).toEqual([
      ['https-1', 'a.example.com', 'HTTPS'], ['https-2', 'b.example.com', 'HTTPS'], ['http', 'a.example.com', 'HTTP'],
    ]);
    expect(g.spec.listeners[0].tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'web-cert', namespace: 'istio-system' }] });
    expect(find(ms, 'ReferenceGrant').metadata.namespace).toBe('istio-system');
    expect(find(ms, 'ReferenceGrant').spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'web' }], to: [{ group: '', kind: 'Secret', name: 'web-cert' }],
    });
    expect(out.ref).toEqual({ name: 'web', namespace: 'web', hosts: ['a.example.com', 'b.example.com'] });
  });

  test('HttpRoute redirects and rewrites become RequestRedirect and URLRewrite filters', () => {
    const out = buildHttpRoute({
      name: 'r', destination: reviews, port: 9080, target: GW,
      rules: [
        { match: [{ uri: StringMatch.exact('/old') }], redirect: { uri: '/new', redirectCode: 302 } },
        { match: [{ uri: StringMatch.prefix('/v1/') }], rewrite: { uri: '/', authority: 'reviews.internal' } },
      ],
    });
    const rules = find(manifests(out), 'HTTPRoute').spec.rules;
    expect(rules[0]).toEqual({
      matches: [{ path: { type: 'Exact', value: '/old' } }],
      filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/new' }, statusCode: 302 } }],
    });
    expect(rules[1].filters).toEqual([{ type: 'URLRewrite', urlRewrite: { hostname: 'reviews.internal', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
  });

  test('a route to a Service in another namespace gets a ReferenceGrant there', () => {
    const out = buildHttpRoute({ name: 'r', namespace: 'frontend', destination: reviews, target: GW });
    const ms = manifests(out);
    expect(find(ms, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ name: 'reviews', namespace: 'bookinfo', port: 9080 }]);
    const grant = find(ms, 'ReferenceGrant');
    expect(grant.metadata.namespace).toBe('bookinfo');
    expect(grant.spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'frontend' }]);
  });

  test('HardenedGateway: cipher suites as the Istio listener option, the HTTPS redirect as an HTTPRoute', () => {
    const out = buildHardenedGateway({
      name: 'web', gateway: ingress, servers: [{ hosts: ['web.example.com'], credentialName: 'web-cert' }],
      cipherSuites: ['ECDHE-RSA-AES256-GCM-SHA384'], target: GW,
    });
    const ms = manifests(out);
    const https = find(ms, 'Gateway').spec.listeners.find((l: any) => l.protocol === 'HTTPS');
    expect(https.tls.options).toEqual({ 'gateway.istio.io/tls-cipher-suites': 'ECDHE-RSA-AES256-GCM-SHA384' });
    const redirect = find(ms, 'HTTPRoute', 'web-https-redirect');
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
  });

  test('TcpIngress through the istioctl gateway: a TCP listener and a TCPRoute on it', () => {
    const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 31400, protocol: Protocol.TCP }] });
    const ms = manifests(buildTcpIngress({ name: 'db', backend: db, port: 31400, gateway: ingress, gatewayNamespace: 'istio-system', target: GW }));
    const listener = find(ms, 'Gateway').spec.listeners[0];
    expect(listener).toMatchObject({ name: 'tcp-31400', port: 31400, protocol: 'TCP' });
    expect(find(ms, 'TCPRoute').spec.parentRefs).toEqual([{ name: 'db-gateway', namespace: 'istio-system', sectionName: 'tcp-31400' }]);
  });
});

describe('the app-wide default target', () => {
  test('RoutingTargets.setDefault applies to constructs below the scope; a construct prop wins', () => {
    const app = new App();
    RoutingTargets.setDefault(app, GW);
    const chart = new Chart(app, 'c', { namespace: 'bookinfo' });
    const a = new CanaryService(chart, 'a', { service: reviews, versions: [{ name: 'v1', weight: 1 }] });
    const b = new CanaryService(chart, 'b', { name: 'b', service: reviews, versions: [{ name: 'v1', weight: 1 }], target: { api: RoutingApi.ISTIO } });
    expect(a.manifests.map((m) => m.kind)).toEqual(['Service', 'HTTPRoute']);
    expect(b.manifests.map((m) => m.kind)).toEqual(['DestinationRule', 'VirtualService']);
  });

  test('the cdk8s context value sets it too', () => {
    const app = new App();
    app.node.setContext('istio-constructs:routingTarget', 'gateway-api');
    const c = new CanaryService(new Chart(app, 'c'), 'a', { service: reviews, versions: [{ name: 'v1', weight: 1 }] });
    expect(c.manifests.map((m) => m.kind)).toContain('HTTPRoute');
  });
});

describe('every Gateway API object is admitted (schema and CEL of the v1.6 CRDs)', () => {
  test('the outputs above validate', () => {
    const outs = [
      buildCanaryService({
        service: reviews, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }], target: GW,
        gateway: { gateway: IngressGateway.automated({ namespace: 'bookinfo' }), hosts: ['reviews.example.com'] },
        routes: [{ match: [{ uri: StringMatch.prefix('/api') }], to: 'v2', mirror: { version: 'v1', percentage: 50 } }],
      }),
      buildHttpRoute({
        name: 'r', namespace: 'frontend', destination: reviews, port: 9080, target: GW,
        rules: [{ match: [{ uri: StringMatch.exact('/old') }], redirect: { uri: '/new' } }, { match: [{ uri: StringMatch.prefix('/v1/') }], rewrite: { uri: '/' } }],
      }),
      buildHardenedGateway({ name: 'web', gateway: ingress, servers: [{ hosts: ['web.example.com'], credentialName: 'web-cert' }], target: GW }),
      buildTcpIngress({
        name: 'db', backend: ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 31400, protocol: Protocol.TCP }], selector: { app: 'db' } }),
        port: 31400, gateway: ingress, gatewayNamespace: 'istio-system', versions: [{ name: 'v1', weight: 1 }], target: GW,
      }),
    ];
    expectValid(outs.flatMap(manifests));
  });
});

describe('automated deployment parameters', () => {
  test('labels and annotations as infrastructure, replicas and Service type as ConfigMap overlays (parametersRef)', () => {
    const gw = IngressGateway.automated({
      namespace: 'bookinfo', labels: { team: 'books' }, annotations: { 'example.com/owner': 'books' }, replicas: 3, serviceType: 'ClusterIP',
    });
    const ms = manifests(buildCanaryService({ service: reviews, versions: [{ name: 'v1', weight: 1 }], gateway: { gateway: gw, hosts: ['r.example.com'] }, target: GW }));
    const g = find(ms, 'Gateway');
    expect(g.spec.infrastructure).toEqual({
      labels: { team: 'books' }, annotations: { 'example.com/owner': 'books' }, parametersRef: { group: '', kind: 'ConfigMap', name: 'reviews-gateway-parameters' },
    });
    const cm = find(ms, 'ConfigMap', 'reviews-gateway-parameters');
    expect(cm.metadata.namespace).toBe('bookinfo');
    expect(JSON.parse(cm.data.deployment)).toEqual({ spec: { replicas: 3 } });
    expect(JSON.parse(cm.data.service)).toEqual({ spec: { type: 'ClusterIP' } });
    expectValid(ms);
  });
  test('replicas with autoscaling, and min above max, are refused', () => {
    expect(errorOf(() => IngressGateway.automated({ namespace: 'a', replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 3 } })).path).toBe('replicas');
    expect(errorOf(() => IngressGateway.automated({ namespace: 'a', autoscaling: { minReplicas: 4, maxReplicas: 3 } })).path).toBe('autoscaling.minReplicas');
    expect(errorOf(() => IngressGateway.automated({ namespace: 'a', replicas: 1.5 } as any)).path).toBe('replicas');
  });
});

describe('Pulumi: the stack config sets the default target', () => {
  test('istio-constructs:routingApi gateway-api makes CanaryService register Gateway API children', async () => {
    const pulumi = await import('@pulumi/pulumi');
    const { CanaryService: PulumiCanary, ServiceRef: PulumiServiceRef } = await import('../src/pulumi');
    const { runPulumi } = await import('./helpers');
    pulumi.runtime.setAllConfig({ 'istio-constructs:routingApi': 'gateway-api' });
    try {
      const svc = PulumiServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: http9080, selector: { app: 'reviews' } });
      const resources = await runPulumi(() => [new PulumiCanary('reviews', { service: svc, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }] })]);
      expect(resources.map((r) => `${r.inputs.kind}/${r.inputs.metadata.name}`).sort()).toEqual(['HTTPRoute/reviews', 'Service/reviews-v1', 'Service/reviews-v2']);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});
