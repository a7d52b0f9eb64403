/**
 * `npm run bench`: the library next to a raw baseline holding the same objects, for 1,000 and
 * 10,000 services, each size in its own child process (bench/child.ts), and the growth from one
 * size to the next. Prints a Markdown table with the ratios and PASS/FAIL against the targets:
 *
 * - cdk8s: constructs + `app.synth()` ≤ 1.15× raw `ApiObject`s + `app.synth()`;
 * - pure build + YAML ≤ 1.3× `yaml.stringify` of the same objects (the YAML floor);
 * - Pulumi: components ≤ 1.2× raw `CustomResource`s (plus one component each), under mocks;
 * - analysis ≤ 25% of the library's cdk8s synth time;
 * - growth exponent log(t_large / t_small) / log(large / small) ≤ 1.1 for every line of the
 *   library (the baselines' exponents are printed, marked as baselines: they run no library code;
 *   raw cdk8s grows faster than linearly on its own, see README Performance).
 *
 * Each child runs its lines in phases, each library line in the phase of its baseline, the Pulumi
 * lines last (PHASES in bench/phases.ts).
 *
 * Growth exponents compare the medians of two processes, and this machine's speed drifts by up to
 * 30% over the minutes between them: a run whose 1,000-service process found the machine fast and
 * whose 10,000-service process did not read exponents of 1.14 to 1.25 for lines that read 1.00 to
 * 1.08 in the run before. So the smaller size's process brackets the larger's: it runs the first
 * half of its repetitions (rounded up), waits while the larger size's process runs, then runs the
 * rest, each half after its own warm-up (`--no-bracket`: all at once, before the larger size).
 * Still one process per size, and no statistic changes: the smaller size's median is taken over
 * repetitions from before and after the larger size's, so a drift in either direction over the
 * run moves both sizes alike.
 *
 * Times are CPU seconds (user + system of the child process: on a shared machine the wall clock
 * mostly measures the other processes; the JSON has the wall-clock times too), the median of the
 * repetitions. Ratios are paired: the median of the per-repetition ratios (see pairedRatio). Speed
 * is measured here, never in timed tests.
 *
 * Repetitions: a single run of a line at 1,000 services spreads by ±25% around its median on this
 * 2-core VM, and one repetition's paired ratio of the cdk8s lines ran from 0.84 to 1.68 in one
 * run, so one or three repetitions decide nothing about a 1.15 target; the default counts give a
 * stable median where a run is cheap and fewer where it is not (a Pulumi run at 10,000 services
 * takes 80 to 120 s). The smaller size runs `--reps` (default 61) of the cdk8s, analysis and YAML
 * lines and `--pulumi-reps` (5) of the Pulumi lines; the larger `--large-reps` (5) and
 * `--pulumi-large-reps` (3). 35 to 45 minutes in all on this machine.
 *
 * Options: `--sizes 1000,10000`, `--reps 61`, `--large-reps 5`, `--pulumi-reps 5`,
 * `--pulumi-large-reps 3`, `--no-bracket`, `--scenarios plain,mixed`,
 * `--lines cdk8s-library,cdk8s-raw,...` (a subset of the lines; the table leaves the others out),
 * `--cpu-prof <dir>` (a V8 CPU profile per child), `--json <file>` (the raw results).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildResult, Line, PULUMI_LINES } from './phases';
import { SCENARIOS } from './scenarios';

/** A ratio target: library line over baseline line at most `max`. */
interface RatioTarget {
  readonly label: string;
  readonly line: Line;
  readonly baseline: Line;
  readonly max: number;
}

const RATIOS: readonly RatioTarget[] = [
  { label: 'cdk8s: constructs + synth / raw ApiObjects + synth', line: 'cdk8s-library', baseline: 'cdk8s-raw', max: 1.15 },
  { label: 'pure build + YAML / YAML floor', line: 'build-yaml-library', baseline: 'yaml-floor', max: 1.3 },
  { label: 'Pulumi: components / raw CustomResources', line: 'pulumi-library', baseline: 'pulumi-raw', max: 1.2 },
  { label: 'analysis / cdk8s library synth', line: 'analysis', baseline: 'cdk8s-library', max: 0.25 },
];

const LINE_LABELS: Record<Line, string> = {
  'cdk8s-library': 'cdk8s: library constructs + synth',
  'cdk8s-raw': 'cdk8s: raw ApiObjects + synth',
  'build-yaml-library': 'builders + yaml.stringify',
  'yaml-floor': 'yaml.stringify of prebuilt objects',
  'pulumi-library': 'Pulumi: library components (mocks)',
  'pulumi-raw': 'Pulumi: raw CustomResources + 1 component each (mocks)',
  'analysis': 'analyze() over the synthesized objects',
};

