/**
 * Plain-JSON helpers for Helm values and other escape hatches (checked with `checkPlainJson`
 * first, so a JSON round trip loses nothing). @internal
 */

/** Whether `v` is a JSON object (not null, not a list). @internal */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A deep copy of plain JSON (`undefined` stays `undefined`). @internal */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/**
 * Deep-merges plain JSON objects as Helm merges values: `over` wins, objects merge key by key,
 * lists and scalars are replaced; an undefined member of `over` is absent. Neither input is changed; a key `__proto__` stays a key.
 * @internal
 */
export function mergeJson(base: object, over: object): Record<string, unknown> {
  const out = cloneJson(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    // An undefined member is an absent one, as `cloneJson` (JSON) treats it.
    if (v === undefined) continue;
    const b = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    Object.defineProperty(out, k, {
      value: isJsonObject(b) && isJsonObject(v) ? mergeJson(b, v) : cloneJson(v), enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}
