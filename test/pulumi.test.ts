/** The Pulumi components under pulumi.runtime.setMocks: type tokens, child names and types, parents, errors. */
import * as pulumi from '@pulumi/pulumi';
import { IngressGateway, IstioConstructError, Protocol, ServiceRef, SessionAffinity } from '../src';
import { CanaryService, ServiceTrafficPolicy, StickyService, TcpIngress, WorkloadService } from '../src/pulumi';
import { runPulumi, setPulumiMocks } from './helpers';

const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const ingress = IngressGateway.fromSelector({ istio: 'ingress' }, { namespace: 'istio-ingress', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 31400 }] });

beforeAll(() => setPulumiMocks());

test('CanaryService: type token, ${name}-<role> children of the right kinds, parented to the component', async () => {
  let component!: CanaryService;
  const resources = await runPulumi(() => [component = new CanaryService('reviews', {
    service: reviews,
    versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
    gateway: { gateway: ingress, hosts: ['reviews.example.com'] },
  })]);
  expect(await (component.urn as any).promise()).toMatch(/::istio-constructs:index:CanaryService::reviews$/);
  expect(resources.map((r) => [r.name, r.type]).sort()).toEqual([
    ['reviews-destination-rule', 'kubernetes:networking.istio.io/v1:DestinationRule'],
    ['reviews-gateway', 'kubernetes:networking.istio.io/v1:Gateway'],
    ['reviews-virtual-service', 'kubernetes:networking.istio.io/v1:VirtualService'],
  ]);
  for (const r of resources) expect(r.urn).toContain('istio-constructs:index:CanaryService$kubernetes:');
  // object names are the pattern's, not Pulumi auto-names with a random suffix
  expect(resources.map((r) => r.inputs.metadata.name).sort()).toEqual(['reviews', 'reviews', 'reviews-gateway']);
  const vs = resources.find((r) => r.name === 'reviews-virtual-service')!;
  expect(vs.inputs.spec.gateways).toEqual(['bookinfo/reviews-gateway', 'mesh']);
});

test('TcpIngress and WorkloadService: children and core Service type', async () => {
  const resources = await runPulumi(() => {
    const svc = new WorkloadService('echo', { name: 'echo', namespace: 'default', selector: { app: 'echo' }, ports: [{ port: 9000, protocol: Protocol.TCP }] });
    return [svc, new TcpIngress('echo', { name: 'echo', backend: svc.ref, port: 31400, gateway: ingress })];
  });
  expect(resources.map((r) => [r.name, r.type]).sort()).toEqual([
    ['echo-gateway', 'kubernetes:networking.istio.io/v1:Gateway'],
    ['echo-service', 'kubernetes:core/v1:Service'],
    ['echo-virtual-service', 'kubernetes:networking.istio.io/v1:VirtualService'],
  ]);
  expect(resources.find((r) => r.name === 'echo-service')!.urn).toContain('istio-constructs:index:WorkloadService$kubernetes:core/v1:Service');
});

test('invalid args throw IstioConstructError from the constructor, before anything is registered', () => {
  expect(() => new CanaryService('bad', { service: reviews, versions: [{ name: 'v1', weight: -1 }] })).toThrow(IstioConstructError);
  expect(() => new TcpIngress('bad', { name: 'bad', backend: reviews, port: 31401, gateway: ingress, backendPort: 9080 })).toThrow(/GATEWAY_PORT_NOT_EXPOSED/);
});

test('components accept the usual resource options', async () => {
  const parent = new pulumi.ComponentResource('test:index:Parent', 'p');
  let c!: CanaryService;
  await runPulumi(() => [c = new CanaryService('child', { service: reviews, versions: [{ name: 'v1', weight: 1 }] }, { parent })]);
  expect(await (c.urn as any).promise()).toContain('test:index:Parent$istio-constructs:index:CanaryService::child');
});

test('StickyService and ServiceTrafficPolicy: children, and warnings through pulumi.log.warn', async () => {
  const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
  try {
    let sticky!: StickyService;
    const resources = await runPulumi(() => [
      sticky = new StickyService('cart', { service: reviews, affinity: SessionAffinity.sourceIp(), gateway: { gateway: ingress, hosts: ['cart.example.com'] } }),
      new ServiceTrafficPolicy('limits', { service: ServiceRef.fromName('db', { namespace: 'data' }), trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }),
    ]);
    expect(resources.map((r) => r.name).sort()).toEqual(['cart-destination-rule', 'cart-gateway', 'cart-virtual-service', 'limits-destination-rule']);
    expect(await (sticky.urn as any).promise()).toMatch(/istio-constructs:index:StickyService::cart$/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY'), sticky);
  } finally {
    warn.mockRestore();
  }
});
