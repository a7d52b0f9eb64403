import { Brand } from './brand';
import { Ctx, ErrorCode, show } from './errors';
import { checkProps } from './props';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNITS;

/** Nanoseconds per unit of Go's duration syntax (`µs` as U+00B5 and U+03BC, like Go). */
const GO_UNITS_NS: Readonly<Record<string, bigint>> = {
  'ns': 1n, 'us': 1_000n, '\u00b5s': 1_000n, '\u03bcs': 1_000n, 'ms': 1_000_000n, 's': 1_000_000_000n, 'm': 60_000_000_000n, 'h': 3_600_000_000_000n,
};
const NS_PER_MS = 1_000_000n;
/** Go and CEL durations are int64 nanoseconds: at most 2^63-1 ns. */
const MAX_NS = (1n << 63n) - 1n;

/**
 * The longest duration Istio accepts, in whole milliseconds: Go's and CEL's limit of 2^63-1
 * nanoseconds (about 292 years), rounded down to whole milliseconds.
 */
export const MAX_DURATION_MILLIS = Number(MAX_NS / NS_PER_MS);


/** The Durations made by the factories (see `Brand`). */
const DURATIONS = new Brand<Duration>((d) => [(d as unknown as { amount: number }).amount, (d as unknown as { unit: Unit }).unit]);

/** Whether `value` is a Duration made by its factories, unchanged: a forged or tampered one is not. Never throws. @internal */
export function isDuration(value: unknown): value is Duration {
  return DURATIONS.isGenuine(value);
}

/**
 * Anything that can say how long it is in milliseconds, such as cdk8s's `Duration`
 * (`cdk8s.Duration.seconds(5)`). The core takes it structurally, so it never imports cdk8s.
 */
export interface MillisecondsDuration {
  /** The length in milliseconds; must be finite and whole. */
  toMilliseconds(): number;
}

/**
 * What every duration prop accepts:
 * - this library's `Duration` (`Duration.seconds(60)` renders `60s`: the constructing unit is kept);
 * - an Istio/Go duration string: one or more number+unit pairs with units `ns`, `us` (`µs`), `ms`,
 *   `s`, `m`, `h` (`'500ms'`, `'1.5s'`, `'1h2m'`); rendered as given when it is a whole number of
 *   one of `ms`, `s`, `m`, `h` (`'90s'`), otherwise in the largest of those units that is exact
 *   (`'1h2m'` → `62m`, `'1.5s'` → `1500ms`);
 * - any object with `toMilliseconds()`, e.g. a cdk8s `Duration`, rendered in the largest exact unit
 *   (`cdk8s.Duration.seconds(5)` → `5s`).
 *
 * Istio's admission checks apply to all three: whole milliseconds only, at least `1ms` (a few
 * fields, such as a cookie `ttl`, accept `0s`), at most `MAX_DURATION_MILLIS` (2^63-1 ns).
 * A value of another shape (a number, `null`, an object without `toMilliseconds`), a string that
 * does not parse, `NaN`, `Infinity` or a value out of range throws `IstioConstructError`
 * `INVALID_DURATION` with the prop path.
 *
 * @see https://protobuf.dev/reference/protobuf/google.protobuf/#duration
 * @see https://pkg.go.dev/time#ParseDuration
 */
export type DurationLike = Duration | string | MillisecondsDuration;

