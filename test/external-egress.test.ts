import * as fc from 'fast-check';
import {
  EgressGateway, ErrorCode, ExternalEgressProps, IstioConstructError, Manifest, Protocol, ServiceEntryLocation, ServiceEntryResolution,
  TlsOriginationMode, WarningCode, buildExternalEgress, manifestsOf, validateManifestsDetailed,
} from '../src';
import { ExternalEgress } from '../src/cdk8s';
import { ExternalEgress as PulumiExternalEgress } from '../src/pulumi';
import { invalidEgressProps, validEgressProps } from './arbitraries/external-egress';
import { errorOf, find, runPulumi, setPulumiMocks, synth } from './helpers';

/** Every object admitted, without even a webhook warning. */
function expectAdmitted(manifests: readonly Manifest[]): void {
  const { errors, warnings } = validateManifestsDetailed(manifests);
  expect(errors).toEqual([]);
  expect(warnings).toEqual([]);
}

// S11: the egress gateway of seed 002 (MeshGateway `egress`, ClusterIP, port 80, labels gateway-name/gateway-type).
const s11Gateway = EgressGateway.fromSelector({ 'gateway-name': 'egress', 'gateway-type': 'egress' }, {
  namespace: 'default', serviceName: 'egress', ports: [{ port: 80, protocol: Protocol.HTTP, name: 'http' }],
});
// Istio's default egress gateway (istioctl demo profile), with HTTP 80 and TLS 443.
const istioEgress = EgressGateway.fromSelector({ istio: 'egressgateway' }, {
  namespace: 'istio-system', serviceName: 'istio-egressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS, name: 'https' }],
});

