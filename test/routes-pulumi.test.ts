/**
 * The plain routes as Pulumi components, under the mock runtime: type tokens, one child
 * `<name>-virtual-service` of the right kind parented to the component, the same spec as the
 * builder, an Output host and a HardenedGateway ref resolved, invalid args refused at construction.
 */
import * as pulumi from '@pulumi/pulumi';
import {
  ExternalHost, IstioConstructError, Protocol, StringMatch, buildHttpRoute, buildTcpRoute, buildTlsRoute,
} from '../src';
import { HardenedGateway, HttpRoute, IngressGateway, ServiceRef, TcpRoute, TlsRoute } from '../src/pulumi';
import { runPulumi, setPulumiMocks } from './helpers';

beforeAll(() => setPulumiMocks());

const productpage = ServiceRef.fromName('productpage', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const bookinfoGateway = { name: 'bookinfo-gateway', namespace: 'bookinfo', hosts: ['bookinfo.example.com'] };
const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TLS }] });
const pg = ServiceRef.fromName('postgresql', { namespace: 'tutorial', ports: [{ port: 5432, protocol: Protocol.TCP }] });

test('HttpRoute, TcpRoute, TlsRoute: type tokens, one <name>-virtual-service child each, the builder\'s spec', async () => {
  const httpArgs = { name: 'bookinfo', destination: productpage, gateways: [bookinfoGateway], hosts: ['bookinfo.example.com'], rules: [{ match: [{ uri: StringMatch.exact('/productpage') }] }], routeUnmatched: false };
  const tcpArgs = { name: 'postgresql', destination: pg, port: 5432 };
  const tlsArgs = { name: 'db', destination: db, sniHosts: ['db.example.com'], gateways: [{ name: 'passthrough', namespace: 'istio-system', hosts: ['db.example.com'] }] };
  let http!: HttpRoute;
  let tcp!: TcpRoute;
  let tls!: TlsRoute;
  const resources = await runPulumi(() => [http = new HttpRoute('bookinfo', httpArgs), tcp = new TcpRoute('pg', tcpArgs), tls = new TlsRoute('db', tlsArgs)]);
  expect(await (http.urn as any).promise()).toMatch(/::istio-constructs:index:HttpRoute::bookinfo$/);
  expect(await (tcp.urn as any).promise()).toMatch(/::istio-constructs:index:TcpRoute::pg$/);
  expect(await (tls.urn as any).promise()).toMatch(/::istio-constructs:index:TlsRoute::db$/);
  expect(resources.map((r) => [r.name, r.type]).sort()).toEqual([
    ['bookinfo-virtual-service', 'kubernetes:networking.istio.io/v1:VirtualService'],
    ['db-virtual-service', 'kubernetes:networking.istio.io/v1:VirtualService'],
    ['pg-virtual-service', 'kubernetes:networking.istio.io/v1:VirtualService'],
  ]);
  const byName = (n: string) => resources.find((r) => r.name === n)!;
  expect(byName('bookinfo-virtual-service').urn).toContain('istio-constructs:index:HttpRoute$kubernetes:');
  // Both engines emit what the builder builds.
  expect(byName('bookinfo-virtual-service').inputs.spec).toEqual(buildHttpRoute(httpArgs).virtualService!.spec);
  expect(byName('pg-virtual-service').inputs.spec).toEqual(buildTcpRoute(tcpArgs).virtualService!.spec);
  expect(byName('db-virtual-service').inputs.spec).toEqual(buildTlsRoute(tlsArgs).virtualService!.spec);
  expect(byName('bookinfo-virtual-service').inputs.metadata.name).toBe('bookinfo');
  expect((await (http.manifests as any).promise()).map((m: any) => m.kind)).toEqual(['VirtualService']);
});

test('an HttpRoute to an external host', async () => {
  const httpbin = ExternalHost.fromName('httpbin.org', { ports: [{ port: 80, protocol: Protocol.HTTP }] });
  const resources = await runPulumi(() => [new HttpRoute('httpbin', { name: 'httpbin', namespace: 'default', destination: httpbin, timeout: '5s', retries: { attempts: 3 } })]);
  expect(resources[0].inputs.spec).toEqual({ hosts: ['httpbin.org'], http: [{ route: [{ destination: { host: 'httpbin.org' } }], timeout: '5s', retries: { attempts: 3 } }] });
});

test('an Output namespace and host, and a HardenedGateway ref built from Outputs, are resolved', async () => {
  const host = pulumi.output('shop.example.com');
  let route!: HttpRoute;
  const resources = await runPulumi(() => {
    const gw = new HardenedGateway('shop', {
      name: 'shop', namespace: 'istio-system',
      gateway: IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 443, protocol: Protocol.HTTPS }, { port: 80, protocol: Protocol.HTTP }] }),
      servers: [{ hosts: [host], credentialName: 'shop-tls' }],
    });
    route = new HttpRoute('shop', { name: 'shop', namespace: pulumi.output('shop'), destination: ServiceRef.fromName('shop', { namespace: 'shop' }), gateways: [gw.ref], hosts: [host] });
    return [gw, route];
  });
  const vs = resources.find((r) => r.name === 'shop-virtual-service')!;
  expect(vs.inputs.metadata.namespace).toBe('shop');
  expect(vs.inputs.spec.hosts).toEqual(['shop.example.com']);
  expect(vs.inputs.spec.gateways).toEqual(['istio-system/shop']);
});

test('invalid args throw IstioConstructError from the constructor', () => {
  expect(() => new HttpRoute('bad', { name: 'bad', destination: productpage, gateways: [bookinfoGateway] })).toThrow(/HOSTS_REQUIRED/);
  expect(() => new TcpRoute('bad', { name: 'bad', destination: pg, port: 9999 })).toThrow(IstioConstructError);
  expect(() => new TlsRoute('bad', { name: 'bad', destination: db, sniHosts: [] })).toThrow(/HOSTS_REQUIRED/);
});
