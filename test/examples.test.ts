/**
 * The seed scenarios: every example's charts are schema-valid, match their snapshot, and carry
 * the values SCENARIOS.md lists.
 */
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { examples } from '../examples';
import * as s10ingress from '../examples/s10-bookinfo-ingress/cdk8s';
import * as s11 from '../examples/s11-egress-gateway/cdk8s';
import * as s3props from '../examples/s3-dns-proxying/props';
import * as s6 from '../examples/s6-external-services/cdk8s';
import * as s7origination from '../examples/s7-tls-origination/cdk8s';
import { seedTlsOrigination } from '../examples/s7-tls-origination/props';
import { ErrorCode, Manifest, analyze, buildExternalEgress } from '../src';
import { errorOf, expectValid, find, synthApp } from './helpers';
import { releaseChain, synthInstallation } from './installation-examples';
import { validateWithDeclaredCrds } from '../examples/installation/validate';

// Installation examples render Istio's charts (about 1 MB of CRDs per release set): rendered once
// here, snapshotted as a digest (see installationDigest), not whole.
const plainExamples = examples.filter((e) => !e.installsIstio);
const installExamples = examples.filter((e) => e.installsIstio);
const installs = Object.fromEntries(installExamples.map((e) => [e.name, synthInstallation(e.cdk8s, e.name)]));
const byName: Record<string, Record<string, Manifest[]>> = {
  ...Object.fromEntries(plainExamples.map((e) => [e.name, synthApp(e.cdk8s)])),
  ...Object.fromEntries(installExamples.map((e) => [e.name, installs[e.name].charts])),
};
const defaultRoute = (vs: any) => vs.spec.http[vs.spec.http.length - 1];
const split = (route: any) => route.route.map((r: any) => [r.destination.subset, r.weight]);

describe.each(plainExamples.map((e) => [e.name]))('%s', (name) => {
  test('every chart is schema-valid and matches its snapshot', () => {
    const charts = byName[name];
    const all: Manifest[] = Object.values(charts).flat();
    expect(all.length).toBeGreaterThan(0);
    for (const objects of Object.values(charts)) expectValid(objects);
    expect(charts).toMatchSnapshot();
  });
});

describe.each(installExamples.map((e) => [e.name]))('%s (installs Istio)', (name) => {
  test('every object validates (rendered ones too), and the digest matches its snapshot', () => {
    const { charts, digest } = installs[name];
    for (const objects of Object.values(charts)) {
      expect(objects.length).toBeGreaterThan(0);
      expect(validateWithDeclaredCrds(objects)).toEqual([]);
    }
    expect(digest).toMatchSnapshot();
  });
});

// Every plain example, and one installation (helm renders cost a second each: the others are
// rendered once, above).
test('two synths of every example are byte-identical YAML', () => {
  for (const e of [...plainExamples, ...installExamples.filter((x) => x.name === 's3-s6-mesh-settings')]) {
    const [a, b] = [new App(), new App()];
    e.cdk8s(a);
    e.cdk8s(b);
    expect(a.synthYaml()).toBe(b.synthYaml());
    expect(a.synthYaml().length).toBeGreaterThan(100);
  }
});

