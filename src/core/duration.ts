import { Ctx, ErrorCode, show } from './errors';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNITS;

/**
 * A length of time, rendered as an Istio duration string (`50ms`, `4s`, `2m`, `1h`).
 *
 * Istio accepts whole milliseconds and at least `1ms` for timeouts and intervals; a few fields
 * (a cookie `ttl`) also accept `0s`. The unit you construct with is kept when it is exact, so
 * `Duration.seconds(60)` renders `60s`, not `1m`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export class Duration {
  /** A duration in milliseconds. */
  public static millis(amount: number): Duration { return new Duration(amount, 'ms'); }
  /** A duration in seconds (fractions allowed down to whole milliseconds). */
  public static seconds(amount: number): Duration { return new Duration(amount, 's'); }
  /** A duration in minutes. */
  public static minutes(amount: number): Duration { return new Duration(amount, 'm'); }
  /** A duration in hours. */
  public static hours(amount: number): Duration { return new Duration(amount, 'h'); }

  /**
   * Parses an Istio/Go duration string with one unit: `250ms`, `1.5s`, `2m`, `1h`.
   * @throws IstioConstructError INVALID_DURATION when the string does not parse.
   */
  public static parse(text: string): Duration {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
    if (!m) {
      new Ctx('Duration').fail(ErrorCode.INVALID_DURATION, `${show(text)} is not a duration`,
        'write a number and one unit: "250ms", "1.5s", "2m" or "1h"');
    }
    return new Duration(Number(m![1]), m![2] as Unit);
  }

  private constructor(private readonly amount: number, private readonly unit: Unit) {}

  /** The duration in milliseconds (may be fractional if constructed so; validation refuses that). */
  public toMilliseconds(): number {
    return this.amount * UNITS[this.unit];
  }

  /** The Istio duration string: the constructing unit when exact, otherwise milliseconds. */
  public toIstio(): string {
    if (Number.isInteger(this.amount)) return `${this.amount}${this.unit}`;
    return `${Math.round(this.toMilliseconds())}ms`;
  }

  /** @internal Validates and renders: whole milliseconds, at least `min` ms (1 by default). */
  public render(ctx: Ctx, opts: { allowZero?: boolean } = {}): string {
    const ms = this.toMilliseconds();
    const min = opts.allowZero ? 0 : 1;
    if (!Number.isFinite(ms) || ms < min || Math.abs(ms - Math.round(ms)) > 1e-9) {
      ctx.fail(ErrorCode.INVALID_DURATION, `duration ${this.amount}${this.unit} is ${ms < min ? `below ${min}ms` : 'not whole milliseconds'}`,
        `give at least ${min === 0 ? '0s' : '1ms'}, in whole milliseconds (e.g. Duration.millis(250))`);
    }
    return this.toIstio();
  }
}
