/**
 * renderInstallationPlan (src/cdk8s/installation-render.ts) with the real helm and the real Istio
 * charts: apply order, namespaces, managed gateway ports, the App-level checks, and the errors a
 * user without helm or without the charts gets.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '../scripts/helm';
import { RenderedInstallation, renderInstallationPlan } from '../src/cdk8s/installation-render';
import { ErrorCode } from '../src/core/errors';
import { Manifest } from '../src/core/manifest';
import { Protocol } from '../src/core/ports';
import { validateManifests } from '../src/core/validation';
import { errorOf } from './helpers';
import { TestServicePorts, namespace, testPlan } from './installation-fixtures';

const HELM = helmBinary();
const id = (m: Manifest) => `${m.kind} ${m.metadata?.namespace ? m.metadata.namespace + '/' : ''}${m.metadata?.name}`;

describe('a default installation with an ingress gateway', () => {
  let app: App;
  let chart: Chart;
  let rendered: RenderedInstallation;
  let ports: TestServicePorts;
  let synthesized: Manifest[];
  let warnings: string[];

  beforeAll(() => {
    app = Testing.app();
    chart = new Chart(app, 'istio');
    ports = new TestServicePorts([
      { port: 15021, protocol: Protocol.HTTP, name: 'status-port', targetPort: 15021 },
      { port: 80, protocol: Protocol.HTTP, name: 'http2', targetPort: 80 },
      { port: 443, protocol: Protocol.HTTPS, name: 'https', targetPort: 443 },
    ]);
    // Required before the installation is rendered (a construct created first) ...
    ports.requirePort(9000, Protocol.TCP, 'tcp-9000');
    rendered = renderInstallationPlan(chart, testPlan({ gateway: true, gatewayPorts: ports }), { helmExecutable: HELM });
    // ... and after (S1: a TcpIngress declared after the installation adds 31400).
    ports.requirePort(31400, Protocol.TCP, 'tcp');
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // app.synthYaml runs the App-level checks (admission + whole-program analysis) once.
      synthesized = parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).filter(Boolean);
      warnings = spy.mock.calls.map((c) => String(c[0]));
    } finally {
      spy.mockRestore();
    }
  });

  test('one child construct per release, named by its id, holding the Helm construct', () => {
    expect(Object.keys(rendered.releases)).toEqual(['base', 'istiod', 'gateway-istio-ingressgateway']);
    for (const [rid, r] of Object.entries(rendered.releases)) {
      expect(r.helm.node.id).toBe(rid);
      expect(r.helm.node.scope).toBe(chart);
      expect(r.helm.releaseName).toBe(r.plan.releaseName);
      expect(r.apiObjects.length).toBeGreaterThan(0);
    }
    expect(rendered.namespaces.map((n) => n.name)).toEqual(['istio-system', 'istio-ingress']);
  });

  test('app.synthYaml writes every CRD first, then the namespaces, then base, istiod and the gateway in dependsOn order', () => {
    const section = (m: Manifest) => {
      if (m.kind === 'CustomResourceDefinition') return 0;
      if (m.kind === 'Namespace') return 1;
      const owner = Object.values(rendered.releases).find((r) => r.apiObjects.some((o) => o.kind === m.kind && o.name === m.metadata.name
        && (o.metadata.namespace ?? r.plan.namespace) === (m.metadata.namespace ?? r.plan.namespace)));
      return 2 + ['base', 'istiod', 'gateway-istio-ingressgateway'].indexOf(owner!.plan.id);
    };
    const sections = synthesized.map(section);
    expect(sections).toEqual([...sections].sort((a, b) => a - b));
    // Every section is there: 15 CRDs, 2 namespaces, base's ServiceAccount and webhook, istiod, the gateway.
    expect(new Set(sections)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(synthesized.filter((m) => m.kind === 'CustomResourceDefinition').length).toBeGreaterThanOrEqual(10);
    // Testing.synth (chart.toJson) orders the same way.
    expect((Testing.synth(chart) as Manifest[]).map(id)).toEqual(synthesized.map(id));
  });

  test('app.synth() writes the file in that order too (after its rewrite quoting the CRDs\' ambiguous CEL strings)', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      app.synth();
    } finally {
      info.mockRestore();
    }
    const files = fs.readdirSync(app.outdir).filter((f) => f.endsWith('.k8s.yaml'));
    expect(files).toEqual(['istio.k8s.yaml']);
    const written = parseAllDocuments(fs.readFileSync(path.join(app.outdir, files[0]), 'utf8')).map((d) => d.toJS()).filter(Boolean) as Manifest[];
    expect(written.map(id)).toEqual(synthesized.map(id));
    // A CEL rule such as `!has(self.x)` is written quoted (plain, a YAML reader would take it for a tag).
    expect(written).toEqual(synthesized);
  });

  test('every namespaced object carries its release namespace; cluster-scoped ones carry none', () => {
    const clusterScoped = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
      'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    for (const m of synthesized) {
      if (clusterScoped.has(m.kind)) expect([id(m), m.metadata.namespace]).toEqual([id(m), undefined]);
      else expect([id(m), m.metadata.namespace]).toEqual([id(m), expect.stringMatching(/^istio-(system|ingress)$/)]);
    }
    expect(synthesized.filter((m) => m.metadata.namespace === 'istio-ingress').map((m) => m.kind).sort())
      .toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
  });

  test('the ports bound constructs require are added to the rendered gateway Service, before and after the render', () => {
    const service = synthesized.find((m) => m.kind === 'Service' && m.metadata.name === 'istio-ingressgateway')!;
    expect(service.metadata.namespace).toBe('istio-ingress');
    const byPort = Object.fromEntries((service.spec.ports as any[]).map((p) => [p.port, p]));
    expect(byPort[31400]).toEqual({ name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 });
    expect(byPort[9000]).toEqual({ name: 'tcp-9000', port: 9000, protocol: 'TCP', targetPort: 9000 });
    // The chart's own ports are kept, each once.
    expect(Object.keys(byPort).map(Number).sort((a, b) => a - b)).toEqual([80, 443, 9000, 15021, 31400]);
    expect((service.spec.ports as any[]).length).toBe(5);
  });

  test('the App-level checks (admission + analysis) pass on the rendered installation', () => {
    // synthYaml would have thrown on an error; no warning names a rendered object either.
    expect(warnings.filter((w) => /istio-constructs/.test(w))).toEqual([]);
    expect(validateManifests(synthesized)).toEqual([]);
  });

  test('find() returns a rendered object by kind, name and namespace', () => {
    expect(rendered.find('Deployment', 'istiod')?.kind).toBe('Deployment');
    expect(rendered.find('Service', 'istio-ingressgateway', 'istio-ingress')).toBeInstanceOf(ApiObject);
    expect(rendered.find('Service', 'istio-ingressgateway', 'istio-system')).toBeUndefined();
    expect(rendered.find('Namespace', 'istio-ingress')).toBe(rendered.namespaces[1]);
  });

  test('the apply order as a snapshot (kind namespace/name)', () => {
    expect(synthesized.map(id)).toMatchSnapshot();
  });
});

describe('a chart that leaves metadata.namespace to helm install', () => {
  let dir: string;
  beforeAll(() => {
    // A chart that, like many third-party charts, writes no namespace: helm install sets it, helm template does not.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-test-chart-'));
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: plain\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'templates', 'objects.yaml'), [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: "0o644"\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: plain-reader\nrules: []\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elsewhere\n  namespace: other\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-values\ndata:\n  value: {{ .Values.mode | quote }}\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: bare\nspec:\n  selector:\n    app: bare\n',
    ].join('---\n'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('namespaced objects get the release namespace, cluster-scoped and already-namespaced ones are kept', () => {
    const chart = Testing.chart();
    renderInstallationPlan(chart, {
      namespaces: [namespace('tools')], sailResources: [], manifestSources: [], manifests: [], gateways: {},
      releases: [{ id: 'plain', role: 'addon', releaseName: 'plain', namespace: 'tools', location: { chart: dir }, values: { mode: '0o644' }, dependsOn: [] }],
    }, { helmExecutable: HELM });
    const out = Testing.synth(chart) as Manifest[];
    const ns = Object.fromEntries(out.map((m) => [`${m.kind}/${m.metadata.name}`, m.metadata.namespace]));
    expect(ns).toEqual({
      'Namespace/tools': undefined, 'ConfigMap/settings': 'tools', 'ClusterRole/plain-reader': undefined, 'ConfigMap/elsewhere': 'other',
      'ConfigMap/from-values': 'tools', 'Service/bare': 'tools',
    });
    // Values reach helm as JSON: the string "0o644" stays a string (a YAML writer could leave it plain, read as a number).
    expect((out.find((m) => m.metadata.name === 'from-values') as any).data).toEqual({ value: '0o644' });
    expect(out[0].kind).toBe('Namespace');
  });

  const plainPlan = (serviceName: string, ports: TestServicePorts) => ({
    namespaces: [namespace('tools')], sailResources: [], manifestSources: [], manifests: [],
    gateways: { edge: { releaseId: 'plain', serviceName, namespace: 'tools', servicePorts: ports } },
    releases: [{ id: 'plain', role: 'gateway' as const, releaseName: 'plain', namespace: 'tools', location: { chart: dir }, values: {}, dependsOn: [], gateway: 'edge' }],
  });

  test('a gateway Service rendered without spec.ports gets the list with the first required port', () => {
    const chart = Testing.chart();
    const ports = new TestServicePorts();
    renderInstallationPlan(chart, plainPlan('bare', ports), { helmExecutable: HELM });
    ports.requirePort(31400, Protocol.TCP, 'tcp');
    ports.requirePort(5353, Protocol.UDP, 'udp-dns');
    const service = (Testing.synth(chart) as Manifest[]).find((m) => m.kind === 'Service')!;
    expect(service.spec.ports).toEqual([
      { name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 },
      { name: 'udp-dns', port: 5353, protocol: 'UDP', targetPort: 5353 },
    ]);
  });

  test('a port required on a gateway whose chart rendered no such Service: GATEWAY_PORT_NOT_EXPOSED', () => {
    const ports = new TestServicePorts();
    renderInstallationPlan(Testing.chart(), plainPlan('missing', ports), { helmExecutable: HELM });
    const e = errorOf(() => ports.requirePort(31400));
    expect(e.code).toBe(ErrorCode.GATEWAY_PORT_NOT_EXPOSED);
    expect(e.message).toContain('tools/missing');
  });
});

describe('errors a user without helm or without the charts gets', () => {
  test('a helmExecutable that does not exist: HELM_NOT_FOUND naming the option, no helm run', () => {
    const e = errorOf(() => renderInstallationPlan(Testing.chart(), testPlan(), { helmExecutable: '/nonexistent/bin/helm' }));
    expect(e.code).toBe(ErrorCode.HELM_NOT_FOUND);
    expect(e.path).toBe('helmExecutable');
    expect(e.message).toContain('/nonexistent/bin/helm');
    expect(e.hint).toContain('`helmExecutable`');
  });

  test('no option and no helm on the PATH: HELM_NOT_FOUND naming the option', () => {
    const saved = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));
    try {
      const e = errorOf(() => renderInstallationPlan(Testing.chart(), testPlan()));
      expect(e.code).toBe(ErrorCode.HELM_NOT_FOUND);
      expect(e.message).toMatch(/no helm binary was found on the PATH/);
      expect(e.hint).toContain('`helmExecutable`');
    } finally {
      process.env.PATH = saved;
    }
  });

  test('a chart repository that refuses connections: CHART_UNAVAILABLE naming chartSource and ChartSource.fromDirectory, helm\'s message cut short', () => {
    const plan = testPlan();
    const offline = {
      ...plan,
      releases: plan.releases.map((r) => ({ ...r, location: { chart: r.role === 'base' ? 'base' : 'istiod', repository: 'http://127.0.0.1:1/charts', version: '1.28.0' } })),
    };
    const e = errorOf(() => renderInstallationPlan(Testing.chart(), offline, { helmExecutable: HELM }));
    expect(e.code).toBe(ErrorCode.CHART_UNAVAILABLE);
    expect(e.path).toBe('chartSource');
    expect(e.message).toMatch(/127\.0\.0\.1:1/);
    expect(e.message).toMatch(/connection refused/i);
    expect(e.hint).toContain('ChartSource.fromDirectory');
    expect(e.message.length).toBeLessThan(1200);
    expect(e.message).not.toMatch(/\n/);
  });

  test('a local chart directory that does not exist: CHART_UNAVAILABLE before helm runs', () => {
    const plan = testPlan();
    const missing = { ...plan, releases: [{ ...plan.releases[0], location: { chart: '/nonexistent/charts/base' } }] };
    const e = errorOf(() => renderInstallationPlan(Testing.chart(), missing, { helmExecutable: HELM }));
    expect(e.code).toBe(ErrorCode.CHART_UNAVAILABLE);
    expect(e.hint).toContain('ChartSource.fromDirectory');
  });

  test('values the chart refuses (the gateway chart\'s values.schema.json): HELM_RENDER_FAILED naming the release values', () => {
    const plan = testPlan({ gateway: true });
    const gateway = plan.releases.find((r) => r.role === 'gateway')!;
    const bad = { ...plan, gateways: {}, releases: [{ ...gateway, dependsOn: [], values: { replicaCount: 'many' } }] };
    const e = errorOf(() => renderInstallationPlan(Testing.chart(), bad, { helmExecutable: HELM }));
    expect(e.code).toBe(ErrorCode.HELM_RENDER_FAILED);
    expect(e.path).toBe('releases[0].values');
    expect(e.message).toMatch(/replicaCount/);
  });

  test('a plan without Helm releases (Sail Operator) needs no helm binary', () => {
    const chart = Testing.chart();
    const istio = { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' }, spec: { namespace: 'istio-system' } } as Manifest;
    const r = renderInstallationPlan(chart, { namespaces: [namespace('istio-system')], releases: [], sailResources: [istio], manifestSources: [], manifests: [], gateways: {} },
      { helmExecutable: '/nonexistent/bin/helm' });
    expect(r.sailResources.map((o) => o.kind)).toEqual(['Istio']);
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      expect((Testing.synth(chart) as Manifest[]).map(id)).toEqual(['Namespace istio-system', 'Istio default']);
    } finally {
      info.mockRestore();
    }
  });

  test('an add-on manifest file that does not exist: MANIFEST_UNAVAILABLE', () => {
    const e = errorOf(() => renderInstallationPlan(Testing.chart(), {
      namespaces: [], releases: [], sailResources: [], manifests: [], gateways: {},
      manifestSources: [{ id: 'prometheus', source: '/nonexistent/prometheus.yaml', dependsOn: [] }],
    }));
    expect(e.code).toBe(ErrorCode.MANIFEST_UNAVAILABLE);
    expect(e.path).toBe('addons.prometheus');
  });
});
