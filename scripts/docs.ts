/**
 * `npm run docs` (also run by the build): generates API.md from the source with TypeDoc and
 * typedoc-plugin-markdown, one section per entry point (core, cdk8s, pulumi), in one file.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.api-docs');
fs.rmSync(OUT, { recursive: true, force: true });
execFileSync(path.join(ROOT, 'node_modules', '.bin', 'typedoc'), [
  '--plugin', 'typedoc-plugin-markdown',
  '--tsconfig', 'tsconfig.json',
  '--entryPoints', 'src/index.ts', 'src/cdk8s/index.ts', 'src/pulumi/index.ts',
  '--entryPointStrategy', 'resolve',
  '--router', 'module',
  '--readme', 'none',
  '--excludeInternal', '--excludePrivate', '--excludeProtected',
  '--disableSources', '--hidePageHeader', '--hideBreadcrumbs', '--hidePageTitle',
  '--useCodeBlocks', '--parametersFormat', 'table', '--indexFormat', 'table',
  '--sort', 'source-order',
  '--logLevel', 'Error',
  '--out', OUT,
], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

const files: string[] = [];
const walk = (dir: string) => {
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) walk(p);
    else if (f.endsWith('.md')) files.push(p);
  }
};
walk(OUT);
const order = (f: string) => (f.endsWith(`${path.sep}README.md`) ? 0 : f.includes('cdk8s') ? 2 : f.includes('pulumi') ? 3 : 1);
files.sort((a, b) => order(a) - order(b) || a.localeCompare(b));

const body = files.map((f) => {
  const rel = path.relative(OUT, f).replace(/\\/g, '/');
  const text = fs.readFileSync(f, 'utf8')
    // links between the generated pages become in-page anchors
    .replace(/\]\((?:\.\.\/)*[^)#]*\.md#([^)]+)\)/g, '](#$1)')
    .replace(/\]\((?:\.\.\/)*[^)#]*\.md\)/g, '](#)');
  return `<!-- ${rel} -->\n${text.trim()}\n`;
}).join('\n');
fs.writeFileSync(path.join(ROOT, 'API.md'),
  '# API reference\n\nGenerated from the source by `npm run docs` (TypeDoc); do not edit by hand.\n\n' + body);
fs.rmSync(OUT, { recursive: true, force: true });
console.log(`API.md: ${files.length} pages from src/index.ts, src/cdk8s/index.ts, src/pulumi/index.ts`);
