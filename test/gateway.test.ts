/** The plain Gateway: servers as given, Istio's server/TLS rules, IST0162, its ref, both engines. */
import * as fc from 'fast-check';
import * as pulumi from '@pulumi/pulumi';
import {
  EgressGateway, ErrorCode, GatewayProps, GatewayTlsMode, IngressGateway, Protocol, ServiceRef, TlsVersion, buildGateway, validateManifestsDetailed,
} from '../src';
import { Chart, Testing } from 'cdk8s';
import { CanaryService, Gateway } from '../src/cdk8s';
import * as pl from '../src/pulumi';
import { errorOf, expectValid, find, runPulumi, setPulumiMocks, synth } from './helpers';

const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system',
  serviceName: 'istio-ingressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }, { port: 31400 }, { port: 15443, protocol: Protocol.TLS }],
});
const simple = { mode: GatewayTlsMode.SIMPLE, credentialName: 'httpbin-credential' };
const base: GatewayProps = { name: 'gw', workload: ingress, servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['a.example.com'], tls: simple }] };
const manifests = (p: GatewayProps) => buildGateway(p).objects.map((o) => o.manifest);

describe('Gateway', () => {
  test('S7: HTTPS SIMPLE with credentialName, bound by a route through its ref', () => {
    // GIVEN the seed's bookinfo-gateway-https WHEN synthesized with a route bound to it
    let ref: any;
    const objects = synth((chart) => {
      const gw = new Gateway(chart, 'https', {
        name: 'bookinfo-gateway-https',
        namespace: 'default',
        workload: ingress,
        servers: [
          { port: 443, protocol: Protocol.HTTPS, hosts: ['bookinfo.example.com'], tls: { ...simple, minProtocolVersion: TlsVersion.TLSV1_2 } },
          { port: 80, protocol: Protocol.HTTP, hosts: ['bookinfo.example.com'], httpsRedirect: true },
        ],
      });
      ref = gw.ref;
      new CanaryService(chart, 'reviews', {
        service: ServiceRef.fromName('reviews', { namespace: 'default', ports: [{ port: 9080 }] }),
        versions: [{ name: 'v1', weight: 100 }],
        gateway: { existingGateway: gw.ref, hosts: ['bookinfo.example.com'] },
      });
    });
    // THEN the objects are admitted, the servers are exactly as given, and the route names the Gateway as ns/name
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const gw = find(objects, 'Gateway', 'bookinfo-gateway-https');
    expect(gw.metadata.namespace).toBe('default');
    expect(gw.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gw.spec.servers).toEqual([
      { port: { number: 443, name: 'https-443', protocol: 'HTTPS' }, hosts: ['bookinfo.example.com'], tls: { mode: 'SIMPLE', credentialName: 'httpbin-credential', minProtocolVersion: 'TLSV1_2' } },
      { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } },
    ]);
    expect(ref).toEqual({ name: 'bookinfo-gateway-https', namespace: 'default', hosts: ['bookinfo.example.com'] });
    expect(find(objects, 'VirtualService').spec.gateways).toEqual(['default/bookinfo-gateway-https', 'mesh']);
    // no defaults added: no AuthorizationPolicy, EnvoyFilter or VirtualService of its own
    expect(objects.filter((o) => o.kind === 'Gateway')).toHaveLength(1);
    expect(objects.some((o) => o.kind === 'AuthorizationPolicy' || o.kind === 'EnvoyFilter')).toBe(false);
  });

  test('defaults: the workload namespace, TCP hosts "*", no TLS version of its own', () => {
    const out = buildGateway({ name: 'tcp', workload: ingress, servers: [{ port: 31400, protocol: Protocol.TCP }] });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.gateway!.metadata.namespace).toBe('istio-system');
    expect(out.gateway!.spec.servers).toEqual([{ port: { number: 31400, name: 'tcp-31400', protocol: 'TCP' }, hosts: ['*'] }]);
    expect(out.warnings).toBeUndefined();
  });

  test('MUTUAL with a CA from the Secret, PASSTHROUGH and TLS servers sharing a port by SNI, HTTP2 and GRPC', () => {
    const out = buildGateway({
      name: 'mixed',
      workload: ingress,
      servers: [
        { port: 443, protocol: Protocol.HTTPS, hosts: ['api.example.com'], tls: { mode: GatewayTlsMode.MUTUAL, credentialName: 'api-cert', subjectAltNames: ['spiffe://partner/client'], cipherSuites: ['ECDHE-RSA-AES256-GCM-SHA384'] } },
        { port: 443, protocol: Protocol.TLS, hosts: ['db.example.com'], tls: { mode: GatewayTlsMode.PASSTHROUGH } },
        { port: 443, protocol: Protocol.HTTPS, hosts: ['opt.example.com'], tls: { mode: GatewayTlsMode.OPTIONAL_MUTUAL, credentialName: 'opt-cert' } },
        { port: 80, protocol: Protocol.HTTP2, hosts: ['api.example.com'] },
        { port: 80, protocol: Protocol.GRPC, hosts: ['grpc.example.com'] },
      ],
    });
    expectValid(out.objects.map((o) => o.manifest));
    expect(validateManifestsDetailed(out.objects.map((o) => o.manifest)).warnings).toEqual([]);
    const servers = out.gateway!.spec.servers!;
    // servers sharing protocol and port get distinct port names (Istio refuses duplicates)
    expect(servers.map((s) => s.port.name)).toEqual(['https-443-1', 'tls-443', 'https-443-2', 'http2-80', 'grpc-80']);
    expect(servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: 'api-cert', subjectAltNames: ['spiffe://partner/client'], cipherSuites: ['ECDHE-RSA-AES256-GCM-SHA384'] });
    expect(servers[1].tls).toEqual({ mode: 'PASSTHROUGH' });
    expect(out.ref.hosts).toEqual(['api.example.com', 'db.example.com', 'opt.example.com', 'grpc.example.com']);
  });

  test('file paths instead of credentialName (MUTUAL needs caCertificates)', () => {
    const out = buildGateway({
      ...base,
      servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['a.example.com'], tls: { mode: GatewayTlsMode.MUTUAL, serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCertificates: '/etc/certs/ca.crt' } }],
    });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.gateway!.spec.servers![0].tls).toEqual({ mode: 'MUTUAL', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCertificates: '/etc/certs/ca.crt' });
  });

  test('S11: a Gateway on the egress gateway, ISTIO_MUTUAL from sidecars', () => {
    const egress = EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 443, protocol: Protocol.HTTPS }] });
    const out = buildGateway({
      name: 'egress',
      namespace: 'default',
      workload: egress,
      servers: [
        { port: 80, protocol: Protocol.HTTP, hosts: ['httpbin.org'] },
        { port: 443, protocol: Protocol.HTTPS, hosts: ['httpbin.org'], tls: { mode: GatewayTlsMode.ISTIO_MUTUAL, subjectAltNames: ['spiffe://cluster.local/ns/default/sa/sleep'] } },
      ],
    });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.gateway!.spec.selector).toEqual({ istio: 'egressgateway' });
    expect(out.gateway!.spec.servers![1].tls).toEqual({ mode: 'ISTIO_MUTUAL', subjectAltNames: ['spiffe://cluster.local/ns/default/sa/sleep'] });
  });
});

