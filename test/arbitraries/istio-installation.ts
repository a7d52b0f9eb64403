/**
 * Arbitraries of IstioInstallation props: `validInstallationProps` (the build must succeed),
 * `invalidInstallationProps` (one rule broken: the build must refuse it), and the fuzz table's
 * recipes (`installationProps`).
 */
import * as fc from 'fast-check';
import { ChartSource, IstioInstallationProps, PatternOutput, buildIstioInstallation } from '../../src';
import { Call } from './recipe';

const PROFILES = ['default', 'demo', 'minimal', 'ambient', 'remote', 'preview', 'stable', 'openshift', 'openshift-ambient'] as const;
const minor = fc.integer({ min: 24, max: 32 });
const version = fc.tuple(minor, fc.integer({ min: 0, max: 9 })).map(([m, p]) => `1.${m}.${p}`);
const revName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);

const meshConfig = fc.record({
  outboundTrafficPolicy: fc.record({ mode: fc.constantFrom('REGISTRY_ONLY' as const, 'ALLOW_ANY' as const) }),
  accessLogFile: fc.constantFrom('/dev/stdout', ''),
  accessLogEncoding: fc.constantFrom('TEXT' as const, 'JSON' as const),
  enableTracing: fc.boolean(),
  trustDomain: fc.constantFrom('cluster.local', 'example.org'),
  defaultConfig: fc.record({ proxyMetadata: fc.constant({ ISTIO_META_DNS_CAPTURE: 'true' }) }),
}, { requiredKeys: [] });

/** The chart sources that need no network nor files (the repository and OCI are only named). */
const chartSource = fc.constantFrom(
  new Call('ChartSource.istioRepository', ChartSource.istioRepository as any, []),
  new Call('ChartSource.oci', ChartSource.oci as any, ['oci://mirror.example.com/istio']),
);

/** Chart values the Sail schema accepts and no typed prop owns. */
const values = fc.record({
  base: fc.constant({ base: { enableIstioConfigCRDs: true } }),
  istiod: fc.record({ pilot: fc.record({ replicaCount: fc.integer({ min: 1, max: 3 }) }) }),
  cni: fc.constant({ cni: { excludeNamespaces: ['kube-system'] } }),
  ztunnel: fc.constant({ ztunnel: { logLevel: 'info' } }),
}, { requiredKeys: [] });

/** Extra gateways: unique names (hence selectors), replicas or autoscaling, sometimes hardened. */
const gateways = fc.uniqueArray(fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
  kind: fc.constantFrom('ingress' as const, 'egress' as const),
  type: fc.constantFrom('LoadBalancer' as const, 'ClusterIP' as const, 'NodePort' as const),
  scale: fc.oneof(
    fc.record({ replicas: fc.integer({ min: 2, max: 4 }) }),
    fc.record({ autoscaling: fc.record({ minReplicas: fc.constant(2), maxReplicas: fc.integer({ min: 2, max: 6 }), targetCpuUtilizationPercentage: fc.integer({ min: 50, max: 90 }) }) }),
  ),
  hardened: fc.boolean(),
}), { selector: (g) => g.name, maxLength: 2 }).map((gs) => gs.map((g) => ({
  name: `gw-${g.name}`,
  kind: g.kind,
  service: { type: g.type },
  ...g.scale,
  ...(g.hardened ? { hardened: true } : {}),
})));

/**
 * Valid props recipes in helm mode (realize them with `realize` from ./recipe: the chart source is
 * a factory call).
 */
