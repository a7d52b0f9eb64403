/**
 * The analysis of egress: routes to external hosts the program names on purpose (ICA0004), TLS
 * origination on a port that already carries TLS (ICA0005), gateway routes to `resolution: NONE`
 * hosts (ICA0006), and Istio's ServiceEntry / TLS-origination checks (IST0134, IST0177,
 * IST0128/IST0129) across ServiceEntries written by different constructs. The manifests have the
 * shapes of Istio's egress tasks (egress-control, egress-tls-origination, egress-gateway) and of
 * the seed scenarios S6, S7 and S11.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { analyze, assumedObjects, Diagnostic, externalHostReference } from '../src/analysis';
import { EgressGateway, ExternalHost } from '../src/core/external';
import { Manifest } from '../src/core/manifest';
import { Protocol } from '../src/core/ports';
import { IngressGateway, ServiceRef } from '../src/core/references';
import { registerWithApp } from '../src/cdk8s/app-checks';

const brief = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.level} ${d.resource}${d.path ? ` ${d.path}` : ''}`).sort();
const codes = (ds: readonly Diagnostic[]) => ds.map((d) => d.code);
const REGISTRY_ONLY = { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } };

function object(kind: string, name: string, namespace: string, spec: Record<string, unknown>, apiVersion = 'networking.istio.io/v1'): Manifest {
  return { apiVersion, kind, metadata: { name, namespace }, spec } as Manifest;
}
const vs = (name: string, namespace: string, spec: Record<string, unknown>) => object('VirtualService', name, namespace, spec);
const se = (name: string, namespace: string, spec: Record<string, unknown>) => object('ServiceEntry', name, namespace, spec);
const dr = (name: string, namespace: string, spec: Record<string, unknown>) => object('DestinationRule', name, namespace, spec);
const gw = (name: string, namespace: string, spec: Record<string, unknown>) => object('Gateway', name, namespace, spec);

/** The ServiceEntry of Istio's egress tasks for httpbin.org (HTTP 80, DNS). */
const httpbinEntry = (namespace = 'default', extra: Record<string, unknown> = {}) => se('httpbin-ext', namespace, {
  hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL', ...extra,
});
/** A mesh VirtualService routing httpbin.org with a timeout (an HTTP route). */
const httpRoute = (namespace = 'default') => vs('httpbin', namespace, {
  hosts: ['httpbin.org'], http: [{ timeout: '3s', route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] }],
});
/** A mesh VirtualService with an SNI route to httpbin.org:443 (a TLS route). */
const tlsRoute = (namespace = 'default', hosts = ['httpbin.org']) => vs('httpbin-tls', namespace, {
  hosts, tls: [{ match: [{ port: 443, sniHosts: ['httpbin.org'] }], route: [{ destination: { host: 'httpbin.org', port: { number: 443 } } }] }],
});

/** What a construct with `destination: ExternalHost.fromName(host)` tells the analysis (the cdk8s engine passes it as external). */
const named = (host: string) => assumedObjects({ destination: ExternalHost.fromName(host) });

describe('assumedObjects: external hosts and egress gateways', () => {
  test('an ExternalHost.fromName is a marker with its host and ports; a host declared by a ServiceEntry of the program is none', () => {
    const fromName = ExternalHost.fromName('httpbin.org', { ports: [{ port: 443, protocol: Protocol.TLS }] });
    const declared = ExternalHost.declaredBy({ name: 'httpbin-ext', namespace: 'default' }, 'api.example.com', []);
    expect(assumedObjects({ hosts: [fromName, declared] })).toEqual([externalHostReference('httpbin.org', [{ port: 443, protocol: 'TLS' }])]);
    expect(externalHostReference('httpbin.org').spec).toEqual({ host: 'httpbin.org', ports: [] });
  });

  test('an EgressGateway is assumed like an IngressGateway: its workload (selector labels) and its Service with its ports', () => {
    const egress = EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP }] });
    const out = assumedObjects({ gateway: egress });
    expect(out.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'Deployment istio-system/istio-egressgateway', 'Service istio-system/istio-egressgateway',
    ]);
    expect(out[1].spec).toEqual({ selector: { istio: 'egressgateway' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
    // AND a mesh route to the egress gateway's Service port resolves
    const route = vs('to-egress', 'default', { hosts: ['httpbin.org'], http: [{ route: [{ destination: { host: egress.fqdn, port: { number: 80 } } }] }] });
    expect(codes(analyze([route, httpbinEntry()], { external: out, analyzers: ['virtualservice.DestinationHostAnalyzer'] }))).toEqual([]);
  });
});

