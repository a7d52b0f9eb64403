/**
 * The library's Gateway API output for bookinfo and tcp-echo against Istio's own samples
 * (`../shared/istio/samples/bookinfo/gateway-api/`, `samples/bookinfo/platform/kube/bookinfo-versions.yaml`,
 * `samples/tcp-echo/gateway-api/`): for each sample object, the library's object of the same kind
 * and name must be the object the API server would store for the sample. Both are normalised as
 * the API server does it: the `default`s of the Gateway API v1.6 CRDs
 * (`../shared/istio/crds/gateway-api/gateway-api-crd.yaml`) applied to `spec`, Kubernetes' Service
 * defaults (`SetDefaults_Service` in k8s.io/kubernetes pkg/apis/core/v1/defaults.go), and the served
 * version the sample names converted to the storage version where the CRD converts by rewriting
 * `apiVersion` (conversion strategy None). The library's labels and the namespace the samples
 * leave out (they are applied to `default`) are dropped; any other difference fails.
 *
 * Also: every object of the Gateway API examples is admitted, and S10's fault injection has no
 * Gateway API form (refused at the prop).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { examples } from '../examples';
import * as s10 from '../examples/s10-gateway-api/props';
import {
  ErrorCode, IngressGateway, Manifest, Protocol, ServiceRef, buildCanaryService, buildTcpIngress, manifestsOf, validateManifests,
} from '../src';
import { errorOf, synthApp } from './helpers';

const SAMPLES = path.resolve(__dirname, '../../shared/istio/samples');
const CRDS = path.resolve(__dirname, '../../shared/istio/crds/gateway-api/gateway-api-crd.yaml');

const readYaml = (file: string): any[] => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((d) => d);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

// -- What the API server does to an object on create ------------------------------------------

interface CrdVersion { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: any } }
const crds = new Map<string, { group: string; versions: CrdVersion[]; conversion?: string }>(readYaml(CRDS)
  .filter((d) => d.kind === 'CustomResourceDefinition')
  .map((d) => [`${d.spec.group}/${d.spec.names.kind}`, { group: d.spec.group, versions: d.spec.versions, conversion: d.spec.conversion?.strategy }]));

/**
 * Structural defaulting (Kubernetes apiextensions `structuraldefaulting`): an absent property
 * with a `default` gets it; then every present value is defaulted by its own schema (so a default
 * value gets the defaults of its inside too).
 */
function applyDefaults(value: any, schema: any): any {
  if (schema === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => applyDefaults(v, schema.items));
  const out: any = { ...value };
  for (const [key, prop] of Object.entries<any>(schema.properties ?? {})) {
    if (out[key] === undefined && prop.default !== undefined) out[key] = clone(prop.default);
  }
  for (const key of Object.keys(out)) {
    const prop = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    out[key] = applyDefaults(out[key], prop);
  }
  return out;
}

/** `SetDefaults_Service` and `SetDefaults_ServicePort` for the fields a ClusterIP Service can leave out. */
function serviceDefaults(spec: any): any {
  return {
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ...spec,
    ports: (spec.ports ?? []).map((p: any) => ({ protocol: 'TCP', targetPort: p.port, ...p })),
  };
}

/** The object as the API server stores it: storage version, defaulted spec. */
function stored(m: Manifest): Manifest {
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
  if (group === '' && m.kind === 'Service') return { ...m, spec: serviceDefaults(m.spec) };
  const crd = crds.get(`${group}/${m.kind}`);
  if (!crd) throw new Error(`no CRD for ${m.apiVersion} ${m.kind}`);
  const served = crd.versions.find((v) => v.name === version && v.served);
  if (!served) throw new Error(`${m.apiVersion} ${m.kind} is not served by the v1.6 CRDs`);
  const storage = crd.versions.find((v) => v.storage)!;
  // Conversion None: the API server converts between versions by rewriting apiVersion only.
  if (served !== storage && (crd.conversion ?? 'None') !== 'None') throw new Error(`${m.kind} converts with a webhook`);
  // The object must be valid in the version it names; it is then defaulted and stored in the storage version.
  const spec = applyDefaults(m.spec, served.schema.openAPIV3Schema.properties.spec);
  return { ...m, apiVersion: `${group}/${storage.name}`, spec };
}

