/**
 * `npm run bench`: throughput of the pure builders, of schema validation, and of a full cdk8s
 * synth of every example. Speed is measured here, never in timed tests.
 */
import { App } from 'cdk8s';
import { Bench } from 'tinybench';
import { examples } from '../examples';
import { bookinfo } from '../examples/s10-bookinfo-traffic/props';
import { postgresqlRoute, recommendationStages } from '../examples/s12-cheat-sheet-routing/props';
import { buildCanaryService, buildTcpIngress, manifestsOf, validateManifests } from '../src';

async function main() {
  const bench = new Bench({ time: 500 });
  const canary = recommendationStages['retries-and-timeout'];
  const canaryObjects = manifestsOf(buildCanaryService(canary));
  validateManifests(canaryObjects); // compile the schemas once, outside the measurement
  bench
    .add('buildCanaryService (retries + timeout)', () => { buildCanaryService(canary); })
    .add('buildCanaryService (gateway + 5 matches)', () => { buildCanaryService(bookinfo); })
    .add('buildTcpIngress (mesh route)', () => { buildTcpIngress(postgresqlRoute); })
    .add('validateManifests (DestinationRule + VirtualService)', () => { validateManifests(canaryObjects); })
    .add('cdk8s: every example in memory', () => {
      for (const e of examples) e.cdk8s(new App({ outdir: '/tmp/istio-constructs-bench' }));
    });
  await bench.run();
  console.table(bench.table());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
