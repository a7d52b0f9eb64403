import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments, parse } from 'yaml';
import { helmBinary } from '../scripts/helm';
import { ChartSource, ErrorCode, IstioConstructError, IstioInstallationProps, buildIstioInstallation } from '../src';
import { validateManifest } from '../src/core/validation';
import { invalidInstallationProps, validInstallationProps } from './arbitraries/istio-installation';
import { realize } from './arbitraries/recipe';

const CHARTS = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'charts');
const SAMPLES = path.resolve(__dirname, '..', '..', 'shared', 'sail-operator', 'samples');

function fails(props: unknown, code: ErrorCode, pathText: string): IstioConstructError {
  try {
    buildIstioInstallation(props as IstioInstallationProps);
  } catch (e) {
    expect(e).toBeInstanceOf(IstioConstructError);
    expect((e as IstioConstructError).code).toBe(code);
    expect((e as IstioConstructError).path).toBe(pathText);
    return e as IstioConstructError;
  }
  throw new Error('expected an IstioConstructError');
}

/** The release ids of a plan, and that each release comes after everything it depends on. */
function orderOf(props: IstioInstallationProps): string[] {
  const { plan } = buildIstioInstallation(props);
  const seen = new Set<string>();
  for (const r of plan.releases) {
    for (const d of r.dependsOn) expect(seen.has(d)).toBe(true);
    seen.add(r.id);
  }
  return plan.releases.map((r) => `${r.id}@${r.namespace}`);
}