/**
 * A length of time, rendered as an Istio duration string (`50ms`, `4s`, `2m`, `1h`).
 *
 * Istio accepts whole milliseconds and at least `1ms` for timeouts and intervals; a few fields
 * (a cookie `ttl`) also accept `0s`. The unit you construct with is kept when it is exact, so
 * `Duration.seconds(60)` renders `60s`, not `1m`. Every duration prop also accepts a string
 * (`'1h2m'`) or a cdk8s `Duration`: see `DurationLike`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export class Duration {
  /** A duration in milliseconds. */
  public static millis(amount: number): Duration { return Duration.of(amount, 'ms'); }
  /** A duration in seconds (fractions allowed down to whole milliseconds). */
  public static seconds(amount: number): Duration { return Duration.of(amount, 's'); }
  /** A duration in minutes. */
  public static minutes(amount: number): Duration { return Duration.of(amount, 'm'); }
  /** A duration in hours. */
  public static hours(amount: number): Duration { return Duration.of(amount, 'h'); }

  /**
   * Parses an Istio/Go duration string: `250ms`, `1.5s`, `2m`, `1h2m30s`, `500us`. A whole number
   * of one of `ms`, `s`, `m`, `h` keeps its unit; anything else becomes the largest exact unit (a
   * sub-millisecond remainder is kept, and refused where the duration is used).
   * @throws IstioConstructError INVALID_DURATION when the string does not parse or exceeds 2^63-1 ns.
   */
  public static parse(text: string): Duration {
    const ctx = new Ctx('Duration');
    checkProps(ctx, 'Duration.parse', { text });
    const parsed = parseGoDuration(ctx, text);
    return parsed.unit !== undefined && parsed.amount !== undefined
      ? new Duration(parsed.amount, parsed.unit)
      : Duration.inLargestUnit(Number(parsed.ns) / Number(NS_PER_MS));
  }

  /** The duration in the largest of `h`, `m`, `s`, `ms` that holds `ms` exactly. */
  private static inLargestUnit(ms: number): Duration {
    for (const unit of ['h', 'm', 's'] as const) {
      if (ms !== 0 && ms % UNITS[unit] === 0) return new Duration(ms / UNITS[unit], unit);
    }
    return ms === 0 ? new Duration(0, 's') : new Duration(ms, 'ms');
  }

  /** Checks the amount is a number (NaN and the range are refused where the duration is used). */
  private static of(amount: number, unit: Unit): Duration {
    if (typeof amount !== 'number') new Ctx('Duration').at('amount').fail(ErrorCode.INVALID_DURATION, `${show(amount)} is not a number`, 'give the amount as a number, e.g. Duration.seconds(30)');
    return new Duration(amount, unit);
  }

  private constructor(private readonly amount: number, private readonly unit: Unit) {
    DURATIONS.mark(this);
  }

  /** The duration in milliseconds (may be fractional if constructed so; validation refuses that). */
  public toMilliseconds(): number {
    return this.amount * UNITS[this.unit];
  }

  /** The Istio duration string: the constructing unit when exact, otherwise milliseconds. */
  public toIstio(): string {
    if (Number.isInteger(this.amount)) return `${this.amount}${this.unit}`;
    return `${Math.round(this.toMilliseconds())}ms`;
  }

  /** @internal Validates and renders: whole milliseconds, at least `1ms` (or `0s` with `allowZero`). */
  public render(ctx: Ctx, opts: DurationOptions = {}): string {
    return renderDuration(ctx, this, opts);
  }
}

/** Options of the duration checks. @internal */
export interface DurationOptions {
  /** Accept `0s` (a cookie `ttl`); otherwise at least `1ms`. @default false */
  readonly allowZero?: boolean;
}

/** A checked duration: whole milliseconds in range, and the Istio string for it. @internal */
export interface ResolvedDuration {
  readonly milliseconds: number;
  /** The Istio duration string, e.g. `60s`. */
  readonly text: string;
}

/**
 * Checks a duration prop of any accepted shape (see `DurationLike`) and renders it. The one place
 * duration props are read; an undefined value (an unset optional prop) gives undefined.
 * @throws IstioConstructError INVALID_DURATION (at `ctx`'s path) for a wrong shape, a string that
 * does not parse, a non-finite or fractional number of milliseconds, or a value out of range.
 * @internal
 */
export function renderDuration(ctx: Ctx, value: DurationLike, opts?: DurationOptions): string;
/** @internal */
export function renderDuration(ctx: Ctx, value: DurationLike | undefined, opts?: DurationOptions): string | undefined;
/** @internal */
export function renderDuration(ctx: Ctx, value: DurationLike | undefined, opts: DurationOptions = {}): string | undefined {
  return value === undefined ? undefined : resolveDuration(ctx, value, opts).text;
}

