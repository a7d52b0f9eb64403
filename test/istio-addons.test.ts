import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import {
  ErrorCode, IstioAddonsProps, IstioConstructError, ISTIO_ADDON_IMAGES, KIALI_OPERATOR_CHART_VERSIONS, Manifest, WarningCode, resolveAddons,
} from '../src';
import { Ctx } from '../src/core/errors';
import { validateManifests } from '../src/core/validation';
import { helmBinary } from '../scripts/helm';
import { errorOf } from './helpers';

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const ADDONS_DIR = path.join(SHARED, 'istio', 'samples', 'addons');
const KIALI_OPERATOR = path.join(SHARED, 'kiali', 'kiali-operator');
const CONTEXT = { istioVersion: '1.31.0', istioNamespace: 'istio-system', dependsOn: ['istiod'] };

const resolve = (props: IstioAddonsProps | undefined, context: Partial<typeof CONTEXT> & { rootNamespace?: string } = {}) =>
  resolveAddons(new Ctx('IstioInstallation "mesh"').at('addons'), props, { ...CONTEXT, ...context });

/** The objects of one of Istio's sample add-on files. */
function addonObjects(name: string): Manifest[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(ADDONS_DIR, `${name}.yaml`), 'utf8'))
    .map((d) => d.toJSON())
    .filter((d) => d);
}

function servicePorts(name: string, service: string): Array<{ name?: string; port: number }> {
  const svc = addonObjects(name).find((m) => m.kind === 'Service' && m.metadata.name === service);
  if (!svc) throw new Error(`${name}.yaml has no Service ${service}`);
  return svc.spec.ports;
}