describe('ICA0004: a route to an external host named on purpose that no ServiceEntry declares', () => {
  test('without the marker, Istio\'s IST0101 (as istioctl analyze and the CLI report it)', () => {
    expect(brief(analyze([httpRoute()]))).toEqual(['IST0101 Error VirtualService default/httpbin spec.http[0].route[0].destination.host']);
  });

  test('HTTP route at the sidecars: ICA0004 Error instead of IST0101 (the route names a cluster Istio never builds: 503 under ALLOW_ANY too)', () => {
    const found = analyze([httpRoute()], { external: named('httpbin.org') });
    expect(brief(found)).toEqual(['ICA0004 Error VirtualService default/httpbin spec.http[0].route[0].destination.host']);
    expect(found[0].message).toMatch(/503 whatever the outbound traffic policy/);
    expect(found[0].message).toMatch(/ServiceEntry \(ExternalEgress\)/);
    expect(found[0].analyzer).toBe('library.ExternalHostAnalyzer');
  });

  test('TLS route of a VirtualService whose hosts are all outside the registry: Warning under ALLOW_ANY (not applied: passthrough), Error under REGISTRY_ONLY', () => {
    const allowAny = analyze([tlsRoute()], { external: named('httpbin.org') });
    expect(brief(allowAny)).toEqual(['ICA0004 Warning VirtualService default/httpbin-tls spec.tls[0].route[0].destination.host']);
    expect(allowAny[0].message).toMatch(/only work while the mesh's outbound traffic policy is ALLOW_ANY, leaving through the passthrough cluster/);
    const strict = analyze([tlsRoute()], { external: named('httpbin.org'), meshConfig: REGISTRY_ONLY });
    expect(brief(strict)).toEqual(['ICA0004 Error VirtualService default/httpbin-tls spec.tls[0].route[0].destination.host']);
    expect(strict[0].message).toMatch(/REGISTRY_ONLY sends connections .* black hole cluster/);
  });

  test('TLS route of a VirtualService with a registry host: Error (the route is applied and its connections closed)', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'proxy', namespace: 'default' }, spec: { ports: [{ name: 'tls', port: 443 }] } } as Manifest;
    const route = tlsRoute('default', ['proxy.default.svc.cluster.local']);
    expect(brief(analyze([route, service], { external: named('httpbin.org'), analyzers: ['library.ExternalHostAnalyzer'] })))
      .toEqual(['ICA0004 Error VirtualService default/httpbin-tls spec.tls[0].route[0].destination.host']);
  });

  test('a gateway route: Error whatever the policy (a gateway has no passthrough); a mirror at the sidecars: Warning', () => {
    const gateway = gw('edge', 'istio-system', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/shop.example.com'] }] });
    const viaGateway = vs('shop', 'default', { hosts: ['shop.example.com'], gateways: ['istio-system/edge'], http: [{ route: [{ destination: { host: 'httpbin.org' } }] }] });
    const mirror = vs('reviews', 'default', {
      hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }], mirror: { host: 'httpbin.org' } }],
    });
    const reviews = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 9080 }] } } as Manifest;
    const found = analyze([gateway, viaGateway, mirror, reviews], { external: named('httpbin.org'), analyzers: ['library.ExternalHostAnalyzer', 'virtualservice.DestinationHostAnalyzer'] });
    expect(brief(found)).toEqual([
      'ICA0004 Error VirtualService default/shop spec.http[0].route[0].destination.host',
      'ICA0004 Warning VirtualService default/reviews spec.http[0].mirror.host',
    ]);
    expect(found.find((d) => d.resourceName === 'shop')!.message).toMatch(/at gateway istio-system\/edge .* a gateway has no passthrough/);
  });

  test('a rule whose matches name only the gateway is judged at the gateway only (the egress route of S11 without its ServiceEntry)', () => {
    const route = vs('httpbin-egress', 'default', {
      hosts: ['httpbin.org'], gateways: ['istio-system/egress', 'mesh'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 80 } } }] },
        { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
      ],
    });
    const found = analyze([route], { external: named('httpbin.org'), analyzers: ['library.ExternalHostAnalyzer'] });
    expect(brief(found)).toEqual(['ICA0004 Error VirtualService default/httpbin-egress spec.http[1].route[0].destination.host']);
    expect(found[0].message).toMatch(/at gateway istio-system\/egress/);
    expect(found[0].message).not.toMatch(/sidecars/);
  });

  test('nothing when a ServiceEntry declares the host, in the program or in options.external', () => {
    expect(codes(analyze([httpRoute(), httpbinEntry()], { external: named('httpbin.org') }))).toEqual([]);
    expect(codes(analyze([httpRoute()], { external: [...named('httpbin.org'), httpbinEntry('egress')] }))).toEqual([]);
  });

  test('a ServiceEntry exported away from the route\'s namespace does not count', () => {
    const hidden = httpbinEntry('other', { exportTo: ['.'] });
    expect(brief(analyze([httpRoute(), hidden], { external: named('httpbin.org'), analyzers: ['library.ExternalHostAnalyzer', 'virtualservice.DestinationHostAnalyzer'] })))
      .toEqual(['ICA0004 Error VirtualService default/httpbin spec.http[0].route[0].destination.host']);
  });

  test('only the hosts named on purpose: another unresolved host stays IST0101; a wildcard reference covers its subdomains', () => {
    const route = vs('wiki', 'default', {
      hosts: ['en.wikipedia.org', 'typo.wikipedai.org'],
      tls: [
        { match: [{ port: 443, sniHosts: ['en.wikipedia.org'] }], route: [{ destination: { host: 'en.wikipedia.org', port: { number: 443 } } }] },
        { match: [{ port: 443, sniHosts: ['typo.wikipedai.org'] }], route: [{ destination: { host: 'typo.wikipedai.org', port: { number: 443 } } }] },
      ],
    });
    expect(brief(analyze([route], { external: assumedObjects({ to: ExternalHost.fromName('*.wikipedia.org') }) }))).toEqual([
      'ICA0004 Warning VirtualService default/wiki spec.tls[0].route[0].destination.host',
      'IST0101 Error VirtualService default/wiki spec.tls[1].route[0].destination.host',
    ]);
  });

  test('cdk8s: the construct\'s ExternalHost.fromName reaches the App-level analysis, whose synth fails on the Error', () => {
    // GIVEN a construct (registered as the library's constructs are) whose props name httpbin.org on purpose
    const app = Testing.app();
    const chart = new Chart(app, 'egress');
    const m = httpRoute();
    const object = new ApiObject(chart, 'route', { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, spec: m.spec });
    registerWithApp(chart, [object], [], assumedObjects({ destination: ExternalHost.fromName('httpbin.org') }));
    // WHEN it synthesizes THEN the error names ICA0004, not IST0101
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(() => app.synth()).toThrow(/ICA0004 \(VirtualService default\/httpbin\)/);
      expect(() => app.synth()).not.toThrow(/IST0101/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('ICA0005: TLS originated on a port where the application already speaks TLS (S7 seed mistake)', () => {
  const A = ['library.DoubleTlsAnalyzer'];
  /** S7: wikipedia.org with an HTTPS port (the application's own TLS). */
  const https443 = se('wikipedia', 'default', { hosts: ['wikipedia.org'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' });
  /** The correct origination: an HTTP port 80 the application calls in plain text, forwarded to 443. */
  const http80 = se('wikipedia', 'default', { hosts: ['wikipedia.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }], resolution: 'DNS', location: 'MESH_EXTERNAL' });
  const simple = (trafficPolicy: Record<string, unknown>, extra: Record<string, unknown> = {}) => dr('wikipedia', 'default', { host: 'wikipedia.org', trafficPolicy, ...extra });

  test('the seed: an HTTPS port and a SIMPLE DestinationRule, reported on the rule with the fix', () => {
    const found = analyze([https443, simple({ tls: { mode: 'SIMPLE', sni: 'wikipedia.org' } })], { analyzers: A });
    expect(brief(found)).toEqual(['ICA0005 Error DestinationRule default/wikipedia spec.trafficPolicy.tls']);
    expect(found[0].message).toMatch(/ServiceEntry default\/wikipedia declares with protocol HTTPS/);
    expect(found[0].message).toMatch(/number 80, protocol HTTP, targetPort 443/);
  });

  test('the correct form (HTTP port 80, targetPort 443, SIMPLE) and ISTIO_MUTUAL raise nothing', () => {
    expect(analyze([http80, simple({ tls: { mode: 'SIMPLE', sni: 'wikipedia.org' } })], { analyzers: A })).toEqual([]);
    expect(analyze([https443, simple({ tls: { mode: 'ISTIO_MUTUAL' } })], { analyzers: A })).toEqual([]);
  });

  test('port-level settings are matched on the ServiceEntry port number (not its targetPort) and replace the rule-level TLS for that port', () => {
    // Istio's egress-tls-origination shape: port 80 (HTTP → 443) and 443 (HTTPS), TLS on port 80 only
    const both = se('cnn', 'default', {
      hosts: ['edition.cnn.com'], resolution: 'DNS',
      ports: [{ number: 80, name: 'http-port', protocol: 'HTTP', targetPort: 443 }, { number: 443, name: 'https-port', protocol: 'HTTPS' }],
    });
    const rule = (trafficPolicy: Record<string, unknown>) => dr('cnn', 'default', { host: 'edition.cnn.com', trafficPolicy });
    const run = (trafficPolicy: Record<string, unknown>) => brief(analyze([both, rule(trafficPolicy)], { analyzers: A }));
    expect(run({ portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] })).toEqual([]);
    // a port-level entry for 443 without tls replaces the rule's SIMPLE there (Istio: no inheritance)
    expect(run({ tls: { mode: 'SIMPLE' }, portLevelSettings: [{ port: { number: 443 }, connectionPool: { tcp: { maxConnections: 5 } } }] })).toEqual([]);
    expect(run({ tls: { mode: 'SIMPLE' }, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'DISABLE' } }] })).toEqual([]);
    // the whole-rule SIMPLE reaches 443 when no port-level entry names it
    expect(run({ tls: { mode: 'SIMPLE' }, portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] }))
      .toEqual(['ICA0005 Error DestinationRule default/cnn spec.trafficPolicy.tls']);
    expect(run({ portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL', clientCertificate: '/c', privateKey: '/k' } }] }))
      .toEqual(['ICA0005 Error DestinationRule default/cnn spec.trafficPolicy.portLevelSettings[0].tls']);
    // a port-level 443 entry toward a host whose 443 is only a targetPort names no port of the entry: nothing originated on the TLS port
    expect(brief(analyze([http80, simple({ portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] })], { analyzers: A }))).toEqual([]);
  });

  test('a subset that originates TLS is reported at the subset; a subset that turns it off is not', () => {
    const rule = simple({}, { subsets: [
      { name: 'a', labels: { v: 'a' }, trafficPolicy: { tls: { mode: 'SIMPLE' } } },
      { name: 'b', labels: { v: 'b' }, trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'DISABLE' } }] } },
    ] });
    expect(brief(analyze([https443, rule], { analyzers: A }))).toEqual(['ICA0005 Error DestinationRule default/wikipedia spec.subsets[0].trafficPolicy.tls']);
  });

  test('the most specific DestinationRule host governs: a wildcard rule reaches en.wikipedia.org unless a rule for that host exists', () => {
    const en = se('en', 'default', { hosts: ['en.wikipedia.org'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
    const wildcard = dr('wiki-all', 'default', { host: '*.wikipedia.org', trafficPolicy: { tls: { mode: 'SIMPLE' } } });
    expect(brief(analyze([en, wildcard], { analyzers: A }))).toEqual(['ICA0005 Error DestinationRule default/wiki-all spec.trafficPolicy.tls']);
    const exact = dr('wiki-en', 'default', { host: 'en.wikipedia.org', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } });
    expect(analyze([en, wildcard, exact], { analyzers: A })).toEqual([]);
  });

  test('across constructs: a ServiceEntry from options.external, the rule in the program; rules and entries never visible together are left alone', () => {
    expect(brief(analyze([simple({ tls: { mode: 'SIMPLE' } })], { analyzers: A, external: [https443] })))
      .toEqual(['ICA0005 Error DestinationRule default/wikipedia spec.trafficPolicy.tls']);
    const privateEntry = se('wikipedia', 'team-a', { hosts: ['wikipedia.org'], exportTo: ['.'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] });
    const privateRule = dr('wikipedia', 'team-b', { host: 'wikipedia.org', exportTo: ['.'], trafficPolicy: { tls: { mode: 'SIMPLE' } } });
    expect(analyze([privateEntry, privateRule], { analyzers: A })).toEqual([]);
  });
});

describe('ICA0006: a gateway route to a ServiceEntry host with resolution NONE', () => {
  const A = ['library.GatewayPassthroughAnalyzer'];
  const egressGateway = gw('egress', 'istio-system', {
    selector: { istio: 'egressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/httpbin.org'] }],
  });
  /** S11: one VirtualService bound to the mesh and to the egress gateway. */
  const egressRoute = vs('httpbin-egress', 'default', {
    hosts: ['httpbin.org'], gateways: ['istio-system/egress', 'mesh'],
    http: [
      { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 80 } } }] },
      { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
    ],
  });

  test('the egress gateway half of S11 with resolution NONE (or none written): reported on the gateway route only', () => {
    for (const resolution of [{ resolution: 'NONE' }, {}]) {
      const entry = se('httpbin-ext', 'default', { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], location: 'MESH_EXTERNAL', ...resolution });
      const found = analyze([egressGateway, egressRoute, entry], { analyzers: A });
      expect(brief(found)).toEqual(['ICA0006 Error VirtualService default/httpbin-egress spec.http[1].route[0].destination.host']);
      expect(found[0].message).toMatch(/at egress gateway istio-system\/egress .* original destination .* the gateway itself/);
      expect(found[0].message).toMatch(/resolution to DNS/);
    }
  });

  test('resolution DNS or STATIC raises nothing; a mesh-only route to a NONE host raises nothing (a sidecar has the real original destination)', () => {
    expect(analyze([egressGateway, egressRoute, httpbinEntry()], { analyzers: A })).toEqual([]);
    const none = httpbinEntry('default', { resolution: 'NONE' });
    expect(analyze([httpRoute(), none], { analyzers: A })).toEqual([]);
  });

  test('an ingress gateway has the same problem (any gateway proxy forwards to itself), named without "egress"', () => {
    const ingress = gw('edge', 'istio-system', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*/*.wikipedia.org'] }] });
    const wiki = se('wikipedia', 'default', { hosts: ['*.wikipedia.org'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE', location: 'MESH_EXTERNAL' });
    const route = vs('wiki', 'default', {
      hosts: ['*.wikipedia.org'], gateways: ['istio-system/edge'],
      tls: [{ match: [{ port: 443, sniHosts: ['*.wikipedia.org'] }], route: [{ destination: { host: '*.wikipedia.org', port: { number: 443 } } }] }],
    });
    const found = analyze([ingress, wiki, route], { analyzers: A });
    expect(brief(found)).toEqual(['ICA0006 Error VirtualService default/wiki spec.tls[0].route[0].destination.host']);
    expect(found[0].message).toMatch(/^TLS route at gateway istio-system\/edge/);
  });
});

describe('Istio\'s ServiceEntry and TLS-origination checks across ServiceEntries of different constructs', () => {
  test('IST0134: the TCP entry without addresses is reported, the HTTP and TLS entries of another construct are not; DNS auto-allocation silences it', () => {
    const mongo = se('mongo', 'data', { hosts: ['mongo.example.com'], ports: [{ number: 27017, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' });
    const wiki = se('wikipedia', 'default', { hosts: ['*.wikipedia.org'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' });
    const A = ['serviceentry.ProtocolAddressesAnalyzer'];
    expect(brief(analyze([mongo, wiki, httpbinEntry()], { analyzers: A }))).toEqual(['IST0134 Warning ServiceEntry data/mongo spec.ports[0]']);
    const dnsProxy = { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } } };
    expect(analyze([mongo], { analyzers: A, meshConfig: dnsProxy })).toEqual([]);
    expect(analyze([se('mongo', 'data', { ...mongo.spec, addresses: ['240.0.0.10'] })], { analyzers: A })).toEqual([]);
  });

  test('IST0177: one host and port declared TLS by one construct and HTTPS by another; exportTo-disjoint entries do not conflict; an external entry is not reported', () => {
    const A = ['serviceentry.ConflictingServiceEntryProtocolAnalyzer'];
    const tls = se('api-tls', 'team-a', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
    const https = se('api-https', 'team-b', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' });
    const found = analyze([tls, https], { analyzers: A });
    expect(brief(found)).toEqual(['IST0177 Warning ServiceEntry team-a/api-tls metadata.name', 'IST0177 Warning ServiceEntry team-b/api-https metadata.name']);
    expect(found[0].message).toMatch(/HTTPS, TLS/);
    expect(found[0].message).toMatch(/team-a\/api-tls, team-b\/api-https/);
    const scoped = (m: Manifest) => se(m.metadata.name, m.metadata.namespace!, { ...m.spec, exportTo: ['.'] });
    expect(analyze([scoped(tls), scoped(https)], { analyzers: A })).toEqual([]);
    expect(brief(analyze([tls], { analyzers: A, external: [https] }))).toEqual(['IST0177 Warning ServiceEntry team-a/api-tls metadata.name']);
    // the same host on another port (an HTTP origination port beside the TLS one) is no conflict
    const http80 = se('api-http', 'team-b', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }], resolution: 'DNS' });
    expect(analyze([tls, http80], { analyzers: A })).toEqual([]);
  });

  test('IST0128/IST0129 on TLS origination rules (Istio\'s semantics): no CA is reported at the rule and per port, not per subset; a credentialName only counts with a workloadSelector', () => {
    const A = ['destinationrule.CaCertificateAnalyzer'];
    const origination = dr('cnn', 'default', {
      host: 'edition.cnn.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE' } }] },
      subsets: [{ name: 'x', trafficPolicy: { tls: { mode: 'SIMPLE' } } }],
    });
    const found = analyze([origination], { analyzers: A });
    expect(brief(found)).toEqual(['IST0129 Warning DestinationRule default/cnn spec.trafficPolicy.portLevelSettings[0].tls']);
    // The message says what Istio >= 1.21 does: verification against the system root CAs only.
    expect(found[0].message).toMatch(/public root CA of its system bundle/);
    const skip = dr('cnn', 'default', { host: 'edition.cnn.com', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } });
    expect(analyze([skip], { analyzers: A })[0].message).toMatch(/insecureSkipVerify is true, so the server's certificate is not verified at all/);
    const withCa = dr('cnn', 'default', { host: 'edition.cnn.com', trafficPolicy: { tls: { mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem' } } });
    expect(analyze([withCa], { analyzers: A })).toEqual([]);
    // egress gateway origination with a credential (Istio's egress-gateway-tls-origination task): reported unless the rule has a workloadSelector
    const credential = { tls: { mode: 'MUTUAL', credentialName: 'client-credential', sni: 'my-nginx.mesh-external.svc.cluster.local' } };
    const atGateway = dr('originate', 'istio-system', { host: 'my-nginx.mesh-external.svc.cluster.local', trafficPolicy: credential });
    expect(codes(analyze([atGateway], { analyzers: A }))).toEqual(['IST0128']);
    expect(analyze([dr('originate', 'istio-system', { ...atGateway.spec, workloadSelector: { matchLabels: { istio: 'egressgateway' } } })], { analyzers: A })).toEqual([]);
  });
});

describe('S6/S11 shaped programs analyze cleanly', () => {
  test('S11 with resolution DNS, REGISTRY_ONLY, the egress gateway assumed from an EgressGateway: no diagnostic', () => {
    const egress = EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP }] });
    const gateway = gw('egress', 'istio-system', { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/httpbin.org'] }] });
    const route = vs('httpbin-egress', 'default', {
      hosts: ['httpbin.org'], gateways: ['istio-system/egress', 'mesh'],
      http: [
        { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: egress.fqdn, port: { number: 80 } } }] },
        { match: [{ gateways: ['istio-system/egress'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
      ],
    });
    const found = analyze([gateway, route, httpbinEntry()], { external: assumedObjects({ gateway: egress }), meshConfig: REGISTRY_ONLY });
    expect(found).toEqual([]);
  });

  test('S6: the wikipedia (NONE, TLS) and coffee (DNS, TLS) entries, reached by the mesh only: no diagnostic', () => {
    const wiki = se('wikipedia', 'default', { hosts: ['wikipedia.org', '*.wikipedia.org'], location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' });
    const coffee = se('coffee', 'default', { hosts: ['a-cup-of.coffee', 'une-tasse-de.cafe'], location: 'MESH_EXTERNAL', ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
    expect(analyze([wiki, coffee], { meshConfig: REGISTRY_ONLY })).toEqual([]);
  });

  test('a ServiceRef and an IngressGateway in the same props are still assumed beside the external host', () => {
    const out = assumedObjects({
      service: ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080 }] }),
      gateway: IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system' }),
      to: ExternalHost.fromName('httpbin.org'),
    });
    expect(out.map((m) => m.kind)).toEqual(['Service', 'Deployment', 'ExternalHostReference']);
  });
});