describe('profiles (istio/istio manifests/profiles and helm-profiles)', () => {
  test.each([
    ['default', ['base@istio-system', 'istiod@istio-system', 'gateway-istio-ingressgateway@istio-system'], undefined, ['istio-ingressgateway']],
    ['demo', ['base@istio-system', 'istiod@istio-system', 'gateway-istio-ingressgateway@istio-system', 'gateway-istio-egressgateway@istio-system'], 'demo', ['istio-ingressgateway', 'istio-egressgateway']],
    ['minimal', ['base@istio-system', 'istiod@istio-system'], undefined, []],
    ['ambient', ['base@istio-system', 'istiod@istio-system', 'cni@istio-system', 'ztunnel@istio-system'], 'ambient', []],
    ['empty', [], undefined, []],
    ['remote', ['base@istio-system', 'istiod@istio-system'], 'remote', []],
    ['preview', ['base@istio-system', 'istiod@istio-system', 'gateway-istio-ingressgateway@istio-system'], 'preview', ['istio-ingressgateway']],
    ['stable', ['base@istio-system', 'istiod@istio-system', 'gateway-istio-ingressgateway@istio-system'], 'stable', ['istio-ingressgateway']],
    ['openshift', ['base@istio-system', 'istiod@istio-system', 'cni@kube-system', 'gateway-istio-ingressgateway@istio-system'], undefined, ['istio-ingressgateway']],
    ['openshift-ambient', ['base@istio-system', 'istiod@istio-system', 'cni@kube-system', 'ztunnel@kube-system'], 'ambient', []],
  ] as const)('%s installs %j with Helm profile %s', (profile, releases, helmProfile, gateways) => {
    const props: IstioInstallationProps = { version: '1.31.0', profile };
    expect(orderOf(props)).toEqual(releases);
    const out = buildIstioInstallation(props);
    for (const r of out.plan.releases.filter((x) => x.role !== 'gateway')) {
      expect(r.values.profile).toBe(helmProfile);
      expect((r.values.global as any).platform).toBe(profile.startsWith('openshift') ? 'openshift' : undefined);
      expect(r.location).toEqual({ chart: r.role, repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.31.0' });
    }
    expect(out.gatewayRequests.map((g) => g.name)).toEqual(gateways);
    // kube-system is never created; the Istio namespace carries no injection label.
    expect(out.plan.namespaces.map((n) => n.metadata.name)).toEqual(['istio-system']);
    expect(out.plan.namespaces[0].metadata.labels).toBeUndefined();
  });

  test('base defaults validationFailurePolicy to Fail (server-side apply before istiod is ready)', () => {
    const base = buildIstioInstallation({ version: '1.31.0' }).plan.releases[0];
    expect(base.values).toMatchObject({ defaultRevision: 'default', base: { validationFailurePolicy: 'Fail' }, global: { istioNamespace: 'istio-system' } });
  });

  test('the gateway requests carry the labels the gateway chart applies for the istioctl release names', () => {
    expect(buildIstioInstallation({ version: '1.31.0', profile: 'demo' }).gatewayRequests).toEqual([
      { name: 'istio-ingressgateway', direction: 'ingress', namespace: 'istio-system', selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, serviceType: 'LoadBalancer' },
      { name: 'istio-egressgateway', direction: 'egress', namespace: 'istio-system', selector: { app: 'istio-egressgateway', istio: 'egressgateway' }, serviceType: 'ClusterIP' },
    ]);
  });
});

describe('revisions and tags (canary upgrade)', () => {
  const canary: IstioInstallationProps = {
    version: '1.31.0',
    revisions: [{ name: '1-30-2', version: '1.30.2' }, { name: '1-31-0' }],
    revisionTags: { 'prod-stable': '1-30-2', 'prod-canary': '1-31-0' },
  };
  test('one istiod release per revision, tags rendered by their target, base points at the first', () => {
    const out = buildIstioInstallation(canary);
    expect(orderOf(canary)).toEqual(['base@istio-system', 'istiod-1-30-2@istio-system', 'istiod-1-31-0@istio-system', 'gateway-istio-ingressgateway@istio-system']);
    const [base, old, next] = out.plan.releases;
    expect(base.values.defaultRevision).toBe('1-30-2');
    expect(base.location.version).toBe('1.31.0'); // CRDs of the newest revision
    expect(old.values).toMatchObject({ revision: '1-30-2', revisionTags: ['prod-stable'] });
    expect(old.location.version).toBe('1.30.2');
    expect(next.values).toMatchObject({ revision: '1-31-0', revisionTags: ['prod-canary'] });
    expect(out.revisionTags).toEqual({ 'prod-canary': '1-31-0', 'prod-stable': '1-30-2' });
  });
  test('bad revisions and tags', () => {
    fails({ version: '1.31.0', revision: '1.31.0' }, ErrorCode.INVALID_NAME, 'revision');
    expect(fails({ version: '1.31.0', revision: '1.31.0' }, ErrorCode.INVALID_NAME, 'revision').hint).toContain('"1-31-0"');
    fails({ ...canary, revisionTags: { 'prod-stable': '1-29-0' } }, ErrorCode.INVALID_PROP, 'revisionTags["prod-stable"]');
    fails({ ...canary, revisionTags: { '1-31-0': '1-30-2' } }, ErrorCode.CONFLICTING_PROPS, 'revisionTags["1-31-0"]');
    fails({ ...canary, revisions: [{ name: 'a' }, { name: 'a' }], revisionTags: {} }, ErrorCode.DUPLICATE_NAME, 'revisions[1].name');
    fails({ ...canary, revision: 'x' }, ErrorCode.CONFLICTING_PROPS, 'revisions');
    fails({ version: '1.31.0', revision: 'default' }, ErrorCode.INVALID_NAME, 'revision');
    fails({ version: '1.31.0', revisions: [{ name: 'a'.repeat(57) }] }, ErrorCode.INVALID_NAME, 'revisions[0].name');
    // a tag named default is what `istioctl tag set default` creates: allowed
    expect(buildIstioInstallation({ ...canary, revisionTags: { default: '1-31-0' } }).plan.releases[2].values.revisionTags).toEqual(['default']);
  });
});

describe('bad input names the path', () => {
  test.each([
    [{ version: '1.31.0', profile: 'everything' }, ErrorCode.INVALID_PROP, 'profile'],
    [{ version: '1.19.3' }, ErrorCode.UNSUPPORTED_VERSION, 'version'],
    [{ version: '1.33.0' }, ErrorCode.UNSUPPORTED_VERSION, 'version'],
    [{ version: 'latest' }, ErrorCode.INVALID_PROP, 'version'],
    // istio/istio 4d03a06970a (ServiceScope, first in 1.27.0)
    [{ version: '1.26.4', meshConfig: { serviceScopeConfigs: [] } }, ErrorCode.UNSUPPORTED_VERSION, 'meshConfig.serviceScopeConfigs'],
    [{ version: '1.31.0', meshConfig: { outboundTrafficPolicy: { mode: 'DENY' } } }, ErrorCode.INVALID_PROP, 'meshConfig.outboundTrafficPolicy.mode'],
    [{ version: '1.31.0', meshConfig: { accessLogFle: '/dev/stdout' } }, ErrorCode.UNKNOWN_PROP, 'meshConfig.accessLogFle'],
    [{ version: '1.31.0', values: { base: { base: { enableCRDTemplates: 'no' } } } }, ErrorCode.INVALID_PROP, 'values.base.base.enableCRDTemplates'],
    [{ version: '1.31.0', values: { base: { base: { validationURL: 1 } } } }, ErrorCode.INVALID_PROP, 'values.base.base.validationURL'],
    [{ version: '1.31.0', meshConfig: { defaultConfig: { proxyHeaders: { server: { disabled: 'yes' } } } } }, ErrorCode.INVALID_PROP, 'meshConfig.defaultConfig.proxyHeaders.server.disabled'],
    [{ version: '1.31.0', components: { ztunnel: { enabled: true } } }, ErrorCode.CONFLICTING_PROPS, 'components.ztunnel.enabled'],
    [{ version: '1.31.0', profile: 'ambient', components: { cni: { enabled: false } } }, ErrorCode.CONFLICTING_PROPS, 'components.cni.enabled'],
    [{ version: '1.31.0', values: { istiod: { meshConfig: {} } } }, ErrorCode.CONFLICTING_PROPS, 'values.istiod.meshConfig'],
    [{ version: '1.31.0', values: { base: { defaultRevision: 'x' } } }, ErrorCode.CONFLICTING_PROPS, 'values.base.defaultRevision'],
    [{ version: '1.31.0', values: { istiod: { pilot: { replicaCount: 'two' } } } }, ErrorCode.INVALID_PROP, 'values.istiod.pilot.replicaCount'],
    [{ version: '1.31.0', compatibilityVersion: '1.24' }, ErrorCode.UNSUPPORTED_VERSION, 'compatibilityVersion'],
    [{ version: '1.31.0', profile: 'empty', meshConfig: { accessLogFile: '/dev/stdout' } }, ErrorCode.CONFLICTING_PROPS, 'meshConfig'],
    [{ version: '1.31.0', chartSource: ChartSource.fromDirectory('/nonexistent/charts') }, ErrorCode.CHART_NOT_FOUND, 'chartSource'],
    [{ version: '1.31.0', chartSource: { kind: 'directory', location: '.' } }, ErrorCode.INVALID_PROP, 'chartSource'],
    [{ version: '1.31.0', mode: 'sail' }, ErrorCode.UNSUPPORTED_VERSION, 'version'],
  ])('%j → %s at %s', (props, code, at) => {
    fails(props, code, at);
  });

  test('the missing-chart error says what to set for air-gapped CI', () => {
    const e = fails({ version: '1.31.0', chartSource: ChartSource.fromArchives('/nonexistent') }, ErrorCode.CHART_NOT_FOUND, 'chartSource');
    expect(e.hint).toContain('ChartSource.fromDirectory');
  });
});

describe('version table', () => {
  test('ISTIO_META_DNS_AUTO_ALLOCATE on 1.25+ warns: istiod allocates addresses itself (istio/istio 7d8e0cc878f, #53661)', () => {
    const mesh = { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } } };
    const recent = buildIstioInstallation({ version: '1.25.0', meshConfig: mesh });
    expect(recent.dnsAutoAllocation).toBe('istiod');
    expect(recent.warnings.map((w) => w.code)).toEqual(['DNS_AUTO_ALLOCATE_BY_ISTIOD']);
    const older = buildIstioInstallation({ version: '1.24.3', meshConfig: mesh });
    expect(older.dnsAutoAllocation).toBe('proxy-metadata');
    expect(older.warnings).toEqual([]);
  });
  test('compatibilityVersion follows the presets each version ships (1.24 ships 1.21-1.23)', () => {
    expect(buildIstioInstallation({ version: '1.24.0', compatibilityVersion: '1.21' }).plan.releases[1].values.compatibilityVersion).toBe('1.21');
    fails({ version: '1.31.0', compatibilityVersion: '1.21' }, ErrorCode.UNSUPPORTED_VERSION, 'compatibilityVersion');
    // A canary is checked against every revision's version.
    fails({ version: '1.31.0', revisions: [{ name: 'old', version: '1.24.1' }, { name: 'new' }], compatibilityVersion: '1.23' }, ErrorCode.UNSUPPORTED_VERSION, 'compatibilityVersion');
  });
  test('serviceScopeConfigs is refused when the oldest revision predates 1.27', () => {
    fails({ version: '1.31.0', revisions: [{ name: 'old', version: '1.26.2' }, { name: 'new' }], meshConfig: { serviceScopeConfigs: [] } }, ErrorCode.UNSUPPORTED_VERSION, 'meshConfig.serviceScopeConfigs');
    expect(() => buildIstioInstallation({ version: '1.27.0', meshConfig: { serviceScopeConfigs: [] } })).not.toThrow();
  });
});

