/**
 * `npm run synth [-- module.ts...]`: synthesizes every cdk8s example, and every extra module named
 * on the command line (one exporting `name` and `build(app)`), into dist/<name>/ (one YAML file per
 * stage chart, every YAML-ambiguous string quoted: see src/cdk8s/yaml.ts). `app.synth()` runs the
 * App-level validation once (admission checks and the whole-program analysis, src/cdk8s/app-checks.ts);
 * an example it fails is reported with its diagnostics and the others go on. Every written object is
 * then validated against the Istio CRD schemas and the Kubernetes schemas (an object of a kind a
 * rendered chart declares, such as the Kiali operator's `Kiali`, against that CRD's schema). Prints the objects by kind
 * per example, and exits non-zero if any example failed. Beside each example's YAML it writes the
 * traffic graph of every file (<file>.traffic.mmd, <file>.traffic.svg, traffic.md: src/cli/graph-files.ts).
 * `SYNTH_EXAMPLES=a,b` synthesizes only the examples named.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { toUnambiguousYaml } from '../src/cdk8s/yaml';
import { examples } from '../examples';
import { Manifest } from '../src';
import { validateWithDeclaredCrds } from '../examples/installation/validate';
import { writeTrafficGraphs } from '../src/cli/graph-files';

const DIST = process.env.SYNTH_OUTDIR ?? path.resolve(__dirname, '..', 'dist'); // SYNTH_OUTDIR: tests write elsewhere
let failed = 0;
const graphDirs: Array<[dir: string, name: string]> = [];
const extra = process.argv.slice(2).map((file) => {
  const mod = require(path.resolve(file)) as { name: string; build: (app: App) => void };
  return { name: mod.name, cdk8s: mod.build };
});

// SYNTH_EXAMPLES=<name,name>: only those examples (tests that need the pipeline, not every render).
const only = process.env.SYNTH_EXAMPLES?.split(',').filter(Boolean);
for (const example of [...examples.filter((e) => !only || only.includes(e.name)), ...extra]) {
  const outdir = path.join(DIST, example.name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  try {
    example.cdk8s(app);
    app.synth();
  } catch (e) {
    console.log(`FAILED  ${example.name}:\n${String((e as Error).message ?? e).replace(/^/gm, '  ')}`);
    failed++;
    continue;
  }

  const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort();
  const byKind = new Map<string, number>();
  const problems: string[] = [];
  for (const file of files) {
    // cdk8s writes YAML 1.1 and leaves YAML 1.2/Go numbers such as 0o674 plain: read its file as
    // YAML 1.1 (as written) and rewrite it with every ambiguous string quoted (see src/cdk8s/yaml.ts).
    const written = parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8'), { version: '1.1' }).map((d) => d.toJS());
    fs.writeFileSync(path.join(outdir, file), toUnambiguousYaml(written));
    // Validate what a YAML 1.2 reader gets from the rewritten file.
    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8'));
    const manifests = docs.map((d) => d.toJS() as Manifest).filter(Boolean);
    for (const m of manifests) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
    for (const issue of validateWithDeclaredCrds(manifests)) {
      problems.push(`  ${file}: ${issue.object} ${issue.field || '/'}: ${issue.message}`);
    }
  }
  const kinds = [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}`).join(', ');
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  console.log(`${problems.length ? 'INVALID' : 'ok     '} ${example.name}: ${files.length} file(s), ${total} objects (${kinds})`);
  for (const p of problems) console.log(p);
  if (problems.length) failed++;
  graphDirs.push([outdir, example.name]);
}

void (async () => {
  for (const [dir, name] of graphDirs) await writeTrafficGraphs(dir, name);
  console.log(failed ? `\n${failed} example(s) failed` : `\nall ${examples.length + extra.length} examples synthesized to dist/ and valid`);
  process.exit(failed ? 1 : 0);
})();
