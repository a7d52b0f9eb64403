/**
 * The version model shared by the traffic-splitting patterns: named versions become
 * DestinationRule subsets, their weights a weighted route.
 */
import { checkLabelName, checkLabels } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { TrafficPolicy, WireTrafficPolicy, renderTrafficPolicy } from './traffic-policy';

/**
 * One version of a workload: a DestinationRule subset and its share of the default route.
 *
 * Give every version either a `weight` (relative, Istio's rule: non-negative integers with a
 * non-zero total) or a `percent` (integers that must total exactly 100), not a mix.
 */
export interface Version<V extends string = string> {
  /** The subset name, a DNS-1123 label (e.g. `v2`). */
  readonly name: V;
  /**
   * Relative share of traffic, a non-negative integer.
   * @default 0
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly weight?: number;
  /**
   * Share of traffic in percent, an integer 0-100; all versions' percents must total 100.
   * @default - use `weight`
   * @asType integer
   * @minimum 0
   * @maximum 100
   */
  readonly percent?: number;
  /**
   * The pod labels that select this version. `{}` makes a subset without labels (all endpoints
   * of the host, e.g. a ServiceEntry or an egress gateway), which Istio accepts.
   * @default { version: <name> }
   */
  readonly labels?: Record<string, string>;
  /**
   * Resilience settings for this version only (a subset-level traffic policy).
   * @default - the destination-wide policy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** A version with its defaults applied. @internal */
export interface ResolvedVersion {
  readonly name: string;
  readonly weight: number;
  readonly labels: Record<string, string>;
  readonly trafficPolicy?: WireTrafficPolicy;
}

/** The DestinationRule subsets of resolved versions. @internal */
export function subsetsOf(versions: readonly ResolvedVersion[]) {
  return versions.map((v) => {
    const labels = Object.keys(v.labels).length ? v.labels : undefined;
    return { name: v.name, ...(labels ? { labels } : {}), ...(v.trafficPolicy ? { trafficPolicy: v.trafficPolicy } : {}) };
  });
}

/** A version and the share of one route it receives. */
export interface WeightedVersion<V extends string = string> {
  /** The version (subset) name. */
  readonly version: V;
  /**
   * Relative share, a non-negative integer.
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly weight: number;
}

/**
 * The destinations of a weighted route: versions with weight 0 are left out, and a single
 * remaining version gets weight 100. @internal
 */
export function weightedDestinations<D>(split: readonly WeightedVersion[], destination: (subset: string) => D): Array<{ destination: D; weight: number }> {
  const live = split.filter((w) => w.weight > 0);
  return live.map((w) => ({ destination: destination(w.version), weight: live.length === 1 ? 100 : w.weight }));
}

/** The default split of resolved versions (their own weights). @internal */
export function splitOf(versions: readonly ResolvedVersion[]): WeightedVersion[] {
  return versions.map((v) => ({ version: v.name, weight: v.weight }));
}

/** Validates versions and turns percents into weights. @internal */
export function resolveVersions(ctx: Ctx, versions: readonly Version[] | undefined): ResolvedVersion[] {
  if (!Array.isArray(versions) || versions.length === 0) {
    ctx.fail(ErrorCode.NO_VERSIONS, 'no versions given',
      'give at least one version, e.g. [{ name: "v1", weight: 100 }]; for a Service without versions, use HttpRoute (or TcpRoute, TlsRoute) instead');
  }
  const usesPercent = versions.some((v) => v.percent !== undefined);
  const seen = new Set<string>();
  const out = versions.map((v, i) => {
    const c = ctx.at(i);
    checkLabelName(c.at('name'), v.name, 'version name');
    if (seen.has(v.name)) {
      c.at('name').fail(ErrorCode.DUPLICATE_VERSION, `version ${show(v.name)} is declared twice`, 'give each version a distinct name');
    }
    seen.add(v.name);
    if (v.weight !== undefined && v.percent !== undefined) {
      c.fail(ErrorCode.PERCENT_TOTAL, 'both weight and percent are set', 'give either weight or percent');
    }
    if (usesPercent && v.weight !== undefined) {
      c.at('weight').fail(ErrorCode.PERCENT_TOTAL, 'weights and percents are mixed across versions', 'use percent on every version, or weight on every version');
    }
    const key = usesPercent ? 'percent' : 'weight';
    const share = (usesPercent ? v.percent : v.weight) ?? 0;
    checkWeight(c.at(key), share);
    if (usesPercent && share > 100) {
      c.at('percent').fail(ErrorCode.PERCENT_TOTAL, `percent ${share} is over 100`, 'give a percent from 0 to 100');
    }
    return {
      name: v.name,
      weight: share,
      // Explicit `labels: {}` is a subset without labels (a ServiceEntry's or an egress gateway's), which Istio accepts.
      labels: v.labels === undefined ? { version: v.name } : checkLabels(c.at('labels'), v.labels),
      trafficPolicy: v.trafficPolicy ? renderTrafficPolicy(c.at('trafficPolicy'), v.trafficPolicy) : undefined,
    };
  });
  const total = out.reduce((s, v) => s + v.weight, 0);
  if (usesPercent && total !== 100) {
    ctx.fail(ErrorCode.PERCENT_TOTAL, `the percents total ${total}, not 100`, 'make the versions\' percents add up to exactly 100');
  }
  if (total === 0) {
    ctx.fail(ErrorCode.ZERO_TOTAL_WEIGHT, 'every version has weight 0, so no traffic could be routed (Istio refuses it)',
      'give at least one version a positive weight');
  }
  return out;
}

/** A route weight: a non-negative integer. @internal */
export function checkWeight(ctx: Ctx, weight: number): number {
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 2147483647) {
    ctx.fail(ErrorCode.INVALID_WEIGHT, `weight ${show(weight)} is not a non-negative integer`, 'give a whole number, 0 or more');
  }
  return weight + 0; // -0 becomes 0: emitted numbers are plain JSON
}

/** Checks that `name` is one of the versions, for routes and mirrors. @internal */
export function requireVersion(ctx: Ctx, versions: readonly ResolvedVersion[], name: string): string {
  if (!versions.some((v) => v.name === name)) {
    ctx.fail(ErrorCode.UNKNOWN_VERSION,
      `version ${show(name)} is not one of this object's versions (${versions.map((v) => v.name).join(', ')}); Envoy would answer 503 (no route)`,
      'route only to a version declared in versions, or add it there');
  }
  return name;
}

/**
 * Validates a weighted split of one route: known versions, non-negative integer weights, a
 * non-zero total, each version once. @internal
 */
export function resolveSplit(ctx: Ctx, versions: readonly ResolvedVersion[], split: readonly WeightedVersion[]): WeightedVersion[] {
  if (!Array.isArray(split) || split.length === 0) {
    ctx.fail(ErrorCode.NO_VERSIONS, 'the split is empty', 'give at least one { version, weight }');
  }
  const seen = new Set<string>();
  const out = split.map((w, i) => {
    requireVersion(ctx.at(i, 'version'), versions, w.version);
    checkWeight(ctx.at(i, 'weight'), w.weight);
    if (seen.has(w.version)) ctx.at(i, 'version').fail(ErrorCode.DUPLICATE_VERSION, `version ${w.version} appears twice in the split`, 'list each version once');
    seen.add(w.version);
    return { version: w.version, weight: w.weight };
  });
  if (out.reduce((s, w) => s + w.weight, 0) === 0) {
    ctx.fail(ErrorCode.ZERO_TOTAL_WEIGHT, 'the split\'s weights total 0', 'give at least one version a positive weight');
  }
  return out;
}
