/**
 * The fuzz invariant, and a runner that counts outcomes and shrinks one counterexample per kind
 * of failure. Shared by `npm test` (test/fuzz.test.ts, a small sample) and scripts/fuzz.ts.
 *
 * For every generated prop set, the builder either
 * - throws `IstioConstructError` with a known code and a message of at most `MAX_MESSAGE`
 *   characters (anything else thrown, a TypeError, a RangeError, a stack overflow, a non-Error, is
 *   a *non-library exception*; an over-long message is a *long message*), or
 * - returns objects that `validateManifests` admits with no errors, that are plain JSON (what is
 *   emitted is what was validated), and that are the same when the builder runs again on the same
 *   props and on props realized afresh from the same recipe; otherwise an *invalid output*.
 */
import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import { ErrorCode, IstioConstructError, PatternOutput, manifestsOf, validateManifests } from '../../src';
import { FuzzTarget } from './builders';
import { realize, showRecipe } from './recipe';

// Deep enough to find the library frame under the props validator's generated code.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 60);

/** The longest error message accepted (the input must not be echoed at length). */
export const MAX_MESSAGE = 400;

/** The failure kinds. */
export type FailureKind = 'non-library exception' | 'invalid output' | 'long message';

/** What one prop set gave. */
export type Outcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: FailureKind; readonly signature: string; readonly detail: string };

/** Collapses numbers and quoted text, so one bug gives one signature. */
function normalize(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').replace(/\s+/g, ' ').slice(0, 140);
}

/** Renders anything thrown, without trusting it (a thrown Proxy or a throwing getter must not escape). */
function describeThrown(e: unknown): { name: string; message: string; where: string } {
  try {
    if (e instanceof Error) {
      const frames = String(e.stack ?? '').split('\n').filter((l) => l.trim().startsWith('at '));
      const own = frames.find((l) => /[/\\]src[/\\]/.test(l)) ?? frames.find((l) => !/test[/\\]arbitraries/.test(l)) ?? frames[0] ?? '';
      const where = own.replace(/^\s*at\s+/, '').replace(/\(?(?:.*[/\\])?(src[/\\][^:)]+:\d+):\d+\)?/, '$1').trim();
      return { name: e.constructor?.name ?? e.name, message: String(e.message), where };
    }
    return { name: `non-Error ${typeof e}`, message: e === null ? 'null' : typeof e === 'object' ? Object.prototype.toString.call(e) : String(e), where: '' };
  } catch {
    return { name: 'unrenderable thrown value', message: '', where: '' };
  }
}

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Whether an Error was thrown by this library (or by the engine inside it), rather than by a
 * dependency's code the fuzzer called to make a value: the first frame outside the fuzzer's own
 * hostile values (test/arbitraries) decides: a dependency's frame (node_modules) there, with no
 * frame of the library's src/ anywhere in the stack, means not ours.
 */
function thrownThroughLibrary(e: unknown): boolean {
  if (!(e instanceof Error) || typeof e.stack !== 'string') return true; // a non-Error thrown: count it
  const frames = e.stack.split('\n').filter((l) => l.trim().startsWith('at '));
  // Engine builtins (`at Array.join (<anonymous>)`) run for whoever called them: the first located frame decides.
  const first = frames.find((l) => !/test[/\\]arbitraries/.test(l) && !NATIVE_FRAME.test(l));
  const ours = frames.some((l) => /[/\\]src[/\\]/.test(l) && !/node_modules/.test(l));
  return first === undefined || !/node_modules/.test(first) || ours;
}

/** A frame of an engine builtin, without a source location. */
const NATIVE_FRAME = /\(<anonymous>\)\s*$/;

/**
 * A stack overflow's trace holds only the innermost frames (`Error.stackTraceLimit`), often all
 * builtins of the recursion (`Array.join`, `Array.toString`): where it started is not in it. Runs
 * `fn` again with the whole trace kept, and returns what it throws then (or `e` if it does not).
 */
