import {
  ErrorCode, GatewayTlsMode, IngressGateway, Protocol, ServiceRef, buildGateway, buildHardenedGateway, buildTcpIngress,
} from '../src';
import { Ctx } from '../src/core/errors';
import { isEgressGateway } from '../src/core/external';
import { ManagedEgressGateway, ManagedIngressGateway, chartServicePort } from '../src/core/managed-gateway';
import { ResolvedPort } from '../src/core/ports';
import { isIngressGateway } from '../src/core/references';
import { TcpIngress } from '../src/cdk8s';
import { TcpIngress as PulumiTcpIngress } from '../src/pulumi';
import { errorOf, expectValid, runPulumi, synth } from './helpers';

/** The `gateway` chart's default Service ports (values.yaml `service.ports`). */
const CHART_PORTS = [
  { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
  { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
  { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
].map(chartServicePort);

const ingress = (ports: readonly ResolvedPort[] = CHART_PORTS) =>
  ManagedIngressGateway.of({ selector: { app: 'istio-ingress', istio: 'ingress' }, namespace: 'istio-ingress', serviceName: 'istio-ingress', ports });
const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
const numbers = (g: ManagedIngressGateway) => g.servicePorts.current().map((p) => `${p.name}:${p.port}/${p.protocol}`);

describe('managed gateways', () => {
  test('the chart ports carry the protocols their names select', () => {
    expect(CHART_PORTS.map((p) => [p.name, p.protocol])).toEqual([['status-port', 'TCP'], ['http2', 'HTTP2'], ['https', 'HTTPS']]);
  });

  test('S1: a TcpIngress bound to a managed gateway adds 31400 to its Service', () => {
    // GIVEN the installation's gateway with the chart's default ports
    const gw = ingress();
    const seen: number[] = [];
    gw.servicePorts.onPortAdded((p) => seen.push(p.port));
    // WHEN a TcpIngress binds to it on 31400
    const out = buildTcpIngress({ name: 'ems', backend, port: 31400, gateway: gw, gatewayNamespace: 'istio-ingress' });
    // THEN the Service gets tcp-31400, and the Gateway selects the chart's labels
    expectValid(out.objects.map((o) => o.manifest));
    expect(numbers(gw)).toEqual(['status-port:15021/TCP', 'http2:80/HTTP2', 'https:443/HTTPS', 'tcp-31400:31400/TCP']);
    expect(seen).toEqual([31400]);
    expect(out.gateway!.spec.selector).toEqual({ app: 'istio-ingress', istio: 'ingress' });
    // the declared ports (and the brand) are unchanged
    expect(gw.ports!.map((p) => p.port)).toEqual([15021, 80, 443]);
    expect(isIngressGateway(gw)).toBe(true);
  });

  test('a listener registered later is told of the ports added before it', () => {
    const gw = ingress();
    buildTcpIngress({ name: 'ems', backend, port: 31400, gateway: gw });
    buildTcpIngress({ name: 'ems2', backend, port: 31401, gateway: gw });
    const seen: number[] = [];
    gw.servicePorts.onPortAdded((p) => seen.push(p.port));
    buildTcpIngress({ name: 'ems3', backend, port: 31402, gateway: gw });
    expect(seen).toEqual([31400, 31401, 31402]);
  });

  test('adding the same port twice is one port', () => {
    const gw = ingress();
    const seen: number[] = [];
    gw.servicePorts.onPortAdded((p) => seen.push(p.port));
    buildTcpIngress({ name: 'a', backend, port: 31400, gateway: gw });
    buildTcpIngress({ name: 'b', backend, port: 31400, gateway: gw });
    expect(gw.servicePorts.current().filter((p) => p.port === 31400)).toHaveLength(1);
    expect(seen).toEqual([31400]);
  });

  test('HardenedGateway on the chart ports adds nothing (443 and 80 are there)', () => {
    const gw = ingress();
    const out = buildHardenedGateway({ name: 'shop', gateway: gw, servers: [{ hosts: ['shop.example.com'], credentialName: 'shop-cert' }] });
    expectValid(out.objects.map((o) => o.manifest));
    expect(gw.servicePorts.current().map((p) => p.port)).toEqual([15021, 80, 443]);
  });

  test('HardenedGateway adds 443 (HTTPS) and 80 (HTTP) only when they are missing', () => {
    const gw = ingress([chartServicePort({ name: 'http-echo', port: 8000 })]);
    buildHardenedGateway({ name: 'shop', gateway: gw, servers: [{ hosts: ['shop.example.com'], credentialName: 'shop-cert' }] });
    expect(numbers(gw)).toEqual(['http-echo:8000/HTTP', 'http-80:80/HTTP', 'https-443:443/HTTPS']);
  });

  test('an HTTP server on the chart port named http2 is compatible; TLS on https too', () => {
    const gw = ingress();
    buildGateway({ name: 'web', workload: gw, servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['web.example.com'] }] });
    buildTcpIngress({ name: 'db', backend: ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 443, protocol: Protocol.TLS }] }), port: 443, gateway: gw, tlsPassthrough: { sniHosts: ['db.example.com'] } });
    expect(gw.servicePorts.current()).toHaveLength(3);
  });

  test('a port the Service has for another protocol is refused, naming both', () => {
    const gw = ingress();
    const e = errorOf(() => buildTcpIngress({ name: 'ems', backend, port: 80, gateway: gw }));
    expect(e.code).toBe(ErrorCode.GATEWAY_PORT_CONFLICT);
    expect(e.message).toMatch(/"http2" \(HTTP2\).*TCP/);
    expect(gw.servicePorts.current()).toHaveLength(3);
  });

  test('the status port is refused', () => {
    const e = errorOf(() => buildTcpIngress({ name: 'ems', backend, port: 15021, gateway: ingress() }));
    expect(e.code).toBe(ErrorCode.GATEWAY_PORT_CONFLICT);
    expect(e.message).toMatch(/status port/);
  });

  test('a port name taken by another port is refused', () => {
    const gw = ingress([chartServicePort({ name: 'tcp-31400', port: 9000 })]);
    expect(errorOf(() => buildTcpIngress({ name: 'ems', backend, port: 31400, gateway: gw })).code).toBe(ErrorCode.GATEWAY_PORT_CONFLICT);
  });

  test('after seal, a missing port fails as IST0162 with the reason; a present one still passes', () => {
    const gw = ingress();
    gw.servicePorts.seal('the chart values were sent');
    buildGateway({ name: 'web', workload: gw, servers: [{ port: 443, protocol: Protocol.HTTPS, hosts: ['web.example.com'], tls: { mode: GatewayTlsMode.SIMPLE, credentialName: 'c' } }] });
    const e = errorOf(() => buildTcpIngress({ name: 'ems', backend, port: 31400, gateway: gw }));
    expect(e.code).toBe(ErrorCode.GATEWAY_PORT_NOT_EXPOSED);
    expect(e.message).toMatch(/the chart values were sent/);
  });

  test('without a protocol a missing port is added as TCP, and an existing one is accepted', () => {
    const gw = ingress();
    gw.requirePort(new Ctx('test'), 80);
    gw.requirePort(new Ctx('test'), 9443);
    expect(numbers(gw)).toContain('tcp-9443:9443/TCP');
  });

  test('a managed egress gateway is an EgressGateway whose Service grows', () => {
    const gw = ManagedEgressGateway.of({ selector: { app: 'egress', istio: 'egress' }, namespace: 'default', serviceName: 'egress', ports: [chartServicePort({ name: 'http2', port: 80 })] });
    expect(isEgressGateway(gw)).toBe(true);
    expect(gw.fqdn).toBe('egress.default.svc.cluster.local');
    buildGateway({ name: 'egress', workload: gw, servers: [{ port: 443, protocol: Protocol.TLS, hosts: ['httpbin.org'], tls: { mode: GatewayTlsMode.PASSTHROUGH } }] });
    expect(gw.servicePorts.current().map((p) => p.name)).toEqual(['http2', 'tls-443']);
  });

  test('a plain IngressGateway still fails on a missing port (unchanged)', () => {
    const plain = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }] });
    expect(errorOf(() => buildTcpIngress({ name: 'ems', backend, port: 31400, gateway: plain })).code).toBe(ErrorCode.GATEWAY_PORT_NOT_EXPOSED);
  });

  test('Pulumi: a TcpIngress component bound to a managed gateway adds its port too', async () => {
    const gw = ingress();
    const registered = await runPulumi(() => [new PulumiTcpIngress('ems', { name: 'ems', backend, port: 31400, gateway: gw })]);
    expect(registered.find((r) => r.inputs.kind === 'Gateway')!.inputs.spec.selector).toEqual({ app: 'istio-ingress', istio: 'ingress' });
    expect(gw.servicePorts.current().map((p) => p.port)).toEqual([15021, 80, 443, 31400]);
  });

  test('cdk8s: the App analysis sees every port bound constructs added, in any order (no IST0162)', () => {
    const gw = ingress();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    // GIVEN two TcpIngress constructs bound to the same managed gateway, on two new ports
    const objects = synth((chart) => {
      new TcpIngress(chart, 'a', { name: 'a', backend, port: 31400, gateway: gw });
      new TcpIngress(chart, 'b', { name: 'b', backend, port: 31401, gateway: gw });
    });
    // THEN the analysis finds every port on the gateway Service (the assumed Service follows the added ports)
    const warnings = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(warnings.filter((w) => w.includes('IST0162'))).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Gateway')).toHaveLength(2);
    expect(gw.servicePorts.current().map((p) => p.port)).toEqual([15021, 80, 443, 31400, 31401]);
  });
});
