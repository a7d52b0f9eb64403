/**
 * Istio's own admission fixtures (../shared/istio/validation/testdata/crds): every `*-invalid.yaml`
 * document must be refused and every `*-valid.yaml` document accepted by `validateManifestDetailed`
 * (schema of the document's own apiVersion, CEL rules, list semantics, then the webhook rules).
 *
 * Each invalid document carries `_err`, the API server's expected error fragment: fixture metadata,
 * stripped before validating. A document the schema and CEL rules accept but Istio's webhook refuses
 * only passes here once `src/core/webhook` implements that rule; the failing tests name each such
 * document with its `_err`, so the remaining gap is visible.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, Scalar, YAMLMap, isMap, isScalar, parseAllDocuments, visit } from 'yaml';
import { Manifest, ValidationIssue, validateManifestDetailed } from '../src';

const FIXTURES = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'validation', 'testdata', 'crds');

/**
 * Reads a flow-sequence entry such as `001:db8::` as Go's YAML parser (sigs.k8s.io/yaml, which the
 * API server and kubectl use) does: there a `:` only ends a plain scalar when a blank follows it, so
 * the whole entry is one string; a YAML 1.2 parser reads `001:db8:` as a key with an empty value
 * (the last `:` is followed by `]`). A single-pair implicit map in a flow sequence whose value is
 * empty and whose `:` is glued to the key is turned back into the string Go reads.
 */
function readFlowColonsAsGo(doc: Document, source: string): void {
  visit(doc, {
    Seq(_key, seq) {
      if (!seq.flow) return;
      seq.items = seq.items.map((item) => {
        if (!isMap(item) || item.items.length !== 1) return item;
        const map = item as YAMLMap;
        if (source[map.range?.[0] ?? -1] === '{') return item; // an explicit { } map
        const pair = map.items[0];
        const k = pair.key;
        const v = pair.value;
        if (!isScalar(k) || k.type !== 'PLAIN' || !k.range) return item;
        const emptyValue = v === null || (isScalar(v) && v.source === '' && v.value === null);
        const colon = k.range[1];
        if (!emptyValue || source[colon] !== ':' || /[\s]/.test(source[colon + 1] ?? ' ')) return item;
        return new Scalar(`${k.source}:`);
      });
    },
  });
}

/** One fixture document: its file, position, the object (without `_err`) and the expected error fragment. */
interface Fixture {
  readonly file: string;
  readonly index: number;
  readonly invalid: boolean;
  readonly manifest: Manifest;
  readonly expectedError?: string;
}

function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort()) {
    const source = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    let index = 0;
    for (const doc of parseAllDocuments(source)) {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
      readFlowColonsAsGo(doc, source);
      const js = doc.toJS();
      if (js === null || js === undefined) continue; // a document that is only comments
      const { _err, ...manifest } = js;
      out.push({ file, index: index++, invalid: file.endsWith('-invalid.yaml'), manifest: manifest as Manifest, expectedError: _err });
    }
  }
  return out;
}

const fixtures = loadFixtures();
const label = (f: Fixture) => `${f.file} #${f.index} ${f.manifest.apiVersion} ${f.manifest.kind} ${f.manifest.metadata?.name}`;
const show = (issues: readonly ValidationIssue[]) => issues.map((i) => `${i.field || '/'}: ${i.message}`).join('; ');

describe('Istio\'s admission fixtures', () => {
  const results = fixtures.map((f) => ({ f, errors: validateManifestDetailed(f.manifest).errors }));

  test('the 22 files hold 77 invalid and 35 valid documents', () => {
    expect(new Set(fixtures.map((f) => f.file)).size).toBe(22);
    expect(fixtures.filter((f) => f.invalid)).toHaveLength(77);
    expect(fixtures.filter((f) => !f.invalid)).toHaveLength(35);
  });

  test('an unquoted IPv6 address in a flow sequence is read as a string, as Go YAML reads it', () => {
    const full = fixtures.find((f) => f.file === 'serviceentry-valid.yaml' && f.manifest.metadata.name === 'full')!;
    expect(full.manifest.spec.addresses).toEqual(['1.2.3.4', '001:db8::']);
    const doc = parseAllDocuments('a: [x:, y: , {z:}, "q:"]\n')[0];
    readFlowColonsAsGo(doc, 'a: [x:, y: , {z:}, "q:"]\n');
    expect(doc.toJS()).toEqual({ a: ['x:', { y: null }, { z: null }, 'q:'] });
  });

  test('score: every invalid document refused, every valid one accepted', () => {
    const invalid = results.filter((r) => r.f.invalid);
    const valid = results.filter((r) => !r.f.invalid);
    const refused = invalid.filter((r) => r.errors.length > 0);
    const accepted = valid.filter((r) => r.errors.length === 0);
    const gaps = [
      ...invalid.filter((r) => r.errors.length === 0).map((r) => `  accepted, should be refused: ${label(r.f)} (expected: ${r.f.expectedError ?? 'no _err given'})`),
      ...valid.filter((r) => r.errors.length > 0).map((r) => `  refused, should be accepted: ${label(r.f)}: ${show(r.errors)}`),
    ];
    console.log([`fixtures: ${refused.length}/${invalid.length} invalid refused, ${accepted.length}/${valid.length} valid accepted`, ...gaps].join('\n'));
    expect(gaps).toEqual([]);
  });

  test.each(results.filter((r) => r.f.invalid).map((r) => [label(r.f), r.f.expectedError ?? '', r] as const))(
    'refuses %s (%s)', (_label, _expected, r) => {
      expect(r.errors).not.toEqual([]);
    });

  test.each(results.filter((r) => !r.f.invalid).map((r) => [label(r.f), r] as const))('accepts %s', (_label, r) => {
    expect(show(r.errors)).toBe('');
  });
});
