/**
 * Props arbitraries of the IstioInstallation add-ons (`resolveAddons`) for the fuzz table: the
 * add-ons on and off, local sources from ../shared (Istio's samples/addons, the Kiali operator
 * chart) or the default repositories, Jaeger and Kiali options with edge values; and a builder
 * that returns the objects the add-ons emit (the Telemetry, the namespaces), so the fuzzer checks
 * they are admitted.
 */
import * as path from 'path';
import * as fc from 'fast-check';
import { PatternOutput, resolveAddons } from '../../src';
import { Ctx } from '../../src/core/errors';
import { bool, edgy, enumOf, exoticString, hostile, label, name, percentage, props } from './primitives';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');
const ADDONS_DIR = path.join(SHARED, 'istio', 'samples', 'addons');
const KIALI_OPERATOR = path.join(SHARED, 'kiali', 'kiali-operator');

const manifests = props({
  directory: edgy(fc.constant(ADDONS_DIR), exoticString, fc.constant(SHARED)),
  baseUrl: edgy(fc.constant('https://mirror.example.com/addons'), exoticString, fc.constantFrom('http://x.example.com', 'https://a.example.com/?q=1')),
});
const jaeger = fc.oneof(bool, props({
  protocol: enumOf(['opentelemetry', 'zipkin']),
  providerName: edgy(label, exoticString),
  enableWith: enumOf(['telemetry', 'defaultProviders']),
  samplingPercentage: percentage,
}));
const kiali = fc.oneof(bool, props({
  chart: props({
    directory: edgy(fc.constant(KIALI_OPERATOR), exoticString, fc.constant(path.join(SHARED, 'kiali', 'kiali-server'))),
    repository: edgy(fc.constant('https://kiali.org/helm-charts'), exoticString),
    version: edgy(fc.constantFrom('2.27.0', '2.29.0'), exoticString, fc.constant('latest')),
  }),
  namespace: name,
  releaseName: name,
  crName: name,
  spec: edgy(fc.constantFrom({}, { auth: { strategy: 'anonymous' } }), fc.dictionary(exoticString, fc.jsonValue(), { maxKeys: 2 })),
  values: edgy(fc.constantFrom({}, { image: { pullPolicy: 'IfNotPresent' } }), fc.constantFrom({ cr: {} }, { watchNamespace: 'other' })),
}));

const addons = props({ manifests, prometheus: bool, grafana: bool, jaeger, loki: bool, kiali });
const istioNamespace = edgy(fc.constant('istio-system'), label);

/** Valid-looking add-on props, with the installation's namespace: `{ addons, istioNamespace }`. */
export const istioAddonsProps: fc.Arbitrary<unknown> = props({ addons, istioNamespace }, ['addons', 'istioNamespace']);

/**
 * Hostile add-on props. The `{ addons, istioNamespace }` holder is the fuzzer's own and the
 * namespace comes from the (already checked) installation props: neither is made hostile.
 */
export const istioAddonsHostile: fc.Arbitrary<unknown> = fc.tuple(hostile(addons), istioNamespace)
  .map(([a, ns]) => ({ addons: a, istioNamespace: ns }));

/** Resolves the add-ons of Istio 1.31.0 and returns the objects they emit. */
export function buildIstioAddons(p: { addons?: unknown; istioNamespace: string }): PatternOutput {
  const out = resolveAddons(new Ctx('IstioInstallation').at('addons'), p.addons as any, { istioVersion: '1.31.0', istioNamespace: p.istioNamespace, dependsOn: ['istiod'] });
  return {
    objects: [...out.namespaces, ...out.manifests].map((manifest, i) => ({ role: `object-${i}`, manifest })),
    warnings: out.warnings,
  };
}
