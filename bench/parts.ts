/**
 * What the App-level checks cost inside the library's cdk8s line: runs the line with cdk8s' YAML
 * writer stubbed out (the same work in the library and raw lines), in variants with the analysis,
 * the admission checks and the YAML-ambiguity walk switched off, one at a time and all together,
 * next to the raw line, each repetition running every variant (in order, then in reverse order).
 * Prints the median CPU time of each variant and the median of its paired differences with the
 * full line. A diagnostic for README Performance, not a benchmark: the variants without checks are
 * not what a synth does.
 *
 * Usage: `ts-node --project tsconfig.dev.json bench/parts.ts [scenario=mixed] [services=1000] [reps=12]`
 */
import { Yaml } from 'cdk8s';
import * as analysisModule from '../src/analysis/analyze';
import * as yamlModule from '../src/cdk8s/yaml';
import * as validationModule from '../src/core/validation';
import { buildProgram, cdk8sLibrary, cdk8sRaw } from './lines';
import { SCENARIOS } from './scenarios';

(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

const [scenarioName = 'mixed', servicesArg = '1000', repsArg = '12'] = process.argv.slice(2);
const scenario = SCENARIOS.find((s) => s.name === scenarioName);
if (!scenario) throw new Error(`unknown scenario ${scenarioName}: ${SCENARIOS.map((s) => s.name).join(', ')}`);
const program = scenario.program(Number(servicesArg));
const reps = Number(repsArg);

const exposedGc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
const writable = (m: object) => m as Record<string, unknown>;
const original = {
  analyze: analysisModule.analyze,
  validate: validationModule.validateManifestDetailed,
  ambiguous: yamlModule.ambiguousStrings,
};

/** The variants: which checks are off (A analysis, V admission, Y ambiguity walk), or the raw line. */
const VARIANTS: Record<string, string> = {
  'the library line': '',
  'without the analysis': 'A',
  'without admission': 'V',
  'without the ambiguity walk': 'Y',
  'without all three': 'AVY',
  'the raw line': 'raw',
};

function configure(off: string): void {
  writable(analysisModule).analyze = off.includes('A') ? () => [] : original.analyze;
  writable(validationModule).validateManifestDetailed = off.includes('V') ? () => ({ errors: [], warnings: [] }) : original.validate;
  writable(yamlModule).ambiguousStrings = off.includes('Y') ? () => new Set() : original.ambiguous;
}

function runVariant(off: string): number {
  configure(off);
  const built = off === 'raw' ? buildProgram(program) : undefined;
  exposedGc?.({ type: 'minor' });
  const start = process.cpuUsage();
  if (built) cdk8sRaw(built, '/tmp/istio-constructs-parts');
  else cdk8sLibrary(program, '/tmp/istio-constructs-parts');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  (Yaml as unknown as Record<string, unknown>).save = () => undefined;
  console.warn = () => undefined;
  console.info = () => undefined;
  const names = Object.keys(VARIANTS);
  for (let i = 0; i < 2; i++) for (const n of names) runVariant(VARIANTS[n]);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < reps; r++) {
    for (const n of r % 2 ? [...names].reverse() : names) times[n].push(runVariant(VARIANTS[n]));
  }
  configure('');
  const full = times[names[0]];
  console.log(`${scenario!.name}, ${servicesArg} services, ${reps} repetitions, no YAML writing (CPU ms, median):`);
  for (const n of names) {
    const diff = median(times[n].map((t, i) => t - full[i]));
    console.log(`  ${n.padEnd(28)} ${median(times[n]).toFixed(0).padStart(6)}${n === names[0] ? '' : `   ${diff >= 0 ? '+' : ''}${diff.toFixed(0)} against the full line`}`);
  }
}

main();
