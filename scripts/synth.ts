/**
 * `npm run synth`: synthesizes every cdk8s example into dist/<example>/ (one YAML file per stage
 * chart, every YAML-ambiguous string quoted: see src/cdk8s/yaml.ts), validates every object against the
 * Istio CRD schemas and the Kubernetes schemas, prints the objects by kind per example, and exits
 * non-zero on any invalid object.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { toUnambiguousYaml } from '../src/cdk8s/yaml';
import { examples } from '../examples';
import { Manifest, findMtlsConflicts, validateManifests } from '../src';

const DIST = path.resolve(__dirname, '..', 'dist');
let failed = 0;

for (const example of examples) {
  const outdir = path.join(DIST, example.name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  example.cdk8s(app);
  app.synth();

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
    for (const issue of validateManifests(manifests)) {
      problems.push(`  ${file}: ${issue.object} ${issue.field || '/'}: ${issue.message}`);
    }
    for (const d of findMtlsConflicts(manifests)) problems.push(`  ${file}: ${d.object}: ${d.message} (${d.code})`);
  }
  const kinds = [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${n} ${k}`).join(', ');
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  console.log(`${problems.length ? 'INVALID' : 'ok     '} ${example.name}: ${files.length} file(s), ${total} objects (${kinds})`);
  for (const p of problems) console.log(p);
  if (problems.length) failed++;
}

console.log(failed ? `\n${failed} example(s) have invalid objects` : `\nall ${examples.length} examples synthesized to dist/ and valid`);
process.exit(failed ? 1 : 0);
