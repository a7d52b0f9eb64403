/**
 * Every profile of the real Istio charts as the installation builds it (`buildIstioInstallation`,
 * the plan the IstioInstallation construct renders) and rendered through renderInstallationPlan:
 * every object validates (Kubernetes schemas via kubernetes-models, Istio CRDs), and the
 * objects of each control-plane release equal what `helm template --set profile=<p>` renders from
 * the same chart directly. The only differences allowed: the release namespace the renderer adds
 * to a namespaced object that has none, and the construct's own documented default
 * `base.validationFailurePolicy: Fail`, passed to the direct render too. The profile's default
 * gateways are left out here (their values are the construct's, not the profile's; the gateway
 * chart is compared in installation-gateways.test.ts).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '../scripts/helm';
import { renderInstallationPlan } from '../src/cdk8s/installation-render';
import { HelmReleasePlan, InstallationPlan } from '../src/core/installation-plan';
import { Manifest } from '../src/core/manifest';
import { validateManifestsDetailed } from '../src/core/validation';
import { ChartSource, buildIstioInstallation } from '../src';

const HELM = helmBinary();
const PROFILES = ['default', 'minimal', 'demo', 'ambient', 'stable', 'preview', 'remote'] as const;
const CHARTS = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'charts');
/**
 * The remote profile's sidecar-injector webhook calls `istiod.istio-system`, a Service the chart
 * renders only with `global.remotePilotAddress` (templates/remote-istiod-service.yaml); Istio's
 * multicluster install docs always set it. Without it the analysis rightly reports IST0139.
 */
const REMOTE_PILOT = '192.0.2.10';
const key = (m: Manifest) => `${m.apiVersion} ${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;

/** JSON as a YAML parser and cdk8s both agree on it: no null/undefined fields (cdk8s drops them). */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && x !== undefined) out[k] = normalize(x);
    }
    return out;
  }
  return v;
}

/**
 * cdk8s's ApiObject writes no empty `metadata.annotations`/`labels` map (the gateway chart renders
 * `annotations: {}`); the API server stores both the same way.
 */
function dropEmptyMetadataMaps(m: Manifest): Manifest {
  const metadata: Record<string, unknown> = { ...m.metadata };
  for (const k of ['annotations', 'labels']) {
    const v = metadata[k];
    if (v && typeof v === 'object' && Object.keys(v).length === 0) delete metadata[k];
  }
  return { ...m, metadata } as unknown as Manifest;
}

/**
 * istiod's `values` ConfigMap records the values the user gave helm verbatim (`original-values`):
 * the construct states the Istio namespace (`global.istioNamespace: istio-system`, the chart's own
 * default) where the direct command gives nothing. What the chart renders from them (`merged-values`
 * and every object) is still compared.
 */
function withoutOriginalValues(m: Manifest): Manifest {
  const data = (m as { data?: Record<string, unknown> }).data;
  if (m.kind !== 'ConfigMap' || !data || !('original-values' in data)) return m;
  const { 'original-values': _, ...rest } = data;
  return { ...m, data: rest } as Manifest;
}

/** `helm template` run directly on the release's chart with `--set profile=<p>`. */
function helmDirect(release: HelmReleasePlan, profile: string): Manifest[] {
  // The charts have no `default` profile file: the default profile is the chart's own values
  // (istioctl's `minimal` is the same charts without gateways).
  const set = profile === 'default' || profile === 'minimal' ? [] : ['--set', `profile=${profile}`];
  if (release.role === 'base') set.push('--set', 'base.validationFailurePolicy=Fail');
  if (profile === 'remote' && release.role === 'istiod') set.push('--set', `global.remotePilotAddress=${REMOTE_PILOT}`);
  const out = execFileSync(HELM, ['template', release.releaseName, release.location.chart, '-n', release.namespace, ...set],
    { maxBuffer: 64 * 1024 * 1024 }).toString();
  return parseAllDocuments(out, { version: '1.1' }).map((d) => d.toJS()).filter((m) => m && typeof m === 'object');
}

interface Rendered {
  readonly plan: InstallationPlan;
  /** By release id: the objects as synthesized. */
  readonly byRelease: Record<string, Manifest[]>;
  readonly all: Manifest[];
}

const rendered: Record<string, Rendered> = {};

beforeAll(() => {
  for (const profile of PROFILES) {
    const plan = buildIstioInstallation({
      version: '1.32.0', profile, chartSource: ChartSource.fromDirectory(CHARTS), defaultGateways: false,
      ...(profile === 'remote' ? { values: { istiod: { global: { remotePilotAddress: REMOTE_PILOT } } } } : {}),
    }).plan;
    const chart = Testing.chart();
    const r = renderInstallationPlan(chart, plan, { helmExecutable: HELM });
    const all = Testing.synth(chart) as Manifest[];
    const byKey = new Map(all.map((m) => [key(m), m]));
    const byRelease: Record<string, Manifest[]> = {};
    for (const [id, release] of Object.entries(r.releases)) {
      byRelease[id] = release.apiObjects.map((o) => {
        const m = o.toJson() as Manifest;
        return byKey.get(key(m))!;
      });
    }
    rendered[profile] = { plan, byRelease, all };
  }
});

describe.each(PROFILES)('profile %s', (profile) => {
  test('every rendered object is admitted (Kubernetes schemas, Istio CRDs, webhook rules)', () => {
    const { all, plan } = rendered[profile];
    expect(all.length).toBeGreaterThan(plan.namespaces.length);
    const result = validateManifestsDetailed(all);
    expect(result.errors).toEqual([]);
  });

  test('each release equals `helm template --set profile=' + profile + '` of its chart, modulo the namespace added', () => {
    const { plan, byRelease } = rendered[profile];
    for (const release of plan.releases) {
      const direct = helmDirect(release, profile);
      const ours = byRelease[release.id].map((m) => {
        const d = direct.find((x) => x.kind === m.kind && x.metadata?.name === m.metadata.name
          && (x.metadata?.namespace ?? release.namespace) === (m.metadata.namespace ?? release.namespace));
        // The only change the renderer may make: a namespace on an object helm left without one.
        if (d && d.metadata?.namespace === undefined && m.metadata.namespace === release.namespace) {
          const { namespace: _, ...metadata } = m.metadata;
          return { ...m, metadata };
        }
        return m;
      });
      const asSet = (ms: Manifest[]) => Object.fromEntries(ms.map((m) => [key(m), normalize(withoutOriginalValues(dropEmptyMetadataMaps(m)))]));
      expect(Object.keys(asSet(ours)).sort()).toEqual(Object.keys(asSet(direct)).sort());
      expect(asSet(ours)).toEqual(asSet(direct));
    }
  });
});

test('the profiles differ where Istio says they do (ambient: cni and ztunnel; remote: no istiod Deployment)', () => {
  const kinds = (p: string) => rendered[p].all.map((m) => `${m.kind}/${m.metadata.name}`);
  expect(kinds('ambient')).toEqual(expect.arrayContaining(['DaemonSet/istio-cni-node', 'DaemonSet/ztunnel']));
  expect(kinds('default')).not.toContain('DaemonSet/ztunnel');
  // The remote profile installs no istiod Deployment (the control plane runs in another cluster).
  expect(kinds('remote')).not.toContain('Deployment/istiod');
  expect(kinds('default')).toContain('Deployment/istiod');
});
