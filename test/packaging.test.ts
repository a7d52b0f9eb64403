/**
 * The package as users install it: `npm pack` (which compiles through `prepack`), installed into
 * scratch projects in os.tmpdir() shaped like the real templates, each with only one engine:
 *
 * - cdk8s: the `cdk8s init typescript-app` tsconfig (read from cdk8s-cli's template; node10
 *   resolution), also checked under node16 and bundler resolution, plus an ES module project
 *   (`"type": "module"`, nodenext) beside it;
 * - Pulumi: the `kubernetes-typescript` template's tsconfig (nodenext since 2026) and the one before
 *   it (`moduleResolution: node`);
 * - a Pulumi policy pack (`@pulumi/policy` + `@pulumi/pulumi`), the `istio-constructs/policy` entry.
 *
 * Every project type-checks with `skipLibCheck: false`, then runs a small program.
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ROOT, RunResult, check, installProject, listFiles, lockedSpec, pack, run, scratchDir } from './packaging/harness';

jest.setTimeout(600_000);

const FIXTURES = path.join(__dirname, 'packaging', 'fixtures');
const ENGINE_PEERS = ['cdk8s', 'constructs', '@pulumi/pulumi', '@pulumi/kubernetes', '@pulumi/policy'];

/** Runs `tsc` of a scratch workspace. */
function tsc(workspace: string, args: string[]): Promise<RunResult> {
  return run(process.execPath, [path.join(workspace, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], workspace);
}

/** Runs a Node script in `cwd`. */
function node(cwd: string, args: string[]): Promise<RunResult> {
  return run(process.execPath, args, cwd);
}

/**
 * An ES module that imports each entry both ways and prints, per entry, the names `require` sees
 * that a named ESM import would not (cjs-module-lexer missed a re-export).
 */
const ESM_NAMES_CHECK = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
for (const entry of process.argv.slice(2)) {
  const cjs = require(entry);
  const ns = await import(entry);
  out[entry] = { names: Object.keys(cjs).length, missing: Object.keys(cjs).filter((k) => !(k in ns)) };
}
process.stdout.write(JSON.stringify(out));
`;

/** Loads an entry point with CommonJS `require` and prints the error message, if any. */
const REQUIRE_CHECK = `
try { require(process.argv[2]); console.log('loaded'); } catch (e) { console.log(e.message); }
`;

/** Prints the `result` a compiled fixture exports (the cdk8s projects have no @types/node). */
const PRINT_CJS = `process.stdout.write(JSON.stringify(require('./main.js').result));`;
const PRINT_ESM = `import { result } from './main.js';\nprocess.stdout.write(JSON.stringify(result));\n`;

interface Results {
  [step: string]: RunResult;
}

let tarball: string;
let installed: string; // node_modules/istio-constructs of the cdk8s workspace: the tarball's contents
const cdk8s: Results = {};
const pulumi: Results = {};
const policy: Results = {};

/** A policy pack program: type-checked (nodenext, skipLibCheck false), then its policies listed (not served). */
const POLICY_PACK = `import { ISTIO_ERRORS_POLICY, IstioPolicyPack, istioAnalysisPolicies } from 'istio-constructs/policy';

export const pack: typeof IstioPolicyPack = IstioPolicyPack;
export const result = istioAnalysisPolicies({ exclude: ['schema.'] }).map((p) => [p.name, p.enforcementLevel, p.name === ISTIO_ERRORS_POLICY]);
`;

async function cdk8sWorkspace(dir: string): Promise<void> {
  await installProject(dir, [tarball, lockedSpec('cdk8s'), lockedSpec('constructs'), lockedSpec('typescript')]);
  installed = path.join(dir, 'node_modules', 'istio-constructs');

  // The app exactly as `cdk8s init typescript-app` configures it.
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.copyFileSync(path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), path.join(app, 'tsconfig.json'));
  fs.copyFileSync(path.join(FIXTURES, 'cdk8s', 'main.ts'), path.join(app, 'main.ts'));
  fs.writeFileSync(path.join(app, 'print.js'), PRINT_CJS);

  const esm = path.join(dir, 'esm');
  fs.mkdirSync(esm);
  fs.writeFileSync(path.join(esm, 'package.json'), JSON.stringify({ name: 'esm', private: true, type: 'module' }));
  fs.copyFileSync(path.join(FIXTURES, 'esm', 'tsconfig.json'), path.join(esm, 'tsconfig.json'));
  fs.copyFileSync(path.join(FIXTURES, 'esm', 'main.ts'), path.join(esm, 'main.ts'));
  fs.writeFileSync(path.join(esm, 'print.js'), PRINT_ESM);
  fs.writeFileSync(path.join(dir, 'esm-names.mjs'), ESM_NAMES_CHECK);
  fs.writeFileSync(path.join(dir, 'require.cjs'), REQUIRE_CHECK);

  cdk8s.tscNode10 = await tsc(dir, ['-p', 'app']);
  cdk8s.tscNode16 = await tsc(dir, ['-p', 'app', '--noEmit', '--module', 'node16', '--moduleResolution', 'node16']);
  cdk8s.tscBundler = await tsc(dir, ['-p', 'app', '--noEmit', '--module', 'esnext', '--moduleResolution', 'bundler']);
  cdk8s.tscEsm = await tsc(dir, ['-p', 'esm']);
  cdk8s.app = await node(app, ['print.js']);
  cdk8s.esm = await node(esm, ['print.js']);
  cdk8s.esmNames = await node(dir, ['esm-names.mjs', 'istio-constructs', 'istio-constructs/cdk8s']);
  cdk8s.requirePulumi = await node(dir, ['require.cjs', 'istio-constructs/pulumi']);
  cdk8s.requirePolicy = await node(dir, ['require.cjs', 'istio-constructs/policy']);
}

async function policyWorkspace(dir: string): Promise<void> {
  await installProject(dir, [tarball, lockedSpec('@pulumi/policy'), lockedSpec('@pulumi/pulumi'), lockedSpec('typescript')]);
  fs.writeFileSync(path.join(dir, 'index.ts'), POLICY_PACK);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2020', outDir: 'bin', skipLibCheck: false, types: [] },
    files: ['index.ts'],
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'print.js'), `process.stdout.write(JSON.stringify(require('./bin/index.js').result));`);
  fs.writeFileSync(path.join(dir, 'esm-names.mjs'), ESM_NAMES_CHECK);
  policy.tsc = await tsc(dir, ['-p', '.']);
  policy.program = await node(dir, ['print.js']);
  policy.esmNames = await node(dir, ['esm-names.mjs', 'istio-constructs/policy']);
}

async function pulumiWorkspace(dir: string): Promise<void> {
  await installProject(dir, [tarball, lockedSpec('@pulumi/pulumi'), lockedSpec('@pulumi/kubernetes'), lockedSpec('typescript')]);

  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  for (const config of ['tsconfig.json', 'tsconfig.legacy.json']) {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'pulumi', config), 'utf8'));
    fs.writeFileSync(path.join(app, config), JSON.stringify({ ...tsconfig, files: ['index.ts', 'mocks.ts'] }, null, 2));
  }
  for (const file of ['index.ts', 'mocks.ts']) fs.copyFileSync(path.join(FIXTURES, 'pulumi', file), path.join(app, file));
  fs.writeFileSync(path.join(dir, 'esm-names.mjs'), ESM_NAMES_CHECK);
  fs.writeFileSync(path.join(dir, 'require.cjs'), REQUIRE_CHECK);

  // Checking @pulumi/kubernetes' declarations takes half a minute; use both cores.
  [pulumi.tscNodenext, pulumi.tscNode10] = await Promise.all([
    tsc(dir, ['-p', 'app']),
    tsc(dir, ['-p', 'app/tsconfig.legacy.json', '--noEmit']),
  ]);
  pulumi.program = await node(app, [path.join('bin', 'mocks.js')]);
  pulumi.esmNames = await node(dir, ['esm-names.mjs', 'istio-constructs', 'istio-constructs/pulumi']);
  pulumi.requireCdk8s = await node(dir, ['require.cjs', 'istio-constructs/cdk8s']);
  pulumi.requirePolicy = await node(dir, ['require.cjs', 'istio-constructs/policy']);
}

/** Expects a command to have succeeded; fails with its command line and output otherwise. */
function expectOk(result: RunResult | undefined): void {
  expect(result).toBeDefined();
  check(result!);
}

/** Parses the JSON a fixture program printed. */
function output(result: RunResult | undefined): any {
  expectOk(result);
  return JSON.parse(result!.stdout);
}

let tmp: string;

beforeAll(async () => {
  tmp = scratchDir('packaging');
  fs.mkdirSync(path.join(tmp, 'pack'));
  tarball = await pack(path.join(tmp, 'pack'));
  await Promise.all([cdk8sWorkspace(path.join(tmp, 'cdk8s')), pulumiWorkspace(path.join(tmp, 'pulumi')), policyWorkspace(path.join(tmp, 'policy'))]);
});

afterAll(() => {
  if (tmp && !process.env.KEEP_PACKAGING_SCRATCH) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds the compiled entry points, their declarations and the docs, nothing else', () => {
    const files = listFiles(installed);
    for (const entry of ['lib/src/index', 'lib/src/cdk8s/index', 'lib/src/pulumi/index', 'lib/src/policy/index']) {
      expect(files).toContain(`${entry}.js`);
      expect(files).toContain(`${entry}.d.ts`);
    }
    expect(files).toContain('lib/src/generated/schemas.json');
    expect(files).toContain('README.md');
    // No unreachable code (exports only reaches lib/src), no tests, no TypeScript sources, no maps.
    const unexpected = files.filter((f) => !/^(lib\/src\/.*\.(js|d\.ts|json)|package\.json|README\.md|API\.md|LICENSE|docs\/.*\.md)$/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /\.test\.|__tests__|\.map$/.test(f))).toEqual([]);
  });

  test('has no inline source maps or sources', () => {
    const withMaps = listFiles(installed).filter((f) => f.endsWith('.js'))
      .filter((f) => fs.readFileSync(path.join(installed, f), 'utf8').includes('sourceMappingURL'));
    expect(withMaps).toEqual([]);
    // 458 kB compressed with the constructs of issue 11, 602 kB with IstioInstallation (the Sail
    // Operator schemas in schemas.json and the Helm values types in API.md); inline maps or bundled
    // sources would more than double it.
    expect(fs.statSync(tarball).size).toBeLessThan(700_000);
  });

  test('depends on exactly the packages its code requires at run time', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    const deps = Object.keys(pkg.dependencies ?? {}).sort();
    const js = listFiles(installed).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(installed, f), 'utf8')).join('\n');
    const packageOf = (id: string) => id.split('/').slice(0, id.startsWith('@') ? 2 : 1).join('/');
    const required = new Set([...js.matchAll(/require\("([^".][^"]*)"\)/g)].map((m) => packageOf(m[1])));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    // Every bare require is a dependency, an engine peer or a Node built-in...
    expect([...required].filter((id) => !deps.includes(id) && !ENGINE_PEERS.includes(id) && !builtins.has(id))).toEqual([]);
    // ...and every dependency is used (statically, or as a module path a lazy require loads).
    expect(deps.filter((d) => !required.has(d) && !js.includes(`'${d}/`))).toEqual([]);
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([...ENGINE_PEERS].sort());
    for (const peer of ENGINE_PEERS) expect(pkg.peerDependenciesMeta[peer]).toEqual({ optional: true });
  });
});