/**
 * The library's object in the sample's terms: without the library's labels, and without the
 * namespace when the sample leaves it out (Istio's samples are applied to `default`).
 */
function asSample(lib: Manifest, sample: Manifest): Manifest {
  const { labels, namespace, ...meta } = lib.metadata;
  expect(Object.keys(labels ?? {}).every((k) => k === 'app.kubernetes.io/managed-by' || k.startsWith('istio-constructs/'))).toBe(true);
  if (sample.metadata.namespace === undefined) expect(namespace).toBe('default');
  return { ...lib, metadata: { ...meta, ...(sample.metadata.namespace !== undefined ? { namespace } : {}) } };
}

/** Compares every object of a sample file with the library's object of the same kind and name. */
function expectSameAsSample(file: string, library: readonly Manifest[]): void {
  const samples = readYaml(path.join(SAMPLES, file)) as Manifest[];
  expect(samples.length).toBeGreaterThan(0);
  // The sample is admitted in the version it names (the library's validator knows every served version).
  expect(validateManifests(samples.map((m) => ({ ...m, metadata: { namespace: 'default', ...m.metadata } })))).toEqual([]);
  for (const sample of samples) {
    const matches = library.filter((m) => m.kind === sample.kind && m.metadata.name === sample.metadata.name);
    expect([`${sample.kind} ${sample.metadata.name}`, matches.length]).toEqual([`${sample.kind} ${sample.metadata.name}`, 1]);
    expect(stored(asSample(matches[0], sample))).toEqual(stored(sample));
  }
}

// -- The library's objects ---------------------------------------------------------------------

const example = (name: string) => examples.find((e) => e.name === name)!;
const s10Charts = synthApp(example('s10-gateway-api').cdk8s);

/** tcp-echo (`samples/tcp-echo/tcp-echo-services.yaml`: TCP 9000, pods `app: tcp-echo, version: vN`). */
const tcpEcho = ServiceRef.fromName('tcp-echo', {
  namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP, name: 'tcp' }], selector: { app: 'tcp-echo' },
});
/** The tcp-echo task's ingress: port 31400 on a gateway Istio deploys for `tcp-echo-gateway`. */
const tcpEchoIngress = (v1: number, v2: number) => manifestsOf(buildTcpIngress({
  name: 'tcp-echo',
  backend: tcpEcho,
  port: 31400,
  gateway: IngressGateway.automated({ namespace: 'default' }),
  gatewayName: 'tcp-echo-gateway',
  versions: [{ name: 'v1', percent: v1 }, { name: 'v2', percent: v2 }],
  target: s10.gatewayApi,
}));

describe('the normalisation', () => {
  test('applies the CRD defaults (parentRef group and kind, backendRef group, kind and weight, listener namespaces Same)', () => {
    const route = stored({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] } });
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'g' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 's', port: 80, weight: 1 }] }],
    });
    const gateway = stored({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'l', port: 80, protocol: 'HTTP' }] } });
    expect(gateway.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
  });

  test('tells different objects apart', () => {
    const a: Manifest = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] } };
    expect(stored(a)).not.toEqual(stored({ ...a, spec: { ...a.spec, parentRefs: [{ name: 'g', port: 80 }] } }));
    expect(stored(a)).not.toEqual(stored({ ...a, spec: { ...a.spec, rules: [{ backendRefs: [{ name: 's', port: 80, weight: 2 }] }] } }));
    expect(() => stored({ ...a, apiVersion: 'gateway.networking.k8s.io/v1alpha1' })).toThrow(/not served/);
  });
});

