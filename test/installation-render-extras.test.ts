/**
 * renderInstallationPlan beyond the Helm releases: Sail Operator resources, add-ons read from
 * Istio's sample manifests, the plan's other objects, and their order; plus the validator on the
 * kinds an installation renders (CRDs, webhook configurations, admission policies, RBAC).
 */
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '../scripts/helm';
import { renderInstallationPlan } from '../src/cdk8s/installation-render';
import { Manifest } from '../src/core/manifest';
import { validateManifest } from '../src/core/validation';
import { CHARTS, namespace, testPlan } from './installation-fixtures';

const HELM = helmBinary();
const ADDONS = path.resolve(CHARTS, '..', 'samples', 'addons');

describe('Sail resources, add-ons and other objects', () => {
  let out: Manifest[];
  beforeAll(() => {
    const base = testPlan();
    const telemetry: Manifest = {
      apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' },
      spec: { tracing: [{ providers: [{ name: 'zipkin' }] }] },
    } as Manifest;
    const sail: Manifest = {
      apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
      spec: { version: 'v1.28.0', namespace: 'istio-system' },
    } as Manifest;
    const app: App = Testing.app();
    const chart = new Chart(app, 'istio');
    renderInstallationPlan(chart, {
      ...base,
      releases: base.releases.filter((r) => r.id === 'base'),
      sailResources: [sail],
      manifestSources: [{ id: 'prometheus', source: path.join(ADDONS, 'prometheus.yaml'), dependsOn: ['base'] }],
      manifests: [telemetry],
    }, { helmExecutable: HELM });
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      out = parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).filter(Boolean);
    } finally {
      info.mockRestore();
    }
  });

  test('order: CRDs, namespaces, base, then the Sail resource, the add-on and the Telemetry after what they need', () => {
    const at = (kind: string, name: string) => out.findIndex((m) => m.kind === kind && m.metadata.name === name);
    const lastCrd = Math.max(...out.map((m, i) => (m.kind === 'CustomResourceDefinition' ? i : -1)));
    expect(at('Namespace', 'istio-system')).toBeGreaterThan(lastCrd);
    expect(at('Istio', 'default')).toBeGreaterThan(at('Namespace', 'istio-system'));
    // prometheus.yaml: ServiceAccount, ConfigMap, ClusterRole(Binding), Service, Deployment, all after base's objects.
    const baseLast = at('ValidatingWebhookConfiguration', 'istiod-default-validator');
    expect(at('Deployment', 'prometheus')).toBeGreaterThan(baseLast);
    expect(at('Service', 'prometheus')).toBeGreaterThan(baseLast);
    expect(at('Telemetry', 'mesh-default')).toBeGreaterThan(at('CustomResourceDefinition', 'telemetries.telemetry.istio.io'));
    expect(at('Telemetry', 'mesh-default')).toBeGreaterThan(baseLast);
  });

  test('the add-on objects pass the Kubernetes schemas as Istio ships them', () => {
    const prometheus = out.filter((m) => /prometheus/.test(m.metadata.name));
    expect(prometheus.length).toBeGreaterThanOrEqual(5);
    for (const m of prometheus) expect(validateManifest(m)).toEqual([]);
  });
});

