/**
 * Istio's own answer key for `istioctl analyze` (pkg/config/analysis/analyzers/analyzers_test.go,
 * transcribed in ../shared/istio/analyzers/cases.json), run against `analyze`.
 */
import { report, runCorpus } from './analysis/corpus';

describe('istioctl analyze answer key (cases.json)', () => {
  const results = runCorpus();

  test('reproduces at least 90% of the synth-time checkable cases exactly (codes, levels, resources as a multiset)', () => {
    // Printed so CI logs show the share and every case not reproduced.
    console.log(report(results));
    const scoped = results.filter((r) => r.inScope);
    expect(scoped.length).toBeGreaterThan(80);
    expect(scoped.filter((r) => r.passed).length / scoped.length).toBeGreaterThanOrEqual(0.9);
  });
});