describe('Gateway in an app', () => {
  test('the whole-program analysis takes its workload and TLS Secret as existing (no missing-reference findings)', () => {
    // GIVEN an app with only a Gateway that names a workload and a credentialName
    const app = Testing.app();
    new Gateway(new Chart(app, 'edge'), 'gw', { ...base, name: 'edge', namespace: 'istio-system' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      // WHEN it synthesizes THEN the analysis fails nothing and reports nothing about them
      app.synth();
      const printed = [...warn.mock.calls, ...info.mock.calls].map((a) => String(a[0])).join('\n');
      expect(printed).not.toMatch(/httpbin-credential|IST0101|IST0162/);
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });
});

describe('Gateway validation', () => {
  const https = (tls: any, extra: any = {}) => buildGateway({ ...base, servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['a.example.com'], tls, ...extra }] });
  const cases: Array<[string, () => unknown, ErrorCode, string]> = [
    ['no servers (Istio refuses a Gateway without)', () => buildGateway({ ...base, servers: [] }), ErrorCode.HOSTS_REQUIRED, 'servers'],
    ['a port the workload Service does not expose (IST0162)', () => buildGateway({ ...base, servers: [{ port: 8443, protocol: Protocol.HTTPS, hosts: ['a.example.com'], tls: simple }] }), ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'servers[0].port'],
    ['a workload whose ports are unknown', () => buildGateway({ ...base, workload: IngressGateway.fromSelector({ istio: 'x' }, { namespace: 'gw' }) }), ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'servers[0].port'],
    ['an invalid name', () => buildGateway({ ...base, name: 'a.b' }), ErrorCode.INVALID_NAME, 'name'],
    ['an invalid namespace', () => buildGateway({ ...base, namespace: 'Prod' }), ErrorCode.INVALID_NAME, 'namespace'],
    ['a protocol a Gateway server cannot have', () => buildGateway({ ...base, servers: [{ port: 80, protocol: Protocol.UDP, hosts: ['a.example.com'] }] }), ErrorCode.INVALID_PORT, 'servers[0].protocol'],
    ['an unknown protocol string', () => buildGateway({ ...base, servers: [{ port: 80, protocol: 'QUIC' as Protocol, hosts: ['a.example.com'] }] }), ErrorCode.INVALID_PORT, 'servers[0].protocol'],
    ['an HTTP server without hosts', () => buildGateway({ ...base, servers: [{ port: 80, protocol: Protocol.HTTP }] }), ErrorCode.HOSTS_REQUIRED, 'servers[0].hosts'],
    ['a wildcard host without opt-in', () => buildGateway({ ...base, servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['*.example.com'] }] }), ErrorCode.WILDCARD_HOST, 'servers[0].hosts[0]'],
    ['"*" on an HTTP server without opt-in', () => buildGateway({ ...base, servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['*'] }] }), ErrorCode.WILDCARD_HOST, 'servers[0].hosts[0]'],
    ['a wildcard on a TCP server without opt-in (only "*" is free)', () => buildGateway({ ...base, servers: [{ port: 31400, protocol: Protocol.TCP, hosts: ['*.example.com'] }] }), ErrorCode.WILDCARD_HOST, 'servers[0].hosts[0]'],
    ['a short host name', () => buildGateway({ ...base, servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['reviews'] }] }), ErrorCode.INVALID_HOST, 'servers[0].hosts[0]'],
    ['an invalid port name', () => buildGateway({ ...base, servers: [{ ...base.servers[0], portName: 'HTTPS_1' }] }), ErrorCode.INVALID_NAME, 'servers[0].portName'],
    ['duplicate port names (Istio refuses them)', () => buildGateway({ ...base, servers: [{ ...base.servers[0], portName: 'web' }, { port: 80, protocol: Protocol.HTTP, hosts: ['a.example.com'], portName: 'web' }] }), ErrorCode.CONFLICTING_PROPS, 'servers'],
    ['an HTTPS server without tls (Istio refuses it)', () => https(undefined), ErrorCode.INVALID_TLS, 'servers[0].tls'],
    ['a TLS server without tls', () => buildGateway({ ...base, servers: [{ port: 15443, protocol: Protocol.TLS, hosts: ['a.example.com'] }] }), ErrorCode.INVALID_TLS, 'servers[0].tls'],
    ['tls on an HTTP server (only a redirect is allowed)', () => buildGateway({ ...base, servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['a.example.com'], tls: simple }] }), ErrorCode.INVALID_TLS, 'servers[0].tls'],
    ['tls on a TCP server', () => buildGateway({ ...base, servers: [{ port: 31400, protocol: Protocol.TCP, tls: { mode: GatewayTlsMode.PASSTHROUGH } }] }), ErrorCode.INVALID_TLS, 'servers[0].tls'],
    ['httpsRedirect on an HTTPS server (Istio only warns; it does nothing)', () => https(simple, { httpsRedirect: true }), ErrorCode.CONFLICTING_PROPS, 'servers[0].httpsRedirect'],
    ['SIMPLE without a certificate', () => https({ mode: GatewayTlsMode.SIMPLE }), ErrorCode.INVALID_TLS, 'servers[0].tls.credentialName'],
    ['MUTUAL without a certificate', () => https({ mode: GatewayTlsMode.MUTUAL }), ErrorCode.INVALID_TLS, 'servers[0].tls.credentialName'],
    ['credentialName and file paths (Istio refuses two certificate sources)', () => https({ ...simple, serverCertificate: '/c.crt', privateKey: '/c.key' }), ErrorCode.INVALID_TLS, 'servers[0].tls.serverCertificate'],
    ['credentialName and caCertificates (the CA comes from the Secret)', () => https({ mode: GatewayTlsMode.MUTUAL, credentialName: 'c', caCertificates: '/ca.crt' }), ErrorCode.INVALID_TLS, 'servers[0].tls.caCertificates'],
    ['a certificate without its key', () => https({ mode: GatewayTlsMode.SIMPLE, serverCertificate: '/c.crt' }), ErrorCode.INVALID_TLS, 'servers[0].tls.privateKey'],
    ['MUTUAL with files and no client CA (Istio refuses it)', () => https({ mode: GatewayTlsMode.MUTUAL, serverCertificate: '/c.crt', privateKey: '/c.key' }), ErrorCode.INVALID_TLS, 'servers[0].tls.caCertificates'],
    ['a relative file path', () => https({ mode: GatewayTlsMode.SIMPLE, serverCertificate: 'c.crt', privateKey: '/c.key' }), ErrorCode.INVALID_TLS, 'servers[0].tls.serverCertificate'],
    ['an invalid Secret name', () => https({ mode: GatewayTlsMode.SIMPLE, credentialName: 'Bad_Secret' }), ErrorCode.INVALID_TLS, 'servers[0].tls.credentialName'],
    ['SIMPLE with subjectAltNames (no client certificate is checked)', () => https({ ...simple, subjectAltNames: ['a'] }), ErrorCode.INVALID_TLS, 'servers[0].tls.subjectAltNames'],
    ['SIMPLE with caCertificates', () => https({ mode: GatewayTlsMode.SIMPLE, serverCertificate: '/c.crt', privateKey: '/c.key', caCertificates: '/ca.crt' }), ErrorCode.INVALID_TLS, 'servers[0].tls.caCertificates'],
    ['PASSTHROUGH with a credentialName (ignored by Istio)', () => https({ mode: GatewayTlsMode.PASSTHROUGH, credentialName: 'c' }), ErrorCode.INVALID_TLS, 'servers[0].tls.credentialName'],
    ['PASSTHROUGH with a minimum TLS version (ignored by Istio)', () => https({ mode: GatewayTlsMode.PASSTHROUGH, minProtocolVersion: TlsVersion.TLSV1_3 }), ErrorCode.INVALID_TLS, 'servers[0].tls.minProtocolVersion'],
    ['ISTIO_MUTUAL with a credentialName (Istio refuses it)', () => https({ mode: GatewayTlsMode.ISTIO_MUTUAL, credentialName: 'c' }), ErrorCode.INVALID_TLS, 'servers[0].tls.credentialName'],
    ['ISTIO_MUTUAL with cipher suites (ignored by Istio)', () => https({ mode: GatewayTlsMode.ISTIO_MUTUAL, cipherSuites: ['AES128-SHA'] }), ErrorCode.INVALID_TLS, 'servers[0].tls.cipherSuites'],
    ['AUTO_PASSTHROUGH (not offered)', () => https({ mode: 'AUTO_PASSTHROUGH' }), ErrorCode.INVALID_TLS, 'servers[0].tls.mode'],
    ['no TLS mode', () => https({ credentialName: 'c' }), ErrorCode.INVALID_TLS, 'servers[0].tls.mode'],
    ['TLS 1.1 minimum', () => https({ ...simple, minProtocolVersion: 'TLSV1_1' }), ErrorCode.INVALID_TLS, 'servers[0].tls.minProtocolVersion'],
    ['an unknown cipher suite (Istio would ignore it)', () => https({ ...simple, cipherSuites: ['NOT-A-CIPHER'] }), ErrorCode.INVALID_TLS, 'servers[0].tls.cipherSuites[0]'],
    ['a repeated cipher suite', () => https({ ...simple, cipherSuites: ['AES128-SHA', 'AES128-SHA'] }), ErrorCode.INVALID_TLS, 'servers[0].tls.cipherSuites[1]'],
    ['empty cipher suites', () => https({ ...simple, cipherSuites: [] }), ErrorCode.INVALID_TLS, 'servers[0].tls.cipherSuites'],
    ['empty subjectAltNames', () => https({ mode: GatewayTlsMode.MUTUAL, credentialName: 'c', subjectAltNames: [] }), ErrorCode.INVALID_TLS, 'servers[0].tls.subjectAltNames'],
    ['plain-text and TLS servers on one port (Istio drops one)', () => buildGateway({ ...base, servers: [base.servers[0], { port: 443, protocol: Protocol.HTTP, hosts: ['b.example.com'] }] }), ErrorCode.CONFLICTING_PROPS, 'servers[1].protocol'],
    ['two TCP servers on one port (Istio drops one)', () => buildGateway({ ...base, servers: [{ port: 31400, protocol: Protocol.TCP }, { port: 31400, protocol: Protocol.TCP, hosts: ['b.example.com'] }] }), ErrorCode.CONFLICTING_PROPS, 'servers[1].protocol'],
    ['one host twice on one port (Istio skips the second server)', () => buildGateway({ ...base, servers: [base.servers[0], { port: 443, protocol: Protocol.TLS, hosts: ['a.example.com'], tls: { mode: GatewayTlsMode.PASSTHROUGH } }] }), ErrorCode.CONFLICTING_PROPS, 'servers[1].hosts[0]'],
    ['an unknown prop', () => buildGateway({ ...base, selector: { a: 'b' } } as any), ErrorCode.UNKNOWN_PROP, 'selector'],
    ['a workload that is not an IngressGateway', () => buildGateway({ ...base, workload: { selector: { istio: 'x' }, namespace: 'gw' } as any }), ErrorCode.CONFLICTING_PROPS, 'workload'],
  ];

  test.each(cases)('%s', (_title, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
  });

  test('"*" on a TCP server needs no opt-in; wildcards elsewhere pass with allowWildcardHosts', () => {
    expect(buildGateway({ ...base, servers: [{ port: 31400, protocol: Protocol.TCP, hosts: ['*'] }] }).gateway!.spec.servers![0].hosts).toEqual(['*']);
    const out = buildGateway({ ...base, allowWildcardHosts: true, servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['*.example.com'], tls: simple }] });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.ref.hosts).toEqual(['*.example.com']);
  });
});

