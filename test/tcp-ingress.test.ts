import {
  ErrorCode, IngressGateway, Protocol, ServiceRef, buildTcpIngress,
} from '../src';
import { TcpIngress, WorkloadService } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system',
  serviceName: 'istio-ingressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 31400, protocol: Protocol.TCP, name: 'tcp' }, { port: 443, protocol: Protocol.HTTPS }],
});
const tcpService = ServiceRef.fromName('tcp-service', { namespace: 'default', ports: [{ port: 31400, targetPort: 8080, protocol: Protocol.TCP }] });

describe('TcpIngress', () => {
  test('gateway TCP server and a tcp route to the backend Service port', () => {
    const objects = synth((chart) => {
      const svc = new WorkloadService(chart, 'svc', { name: 'tcp-service', namespace: 'default', selector: { app: 'tcp-app' }, ports: [{ port: 31400, targetPort: 8080, protocol: Protocol.TCP }] });
      new TcpIngress(chart, 'ems', { name: 'ems', backend: svc.ref, port: 31400, gateway: ingress, gatewayNamespace: 'istio-system' });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();

    const gw = find(objects, 'Gateway', 'ems-gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.servers).toEqual([{ port: { number: 31400, name: 'tcp-31400', protocol: 'TCP' }, hosts: ['*'] }]);
    const vs = find(objects, 'VirtualService', 'ems');
    expect(vs.metadata.namespace).toBe('default');
    expect(vs.spec.gateways).toEqual(['istio-system/ems-gateway']);
    expect(vs.spec.tcp).toEqual([{
      match: [{ port: 31400 }],
      route: [{ destination: { host: 'tcp-service.default.svc.cluster.local', port: { number: 31400 } } }],
    }]);
    const svc = find(objects, 'Service', 'tcp-service');
    expect(svc.spec.ports).toEqual([{ name: 'tcp', port: 31400, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('mesh TCP route to another backend port', () => {
    const pg = ServiceRef.fromName('postgresql', { namespace: 'tutorial', ports: [{ port: 5432, protocol: Protocol.TCP }, { port: 5555, protocol: Protocol.TCP }] });
    const out = buildTcpIngress({ name: 'postgresql', backend: pg, port: 5432, backendPort: 5555 });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.gateway).toBeUndefined();
    expect(out.virtualService!.spec.hosts).toEqual(['postgresql.tutorial.svc.cluster.local']);
    expect(out.virtualService!.spec.gateways).toBeUndefined();
    expect(out.virtualService!.spec.tcp).toEqual([{
      match: [{ port: 5432 }],
      route: [{ destination: { host: 'postgresql.tutorial.svc.cluster.local', port: { number: 5555 } } }],
    }]);
  });

  test('TLS SNI passthrough variant', () => {
    const tls = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 443, protocol: Protocol.TLS }] });
    const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TLS }] });
    const out = buildTcpIngress({ name: 'db', backend: db, port: 443, gateway: tls, tlsPassthrough: { sniHosts: ['db.example.com'] } });
    const objects = out.objects.map((o) => o.manifest);
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    expect(out.gateway!.spec.servers).toEqual([{ port: { number: 443, name: 'tls-443', protocol: 'TLS' }, hosts: ['db.example.com'], tls: { mode: 'PASSTHROUGH' } }]);
    expect(out.virtualService!.spec.hosts).toEqual(['db.example.com']);
    expect(out.virtualService!.spec.tcp).toBeUndefined();
    expect(out.virtualService!.spec.tls).toEqual([{
      match: [{ port: 443, sniHosts: ['db.example.com'] }],
      route: [{ destination: { host: 'db.data.svc.cluster.local', port: { number: 5432 } } }],
    }]);
  });

  test('weighted TCP routes across versions, with their subsets', () => {
    const echo = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
    const echoIngress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 31400 }] });
    const out = buildTcpIngress({ name: 'tcp-echo', backend: echo, port: 31400, gateway: echoIngress, versions: [{ name: 'v1', percent: 80 }, { name: 'v2', percent: 20 }] });
    expectValid(out.objects.map((o) => o.manifest));
    expect(out.destinationRule!.spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
    expect(out.virtualService!.spec.tcp![0].route).toEqual([
      { destination: { host: 'tcp-echo.default.svc.cluster.local', subset: 'v1', port: { number: 9000 } }, weight: 80 },
      { destination: { host: 'tcp-echo.default.svc.cluster.local', subset: 'v2', port: { number: 9000 } }, weight: 20 },
    ]);
    expect(out.objects.find((o) => o.role === 'virtual-service')!.dependsOn).toEqual(['destination-rule', 'gateway']);
  });
});

