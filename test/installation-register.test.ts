/**
 * registerInstallationPlan under pulumi.runtime.setMocks: the chart chain (names, types, parents,
 * order, dependsOn), the values sent, the helm.v3.Release variant, namespaces, Sail resources,
 * add-ons, and the ports constructs bound to a managed gateway add to its Service.
 * A helm.v4.Chart is one opaque (remote component) resource under mocks; `dependsOn` is read
 * in-process with the legacy `transformations` option on the parent, which every child inherits.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ErrorCode, IngressGateway, Protocol, ServiceRef } from '../src';
import { Ctx } from '../src/core/errors';
import { InstallationPlan } from '../src/core/installation-plan';
import { registerInstallationPlan, RegisterInstallationOptions, RegisteredInstallation } from '../src/pulumi/installation-register';
import { errorOf } from './helpers';
import { TcpIngress } from '../src/pulumi';
import { TestServicePorts, helmPlan, port, sailPlan } from './installation-plan-fixture';

interface Mocked { type: string; name: string; inputs: any; custom?: boolean; provider?: string }
const mocked: Mocked[] = [];

beforeAll(() => pulumi.runtime.setMocks({
  newResource: (args) => {
    mocked.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom, provider: args.provider });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'project', 'stack', false));

interface Seen { type: string; name: string; parent?: string; dependsOn: string[] }

/** Registers a plan under a parent component; returns what the transformation saw, then the mock's inputs once all is registered. */
function register(plan: InstallationPlan, options?: RegisterInstallationOptions) {
  mocked.length = 0;
  const seen: Seen[] = [];
  const names = new Map<pulumi.Resource, string>();
  const parent = new pulumi.ComponentResource('istio-constructs:index:IstioInstallation', 'mesh', {}, {
    transformations: [(args) => {
      names.set(args.resource, args.name);
      if (args.type === 'istio-constructs:index:IstioInstallation') return undefined; // the parent itself
      const deps = (args.opts.dependsOn ?? []) as pulumi.Resource[];
      seen.push({ type: args.type, name: args.name, parent: args.opts.parent && names.get(args.opts.parent), dependsOn: [deps].flat().map((d) => names.get(d) ?? '?') });
      return undefined;
    }],
  });
  names.set(parent, 'mesh');
  const registered = registerInstallationPlan(parent, 'mesh', plan, options);
  const done = async (): Promise<Record<string, Mocked>> => {
    await Promise.all(registered.resources.map((r) => (r.urn as any).promise()));
    return Object.fromEntries(mocked.map((m) => [m.name, m]));
  };
  return { seen, registered, done };
}

