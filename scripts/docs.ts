/**
 * `npm run docs` (run by the build after compiling): generates API.md from the source with
 * TypeDoc and typedoc-plugin-markdown, in one file with one section per entry point:
 *
 * - `istio-constructs` (src/index.ts): the engine-agnostic core,
 * - `istio-constructs/cdk8s` (src/cdk8s/index.ts): the cdk8s constructs,
 * - `istio-constructs/pulumi` (src/pulumi/index.ts): the Pulumi components,
 * - `istio-constructs/policy` (src/policy/index.ts): the Pulumi CrossGuard policy pack.
 *
 * TypeDoc writes one page per entry point, with a `{#anchor}` after every heading a link may
 * target. This script joins the pages, moves each heading one level down under its section, and
 * rewrites every link to the anchor GitHub gives that heading in the joined file (duplicates get
 * `-1`, `-2`, ... in document order), so every in-document link lands on the heading TypeDoc
 * meant. The cdk8s and Pulumi sections do not repeat the core's re-exported symbols; their links
 * point into the core section. A link that cannot be resolved fails the script. The output only
 * depends on the source: no dates, no absolute paths.
 *
 * The type check is not repeated here (`--skipErrorChecking`): `compile` has run before.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Slugger, headingText } from './anchors';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.api-docs');

/** The entry points, in the order of API.md, with the page TypeDoc writes for each. */
const SECTIONS = [
  { page: 'index.md', title: 'Core: `istio-constructs`', reexportsCore: false },
  { page: 'cdk8s.md', title: 'cdk8s: `istio-constructs/cdk8s`', reexportsCore: true },
  { page: 'pulumi.md', title: 'Pulumi: `istio-constructs/pulumi`', reexportsCore: true },
  { page: 'policy.md', title: 'Policy pack: `istio-constructs/policy`', reexportsCore: false },
] as const;

fs.rmSync(OUT, { recursive: true, force: true });
execFileSync(process.execPath, [
  path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'),
  '--plugin', 'typedoc-plugin-markdown',
  '--plugin', './scripts/typedoc-plugin.mjs',
  '--tsconfig', 'tsconfig.json',
  '--entryPoints', 'src/index.ts', 'src/cdk8s/index.ts', 'src/pulumi/index.ts', 'src/policy/index.ts',
  '--entryPointStrategy', 'resolve',
  '--router', 'module',
  '--readme', 'none',
  '--excludeInternal', '--excludePrivate', '--excludeProtected',
  '--disableSources', '--hidePageHeader', '--hideBreadcrumbs', '--hidePageTitle',
  '--useCodeBlocks', '--parametersFormat', 'table', '--indexFormat', 'table',
  '--useCustomAnchors', '--customAnchorsFormat', 'curlyBrace',
  '--sort', 'source-order',
  '--skipErrorChecking',
  '--logLevel', 'Error',
  '--out', OUT,
], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

const written = fs.readdirSync(OUT).filter((f) => f.endsWith('.md')).sort();
const expected = ['README.md', ...SECTIONS.map((s) => s.page)].sort();
if (written.join() !== expected.join()) {
  throw new Error(`docs: TypeDoc wrote ${written.join(', ')}; expected ${expected.join(', ')} (one page per entry point)`);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^(#{1,6}) (.*?)(?: \{#([^}]+)\})?$/;
const LINK = /\]\(([^()\s]*)\)/g;
const TABLE_ANCHOR = /<a id="([^"]+)"><\/a>\s*/g;

/** `page#anchor` (TypeDoc's) → the anchor in API.md; or → another TypeDoc target, for re-exports. */
const anchors = new Map<string, string>();
const aliases = new Map<string, string>();
const slugger = new Slugger();
const out: string[] = [];
/** Adds a heading line and returns its anchor. */
const head = (level: number, source: string): string => {
  out.push(`${'#'.repeat(level)} ${source}`);
  return slugger.next(source);
};

/** Splits a page into lines, marking the ones inside fenced code. */
const linesOf = (text: string): { line: string; code: boolean }[] => {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
      return { line, code: true };
    }
    if (f) fence = f[1];
    return { line, code: !!f };
  });
};