/** Like `renderDuration`, returning the milliseconds too. @internal */
export function resolveDuration(ctx: Ctx, value: DurationLike, opts: DurationOptions = {}): ResolvedDuration {
  const min = opts.allowZero ? 0 : 1;
  const range = `give at least ${min === 0 ? '0s' : '1ms'} and at most ${MAX_DURATION_MILLIS}ms, in whole milliseconds (e.g. '250ms', '30s' or Duration.seconds(30))`;

  if (typeof value === 'string') {
    const parsed = parseGoDuration(ctx, value);
    if (parsed.ns % NS_PER_MS !== 0n) {
      ctx.fail(ErrorCode.INVALID_DURATION, `duration ${show(value)} is not whole milliseconds (Istio supports millisecond precision only)`, range);
    }
    if (parsed.ns < BigInt(min) * NS_PER_MS || parsed.ns > MAX_NS) {
      ctx.fail(ErrorCode.INVALID_DURATION, `duration ${show(value)} is ${parsed.ns < 0n ? 'negative' : parsed.ns > MAX_NS ? 'above the maximum (2^63-1 ns)' : `below ${min}ms`}`, range);
    }
    const milliseconds = Number(parsed.ns / NS_PER_MS);
    const text = parsed.unit !== undefined ? `${parsed.amount}${parsed.unit}` : largestUnit(milliseconds);
    return { milliseconds, text };
  }

  let milliseconds: unknown;
  let described: string;
  if (value instanceof Duration) {
    milliseconds = value.toMilliseconds();
    described = value.toIstio();
  } else if (value !== null && typeof value === 'object' && typeof (value as { toMilliseconds?: unknown }).toMilliseconds === 'function') {
    try {
      milliseconds = (value as MillisecondsDuration).toMilliseconds();
    } catch (e) {
      ctx.fail(ErrorCode.INVALID_DURATION, `the duration's toMilliseconds() failed: ${show(e instanceof Error ? e.message : e)}`, range);
    }
    described = `${show(milliseconds)}ms`;
  } else {
    ctx.fail(ErrorCode.INVALID_DURATION, `${show(value)} is not a duration${typeof value === 'number' ? ' (a number has no unit)' : ''}`,
      "give a Duration (Duration.seconds(30)), an Istio duration string ('30s', '1h2m', '250ms') or a cdk8s Duration");
  }
  if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds)) {
    ctx.fail(ErrorCode.INVALID_DURATION, `duration ${described} is not a finite number of milliseconds`, range);
  }
  if (milliseconds < min || milliseconds > MAX_DURATION_MILLIS) {
    ctx.fail(ErrorCode.INVALID_DURATION, `duration ${described} is ${milliseconds < 0 ? 'negative' : milliseconds < min ? `below ${min}ms` : 'above the maximum (2^63-1 ns)'}`, range);
  }
  if (Math.abs(milliseconds - Math.round(milliseconds)) > 1e-9) {
    ctx.fail(ErrorCode.INVALID_DURATION, `duration ${described} is not whole milliseconds (Istio supports millisecond precision only)`, range);
  }
  const whole = Math.round(milliseconds);
  return { milliseconds: whole, text: value instanceof Duration ? value.toIstio() : largestUnit(whole) };
}

/** `ms` in the largest of `h`, `m`, `s`, `ms` that holds it exactly; `0s` for zero. */
function largestUnit(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['h', 'm', 's'] as const) if (ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  return `${ms}ms`;
}

/** A parsed Go duration: signed nanoseconds, and the amount and unit when it is one whole `ms|s|m|h` term. */
interface ParsedDuration {
  readonly ns: bigint;
  readonly amount?: number;
  readonly unit?: Unit;
}

/**
 * Parses Go's duration syntax (what Istio and the API server's CEL `duration()` read): an optional
 * sign, then one or more `<decimal><unit>` terms, or a bare `0`. Never overflows (BigInt); the
 * range is checked by the caller. Digits below a nanosecond are dropped, as Go does.
 */
function parseGoDuration(ctx: Ctx, text: unknown): ParsedDuration {
  const hint = "write numbers with units ns, us, ms, s, m or h: '250ms', '1.5s', '1h2m'";
  if (typeof text !== 'string') ctx.fail(ErrorCode.INVALID_DURATION, `${show(text)} is not a duration string`, hint);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ns: 0n };
  if (rest === '') ctx.fail(ErrorCode.INVALID_DURATION, `${show(text)} is not a duration`, hint);
  const term = /^(\d*)(?:\.(\d*))?([^\d.]*)/;
  let ns = 0n;
  let terms = 0;
  let single: { amount: number; unit: Unit } | undefined;
  while (rest !== '') {
    const m = term.exec(rest)!;
    const [whole, intPart, fracPart, unit] = [m[0], m[1], m[2], m[3]];
    if (intPart === '' && !fracPart) {
      ctx.fail(ErrorCode.INVALID_DURATION, `${show(text)} is not a duration (expected a number at ${show(rest)})`, hint);
    }
    // Own keys only: a unit such as `constructor` must not find Object.prototype's members.
    const perUnit = Object.prototype.hasOwnProperty.call(GO_UNITS_NS, unit) ? GO_UNITS_NS[unit] : undefined;
    if (perUnit === undefined) {
      ctx.fail(ErrorCode.INVALID_DURATION, `${show(text)} is not a duration (${unit === '' ? 'missing unit' : `unknown unit ${show(unit)}`})`, hint);
    }
    const frac = (fracPart ?? '').slice(0, 30);
    ns += BigInt(intPart || '0') * perUnit + (frac ? (BigInt(frac) * perUnit) / 10n ** BigInt(frac.length) : 0n);
    if (fracPart === undefined && unit in UNITS) single = { amount: Number(intPart), unit: unit as Unit };
    terms++;
    rest = rest.slice(whole.length);
  }
  const exactSingle = terms === 1 && single !== undefined && Number.isSafeInteger(single.amount) ? single : undefined;
  return { ns: negative ? -ns : ns, ...(negative ? {} : exactSingle) };
}