test('a chart with a crds/ directory (Kiali operator, S8): its CRD is rendered (--include-crds) and written before its custom resource', () => {
  const chart = Testing.chart();
  renderInstallationPlan(chart, {
    namespaces: [namespace('kiali-operator')], sailResources: [], manifestSources: [], manifests: [], gateways: {},
    releases: [{
      id: 'kiali-operator', role: 'addon', releaseName: 'kiali-operator', namespace: 'kiali-operator',
      location: { chart: path.resolve(CHARTS, '..', '..', 'kiali', 'kiali-operator') },
      values: { cr: { create: true, namespace: 'istio-system' } }, dependsOn: [],
    }],
  }, { helmExecutable: HELM });
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  let out: Manifest[];
  try {
    out = Testing.synth(chart) as Manifest[];
  } finally {
    info.mockRestore();
  }
  const at = (kind: string) => out.findIndex((m) => m.kind === kind);
  expect(at('CustomResourceDefinition')).toBe(0);
  expect(out[0].metadata.name).toBe('kialis.kiali.io');
  expect(at('Namespace')).toBe(1);
  expect(at('Kiali')).toBeGreaterThan(1);
  expect(out.find((m) => m.kind === 'Kiali')!.metadata.namespace).toBe('istio-system');
  for (const m of out) {
    if (['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(m.kind)) expect(m.metadata.namespace).toBeUndefined();
    else expect(m.metadata.namespace).toMatch(/^(kiali-operator|istio-system)$/);
  }
  // Kubernetes kinds validate (the Kiali resource itself has no schema in the library's validator).
  for (const m of out.filter((x) => x.kind !== 'Kiali')) expect(validateManifest(m)).toEqual([]);
});

describe('validateManifest on the kinds installations render', () => {
  const crd = (spec: Record<string, unknown>, name = 'foos.example.com') =>
    ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec }) as unknown as Manifest;
  const spec = {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'foos', kind: 'Foo' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  };
  const webhook = (w: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'v' }, webhooks: [w] }) as unknown as Manifest;
  const hook = { name: 'v.example.com', clientConfig: { service: { name: 'istiod', namespace: 'istio-system' } }, sideEffects: 'None', admissionReviewVersions: ['v1'] };

  test('a valid CRD, webhook configuration, admission policy and RBAC pass', () => {
    expect(validateManifest(crd(spec))).toEqual([]);
    expect(validateManifest(webhook(hook))).toEqual([]);
    expect(validateManifest({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p' }, spec: { validations: [{ expression: 'true' }] } } as unknown as Manifest)).toEqual([]);
  });

  test.each([
    ['no names (schema)', crd({ ...spec, names: undefined }), /required property names/],
    ['a scope the API server refuses', crd({ ...spec, scope: 'Galaxy' }), /"Namespaced" or "Cluster"/],
    ['a name that is not <plural>.<group>', crd(spec, 'bars.example.com'), /plural \+ "\." \+ spec.group/],
    ['two storage versions', crd({ ...spec, versions: [spec.versions[0], { ...spec.versions[0], name: 'v2' }] }), /exactly one version must be the storage version/],
    ['a webhook without sideEffects', webhook({ ...hook, sideEffects: undefined }), /sideEffects/],
    ['a webhook failurePolicy that does not exist', webhook({ ...hook, failurePolicy: 'Sometimes' }), /failurePolicy/],
    ['an admission policy validation without expression',
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p' }, spec: { validations: [{ message: 'x' }] } }, /expression/],
    ['a ClusterRole rule without verbs', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''] }] }, /verbs/],
    ['a ClusterRoleBinding without roleRef', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'r' } }, /roleRef/],
  ])('refuses %s', (_, m, message) => {
    const issues = validateManifest(m as Manifest);
    expect(issues.map((i) => `${i.field} ${i.message}`).join('; ')).toMatch(message);
  });
});

test('a larger installation (demo + ambient + gateway) passes the App-level checks', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'istio');
  const plan = testPlan({ profile: 'demo', ambient: true, gateway: true });
  const r = renderInstallationPlan(chart, { ...plan, namespaces: [namespace('istio-system'), namespace('istio-ingress', { 'istio-injection': 'enabled' })] }, { helmExecutable: HELM });
  expect(r.apiObjects.length).toBeGreaterThan(40);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  // The CRDs' CEL rules (`!has(self.waypoint)`) once made the YAML-ambiguity check print parser warnings.
  const processWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    expect(() => app.synthYaml()).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
    expect(processWarning).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
    info.mockRestore();
    processWarning.mockRestore();
  }
});