describe('ExternalEgress: the seed scenarios', () => {
  test('S6 wikipedia.org and *.wikipedia.org: TLS 443, resolution NONE, MESH_EXTERNAL', () => {
    const objects = synth((chart) => {
      new ExternalEgress(chart, 'wikipedia', {
        name: 'external-svc-redirect', namespace: 'default', hosts: ['wikipedia.org', '*.wikipedia.org'],
        ports: [{ port: 443, protocol: Protocol.TLS, name: 'https' }], resolution: ServiceEntryResolution.NONE,
      });
    });
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    const se = find(objects, 'ServiceEntry', 'external-svc-redirect');
    expect(se.apiVersion).toBe('networking.istio.io/v1');
    expect(se.spec).toEqual({
      hosts: ['wikipedia.org', '*.wikipedia.org'],
      ports: [{ number: 443, protocol: 'TLS', name: 'https' }],
      location: 'MESH_EXTERNAL',
      resolution: 'NONE',
    });
  });

  test('S6 a-cup-of.coffee and une-tasse-de.cafe: TLS 443, resolution DNS (two hosts share a TLS port: told apart by SNI)', () => {
    const objects = synth((chart) => {
      new ExternalEgress(chart, 'coffee', {
        name: 'coffee-website', namespace: 'default', hosts: ['a-cup-of.coffee', 'une-tasse-de.cafe'],
        ports: [{ port: 443, protocol: Protocol.TLS, name: 'https' }], resolution: ServiceEntryResolution.DNS,
      });
    });
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    const se = find(objects, 'ServiceEntry', 'coffee-website');
    expect(se.spec.resolution).toBe('DNS');
    expect(se.spec.hosts).toEqual(['a-cup-of.coffee', 'une-tasse-de.cafe']);
  });

  test('resolution defaults: DNS for exact hosts, NONE with a wildcard, STATIC for IP endpoints, DNS for named endpoints', () => {
    const tls = [{ port: 443, protocol: Protocol.TLS }];
    const res = (p: Partial<ExternalEgressProps>) => buildExternalEgress({ name: 'x', namespace: 'default', hosts: ['api.example.com'], ports: tls, ...p }).serviceEntry.spec.resolution;
    expect(res({})).toBe('DNS');
    expect(res({ hosts: ['*.example.com'] })).toBe('NONE');
    expect(res({ endpoints: [{ address: '10.0.0.1' }] })).toBe('STATIC');
    expect(res({ endpoints: [{ address: '10.0.0.1' }, { address: 'eu.api.example.com' }] })).toBe('DNS');
  });

  test('S7 corrected: the application speaks HTTP on 80, the ServiceEntry maps it to 443, a DestinationRule originates SIMPLE TLS with the SNI', () => {
    const objects = synth((chart) => {
      new ExternalEgress(chart, 'wikipedia', {
        name: 'se-app', namespace: 'default', hosts: ['wikipedia.org'],
        ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }],
        tlsOrigination: { mode: TlsOriginationMode.SIMPLE, caCertificates: '/etc/ssl/certs/ca-certificates.crt' },
      });
    });
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    expect(find(objects, 'ServiceEntry').spec.ports).toEqual([{ number: 80, protocol: 'HTTP', name: 'http', targetPort: 443 }]);
    const dr = find(objects, 'DestinationRule', 'se-app-tls');
    expect(dr.spec.host).toBe('wikipedia.org');
    // Port level, so a TLS port of the same host (if any) is never encrypted twice.
    expect(dr.spec.trafficPolicy).toEqual({
      portLevelSettings: [{
        port: { number: 80 },
        tls: { mode: 'SIMPLE', caCertificates: '/etc/ssl/certs/ca-certificates.crt', sni: 'wikipedia.org', subjectAltNames: ['wikipedia.org'] },
      }],
    });
  });

  test('S11: ServiceEntry httpbin.org (HTTP 80, DNS, MESH_EXTERNAL), Gateway on the egress workload, VirtualService httpbin-egress bound to the gateway and mesh', () => {
    let construct!: ExternalEgress;
    const objects = synth((chart) => {
      construct = new ExternalEgress(chart, 'httpbin', {
        name: 'httpbin-egress', namespace: 'default', hosts: ['httpbin.org'],
        ports: [{ port: 80, protocol: Protocol.HTTP }],
        egressGateway: { gateway: s11Gateway, gatewayName: 'egress' },
      });
    });
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    const se = find(objects, 'ServiceEntry', 'httpbin-egress');
    expect(se.spec).toMatchObject({ hosts: ['httpbin.org'], ports: [{ number: 80, protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' });
    // The seed's Gateway names the hosts "*": this one names the host.
    const gw = find(objects, 'Gateway', 'egress');
    expect(gw.metadata.namespace).toBe('default');
    expect(gw.spec.selector).toEqual({ 'gateway-name': 'egress', 'gateway-type': 'egress' });
    expect(gw.spec.servers).toEqual([{ port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['httpbin.org'] }]);
    const dr = find(objects, 'DestinationRule', 'httpbin-egress-egress-gateway');
    expect(dr.spec).toEqual({ host: 'egress.default.svc.cluster.local', subsets: [{ name: 'httpbin-egress' }] });
    const vs = find(objects, 'VirtualService', 'httpbin-egress');
    expect(vs.spec.hosts).toEqual(['httpbin.org']);
    // namespace/name, never the seed's bare "egress"
    expect(vs.spec.gateways).toEqual(['default/egress', 'mesh']);
    expect(vs.spec.http).toEqual([
      { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: 'egress.default.svc.cluster.local', subset: 'httpbin-egress', port: { number: 80 } } }] },
      { match: [{ gateways: ['default/egress'], port: 80 }], route: [{ destination: { host: 'httpbin.org', port: { number: 80 } } }] },
    ]);
    // Apply order: ServiceEntry first, DestinationRules and the Gateway before the route.
    expect(construct.manifests.map((m) => m.kind)).toEqual(['ServiceEntry', 'Gateway', 'DestinationRule', 'VirtualService']);
    const out = buildExternalEgress({ name: 'httpbin-egress', namespace: 'default', hosts: ['httpbin.org'], ports: [{ port: 80, protocol: Protocol.HTTP }], egressGateway: { gateway: s11Gateway } });
    expect(out.objects.find((o) => o.role === 'virtual-service')!.dependsOn).toEqual(['service-entry', 'egress-gateway-destination-rule', 'gateway']);
  });

  test('typed hosts: ExternalHost references declared by the ServiceEntry, with its ports', () => {
    synth((chart) => {
      const c = new ExternalEgress(chart, 'coffee', {
        name: 'coffee', namespace: 'shop', hosts: ['a-cup-of.coffee', 'une-tasse-de.cafe'], ports: [{ port: 443, protocol: Protocol.TLS }],
      });
      expect(c.hosts.map((h) => h.fqdn)).toEqual(['a-cup-of.coffee', 'une-tasse-de.cafe']);
      const h = c.host('une-tasse-de.cafe');
      expect(h.serviceEntry).toEqual({ name: 'coffee', namespace: 'shop' });
      expect(h.ports.map((p) => [p.port, p.protocol])).toEqual([[443, 'TLS']]);
      expect(errorOf(() => c.host('perdu.com')).code).toBe(ErrorCode.INVALID_HOST);
    });
  });
});

