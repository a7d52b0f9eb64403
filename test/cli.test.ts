/**
 * The CLI, `istio-constructs analyze | graph`: mostly in-process through `run(argv, io)`, plus one
 * child process running the real entry point. Inputs include YAML no one here wrote (Istio's
 * bookinfo samples, istioctl's own CLI test files).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { AnalysisInput, AnalysisOptions, Diagnostic } from '../src/analysis';
import { CliIo, ExitCode, run } from '../src/cli/main';

const ROOT = path.resolve(__dirname, '..');
const BOOKINFO = '/work/shared/istio/samples/bookinfo/networking';
const ISTIOCTL_TESTDATA = '/work/shared/istio/analyzers/istioctl-testdata/analyze-file';

interface Result { code: number; stdout: string; stderr: string }

async function cli(argv: string[], options: { stdin?: string; cwd?: string; analyze?: (i: readonly AnalysisInput[], o: AnalysisOptions) => Diagnostic[] } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: async () => options.stdin ?? '',
    cwd: options.cwd,
  };
  const code = await run(argv, io, options.analyze ? { analyze: options.analyze } : {});
  return { code, stdout, stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A VirtualService bound to a Gateway that does not exist (IST0101), with the Service it routes to. */
const SEEDED = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: default
spec:
  selector:
    app: reviews
  ports:
    - name: http
      port: 9080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts:
    - reviews
  gateways:
    - no-such-gateway
  http:
    - route:
        - destination:
            host: reviews