describe('chart sources', () => {
  test('repository, OCI, directory and archives locate charts as helm reads them', () => {
    expect(ChartSource.oci().locate('istiod', '1.31.0')).toEqual({ chart: 'oci://registry.istio.io/release/charts/istiod', version: '1.31.0' });
    expect(ChartSource.fromDirectory(CHARTS).locate('istiod', '1.31.0')).toEqual({ chart: path.join(CHARTS, 'istio-control/istio-discovery') });
    expect(ChartSource.fromDirectory(CHARTS).locate('cni', '1.31.0')).toEqual({ chart: path.join(CHARTS, 'istio-cni') });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-'));
    fs.writeFileSync(path.join(dir, 'base-1.31.0.tgz'), '');
    expect(ChartSource.fromArchives(dir).locate('base', '1.31.0')).toEqual({ chart: path.join(dir, 'base-1.31.0.tgz') });
  });
});

describe('sail mode', () => {
  test('Istio, IstioRevisionTag, IstioCNI, ZTunnel validate against the Sail CRDs and match the samples', () => {
    const out = buildIstioInstallation({
      version: '1.30.2', mode: 'sail', profile: 'ambient', revisions: [{ name: 'stable', version: '1.29.6' }, { name: 'canary' }],
      revisionTags: { 'prod-stable': 'stable' }, meshConfig: { accessLogFile: '/dev/stdout' },
    });
    expect(out.plan.releases).toEqual([]);
    for (const m of out.plan.sailResources) expect(validateManifest(m)).toEqual([]);
    expect(out.plan.sailResources.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Istio/stable', 'Istio/canary', 'IstioRevisionTag/prod-stable', 'IstioRevisionTag/default', 'IstioCNI/default', 'ZTunnel/default',
    ]);
    const sample = parseAllDocuments(fs.readFileSync(path.join(SAMPLES, 'istio-sample-revisionbased.yaml'), 'utf8')).map((d) => d.toJS());
    const [istio, , tag] = out.plan.sailResources;
    expect(Object.keys(istio.spec).filter((k) => k in sample[0].spec).sort()).toEqual(Object.keys(sample[0].spec).filter((k) => k !== 'updateStrategy').sort());
    expect(istio.spec).toMatchObject({ namespace: 'istio-system', profile: 'ambient', version: 'v1.29.6' });
    // InPlace (the default): the IstioRevision is named after the Istio, so istio.io/rev=stable selects it.
    expect(istio.spec.updateStrategy).toBeUndefined();
    expect(Object.keys(tag.spec)).toEqual(Object.keys(sample[1].spec));
    const cni = parse(fs.readFileSync(path.join(SAMPLES, 'istiocni-sample.yaml'), 'utf8'));
    expect(Object.keys(out.plan.sailResources[4].spec).filter((k) => k !== 'profile').sort()).toEqual(Object.keys(cni.spec).sort());
  });
  test('the CEL rule global.istioNamespace == spec.namespace holds (validateManifest checks it)', () => {
    const istio = buildIstioInstallation({ version: '1.30.2', mode: 'sail', namespace: 'mesh' }).plan.sailResources[0];
    expect(istio.spec.values.global.istioNamespace).toBe('mesh');
    expect(validateManifest(istio)).toEqual([]);
    const broken = { ...istio, spec: { ...istio.spec, values: { global: { istioNamespace: 'other' } } } };
    expect(validateManifest(broken).map((i) => i.message).join()).toContain('must match spec.namespace');
  });
});