describe('ExternalEgress through an egress gateway', () => {
  test('TLS passthrough: a PASSTHROUGH server and tls routes by SNI, one VirtualService per host', () => {
    const out = buildExternalEgress({
      name: 'cnn', namespace: 'default', hosts: ['edition.cnn.com', 'www.cnn.com'], ports: [{ port: 443, protocol: Protocol.TLS }],
      egressGateway: { gateway: istioEgress },
    });
    const objects = manifestsOf(out);
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    expect(out.gateway!.metadata.namespace).toBe('istio-system');
    expect(out.gateway!.spec.servers).toEqual([{ port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['edition.cnn.com', 'www.cnn.com'], tls: { mode: 'PASSTHROUGH' } }]);
    expect(out.virtualServices.map((v) => v.metadata.name)).toEqual(['cnn-1', 'cnn-2']);
    expect(out.virtualServices[1].spec.tls).toEqual([
      { match: [{ gateways: ['mesh'], port: 443, sniHosts: ['www.cnn.com'] }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'cnn-2', port: { number: 443 } } }] },
      { match: [{ gateways: ['istio-system/cnn-gateway'], port: 443, sniHosts: ['www.cnn.com'] }], route: [{ destination: { host: 'www.cnn.com', port: { number: 443 } } }] },
    ]);
    expect(out.virtualServices[1].spec.http).toBeUndefined();
  });

  test('TLS origination at the gateway: ISTIO_MUTUAL from the sidecar (SNI = host), SIMPLE from the gateway, scoped to the gateway pods', () => {
    const out = buildExternalEgress({
      name: 'cnn', namespace: 'default', hosts: ['edition.cnn.com'], ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }],
      egressGateway: { gateway: istioEgress },
      tlsOrigination: { credentialName: 'cnn-ca' },
    });
    const objects = manifestsOf(out);
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    expect(out.warnings).toBeUndefined(); // the CA comes from the Secret the gateway reads
    expect(out.gateway!.spec.servers).toEqual([{ port: { number: 80, name: 'https-80', protocol: 'HTTPS' }, hosts: ['edition.cnn.com'], tls: { mode: 'ISTIO_MUTUAL' } }]);
    expect(out.egressGatewayRule!.spec.subsets).toEqual([{
      name: 'cnn',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'edition.cnn.com' } }] },
    }]);
    const [dr] = out.tlsOriginations;
    expect(dr.metadata.namespace).toBe('istio-system');
    expect(dr.spec).toEqual({
      host: 'edition.cnn.com',
      workloadSelector: { matchLabels: { istio: 'egressgateway' } },
      exportTo: ['.'],
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', credentialName: 'cnn-ca', sni: 'edition.cnn.com', subjectAltNames: ['edition.cnn.com'] } }] },
    });
    expect(out.virtualServices[0].spec.http![1].route).toEqual([{ destination: { host: 'edition.cnn.com', port: { number: 80 } } }]);
  });

  test('exportTo that hides the routes from the gateway namespace is refused; one that includes it is kept on every object', () => {
    const base = { name: 'httpbin', namespace: 'apps', hosts: ['httpbin.org'], ports: [{ port: 80, protocol: Protocol.HTTP }], egressGateway: { gateway: istioEgress } };
    const e = errorOf(() => buildExternalEgress({ ...base, exportTo: ['.'] }));
    expect([e.code, e.path]).toEqual([ErrorCode.CONFLICTING_PROPS, 'egressGateway']);
    const out = buildExternalEgress({ ...base, exportTo: ['.', 'istio-system'] });
    expectAdmitted(manifestsOf(out));
    for (const m of [out.serviceEntry, out.egressGatewayRule!, ...out.virtualServices]) expect(m.spec.exportTo).toEqual(['.', 'istio-system']);
  });
});

