/**
 * Helpers for the packaging test and `npm run footprint`: pack the package as `npm pack` publishes
 * it, and install the tarball into scratch projects outside the repository.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** The outcome of a command; never thrown, so a test can show stdout and stderr on failure. */
export interface RunResult {
  /** The command line, for messages. */
  readonly command: string;
  /** Exit code; -1 when the process could not start or was killed. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for child processes: the caller's, without what `npm test` adds for its own
 * package (npm_package_*, npm_lifecycle_*, npm_config_local_prefix would point npm at this repo).
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(k) || /^npm_config_local_prefix$/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  env.CDK8S_CHECK_UPGRADE = 'false';
  env.NO_UPDATE_NOTIFIER = '1';
  return env;
}

/** Runs a command to completion and resolves with its exit code and output. */
export function run(cmd: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<RunResult> {
  const command = [cmd, ...args].join(' ');
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); resolve({ command, code: -1, stdout, stderr: stderr + String(e) }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ command, code: code ?? -1, stdout, stderr }); });
  });
}

/** Throws with the command's output unless it exited with 0. */
export function check(result: RunResult): RunResult {
  if (result.code !== 0) {
    throw new Error(`\`${result.command}\` exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

/** A new empty directory under os.tmpdir(). */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `istio-constructs-${prefix}-`));
}

/**
 * Packs the repository with `npm pack` into `dest` (its `prepack` script compiles a clean lib/)
 * and returns the tarball's path.
 */
export async function pack(dest: string): Promise<string> {
  const before = new Set(fs.readdirSync(dest));
  check(await run('npm', ['pack', '--pack-destination', dest, '--no-fund', '--no-audit'], ROOT, 600_000));
  const tarballs = fs.readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
  if (tarballs.length !== 1) throw new Error(`npm pack made ${tarballs.length} tarballs in ${dest}`);
  return path.join(dest, tarballs[0]);
}

/** `name@version` of a package at the version this repository's lockfile pins. */
export function lockedSpec(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry?.version) throw new Error(`${name} is not in package-lock.json`);
  return `${name}@${entry.version}`;
}

/**
 * Creates a project in `dir` (a package.json with the given extra fields) and installs `specs`
 * with npm, from the local cache where possible, without install scripts.
 */
export async function installProject(dir: string, specs: readonly string[], packageJson: Record<string, unknown> = {}): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir).toLowerCase(), version: '1.0.0', private: true, ...packageJson }, null, 2));
  check(await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], dir, 600_000));
}

/** Total size in bytes of the files under `p` (apparent size, symlinks not followed). */
export function sizeOf(p: string): number {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of fs.readdirSync(p)) total += sizeOf(path.join(p, e));
  return total;
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out.sort();
}