test('Helm: one helm.v4.Chart per release, chained by dependsOn after the namespaces (namespaces → base → istiod → cni → ztunnel → gateways)', async () => {
  const { plan } = helmPlan();
  const { seen, done } = register(plan);
  expect(seen.map((s) => [s.type, s.name, s.parent, s.dependsOn])).toEqual([
    ['kubernetes:core/v1:Namespace', 'mesh-namespace-istio-system', 'mesh', []],
    ['kubernetes:core/v1:Namespace', 'mesh-namespace-istio-ingress', 'mesh', []],
    ['kubernetes:helm.sh/v4:Chart', 'mesh-base', 'mesh', ['mesh-namespace-istio-system']],
    ['kubernetes:helm.sh/v4:Chart', 'mesh-istiod', 'mesh', ['mesh-namespace-istio-system', 'mesh-base']],
    // kube-system is not created by the plan: only the release it follows
    ['kubernetes:helm.sh/v4:Chart', 'mesh-cni', 'mesh', ['mesh-istiod']],
    ['kubernetes:helm.sh/v4:Chart', 'mesh-ztunnel', 'mesh', ['mesh-namespace-istio-system', 'mesh-cni']],
    ['kubernetes:helm.sh/v4:Chart', 'mesh-gateway-istio-ingress', 'mesh', ['mesh-namespace-istio-ingress', 'mesh-ztunnel']],
    ['kubernetes:helm.sh/v4:Chart', 'mesh-gateway-istio-egress', 'mesh', ['mesh-namespace-istio-system', 'mesh-ztunnel']],
    ['kubernetes:yaml/v2:ConfigFile', 'mesh-prometheus', 'mesh', ['mesh-namespace-istio-system', 'mesh-namespace-istio-ingress', 'mesh-istiod']],
    ['kubernetes:telemetry.istio.io/v1:Telemetry', 'mesh-telemetry-istio-system-mesh-default', 'mesh', [
      'mesh-namespace-istio-system', 'mesh-namespace-istio-ingress',
      'mesh-base', 'mesh-istiod', 'mesh-cni', 'mesh-ztunnel', 'mesh-gateway-istio-ingress', 'mesh-gateway-istio-egress',
    ]],
  ]);

  const r = await done();
  // The chart arguments: repository, version, release name, namespace, values as the plan has them.
  expect(r['mesh-base'].custom).toBe(false); // a remote component: one opaque resource under mocks
  expect(r['mesh-base'].inputs).toEqual({
    chart: 'base', repositoryOpts: { repo: 'https://istio-release.storage.googleapis.com/charts' }, version: '1.28.0',
    name: 'istio-base', namespace: 'istio-system', values: { defaultRevision: 'default', base: { validationFailurePolicy: 'Fail' } },
  });
  expect(r['mesh-istiod'].inputs.values).toEqual({ profile: 'ambient', meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } });
  expect(r['mesh-cni'].inputs).toMatchObject({ chart: 'cni', name: 'istio-cni', namespace: 'kube-system' });
  // No port required: the gateway values are the plan's, without a service.ports that would replace the chart's.
  expect(r['mesh-gateway-istio-ingress'].inputs).toMatchObject({ chart: 'gateway', name: 'istio-ingress', namespace: 'istio-ingress', values: { service: { type: 'LoadBalancer' } } });
  expect(r['mesh-gateway-istio-ingress'].inputs.values.service.ports).toBeUndefined();
  expect(r['mesh-namespace-istio-ingress'].inputs).toMatchObject({ metadata: { name: 'istio-ingress', labels: { 'istio-injection': 'enabled' } } });
  expect(r['mesh-prometheus'].inputs).toEqual({ file: '../shared/istio/samples/addons/prometheus.yaml' });
  expect(r['mesh-telemetry-istio-system-mesh-default'].inputs).toMatchObject({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] } });
});