describe('ExternalEgress: endpoints and WorkloadEntries', () => {
  test('STATIC endpoints with ports by ServiceEntry port number, weight, locality, network, labels', () => {
    const out = buildExternalEgress({
      name: 'db', namespace: 'data', hosts: ['db.corp.example'], addresses: ['10.8.0.0/16'],
      ports: [{ port: 5432, protocol: Protocol.TCP }],
      endpoints: [{ address: '10.8.1.1', ports: { 5432: 6432 }, weight: 3, locality: 'eu-west1/eu-west1-b', network: 'vpc-2', labels: { tier: 'primary' } }, { address: '10.8.1.2' }],
    });
    expectAdmitted(manifestsOf(out));
    expect(out.serviceEntry.spec.resolution).toBe('STATIC');
    expect(out.serviceEntry.spec.endpoints).toEqual([
      { address: '10.8.1.1', ports: { tcp: 6432 }, weight: 3, locality: 'eu-west1/eu-west1-b', network: 'vpc-2', labels: { tier: 'primary' } },
      { address: '10.8.1.2' },
    ]);
    expect(out.warnings).toBeUndefined();
  });

  test('WorkloadEntries: emitted objects the ServiceEntry selects by its own label', () => {
    const out = buildExternalEgress({
      name: 'legacy', namespace: 'apps', hosts: ['legacy.corp.example'], ports: [{ port: 8080, protocol: Protocol.HTTP }],
      location: ServiceEntryLocation.MESH_INTERNAL,
      workloadEntries: [{ address: '192.168.10.4', labels: { vm: 'a' } }, { address: '192.168.10.5' }],
    });
    const objects = manifestsOf(out);
    expectAdmitted(objects);
    expect(objects).toMatchSnapshot();
    expect(out.serviceEntry.spec.workloadSelector).toEqual({ labels: { 'istio-constructs/service-entry': 'legacy' } });
    expect(out.serviceEntry.spec.endpoints).toBeUndefined();
    expect(out.workloadEntries.map((w) => [w.metadata.name, w.spec.labels])).toEqual([
      ['legacy-1', { vm: 'a', 'istio-constructs/service-entry': 'legacy' }],
      ['legacy-2', { 'istio-constructs/service-entry': 'legacy' }],
    ]);
  });
});

describe('ExternalEgress: warnings', () => {
  test('a TCP port without addresses (resolution DNS): IST0134 unless DNS proxying reaches the allocated address', () => {
    const out = buildExternalEgress({ name: 'mysql', namespace: 'default', hosts: ['mysql.example.com'], ports: [{ port: 3306, protocol: Protocol.TCP }] });
    expect(out.warnings?.map((w) => [w.code, w.path])).toEqual([[WarningCode.SERVICE_ENTRY_ADDRESSES_REQUIRED, 'ports[0]']]);
  });

  test('origination without a pinned CA (IST0129), and with insecureSkipVerify', () => {
    const base = { name: 'w', namespace: 'default', hosts: ['wikipedia.org'], ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }] };
    const noCa = buildExternalEgress({ ...base, tlsOrigination: {} });
    expect(noCa.warnings?.map((w) => w.code)).toEqual([WarningCode.SERVER_CERTIFICATE_NOT_VERIFIED]);
    expect(noCa.warnings![0].message).toContain('IST0129');
    const skip = buildExternalEgress({ ...base, tlsOrigination: { insecureSkipVerify: true } });
    expect(skip.warnings?.map((w) => [w.code, w.path])).toEqual([[WarningCode.SERVER_CERTIFICATE_NOT_VERIFIED, 'tlsOrigination.insecureSkipVerify']]);
    expect(skip.tlsOriginations[0].spec.trafficPolicy!.portLevelSettings![0].tls).toEqual({ mode: 'SIMPLE', sni: 'wikipedia.org', insecureSkipVerify: true });
    expectAdmitted(manifestsOf(skip));
  });

  test('MUTUAL origination at the sidecars: credentialName with the client workloadSelector (sidecars read it only then)', () => {
    const out = buildExternalEgress({
      name: 'bank', namespace: 'pay', hosts: ['api.bank.example'], ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }],
      tlsOrigination: { mode: TlsOriginationMode.MUTUAL, credentialName: 'bank-client', workloadSelector: { app: 'payments' } },
    });
    expectAdmitted(manifestsOf(out));
    expect(out.warnings).toBeUndefined();
    expect(out.tlsOriginations[0].spec).toMatchObject({ workloadSelector: { matchLabels: { app: 'payments' } }, exportTo: ['.'] });
  });
});