`;
const seededFile = path.join(tmp, 'seeded.yaml');
fs.writeFileSync(seededFile, SEEDED);
const brokenFile = path.join(tmp, 'broken.yaml');
fs.writeFileSync(brokenFile, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n');

/** Diagnostics chosen by the test, to check formats and thresholds independently of the analyzers. */
const fixed = (levels: Array<Diagnostic['level']>) => (): Diagnostic[] => levels.map((level, i) => ({
  code: level === 'Error' ? 'IST0101' : level === 'Warning' ? 'IST0132' : 'IST0118',
  name: level === 'Error' ? 'ReferencedResourceNotFound' : level === 'Warning' ? 'VirtualServiceHostNotFoundInGateway' : 'PortNameIsNotUnderNamingConvention',
  level,
  resource: `VirtualService default/vs${i}`,
  kind: 'VirtualService',
  namespace: 'default',
  resourceName: `vs${i}`,
  message: `message ${i}`,
  analyzer: 'test.Analyzer',
  source: { file: 'dir/vs.yaml', line: 10 * i + 1 },
}));

const LOG_LINE = /^(Error|Warning|Info) \[(IST|ICA)\d{4}\] \(\S+ [\w.-]+(\/[\w.-]+)? \S+\.ya?ml:\d+\) .+$/;

describe('analyze', () => {
  test('reads Istio\'s bookinfo samples (a directory of YAML no one here wrote): every message names object, file and line; exit code follows the errors', async () => {
    const r = await cli(['analyze', BOOKINFO]);
    expect(r.stderr).not.toContain('Error(s) adding files');
    const lines = r.stdout.trimEnd().split('\n').filter(Boolean);
    for (const line of lines) expect(line).toMatch(LOG_LINE);
    const hasError = lines.some((l) => l.startsWith('Error '));
    expect(r.code).toBe(hasError ? ExitCode.ANALYZER_FOUND_ISSUES : ExitCode.OK);
    // the files are read recursively, sorted, with their own names
    expect(r.stdout).toContain(`${BOOKINFO}/`);
  });

  test('a seeded cross-object error (a VirtualService bound to a Gateway that does not exist) exits 79 with the Error threshold', async () => {
    const r = await cli(['analyze', seededFile]);
    expect(r.stdout).toMatch(/^Error \[IST0101\] \(VirtualService default\/reviews .*seeded\.yaml:\d+\) .*no-such-gateway/m);
    expect(r.code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
    expect(r.stderr).toContain('Error: Analyzers found issues');
  });

  test('--suppress (istioctl syntax, * globs, both resource spellings) removes the message and the failure', async () => {
    expect((await cli(['analyze', '-S', 'IST0101=VirtualService default/*', seededFile])).stdout).not.toMatch(/IST0101\] \(VirtualService/);
    expect((await cli(['analyze', '--suppress', 'IST0101=VirtualService reviews.default', seededFile])).stdout).not.toMatch(/IST0101\] \(VirtualService/);
    const unknown = await cli(['analyze', '-S', 'IST9999=VirtualService *', seededFile]);
    expect(unknown.stderr).toContain('Warning: Supplied message code \'IST9999\' is an unknown message code');
    expect((await cli(['analyze', '-S', 'nonsense', seededFile])).code).toBe(ExitCode.UNKNOWN_ERROR);
  });

  test('the galley.istio.io/analyze-suppress annotation on the object suppresses its codes', async () => {
    const annotated = SEEDED.replace('kind: VirtualService\nmetadata:\n', 'kind: VirtualService\nmetadata:\n  annotations:\n    galley.istio.io/analyze-suppress: IST0101,IST0132\n');
    expect(annotated).toContain('analyze-suppress');
    const r = await cli(['analyze', '-'], { stdin: annotated });
    expect(r.stdout).not.toMatch(/IST0101\] \(VirtualService default\/reviews/);
  });

  test('-o json parses, with istioctl\'s keys per message (code, documentationUrl, level, message, origin, reference)', async () => {
    const r = await cli(['analyze', '-o', 'json', seededFile]);
    const messages = JSON.parse(r.stdout);
    expect(Array.isArray(messages)).toBe(true);
    const m = messages.find((x: any) => x.code === 'IST0101' && x.origin === 'VirtualService default/reviews');
    expect(Object.keys(m)).toEqual(['code', 'documentationUrl', 'level', 'message', 'origin', 'reference']);
    expect(m.level).toBe('Error');
    expect(m.documentationUrl).toBe('https://istio.io/latest/docs/reference/config/analysis/ist0101/');
    expect(m.reference).toMatch(/seeded\.yaml:\d+$/);
    // as istioctl: structured output does not set the exit code
    expect(r.code).toBe(ExitCode.OK);
  });

  test('-o yaml holds the same messages as -o json', async () => {
    const json = JSON.parse((await cli(['analyze', '-o', 'json', seededFile])).stdout);
    const yaml = parse((await cli(['analyze', '-o', 'yaml', seededFile])).stdout);
    expect(yaml).toEqual(json);
  });

  test('-o sarif is a SARIF 2.1.0 log: rules are the message types, results point at file and line', async () => {
    const r = await cli(['analyze', '-o', 'sarif', 'seeded.yaml'], { cwd: tmp });
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe('istio-constructs');
    const rules = run0.tool.driver.rules;
    const ist0101 = rules.find((x: any) => x.id === 'IST0101');
    expect(ist0101).toMatchObject({ name: 'ReferencedResourceNotFound', shortDescription: { text: 'Referenced resource not found' }, defaultConfiguration: { level: 'error' } });
    expect(rules.map((x: any) => x.id)).toEqual([...rules.map((x: any) => x.id)].sort());
    const result = run0.results.find((x: any) => x.ruleId === 'IST0101' && x.locations[0].logicalLocations[0].fullyQualifiedName === 'VirtualService default/reviews');
    expect(result.level).toBe('error');
    expect(rules[result.ruleIndex].id).toBe('IST0101');
    expect(result.message.text).toContain('no-such-gateway');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'seeded.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: expect.any(Number) } });
    expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    expect(run0.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${tmp}/`);
  });

  test('thresholds: --output-threshold hides lower levels, --failure-threshold sets when to exit 79 (case-insensitive, as istioctl)', async () => {
    const mixed = fixed(['Warning', 'Info']);
    const all = await cli(['analyze', seededFile], { analyze: mixed });
    expect(all.stdout).toBe('Warning [IST0132] (VirtualService default/vs0 dir/vs.yaml:1) message 0\nInfo [IST0118] (VirtualService default/vs1 dir/vs.yaml:11) message 1\n');
    expect(all.code).toBe(ExitCode.OK);
    const warningsOnly = await cli(['analyze', '--output-threshold', 'warning', seededFile], { analyze: mixed });
    expect(warningsOnly.stdout).toBe('Warning [IST0132] (VirtualService default/vs0 dir/vs.yaml:1) message 0\n');
    expect((await cli(['analyze', '--failure-threshold', 'Warning', seededFile], { analyze: mixed })).code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
    expect((await cli(['analyze', '--failure-threshold', 'INFO', seededFile], { analyze: fixed(['Info']) })).code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
    // issues hidden from the output still count toward the failure threshold, as istioctl's
    const hidden = await cli(['analyze', '--output-threshold', 'Error', '--failure-threshold', 'Warning', seededFile], { analyze: mixed });
    expect(hidden.stdout).toBe('');
    expect(hidden.code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
    const none = await cli(['analyze', seededFile], { analyze: fixed([]) });
    expect(none.stderr).toContain('\u2714 No validation issues found when analyzing');
    expect(none.code).toBe(ExitCode.OK);
  });

  test('options reach the analysis: default namespace, Istio namespace, analyzers, mesh config file (MeshConfig or the istio ConfigMap)', async () => {
    const seen: AnalysisOptions[] = [];
    const capture = (_: readonly AnalysisInput[], o: AnalysisOptions) => { seen.push(o); return []; };
    fs.writeFileSync(path.join(tmp, 'mesh.yaml'), 'rootNamespace: mesh-root\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n');
    fs.writeFileSync(path.join(tmp, 'istio-cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\ndata:\n  mesh: |\n    rootNamespace: from-cm\n');
    await cli(['analyze', '-n', 'shop', '--istioNamespace', 'istio-x', '--analyzer', 'a.One', '--analyzer', 'b.Two', '--meshConfigFile', 'mesh.yaml', 'seeded.yaml'], { cwd: tmp, analyze: capture });
    expect(seen[0]).toEqual({
      defaultNamespace: 'shop', istioNamespace: 'istio-x', analyzers: ['a.One', 'b.Two'],
      meshConfig: { rootNamespace: 'mesh-root', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
    await cli(['analyze', '--meshConfigFile', 'istio-cm.yaml', 'seeded.yaml'], { cwd: tmp, analyze: capture });
    expect(seen[1].meshConfig).toEqual({ rootNamespace: 'from-cm' });
    expect((await cli(['analyze', '--meshConfigFile', 'missing.yaml', 'seeded.yaml'], { cwd: tmp, analyze: capture })).code).toBe(ExitCode.UNKNOWN_ERROR);
  });

  test('standard input with -', async () => {
    const r = await cli(['analyze', '-o', 'json', '-'], { stdin: SEEDED });
    expect(JSON.parse(r.stdout).some((m: any) => m.origin === 'VirtualService default/reviews' && m.reference.startsWith('-:'))).toBe(true);
  });

  test('a file that is not valid YAML: exit 65 (istioctl\'s data error), or 0 with --ignore-unknown', async () => {
    const r = await cli(['analyze', brokenFile], { analyze: fixed([]) });
    expect(r.stderr).toContain('Error(s) adding files');
    expect(r.stderr).toContain('Error: Some files couldn\'t be parsed.');
    expect(r.code).toBe(ExitCode.DATA_ERROR);
    expect((await cli(['analyze', '--ignore-unknown', brokenFile], { analyze: fixed([]) })).code).toBe(ExitCode.OK);
    // issues found take precedence over parse errors, as in istioctl
    expect((await cli(['analyze', brokenFile, seededFile])).code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
  });

  test('usage errors exit 64; a missing path exits 1', async () => {
    expect((await cli(['analyze', '--no-such-flag', seededFile])).code).toBe(ExitCode.INCORRECT_USAGE);
    expect((await cli(['analyze', '-o', 'xml', seededFile])).code).toBe(ExitCode.INCORRECT_USAGE);
    expect((await cli(['analyze', '--failure-threshold', 'fatal', seededFile])).code).toBe(ExitCode.INCORRECT_USAGE);
    expect((await cli(['analyze'])).code).toBe(ExitCode.INCORRECT_USAGE);
    expect((await cli(['analyze', '--analyzer', 'no.SuchAnalyzer', seededFile])).code).toBe(ExitCode.INCORRECT_USAGE);
    expect((await cli(['frobnicate'])).code).toBe(ExitCode.INCORRECT_USAGE);
    const missing = await cli(['analyze', path.join(tmp, 'nope.yaml')]);
    expect(missing.code).toBe(ExitCode.UNKNOWN_ERROR);
    expect(missing.stderr).toContain('nope.yaml');
    expect((await cli(['--help'])).code).toBe(ExitCode.OK);
  });

  test('--list-analyzers lists every analyzer by name, sorted', async () => {
    const r = await cli(['analyze', '-L']);
    const names = r.stdout.split('\n').filter((l) => l.startsWith('* ')).map((l) => l.slice(2, -1));
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort());
    expect(r.code).toBe(ExitCode.OK);
  });

  describe('istioctl\'s own CLI expectations (istioctl/pkg/analyze/analyze_test.go)', () => {
    const file = path.join(ISTIOCTL_TESTDATA, 'specific-analyzer.yaml');
    test('all analyzers on specific-analyzer.yaml fail (Gateways whose servers have no port)', async () => {
      expect((await cli(['analyze', '--use-kube=false', file])).code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
    });
    test('--analyzer schema.ValidationAnalyzer.Gateway fails on it', async () => {
      const r = await cli(['analyze', '--use-kube=false', '--analyzer', 'schema.ValidationAnalyzer.Gateway', file]);
      expect(r.stdout).toMatch(/^Error \[IST0106\] \(Gateway default\/alpha /m);
      expect(r.code).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
    });
    test('--analyzer gateway.ConflictingGatewayAnalyzer passes on it', async () => {
      expect((await cli(['analyze', '--use-kube=false', '--analyzer', 'gateway.ConflictingGatewayAnalyzer', file])).code).toBe(ExitCode.OK);
    });
    // istioctl reads no Pods from files and skips the analyzers that need them; the library's
    // analysis only decides "the selector selects nothing" when the input declares workloads.
    test('-A --use-kube=false --failure-threshold ERROR public-gateway.yaml passes', async () => {
      expect((await cli(['analyze', '-A', '--use-kube=false', '--failure-threshold', 'ERROR', path.join(ISTIOCTL_TESTDATA, 'public-gateway.yaml')])).code).toBe(ExitCode.OK);
    });
  });
});

describe('graph', () => {
  test('Mermaid of Istio\'s bookinfo gateway sample on standard output', async () => {
    const r = await cli(['graph', path.join(BOOKINFO, 'bookinfo-gateway.yaml')]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(r.stdout).toContain('Gateway bookinfo-gateway');
    expect(r.stdout).toContain('productpage.default.svc.cluster.local');
    expect(r.stdout).toMatch(/match uri = \/productpage/);
  });

  test('SVG and DOT to a file with -o', async () => {
    const out = path.join(tmp, 'bookinfo.svg');
    const r = await cli(['graph', '--format', 'svg', '-o', out, path.join(BOOKINFO, 'virtual-service-reviews-80-20.yaml'), path.join(BOOKINFO, 'destination-rule-reviews.yaml')]);
    expect(r.code).toBe(ExitCode.OK);
    const svg = fs.readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('reviews.default.svc.cluster.local');
    expect(svg).toContain('80%');
    const dot = await cli(['graph', '-f', 'dot', path.join(BOOKINFO, 'virtual-service-reviews-80-20.yaml')]);
    expect(dot.stdout).toMatch(/^digraph traffic \{/);
    expect((await cli(['graph', '-f', 'png', seededFile])).code).toBe(ExitCode.INCORRECT_USAGE);
    expect((await cli(['graph', brokenFile])).code).toBe(ExitCode.DATA_ERROR);
  });
});

describe('the real entry point, in a child process', () => {
  test('runs with the process\'s arguments, standard input, streams and exit code', () => {
    // src/cli/main.ts is what lib/src/cli/main.js (package.json bin) is compiled from
    expect(fs.readFileSync(path.join(ROOT, 'src/cli/main.ts'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const p = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'analyze', '-'], {
      cwd: ROOT, input: SEEDED, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' },
    });
    expect(p.stdout).toMatch(/^Error \[IST0101\] \(VirtualService default\/reviews -:\d+\) /m);
    expect(p.stderr).toContain('Error: Analyzers found issues when analyzing -.');
    expect(p.status).toBe(ExitCode.ANALYZER_FOUND_ISSUES);
  });
});
