import { execFileSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ErrorCode, IstioConstructError, Protocol, ServiceRef, buildGateway, buildTcpIngress, resolveInstallationGateways } from '../src';
import type { InstallationGatewayProps, InstallationGatewaysContext } from '../src';
import { Ctx } from '../src/core/errors';
import { Manifest } from '../src/core/manifest';
import { ManagedEgressGateway, ManagedIngressGateway } from '../src/core/managed-gateway';
import { helmBinary } from '../scripts/helm';
import { edgy, enumOf, int, label, labels, name, props } from './arbitraries/primitives';
import { realize } from './arbitraries/recipe';
import { TcpIngress } from '../src/cdk8s';
import { renderInstallationPlan } from '../src/cdk8s/installation-render';
import { errorOf, expectValid, find, synth } from './helpers';

const CHART_DIR = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'charts', 'gateway');
const context: InstallationGatewaysContext = {
  locate: (chart) => ({ chart: `../shared/istio/charts/${chart}` }),
  dependsOn: ['istiod'],
};
const resolve = (gateways: InstallationGatewayProps[], ctx: Partial<InstallationGatewaysContext> = {}) =>
  resolveInstallationGateways(new Ctx('IstioInstallation "mesh"').at('gateways'), gateways, { ...context, ...ctx });
const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });

