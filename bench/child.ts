/**
 * One size of `npm run bench`, in its own process (started by bench/run.ts): runs the lines in
 * phases (see PHASES in bench/phases.ts), each library line in the phase of its baseline; per phase, warms its lines
 * up on a small program, checks that the library and raw cdk8s synths write the same objects, then
 * times every line of the phase for every scenario, `reps` times (`pulumiReps` times for the Pulumi
 * phase). Writes the times (seconds) and the process's peak RSS as JSON to the output file.
 *
 * Usage: `child.ts <services> <reps> <pulumiReps> <scenarios,comma-separated> <output.json> [lines,comma-separated] [--pause]`
 * (every line when the lines are absent).
 *
 * With `--pause` (started by bench/run.ts with an IPC channel), the child runs its phases twice:
 * first with the first half of every phase's repetitions (rounded up), then it sends `paused` to
 * its parent and waits for `resume`, then runs the phases again with the rest. The parent runs the
 * other size while this one waits, so the repetitions of this size come from before and after the
 * other size's, in one process (see bench/run.ts on growth exponents).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { isDeepStrictEqual } from 'util';
import { parseAllDocuments } from 'yaml';
import {
  allManifests, analysis, buildAndYaml, buildProgram, cdk8sLibrary, cdk8sRaw, pulumiLibrary, pulumiRaw, readSynth, resourceCount, yamlFloor,
} from './lines';
import { ChildResult, LINES, Line, PHASES, PULUMI_LINES, hasPulumiLine, segmentReps } from './phases';
import { SCENARIOS, Scenario } from './scenarios';

// ts-node maps every stack trace through the source maps, and Pulumi captures one per promise:
// both Pulumi lines would mostly measure that. Stack traces stay unmapped in this process.
(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

const exposedGc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;

/**
 * Empties the young generation before a line, so that no line pays for the short-lived garbage of
 * the one before it. Not a full `gc()`: V8's forced full collection also throws away the optimised
 * code and inline-cache state of whatever ran before it (`--trace-deopt` shows about 250 functions
 * deoptimised, reason "weak objects", after each one; `analyze()` called in a loop runs 2.5 to 3
 * times slower with a `gc()` before each call, its input alive throughout), so every line ran
 * half-warm and the concurrent compiler's work of re-optimising it was counted in its CPU time.
 * That penalised each line by how much JavaScript it runs, not by what it does; no real synth
 * does a forced collection.
 */
const collectYoung = () => exposedGc?.({ type: 'minor' });

/** The lines of each phase, in LINES order, among `only` (an empty phase is left out). */
function phases(only: ReadonlySet<Line>): Line[][] {
  return PHASES.map((phase) => LINES.filter((l) => phase.includes(l) && only.has(l))).filter((phase) => phase.length > 0);
}

/**
 * Before a Pulumi line: a full collection, so that neither Pulumi line runs on the other's garbage.
 * The re-optimisation a forced collection causes (see collectYoung) is negligible next to a Pulumi
 * line's 7 s or more at 1,000 services.
 */
const collectBefore = (line: Line) => (PULUMI_LINES.has(line) ? exposedGc?.() : collectYoung());

/**
 * Warm-up rounds on a small program before measuring, by phase: V8 reaches its steady state after
 * a few. The library's cdk8s line runs much more JavaScript than the raw line (props checks,
 * builders, admission, the analysis) and takes longer to get there: with 3 rounds, its first six
 * timed repetitions at 1,000 services (mixed) ran 1.31 to 1.70 times the raw line, the nine after
 * them 1.07 to 1.36; with 12 rounds, 0.95 to 1.26 from the second repetition on. The rounds on
 * 200 services cost little except for the Pulumi lines (about 2 s each), which are long enough for
 * 3. Then one round at the measured size (see main),
 * and the timed repetitions run the lines in declaration order and in reverse order in turn, so
 * that no line systematically follows (and collects the old garbage of) the same other line.
 */
const warmUpRounds = (phase: readonly Line[]) => (hasPulumiLine(phase) ? 3 : 12);

/** Wall-clock seconds of every timed run, by line (reported in the JSON, not in the table). */
const wall: Partial<Record<Line, number[]>> = {};

/**
 * Runs one line and returns its CPU time in seconds (user + system of this process, so GC threads
 * count): on a shared machine the wall clock mostly measures the other processes.
 */
async function time(line: Line, fn: () => unknown): Promise<number> {
  collectBefore(line);
  const start = performance.now();
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  (wall[line] ??= []).push((performance.now() - start) / 1000);
  return (used.user + used.system) / 1e6;
}

/**
 * Runs every line once on `services` services; returns the seconds per line. A baseline's input
 * (the objects the builders return, built before its clock starts) is made just before that line
 * and dropped after it: no line runs with another line's input alive, which every major GC of
 * that line would otherwise have to mark (at 10,000 services, a few hundred MB).
 */