function withWholeTrace(e: unknown, fn: () => unknown): unknown {
  if (!(e instanceof RangeError) || typeof e.stack !== 'string') return e;
  const frames = e.stack.split('\n').filter((l) => l.trim().startsWith('at '));
  if (frames.some((l) => !NATIVE_FRAME.test(l))) return e;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    fn();
    return e;
  } catch (again) {
    return again;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Runs `fn` (realize and build) and classifies the exception. */
function attempt(fn: () => PatternOutput): { out?: PatternOutput; outcome?: Outcome } {
  try {
    return { out: fn() };
  } catch (thrown) {
    const e = withWholeTrace(thrown, fn);
    if (e instanceof IstioConstructError) {
      if (!CODES.has(e.code)) {
        return { outcome: { kind: 'non-library exception', signature: `IstioConstructError with unknown code ${String(e.code)}`, detail: e.message.slice(0, 600) } };
      }
      if (e.message.length > MAX_MESSAGE) {
        return { outcome: { kind: 'long message', signature: `${e.code} at ${normalize(e.path) || 'the props root'}`, detail: `${e.message.length} characters: ${e.message.slice(0, 600)}…` } };
      }
      return { outcome: { kind: 'refused', code: e.code } };
    }
    // Thrown by a third-party factory the fuzzer called to make a value (e.g. cdk8s.Duration.seconds
    // on a hostile amount), with no frame of this library's code: the caller's error, not ours.
    if (!thrownThroughLibrary(e)) return { outcome: { kind: 'refused', code: 'THROWN_BEFORE_THE_LIBRARY' } };
    const d = describeThrown(e);
    return { outcome: { kind: 'non-library exception', signature: `${d.name}: ${normalize(d.message)} @ ${d.where}`, detail: `${d.name}: ${d.message.slice(0, 600)}\n    at ${d.where}` } };
  }
}

/** Why a value is not plain JSON (NaN, infinities, -0, holes, `undefined` in a list, class instances, functions), if it is not. An `undefined` member of an object is dropped by every emitter and allowed. */
function jsonProblem(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? undefined : `${path} is ${String(value)}`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return `${path}/${i} is a hole`;
      const p = jsonProblem(value[i], `${path}/${i}`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `${path} is a ${proto?.constructor?.name ?? 'class instance'}`;
    for (const [k, v] of Object.entries(value as object)) {
      if (v === undefined) continue; // dropped by every emitter, like an absent key
      const p = jsonProblem(v, `${path}/${k}`);
      if (p) return p;
    }
    return undefined;
  }
  return `${path} is a ${typeof value}`;
}

function describeOutcome(o: Outcome): string {
  return o.kind === 'refused' ? `refused with ${o.code}` : o.kind === 'accepted' ? 'accepted' : o.detail;
}

/** Checks the invariant for one recipe of a target. */
export function check(target: FuzzTarget, recipe: unknown): Outcome {
  let props: unknown;
  // a factory in the recipe (ServiceRef.fromName, Duration.seconds, ...) may refuse or crash: that counts as the run's outcome
  const first = attempt(() => target.build(props = target.realize(recipe)));
  if (first.outcome) return first.outcome;
  const out = first.out!;
  const invalid = (signature: string, detail: string): Outcome => ({ kind: 'invalid output', signature, detail });

  let manifests;
  try {
    manifests = manifestsOf(out);
  } catch (e) {
    return invalid('the output has no objects list', describeThrown(e).message);
  }
  let errors;
  try {
    errors = validateManifests(manifests);
  } catch (e) {
    const d = describeThrown(e);
    return invalid(`validateManifests threw ${d.name}: ${normalize(d.message)} @ ${d.where}`, `${d.name}: ${d.message.slice(0, 600)}`);
  }
  if (errors.length > 0) {
    const e = errors[0];
    const kind = String(e.object).split(' ')[0];
    return invalid(`${kind} ${normalize(e.field)}: ${normalize(e.message)}`,
      errors.slice(0, 4).map((x) => `${x.object} ${x.field}: ${x.message}`).join('\n').slice(0, 1500));
  }
  const notJson = jsonProblem(manifests);
  if (notJson) return invalid(`output is not plain JSON: ${normalize(notJson.replace(/^\/\d+/, '/N'))}`, notJson);

  // determinism: the same props object again, then props realized afresh
  const again = attempt(() => target.build(props));
  if (again.outcome) return invalid('a second build on the same props threw', describeOutcome(again.outcome));
  if (!isDeepStrictEqual(manifestsOf(again.out!), manifests) || !isDeepStrictEqual(again.out!.warnings, out.warnings)) {
    return invalid('a second build on the same props gave other output', 'the builder reads or changes its props in a way that changes the result');
  }
  const fresh = attempt(() => target.build(target.realize(recipe)));
  if (fresh.outcome || !isDeepStrictEqual(manifestsOf(fresh.out!), manifests)) {
    return invalid('equal props gave other output', fresh.outcome?.kind === 'refused' ? `refused with ${fresh.outcome.code}` : 'the objects differ');
  }
  return { kind: 'accepted' };
}

/** The arbitrary a target is fuzzed with: half valid-looking, half hostile props. */
export function mixed(target: FuzzTarget): fc.Arbitrary<unknown> {
  return fc.oneof(target.valid, target.hostile);
}

/** A shrunk counterexample of one failure signature. */
export interface Counterexample {
  readonly kind: FailureKind;
  readonly signature: string;
  /** How many of the runs failed this way. */
  readonly count: number;
  /** The shrunk recipe, as code-like text. */
  readonly recipe: string;
  readonly detail: string;
  readonly seed: number;
  readonly path: string;
  readonly shrinks: number;
}

/** What fuzzing one target gave. */
export interface TargetReport {
  readonly name: string;
  readonly runs: number;
  readonly accepted: number;
  readonly refused: number;
  readonly refusedByCode: Record<string, number>;
  readonly failures: Record<FailureKind, number>;
  /** Distinct failure signatures with their counts, most frequent first. */
  readonly signatures: Array<{ kind: FailureKind; signature: string; count: number }>;
  readonly counterexamples: Counterexample[];
  readonly seconds: number;
}

/** Options of `fuzz`. */
export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  /** Counterexamples shrunk per failure kind. @default 3 */
  readonly examplesPerKind?: number;
  /** Time budget of one shrink, in ms. @default 20000 */
  readonly shrinkMillis?: number;
}