describe('TcpIngress: the seed S1 mistakes', () => {
  test('the VirtualService always names its Gateway as namespace/name (the seed\'s bare name binds nothing)', () => {
    const out = buildTcpIngress({ name: 'tcp-virtual-service', backend: tcpService, port: 31400, gateway: ingress, gatewayName: 'tcp-ingress-gateway', gatewayNamespace: 'istio-system' });
    expect(out.virtualService!.metadata.namespace).toBe('default');
    expect(out.virtualService!.spec.gateways).toEqual(['istio-system/tcp-ingress-gateway']);
  });

  test('routing to the targetPort 8080 instead of the Service port is refused', () => {
    const e = errorOf(() => buildTcpIngress({ name: 'tcp-virtual-service', backend: tcpService, port: 31400, backendPort: 8080, gateway: ingress }));
    expect(e.code).toBe(ErrorCode.SERVICE_PORT_NOT_FOUND);
    expect(e.path).toBe('backendPort');
    expect(e.message).toContain('not a targetPort');
  });

  test('without backendPort, the route names the Service port 31400', () => {
    const out = buildTcpIngress({ name: 'tcp-virtual-service', backend: tcpService, port: 31400, gateway: ingress });
    expect(out.virtualService!.spec.tcp![0].route![0].destination.port).toEqual({ number: 31400 });
  });
});

