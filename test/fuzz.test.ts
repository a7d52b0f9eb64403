/**
 * A small sample of the fuzzer (scripts/fuzz.ts runs 10,000 prop sets per builder): for each public
 * builder and the value-type factories, 200 prop sets (half valid-looking, half hostile, fixed
 * seed) are refused with a short IstioConstructError or give objects the full validator admits,
 * the same on every build. Also checks that the fuzzer itself can fail: its classifier catches a
 * crash, an invalid object, a non-deterministic builder and an over-long message, and its
 * valid-looking props reach the output often enough to test it.
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { ErrorCode, IstioConstructError, PatternOutput } from '../src';
import { FUZZ_TARGETS, FuzzTarget, check, isPlainRecipe, mixed, nodes, realize } from './arbitraries';

const RUNS = 200;
const SEED = 20240611;

describe.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))('fuzz %s', (_, target) => {
  test(`${RUNS} prop sets are refused with IstioConstructError or give valid, deterministic objects`, () => {
    fc.assert(fc.property(mixed(target), (recipe) => {
      const r = check(target, recipe);
      if (r.kind !== 'accepted' && r.kind !== 'refused') throw new Error(`${r.kind}: ${r.signature}\n${r.detail}`);
    }), { numRuns: RUNS, seed: SEED });
  });

  test('its valid-looking props reach the output', () => {
    // GIVEN valid-looking props WHEN built THEN a fair share is accepted (else the fuzzer only tests refusals)
    const outcomes = fc.sample(target.valid, { numRuns: 60, seed: SEED }).map((recipe) => check(target, recipe).kind);
    expect(outcomes.filter((k) => k === 'accepted').length).toBeGreaterThanOrEqual(6);
  });
});

describe('the fuzz invariant', () => {
  const fake = (build: (p: any) => PatternOutput): FuzzTarget => ({ name: 'fake', realize, build, valid: fc.constant({}), hostile: fc.constant({}) });
  const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'prod' }, spec: { selector: { app: 'a' }, ports: [{ port: 80, name: 'http' }] } });

  test('classifies a TypeError, a thrown string and a stack overflow as non-library exceptions', () => {
    expect(check(fake((p) => p.a.b), {}).kind).toBe('non-library exception');
    expect(check(fake(() => { throw 'oops'; }), {}).kind).toBe('non-library exception'); // eslint-disable-line no-throw-literal
    const recurse = (n: number): number => recurse(n + 1) + 1;
    expect(check(fake(() => { recurse(0); return { objects: [] }; }), {}).kind).toBe('non-library exception');
  });

  test('a stack overflow in a dependency the recipe calls is thrown before the library, also when its trace shows only builtins', () => {
    // fuzz seed 89669524: cdk8s.Duration.seconds(an array nested 10,000 deep) overflows in Array.join / Array.toString,
    // and the default 10-frame trace held no frame saying where the recursion began.
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const target: FuzzTarget = { ...fake(() => ({ objects: [] })), realize: () => ({ timeout: Duration.seconds(deep as number) }) };
    expect(check(target, {})).toEqual({ kind: 'refused', code: 'THROWN_BEFORE_THE_LIBRARY' });
  });

  test('accepts a short IstioConstructError and refuses an over-long one', () => {
    expect(check(fake(() => { throw new IstioConstructError(ErrorCode.INVALID_NAME, 'name', 'bad', 'fix it'); }), {})).toEqual({ kind: 'refused', code: 'INVALID_NAME' });
    expect(check(fake(() => { throw new IstioConstructError(ErrorCode.INVALID_NAME, 'name', 'x'.repeat(500), 'fix it'); }), {}).kind).toBe('long message');
  });

  test('classifies invalid, non-JSON and non-deterministic objects as invalid outputs', () => {
    expect(check(fake(() => ({ objects: [{ role: 's', manifest: service('Bad_Name') }] })), {}).kind).toBe('invalid output');
    expect(check(fake(() => ({ objects: [{ role: 's', manifest: { ...service('a'), spec: { ...service('a').spec, ports: [{ port: NaN, name: 'http' }] } } }] })), {}).kind).toBe('invalid output');
    let n = 0;
    expect(check(fake(() => ({ objects: [{ role: 's', manifest: service(`a${n++}`) }] })), {}).kind).toBe('invalid output');
    expect(check(fake(() => ({ objects: [{ role: 's', manifest: service('a') }] })), {}).kind).toBe('accepted');
  });

  test('reports a builder that changes its props as non-deterministic', () => {
    const build = (p: any) => { p.count = (p.count ?? 0) + 1; return { objects: [{ role: 's', manifest: service(`a${p.count}`) }] }; };
    expect(check(fake(build), {})).toMatchObject({ kind: 'invalid output', signature: 'a second build on the same props gave other output' });
  });
});

describe('the fuzz arbitraries', () => {
  test('cover every prop of every props interface (src/generated/props-schemas.json)', () => {
    // GIVEN the props each target generates WHEN every key at every depth is collected
    const seen = new Set<string>();
    const collect = (n: unknown) => nodes(n).forEach((x) => { if (isPlainRecipe(x)) Object.keys(x).forEach((k) => seen.add(k)); });
    for (const t of FUZZ_TARGETS) fc.sample(t.valid, { numRuns: 300, seed: SEED }).forEach(collect);
    // THEN every property of every props interface (not the factories' parameter lists) is among them
    const schemas = require('../src/generated/props-schemas.json').definitions as Record<string, { properties?: object }>;
    const missing = Object.entries(schemas).filter(([name]) => !name.includes('.'))
      .flatMap(([name, d]) => Object.keys(d.properties ?? {}).filter((k) => !seen.has(k)).map((k) => `${name}.${k}`));
    expect(missing).toEqual([]);
  });
});