describe('scenario values', () => {
  test('S1: TCP 31400 from the istio-system gateway to tcp-service:31400', () => {
    const objects = byName['s1-tcp-ingress']['tcp-ingress'];
    const gw = find(objects, 'Gateway', 'tcp-ingress-gateway');
    expect([gw.metadata.namespace, gw.spec.selector, gw.spec.servers[0].port.number, gw.spec.servers[0].port.protocol])
      .toEqual(['istio-system', { istio: 'ingressgateway' }, 31400, 'TCP']);
    const svc = find(objects, 'Service', 'tcp-service');
    expect([svc.metadata.namespace, svc.spec.selector, svc.spec.ports[0].port, svc.spec.ports[0].targetPort])
      .toEqual(['default', { app: 'tcp-app' }, 31400, 8080]);
    const vs = find(objects, 'VirtualService', 'tcp-virtual-service');
    expect(vs.metadata.namespace).toBe('default');
    expect(vs.spec.gateways).toEqual(['istio-system/tcp-ingress-gateway']);
    expect(vs.spec.tcp[0].route[0].destination).toEqual({ host: 'tcp-service.default.svc.cluster.local', port: { number: 31400 } });
  });

  test('S9: all to v1, then 90/10', () => {
    const charts = byName['s9-provider-canary'];
    expect(split(defaultRoute(find(charts['all-to-v1'], 'VirtualService')))).toEqual([['v1', 100]]);
    expect(split(defaultRoute(find(charts['split-90-10'], 'VirtualService')))).toEqual([['v1', 90], ['v2', 10]]);
    expect(find(charts['all-to-v1'], 'DestinationRule').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  });

  test('S10: the five productpage paths only, details, reviews stages', () => {
    const charts = byName['s10-bookinfo-traffic'];
    const bookinfo = find(charts.base, 'VirtualService', 'bookinfo');
    expect(bookinfo.spec.gateways).toEqual(['default/bookinfo-gateway']);
    expect(bookinfo.spec.http).toHaveLength(1);
    expect(bookinfo.spec.http[0].match).toEqual([
      { uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } },
      { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } },
    ]);
    expect(find(charts.base, 'Gateway', 'bookinfo-gateway').spec.servers[0].port.number).toBe(80);
    expect(find(charts.base, 'VirtualService', 'details').spec.hosts).toEqual(['details.default.svc.cluster.local']);
    expect(find(charts['reviews-shifting'], 'DestinationRule', 'reviews').spec.subsets.map((s: any) => s.labels)).toEqual([{ version: 'v1' }, { version: 'v2' }, { version: 'v3' }]);
    expect(split(defaultRoute(find(charts['reviews-shifting'], 'VirtualService')))).toEqual([['v1', 15], ['v2', 25], ['v3', 60]]);
    const endUser = find(charts['reviews-end-user'], 'VirtualService').spec.http;
    expect(endUser[0].match).toEqual([{ headers: { 'end-user': { exact: 'quentin' } } }]);
    expect([split(endUser[0]), split(endUser[1])]).toEqual([[['v3', 100]], [['v2', 100]]]);
    const ua = find(charts['reviews-user-agent'], 'VirtualService').spec.http;
    expect(ua[0].match).toEqual([{ headers: { 'user-agent': { regex: '.*Mobile.*' } } }]);
    expect([split(ua[0]), split(ua[1])]).toEqual([[['v3', 100]], [['v2', 100]]]);
    const mirror = defaultRoute(find(charts['reviews-mirror'], 'VirtualService'));
    expect(split(mirror)).toEqual([['v2', 100]]);
    expect([mirror.mirror.subset, mirror.mirrorPercentage]).toEqual(['v3', { value: 100 }]);
  });

  test('S12: splits, cookie and URI, source labels, mirror, retries, timeout, TCP', () => {
    const charts = byName['s12-cheat-sheet-routing'];
    const vs = (stage: string) => find(charts[stage], 'VirtualService', 'recommendation');
    expect(find(charts['split-90-10'], 'DestinationRule').spec.subsets).toEqual([
      { name: 'version-v1', labels: { version: 'v1' } }, { name: 'version-v2', labels: { version: 'v2' } },
    ]);
    expect(split(defaultRoute(vs('split-90-10')))).toEqual([['version-v1', 90], ['version-v2', 10]]);
    expect(split(defaultRoute(vs('split-75-25')))).toEqual([['version-v1', 75], ['version-v2', 25]]);
    expect(vs('cookie-and-uri').spec.http[0].match).toEqual([{ headers: { cookie: { regex: '^(.*?;)?(user=jason)(;.*)?' } }, uri: { prefix: '/ratings/v2/' } }]);
    expect(vs('source-labels').spec.http[0].match).toEqual([{ sourceLabels: { app: 'preference', version: 'v2' } }]);
    expect(split(vs('source-labels').spec.http[0])).toEqual([['version-v2', 100]]);
    expect(defaultRoute(vs('mirror')).mirror.subset).toBe('version-v2');
    const rt = defaultRoute(vs('retries-and-timeout'));
    expect([rt.retries.attempts, rt.retries.perTryTimeout, rt.timeout]).toEqual([3, '4s', '1s']);
    const pg = find(charts['postgresql-tcp'], 'VirtualService', 'postgresql');
    // The seed's sourceSubnet is not written: Istio ignores it (istio/istio #20024, 1.5).
    expect(pg.spec.tcp).toEqual([{
      match: [{ port: 5432 }],
      route: [{ destination: { host: 'postgresql.tutorial.svc.cluster.local', port: { number: 5555 } } }],
    }]);
    // The subnet restriction is an AuthorizationPolicy on the postgresql pods, port 5555 only.
    const authz = find(charts['postgresql-tcp'], 'AuthorizationPolicy', 'postgresql-subnet-only');
    expect(authz.metadata.namespace).toBe('tutorial');
    expect(authz.spec).toEqual({
      selector: { matchLabels: { app: 'postgresql' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notIpBlocks: ['172.17.0.0/16'] } }], to: [{ operation: { ports: ['5555'] } }] }],
    });
  });

  test('S5: ISTIOID cookie with a 60s ttl, test.com on default-gw to test2-bwce-srv:8080', () => {
    const objects = byName['s5-sticky-sessions'].sticky;
    const dr = find(objects, 'DestinationRule', 'default-sticky-dr');
    expect(dr.spec.host).toBe('test2-bwce-srv.default.svc.cluster.local');
    expect(dr.spec.trafficPolicy.loadBalancer.consistentHash).toEqual({ httpCookie: { name: 'ISTIOID', ttl: '60s' } });
    const vs = find(objects, 'VirtualService', 'test-vs');
    expect([vs.spec.hosts, vs.spec.gateways]).toEqual([['test.com'], ['default/default-gw']]);
    expect(vs.spec.http).toEqual([{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'test2-bwce-srv.default.svc.cluster.local', port: { number: 8080 } } }] }]);
    expect(find(objects, 'Gateway', 'default-gw').spec.servers[0].port).toEqual({ number: 80, name: 'http-80', protocol: 'HTTP' });
  });

  test('S10: productpage circuit breaker, ratings abort for testing-user only, details delay', () => {
    const charts = byName['s10-bookinfo-traffic'];
    expect(find(charts['productpage-circuit-breaker'], 'DestinationRule', 'bookinfo').spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 1 }, http: { http2MaxRequests: 3, maxRequestsPerConnection: 1 } },
    });
    const ratings = find(charts.faults, 'VirtualService', 'ratings').spec.http;
    expect(ratings[0].match).toEqual([{ headers: { 'end-user': { exact: 'testing-user' } } }]);
    expect(ratings[0].fault).toEqual({ abort: { httpStatus: 403, percentage: { value: 30 } } });
    expect(ratings[1].fault).toBeUndefined();
    const details = find(charts.faults, 'VirtualService', 'details').spec.http;
    expect(details[0].fault).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 50 } } });
  });

  test('S12: outlier detection and connection pool with today\'s fields', () => {
    const charts = byName['s12-cheat-sheet-routing'];
    // The seed's consecutiveErrors counted only 502/503/504 (Istio mapped it to Envoy's gateway failures).
    expect(find(charts['outlier-detection'], 'DestinationRule').spec.trafficPolicy.outlierDetection).toEqual({
      consecutiveGatewayErrors: 5, consecutive5xxErrors: 0, interval: '15s', baseEjectionTime: '2m', maxEjectionPercent: 100,
    });
    expect(find(charts['connection-pool'], 'DestinationRule').spec.trafficPolicy.connectionPool).toEqual({
      http: { http1MaxPendingRequests: 100, http2MaxRequests: 100, maxRequestsPerConnection: 1 },
      tcp: { maxConnections: 100, connectTimeout: '50ms' },
    });
    expect(JSON.stringify(charts)).not.toContain('consecutiveErrors');
  });

  test('S2: Server and x-envoy-* headers removed by EnvoyFilter before 1.20, by proxy configuration after', () => {
    const charts = byName['s2-server-header'];
    const ef = find(charts['envoy-filter'], 'EnvoyFilter');
    expect(ef.metadata.namespace).toBe('istio-system');
    expect(ef.spec.configPatches.map((p: any) => p.applyTo)).toEqual(['NETWORK_FILTER', 'ROUTE_CONFIGURATION', 'HTTP_FILTER']);
    expect(ef.spec.configPatches[0].patch.value.typed_config.server_header_transformation).toBe('PASS_THROUGH');
    expect(ef.spec.configPatches[1].patch.value.response_headers_to_remove).toContain('server');
    expect(charts['proxy-config'].filter((m) => m.kind === 'EnvoyFilter')).toEqual([]);
    const annotations = find(charts['proxy-config'], 'Deployment').spec.template.metadata.annotations;
    expect(JSON.parse(annotations['proxy.istio.io/config']).proxyHeaders.server).toEqual({ disabled: true });
  });

  test('S4: PERMISSIVE in foo, JWT with token-less requests denied, the user as a request principal', () => {
    const objects = byName['s4-security-trio'].security;
    expect(find(objects, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    expect(find(objects, 'PeerAuthentication', 'default').metadata.namespace).toBe('foo');
    expect(find(objects, 'RequestAuthentication', 'jwt-auth-policy').spec.jwtRules).toEqual([{ issuer: 'issuer.example.com', jwksUri: 'https://example.com/.well-known/jwks.json' }]);
    expect(find(objects, 'AuthorizationPolicy', 'jwt-auth-policy-require-jwt').spec.action).toBe('DENY');
    expect(find(objects, 'AuthorizationPolicy', 'rbac-policy').spec.rules).toEqual([{
      from: [{ source: { requestPrincipals: ['issuer.example.com/user@example.com'] } }], to: [{ operation: { methods: ['GET'] } }],
    }]);
  });

  test('S10 security: STRICT twice, allow-nothing plus four allow lists, JWT with the issuer required', () => {
    const objects = byName['s10-bookinfo-security'].security;
    const pas = objects.filter((m) => m.kind === 'PeerAuthentication').map((m) => [m.metadata.namespace, m.spec.mtls.mode]);
    expect(pas.sort()).toEqual([['default', 'STRICT'], ['istio-system', 'STRICT']]);
    expect(find(objects, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    expect(find(objects, 'AuthorizationPolicy', 'allow-details').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/default/sa/bookinfo-productpage']);
    expect(find(objects, 'AuthorizationPolicy', 'allow-ratings').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/default/sa/bookinfo-reviews']);
    expect(find(objects, 'AuthorizationPolicy', 'allow-productpage').spec.rules.map((r: any) => r.to[0].operation.methods)).toEqual([['GET'], ['POST']]);
    const jwt = find(objects, 'RequestAuthentication', 'productpage-jwt').spec.jwtRules[0];
    expect([jwt.issuer, jwt.forwardOriginalToken, JSON.parse(jwt.jwks).keys[0].kty]).toEqual(['testing@secure.istio.io', true, 'RSA']);
    expect(find(objects, 'AuthorizationPolicy', 'productpage-require-issuer').spec.rules[0].when).toEqual([{ key: 'request.auth.claims[iss]', notValues: ['testing@secure.istio.io'] }]);
  });

  test('S12 security: STRICT in tutorial, ISTIO_MUTUAL for the namespace, GET-only viewers', () => {
    const objects = byName['s12-cheat-sheet-security'].security;
    expect(find(objects, 'PeerAuthentication').spec.mtls.mode).toBe('STRICT');
    const dr = find(objects, 'DestinationRule');
    expect([dr.spec.host, dr.spec.trafficPolicy.tls.mode]).toEqual(['*.tutorial.svc.cluster.local', 'ISTIO_MUTUAL']);
    expect(objects.filter((m) => m.kind === 'AuthorizationPolicy').map((m) => m.spec.selector.matchLabels.app).sort()).toEqual(['customer', 'preference', 'recommendation']);
  });

  test('S13: HTTPS for blog.datadoc.info with credentialName, ISTIO_MUTUAL, subsets, 90/10, mesh-wide mTLS', () => {
    const objects = byName['s13-wordpress-canary'].wordpress;
    const gw = find(objects, 'Gateway', 'wordpress-gateway');
    expect(gw.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gw.spec.servers[0]).toEqual({
      port: { number: 443, name: 'https-443', protocol: 'HTTPS' }, hosts: ['blog.datadoc.info'],
      tls: { mode: 'SIMPLE', credentialName: 'blog-datadoc-info-tls', minProtocolVersion: 'TLSV1_2' },
    });
    const vs = find(objects, 'VirtualService', 'wordpress');
    expect(vs.spec.hosts).toContain('blog.datadoc.info');
    expect(vs.spec.gateways).toContain('default/wordpress-gateway');
    expect(split(defaultRoute(vs))).toEqual([['v1', 90], ['v2', 10]]);
    const dr = find(objects, 'DestinationRule', 'wordpress');
    expect([dr.spec.trafficPolicy.tls.mode, dr.spec.subsets.map((s: any) => s.labels.version)]).toEqual(['ISTIO_MUTUAL', ['v1', 'v2']]);
    expect(find(objects, 'PeerAuthentication').metadata.namespace).toBe('istio-system');
    expect(JSON.stringify(objects)).not.toContain('serverCertificate');
  });

  test('S3: DNS capture and auto-allocation on the inventory pod template, merged with its annotations; capture only for Istio 1.25+', () => {
    const charts = byName['s3-dns-proxying'];
    const proxyConfig = (stage: string) => {
      const template = find(charts[stage], 'Deployment', 'inventory').spec.template;
      expect(template.metadata.annotations['sidecar.istio.io/inject']).toBe('true');
      return YAML.parse(template.metadata.annotations['proxy.istio.io/config']);
    };
    expect(proxyConfig('dns-proxying')).toEqual({ proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } });
    expect(proxyConfig('dns-capture-only')).toEqual({ proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } });
    // Nothing else of the application's Deployment changes.
    for (const stage of s3props.stages) {
      const deployment = find(charts[stage], 'Deployment', 'inventory');
      const { 'proxy.istio.io/config': _, ...annotations } = deployment.spec.template.metadata.annotations;
      expect({ ...deployment, spec: { ...deployment.spec, template: { ...deployment.spec.template, metadata: { ...deployment.spec.template.metadata, annotations } } } })
        .toEqual(s3props.inventory);
    }
    // Two TCP hosts on one port, no addresses: only auto-allocated addresses tell them apart.
    for (const name of ['orders-db', 'billing-db']) {
      expect(find(charts['dns-proxying'], 'ServiceEntry', name).spec).toEqual({
        hosts: [`${name}.example.com`], ports: [{ number: 5432, protocol: 'TCP', name: 'tcp-postgres' }], location: 'MESH_EXTERNAL', resolution: 'DNS', exportTo: ['.'],
      });
    }
  });

  test('S3: the only findings are IST0134 warnings (istioctl reads only the mesh-wide proxy metadata, not pod annotations)', () => {
    for (const stage of s3props.stages) {
      const findings = analyze(byName['s3-dns-proxying'][stage]).map((d) => [d.level, d.code, d.resource]);
      expect(findings.sort()).toEqual([['Warning', 'IST0134', 'ServiceEntry shop/billing-db'], ['Warning', 'IST0134', 'ServiceEntry shop/orders-db']]);
    }
    // The same finding, from the builder, for a program that does not run the analysis.
    expect(buildExternalEgress(s3props.ordersDb).warnings?.map((w) => w.code)).toEqual(['SERVICE_ENTRY_ADDRESSES_REQUIRED']);
  });

  test('S6: wikipedia (TLS 443, NONE) and the coffee hosts (TLS 443, DNS); default limited to exactly those hosts, productpage and reviews to one each', () => {
    const objects = byName['s6-external-services']['external-services'];
    expect(find(objects, 'ServiceEntry', 'external-svc-redirect').spec).toEqual({
      hosts: ['wikipedia.org', '*.wikipedia.org'], ports: [{ number: 443, protocol: 'TLS', name: 'https' }], location: 'MESH_EXTERNAL', resolution: 'NONE',
    });
    expect(find(objects, 'ServiceEntry', 'coffee-website').spec).toEqual({
      hosts: ['a-cup-of.coffee', 'une-tasse-de.cafe'], ports: [{ number: 443, protocol: 'TLS', name: 'https' }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
    const sidecar = (name: string) => find(objects, 'Sidecar', name);
    expect(sidecar('default').spec).toEqual({
      egress: [{ hosts: ['./*', 'external/*.wikipedia.org', 'external/a-cup-of.coffee', 'external/une-tasse-de.cafe', 'external/wikipedia.org'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect([sidecar('productpage').spec.workloadSelector, sidecar('productpage').spec.egress]).toEqual([{ labels: { app: 'productpage' } }, [{ hosts: ['./*', 'external/a-cup-of.coffee'] }]]);
    expect([sidecar('reviews').spec.workloadSelector, sidecar('reviews').spec.egress]).toEqual([{ labels: { app: 'reviews' } }, [{ hosts: ['./*', 'external/une-tasse-de.cafe'] }]]);
    expect(objects.every((m) => m.kind !== 'Sidecar' || m.metadata.namespace === 'default')).toBe(true);
    // The ServiceEntries are outside `default`, so its `./*` does not import them.
    expect(objects.filter((m) => m.kind === 'ServiceEntry').map((m) => m.metadata.namespace)).toEqual(['external', 'external']);
    // Under the seed's REGISTRY_ONLY mesh, nothing to report.
    expect(s6.analysis.meshConfig).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(analyze(objects, s6.analysis)).toEqual([]);
  });

  test('S7: HTTP 80 from the application, SIMPLE TLS with SNI to wikipedia.org:443 from the sidecar', () => {
    const objects = byName['s7-tls-origination']['tls-origination'];
    expect(find(objects, 'ServiceEntry', 'se-app').spec).toEqual({
      hosts: ['wikipedia.org'], ports: [{ number: 80, protocol: 'HTTP', name: 'http', targetPort: 443 }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
    expect(find(objects, 'DestinationRule', 'se-app-tls').spec).toEqual({
      host: 'wikipedia.org',
      trafficPolicy: {
        portLevelSettings: [{
          port: { number: 80 },
          tls: { mode: 'SIMPLE', sni: 'wikipedia.org', caCertificates: '/etc/ssl/certs/ca-certificates.crt', subjectAltNames: ['wikipedia.org'] },
        }],
      },
    });
    expect(analyze(objects, s7origination.analysis)).toEqual([]);
  });

  test('S7 seed: an HTTPS port 443 plus a SIMPLE DestinationRule (TLS twice) is refused, with the HTTP 80 → 443 fix', () => {
    const e = errorOf(() => buildExternalEgress(seedTlsOrigination));
    expect(e.code).toBe(ErrorCode.INVALID_TLS);
    expect(e.path).toMatch(/^tlsOrigination/);
    expect(e.hint).toContain('protocol: Protocol.HTTP, targetPort: 443');
  });

  test('S10: the plain bookinfo ingress: bookinfo-gateway on 80, the five productpage paths to productpage:9080, no DestinationRule', () => {
    const objects = byName['s10-bookinfo-ingress']['bookinfo-ingress'];
    expect(objects.map((m) => m.kind).sort()).toEqual(['Gateway', 'VirtualService']);
    const gw = find(objects, 'Gateway', 'bookinfo-gateway');
    expect([gw.metadata.namespace, gw.spec.selector, gw.spec.servers]).toEqual(['default', { istio: 'ingressgateway' }, [{ hosts: ['*'], port: { number: 80, name: 'http', protocol: 'HTTP' } }]]);
    const vs = find(objects, 'VirtualService', 'bookinfo');
    expect([vs.spec.hosts, vs.spec.gateways]).toEqual([['*'], ['default/bookinfo-gateway']]);
    expect(vs.spec.http).toEqual([{
      name: 'productpage',
      match: [
        { uri: { exact: '/productpage' } }, { uri: { prefix: '/static' } }, { uri: { exact: '/login' } },
        { uri: { exact: '/logout' } }, { uri: { prefix: '/api/v1/products' } },
      ],
      route: [{ destination: { host: 'productpage.default.svc.cluster.local', port: { number: 9080 } } }],
    }]);
    // The same matches as s10-bookinfo-traffic, which needed a subset v1 for them.
    const traffic = find(byName['s10-bookinfo-traffic'].base, 'VirtualService', 'bookinfo');
    expect(traffic.spec.http[0].match).toEqual(vs.spec.http[0].match);
    expect(traffic.spec.http[0].route[0].destination.subset).toBe('v1');
    expect(analyze(objects, s10ingress.analysis)).toEqual([]);
  });

  test('S11: echo on the echo-ingress gateway (8000, two hosts); httpbin.org through the egress gateway, mesh → gateway → httpbin.org', () => {
    const charts = byName['s11-egress-gateway'];
    const echoGw = find(charts['echo-ingress'], 'Gateway', 'echo');
    expect(echoGw.spec).toEqual({
      selector: { 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress' },
      servers: [{ hosts: ['echo.18.197.110.20.nip.io', 'echo.18.185.173.38.nip.io'], port: { number: 8000, name: 'http', protocol: 'HTTP' } }],
    });
    const echo = find(charts['echo-ingress'], 'VirtualService', 'echo');
    expect([echo.spec.hosts, echo.spec.gateways]).toEqual([echoGw.spec.servers[0].hosts, ['default/echo']]);
    expect(echo.spec.http).toEqual([{ route: [{ destination: { host: 'echo.default.svc.cluster.local', port: { number: 80 } } }] }]);

    const egress = charts['httpbin-egress'];
    expect(find(egress, 'ServiceEntry', 'httpbin-egress').spec).toEqual({
      hosts: ['httpbin.org'], ports: [{ number: 80, protocol: 'HTTP', name: 'http' }], location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
    const gw = find(egress, 'Gateway', 'egress');
    expect(gw.metadata.namespace).toBe('default');
    // The host, not the seed's "*".
    expect(gw.spec).toEqual({ selector: { 'gateway-name': 'egress', 'gateway-type': 'egress' }, servers: [{ hosts: ['httpbin.org'], port: { number: 80, name: 'http-80', protocol: 'HTTP' } }] });
    const vs = find(egress, 'VirtualService', 'httpbin-egress');
    expect([vs.spec.hosts, vs.spec.gateways]).toEqual([['httpbin.org'], ['default/egress', 'mesh']]);
    expect(vs.spec.http.map((r: any) => [r.match, r.route[0].destination])).toEqual([
      [[{ gateways: ['mesh'], port: 80 }], { host: 'egress.default.svc.cluster.local', subset: 'httpbin-egress', port: { number: 80 } }],
      [[{ gateways: ['default/egress'], port: 80 }], { host: 'httpbin.org', port: { number: 80 } }],
    ]);
    expect(find(egress, 'DestinationRule', 'httpbin-egress-egress-gateway').spec).toEqual({ host: 'egress.default.svc.cluster.local', subsets: [{ name: 'httpbin-egress' }] });
    // Both halves applied together, under the seed's REGISTRY_ONLY mesh: nothing to report.
    expect(s11.analysis.meshConfig).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(analyze([...charts['echo-ingress'], ...egress], s11.analysis)).toEqual([]);
  });
});

describe('installation scenario values', () => {
  const objects = (example: string, stage: string) => installs[example].charts[stage];
  const mesh = (objs: Manifest[], name = 'istio') => YAML.parse(find(objs, 'ConfigMap', name).data.mesh);

  test('S10 install: demo profile with both default gateways (istio: ingressgateway / egressgateway), default labelled for injection', () => {
    const objs = objects('s10-istio-install', 'install');
    const chain = releaseChain('s10-istio-install', 'install');
    expect(chain.map((r) => [r.id, r.namespace, r.dependsOn])).toEqual([
      ['base', 'istio-system', []], ['istiod', 'istio-system', ['base']],
      ['gateway-istio-ingressgateway', 'istio-system', ['istiod']], ['gateway-istio-egressgateway', 'istio-system', ['istiod']],
    ]);
    expect(chain.find((r) => r.id === 'istiod')!.values.profile).toBe('demo');
    expect(find(objs, 'Deployment', 'istio-ingressgateway').spec.template.metadata.labels).toMatchObject({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(find(objs, 'Deployment', 'istio-egressgateway').spec.template.metadata.labels).toMatchObject({ app: 'istio-egressgateway', istio: 'egressgateway' });
    expect([find(objs, 'Service', 'istio-ingressgateway').spec.type, find(objs, 'Service', 'istio-egressgateway').spec.type]).toEqual(['LoadBalancer', 'ClusterIP']);
    expect(find(objs, 'Namespace', 'default').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    // CRDs come first in the file (cdk8s orders by the recorded dependencies).
    expect(objs.findIndex((m) => m.kind !== 'CustomResourceDefinition')).toBe(objs.filter((m) => m.kind === 'CustomResourceDefinition').length);
  });

  test('S1: the TcpIngress bound to the installation\'s gateway adds 31400 to its Service (nothing hand-written)', () => {
    const objs = objects('s1-installation-tcp-ingress', 'tcp-ingress');
    const svc = find(objs, 'Service', 'istio-ingressgateway');
    expect(svc.metadata.namespace).toBe('istio-system');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['status-port', 15021], ['http2', 80], ['https', 443], ['tcp-31400', 31400]]);
    // The props of the installation name no port: the gateway release values have none either.
    expect(JSON.stringify(releaseChain('s1-installation-tcp-ingress', 'tcp-ingress'))).not.toContain('31400');
    const gw = find(objs, 'Gateway', 'tcp-ingress-gateway');
    expect([gw.spec.selector, gw.spec.servers[0].port.number]).toEqual([{ app: 'istio-ingressgateway', istio: 'ingressgateway' }, 31400]);
  });

  test('S11: echo-ingress (LoadBalancer 8000) and egress (ClusterIP 80) with the seed\'s labels; the Gateways select what the chart labels the pods', () => {
    const objs = objects('s11-installation-gateways', 'gateways');
    const pods = (name: string) => find(objs, 'Deployment', name).spec.template.metadata.labels;
    expect(pods('echo-ingress')).toMatchObject({ 'app': 'echo-ingress', 'istio': 'echo-ingress', 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress' });
    expect(pods('egress')).toMatchObject({ 'app': 'egress', 'istio': 'egress', 'gateway-name': 'egress', 'gateway-type': 'egress' });
    const svc = (name: string) => find(objs, 'Service', name).spec;
    expect([svc('echo-ingress').type, svc('echo-ingress').ports.map((p: any) => p.port)]).toEqual(['LoadBalancer', [15021, 8000]]);
    expect([svc('egress').type, svc('egress').ports.map((p: any) => p.port)]).toEqual(['ClusterIP', [15021, 80]]);
    const echo = find(objs, 'Gateway', 'echo');
    expect(Object.entries(echo.spec.selector).every(([k, v]) => pods('echo-ingress')[k] === v)).toBe(true);
    expect(echo.spec.selector).toMatchObject({ 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress' });
    expect(find(objs, 'VirtualService', 'echo').spec.gateways).toEqual(['default/echo']);
    const egressGw = objs.filter((m) => m.kind === 'Gateway' && m.metadata.name !== 'echo');
    expect(egressGw.map((g: any) => Object.entries(g.spec.selector).every(([k, v]) => pods('egress')[k] === v))).toEqual([true]);
    expect(mesh(objs).outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
  });

  test('S3/S6: DNS capture and REGISTRY_ONLY in the istiod ConfigMap `mesh`; no agent auto-allocation on 1.32 (istiod allocates)', () => {
    const m = mesh(objects('s3-s6-mesh-settings', 'mesh-settings'));
    expect(m.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(m.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
  });

  test('S8: Kiali by its operator chart (cr.create) wired to Prometheus, Grafana and Jaeger; Jaeger is the tracing provider', () => {
    const objs = objects('s8-observability-addons', 'addons');
    const kiali = find(objs, 'Kiali', 'kiali');
    expect(kiali.metadata.namespace).toBe('istio-system');
    expect(JSON.stringify(kiali.spec.external_services)).toMatch(/prometheus.*grafana|grafana.*prometheus/);
    expect(find(objs, 'Deployment', 'kiali-operator').metadata.namespace).toBe('kiali-operator');
    for (const d of ['prometheus', 'grafana', 'jaeger']) expect(find(objs, 'Deployment', d).metadata.namespace).toBe('istio-system');
    expect(mesh(objs).extensionProviders.map((p: any) => p.name)).toContain('jaeger');
    expect(find(objs, 'Telemetry').spec.tracing[0].providers).toEqual([{ name: 'jaeger' }]);
  });

  test('ambient: base, istiod, cni, ztunnel in order; the namespace is ambient (dataplane mode only)', () => {
    const chain = releaseChain('ambient-installation', 'ambient');
    expect(chain.map((r) => [r.id, r.dependsOn])).toEqual([['base', []], ['istiod', ['base']], ['cni', ['istiod']], ['ztunnel', ['cni']]]);
    const objs = objects('ambient-installation', 'ambient');
    expect(find(objs, 'DaemonSet', 'ztunnel').metadata.namespace).toBe('istio-system');
    expect(find(objs, 'DaemonSet', 'istio-cni-node').metadata.namespace).toBe('istio-system');
    expect(find(objs, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  });

  test('canary: two istiod revisions side by side; prod-stable moves from 1-31-0 to 1-32-0, the namespaces keep their tag labels', () => {
    const tagRevision = (stage: string, tag: string) => {
      const hooks = objects('canary-upgrade', stage).filter((m) => m.kind === 'MutatingWebhookConfiguration' && m.metadata.labels?.['istio.io/tag'] === tag);
      expect(hooks).toHaveLength(1);
      return hooks[0].metadata.labels!['istio.io/rev'];
    };
    for (const stage of ['canary', 'promoted']) {
      const objs = objects('canary-upgrade', stage);
      expect(objs.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name).sort()).toEqual(['istiod-1-31-0', 'istiod-1-32-0']);
      expect(find(objs, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable' });
      expect(find(objs, 'Namespace', 'shop-canary').metadata.labels).toEqual({ 'istio.io/rev': 'prod-canary' });
    }
    expect([tagRevision('canary', 'prod-stable'), tagRevision('canary', 'prod-canary')]).toEqual(['1-31-0', '1-32-0']);
    expect([tagRevision('promoted', 'prod-stable'), tagRevision('promoted', 'prod-canary')]).toEqual(['1-32-0', '1-32-0']);
  });
});