describe('helm renders the plan (real istiod chart, real helm)', () => {
  test('the mesh ConfigMap holds the typed meshConfig', () => {
    const out = buildIstioInstallation({
      version: '1.31.0', chartSource: ChartSource.fromDirectory(CHARTS), revision: '1-31-0',
      meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, accessLogFile: '/dev/stdout', defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } },
    });
    const istiod = out.plan.releases.find((r) => r.role === 'istiod')!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istiod-'));
    fs.writeFileSync(path.join(dir, 'values.json'), JSON.stringify(istiod.values));
    const yaml = execFileSync(helmBinary(), ['template', istiod.releaseName, istiod.location.chart, '-n', istiod.namespace, '-f', path.join(dir, 'values.json')], { encoding: 'utf8' });
    const docs = parseAllDocuments(yaml).map((d) => d.toJS()).filter(Boolean);
    const cm = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'istio-1-31-0');
    const mesh = parse(cm.data.mesh);
    expect(mesh.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(mesh.accessLogFile).toBe('/dev/stdout');
    expect(mesh.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
    expect(docs.some((d) => d.kind === 'Deployment' && d.metadata.name === 'istiod-1-31-0')).toBe(true);
  });

  test('every release of every profile renders with the real charts', () => {
    // The values the model writes (profile, global.platform, pilot.cni.enabled, defaultRevision,
    // trustedZtunnelNamespace, ...) are ones the charts accept: an unknown profile fails the render.
    const profiles = ['default', 'demo', 'minimal', 'ambient', 'remote', 'preview', 'stable', 'openshift', 'openshift-ambient'] as const;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
    for (const profile of profiles) {
      for (const r of buildIstioInstallation({ version: '1.31.0', profile, chartSource: ChartSource.fromDirectory(CHARTS) }).plan.releases) {
        const file = path.join(dir, `${profile}-${r.id}.json`);
        fs.writeFileSync(file, JSON.stringify(r.values));
        const yaml = execFileSync(helmBinary(), ['template', r.releaseName, r.location.chart, '-n', r.namespace, '-f', file], { encoding: 'utf8' });
        expect(parseAllDocuments(yaml).length).toBeGreaterThan(0);
      }
    }
  });

});

