/**
 * The Pulumi IstioInstallation under mocks: the chart chain in order with dependsOn, the values,
 * the gateway port a TcpIngress adds, and the helm.v3.Release variant.
 */
import * as pulumi from '@pulumi/pulumi';
import { Protocol, ServiceRef } from '../src';
import { IstioInstallation, TcpIngress } from '../src/pulumi';

const registered: Array<{ type: string; name: string; inputs: any }> = [];
beforeAll(() => pulumi.runtime.setMocks({
  newResource: (args) => {
    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'project', 'stack', false));

const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
const settle = (r: pulumi.Resource) => new Promise<void>((ok) => (r.urn as pulumi.Output<string>).apply(() => ok()));

test('demo: namespace, base, istiod, then both gateways after istiod, with values; a TcpIngress adds 31400 to the gateway values', async () => {
  const istio = new IstioInstallation('mesh', { version: '1.28.0', profile: 'demo', meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } });
  const tcp = new TcpIngress('tcp', { name: 'tcp-echo', backend, port: 31400, gateway: istio.ingressGateway! });
  const values = await new Promise<any>((ok) => istio.registered.gatewayValues['istio-ingressgateway'].apply(ok));
  for (const r of istio.registered.resources) await settle(r);
  await settle(tcp);
  expect(Object.keys(istio.registered.releases)).toEqual(['base', 'istiod', 'gateway-istio-ingressgateway', 'gateway-istio-egressgateway']);
  const charts = registered.filter((r) => r.type === 'kubernetes:helm.sh/v4:Chart' && r.name.startsWith('mesh-'));
  expect(charts.map((c) => c.name)).toEqual(['mesh-base', 'mesh-istiod', 'mesh-gateway-istio-ingressgateway', 'mesh-gateway-istio-egressgateway']);
  expect(charts[1].inputs.values.meshConfig).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  expect(charts[0].inputs.values.base).toEqual({ validationFailurePolicy: 'Fail' });
  expect(istio.output.plan.releases.find((r) => r.id === 'gateway-istio-ingressgateway')!.dependsOn).toEqual(['istiod']);
  expect(values.service.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443', 'tcp-31400:31400']);
  expect(registered.some((r) => r.type === 'kubernetes:core/v1:Namespace' && r.name === 'mesh-namespace-istio-system')).toBe(true);
  expect(() => istio.gateway('nope')).toThrow(/UNKNOWN_GATEWAY/);
});

test("release: 'release' registers helm.v3.Releases, revisioned gateways in their own namespace", async () => {
  const istio = new IstioInstallation('canary', {
    version: '1.28.0', revision: '1-28-0', defaultGateways: false, release: 'release',
    gateways: [{ name: 'echo-ingress', labels: { 'gateway-name': 'echo' } }],
  });
  for (const r of istio.registered.resources) await settle(r);
  const releases = registered.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.name.startsWith('canary-'));
  expect(releases.map((r) => r.name)).toEqual(['canary-base', 'canary-istiod-1-28-0', 'canary-gateway-echo-ingress']);
  expect(releases[2].inputs.namespace).toBe('istio-ingress');
  expect(releases[2].inputs.values.revision).toBe('1-28-0');
  expect(istio.ingressGateway).toBeUndefined();
  expect(istio.gateway('echo-ingress').selector).toEqual({ 'app': 'echo-ingress', 'istio': 'echo-ingress', 'gateway-name': 'echo' });
  const ns = registered.find((r) => r.name === 'canary-namespace-istio-ingress')!;
  expect(ns.inputs.metadata.labels).toBeUndefined();
});
