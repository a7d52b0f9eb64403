/**
 * Profiles one benchmark line: warms every line up on a small program, then runs the chosen line
 * once under the V8 profiler (`inspector`), and prints where the CPU time went: self time per
 * source file and the functions with the most inclusive time (each counted once per stack).
 *
 * Usage: `ts-node --project tsconfig.dev.json bench/profile.ts <line> <scenario> <services> [profile.cpuprofile]`
 * (lines as in bench/child.ts: cdk8s-library, cdk8s-raw, build-yaml-library, yaml-floor,
 * pulumi-library, pulumi-raw, analysis). The optional file keeps the profile for Chrome DevTools.
 */
import * as fs from 'fs';
import { Session } from 'inspector';
import * as os from 'os';
import * as path from 'path';
import {
  allManifests, analysis, buildAndYaml, buildProgram, cdk8sLibrary, cdk8sRaw, pulumiLibrary, pulumiRaw, resourceCount, yamlFloor,
} from './lines';
import { SCENARIOS } from './scenarios';

(Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res as T))));
}

/** Where a frame's code lives: `node_modules/<package>`, a repo-relative path, or a V8 category. */
function fileOf(url: string): string {
  if (!url) return '(native / V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `node_modules/${nm[1]}`;
  const root = path.resolve(__dirname, '..');
  return url.replace(/^file:\/\//, '').replace(`${root}/`, '');
}

/** Prints self time per file and the top inclusive functions (with their file) of a profile. */
export function summarize(profile: Profile, top = 150): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((s, i) => self.set(s, (self.get(s) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const file = n.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : fileOf(n.callFrame.url);
    byFile.set(file, (byFile.get(file) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url) continue;
      const key = `${f.functionName || '(anonymous)'} ${fileOf(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${(t / 1000).toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%`;
  const lines = [`total ${(total / 1000).toFixed(0)} ms sampled`, '', 'self time by file:'];
  for (const [f, t] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) lines.push(`${pct(t)}  ${f}`);
  lines.push('', 'inclusive time by function:');
  for (const [f, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(t)}  ${f}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const [line, scenarioName, servicesArg, keep] = process.argv.slice(2);
  const scenario = SCENARIOS.find((s) => s.name === scenarioName);
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}: use ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-profile-'));
  console.warn = () => undefined;
  const run = async (services: number) => {
    const program = scenario.program(services);
    const built = buildProgram(program);
    const manifests = allManifests(built);
    const lines: Record<string, () => unknown> = {
      'cdk8s-library': () => cdk8sLibrary(program, path.join(tmp, 'library')),
      'cdk8s-raw': () => cdk8sRaw(built, path.join(tmp, 'raw')),
      'build-yaml-library': () => buildAndYaml(program),
      'yaml-floor': () => yamlFloor(built),
      'pulumi-library': () => pulumiLibrary(program, resourceCount(built)),
      'pulumi-raw': () => pulumiRaw(built, resourceCount(built)),
      'analysis': () => analysis(manifests),
    };
    if (!lines[line]) throw new Error(`unknown line ${line}: use ${Object.keys(lines).join(', ')}`);
    return lines[line];
  };
  await (await run(Math.min(200, Number(servicesArg))))();
  const measured = await run(Number(servicesArg));
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
  await measured();
  const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
  session.disconnect();
  if (keep) fs.writeFileSync(keep, JSON.stringify(profile));
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(summarize(profile));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
