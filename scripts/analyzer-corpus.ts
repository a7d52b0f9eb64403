/**
 * Prints how much of Istio's `istioctl analyze` answer key `analyze` reproduces, and every case it
 * does not. `npx ts-node scripts/analyzer-corpus.ts [substring of analyzer name]`.
 */
import { report, runCorpus } from '../test/analysis/corpus';

const filter = process.argv[2];
const results = runCorpus().filter((r) => !filter || r.analyzer.includes(filter));
console.log(report(results));