describe('properties', () => {
  test('valid props build, with dependsOn satisfied and admission-valid namespaces', () => {
    fc.assert(fc.property(validInstallationProps, (recipe) => {
      const p = realize(recipe);
      orderOf(p);
      for (const n of buildIstioInstallation(p).plan.namespaces) expect(validateManifest(n)).toEqual([]);
    }), { numRuns: 60 });
  });
  test('props with one rule broken throw IstioConstructError', () => {
    fc.assert(fc.property(invalidInstallationProps, (recipe) => {
      expect(() => buildIstioInstallation(realize(recipe))).toThrow(IstioConstructError);
    }), { numRuns: 60 });
  });
});

describe('gateways and add-ons in the plan', () => {
  test('the profile gateways are releases after istiod, in plan.gateways; defaultGateways: false leaves them out', () => {
    const out = buildIstioInstallation({ version: '1.31.0', profile: 'demo' });
    expect(Object.keys(out.plan.gateways)).toEqual(['istio-ingressgateway', 'istio-egressgateway']);
    expect(out.ingressGateway!.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(out.plan.releases.filter((r) => r.role === 'gateway').every((r) => r.dependsOn.join() === 'istiod' && r.values.revision === undefined)).toBe(true);
    const off = buildIstioInstallation({ version: '1.31.0', profile: 'demo', defaultGateways: false });
    expect(off.plan.gateways).toEqual({});
    expect(off.ingressGateway).toBeUndefined();
  });

  test('a single named revision is the gateways\' revision (IST0146); their namespace is created without injection label', () => {
    const out = buildIstioInstallation({ version: '1.31.0', revision: '1-31-0', gateways: [{ name: 'echo-ingress' }] });
    const gw = out.plan.releases.find((r) => r.id === 'gateway-echo-ingress')!;
    expect(gw.values.revision).toBe('1-31-0');
    expect(out.plan.namespaces.find((n) => n.metadata.name === 'istio-ingress')!.metadata.labels).toBeUndefined();
  });

  test('namespaces every cluster has (default, kube-system...) are never declared: the installation does not own them', () => {
    const out = buildIstioInstallation({ version: '1.31.0', gateways: [{ name: 'echo-ingress', namespace: 'default' }, { name: 'sys', namespace: 'kube-public' }] });
    expect(out.plan.releases.find((r) => r.id === 'gateway-echo-ingress')!.namespace).toBe('default');
    expect(out.plan.namespaces.map((n) => n.metadata.name)).toEqual(['istio-system']);
  });

  test('ambient: gateways depend on the last control-plane release (ztunnel)', () => {
    const out = buildIstioInstallation({ version: '1.31.0', profile: 'ambient', gateways: [{ name: 'edge' }] });
    expect(out.plan.releases.find((r) => r.role === 'gateway')!.dependsOn).toEqual(['ztunnel']);
  });

  test('a gateway whose selector matches the profile gateway is refused at its path', () => {
    fails({ version: '1.31.0', gateways: [{ name: 'other', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } }] }, ErrorCode.CONFLICTING_PROPS, 'defaultGateways');
  });

  test('add-ons: Jaeger\'s provider is appended to meshConfig; a provider of the same name is refused', () => {
    const out = buildIstioInstallation({ version: '1.31.0', addons: { prometheus: true, jaeger: true } });
    expect(out.plan.manifestSources.map((s) => s.id)).toEqual(['prometheus', 'jaeger']);
    const istiod = out.plan.releases.find((r) => r.id === 'istiod')!;
    expect(((istiod.values.meshConfig as any).extensionProviders as any[]).map((p) => p.name)).toContain('jaeger');
    fails({
      version: '1.31.0', addons: { jaeger: true },
      meshConfig: { extensionProviders: [{ name: 'jaeger', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } }] },
    }, ErrorCode.CONFLICTING_PROPS, 'meshConfig.extensionProviders[0].name');
  });
});