/** The growth exponent target, for every line of the library. */
const MAX_GROWTH = 1.1;

/** The baselines: the lines that run no library code (their growth is printed, not judged). */
const BASELINES: ReadonlySet<Line> = new Set<Line>(['cdk8s-raw', 'yaml-floor', 'pulumi-raw']);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const seconds = (t: number) => (t < 10 ? t.toFixed(2) : t.toFixed(1));
const verdict = (ok: boolean) => (ok ? 'PASS' : '**FAIL**');

/** A child process running one size. */
interface Child {
  /** Resolves when a child started with `pause` has run its first half and waits (at once for the others). */
  readonly paused: Promise<void>;
  /** Lets a paused child run the rest of its repetitions. */
  readonly resume: () => void;
  /** The child's results, once it has exited. */
  readonly done: Promise<ChildResult>;
  /** Ends the child (when the other size failed). */
  readonly stop: () => void;
}

/**
 * Starts one size in its own process. With `pause`, the child runs half of its repetitions, then
 * waits for `resume` (bench/child.ts `--pause`).
 */
function startChild(services: number, reps: number, pulumiReps: number, scenarios: string, lines: string, profileDir: string | undefined, pause: boolean): Child {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-bench-result-')), 'result.json');
  const args = [
    '--expose-gc', '--max-old-space-size=16384',
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    '-r', 'ts-node/register/transpile-only',
    path.join(__dirname, 'child.ts'), String(services), String(reps), String(pulumiReps), scenarios, out, lines,
    ...(pause ? ['--pause'] : []),
  ];
  const times = (n: number) => `${n} repetition${n === 1 ? '' : 's'}`;
  process.stderr.write(`${services} services (${times(reps)}, ${times(pulumiReps)} of the Pulumi lines${pause ? ', in two halves' : ''}) ...\n`);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.dev.json') },
  });
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const failed = (status: number | string) => new Error(`the benchmark of ${services} services failed (exit ${status})`);
  const paused = pause
    ? new Promise<void>((resolve, reject) => {
      child.once('message', (m) => { if (m === 'paused') resolve(); });
      void exited.then((status) => reject(failed(status)), reject);
    })
    : Promise.resolve();
  const done = exited.then((status) => {
    if (status !== 0) throw failed(status);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as ChildResult;
  });
  done.catch(() => undefined); // reported by whoever awaits it; a child that fails while nobody does is not an unhandled rejection
  return { paused, resume: () => { child.send('resume'); }, done, stop: () => { child.kill(); } };
}

/** How many repetitions a child ran: `61`, or `61 (Pulumi lines: 5)` when the Pulumi lines ran a different count. */
export function repetitions(r: ChildResult): string {
  const counts = (pulumi: boolean) => Object.values(r.times).flatMap((byLine) => Object.entries(byLine)
    .filter(([l, ts]) => ts.length > 0 && PULUMI_LINES.has(l as Line) === pulumi).map(([, ts]) => ts.length));
  const [others, pulumi] = [Math.max(0, ...counts(false)), Math.max(0, ...counts(true))];
  if (!pulumi || !others) return String(others || pulumi);
  return others === pulumi ? String(others) : `${others} (Pulumi lines: ${pulumi})`;
}

/**
 * A line over its baseline at one size: the median, over the repetitions, of the line's time over
 * the baseline's time in the same repetition. The machine's speed drifts between repetitions (on
 * this 2-core VM one line's repetitions spread by 20 to 40%); the two lines of a repetition run
 * back to back, so the drift cancels in their ratio, not in the ratio of two medians taken from
 * different repetitions.
 */
export function pairedRatio(times: Record<Line, number[]>, line: Line, baseline: Line): number {
  const a = times[line];
  const b = times[baseline];
  if (a.length !== b.length) throw new Error(`${line} and ${baseline} have ${a.length} and ${b.length} repetitions`);
  return median(a.map((x, i) => x / b[i]));
}