/**
 * Runs `runs` prop sets through a target and counts outcomes; then, for the most frequent
 * signatures of each failure kind, reruns with the same seed until the first failure of that
 * signature and lets fast-check shrink it.
 */
export function fuzz(target: FuzzTarget, o: FuzzOptions): TargetReport {
  const started = Date.now();
  const arb = mixed(target);
  let accepted = 0;
  let refused = 0;
  const refusedByCode: Record<string, number> = {};
  const failures: Record<FailureKind, number> = { 'non-library exception': 0, 'invalid output': 0, 'long message': 0 };
  const bySignature = new Map<string, { kind: FailureKind; signature: string; count: number }>();
  fc.check(fc.property(arb, (recipe) => {
    const r = check(target, recipe);
    if (r.kind === 'accepted') accepted++;
    else if (r.kind === 'refused') { refused++; refusedByCode[r.code] = (refusedByCode[r.code] ?? 0) + 1; } else {
      failures[r.kind]++;
      const key = `${r.kind}|${r.signature}`;
      const s = bySignature.get(key) ?? { kind: r.kind, signature: r.signature, count: 0 };
      s.count++;
      bySignature.set(key, s);
    }
    return true;
  }), { numRuns: o.runs, seed: o.seed });

  const signatures = [...bySignature.values()].sort((a, b) => b.count - a.count);
  const counterexamples: Counterexample[] = [];
  for (const kind of Object.keys(failures) as FailureKind[]) {
    for (const s of signatures.filter((x) => x.kind === kind).slice(0, o.examplesPerKind ?? 3)) {
      const result = fc.check(fc.property(arb, (recipe) => {
        const r = check(target, recipe);
        return !(r.kind === s.kind && r.signature === s.signature);
      }), { numRuns: o.runs, seed: o.seed, interruptAfterTimeLimit: o.shrinkMillis ?? 20_000 });
      if (!result.failed || !result.counterexample) continue;
      const recipe = result.counterexample[0];
      const r = check(target, recipe);
      counterexamples.push({
        kind,
        signature: s.signature,
        count: s.count,
        recipe: cut(showRecipe(recipe), 2000),
        detail: 'detail' in r ? r.detail : `(the shrunk value gives ${r.kind})`,
        seed: result.seed,
        path: result.counterexamplePath ?? '',
        shrinks: result.numShrinks,
      });
    }
  }
  return {
    name: target.name, runs: o.runs, accepted, refused, refusedByCode, failures, signatures, counterexamples, seconds: (Date.now() - started) / 1000,
  };
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s;
}

/** Replays one counterexample (seed and path) with the full invariant; returns fast-check's report. */
export function replay(target: FuzzTarget, seed: number, path: string): string {
  const result = fc.check(fc.property(mixed(target), (recipe) => {
    const r = check(target, recipe);
    if (r.kind !== 'accepted' && r.kind !== 'refused') throw new Error(`${r.kind}: ${r.signature}\n${r.detail}`);
  }), { seed, path, numRuns: 1 });
  if (!result.failed || !result.counterexample) return 'the replayed value satisfies the invariant';
  const r = check(target, result.counterexample[0]);
  return `${fc.defaultReportMessage(result)}\n${r.kind}${'signature' in r ? `: ${r.signature}\n${r.detail}` : ''}`;
}

export { realize };