describe('ExternalEgress: the seed mistakes', () => {
  test('S7 seed: an HTTPS port plus SIMPLE origination (double TLS) is refused, with the fix', () => {
    const e = errorOf(() => buildExternalEgress({
      name: 'se-app', namespace: 'default', hosts: ['wikipedia.org'], ports: [{ port: 443, protocol: Protocol.HTTPS, name: 'https' }],
      resolution: ServiceEntryResolution.DNS, tlsOrigination: { mode: TlsOriginationMode.SIMPLE, port: 443 },
    }));
    expect(e.code).toBe(ErrorCode.INVALID_TLS);
    expect(e.message).toContain('encrypt twice');
    expect(e.hint).toContain('protocol: Protocol.HTTP, targetPort: 443');
  });

  test('S11 seed: a Gateway host "*" cannot be expressed (the host list is the ServiceEntry\'s, and "*" is refused)', () => {
    const e = errorOf(() => buildExternalEgress({ name: 'httpbin-egress', namespace: 'default', hosts: ['*'], ports: [{ port: 80, protocol: Protocol.HTTP }], egressGateway: { gateway: s11Gateway } }));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_HOST, 'hosts[0]']);
  });

  test('S11 seed: the egress gateway Service must expose the Gateway port (IST0162)', () => {
    const e = errorOf(() => buildExternalEgress({
      name: 'httpbin-egress', namespace: 'default', hosts: ['httpbin.org'], ports: [{ port: 80, protocol: Protocol.HTTP }], egressGateway: { gateway: s11Gateway, gatewayPort: 8080 },
    }));
    expect([e.code, e.path]).toEqual([ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'egressGateway.port']);
  });
});