describe('TcpIngress validation', () => {
  const base = { name: 'ems', backend: tcpService, port: 31400, gateway: ingress };
  const cases: Array<[string, () => unknown, ErrorCode, string]> = [
    ['TCP port the gateway does not expose', () => buildTcpIngress({ ...base, port: 31401, backendPort: 31400 }), ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'port'],
    ['gateway whose ports are unknown', () => buildTcpIngress({ ...base, gateway: IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system' }) }), ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'port'],
    ['port out of range', () => buildTcpIngress({ ...base, port: 0 }), ErrorCode.PORT_OUT_OF_RANGE, 'port'],
    ['backend port out of range', () => buildTcpIngress({ ...base, backendPort: 65536 }), ErrorCode.PORT_OUT_OF_RANGE, 'backendPort'],
    ['invalid DNS-1123 name', () => buildTcpIngress({ ...base, name: 'ems_route' }), ErrorCode.INVALID_NAME, 'name'],
    ['invalid gateway name', () => buildTcpIngress({ ...base, gatewayName: 'tcp.gateway' }), ErrorCode.INVALID_NAME, 'gatewayName'],
    ['invalid source labels', () => buildTcpIngress({ name: 'ems', backend: tcpService, port: 31400, sourceLabels: { app: 'a b' } }), ErrorCode.INVALID_LABEL, 'sourceLabels.app'],
    // Istio drops the sourceLabels of gateway TCP/TLS matches (pilot gateway.go, l4SingleMatch).
    ['source labels on a gateway route, which Istio ignores', () => buildTcpIngress({ ...base, sourceLabels: { app: 'client' } }), ErrorCode.CONFLICTING_PROPS, 'sourceLabels'],
    ['mesh route on a port the backend does not have', () => buildTcpIngress({ name: 'pg', backend: tcpService, port: 5432, backendPort: 31400 }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'port'],
    ['backend with several ports and no backendPort', () => buildTcpIngress({ ...base, backend: ServiceRef.fromName('x', { namespace: 'default', ports: [{ port: 1, protocol: Protocol.TCP }, { port: 2, protocol: Protocol.TCP }] }) }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'backendPort'],
    ['backend with no declared ports', () => buildTcpIngress({ ...base, backend: ServiceRef.fromName('x', { namespace: 'default' }) }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'backendPort'],
    ['all-zero version weights', () => buildTcpIngress({ ...base, versions: [{ name: 'v1', weight: 0 }] }), ErrorCode.ZERO_TOTAL_WEIGHT, 'versions'],
    ['duplicate versions', () => buildTcpIngress({ ...base, versions: [{ name: 'v1', weight: 1 }, { name: 'v1', weight: 1 }] }), ErrorCode.DUPLICATE_VERSION, 'versions[1].name'],
    ['TLS passthrough without SNI hosts', () => buildTcpIngress({ ...base, tlsPassthrough: { sniHosts: [] } }), ErrorCode.HOSTS_REQUIRED, 'tlsPassthrough.sniHosts'],
    ['wildcard SNI host without opt-in', () => buildTcpIngress({ ...base, tlsPassthrough: { sniHosts: ['*.example.com'] } }), ErrorCode.WILDCARD_HOST, 'tlsPassthrough.sniHosts[0]'],
  ];

  test.each(cases)('%s', (_title, fn, code, path) => {
    const e = errorOf(fn);
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
  });

  // istio/istio f70faea2aa8 (#20024, 1.5): pilot never reads L4MatchAttributes.sourceSubnet nor
  // TLSMatchAttributes.sourceSubnet, so a route "from" a subnet would apply to every source.
  describe('sourceSubnet is refused: Istio ignores it', () => {
    const pg = ServiceRef.fromName('postgresql', { namespace: 'tutorial', ports: [{ port: 5432, protocol: Protocol.TCP }] });
    const tls = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 443, protocol: Protocol.TLS }] });
    test.each<[string, Record<string, unknown>]>([
      ['mesh TCP route', { name: 'postgresql', backend: pg, port: 5432, sourceSubnet: '172.17.0.0/16' }],
      ['gateway TCP route', { ...base, sourceSubnet: '10.0.0.0/8' }],
      ['TLS passthrough', { ...base, gateway: tls, port: 443, tlsPassthrough: { sniHosts: ['db.example.com'] }, sourceSubnet: '10.0.0.0/8' }],
      ['an invalid CIDR (refused as ignored, not as malformed)', { ...base, sourceSubnet: '10.0.0.0/33' }],
      ['a non-string', { ...base, sourceSubnet: 42 }],
    ])('%s', (_title, props) => {
      const e = errorOf(() => buildTcpIngress(props as any));
      expect(e.code).toBe(ErrorCode.UNKNOWN_PROP);
      expect(e.path).toBe('sourceSubnet');
      expect(e.message).toMatch(/Istio ignores sourceSubnet/);
      expect(e.message.length).toBeLessThan(400);
      expect(e.hint).toMatch(/AuthorizationPolicy/);
      expect(e.hint).toMatch(/ipBlocks/);
      expect(e.hint).toMatch(/remoteIpBlocks/);
    });

    test('the type has no such prop', () => {
      // @ts-expect-error sourceSubnet is not a prop of TcpIngressProps
      expect(() => buildTcpIngress({ ...base, sourceSubnet: '10.0.0.0/8' })).toThrow();
    });

    test('another unknown prop still gets the generic message', () => {
      const e = errorOf(() => buildTcpIngress({ ...base, sourceSubnets: '10.0.0.0/8' } as any));
      expect(e.code).toBe(ErrorCode.UNKNOWN_PROP);
      expect(e.message).toMatch(/unknown prop "sourceSubnets"/);
    });
  });

  test('a TCP server carries no host, so "*" needs no wildcard opt-in', () => {
    expect(buildTcpIngress(base).gateway!.spec.servers![0].hosts).toEqual(['*']);
  });
});

describe('value types', () => {
  test('ServiceRef ports are named <protocol>[-suffix] (IST0118)', () => {
    const ref = ServiceRef.fromName('api', { namespace: 'prod', ports: [{ port: 80 }, { port: 8080 }, { port: 9090, protocol: Protocol.GRPC }] });
    expect(ref.ports.map((p) => p.name)).toEqual(['http-80', 'http-8080', 'grpc']);
    expect(ref.fqdn).toBe('api.prod.svc.cluster.local');
  });

  test.each([
    ['a port name that hides the protocol', () => ServiceRef.fromName('a', { namespace: 'n', ports: [{ port: 80, name: 'web' }] }), ErrorCode.INVALID_PORT, 'ports[0].name'],
    ['a duplicated port', () => ServiceRef.fromName('a', { namespace: 'n', ports: [{ port: 80 }, { port: 80, name: 'http-b' }] }), ErrorCode.INVALID_PORT, 'ports[1].port'],
    ['an empty gateway selector', () => IngressGateway.fromSelector({}, { namespace: 'istio-system' }), ErrorCode.INVALID_LABEL, 'selector'],
    ['an invalid namespace', () => ServiceRef.fromName('a', { namespace: 'Prod' }), ErrorCode.INVALID_NAME, 'namespace'],
  ] as Array<[string, () => unknown, ErrorCode, string]>)('%s is refused', (_t, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
  });
});
