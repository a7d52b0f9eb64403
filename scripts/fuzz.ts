/**
 * The fuzzer: runs every public builder (and the value-type factories) on generated props, half
 * valid-looking and half hostile, and checks the invariant of test/arbitraries/invariant.ts: each
 * prop set is refused with an IstioConstructError (with a short message) or gives objects the full
 * validator admits, the same on every build.
 *
 *   npx ts-node --project tsconfig.dev.json scripts/fuzz.ts [--runs 10000] [--seed N] [--builder Name[,Name]]
 *       [--examples 3] [--shrink-seconds 20] [--jobs N] [--json file]
 *   npx ts-node --project tsconfig.dev.json scripts/fuzz.ts --builder Name --seed N --path P   # replay one counterexample
 *
 * Prints per builder: runs, accepted, refused (by code), non-library exceptions, invalid outputs,
 * long messages, and for each failure kind the first few shrunk counterexamples with their seed
 * and path; then `fuzz: N prop sets, X non-library exceptions, Y invalid outputs`. Exits 1 when
 * any prop set broke the invariant (long messages included), 2 on bad arguments.
 *
 * Targets run in parallel worker processes (`--jobs`, default: the number of CPUs).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FUZZ_TARGETS, TargetReport, fuzz, replay } from '../test/arbitraries';

interface Args {
  runs: number;
  seed: number;
  builders: string[];
  examples: number;
  shrinkSeconds: number;
  jobs: number;
  path?: string;
  json?: string;
  worker: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    runs: 10_000, seed: Date.now() % 2_147_483_647, builders: FUZZ_TARGETS.map((t) => t.name), examples: 3, shrinkSeconds: 20,
    jobs: Math.max(1, os.cpus().length), worker: false,
  };
  const usage = (why: string): never => {
    process.stderr.write(`fuzz: ${why}\nusage: scripts/fuzz.ts [--runs N] [--seed N] [--builder ${FUZZ_TARGETS.map((t) => t.name).join('|')}[,...]] [--examples N] [--shrink-seconds N] [--jobs N] [--json file] [--path P]\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i] ?? usage(`${flag} needs a value`);
    const num = () => { const n = Number(value()); if (!Number.isInteger(n) || n < 0) usage(`${flag} needs a whole number`); return n; };
    switch (flag) {
      case '--runs': a.runs = num(); break;
      case '--seed': a.seed = Number(value()); if (!Number.isInteger(a.seed)) usage('--seed needs an integer'); break;
      case '--builder': case '--builders': a.builders = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--examples': a.examples = num(); break;
      case '--shrink-seconds': a.shrinkSeconds = num(); break;
      case '--jobs': a.jobs = Math.max(1, num()); break;
      case '--path': a.path = value(); break;
      case '--json': a.json = value(); break;
      case '--worker': a.worker = true; break;
      default: usage(`unknown argument ${flag}`);
    }
  }
  for (const b of a.builders) if (!FUZZ_TARGETS.some((t) => t.name === b)) usage(`unknown builder ${b}`);
  return a;
}

function targetOf(name: string) {
  return FUZZ_TARGETS.find((t) => t.name === name)!;
}

/** Fuzzes one target in this process. */
function runOne(name: string, a: Args): TargetReport {
  return fuzz(targetOf(name), { runs: a.runs, seed: a.seed, examplesPerKind: a.examples, shrinkMillis: a.shrinkSeconds * 1000 });
}

/** Fuzzes one target in a child process (ts-node, transpile only), which prints its report as JSON. */
function runInWorker(name: string, a: Args): Promise<TargetReport> {
  const args = [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--project', path.join(__dirname, '..', 'tsconfig.dev.json'), __filename, '--worker',
    '--builder', name, '--runs', String(a.runs), '--seed', String(a.seed), '--examples', String(a.examples), '--shrink-seconds', String(a.shrinkSeconds)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"report":'));
      if (!line) return reject(new Error(`the ${name} worker exited with ${code} without a report:\n${out.slice(-2000)}`));
      resolve(JSON.parse(line).report);
    });
  });
}

async function runAll(a: Args): Promise<TargetReport[]> {
  if (a.jobs <= 1 || a.builders.length === 1) return a.builders.map((b) => { const r = runOne(b, a); print(r); return r; });
  const queue = [...a.builders];
  const reports: Record<string, TargetReport> = {};
  const lane = async () => {
    for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
      reports[b] = await runInWorker(b, a);
      print(reports[b]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(a.jobs, a.builders.length) }, lane));
  return a.builders.map((b) => reports[b]);
}

function print(r: TargetReport): void {
  const codes = Object.entries(r.refusedByCode).sort((x, y) => y[1] - x[1]).map(([c, n]) => `${c} ${n}`).join(', ');
  const lines = [
    `\n== ${r.name}: ${r.runs} runs in ${r.seconds.toFixed(1)}s: ${r.accepted} accepted, ${r.refused} refused with IstioConstructError, `
      + `${r.failures['non-library exception']} non-library exceptions, ${r.failures['invalid output']} invalid outputs, ${r.failures['long message']} long messages`,
    `   refused by code: ${codes || 'none'}`,
  ];
  if (r.signatures.length) {
    lines.push('   failure signatures:');
    for (const s of r.signatures.slice(0, 15)) lines.push(`     ${String(s.count).padStart(6)}  ${s.kind}: ${s.signature}`);
    if (r.signatures.length > 15) lines.push(`     ... ${r.signatures.length - 15} more`);
  }
  for (const c of r.counterexamples) {
    lines.push(`   -- ${c.kind} (${c.count}x): ${c.signature}`,
      `      replay: npx ts-node --project tsconfig.dev.json scripts/fuzz.ts --builder ${r.name} --seed ${c.seed} --path "${c.path}"   (${c.shrinks} shrinks)`,
      `      props: ${c.recipe}`,
      ...c.detail.split('\n').map((l) => `      ${l}`));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.path !== undefined) {
    if (a.builders.length !== 1) { process.stderr.write('fuzz: --path replays one builder: give --builder too\n'); process.exit(2); }
    process.stdout.write(replay(targetOf(a.builders[0]), a.seed, a.path) + '\n');
    return;
  }
  if (a.worker) {
    const r = runOne(a.builders[0], a);
    process.stdout.write(JSON.stringify({ report: r }) + '\n');
    return;
  }
  process.stdout.write(`fuzz: ${a.runs} prop sets per target (half valid-looking, half hostile), seed ${a.seed}, targets ${a.builders.join(', ')}\n`);
  const reports = await runAll(a);
  const total = reports.reduce((s, r) => s + r.runs, 0);
  const x = reports.reduce((s, r) => s + r.failures['non-library exception'], 0);
  const y = reports.reduce((s, r) => s + r.failures['invalid output'], 0);
  const z = reports.reduce((s, r) => s + r.failures['long message'], 0);
  const accepted = reports.reduce((s, r) => s + r.accepted, 0);
  if (a.json) fs.writeFileSync(a.json, JSON.stringify({ seed: a.seed, runs: a.runs, reports }, null, 2));
  process.stdout.write(`\nfuzz: ${accepted} accepted, ${z} error messages over 400 characters\n`);
  process.stdout.write(`fuzz: ${total} prop sets, ${x} non-library exceptions, ${y} invalid outputs\n`);
  process.exitCode = x + y + z > 0 ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`fuzz: ${e?.stack ?? e}\n`);
  process.exit(2);
});