describe('Gateway properties', () => {
  const hostArb = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.constantFrom('example.com', 'example.org')).map(([a, b]) => `${a}.${b}`);
  const tlsArb = fc.oneof(
    fc.record({ mode: fc.constantFrom(GatewayTlsMode.SIMPLE, GatewayTlsMode.MUTUAL, GatewayTlsMode.OPTIONAL_MUTUAL), credentialName: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z]$/) },
      { requiredKeys: ['mode', 'credentialName'] }),
    fc.constant({ mode: GatewayTlsMode.PASSTHROUGH }),
    fc.constant({ mode: GatewayTlsMode.ISTIO_MUTUAL }),
  ).chain((tls: any) => (tls.mode === GatewayTlsMode.SIMPLE || tls.mode === GatewayTlsMode.MUTUAL || tls.mode === GatewayTlsMode.OPTIONAL_MUTUAL
    ? fc.record({ min: fc.option(fc.constantFrom(TlsVersion.TLSV1_2, TlsVersion.TLSV1_3), { nil: undefined }) }).map(({ min }) => (min ? { ...tls, minProtocolVersion: min } : tls))
    : fc.constant(tls)));
  // One server per port, so port sharing never conflicts; hosts unique per server.
  const serverArb = (port: number) => fc.oneof(
    fc.record({ protocol: fc.constantFrom(Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC), hosts: fc.uniqueArray(hostArb, { minLength: 1, maxLength: 3 }), httpsRedirect: fc.boolean() })
      .map((s) => ({ port, ...s })),
    fc.record({ protocol: fc.constantFrom(Protocol.HTTPS, Protocol.TLS), hosts: fc.uniqueArray(hostArb, { minLength: 1, maxLength: 3 }), tls: tlsArb }).map((s) => ({ port, ...s })),
    fc.constant({ port, protocol: Protocol.TCP }),
  );
  const propsArb = fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 4 }).chain((ports) => fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
    namespace: fc.option(fc.constantFrom('default', 'edge'), { nil: undefined }),
    servers: fc.tuple(...ports.map(serverArb)),
    ports: fc.constant(ports),
  }));

  test('valid random props give admitted objects whose servers and ref match the props', () => {
    fc.assert(fc.property(propsArb, ({ ports, ...p }) => {
      const workload = IngressGateway.fromSelector({ istio: 'gw' }, { namespace: 'gateways', ports: ports.map((port) => ({ port })) });
      const props = { ...p, workload, servers: p.servers as any } as GatewayProps;
      const out = buildGateway(props);
      expect(validateManifestsDetailed(out.objects.map((o) => o.manifest))).toEqual({ errors: [], warnings: [] });
      expect(out.gateway!.spec.servers!.map((s) => s.port.number)).toEqual(ports);
      expect(out.ref.namespace).toBe(p.namespace ?? 'gateways');
      expect([...out.ref.hosts].sort()).toEqual([...new Set(p.servers.flatMap((s: any) => s.hosts ?? ['*']))].sort());
    }), { numRuns: 150 });
  });

  test('a server on a port the workload does not expose is always refused (IST0162)', () => {
    fc.assert(fc.property(propsArb, fc.integer({ min: 1, max: 65535 }), ({ ports, ...p }, extra) => {
      fc.pre(!ports.includes(extra));
      const workload = IngressGateway.fromSelector({ istio: 'gw' }, { namespace: 'gateways', ports: ports.map((port) => ({ port })) });
      const servers = [...p.servers, { port: extra, protocol: Protocol.TCP }] as any;
      const e = errorOf(() => buildGateway({ ...p, workload, servers }));
      expect([e.code, e.path]).toEqual([ErrorCode.GATEWAY_PORT_NOT_EXPOSED, `servers[${servers.length - 1}].port`]);
    }), { numRuns: 50 });
  });

  test('random TLS field combinations are refused with IstioConstructError or admitted without warnings', () => {
    const field = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const tls = fc.record({
      mode: fc.constantFrom(...Object.values(GatewayTlsMode)),
      credentialName: field(fc.constantFrom('cert', 'Bad_Name')),
      serverCertificate: field(fc.constantFrom('/c.crt', 'c.crt')),
      privateKey: field(fc.constant('/c.key')),
      caCertificates: field(fc.constant('/ca.crt')),
      subjectAltNames: field(fc.constantFrom(['spiffe://a/b'], [])),
      minProtocolVersion: field(fc.constantFrom(TlsVersion.TLSV1_2, TlsVersion.TLSV1_3)),
      cipherSuites: field(fc.constantFrom(['AES128-SHA'], ['nope'], [])),
    });
    fc.assert(fc.property(tls, fc.constantFrom(Protocol.HTTPS, Protocol.TLS), (t, protocol) => {
      const clean = Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
      let out;
      try {
        out = buildGateway({ ...base, servers: [{ port: protocol === Protocol.TLS ? 15443 : 443, protocol, hosts: ['a.example.com'], tls: clean as any }] });
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as any).code).toBe(ErrorCode.INVALID_TLS);
        return;
      }
      // what is accepted is admitted, and Istio would not ignore any of it
      expect(validateManifestsDetailed(out.objects.map((o) => o.manifest))).toEqual({ errors: [], warnings: [] });
      expect(out.gateway!.spec.servers![0].tls).toEqual(clean);
    }), { numRuns: 300 });
  });
});