/** `helm template` of the gateway chart with the release's values (the engines render `servicePorts.current()` into service.ports). */
function helmTemplate(release: { releaseName: string; namespace: string; values: Record<string, unknown> }, ports?: readonly { name: string; port: number; targetPort: number }[]): Manifest[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-gw-'));
  try {
    const values = { ...release.values, service: { ...(release.values.service as object), ...(ports ? { ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort })) } : {}) } };
    fs.writeFileSync(path.join(dir, 'values.json'), JSON.stringify(values));
    const out = execFileSync(helmBinary(), ['template', release.releaseName, CHART_DIR, '-n', release.namespace, '-f', path.join(dir, 'values.json')], { encoding: 'utf8' });
    return parseAllDocuments(out).map((d) => d.toJS()).filter((m) => m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('resolveInstallationGateways', () => {
  test('a default ingress gateway: the chart labels, namespace istio-ingress, the chart ports', () => {
    const out = resolve([{ name: 'istio-ingress' }]);
    const gw = out.ingress['istio-ingress'];
    expect(gw).toBeInstanceOf(ManagedIngressGateway);
    // _helpers.tpl: app = name, istio = name without "istio-"
    expect(gw.selector).toEqual({ app: 'istio-ingress', istio: 'ingress' });
    expect(gw.namespace).toBe('istio-ingress');
    expect(gw.serviceName).toBe('istio-ingress');
    expect(gw.servicePorts.current().map((p) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443']);
    expect(out.releases).toEqual([{
      id: 'gateway-istio-ingress', role: 'gateway', releaseName: 'istio-ingress', namespace: 'istio-ingress',
      location: { chart: '../shared/istio/charts/gateway' }, dependsOn: ['istiod'], gateway: 'istio-ingress',
      values: {
        service: {
          type: 'LoadBalancer',
          ports: [
            { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
            { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
            { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
          ],
        },
        autoscaling: { enabled: true },
      },
    }]);
    expect(out.plans['istio-ingress']).toEqual({ releaseId: 'gateway-istio-ingress', serviceName: 'istio-ingress', namespace: 'istio-ingress', servicePorts: gw.servicePorts });
    expect(out.namespaces).toEqual(['istio-ingress']);
  });

  test('S11: echo-ingress on 8000 with its labels, and a ClusterIP egress gateway', () => {
    const out = resolve([
      { name: 'echo-ingress', namespace: 'default', service: { ports: [{ port: 8000, protocol: Protocol.HTTP }] }, labels: { 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress' } },
      { name: 'egress', kind: 'egress', namespace: 'default', service: { ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }] }, labels: { 'gateway-name': 'egress', 'gateway-type': 'egress' } },
    ]);
    const echo = out.ingress['echo-ingress'];
    expect(echo.selector).toEqual({ 'app': 'echo-ingress', 'gateway-name': 'echo-ingress', 'gateway-type': 'ingress', 'istio': 'echo-ingress' });
    const egress = out.egress.egress;
    expect(egress).toBeInstanceOf(ManagedEgressGateway);
    expect(egress.fqdn).toBe('egress.default.svc.cluster.local');
    expect(out.releases[1].values.service).toEqual({ type: 'ClusterIP', ports: [{ name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 }, { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 }] });
    // the Gateway of S11 binds to the reference: its selector is what the chart's pods carry
    const gateway = buildGateway({ name: 'echo', namespace: 'default', workload: echo, servers: [{ port: 8000, protocol: Protocol.HTTP, hosts: ['echo.example.com'] }] });
    expectValid(gateway.objects.map((o) => o.manifest));
    expect(gateway.gateway!.spec.selector).toEqual(echo.selector);
    expect(out.namespaces).toEqual(['default']);
  });

  test('the installation revision is the default of each gateway revision', () => {
    const out = resolve([{ name: 'istio-ingress' }, { name: 'canary-ingress', revision: 'canary' }], { revision: '1-31-0' });
    expect(out.releases.map((r) => r.values.revision)).toEqual(['1-31-0', 'canary']);
  });

  test('hardened: the HardenedGateway pod settings, 2 to 5 replicas, a PDB, spread over nodes and zones', () => {
    const [release] = resolve([{ name: 'istio-ingress', hardened: true }]).releases;
    const v = release.values as any;
    expect(v.autoscaling).toEqual({ enabled: true, minReplicas: 2, maxReplicas: 5 });
    expect(v.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(v.service.externalTrafficPolicy).toBe('Local');
    expect(v.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1337, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] });
    expect(v.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(v.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    expect(v.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { app: 'istio-ingress', istio: 'ingress' } });
  });

  test('values merge over the props and can rename the gateway (the selector follows)', () => {
    const out = resolve([{ name: 'istio-ingressgateway', values: { name: 'ingressgateway-main', labels: { istio: 'ingressgateway' }, service: { annotations: { a: 'b' } } } }]);
    const gw = out.ingress['istio-ingressgateway'];
    expect(gw.selector).toEqual({ app: 'ingressgateway-main', istio: 'ingressgateway' });
    expect(gw.serviceName).toBe('ingressgateway-main');
    expect((out.releases[0].values as any).service.type).toBe('LoadBalancer');
    expect((out.releases[0].values as any).service.annotations).toEqual({ a: 'b' });
  });

  describe('rendered by the real helm with the real gateway chart', () => {
    test('the pods carry the reference selector, the Service selects them and carries the ports bound constructs added', () => {
      // GIVEN an installation gateway with extra labels, and a TcpIngress on 31400 bound to it (S1)
      const out = resolve([{ name: 'istio-ingress', labels: { 'gateway-name': 'main' }, hardened: true }]);
      const gw = out.ingress['istio-ingress'];
      buildTcpIngress({ name: 'ems', backend, port: 31400, gateway: gw });
      // WHEN helm renders the release with the Service ports at synth time
      const objects = helmTemplate(out.releases[0], gw.servicePorts.current());
      // THEN the pods carry every label of the selector, the Service selects the pods, and has 31400
      const deployment = find(objects, 'Deployment', 'istio-ingress');
      const podLabels = deployment.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(gw.selector)) expect([k, podLabels[k]]).toEqual([k, v]);
      const service = find(objects, 'Service', 'istio-ingress');
      expect(service.metadata.namespace).toBe('istio-ingress');
      for (const [k, v] of Object.entries(service.spec.selector)) expect([k, podLabels[k]]).toEqual([k, v]);
      expect(service.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443', 'tcp-31400:31400']);
      expect(service.spec.type).toBe('LoadBalancer');
      expect(find(objects, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(2);
      expect(find(objects, 'PodDisruptionBudget').spec.minAvailable).toBe(1);
      expect(deployment.spec.template.spec.securityContext.runAsUser).toBe(1337);
      expectValid(objects);
    });

    test('end to end with renderInstallationPlan: a TcpIngress created after the installation adds 31400, the analysis finds its pods and port', () => {
      const out = resolve([{ name: 'istio-ingress' }], { locate: () => ({ chart: CHART_DIR }) });
      const gw = out.ingress['istio-ingress'];
      const plan = { namespaces: [], releases: out.releases, sailResources: [], manifestSources: [], manifests: [], gateways: out.plans };
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const objects = synth((chart) => {
        renderInstallationPlan(chart, plan, { helmExecutable: helmBinary() });
        // bound after the chart was rendered (S1)
        new TcpIngress(chart, 'ems', { name: 'ems', backend, port: 31400, gateway: gw });
      });
      const warnings = warn.mock.calls.map((c) => String(c[0]));
      warn.mockRestore();
      const service = find(objects, 'Service', 'istio-ingress');
      expect(service.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['status-port:15021', 'http2:80', 'https:443', 'tcp-31400:31400']);
      // IST0101: the Gateway's selector matches the rendered pods; IST0162: the Service has the port
      expect(warnings.filter((w) => /IST0101|IST0162/.test(w))).toEqual([]);
      expect(find(objects, 'Gateway', 'ems-gateway').spec.selector).toEqual({ app: 'istio-ingress', istio: 'ingress' });
    });

    test('an egress gateway renders a ClusterIP Service, and a fixed replica count', () => {
      const out = resolve([{ name: 'egress', kind: 'egress', namespace: 'default', replicas: 1 }]);
      const objects = helmTemplate(out.releases[0]);
      expect(find(objects, 'Service', 'egress').spec.type).toBe('ClusterIP');
      expect(find(objects, 'Deployment', 'egress').spec.replicas).toBe(1);
      expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
      expect(find(objects, 'Deployment', 'egress').spec.template.metadata.labels).toMatchObject(out.egress.egress.selector);
    });
  });

  describe('bad input', () => {
    test('two gateways with one name', () => {
      const e = errorOf(() => resolve([{ name: 'ingress' }, { name: 'ingress', namespace: 'other' }]));
      expect(e.code).toBe(ErrorCode.DUPLICATE_NAME);
      expect(e.message).toMatch(/gateways\[1\]\.name|gateways.1.name/);
    });
    test('two gateways one Gateway selector would bind both', () => {
      const e = errorOf(() => resolve([{ name: 'a', labels: { app: 'edge', istio: 'edge' } }, { name: 'b', labels: { app: 'edge', istio: 'edge', zone: 'b' } }]));
      expect(e.code).toBe(ErrorCode.CONFLICTING_PROPS);
      expect(e.message).toMatch(/would bind both/);
    });
    test('replicas with autoscaling', () => {
      expect(errorOf(() => resolve([{ name: 'a', replicas: 2, autoscaling: { maxReplicas: 3 } }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('a hardened gateway with fewer than 2 replicas (the HardenedGateway check)', () => {
      expect(errorOf(() => resolve([{ name: 'a', hardened: true, replicas: 1 }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
      const e = errorOf(() => resolve([{ name: 'a', hardened: true, autoscaling: { minReplicas: 1 } }]));
      expect(e.message).toMatch(/autoscaling.minReplicas|without redundancy/);
    });
    test('maxReplicas below minReplicas', () => {
      expect(errorOf(() => resolve([{ name: 'a', autoscaling: { minReplicas: 4, maxReplicas: 3 } }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('a resource that is not a quantity', () => {
      expect(errorOf(() => resolve([{ name: 'a', resources: { cpuLimit: 'lots' } }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('externalTrafficPolicy on a ClusterIP Service (the egress default)', () => {
      expect(errorOf(() => resolve([{ name: 'e', kind: 'egress', service: { externalTrafficPolicy: 'Local' } }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('ports: misnamed, duplicated, the status port, UDP', () => {
      expect(errorOf(() => resolve([{ name: 'a', service: { ports: [{ port: 80, protocol: Protocol.HTTP, name: 'web' }] } }])).code).toBe(ErrorCode.INVALID_PORT);
      expect(errorOf(() => resolve([{ name: 'a', service: { ports: [{ port: 80 }, { port: 80 }] } }])).code).toBe(ErrorCode.INVALID_PORT);
      expect(errorOf(() => resolve([{ name: 'a', service: { ports: [{ port: 15021 }] } }])).code).toBe(ErrorCode.INVALID_PORT);
      expect(errorOf(() => resolve([{ name: 'a', service: { ports: [{ port: 53, protocol: Protocol.UDP }] } }])).code).toBe(ErrorCode.INVALID_PORT);
    });
    test('a revision with dots', () => {
      expect(errorOf(() => resolve([{ name: 'a', revision: '1.31.0' }])).code).toBe(ErrorCode.INVALID_NAME);
    });
    test('a bad name, namespace or label', () => {
      expect(errorOf(() => resolve([{ name: 'Ingress' }])).code).toBe(ErrorCode.INVALID_NAME);
      expect(errorOf(() => resolve([{ name: 'a', namespace: 'a.b' }])).code).toBe(ErrorCode.INVALID_NAME);
      expect(errorOf(() => resolve([{ name: 'a', labels: { 'bad key!': 'x' } }])).code).toBe(ErrorCode.INVALID_LABEL);
    });
    test('values the chart schema refuses (values.schema.json)', () => {
      const e = errorOf(() => resolve([{ name: 'a', values: { kind: 'StatefulSet' } }]));
      expect(e.code).toBe(ErrorCode.INVALID_PROP);
      expect(e.message).toMatch(/values\.kind/);
      expect(errorOf(() => resolve([{ name: 'a', values: { replicaCuont: 2 } }])).message).toMatch(/replicaCuont/);
    });
    test('values that would replace the Service ports or turn it into an east-west gateway', () => {
      expect(errorOf(() => resolve([{ name: 'a', values: { service: { ports: [] } } }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
      expect(errorOf(() => resolve([{ name: 'a', values: { networkGateway: 'net1' } }])).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('unknown props', () => {
      expect(errorOf(() => resolve([{ name: 'a', replica: 2 } as any])).code).toBe(ErrorCode.UNKNOWN_PROP);
    });
  });

  test('property: random gateways are refused with IstioConstructError, or give releases and refs that agree', () => {
    const port = props({ port: int(1, 65535), protocol: enumOf(['HTTP', 'HTTP2', 'HTTPS', 'TCP', 'TLS', 'GRPC', 'UDP']), name: edgy(label) }, ['port']);
    const gateway = props({
      name,
      kind: enumOf(['ingress', 'egress']),
      namespace: name,
      labels,
      service: props({ type: enumOf(['LoadBalancer', 'ClusterIP', 'NodePort']), ports: fc.array(port, { maxLength: 3 }), externalTrafficPolicy: enumOf(['Local', 'Cluster']) }),
      replicas: int(0, 5),
      autoscaling: props({ minReplicas: int(1, 5), maxReplicas: int(1, 10) }),
      hardened: fc.boolean(),
      revision: edgy(label, fc.constantFrom('1.31.0', 'canary')),
    }, ['name']);
    let accepted = 0;
    fc.assert(fc.property(fc.array(gateway, { minLength: 1, maxLength: 3 }), (recipe) => {
      let out;
      try {
        out = resolve(realize(recipe));
      } catch (e) {
        expect(e).toBeInstanceOf(IstioConstructError);
        return;
      }
      accepted++;
      for (const g of out.gateways) {
        // the ref selects the pods the chart labels: app and istio from the name unless overridden
        expect(Object.keys(g.ref.selector)).toEqual(expect.arrayContaining(['app', 'istio']));
        expect(g.release.id).toBe(`gateway-${g.name}`);
        expect(g.plan.servicePorts).toBe(g.ref.servicePorts);
        const ports = g.ref.servicePorts.current();
        expect(new Set(ports.map((p) => p.port)).size).toBe(ports.length);
        expect(ports.every((p) => p.name === 'status-port' || p.name.startsWith(p.protocol.toLowerCase()))).toBe(true);
        expect((g.release.values as any).service.ports.map((p: any) => p.port)).toEqual(ports.map((p) => p.port));
      }
    }), { numRuns: 200 });
    // a fair share reaches the output (else the property only tests refusals)
    expect(accepted).toBeGreaterThan(10);
  });
});

describe('an installation gateway under Gateway API routes (manual deployment)', () => {
  test('a TcpIngress on the Gateway API uses the installed gateway through its Service, and adds its port there', () => {
    const gw = resolve([{ name: 'istio-ingress' }]).ingress['istio-ingress'];
    const out = buildTcpIngress({
      name: 'tcp-echo', backend, port: 31400, backendPort: 9000, gateway: gw, target: { api: 'gateway-api' as any },
    });
    const gateway = out.objects.map((o) => o.manifest).find((m) => m.kind === 'Gateway')!;
    expect(gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gateway.metadata.namespace).toBe('istio-ingress');
    expect(gateway.spec.addresses).toEqual([{ type: 'Hostname', value: 'istio-ingress.istio-ingress.svc.cluster.local' }]);
    // The listener port is added to the chart's Service, as for the Istio API.
    expect(gw.servicePorts.current().map((p) => p.port)).toContain(31400);
    expectValid(out.objects.map((o) => o.manifest));
  });
});