describe('ExternalEgress validation', () => {
  const http = [{ port: 80, protocol: Protocol.HTTP }];
  const tls = [{ port: 443, protocol: Protocol.TLS }];
  const b = (p: Partial<ExternalEgressProps>) => () => buildExternalEgress({ name: 'x', namespace: 'default', hosts: ['api.example.com'], ports: tls, ...p } as ExternalEgressProps);
  const cases: Array<[string, () => unknown, ErrorCode, string]> = [
    ['an invalid host', b({ hosts: ['bad_host.example.com'] }), ErrorCode.INVALID_HOST, 'hosts[0]'],
    ['an IP address as host', b({ hosts: ['93.184.216.34'] }), ErrorCode.INVALID_HOST, 'hosts[0]'],
    ['a cluster Service name as host', b({ hosts: ['reviews.prod.svc.cluster.local'] }), ErrorCode.INVALID_HOST, 'hosts[0]'],
    ['no hosts', b({ hosts: [] }), ErrorCode.INVALID_HOST, 'hosts'],
    ['an exact host a wildcard covers', b({ hosts: ['*.example.com', 'api.example.com'], resolution: ServiceEntryResolution.NONE }), ErrorCode.INVALID_HOST, 'hosts[1]'],
    ['a host twice', b({ hosts: ['api.example.com', 'api.example.com'] }), ErrorCode.INVALID_HOST, 'hosts[1]'],
    ['no ports', b({ ports: [] }), ErrorCode.INVALID_PORT, 'ports'],
    ['a port without protocol', b({ ports: [{ port: 443 } as any] }), ErrorCode.INVALID_PORT, 'ports[0].protocol'],
    ['a UDP port', b({ ports: [{ port: 53, protocol: Protocol.UDP }] }), ErrorCode.INVALID_PORT, 'ports[0].protocol'],
    ['one port number twice (with different protocols)', b({ ports: [{ port: 443, protocol: Protocol.TLS }, { port: 443, protocol: Protocol.HTTP }] }), ErrorCode.INVALID_PORT, 'ports[1].port'],
    ['a port name that is no DNS label', b({ ports: [{ port: 443, protocol: Protocol.TLS, name: 'Https_Port' }] }), ErrorCode.INVALID_PORT, 'ports[0].name'],
    ['one port name twice', b({ ports: [{ port: 443, protocol: Protocol.TLS, name: 'web' }, { port: 80, protocol: Protocol.HTTP, name: 'web' }] }), ErrorCode.INVALID_PORT, 'ports[1].name'],
    ['a bad address', b({ addresses: ['10.0.0.0/33'] }), ErrorCode.INVALID_CIDR, 'addresses[0]'],
    ['a CIDR with DNS', b({ addresses: ['10.0.0.0/24'] }), ErrorCode.INVALID_SERVICE_ENTRY, 'addresses'],
    ['STATIC without endpoints', b({ resolution: ServiceEntryResolution.STATIC }), ErrorCode.INVALID_SERVICE_ENTRY, 'resolution'],
    ['STATIC with a DNS name endpoint', b({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'eu.example.com' }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'endpoints[0].address'],
    ['NONE with endpoints', b({ resolution: ServiceEntryResolution.NONE, endpoints: [{ address: '10.0.0.1' }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'endpoints'],
    ['DNS with a wildcard host and no endpoints', b({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DNS }), ErrorCode.INVALID_SERVICE_ENTRY, 'hosts[0]'],
    ['DNS with a wildcard host and only WorkloadEntries (found by the fuzzer)', b({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DNS, workloadEntries: [{ address: 'vm.example.com' }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'hosts[0]'],
    ['DNS_ROUND_ROBIN with two endpoints', b({ resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: '10.0.0.1' }, { address: '10.0.0.2' }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'endpoints'],
    ['DYNAMIC_DNS without a wildcard host', b({ resolution: ServiceEntryResolution.DYNAMIC_DNS }), ErrorCode.INVALID_SERVICE_ENTRY, 'hosts[0]'],
    ['DYNAMIC_DNS with addresses', b({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, addresses: ['10.0.0.1'] }), ErrorCode.INVALID_SERVICE_ENTRY, 'addresses'],
    ['DYNAMIC_DNS with endpoints', b({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, endpoints: [{ address: '10.0.0.1' }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'endpoints'],
    ['DYNAMIC_DNS with an HTTPS port', b({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [{ port: 443, protocol: Protocol.HTTPS }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'ports[0].protocol'],
    ['two hosts on a TCP port (DNS)', b({ hosts: ['a.example.com', 'b.example.com'], ports: [{ port: 3306, protocol: Protocol.TCP }], addresses: ['10.0.0.1'] }), ErrorCode.INVALID_SERVICE_ENTRY, 'ports[0]'],
    ['a TCP port with NONE and no addresses (IST0134)', b({ resolution: ServiceEntryResolution.NONE, ports: [{ port: 3306, protocol: Protocol.MYSQL }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'ports[0]'],
    ['endpoints and workloadEntries', b({ endpoints: [{ address: '10.0.0.1' }], workloadEntries: [{ address: '10.0.0.2' }] }), ErrorCode.CONFLICTING_PROPS, 'workloadEntries'],
    ['an endpoint port that is not a ServiceEntry port', b({ endpoints: [{ address: '10.0.0.1', ports: { 80: 8080 } }] }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'endpoints[0].ports["80"]'],
    ['an endpoint weight of 0', b({ endpoints: [{ address: '10.0.0.1', weight: 0 }] }), ErrorCode.INVALID_PROP, 'endpoints[0].weight'],
    ['a bad locality', b({ endpoints: [{ address: '10.0.0.1', locality: 'a//b' }] }), ErrorCode.INVALID_SERVICE_ENTRY, 'endpoints[0].locality'],
    ['a bad exportTo', b({ exportTo: ['Prod'] }), ErrorCode.INVALID_NAME, 'exportTo[0]'],
    ['exportTo "*" with others', b({ exportTo: ['*', 'prod'] }), ErrorCode.INVALID_NAME, 'exportTo'],
    ['exportTo "." and the own namespace', b({ exportTo: ['.', 'default'] }), ErrorCode.INVALID_NAME, 'exportTo[1]'],
    ['an unknown resolution', b({ resolution: 'dns' as any }), ErrorCode.INVALID_PROP, 'resolution'],
    ['an unknown prop', b({ resolutoin: 'DNS' } as any), ErrorCode.UNKNOWN_PROP, 'resolutoin'],
    ['an invalid name', b({ name: 'Bad_Name' }), ErrorCode.INVALID_NAME, 'name'],
    // TLS origination
    ['origination on a TLS port (double TLS)', b({ tlsOrigination: { port: 443 } }), ErrorCode.INVALID_TLS, 'tlsOrigination'],
    ['an endpoint port key that is no number', b({ endpoints: [{ address: '10.0.0.1', ports: { https: 8443 } }] }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'endpoints[0].ports.https'],
    ['an endpoint port out of range', b({ endpoints: [{ address: '10.0.0.1', ports: { 443: 70000 } }] }), ErrorCode.PORT_OUT_OF_RANGE, 'endpoints[0].ports["443"]'],
    ['origination without an HTTP port', b({ tlsOrigination: {} }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'tlsOrigination.port'],
    ['origination to the server\'s port 80', b({ ports: http, tlsOrigination: {} }), ErrorCode.INVALID_TLS, 'tlsOrigination.port'],
    ['origination on a port the entry lacks', b({ ports: http, tlsOrigination: { port: 8080 } }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'tlsOrigination.port'],
    ['MUTUAL without credentialName', b({ ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], tlsOrigination: { mode: TlsOriginationMode.MUTUAL } }), ErrorCode.INVALID_TLS, 'tlsOrigination.credentialName'],
    ['credentialName on sidecars without workloadSelector', b({ ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], tlsOrigination: { credentialName: 'ca' } }), ErrorCode.INVALID_TLS, 'tlsOrigination.credentialName'],
    ['credentialName and caCertificates', b({ ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], tlsOrigination: { credentialName: 'ca', caCertificates: '/ca.pem', workloadSelector: { app: 'a' } } }), ErrorCode.INVALID_TLS, 'tlsOrigination.caCertificates'],
    ['insecureSkipVerify with a CA', b({ ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], tlsOrigination: { insecureSkipVerify: true, caCertificates: '/ca.pem' } }), ErrorCode.INVALID_TLS, 'tlsOrigination.insecureSkipVerify'],
    ['one sni for two hosts', b({ hosts: ['a.example.com', 'b.example.com'], ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], tlsOrigination: { sni: 'a.example.com' } }), ErrorCode.INVALID_TLS, 'tlsOrigination.sni'],
    // egress gateway
    ['NONE with an egress gateway (traffic would loop into the gateway)', b({ resolution: ServiceEntryResolution.NONE, egressGateway: { gateway: istioEgress } }), ErrorCode.INVALID_SERVICE_ENTRY, 'egressGateway'],
    ['a wildcard host (default NONE) with an egress gateway', b({ hosts: ['*.example.com'], egressGateway: { gateway: istioEgress } }), ErrorCode.INVALID_SERVICE_ENTRY, 'egressGateway'],
    ['several ports and no egress port', b({ ports: [...tls, ...http], egressGateway: { gateway: istioEgress } }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'egressGateway.port'],
    ['a TCP port through the gateway', b({ ports: [{ port: 443, protocol: Protocol.TCP }], addresses: ['10.0.0.1'], egressGateway: { gateway: istioEgress } }), ErrorCode.INVALID_SERVICE_ENTRY, 'egressGateway.port'],
    ['a gateway port the gateway Service lacks', b({ egressGateway: { gateway: istioEgress, gatewayPort: 8443 } }), ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'egressGateway.port'],
    ['a forged egress gateway', b({ egressGateway: { gateway: Object.create(EgressGateway.prototype) } }), ErrorCode.CONFLICTING_PROPS, 'egressGateway.gateway'],
    ['origination at the gateway with a wildcard host', b({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], egressGateway: { gateway: istioEgress }, tlsOrigination: {} }), ErrorCode.INVALID_TLS, 'tlsOrigination'],
    ['a workloadSelector with origination at the gateway', b({ ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }], egressGateway: { gateway: istioEgress }, tlsOrigination: { workloadSelector: { app: 'a' } } }), ErrorCode.CONFLICTING_PROPS, 'tlsOrigination.workloadSelector'],
  ];

  test.each(cases)('%s', (_title, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
    expect(e.hint.length).toBeGreaterThan(10);
  });
});

describe('ExternalEgress properties', () => {
  test('valid props give admitted objects: one ServiceEntry with the hosts, a typed host each, routes only to declared hosts and the gateway', () => {
    fc.assert(fc.property(validEgressProps, ({ scenario, props }) => {
      const out = buildExternalEgress(props);
      const objects = manifestsOf(out);
      expect(validateManifestsDetailed(objects).errors).toEqual([]);
      expect(out.serviceEntry.spec.hosts).toEqual(props.hosts);
      expect(out.hosts.map((h) => h.host)).toEqual(props.hosts);
      expect(objects[0].kind).toBe('ServiceEntry');
      // a DestinationRule for every origination host; VirtualServices come last
      if (props.tlsOrigination) expect(out.tlsOriginations.map((d) => d.spec.host)).toEqual(props.hosts);
      const kinds = objects.map((m) => m.kind);
      expect(kinds.lastIndexOf('DestinationRule')).toBeLessThan(kinds.indexOf('VirtualService') === -1 ? Infinity : kinds.indexOf('VirtualService'));
      if (scenario.startsWith('gateway')) {
        const gw = props.egressGateway.gateway as EgressGateway;
        expect(out.virtualServices).toHaveLength(props.hosts.length);
        out.virtualServices.forEach((vs, i) => {
          const routes = [...(vs.spec.http ?? []), ...(vs.spec.tls ?? [])];
          expect(routes.map((r) => r.route![0].destination.host)).toEqual([gw.fqdn, props.hosts[i]]);
          expect(vs.spec.gateways).toContain('mesh');
        });
        expect(out.gateway!.spec.servers![0].hosts).not.toContain('*');
      } else {
        expect(out.virtualServices).toEqual([]);
      }
    }), { numRuns: 150 });
  });

  test('props with one rule broken are refused with IstioConstructError, never a crash or output', () => {
    fc.assert(fc.property(invalidEgressProps, ({ props }) => {
      expect(() => buildExternalEgress(props)).toThrow(IstioConstructError);
    }), { numRuns: 150 });
  });
});

describe('ExternalEgress under Pulumi', () => {
  beforeAll(() => setPulumiMocks());

  test('type token, ${name}-<role> children, the same objects as the builder', async () => {
    let component!: PulumiExternalEgress;
    const args = { name: 'httpbin-egress', namespace: 'default', hosts: ['httpbin.org'], ports: [{ port: 80, protocol: Protocol.HTTP }], egressGateway: { gateway: s11Gateway, gatewayName: 'egress' } };
    const resources = await runPulumi(() => [component = new PulumiExternalEgress('httpbin', args)]);
    expect(await (component.urn as any).promise()).toMatch(/::istio-constructs:index:ExternalEgress::httpbin$/);
    expect(resources.map((r) => [r.name, r.type]).sort()).toEqual([
      ['httpbin-egress-gateway-destination-rule', 'kubernetes:networking.istio.io/v1:DestinationRule'],
      ['httpbin-gateway', 'kubernetes:networking.istio.io/v1:Gateway'],
      ['httpbin-service-entry', 'kubernetes:networking.istio.io/v1:ServiceEntry'],
      ['httpbin-virtual-service', 'kubernetes:networking.istio.io/v1:VirtualService'],
    ]);
    const built = manifestsOf(buildExternalEgress(args));
    for (const r of resources) {
      const m = built.find((b) => b.kind === r.inputs.kind && b.metadata.name === r.inputs.metadata.name)!;
      expect(r.inputs.spec).toEqual(m.spec);
    }
    expect(component.host('httpbin.org').serviceEntry).toEqual({ name: 'httpbin-egress', namespace: 'default' });
  });

  test('WorkloadEntries and an origination rule are children too; a host given as an Output is refused', async () => {
    const pulumi = await import('@pulumi/pulumi');
    const resources = await runPulumi(() => [new PulumiExternalEgress('legacy', {
      name: 'legacy', namespace: pulumi.output('apps'), hosts: ['legacy.corp.example'], ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }],
      workloadEntries: [{ address: '192.168.10.4' }], tlsOrigination: { caCertificates: '/etc/certs/ca.pem' },
    })]);
    expect(resources.map((r) => r.name).sort()).toEqual(['legacy-service-entry', 'legacy-tls-origination', 'legacy-workload-entry-1']);
    expect(resources.find((r) => r.name === 'legacy-workload-entry-1')!.inputs.metadata.namespace).toBe('apps');
    const e = errorOf(() => new PulumiExternalEgress('bad', { name: 'bad', namespace: 'default', hosts: [pulumi.output('httpbin.org') as any], ports: [{ port: 80, protocol: Protocol.HTTP }] }));
    expect([e.code, e.path]).toEqual([ErrorCode.INPUT_NOT_ALLOWED, 'hosts[0]']);
  });
});