head(1, 'API reference');
out.push('', 'Generated from the source by `npm run docs` (TypeDoc); do not edit by hand. One section per entry point:', '');
const sectionAnchors = new Map<string, string>();
{
  // The section anchors are the first headings after the title, so they take their plain slugs.
  const probe = new Slugger();
  probe.next('API reference');
  for (const s of SECTIONS) sectionAnchors.set(s.page, probe.next(s.title));
}
for (const s of SECTIONS) {
  const intro = fs.readFileSync(path.join(OUT, s.page), 'utf8').split('\n\n')[0].replace(/\s*\n\s*/g, ' ').trim();
  out.push(`- [${s.title.split(':')[1].trim()}](#${sectionAnchors.get(s.page)}): ${intro.replace(/^istio-constructs(\/\w+)?: /, '')}`);
}
out.push('');

for (const s of SECTIONS) {
  const lines = linesOf(fs.readFileSync(path.join(OUT, s.page), 'utf8'));
  out.push('');
  const sectionAnchor = head(2, s.title);
  out.push('');
  if (sectionAnchor !== sectionAnchors.get(s.page)) throw new Error(`docs: section "${s.title}" got anchor ${sectionAnchor}`);
  anchors.set(s.page, sectionAnchor);
  let owner = sectionAnchor;
  let dropping = false;
  let droppedAnchor: string | undefined;
  let introDone = false;
  for (const { line, code } of lines) {
    const h = code ? undefined : HEADING.exec(line);
    if (h && h[1].length === 2) dropping = s.reexportsCore && h[2] === 'References';
    if (dropping) {
      // "### X {#x}" then "Re-exports [X](index.md#x)": the core's symbol, documented there.
      if (h?.[3]) droppedAnchor = h[3];
      const reexport = /^Re-exports \[[^\]]*\]\(([^)]+)\)$/.exec(line);
      if (reexport && droppedAnchor) aliases.set(`${s.page}#${droppedAnchor}`, reexport[1].startsWith('#') ? `${s.page}${reexport[1]}` : reexport[1]);
      continue;
    }
    if (h) {
      if (!introDone && s.reexportsCore) {
        out.push(`Everything in [\`istio-constructs\`](#${sectionAnchors.get('index.md')}) is exported from here too.`, '');
      }
      introDone = true;
      const level = h[1].length + 1;
      if (level > 6) {
        if (h[3]) throw new Error(`docs: heading "${h[2]}" in ${s.page} is too deep for Markdown and is a link target`);
        out.push(`**${headingText(h[2])}**`);
        continue;
      }
      const a = head(level, h[2]);
      if (h[3]) {
        anchors.set(`${s.page}#${h[3]}`, a);
        owner = a;
      }
      continue;
    }
    if (code) {
      out.push(line);
      continue;
    }
    // Table rows carry `<a id>` anchors (type parameters); a link to one goes to its owner's heading.
    out.push(line.replace(TABLE_ANCHOR, (_, id: string) => {
      anchors.set(`${s.page}#${id}`, owner);
      return '';
    }));
  }
  while (out[out.length - 1] === '') out.pop();
  out.push('');
}

/** Resolves a TypeDoc link target (relative to `page`) to an anchor of API.md. */
const resolve = (page: string, target: string, seen: string[] = []): string | undefined => {
  const [file, hash] = target.split('#');
  const key = hash === undefined ? (file || page) : `${file || page}#${hash}`;
  if (seen.includes(key)) return undefined;
  const a = anchors.get(key);
  if (a) return a;
  const alias = aliases.get(key);
  return alias ? resolve(key.split('#')[0], alias, [...seen, key]) : undefined;
};

// Links: each output line remembers the page it came from by position, so rewrite per section.
const unresolved: string[] = [];
let page = '';
const sectionStart = new Map<string, string>(SECTIONS.map((s) => [`## ${s.title}`, s.page]));
const final = linesOf(out.join('\n')).map(({ line, code }) => {
  if (code) return line;
  page = sectionStart.get(line) ?? page;
  return line.replace(LINK, (whole, target: string) => {
    // External links, and the links this script wrote itself (to section anchors), stay as they are.
    if (/^[a-z]+:/i.test(target) || (target.startsWith('#') && [...sectionAnchors.values()].includes(target.slice(1)))) return whole;
    const a = resolve(page, target);
    if (!a) {
      unresolved.push(`${page}: ${target}`);
      return whole;
    }
    return `](#${a})`;
  });
});
if (unresolved.length) throw new Error(`docs: links TypeDoc wrote that match no heading:\n  ${unresolved.join('\n  ')}`);

fs.writeFileSync(path.join(ROOT, 'API.md'), final.join('\n').replace(/\n{3,}/g, '\n\n'));
fs.rmSync(OUT, { recursive: true, force: true });
console.log(`API.md: ${anchors.size} anchors, sections ${SECTIONS.map((s) => s.title.split('`')[1]).join(', ')}`);
