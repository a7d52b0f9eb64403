/**
 * Primitive arbitraries for the fuzzer: realistic names, hosts and paths, the edge values of every
 * wire type (int32/uint32 bounds and one past them, fractions, NaN, infinities, -0), exotic
 * strings (unicode, Envoy `%` operators, control characters, YAML-ambiguous scalars), and hostile
 * values (wrong shapes, Proxies, throwing getters, cycles, `Object.create(null)`, deep nesting,
 * 100k-character strings) with the mutation that plants them at any node of a recipe.
 */
import * as fc from 'fast-check';
import { Leaf, Special, Wrap, defineOwn, isPlainRecipe, nodes, realize, replaceNode } from './recipe';

/** How often a field takes its realistic value rather than an edge value (out of `BIAS + 1`). */
export const BIAS = 40;

/** A field that is mostly realistic, sometimes an edge value of its type. */
export function edgy<T>(valid: fc.Arbitrary<T>, ...edges: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  if (edges.length === 0) return valid;
  return fc.oneof({ weight: BIAS, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.oneof(...edges) });
}

const ABSENT = Symbol('absent');

/**
 * A props object: `required` keys always present, each other key absent (not `undefined`) two
 * times in three, so nested props stay small enough to be mostly valid. Shrinks toward absent.
 */
export function props<T extends Record<string, fc.Arbitrary<unknown>>>(model: T, required: Array<keyof T> = []): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(model);
  const fields = keys.map((k) => (required.includes(k) ? model[k] : fc.oneof({ weight: 2, arbitrary: fc.constant<unknown>(ABSENT) }, { weight: 1, arbitrary: model[k] })));
  return fc.tuple(...fields).map((values) => {
    const out: Record<string, unknown> = {};
    keys.forEach((k, i) => { if (values[i] !== ABSENT) out[k] = values[i]; });
    return out;
  });
}