export const validInstallationProps: fc.Arbitrary<unknown> = fc.record({
  version,
  profile: fc.constantFrom(...PROFILES),
  revisions: fc.uniqueArray(revName, { minLength: 1, maxLength: 3 }),
  tagged: fc.boolean(),
  meshConfig,
  namespace: fc.constantFrom('istio-system', 'mesh'),
  chartSource: fc.option(chartSource, { nil: undefined }),
  defaultLast: fc.boolean(),
  cni: fc.option(fc.record({ namespace: fc.constantFrom('kube-system', 'istio-cni') }), { nil: undefined }),
  compat: fc.boolean(),
  failurePolicy: fc.option(fc.constantFrom('Fail' as const, 'Ignore' as const), { nil: undefined }),
  values: fc.option(values, { nil: undefined }),
  gateways: fc.option(gateways, { nil: undefined }),
  defaultGateways: fc.option(fc.boolean(), { nil: undefined }),
}).map((r) => {
  const ambient = r.profile.includes('ambient');
  const version = r.version;
  const minorOf = Number(version.split('.')[1]);
  const withCni = ambient || r.profile === 'openshift' || r.cni !== undefined;
  const v = r.values ?? {};
  return {
    version,
    profile: r.profile,
    namespace: r.namespace,
    meshConfig: r.meshConfig,
    revisions: r.revisions.map((name) => ({ name })),
    ...(r.tagged ? { revisionTags: { [`tag-${r.revisions[0]}`]: r.revisions[0] } } : {}),
    ...(r.defaultLast ? { defaultRevision: r.revisions[r.revisions.length - 1] } : {}),
    ...(r.chartSource ? { chartSource: r.chartSource } : {}),
    // Sidecar profiles: the CNI agent on request; ambient: ztunnel stated explicitly on.
    ...(r.cni && !ambient ? { components: { cni: { enabled: true, namespace: r.cni.namespace } } } : {}),
    ...(r.cni && ambient ? { components: { cni: { namespace: r.cni.namespace }, ztunnel: { enabled: true, namespace: r.cni.namespace } } } : {}),
    // compatibility-version presets of the chart of `version` (istio-version.ts table).
    ...(r.compat ? { compatibilityVersion: `1.${Math.min(minorOf - 1, 30)}` } : {}),
    ...(r.failurePolicy ? { base: { validationFailurePolicy: r.failurePolicy } } : {}),
    ...(r.gateways ? { gateways: r.gateways } : {}),
    ...(r.defaultGateways !== undefined ? { defaultGateways: r.defaultGateways } : {}),
    ...(r.values ? {
      values: {
        ...(v.base ? { base: v.base } : {}),
        ...(v.istiod ? { istiod: v.istiod } : {}),
        ...(v.cni && withCni ? { cni: v.cni } : {}),
        ...(v.ztunnel && ambient ? { ztunnel: v.ztunnel } : {}),
      },
    } : {}),
  };
});

/** Valid props with one rule broken. */
export const invalidInstallationProps: fc.Arbitrary<unknown> = fc.tuple(validInstallationProps as fc.Arbitrary<any>, fc.integer({ min: 0, max: 6 })).map(([p, which]) => {
  switch (which) {
    case 0: return { ...p, revisions: [{ name: '1.31.0' }] };
    case 1: return { ...p, profile: 'everything' };
    case 2: return { ...p, meshConfig: { ...p.meshConfig, outboundTrafficPolicy: { mode: 'DENY' } } };
    case 3: return { ...p, meshConfig: { ...p.meshConfig, noSuchField: true } };
    case 4: return { ...p, version: '1.19.0' };
    case 5: return { ...p, revisionTags: { 'prod-stable': 'missing-rev' } };
    default: return { ...p, values: { istiod: { revision: 'x' } } };
  }
});

/** The fuzz table's adapter: the plan's emitted objects as a PatternOutput. */
export function buildInstallationForFuzz(props: unknown): PatternOutput {
  const o = buildIstioInstallation(props as IstioInstallationProps);
  return {
    objects: [...o.plan.namespaces, ...o.plan.sailResources].map((manifest, i) => ({ role: `${manifest.kind.toLowerCase()}-${i}`, manifest })),
    warnings: o.warnings,
  };
}

/** Recipes for the fuzz table: mostly valid, sometimes broken, sometimes in sail mode. */
export const installationProps: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: validInstallationProps },
  { weight: 1, arbitrary: (validInstallationProps as fc.Arbitrary<any>).map((p) => ({ ...p, mode: 'sail', version: '1.30.2', revisions: undefined, revisionTags: undefined, defaultRevision: undefined, chartSource: undefined, compatibilityVersion: undefined })) },
  { weight: 1, arbitrary: invalidInstallationProps },
);