describe('Gateway under Pulumi', () => {
  beforeAll(() => setPulumiMocks());

  test('type token, one child <name>-gateway, and a ref CanaryService binds to (with an Output credentialName)', async () => {
    let gw!: pl.Gateway;
    let canary!: pl.CanaryService;
    const resources = await runPulumi(() => {
      gw = new pl.Gateway('edge', {
        name: 'edge', namespace: 'default', workload: ingress,
        servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['shop.example.com'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: pulumi.output('shop-cert') } }],
      });
      canary = new pl.CanaryService('shop', {
        service: ServiceRef.fromName('shop', { namespace: 'default', ports: [{ port: 8080 }] }),
        versions: [{ name: 'v1', weight: 1 }],
        gateway: { existingGateway: gw.ref, hosts: ['shop.example.com'], includeMesh: false },
      });
      return [gw, canary];
    });
    expect(await (gw.urn as any).promise()).toMatch(/::istio-constructs:index:Gateway::edge$/);
    const gateway = resources.find((r) => r.name === 'edge-gateway')!;
    expect(gateway.type).toBe('kubernetes:networking.istio.io/v1:Gateway');
    expect(gateway.inputs.spec.servers[0].tls).toEqual({ mode: 'SIMPLE', credentialName: 'shop-cert' });
    expect(resources.find((r) => r.name === 'shop-virtual-service')!.inputs.spec.gateways).toEqual(['default/edge']);
    // the ref of a Gateway built from Outputs is only readable inside a component
    expect(errorOf(() => gw.ref.hosts).code).toBe(ErrorCode.INPUT_NOT_ALLOWED);
    expect(errorOf(() => gw.ref.hosts).message).toContain('Gateway');
  });

  test('bad args throw at construction', async () => {
    await setPulumiMocks();
    const e = errorOf(() => new pl.Gateway('bad', { ...base, servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['a.example.com'] }] }));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_TLS, 'servers[0].tls']);
  });
});