describe("Istio's bookinfo samples (samples/bookinfo/gateway-api/) and the s10-gateway-api example", () => {
  test.each([
    ['bookinfo-gateway.yaml', 'bookinfo'],
    ['route-all-v1.yaml', 'bookinfo'],
    ['route-reviews-v1.yaml', 'bookinfo'],
    ['route-reviews-90-10.yaml', 'reviews-90-10'],
    ['route-reviews-50-v3.yaml', 'reviews-50-v3'],
    ['route-reviews-v3.yaml', 'reviews-v3'],
  ])('%s: the stage %s writes the same objects', (file, stage) => {
    expectSameAsSample(`bookinfo/gateway-api/${file}`, s10Charts[stage]);
  });

  test('bookinfo-versions.yaml: the same version Services (reviews-v1..v3, productpage-v1, ratings-v1, details-v1)', () => {
    expectSameAsSample('bookinfo/platform/kube/bookinfo-versions.yaml', s10Charts.bookinfo);
  });
});

describe("Istio's tcp-echo samples (samples/tcp-echo/gateway-api/) and TcpIngress on an automated gateway", () => {
  test('tcp-echo-all-v1.yaml: the Gateway, the version Services and the TCPRoute (sample v1alpha2, stored as v1)', () => {
    expectSameAsSample('tcp-echo/gateway-api/tcp-echo-all-v1.yaml', tcpEchoIngress(100, 0));
  });

  test('tcp-echo-20-v2.yaml: the TCPRoute 80/20', () => {
    expectSameAsSample('tcp-echo/gateway-api/tcp-echo-20-v2.yaml', tcpEchoIngress(80, 20));
  });
});

describe('the Gateway API examples', () => {
  const gatewayApiExamples = ['s10-gateway-api', 's1-tcp-route', 's10-ambient'];

  test.each(gatewayApiExamples)('%s: every object of every stage is admitted, and its routes are Gateway API ones', (name) => {
    const charts = synthApp(example(name).cdk8s);
    const all = Object.values(charts).flat();
    expect(all.some((m) => m.apiVersion === 'gateway.networking.k8s.io/v1' && m.kind.endsWith('Route'))).toBe(true);
    expect(all.filter((m) => m.apiVersion.startsWith('networking.istio.io/'))).toEqual([]);
    for (const objects of Object.values(charts)) expect(validateManifests(objects)).toEqual([]);
  });

  test("s10-ambient: default in ambient mode, through its waypoint, which applies the reviews route (ztunnel does not apply a Service's HTTPRoute)", () => {
    const [ambient] = Object.values(synthApp(example('s10-ambient').cdk8s));
    expect(ambient.find((m) => m.kind === 'Namespace')?.metadata).toEqual({
      name: 'default', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' },
    });
    const waypoint = ambient.find((m) => m.kind === 'Gateway' && m.metadata.name === 'waypoint')!;
    expect([waypoint.metadata.namespace, waypoint.spec.gatewayClassName, waypoint.metadata.labels?.['istio.io/waypoint-for']]).toEqual(['default', 'istio-waypoint', 'service']);
    const reviews = ambient.find((m) => m.kind === 'HTTPRoute' && m.metadata.name === 'reviews')!;
    expect(reviews.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
  });

  test("S10's fault injection has no Gateway API form: refused at the prop, not dropped", () => {
    const e = errorOf(() => buildCanaryService({ ...s10.ratingsFault, target: s10.gatewayApi }));
    expect([e.code, e.path]).toEqual([ErrorCode.TARGET_UNSUPPORTED, 'routes[0].fault']);
    // The same props on the Istio API keep the fault.
    const vs = manifestsOf(buildCanaryService(s10.ratingsFault)).find((m) => m.kind === 'VirtualService')!;
    expect(vs.spec.http[0].fault).toEqual({ abort: { httpStatus: 403, percentage: { value: 30 } } });
  });
});