/** The Markdown report of two sizes' results. */
export function report(small: ChildResult, large: ChildResult): { text: string; pass: boolean } {
  const lines: string[] = [];
  let pass = true;
  const growth = Math.log(large.services / small.services);
  const fmt = (n: number) => n.toLocaleString('en-US');
  for (const scenario of Object.keys(small.times)) {
    const description = SCENARIOS.find((s) => s.name === scenario)?.description ?? '';
    const t = (r: ChildResult, l: Line) => median(r.times[scenario][l]);
    lines.push(`**${scenario}**: ${description}`, '');
    lines.push(`| line | ${fmt(small.services)} services (CPU s) | ${fmt(large.services)} services (CPU s) | growth exponent (≤ ${MAX_GROWTH}) |`);
    lines.push('|---|---|---|---|');
    const measured = (l: Line) => small.times[scenario][l].length > 0 && large.times[scenario][l].length > 0;
    for (const l of Object.keys(LINE_LABELS) as Line[]) {
      if (!measured(l)) continue;
      const exponent = Math.log(t(large, l) / t(small, l)) / growth;
      const baseline = BASELINES.has(l);
      const ok = baseline || exponent <= MAX_GROWTH;
      pass &&= ok;
      lines.push(`| ${LINE_LABELS[l]} | ${seconds(t(small, l))} | ${seconds(t(large, l))} | ${exponent.toFixed(2)} ${baseline ? '(baseline)' : verdict(ok)} |`);
    }
    lines.push('');
    lines.push(`| ratio | ${fmt(small.services)} | ${fmt(large.services)} | target | result |`);
    lines.push('|---|---|---|---|---|');
    for (const r of RATIOS) {
      if (!measured(r.line) || !measured(r.baseline)) continue;
      const a = pairedRatio(small.times[scenario], r.line, r.baseline);
      const b = pairedRatio(large.times[scenario], r.line, r.baseline);
      const ok = a <= r.max && b <= r.max;
      pass &&= ok;
      const show = (x: number) => (r.max < 1 ? `${(x * 100).toFixed(0)}%` : `${x.toFixed(2)}×`);
      const both = (x: number, res: ChildResult) => `${show(x)} (${show(t(res, r.line) / t(res, r.baseline))})`;
      lines.push(`| ${r.label} | ${both(a, small)} | ${both(b, large)} | ≤ ${show(r.max)} | ${verdict(ok)} |`);
    }
    lines.push('');
    lines.push('Each ratio is the median of the ratios of the repetitions (in each, the line and its baseline run back to back); in parentheses, the ratio of the two lines\' medians.');
    lines.push('');
  }
  const mb = (r: ChildResult) => `${Math.round(r.maxRssBytes / 2 ** 20).toLocaleString('en-US')} MB`;
  lines.push(`Peak RSS of the process (every line, every scenario): ${mb(small)} at ${fmt(small.services)} services, ${mb(large)} at ${fmt(large.services)}.`);
  const before = (r: ChildResult) => (r.maxRssBytesBeforePulumi === undefined ? undefined : { ...r, maxRssBytes: r.maxRssBytesBeforePulumi });
  const [smallBefore, largeBefore] = [before(small), before(large)];
  if (smallBefore && largeBefore) {
    lines.push(`Before the Pulumi lines (which run last): ${mb(smallBefore)} at ${fmt(small.services)} services, ${mb(largeBefore)} at ${fmt(large.services)}.`);
  }
  lines.push(`Repetitions (median shown): ${repetitions(small)} at ${fmt(small.services)} services, ${repetitions(large)} at ${fmt(large.services)}.`);
  if (small.bracketed) {
    lines.push(`The ${fmt(small.services)}-service process ran the first half of its repetitions before the ${fmt(large.services)}-service process and the rest after it.`);
  }
  return { text: lines.join('\n'), pass };
}

async function main(): Promise<void> {
  const sizes = option('sizes', '1000,10000').split(',').map(Number);
  if (sizes.length !== 2 || sizes.some((n) => !(n > 0))) throw new Error('--sizes takes two service counts, e.g. 1000,10000');
  const scenarios = option('scenarios', SCENARIOS.map((s) => s.name).join(','));
  const profileDir = process.argv.includes('--cpu-prof') ? path.resolve(option('cpu-prof', 'bench-profiles')) : undefined;
  const lines = option('lines', Object.keys(LINE_LABELS).join(','));
  const count = (name: string, fallback: string) => {
    const n = Number(option(name, fallback));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive whole number of repetitions`);
    return n;
  };
  const bracket = !process.argv.includes('--no-bracket');
  // The smaller size's child runs half of its repetitions, waits while the larger size's child
  // runs, then runs the rest: both sizes' medians then come from the same stretch of time.
  const smallChild = startChild(sizes[0], count('reps', '61'), count('pulumi-reps', '5'), scenarios, lines, profileDir, bracket);
  let large: ChildResult;
  try {
    await smallChild.paused;
    large = await startChild(sizes[1], count('large-reps', '5'), count('pulumi-large-reps', '3'), scenarios, lines, profileDir, false).done;
  } catch (e) {
    smallChild.stop();
    throw e;
  }
  smallChild.resume();
  const small = await smallChild.done;
  const json = option('json', '');
  if (json) fs.writeFileSync(json, JSON.stringify({ small, large }, null, 2));
  const { text, pass } = report(small, large);
  console.log(`\n${text}\n`);
  console.log(pass ? 'Every target met.' : 'Some targets are not met (FAIL above).');
  process.exitCode = pass ? 0 : 1;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
