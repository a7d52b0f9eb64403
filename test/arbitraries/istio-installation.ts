/**
 * Arbitraries of IstioInstallation props: `validInstallationProps` (the build must succeed),
 * `invalidInstallationProps` (one rule broken: the build must refuse it), and the fuzz table's
 * recipes (`installationProps`).
 */
import * as fc from 'fast-check';
import { IstioInstallationProps, PatternOutput, buildIstioInstallation } from '../../src';

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

/** Valid props in helm mode (no chart source: the repository). */
export const validInstallationProps: fc.Arbitrary<IstioInstallationProps> = fc.record({
  version,
  profile: fc.constantFrom(...PROFILES),
  revisions: fc.uniqueArray(revName, { minLength: 1, maxLength: 3 }),
  tagged: fc.boolean(),
  meshConfig,
  namespace: fc.constantFrom('istio-system', 'mesh'),
}).map((r) => ({
  version: r.version,
  profile: r.profile,
  namespace: r.namespace,
  meshConfig: r.meshConfig,
  revisions: r.revisions.map((name) => ({ name })),
  ...(r.tagged ? { revisionTags: { [`tag-${r.revisions[0]}`]: r.revisions[0] } } : {}),
}));

/** Valid props with one rule broken. */
export const invalidInstallationProps: fc.Arbitrary<unknown> = fc.tuple(validInstallationProps, fc.integer({ min: 0, max: 6 })).map(([p, which]) => {
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
  { weight: 1, arbitrary: validInstallationProps.map((p) => ({ ...p, mode: 'sail', version: '1.30.2', revisions: undefined, revisionTags: undefined })) },
  { weight: 1, arbitrary: invalidInstallationProps },
);