/** `helm template` of a release of the plan, with the real helm. */
function helmTemplate(release: { releaseName: string; namespace: string; values: Record<string, unknown> }, chartDir: string): Manifest[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'addons-'));
  try {
    const values = path.join(dir, 'values.yaml');
    fs.writeFileSync(values, YAML.stringify(release.values));
    const out = execFileSync(helmBinary(), ['template', release.releaseName, chartDir, '-n', release.namespace, '-f', values], { encoding: 'utf8' });
    return YAML.parseAllDocuments(out).map((d) => d.toJSON()).filter((d) => d);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('IstioAddons', () => {
  test('no add-ons: nothing', () => {
    expect(resolve(undefined)).toEqual({ releases: [], manifestSources: [], meshConfig: {}, manifests: [], namespaces: [], warnings: [] });
    expect(resolve({})).toEqual({ releases: [], manifestSources: [], meshConfig: {}, manifests: [], namespaces: [], warnings: [] });
  });

  test('S8: Kiali, Prometheus, Grafana, Jaeger from a local directory', () => {
    const out = resolve({ manifests: { directory: ADDONS_DIR }, prometheus: true, grafana: true, jaeger: true, kiali: { chart: { directory: KIALI_OPERATOR } } });
    expect(out.warnings).toEqual([]);
    expect(out.manifestSources).toEqual(['prometheus', 'grafana', 'jaeger'].map((id) => ({ id, source: path.join(ADDONS_DIR, `${id}.yaml`), dependsOn: ['istiod'] })));
    expect(out.releases).toHaveLength(1);
    const kiali = out.releases[0];
    expect(kiali).toMatchObject({ id: 'kiali-operator', role: 'addon', releaseName: 'kiali-operator', namespace: 'kiali-operator', location: { chart: KIALI_OPERATOR }, dependsOn: ['istiod'] });
    expect(kiali.values).toEqual({
      cr: {
        create: true,
        name: 'kiali',
        namespace: 'istio-system',
        spec: {
          deployment: { cluster_wide_access: true },
          external_services: {
            istio: { root_namespace: 'istio-system' },
            prometheus: { url: 'http://prometheus.istio-system:9090' },
            grafana: { enabled: true, internal_url: 'http://grafana.istio-system:3000' },
            tracing: { enabled: true, provider: 'jaeger', use_grpc: true, internal_url: 'http://tracing.istio-system:16685/jaeger' },
          },
        },
      },
    });
    expect(out.namespaces).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kiali-operator' } }]);
    expect(out.meshConfig).toEqual({
      extensionProviders: [{ name: 'jaeger', opentelemetry: { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 } }],
    });
    expect(out.manifests).toMatchSnapshot();
    expect(validateManifests([...out.manifests, ...out.namespaces])).toEqual([]);
  });

  test('default source: the installed version\'s release branch on GitHub; Kiali from its repository, pinned per Istio minor', () => {
    const out = resolve({ prometheus: true, grafana: true, jaeger: true, loki: true, kiali: true }, { istioVersion: '1.29.3' });
    expect(out.manifestSources.map((s) => s.source)).toEqual(['prometheus', 'grafana', 'jaeger', 'loki']
      .map((n) => `https://raw.githubusercontent.com/istio/istio/release-1.29/samples/addons/${n}.yaml`));
    // release-1.29's samples/addons/kiali.yaml runs quay.io/kiali/kiali:v2.21.
    expect(out.releases[0].location).toEqual({ chart: 'kiali-operator', repository: 'https://kiali.org/helm-charts', version: '2.21.0' });
    expect(KIALI_OPERATOR_CHART_VERSIONS['1.31']).toBe('2.27.0');
    // A pre-release of a minor reads that minor's branch.
    expect(resolve({ loki: true }, { istioVersion: '1.31.0-rc.0' }).manifestSources[0].source).toContain('/release-1.31/');
    // A mirror.
    expect(resolve({ loki: true, manifests: { baseUrl: 'https://mirror.example.com/istio/addons/' } }).manifestSources[0].source)
      .toBe('https://mirror.example.com/istio/addons/loki.yaml');
  });

  test('the image table matches the shared snapshot of the manifests (istio master = 1.31 add-ons)', () => {
    for (const name of ['prometheus', 'grafana', 'jaeger', 'loki', 'kiali'] as const) {
      const images = addonObjects(name).flatMap((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet'
        ? (m.spec.template.spec.containers as Array<{ image: string }>).map((c) => c.image) : []);
      expect(images).toContain(ISTIO_ADDON_IMAGES['1.31'][name]);
    }
  });

  test('every object of the shared add-on manifests is admitted (the library installs them)', () => {
    for (const name of ['prometheus', 'grafana', 'jaeger', 'loki']) {
      const objects = addonObjects(name);
      expect(objects.length).toBeGreaterThan(0);
      expect(validateManifests(objects)).toEqual([]);
      // Written for istio-system: resolveAddons refuses any other Istio namespace.
      for (const m of objects) if (!m.kind.startsWith('Cluster')) expect(m.metadata.namespace).toBe('istio-system');
    }
  });

  test('the wiring points at Services and ports the manifests define', () => {
    expect(servicePorts('prometheus', 'prometheus')).toContainEqual(expect.objectContaining({ port: 9090 }));
    expect(servicePorts('grafana', 'grafana')).toContainEqual(expect.objectContaining({ port: 3000 }));
    expect(servicePorts('jaeger', 'tracing')).toContainEqual(expect.objectContaining({ name: 'grpc-query', port: 16685 }));
    expect(servicePorts('jaeger', 'jaeger-collector')).toContainEqual(expect.objectContaining({ name: 'grpc-otel', port: 4317 }));
    expect(servicePorts('jaeger', 'jaeger-collector')).toContainEqual(expect.objectContaining({ name: 'http-zipkin', port: 9411 }));
    // grafana.yaml's datasource is the Prometheus Service of its namespace: why Grafana needs Prometheus.
    expect(fs.readFileSync(path.join(ADDONS_DIR, 'grafana.yaml'), 'utf8')).toContain('url: http://prometheus:9090');
  });

  test('the Kiali release rendered with the real helm creates the Kiali resource with the wired spec', () => {
    const out = resolve({ manifests: { directory: ADDONS_DIR }, prometheus: true, jaeger: { protocol: 'zipkin' }, kiali: { chart: { directory: KIALI_OPERATOR }, crName: 'mesh-kiali', spec: { auth: { strategy: 'anonymous' } }, values: { image: { pullPolicy: 'IfNotPresent' } } } });
    const release = out.releases[0];
    const objects = helmTemplate(release, KIALI_OPERATOR);
    const cr = objects.find((m) => m.kind === 'Kiali')!;
    expect(cr).toBeDefined();
    expect(cr.apiVersion).toBe('kiali.io/v1alpha1');
    expect(cr.metadata).toMatchObject({ name: 'mesh-kiali', namespace: 'istio-system' });
    expect(cr.spec).toEqual({
      auth: { strategy: 'anonymous' },
      deployment: { cluster_wide_access: true },
      external_services: {
        istio: { root_namespace: 'istio-system' },
        prometheus: { url: 'http://prometheus.istio-system:9090' },
        grafana: { enabled: false },
        tracing: { enabled: true, provider: 'jaeger', use_grpc: true, internal_url: 'http://tracing.istio-system:16685/jaeger' },
      },
    });
    const deployment = objects.find((m) => m.kind === 'Deployment')!;
    expect(deployment.metadata.namespace).toBe('kiali-operator');
    expect(deployment.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    // The operator's own objects are admitted; the Kiali resource is checked by its CRD (not bundled).
    expect(validateManifests(objects.filter((m) => m.kind !== 'Kiali'))).toEqual([]);
  });

  test('the Kiali resource\'s spec fields exist in the kialis.kiali.io CRD', () => {
    const crd = YAML.parseAllDocuments(fs.readFileSync(path.join(KIALI_OPERATOR, 'crds', 'crds.yaml'), 'utf8'))
      .map((d) => d.toJSON()).find((d) => d?.metadata?.name === 'kialis.kiali.io');
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    const es = spec.external_services.properties;
    expect(spec.deployment.properties.cluster_wide_access.type).toBe('boolean');
    expect(es.istio.properties.root_namespace.type).toBe('string');
    expect(es.prometheus.properties.url.type).toBe('string');
    for (const k of ['enabled', 'internal_url']) expect(es.grafana.properties[k]).toBeDefined();
    for (const k of ['enabled', 'provider', 'use_grpc', 'internal_url']) expect(es.tracing.properties[k]).toBeDefined();
    expect(es.tracing.properties.provider.enum).toContain('jaeger');
  });

  test('Jaeger: Telemetry mesh-default in the root namespace, or defaultProviders', () => {
    const t = resolve({ jaeger: { samplingPercentage: 100 } }, { rootNamespace: 'istio-config' });
    expect(t.manifests).toEqual([{
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'mesh-default', namespace: 'istio-config', labels: { 'app.kubernetes.io/managed-by': 'istio-constructs', 'istio-constructs/pattern': 'istio-addons' } },
      spec: { tracing: [{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 100 }] },
    }]);
    expect(validateManifests(t.manifests)).toEqual([]);

    const d = resolve({ jaeger: { enableWith: 'defaultProviders', protocol: 'zipkin', providerName: 'jaeger-zipkin' } });
    expect(d.manifests).toEqual([]);
    expect(d.meshConfig).toEqual({
      extensionProviders: [{ name: 'jaeger-zipkin', zipkin: { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 9411 } }],
      defaultProviders: { tracing: ['jaeger-zipkin'] },
    });
  });

  test('the Jaeger provider equals the one Istio\'s demo profile declares (the fragment merges without a conflicting entry)', () => {
    const demo = YAML.parse(fs.readFileSync(path.join(SHARED, 'istio', 'helm', 'profiles', 'demo.yaml'), 'utf8'));
    const declared = demo.meshConfig.extensionProviders.find((p: { name: string }) => p.name === 'jaeger');
    expect(resolve({ jaeger: true }).meshConfig.extensionProviders).toEqual([declared]);
  });

  test('the mesh-config fragment uses only fields of the Sail Operator Istio CRD\'s meshConfig schema, with their types', () => {
    const crd = YAML.parse(fs.readFileSync(path.join(SHARED, 'sail-operator', 'crds', 'sailoperator.io_istios.yaml'), 'utf8'));
    const meshConfig = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.values.properties.meshConfig;
    const problems = (schema: any, value: unknown, at: string): string[] => {
      if (Array.isArray(value)) return schema.type === 'array' ? value.flatMap((v, i) => problems(schema.items, v, `${at}[${i}]`)) : [`${at}: not a list`];
      if (value !== null && typeof value === 'object') {
        if (schema.type !== 'object') return [`${at}: not an object`];
        return Object.entries(value).flatMap(([k, v]) => schema.properties?.[k] ? problems(schema.properties[k], v, `${at}.${k}`) : [`${at}.${k}: unknown`]);
      }
      const type = typeof value === 'number' ? (Number.isInteger(value) ? ['integer', 'number'] : ['number']) : [typeof value];
      return type.includes(schema.type) ? [] : [`${at}: ${typeof value}, the schema says ${schema.type}`];
    };
    for (const jaeger of [true, { protocol: 'zipkin' as const, enableWith: 'defaultProviders' as const }]) {
      const fragment = resolve({ jaeger }).meshConfig;
      expect(Object.keys(fragment).length).toBeGreaterThan(0);
      expect(problems(meshConfig, fragment, 'meshConfig')).toEqual([]);
    }
  });

  test('Kiali without Prometheus: a warning; Kiali in another Istio namespace follows it', () => {
    const out = resolve({ kiali: { chart: { directory: KIALI_OPERATOR }, namespace: 'mesh' } }, { istioNamespace: 'mesh' });
    expect(out.warnings.map((w) => [w.code, w.path])).toEqual([[WarningCode.KIALI_WITHOUT_PROMETHEUS, 'addons.kiali']]);
    expect(out.namespaces).toEqual([]);
    expect((out.releases[0].values.cr as any).namespace).toBe('mesh');
    expect((out.releases[0].values.cr as any).spec.external_services.prometheus.url).toBe('http://prometheus.mesh:9090');
  });

  describe('bad input names the path', () => {
    const cases: Array<[string, IstioAddonsProps, ErrorCode, string, Partial<typeof CONTEXT>?]> = [
      ['Grafana without Prometheus', { grafana: true }, ErrorCode.CONFLICTING_PROPS, 'addons.grafana'],
      ['a sample add-on outside istio-system', { prometheus: true }, ErrorCode.CONFLICTING_PROPS, 'addons.prometheus', { istioNamespace: 'mesh' }],
      ['two manifest sources', { loki: true, manifests: { directory: ADDONS_DIR, baseUrl: 'https://x.example.com' } }, ErrorCode.CONFLICTING_PROPS, 'addons.manifests.baseUrl'],
      ['a plain-http base URL', { loki: true, manifests: { baseUrl: 'http://x.example.com' } }, ErrorCode.INVALID_PROP, 'addons.manifests.baseUrl'],
      ['a directory without the file', { loki: true, manifests: { directory: path.join(SHARED, 'istio') } }, ErrorCode.INVALID_PROP, 'addons.manifests.directory'],
      ['an empty directory', { loki: true, manifests: { directory: '' } }, ErrorCode.INVALID_PROP, 'addons.manifests.directory'],
      ['a Kiali chart directory that is no chart', { kiali: { chart: { directory: SHARED } } }, ErrorCode.INVALID_PROP, 'addons.kiali.chart.directory'],
      ['the kiali-server chart', { kiali: { chart: { directory: path.join(SHARED, 'kiali', 'kiali-server') } } }, ErrorCode.INVALID_PROP, 'addons.kiali.chart.directory'],
      ['a directory with a version', { kiali: { chart: { directory: KIALI_OPERATOR, version: '2.29.0' } } }, ErrorCode.CONFLICTING_PROPS, 'addons.kiali.chart.version'],
      ['a bad chart version', { kiali: { chart: { version: 'latest' } } }, ErrorCode.INVALID_PROP, 'addons.kiali.chart.version'],
      ['a bad repository', { kiali: { chart: { repository: 'kiali.org/helm-charts' } } }, ErrorCode.INVALID_PROP, 'addons.kiali.chart.repository'],
      ['no pinned Kiali for the Istio minor', { kiali: true }, ErrorCode.INVALID_PROP, 'addons.kiali.chart.version', { istioVersion: '1.40.0' }],
      ['values.cr', { kiali: { values: { cr: { create: false } } } }, ErrorCode.CONFLICTING_PROPS, 'addons.kiali.values.cr'],
      ['another watched namespace', { kiali: { values: { watchNamespace: 'other' } } }, ErrorCode.CONFLICTING_PROPS, 'addons.kiali.values.watchNamespace'],
      ['a bad operator namespace', { kiali: { namespace: 'Kiali_Operator' } }, ErrorCode.INVALID_NAME, 'addons.kiali.namespace'],
      ['a bad CR name', { kiali: { crName: 'Kiali!' } }, ErrorCode.INVALID_NAME, 'addons.kiali.crName'],
      ['sampling above 100', { jaeger: { samplingPercentage: 101 } }, ErrorCode.INVALID_PERCENTAGE, 'addons.jaeger.samplingPercentage'],
      ['sampling without a Telemetry', { jaeger: { enableWith: 'defaultProviders', samplingPercentage: 10 } }, ErrorCode.CONFLICTING_PROPS, 'addons.jaeger.samplingPercentage'],
      ['a bad provider name', { jaeger: { providerName: 'jaeger collector' } }, ErrorCode.INVALID_NAME, 'addons.jaeger.providerName'],
      ['an unknown protocol', { jaeger: { protocol: 'grpc' as any } }, ErrorCode.INVALID_PROP, 'addons.jaeger'],
      ['an unknown add-on', { zipkin: true } as any, ErrorCode.UNKNOWN_PROP, 'addons.zipkin'],
      ['a misspelled Kiali prop', { kiali: { crname: 'x' } } as any, ErrorCode.UNKNOWN_PROP, 'addons.kiali.crname'],
      ['a bad Istio version', { loki: true }, ErrorCode.INVALID_PROP, 'addons', { istioVersion: '1.31' }],
    ];
    // A rest parameter: jest takes a callback with more parameters than the row has for `done`.
    test.each(cases)('%s', (...[, props, code, at, context]) => {
      const e = errorOf(() => resolve(props, context));
      expect([e.code, e.path]).toEqual([code, expect.stringContaining(at)]);
      expect(e.path.startsWith(at)).toBe(true);
      expect(e.hint.length).toBeGreaterThan(10);
    });
  });

  test('property: valid props resolve to admission-valid objects; anything else is an IstioConstructError', () => {
    const jaeger = fc.oneof(fc.boolean(), fc.record({
      protocol: fc.constantFrom('opentelemetry' as const, 'zipkin' as const),
      providerName: fc.constantFrom('jaeger', 'tracing', 'bad name', ''),
      enableWith: fc.constantFrom('telemetry' as const, 'defaultProviders' as const),
      samplingPercentage: fc.oneof(fc.double({ min: -10, max: 110, noNaN: true }), fc.constant(100)),
    }, { requiredKeys: [] }));
    const kiali = fc.oneof(fc.boolean(), fc.record({
      chart: fc.constantFrom({ directory: KIALI_OPERATOR }, {}, { version: '2.27.0' }, { directory: SHARED }),
      namespace: fc.constantFrom('kiali-operator', 'istio-system', 'Bad'),
      crName: fc.constantFrom('kiali', 'k.x', '-bad'),
      spec: fc.constantFrom({}, { auth: { strategy: 'anonymous' } }, { external_services: { prometheus: { url: 'http://p:9090' } } }),
    }, { requiredKeys: [] }));
    const props = fc.record({
      manifests: fc.constantFrom({ directory: ADDONS_DIR }, {}, { baseUrl: 'https://m.example.com' }, { baseUrl: 'ftp://x' }),
      prometheus: fc.boolean(), grafana: fc.boolean(), loki: fc.boolean(), jaeger, kiali,
    }, { requiredKeys: [] });
    const context = fc.record({
      istioVersion: fc.constantFrom('1.31.0', '1.24.2', '1.40.0', '1.31'),
      istioNamespace: fc.constantFrom('istio-system', 'mesh'),
      rootNamespace: fc.constantFrom(undefined, 'istio-system', 'istio-config'),
    });
    fc.assert(fc.property(props, context, (p, c) => {
      let out;
      try {
        out = resolve(p as IstioAddonsProps, c);
      } catch (e) {
        expect(e).toBeInstanceOf(IstioConstructError);
        return;
      }
      expect(validateManifests([...out.manifests, ...out.namespaces])).toEqual([]);
      const ids = [...out.releases.map((r) => r.id), ...out.manifestSources.map((s) => s.id)];
      expect(new Set(ids).size).toBe(ids.length);
      if (p.grafana) expect(p.prometheus).toBe(true);
      expect(out.manifestSources.length).toBe(['prometheus', 'grafana', 'jaeger', 'loki'].filter((n) => (p as any)[n] !== undefined && (p as any)[n] !== false).length);
      for (const r of out.releases) expect((r.values.cr as any)).toMatchObject({ create: true, namespace: c.istioNamespace });
    }), { numRuns: 200 });
  });
});
