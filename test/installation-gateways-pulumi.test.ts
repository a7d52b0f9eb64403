import * as pulumi from '@pulumi/pulumi';
import { Protocol, ServiceRef, resolveInstallationGateways } from '../src';
import { Ctx } from '../src/core/errors';
import { TcpIngress } from '../src/pulumi';
import { registerInstallationPlan } from '../src/pulumi/installation-register';

beforeAll(() => pulumi.runtime.setMocks({
  newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
  call: (args) => args.inputs,
}, 'project', 'stack', false));

test('Pulumi end to end: S1, a TcpIngress bound to an installation gateway after registerInstallationPlan adds 31400 to its chart values; after an await it is refused', async () => {
  // GIVEN the installation's gateway, resolved to a release and a managed ref
  const out = resolveInstallationGateways(new Ctx('IstioInstallation "mesh"').at('gateways'), [{ name: 'istio-ingress' }],
    { locate: (chart) => ({ chart, repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.28.0' }), dependsOn: [] });
  const parent = new pulumi.ComponentResource('istio-constructs:index:IstioInstallation', 'mesh', {});
  const plan = { namespaces: [], releases: out.releases, sailResources: [], manifestSources: [], manifests: [], gateways: out.plans };
  const registered = registerInstallationPlan(parent, 'mesh', plan);
  // WHEN a TcpIngress binds to the ref in the program's synchronous code
  const gateway = out.ingress['istio-ingress'];
  const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
  const tcp = new TcpIngress('messages', { name: 'messages', backend, port: 31400, gateway });
  // THEN the gateway release's values carry 31400, and the ports are sealed once sent
  const values = await new Promise<any>((ok) => registered.gatewayValues['istio-ingress'].apply(ok));
  await (tcp.urn as any).promise();
  expect(values.service.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443', 'tcp-31400:31400']);
  expect(() => new TcpIngress('late', { name: 'late', backend, port: 31401, gateway })).toThrow(/GATEWAY_PORT_NOT_EXPOSED|does not expose port 31401/);
});
