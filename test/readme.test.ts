/**
 * The code a user copies compiles as written: every ```ts block of README.md and every
 * `@example` of a cdk8s construct (src/cdk8s) or a Pulumi component (src/pulumi) is type-checked,
 * strict, as a program of its own that imports `istio-constructs`, `istio-constructs/cdk8s` or
 * `istio-constructs/pulumi` (mapped to src/ with `paths`). The cdk8s ones also run, so a prop
 * the builders refuse at run time fails here too.
 *
 * Convention: a README block is a complete program (its own imports and declarations). There is
 * no hidden prelude.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { outline } from '../scripts/anchors';
import { helmBinary } from '../scripts/helm';

const ROOT = path.resolve(__dirname, '..');

/** One piece of documentation code. */
interface Snippet {
  /** Where it is, for messages: `README.md:42` (the first code line). */
  readonly where: string;
  readonly file: string;
  /** 1-based line of the first code line in `file`. */
  readonly line: number;
  readonly code: string;
  /** The engine it imports (`cdk8s`, `pulumi`, or `core`). */
  readonly engine: 'cdk8s' | 'pulumi' | 'core';
}

const engineOf = (code: string): Snippet['engine'] =>
  /from 'istio-constructs\/pulumi'/.test(code) ? 'pulumi' : /from 'istio-constructs\/cdk8s'/.test(code) ? 'cdk8s' : 'core';

/** Every ```ts / ```typescript block of a Markdown file. */
function markdownSnippets(file: string): Snippet[] {
  return outline(fs.readFileSync(path.join(ROOT, file), 'utf8')).codeBlocks
    .filter((b) => b.lang === 'ts' || b.lang === 'typescript')
    .map((b) => ({ where: `${file}:${b.line}`, file, line: b.line, code: b.code, engine: engineOf(b.code) }));
}

/** A class a front end exports, with the `@example` code blocks of its doc comment. */
interface DocumentedClass {
  readonly name: string;
  readonly file: string;
  readonly examples: Snippet[];
}

/**
 * The exported classes of `src/<dir>/*.ts` that extend `base`, with the ```ts blocks that follow
 * `@example` in the doc comment right above each.
 */
function documentedClasses(dir: string, base: RegExp): DocumentedClass[] {
  const found: DocumentedClass[] = [];
  for (const f of fs.readdirSync(path.join(ROOT, 'src', dir)).filter((n) => n.endsWith('.ts')).sort()) {
    const file = `src/${dir}/${f}`;
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    let comment: { text: string; line: number }[] | undefined;
    let last: { text: string; line: number }[] = [];
    lines.forEach((line, i) => {
      if (/^\s*\/\*\*/.test(line)) comment = [];
      if (comment) {
        comment.push({ text: line.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, ''), line: i + 1 });
        if (/\*\/\s*$/.test(line)) {
          last = comment;
          comment = undefined;
        }
        return;
      }
      const cls = /^export (?:abstract )?class (\w+)\b.*\bextends ([\w.]+)/.exec(line);
      if (cls && base.test(cls[2])) {
        const examples: Snippet[] = [];
        let inExample = false;
        let code: { text: string; line: number }[] | undefined;
        for (const c of last) {
          if (/^@\w+/.test(c.text)) inExample = c.text.startsWith('@example');
          if (!inExample) continue;
          if (/^```/.test(c.text)) {
            if (code) {
              const text = code.map((l) => l.text).join('\n');
              examples.push({ where: `${file}:${code[0]?.line ?? c.line} (${cls[1]} @example)`, file, line: code[0]?.line ?? c.line, code: text, engine: engineOf(text) });
              code = undefined;
            } else if (/^```(ts|typescript)\s*$/.test(c.text)) {
              code = [];
            }
          } else if (code) {
            code.push(c);
          }
        }
        found.push({ name: cls[1], file, examples });
      }
      if (line.trim() && !/^\s*(\/\/|@)/.test(line)) last = [];
    });
  }
  return found;
}

const constructs = documentedClasses('cdk8s', /^Construct$/);
const components = documentedClasses('pulumi', /^pulumi\.ComponentResource$/);
const readme = markdownSnippets('README.md');
const snippets: Snippet[] = [...readme, ...constructs.flatMap((c) => c.examples), ...components.flatMap((c) => c.examples)];

/** Compiler options of a strict user project, with the package's entry points mapped to src/. */
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  types: ['node'],
  baseUrl: ROOT,
  paths: {
    'istio-constructs': ['src/index.ts'],
    'istio-constructs/cdk8s': ['src/cdk8s/index.ts'],
    'istio-constructs/pulumi': ['src/pulumi/index.ts'],
    'istio-constructs/policy': ['src/policy/index.ts'],
  },
};

/** Where each snippet lives while it is checked: in memory, next to the sources so node_modules resolve. */
const virtualPath = (i: number) => path.join(ROOT, 'test', '__doc_snippets__', `snippet-${i}.ts`);
// `export {}` makes every snippet a module, so two snippets' top-level names never clash.
const virtualSource = (s: Snippet) => `${s.code}\nexport {};\n`;

let diagnostics: Map<number, string[]> | undefined;