async function runLines(scenario: Scenario, services: number, tmp: string, only: ReadonlySet<Line>, reversed = false): Promise<Partial<Record<Line, number>>> {
  const program = scenario.program(services);
  const expected = only.has('pulumi-library') || only.has('pulumi-raw') ? resourceCount(buildProgram(program)) : 0;
  const libDir = path.join(tmp, `${scenario.name}-library`);
  const rawDir = path.join(tmp, `${scenario.name}-raw`);
  /** Per line: prepares its input (untimed), returns the timed run. */
  const lines: Record<Line, () => () => unknown> = {
    'cdk8s-library': () => () => cdk8sLibrary(program, libDir),
    'cdk8s-raw': () => { const built = buildProgram(program); return () => cdk8sRaw(built, rawDir); },
    'build-yaml-library': () => () => buildAndYaml(program),
    'yaml-floor': () => { const built = buildProgram(program); return () => yamlFloor(built); },
    'pulumi-library': () => () => pulumiLibrary(program, expected),
    'pulumi-raw': () => { const built = buildProgram(program); return () => pulumiRaw(built, expected); },
    'analysis': () => { const manifests = allManifests(buildProgram(program)); return () => analysis(manifests); },
  };
  const out: Partial<Record<Line, number>> = {};
  for (const l of reversed ? [...LINES].reverse() : LINES) if (only.has(l)) out[l] = await time(l, lines[l]());
  return out;
}

/** Fails when the library's and the raw synth's files do not hold the same objects. */
function assertSameSynth(scenario: Scenario, tmp: string): void {
  const lib = readSynth(path.join(tmp, `${scenario.name}-library`));
  const raw = readSynth(path.join(tmp, `${scenario.name}-raw`));
  const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
  if (!isDeepStrictEqual(Object.keys(lib), Object.keys(raw))) throw new Error(`${scenario.name}: the library and raw synths wrote different files`);
  for (const f of Object.keys(lib)) {
    if (!isDeepStrictEqual(docs(lib[f]), docs(raw[f]))) throw new Error(`${scenario.name}: ${f} differs between the library and the raw synth`);
  }
}

/** Tells the parent this child is paused, and resolves when the parent says `resume`. */
function pause(): Promise<void> {
  if (!process.send) throw new Error('--pause needs an IPC channel to the parent (bench/run.ts starts the child with one)');
  return new Promise((resolve) => {
    process.once('message', (m) => { if (m === 'resume') resolve(); });
    process.send!('paused');
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const segments: 1 | 2 = args.includes('--pause') ? 2 : 1;
  const [servicesArg, repsArg, pulumiRepsArg, scenariosArg, outFile, linesArg] = args.filter((a) => a !== '--pause');
  const only = new Set<Line>(linesArg ? (linesArg.split(',') as Line[]) : LINES);
  const services = Number(servicesArg);
  const repsOf = (phase: readonly Line[]) => Number(hasPulumiLine(phase) ? pulumiRepsArg : repsArg);
  const scenarios = SCENARIOS.filter((s) => scenariosArg.split(',').includes(s.name));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-bench-'));
  let warnings = 0;
  let timedWarnings = 0;
  const warn = console.warn;
  console.warn = () => { warnings++; };
  try {
    const times: ChildResult['times'] = Object.fromEntries(scenarios.map((s) => [s.name, Object.fromEntries(LINES.map((l) => [l, [] as number[]]))])) as ChildResult['times'];
    let maxRssBytesBeforePulumi: number | undefined;
    let phasesRun = 0;
    for (let segment = 0; segment < segments; segment++) {
      if (segment > 0) await pause();
      for (const phase of phases(only)) {
        const lines = new Set(phase);
        const reps = segmentReps(repsOf(phase), segments)[segment];
        if (reps === 0) continue;
        if (phasesRun > 0 && hasPulumiLine(phase) && maxRssBytesBeforePulumi === undefined) maxRssBytesBeforePulumi = process.resourceUsage().maxRSS * 1024;
        // The earlier phases' garbage goes now, not during this phase's first lines.
        if (phasesRun > 0) exposedGc?.();
        phasesRun++;
        // Warm up (schemas compiled, code paths JIT-compiled) and check the baselines hold the same objects.
        const timedWall = new Map(phase.map((l) => [l, wall[l]?.length ?? 0]));
        for (const s of scenarios) {
          for (let round = 0; round < warmUpRounds(phase); round++) await runLines(s, Math.min(200, services), tmp, lines);
          if (lines.has('cdk8s-library') && lines.has('cdk8s-raw')) assertSameSynth(s, tmp);
          // One untimed round at the measured size: the heap grows to the program's working size here,
          // not in the first timed repetitions (which otherwise ran up to 1.5 times slower than the
          // rest, the lines that allocate most the slowest).
          if (services > 200) await runLines(s, services, tmp, lines);
        }
        warnings = 0;
        for (const l of phase) if (wall[l]) wall[l]!.length = timedWall.get(l)!; // the warm-up's runs are not reported
        for (const s of scenarios) {
          for (let r = 0; r < reps; r++) {
            const t = await runLines(s, services, tmp, lines, r % 2 === 1);
            for (const l of phase) times[s.name][l].push(t[l]!);
            process.stderr.write(`  ${services} services, ${s.name}, rep ${times[s.name][phase[0]].length}/${repsOf(phase)}: ${phase.map((l) => `${l} ${t[l]!.toFixed(2)}s`).join(', ')}\n`);
          }
        }
        timedWarnings += warnings;
      }
    }
    const result: ChildResult = {
      services, times, wall, maxRssBytes: process.resourceUsage().maxRSS * 1024, maxRssBytesBeforePulumi, warnings: timedWarnings,
      ...(segments === 2 ? { bracketed: true } : {}),
    };
    fs.writeFileSync(outFile, JSON.stringify(result));
  } finally {
    console.warn = warn;
    fs.rmSync(tmp, { recursive: true, force: true });
    if (process.connected) process.disconnect();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
