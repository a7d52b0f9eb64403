/**
 * Istio's own `istioctl analyze` answer key (`../shared/istio/analyzers/cases.json`), run against
 * `analyze` with the harness semantics of Istio's `TestAnalyzers` (see that directory's SKIPPED.md):
 * only the named analyzer runs, objects keep the namespace written in their YAML (none when none),
 * `istio-system` is the Istio namespace, and the default ingress Pod and Service are added unless
 * the mesh config sets `ingressControllerMode: OFF`. A case is reproduced when the reported
 * (code, resource) pairs equal the expected ones as a multiset.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { AnalysisInput, analyze } from '../../src/analysis';

export const CORPUS = path.resolve(__dirname, '..', '..', '..', 'shared', 'istio', 'analyzers');

export interface CorpusCase {
  readonly index: number;
  readonly name: string;
  readonly analyzer: string;
  readonly analyzerPackage: string;
  readonly inputFiles?: string[];
  readonly meshConfigFile?: string;
  readonly meshNetworksFile?: string;
  readonly expected: Array<{ code: string; resource: string; level: string }>;
}

export interface CaseResult {
  readonly c: CorpusCase;
  /** Istio's analyzer name, as `analyze` takes it. */
  readonly analyzer: string;
  readonly inScope: boolean;
  readonly passed: boolean;
  readonly missing: string[];
  readonly unexpected: string[];
  readonly error?: string;
}

/** The synth-time judgement per code, from CATALOGUE.md (Yes, Partly, No, n/a). */
export function catalogue(): Map<string, string> {
  const marks = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(CORPUS, 'CATALOGUE.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (/^IST\d{4}$/.test(cells[1] ?? '') && cells.length >= 9) marks.set(cells[1], cells[cells.length - 3]);
  }
  return marks;
}

export function cases(): CorpusCase[] {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases.json'), 'utf8'));
}

/** Istio's name for a case's analyzer (`schema.ValidationAnalyzer.VirtualService` for the schema ones). */
export function analyzerName(c: CorpusCase): string {
  const schema = /^CollectionValidationAnalyzer\((\w+)\)$/.exec(c.analyzer);
  return schema ? `schema.ValidationAnalyzer.${schema[1]}` : `${c.analyzerPackage}.${c.analyzer}`;
}

/**
 * Which cases count as synth-time checkable: every expected code is marked Yes or Partly in
 * CATALOGUE.md; a case expecting nothing counts when its analyzer has such a case (it then checks
 * that the analyzer raises nothing there).
 */
export function inScopeCases(all: readonly CorpusCase[]): Set<number> {
  const marks = catalogue();
  const ok = (code: string) => ['Yes', 'Partly'].includes(marks.get(code) ?? '');
  const scopedAnalyzers = new Set(all.filter((c) => c.expected.length && c.expected.every((e) => ok(e.code))).map(analyzerName));
  return new Set(all.filter((c) => (c.expected.length ? c.expected.every((e) => ok(e.code)) : scopedAnalyzers.has(analyzerName(c)))).map((c) => c.index));
}

function readYaml(file: string): AnalysisInput[] {
  const { parseManifests } = require('../../src/analysis') as typeof import('../../src/analysis');
  return parseManifests(fs.readFileSync(path.join(CORPUS, file), 'utf8'), file);
}

/** Runs one case. */
export function runCase(c: CorpusCase, inScope: boolean): CaseResult {
  const analyzer = analyzerName(c);
  const want = c.expected.map((e) => `${e.code} ${e.resource}`);
  try {
    if (!c.inputFiles) throw new Error('multicluster case: needs two clusters');
    const meshConfig = c.meshConfigFile ? parse(fs.readFileSync(path.join(CORPUS, c.meshConfigFile), 'utf8')) ?? {} : undefined;
    const meshNetworks = c.meshNetworksFile ? parse(fs.readFileSync(path.join(CORPUS, c.meshNetworksFile), 'utf8')) ?? {} : undefined;
    const inputs = c.inputFiles.flatMap(readYaml);
    if (meshConfig?.ingressControllerMode !== 'OFF') inputs.push(...readYaml('default-resources.yaml'));
    const got = analyze(inputs, { analyzers: [analyzer], defaultIngressGateway: false, defaultNamespace: '', istioNamespace: 'istio-system', meshConfig, meshNetworks })
      .map((d) => `${d.code} ${d.resource}`);
    const missing = [...want];
    const unexpected: string[] = [];
    for (const g of got) {
      const i = missing.indexOf(g);
      if (i >= 0) missing.splice(i, 1); else unexpected.push(g);
    }
    return { c, analyzer, inScope, passed: missing.length === 0 && unexpected.length === 0, missing, unexpected };
  } catch (e) {
    return { c, analyzer, inScope, passed: false, missing: want, unexpected: [], error: (e as Error).message.split('\n')[0] };
  }
}

/** Runs every case. */
export function runCorpus(): CaseResult[] {
  const all = cases();
  const scope = inScopeCases(all);
  return all.map((c) => runCase(c, scope.has(c.index)));
}

/** A one-line summary and one line per case not reproduced. */
export function report(results: readonly CaseResult[]): string {
  const pct = (n: number, d: number) => `${n}/${d} (${d ? ((100 * n) / d).toFixed(1) : '0'}%)`;
  const scoped = results.filter((r) => r.inScope);
  const lines = [
    `istioctl analyze answer key: ${pct(results.filter((r) => r.passed).length, results.length)} cases reproduced exactly; `
      + `synth-time checkable (CATALOGUE.md Yes/Partly): ${pct(scoped.filter((r) => r.passed).length, scoped.length)}`,
  ];
  for (const r of results.filter((x) => !x.passed)) {
    lines.push(`  ${r.inScope ? 'IN-SCOPE ' : 'out-scope'} #${r.c.index} ${r.c.name} [${r.analyzer}]`
      + (r.error ? ` error: ${r.error}` : '')
      + (r.missing.length ? ` missing: ${r.missing.join('; ')}` : '')
      + (r.unexpected.length ? ` unexpected: ${r.unexpected.join('; ')}` : ''));
  }
  return lines.join('\n');
}