test('a port required by a construct bound after the registration ends up in the gateway chart values; one required after an await is refused', async () => {
  const { plan, ingressPorts, egressPorts } = helmPlan();
  const { registered, done } = register(plan);
  // A TcpIngress declared after the installation, in the program's synchronous code (S1: 31400).
  ingressPorts.requirePort(port(31400, Protocol.TCP, 'tcp'));
  egressPorts.requirePort(port(443, Protocol.TLS, 'tls')); // already exposed: nothing to add
  egressPorts.requirePort(port(9000, Protocol.HTTP, 'http')); // name taken by 80: renamed, protocol prefix kept

  const r = await done();
  expect(r['mesh-gateway-istio-ingress'].inputs.values).toEqual({
    service: {
      type: 'LoadBalancer',
      // the chart's own ports (values.yaml), then the required one
      ports: [
        { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
        { name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 },
      ],
    },
  });
  expect(r['mesh-gateway-istio-egress'].inputs.values.service.ports).toEqual([
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
    { name: 'tls', port: 443, protocol: 'TCP', targetPort: 8443 },
    { name: 'http-9000', port: 9000, protocol: 'TCP', targetPort: 9000 },
  ]);
  expect(await (registered.gatewayValues.ingress as any).promise()).toEqual(r['mesh-gateway-istio-ingress'].inputs.values);
  expect(Object.keys(registered.gatewayValues).sort()).toEqual(['egress', 'ingress']);

  // The values were sent: the ports are sealed with a reason that says why and what to do.
  expect(ingressPorts.sealedWith).toMatch(/already sent the chart values of gateway release "gateway-istio-ingress".*before the program's first await/);
  const late = errorOf(() => ingressPorts.requirePort(port(31401, Protocol.TCP, 'tcp-31401')));
  expect(late.code).toBe(ErrorCode.GATEWAY_PORT_NOT_EXPOSED);
  expect(late.message).toContain('already sent the chart values');
  expect(() => ingressPorts.requirePort(port(31400, Protocol.TCP, 'tcp'))).not.toThrow();
  // The plan itself is not modified.
  expect(plan.releases[4].values).toEqual({ service: { type: 'LoadBalancer' } });
});

test('release: "release" registers helm.v3.Release with createNamespace false and the same chain', async () => {
  const { plan } = helmPlan();
  const { seen, registered, done } = register(plan, { release: 'release' });
  const releases = seen.filter((s) => s.type === 'kubernetes:helm.sh/v3:Release');
  expect(releases.map((s) => [s.name, s.dependsOn])).toEqual([
    ['mesh-base', ['mesh-namespace-istio-system']],
    ['mesh-istiod', ['mesh-namespace-istio-system', 'mesh-base']],
    ['mesh-cni', ['mesh-istiod']],
    ['mesh-ztunnel', ['mesh-namespace-istio-system', 'mesh-cni']],
    ['mesh-gateway-istio-ingress', ['mesh-namespace-istio-ingress', 'mesh-ztunnel']],
    ['mesh-gateway-istio-egress', ['mesh-namespace-istio-system', 'mesh-ztunnel']],
  ]);
  expect(seen.some((s) => s.type === 'kubernetes:helm.sh/v4:Chart')).toBe(false);
  expect(registered.releases.istiod).toBeInstanceOf(k8s.helm.v3.Release);
  const r = await done();
  expect(r['mesh-istiod'].custom).toBe(true);
  expect(r['mesh-istiod'].inputs).toMatchObject({
    chart: 'istiod', repositoryOpts: { repo: 'https://istio-release.storage.googleapis.com/charts' }, version: '1.28.0',
    name: 'istiod', namespace: 'istio-system', createNamespace: false, values: { profile: 'ambient' },
  });
  expect(r['mesh-istiod'].inputs.skipCrds).toBeUndefined();
});

test('a local chart directory: no repositoryOpts, no version; the provider option reaches every child', async () => {
  const { plan } = helmPlan();
  const local: InstallationPlan = {
    ...plan,
    releases: plan.releases.map((rel) => ({ ...rel, location: { chart: `../shared/istio/charts/${rel.location.chart}` } })),
  };
  const provider = new k8s.Provider('cluster', { kubeconfig: 'kubeconfig' });
  const { registered, done } = register(local, { provider });
  const r = await done();
  expect(r['mesh-base'].inputs).toEqual({ chart: '../shared/istio/charts/base', name: 'istio-base', namespace: 'istio-system', values: plan.releases[0].values });
  const providerUrn = await (provider.urn as any).promise();
  const children = Object.values(r).filter((m) => m.name.startsWith('mesh-'));
  expect(children).toHaveLength(registered.resources.length);
  for (const m of children) expect(m.provider).toContain(providerUrn);
});

test('Sail Operator: Istio, IstioCNI, ZTunnel and IstioRevisionTag as CustomResources after the namespaces, no Helm release', async () => {
  const { seen, registered, done } = register(sailPlan());
  expect(seen.map((s) => [s.type, s.name, s.dependsOn])).toEqual([
    ['kubernetes:core/v1:Namespace', 'mesh-namespace-istio-system', []],
    ['kubernetes:core/v1:Namespace', 'mesh-namespace-istio-cni', []],
    ['kubernetes:sailoperator.io/v1:Istio', 'mesh-istio-default', ['mesh-namespace-istio-system', 'mesh-namespace-istio-cni']],
    ['kubernetes:sailoperator.io/v1:IstioCNI', 'mesh-istiocni-default', ['mesh-namespace-istio-system', 'mesh-namespace-istio-cni']],
    ['kubernetes:sailoperator.io/v1:ZTunnel', 'mesh-ztunnel-default', ['mesh-namespace-istio-system', 'mesh-namespace-istio-cni']],
    ['kubernetes:sailoperator.io/v1:IstioRevisionTag', 'mesh-istiorevisiontag-default', ['mesh-namespace-istio-system', 'mesh-namespace-istio-cni']],
  ]);
  expect(registered.releases).toEqual({});
  expect(registered.sailResources).toHaveLength(4);
  const r = await done();
  expect(r['mesh-istio-default'].inputs).toEqual(sailPlan().sailResources[0]);
});

test('a plan whose names collide or whose order is wrong is refused before anything is registered', () => {
  const { plan } = helmPlan();
  const registeredNames: string[] = [];
  const parent = () => new pulumi.ComponentResource('istio-constructs:index:IstioInstallation', 'bad', {}, {
    transformations: [(args) => { if (args.opts.parent) registeredNames.push(args.name); return undefined; }],
  });
  const twice = errorOf(() => registerInstallationPlan(parent(), 'bad', { ...plan, releases: [plan.releases[0], plan.releases[0]] }));
  expect([twice.code, twice.path]).toEqual([ErrorCode.DUPLICATE_NAME, 'releases[1].id']);
  const reversed = errorOf(() => registerInstallationPlan(parent(), 'bad', { ...plan, releases: [plan.releases[1], plan.releases[0]] }));
  expect([reversed.code, reversed.path]).toEqual([ErrorCode.INVALID_OBJECT, 'releases[0].dependsOn[0]']);
  expect(reversed.message).toContain('depends on "base", which is not a release before it');
  const noGateway = errorOf(() => registerInstallationPlan(parent(), 'bad', { ...plan, gateways: {} }));
  expect([noGateway.code, noGateway.path]).toEqual([ErrorCode.INVALID_OBJECT, 'releases[4].gateway']);
  const addon = errorOf(() => registerInstallationPlan(parent(), 'bad', { ...plan, manifestSources: [{ id: 'kiali', source: 'k.yaml', dependsOn: ['nope'] }] }));
  expect([addon.code, addon.path]).toEqual([ErrorCode.INVALID_OBJECT, 'manifestSources[0].dependsOn[0]']);
  const objects = errorOf(() => registerInstallationPlan(parent(), 'bad', { ...plan, manifests: [plan.manifests[0], plan.manifests[0]] }));
  expect([objects.code, objects.path]).toEqual([ErrorCode.DUPLICATE_NAME, 'manifests[1]']);
  expect(registeredNames).toEqual([]); // not even the namespaces
});

/**
 * Stands in for the managed gateway reference (ManagedIngressGateway, built elsewhere): a core
 * IngressGateway whose requirePort adds the port to the installation's gateway Service.
 */
class ManagedGatewayStandIn extends IngressGateway {
  constructor(private readonly servicePorts: TestServicePorts) {
    super({ istio: 'ingress' }, 'istio-ingress', 'istio-ingress', undefined);
  }

  public requirePort(_ctx: Ctx, p: number): void {
    this.servicePorts.requirePort(port(p, Protocol.TCP, 'tcp'));
  }
}

test('S1 through a Pulumi component: a TcpIngress bound to the managed gateway after the installation adds 31400 to its chart values; one after an await is refused', async () => {
  const { plan, ingressPorts } = helmPlan();
  const { done } = register(plan);
  const gateway = new ManagedGatewayStandIn(ingressPorts);
  const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
  // The core ref passes through the Pulumi component's args as it is (a class instance, not a plain object).
  const tcp = new TcpIngress('messages', { name: 'messages', backend, port: 31400, backendPort: 9000, gateway });
  const r = await done();
  await (tcp.urn as any).promise();
  expect(r['mesh-gateway-istio-ingress'].inputs.values.service.ports.map((p: any) => p.port)).toEqual([15021, 80, 443, 31400]);
  expect(() => new TcpIngress('late', { name: 'late', backend, port: 31401, backendPort: 9000, gateway })).toThrow(/already sent the chart values.*GATEWAY_PORT_NOT_EXPOSED/);
});