/** Type-checks every snippet in one program; the messages per snippet, with the snippet's own line numbers. */
function check(): Map<number, string[]> {
  if (diagnostics) return diagnostics;
  const files = new Map(snippets.map((s, i) => [virtualPath(i), virtualSource(s)]));
  const host = ts.createCompilerHost(OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) => {
    const text = files.get(path.resolve(name));
    return text !== undefined ? ts.createSourceFile(name, text, lang, true) : getSourceFile.call(host, name, lang, ...rest);
  };
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists.call(host, name);
  host.readFile = (name) => files.get(path.resolve(name)) ?? readFile.call(host, name);
  const program = ts.createProgram([...files.keys()], OPTIONS, host);
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  diagnostics = new Map(snippets.map((s, i) => {
    const sf = program.getSourceFile(virtualPath(i))!;
    const found = [...global, ...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    return [i, found.map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
      if (!d.file || d.start === undefined || d.file !== sf) return `TS${d.code}: ${message}`;
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
      const source = s.code.split('\n')[line] ?? '';
      return `${s.file}:${s.line + line}:${character + 1} TS${d.code}: ${message}\n    | ${source}`;
    })];
  }));
  return diagnostics;
}

describe('README.md', () => {
  test('has TypeScript blocks for both engines', () => {
    expect(readme.map((s) => s.engine)).toEqual(expect.arrayContaining(['cdk8s', 'pulumi']));
  });

  test('has an Install section before the first usage section', () => {
    const headings = outline(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).headings.map((h) => h.source);
    const install = headings.indexOf('Install');
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(headings.findIndex((h) => h.startsWith('Use it with')));
  });
});

describe('every construct and component has an @example', () => {
  test('the scan finds the front ends\' classes', () => {
    expect(constructs.map((c) => c.name)).toEqual(expect.arrayContaining(['CanaryService', 'TcpIngress', 'StickyService', 'HardenedGateway']));
    expect(components.map((c) => c.name)).toEqual(expect.arrayContaining(['CanaryService', 'TcpIngress', 'StickyService', 'HardenedGateway']));
  });

  test.each(constructs.map((c) => [c.name, c] as const))('cdk8s %s', (_, c) => {
    expect(c.examples.map((e) => e.engine)).toContain('cdk8s');
  });

  // The Pulumi examples are written (see the report of this change) and pasted into
  // src/pulumi/*.ts by the Pulumi front end's owner. Until then this test is expected to fail;
  // once every component has its example, jest reports this `failing` test as broken: make it
  // a plain `test` then.
  test('every Pulumi component', () => {
    expect(components.filter((c) => !c.examples.some((e) => e.engine === 'pulumi')).map((c) => c.name)).toEqual([]);
  });
});

describe('documentation code compiles (strict)', () => {
  test.each(snippets.map((s, i) => [s.where, i] as const))('%s', (_, i) => {
    const messages = check().get(i)!;
    if (messages.length) throw new Error(`does not compile:\n${messages.join('\n')}`);
  });
});

/**
 * The installation snippets name a chart directory and a helm binary of the reader's machine
 * (`ChartSource.fromDirectory('/path/to/istio/manifests/charts')`, `helmExecutable: '/usr/local/bin/helm'`):
 * when run here, a directory that does not exist is read as Istio's real charts in ../shared, and
 * the helm binary is the one the dev dependencies ship (scripts/helm.ts). Nothing else changes.
 */
function withLocalCharts(mod: Record<string, any>): Record<string, unknown> {
  const shared = path.resolve(ROOT, '..', 'shared', 'istio', 'charts');
  const out: Record<string, unknown> = { ...mod };
  if (mod.ChartSource) {
    const real = mod.ChartSource;
    out.ChartSource = Object.assign(Object.create(real), {
      fromDirectory: (dir: string) => real.fromDirectory(fs.existsSync(dir) ? dir : shared),
    });
  }
  if (mod.IstioInstallation && mod.IstioInstallation.prototype instanceof jest.requireActual<typeof import('constructs')>('constructs').Construct) {
    const Real = mod.IstioInstallation;
    out.IstioInstallation = class extends Real {
      constructor(scope: unknown, id: string, props: Record<string, unknown>) {
        super(scope, id, { ...props, helmExecutable: helmBinary() });
      }
    };
  }
  return out;
}

describe('cdk8s documentation code runs', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-doc-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test.each(snippets.filter((s) => s.engine === 'cdk8s').map((s) => [s.where, s] as const))('%s', (_, s) => {
    const cdk8s = jest.requireActual<typeof import('cdk8s')>('cdk8s');
    // The snippet's `new App()` synthesizes into a temporary directory, not the project's dist/.
    class App extends cdk8s.App {
      constructor(props: import('cdk8s').AppProps = {}) {
        super({ ...props, outdir });
      }
    }
    const modules: Record<string, unknown> = {
      'cdk8s': { ...cdk8s, App },
      'istio-constructs': withLocalCharts(jest.requireActual('../src/index')),
      'istio-constructs/cdk8s': withLocalCharts(jest.requireActual('../src/cdk8s/index')),
    };
    const js = ts.transpileModule(s.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    const requireFor = (id: string) => modules[id] ?? jest.requireActual(id);
    const module = { exports: {} };
    // Every App the snippet creates is synthesized, so synth-time validations run too.
    const apps: import('cdk8s').App[] = [];
    (modules.cdk8s as { App: unknown }).App = class extends App {
      constructor(props?: import('cdk8s').AppProps) {
        super(props);
        apps.push(this);
      }
    };
    new Function('require', 'module', 'exports', js)(requireFor, module, module.exports);
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps) expect(() => app.synthYaml()).not.toThrow();
  });
});