/** Like `props`, but with at least one key set (mostly: an empty object is one of its edge values). */
export function someProps<T extends Record<string, fc.Arbitrary<unknown>>>(model: T): fc.Arbitrary<Record<string, unknown>> {
  return edgy(props(model).filter((o) => Object.keys(o).length > 0), fc.constant({})) as fc.Arbitrary<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------
// Strings

/** YAML 1.1/1.2 scalars that a careless emitter or loader turns into another type. */
export const YAML_AMBIGUOUS = [
  '0o674', '0674', '0x1F', '1e3', '1E3', '-1e-3', '.5', '1_000', '+1', '1:20', '1:20:30', 'true', 'false', 'True', 'FALSE', 'yes', 'no',
  'Y', 'n', 'on', 'off', '~', 'null', 'Null', 'NULL', '.inf', '-.inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '=', '<<',
];

/** Strings that break parsers, templates and emitters. */
export const EXOTIC_STRINGS = [
  '', ' ', '  a', 'a ', '\t', '\n', '\r\n', 'a\nb', '\u0000', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u2028', '\u200b',
  '\ufeff', '\ud800', 'é', 'ñandú', '日本語', 'Ω', '🙂', '👨‍👩‍👧', '\u202eabc', 'ａ', 'İ', 'ß',
  '%', '%%', '%%%', '%VAR%', '%VAR', 'VAR%', '%DOWNSTREAM_REMOTE_ADDRESS%', '%REQ(x-id)%', '%REQ(x-id', '%START_TIME(%s)%',
  '%START_TIME(%Y-%m-%d)%', '%UPSTREAM_METADATA(["a","b"])%', '%PER_REQUEST_STATE(a)%', '%()%', '%(%', '100%', '%20', '%00',
  '${x}', '{{x}}', '$(x)', '`x`', '<script>', "'", '"', '\\', '\\n', '/', '//', '..', '../etc/passwd', '*', '**', '*.', '*.*', '?',
  '#', '#c', '- a', ': a', 'a: b', '---', '...', '[a]', '{a}', '{}', '[]', '&a', '*a', '!tag', '|', '>', '@', ',', ';', '=',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'length',
  'a'.repeat(15), 'a'.repeat(16), 'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(253), 'a'.repeat(254), 'a'.repeat(256), 'a'.repeat(1025),
  `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  'A', 'Ab', 'a_b', 'a.b', 'a..b', '.a', 'a.', '-a', 'a-', '0', '00', '1', '-1', '1.5', 'NaN', 'Infinity', 'undefined',
  'localhost', '127.0.0.1', '::1', '0.0.0.0/0', '10.0.0.0/8', '1.2.3.4/33', '256.0.0.1', '::/0', 'fe80::1%eth0', '1.2.3.4:80',
  'http://x', 'https://', 'https://a b', 'file:///etc/passwd', 'GET', 'get', 'PROPFIND', '5xx', '503', '600', '5xx,reset',
  ...YAML_AMBIGUOUS,
];

/** An exotic string: one of the list, or a random unicode or binary string. */
export const exoticString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EXOTIC_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
const ALNUM = [...LOWER, ...'0123456789'.split('')];
/** A DNS-1123 label as people write them (`reviews`, `v2`, `a-1b`). */
export const label: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('reviews', 'ratings', 'v1', 'v2', 'v3', 'app', 'prod', 'default', 'bookinfo', 'web', 'db', 'canary'),
  fc.constantFrom(...LOWER),
  fc.tuple(fc.constantFrom(...LOWER), fc.string({ unit: fc.constantFrom(...ALNUM, '-'), maxLength: 10 }), fc.constantFrom(...ALNUM)).map(([a, b, c]) => a + b + c),
);
/** A label-shaped name with its edge values. */
export const name: fc.Arbitrary<unknown> = edgy(label, exoticString, fc.constantFrom('a'.repeat(63), 'a'.repeat(64), 'v1', 'V1', '1', 'a-b', 'a.b'));

/** A DNS host as people write them (`a.b.example.com`). */
export const hostname: fc.Arbitrary<string> = fc.tuple(label, label).map(([a, b]) => `${a}.${b}.example.com`);
/** A host with its edge values: wildcards, IPs, numeric TLDs, long labels, upper case. */
export const host: fc.Arbitrary<unknown> = edgy(hostname, exoticString, fc.constantFrom(
  '*', '*.example.com', '*.com', 'a.*.com', 'foo*.com', 'EXAMPLE.COM', 'a.123', '123', '1.2.3.4', 'a-.com', 'xn--bcher-kva.example',
  `${'a'.repeat(63)}.com`, `${'a'.repeat(64)}.com`, 'example.com.', 'reviews', 'reviews.prod.svc.cluster.local', 'ns/host.com', './host.com',
));

/** A URL path. */
export const urlPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('/', '/api', '/api/v1/', '/reviews', '/static/app.js', '/healthz'),
  fc.string({ unit: fc.constantFrom(...ALNUM, '/', '_', '.', '-'), maxLength: 20 }).map((p) => `/${p}`),
);

/** Kubernetes labels (`{ app: 'x' }`), with invalid keys and values sometimes. */
export const labels: fc.Arbitrary<unknown> = edgy(
  fc.dictionary(fc.oneof(label, label.map((l) => `example.com/${l}`)), fc.oneof(label, fc.constant('')), { minKeys: 1, maxKeys: 3 }),
  fc.dictionary(exoticString, fc.oneof(label, exoticString), { maxKeys: 2 }),
  fc.constantFrom({}, { app: '' }, { '': 'a' }, { app: '*' }, { 'a/b/c': 'x' }, { app: 'a'.repeat(64) }, { [`${'a'.repeat(254)}/x`]: 'y' }),
);

// ---------------------------------------------------------------------------------------------
// Numbers

/** The edge values of numeric wire types. */
export const EDGE_NUMBERS = [
  0, -0, 1, -1, 0.5, 1.5, 2.5, 99.5, 100, 100.0000001, 101, 199, 200, 599, 600, 601, 1e-7, Number.EPSILON, Number.MIN_VALUE,
  65535, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 63, 1e21, -1e21,
  Number.MAX_VALUE, -Number.MAX_VALUE, NaN, Infinity, -Infinity, 5000011, 5000010, 65537,
];

/** A number that is not the realistic value: bounds, fractions, NaN, infinities, random. */
export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

/** An integer in a realistic range, with the edge values of every numeric wire type. */
export function int(min: number, max: number): fc.Arbitrary<unknown> {
  return edgy(fc.integer({ min, max }), edgeNumber, fc.constantFrom(String(min), String(max), `${max}`.padStart(5, '0')));
}

/** A percentage 0-100 (a double), with edges. */
export const percentage: fc.Arbitrary<unknown> = edgy(
  fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })), edgeNumber, fc.constant('50'));

/** A boolean, with the values a YAML or JSON loader gives instead. */
export const bool: fc.Arbitrary<unknown> = edgy(fc.boolean(), fc.constantFrom('true', 'false', 0, 1, null, 'yes'));

/** An enum value: any of `values`, sometimes a near miss (lower case, padded, another enum's). */
export function enumOf(values: readonly string[]): fc.Arbitrary<unknown> {
  return edgy(fc.constantFrom(...values), fc.constantFrom(...values.map((v) => v.toLowerCase()), ...values.map((v) => ` ${v}`), '', 'UNKNOWN', 'default', 0, 1),
    exoticString);
}

// ---------------------------------------------------------------------------------------------
// Hostile values

class Plain { public a = 1; }
const cycle = () => { const o: any = { a: 1 }; o.self = o; return o; };
const cycleArray = () => { const a: any[] = [1]; a.push(a); return a; };
/** Nesting `depth` levels deep, built without recursion. */
const deep = (depth: number, array: boolean) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
};
const throwing = (what: string) => () => { throw new Error(`boom: ${what}`); };

/** Values of the wrong shape for any prop: every JavaScript type, and the nasty objects. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(undefined, null, 0, -1, 1.5, NaN, Infinity, '', 'x', true, false, [], {}, [null], [undefined], [[]], [{}], 10n, -(2n ** 64n)) },
  { weight: 2, arbitrary: exoticString },
  { weight: 1, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Special>(
      new Leaf('Symbol("x")', () => Symbol('x')),
      new Leaf('(() => 1)', () => () => 1),
      new Leaf('class {}', () => class {}),
      new Leaf('new Date(0)', () => new Date(0)),
      new Leaf('new Date(NaN)', () => new Date(NaN)),
      new Leaf('new Map([["a", 1]])', () => new Map([['a', 1]])),
      new Leaf('new Set([1])', () => new Set([1])),
      new Leaf('new Plain()', () => new Plain()),
      new Leaf('new Error("e")', () => new Error('e')),
      new Leaf('/re/', () => /re/),
      new Leaf('new String("x")', () => new String('x')),
      new Leaf('new Number(1)', () => new Number(1)),
      new Leaf('new Uint8Array(2)', () => new Uint8Array(2)),
      new Leaf('Promise.resolve(1)', () => Promise.resolve(1)),
      new Leaf('{ __pulumiOutput: true }', () => ({ __pulumiOutput: true })),
      new Leaf('cyclic object', cycle),
      new Leaf('cyclic array', cycleArray),
      new Leaf('"a".repeat(100000)', () => 'a'.repeat(100_000)),
      new Leaf('"%".repeat(100000)', () => '%'.repeat(100_000)),
      new Leaf('"a.".repeat(50000)', () => 'a.'.repeat(50_000)),
      new Leaf('array of 100000 "a"', () => new Array(100_000).fill('a')),
      new Leaf('deep objects(10000)', () => deep(10_000, false)),
      new Leaf('deep arrays(10000)', () => deep(10_000, true)),
      new Leaf('deep objects(40)', () => deep(40, false)),
      new Leaf('Object.create(null)', () => Object.create(null)),
      new Leaf('new Proxy({}, throwing)', () => new Proxy({}, { get: throwing('proxy get'), ownKeys: throwing('proxy ownKeys'), getPrototypeOf: throwing('proxy getPrototypeOf'), has: throwing('proxy has'), getOwnPropertyDescriptor: throwing('proxy gOPD') })),
      new Leaf('new Proxy([], throwing)', () => new Proxy([], { get: throwing('proxy get'), ownKeys: throwing('proxy ownKeys'), has: throwing('proxy has') })),
      new Leaf('{ get a() { throw } }', () => Object.defineProperty({}, 'a', { get: throwing('getter'), enumerable: true })),
      new Leaf('{ toString() { throw } }', () => ({ toString: throwing('toString'), valueOf: throwing('valueOf') })),
      new Leaf('{ toJSON() { throw } }', () => ({ toJSON: throwing('toJSON') })),
      new Leaf('{ [Symbol.toPrimitive]() { throw } }', () => ({ [Symbol.toPrimitive]: throwing('toPrimitive') })),
      new Leaf('{ toMilliseconds() { throw } }', () => ({ toMilliseconds: throwing('toMilliseconds') })),
      new Leaf('{ toMilliseconds: () => "5" }', () => ({ toMilliseconds: () => '5' })),
      new Leaf('{ toMilliseconds: () => NaN }', () => ({ toMilliseconds: () => NaN })),
      new Leaf('{ toMilliseconds: 5 }', () => ({ toMilliseconds: 5 })),
      new Leaf('sparse [, "a"]', () => [, 'a']), // eslint-disable-line no-sparse-arrays
      new Leaf('arguments-like { length: 1, 0: "a" }', () => ({ length: 1, 0: 'a' })),
    ),
  },
);

/** Keys that do not belong in any props object. */
export const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'toJSON', 'nme', 'Name', 'namespce',
    'wieght', 'extra', 'spec', 'metadata', 'apiVersion', 'kind', '', ' ', '$ref', 'length', '0'),
  exoticString,
);

/**
 * A hostile change to one node of a recipe: its value replaced by junk, or the object or array it
 * is kept with a twist (an unknown key, a null prototype, a Proxy in front, a throwing or
 * changing getter, a cycle, a hidden or Symbol key, a frozen copy, holes).
 */
export const hostileChange: fc.Arbitrary<(node: unknown) => unknown> = fc.oneof(
  { weight: 5, arbitrary: junk.map((j) => Object.assign(() => j, { [fc.toStringMethod]: () => `replace with ${fc.stringify(j)}` })) },
  {
    weight: 5,
    arbitrary: fc.tuple(unknownKey, junk).map(([k, v]) => Object.assign((n: unknown) => (isPlainRecipe(n) ? new Wrap(`withKey(${JSON.stringify(k)}, ${fc.stringify(v)})`, (o) => {
      if (isPlainRecipe(o)) defineOwn(o, k, realize(v));
      return o;
    }, n) : v), { [fc.toStringMethod]: () => `add key ${JSON.stringify(k)}: ${fc.stringify(v)}` })),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      wrapper('nullPrototype', (o) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.assign(Object.create(null), o) : o)),
      wrapper('transparentProxy', (o) => (o && typeof o === 'object' ? new Proxy(o, {}) : o)),
      wrapper('throwingProxy', (o) => (o && typeof o === 'object' ? new Proxy(o, { get: throwing('proxy get'), ownKeys: throwing('proxy ownKeys'), getOwnPropertyDescriptor: throwing('proxy gOPD') }) : o)),
      wrapper('frozen', (o) => (o && typeof o === 'object' ? Object.freeze(o) : o)),
      wrapper('cyclic', (o) => {
        if (o && typeof o === 'object') {
          if (Array.isArray(o)) o.push(o);
          else defineOwn(o, 'self', o);
        }
        return o;
      }),
      wrapper('throwingGetters', (o) => {
        if (o && typeof o === 'object') for (const k of Object.keys(o)) Object.defineProperty(o, k, { get: throwing(`getter ${k}`), enumerable: true, configurable: true });
        return o;
      }),
      wrapper('flippingGetters', (o) => {
        // A getter that gives the value on odd reads and junk on even ones: a time-of-check/time-of-use probe.
        if (o && typeof o === 'object') {
          for (const k of Object.keys(o)) {
            const v = (o as any)[k];
            let reads = 0;
            Object.defineProperty(o, k, { get: () => (reads++ % 2 === 0 ? v : 'Bad Value!'), enumerable: true, configurable: true });
          }
        }
        return o;
      }),
      wrapper('stableGetters', (o) => {
        if (o && typeof o === 'object') for (const k of Object.keys(o)) { const v = (o as any)[k]; Object.defineProperty(o, k, { get: () => v, enumerable: true, configurable: true }); }
        return o;
      }),
      wrapper('hiddenKeys', (o) => {
        if (o && typeof o === 'object') for (const k of Object.keys(o)) Object.defineProperty(o, k, { enumerable: false });
        return o;
      }),
      wrapper('withSymbolKey', (o) => {
        if (o && typeof o === 'object') (o as any)[Symbol('k')] = 1;
        return o;
      }),
      wrapper('withHoles', (o) => (Array.isArray(o) ? [, ...o, , ] : o)), // eslint-disable-line no-sparse-arrays
      wrapper('inherited', (o) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.create(o) : o)),
      wrapper('asArray', (o) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.values(o) : o)),
      wrapper('asObject', (o) => (Array.isArray(o) ? { ...o } : o)),
      wrapper('wrappedInArray', (o) => [o]),
      wrapper('repeated10001', (o) => (Array.isArray(o) && o.length > 0 ? new Array(10_001).fill(o[0]) : o)),
      wrapper('duplicated', (o) => (Array.isArray(o) ? [...o, ...o] : o)),
    ),
  },
);

/**
 * A named wrapper, printable in counterexamples. It changes only the plain objects and arrays
 * `realize` creates afresh; a class instance (possibly shared between runs) is passed unchanged.
 */
function wrapper(label: string, make: (o: unknown) => unknown): (node: unknown) => unknown {
  const safe = (o: unknown) => (Array.isArray(o) || isPlainRecipe(o) ? make(o) : o);
  return Object.assign((n: unknown) => new Wrap(label, safe, n), { [fc.toStringMethod]: () => label });
}

/**
 * Hostile props: a valid-looking recipe with one to three nodes changed (`hostileChange`), the
 * node picked anywhere in the tree (the root included), so every prop at every level is hit.
 */
export function hostile(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.array(fc.tuple(fc.nat(), hostileChange), { minLength: 1, maxLength: 3 })).map(([recipe, changes]) => {
    let out = recipe;
    for (const [at, change] of changes) {
      const count = nodes(out).length;
      out = replaceNode(out, at % count, change);
    }
    return out;
  });
}