describe('a cdk8s project (cdk8s + constructs only)', () => {
  test('type-checks with the cdk8s-cli typescript-app tsconfig (node10 resolution, skipLibCheck false)', () => {
    const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json'), 'utf8'));
    expect(template.compilerOptions.moduleResolution).toBeUndefined();
    expect(template.compilerOptions.skipLibCheck).toBeUndefined();
    expectOk(cdk8s.tscNode10);
  });

  test('type-checks under node16 and bundler resolution', () => {
    expectOk(cdk8s.tscNode16);
    expectOk(cdk8s.tscBundler);
  });

  test('synthesizes a CanaryService chart', () => {
    const out = output(cdk8s.app);
    expect(out.port).toBe('http');
    expect(out.issues).toEqual([]);
    expect(out.refused).toBe('PERCENT_TOTAL');
    const docs = parseAllDocuments(out.yaml).map((d) => d.toJSON());
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`).sort()).toEqual([
      'networking.istio.io/v1 DestinationRule', 'networking.istio.io/v1 VirtualService',
    ]);
    const vs = docs.find((d) => d.kind === 'VirtualService');
    expect(vs.spec.hosts).toEqual(['reviews.bookinfo.svc.cluster.local']);
    expect(vs.spec.http[0].match[0].headers['end-user']).toEqual({ exact: 'jason' });
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 90], ['v2', 10]]);
  });

  test('an ES module project type-checks (nodenext) and runs with named imports', () => {
    expectOk(cdk8s.tscEsm);
    const out = output(cdk8s.esm);
    expect(out.sameServiceRef).toBe(true);
    expect(out.coreObjects).toBe(2);
    const vs = parseAllDocuments(out.yaml).map((d) => d.toJSON()).find((d) => d.kind === 'VirtualService');
    expect(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 1], ['v2', 3]]);
  });

  test('every CommonJS export is a named ES module export', () => {
    const out = output(cdk8s.esmNames);
    expect(out['istio-constructs/cdk8s'].names).toBeGreaterThan(out['istio-constructs'].names);
    expect(out['istio-constructs'].missing).toEqual([]);
    expect(out['istio-constructs/cdk8s'].missing).toEqual([]);
  });

  test('loading istio-constructs/pulumi says which packages to install', () => {
    expectOk(cdk8s.requirePulumi);
    expect(cdk8s.requirePulumi.stdout.trim()).toBe('istio-constructs/pulumi needs @pulumi/pulumi and @pulumi/kubernetes, which are not installed. '
      + 'Install them next to istio-constructs: npm install @pulumi/pulumi @pulumi/kubernetes');
    expectOk(cdk8s.requirePolicy);
    expect(cdk8s.requirePolicy.stdout.trim()).toBe('istio-constructs/policy needs @pulumi/policy, which is not installed. '
      + 'Install it next to istio-constructs: npm install @pulumi/policy');
  });
});

describe('a Pulumi project (@pulumi/pulumi + @pulumi/kubernetes only)', () => {
  test('type-checks with the kubernetes-typescript template tsconfig (nodenext, skipLibCheck false)', () => {
    expectOk(pulumi.tscNodenext);
  });

  test('type-checks with the pre-2026 template tsconfig (moduleResolution node)', () => {
    expectOk(pulumi.tscNode10);
  });

  test('registers a CanaryService and its children under mocks, with the namespace from an Output', () => {
    const registered: Array<{ type: string; name: string; inputs: any }> = output(pulumi.program);
    expect(registered.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'istio-constructs:index:CanaryService reviews',
      'kubernetes:core/v1:Namespace bookinfo',
      'kubernetes:networking.istio.io/v1:DestinationRule reviews-destination-rule',
      'kubernetes:networking.istio.io/v1:VirtualService reviews-virtual-service',
    ]);
    const dr = registered.find((r) => r.name === 'reviews-destination-rule')!;
    expect(dr.inputs.metadata.namespace).toBe('bookinfo');
    expect(dr.inputs.spec.host).toBe('reviews.bookinfo.svc.cluster.local');
    expect(dr.inputs.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    const vs = registered.find((r) => r.name === 'reviews-virtual-service')!;
    expect(vs.inputs.spec.http[1].route.map((r: any) => r.weight)).toEqual([90, 10]);
  });

  test('every CommonJS export is a named ES module export', () => {
    const out = output(pulumi.esmNames);
    expect(out['istio-constructs/pulumi'].names).toBeGreaterThan(out['istio-constructs'].names);
    expect(out['istio-constructs'].missing).toEqual([]);
    expect(out['istio-constructs/pulumi'].missing).toEqual([]);
  });

  test('loading istio-constructs/cdk8s says which packages to install', () => {
    expectOk(pulumi.requireCdk8s);
    expect(pulumi.requireCdk8s.stdout.trim()).toBe('istio-constructs/cdk8s needs cdk8s and constructs, which are not installed. '
      + 'Install them next to istio-constructs: npm install cdk8s constructs');
  });

  test('loading istio-constructs/policy says which package to install', () => {
    expectOk(pulumi.requirePolicy);
    expect(pulumi.requirePolicy.stdout.trim()).toBe('istio-constructs/policy needs @pulumi/policy, which is not installed. '
      + 'Install it next to istio-constructs: npm install @pulumi/policy');
  });
});

describe('a Pulumi policy pack (@pulumi/policy + @pulumi/pulumi only)', () => {
  test('type-checks (nodenext, skipLibCheck false) and lists the analysis policies', () => {
    // @pulumi/policy 1.21's own index.d.ts re-exports names its proxy.d.ts leaves out: those errors are
    // upstream's (a policy pack needs skipLibCheck); every other declaration, ours included, checks.
    const errors = policy.tsc.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(errors.filter((l) => !l.startsWith('node_modules/@pulumi/policy/index.d.ts'))).toEqual([]);
    expect(output(policy.program)).toEqual([['istio-analysis-errors', 'mandatory', true], ['istio-analysis-warnings', 'advisory', false]]);
  });

  test('every CommonJS export is a named ES module export', () => {
    const out = output(policy.esmNames);
    expect(out['istio-constructs/policy'].names).toBeGreaterThan(0);
    expect(out['istio-constructs/policy'].missing).toEqual([]);
  });
});
