/**
 * Istio's validating-webhook rules for `Telemetry` (Go: `ValidateTelemetry`,
 * `validateTelemetryMetrics`, `validateTelemetryTracing`, `validateTelemetryAccessLogging`,
 * `validateTelemetryProviders`, `validateTelemetryFilter`).
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkPolicyTargets, entries, isObject, isSet, list, num, str } from './common';

/**
 * Checks one Telemetry spec.
 * @param r reporter at `spec`
 */
export function checkTelemetry(r: Reporter, spec: Record<string, any>): void {
  checkPolicyTargets(r, spec);
  list(spec.metrics).forEach((m, i) => {
    if (!isObject(m)) return;
    const at = r.at('metrics', i);
    checkProviders(at.at('providers'), m.providers);
    list(m.overrides).forEach((o, j) => {
      const oat = at.at('overrides', j);
      if (!isObject(o)) { oat.error('an override is null'); return; }
      for (const [tag, to] of entries(o.tagOverrides)) {
        const tat = oat.at('tagOverrides', tag);
        if (tag === '') tat.warn('a tag override has an empty tag name');
        if (!isObject(to)) { tat.error('a tag override is null'); continue; }
        const op = str(to.operation) || 'UPSERT';
        if (op === 'UPSERT' && str(to.value) === '') tat.at('value').error('a tag override with operation UPSERT needs a value');
        if (op === 'REMOVE' && str(to.value) !== '') tat.at('value').error('a tag override with operation REMOVE cannot have a value');
      }
      if (isObject(o.match) && 'customMetric' in o.match && str(o.match.customMetric) === '') oat.at('match', 'customMetric').error('customMetric cannot be empty');
    });
  });
  const tracing = list(spec.tracing);
  if (tracing.length > 1) r.at('tracing').warn('only one tracing entry is supported');
  tracing.forEach((t, i) => {
    if (!isObject(t)) return;
    const at = r.at('tracing', i);
    if (list(t.providers).length > 1) at.at('providers').warn('only one tracing provider is supported');
    checkProviders(at.at('providers'), t.providers);
    if (isSet(t.randomSamplingPercentage)) {
      const v = num(isObject(t.randomSamplingPercentage) ? t.randomSamplingPercentage.value : t.randomSamplingPercentage);
      if (v < 0 || v > 100) at.at('randomSamplingPercentage').error(`randomSamplingPercentage ${v} is not between 0 and 100`);
    }
    for (const [name, tag] of entries(t.customTags)) {
      const tat = at.at('customTags', name);
      if (name === '') tat.error('a custom tag name cannot be empty');
      if (!isObject(tag)) { tat.error(`custom tag ${show(name)} has no value`); continue; }
      if (isObject(tag.literal) && str(tag.literal.value) === '') tat.at('literal', 'value').error('a literal tag value cannot be empty');
      if (isObject(tag.header) && str(tag.header.name) === '') tat.at('header', 'name').error('a header tag needs a header name');
      if (isObject(tag.environment) && str(tag.environment.name) === '') tat.at('environment', 'name').error('an environment tag needs a variable name');
    }
  });
  list(spec.accessLogging).forEach((l, i) => {
    if (!isObject(l)) return;
    const at = r.at('accessLogging', i);
    if (isObject(l.filter)) {
      const problem = celProblem(str(l.filter.expression));
      if (problem) at.at('filter', 'expression').error(`the filter expression does not parse as CEL: ${problem}`);
    }
    checkProviders(at.at('providers'), l.providers);
  });
}

/** Every provider needs a name. Go: `validateTelemetryProviders`. */
function checkProviders(r: Reporter, providers: unknown): void {
  list(providers).forEach((p, i) => {
    if (!isObject(p) || str(p.name) === '') r.at(i, 'name').error('a provider needs a name');
  });
}

/**
 * Parses a CEL expression (access-log filters are CEL). Uses `@bufbuild/cel`'s parser when that
 * package is installed (the schema validator depends on it); without it the expression is not
 * checked.
 * @returns why it does not parse, or undefined.
 */
function celProblem(expression: string): string | undefined {
  let parse: ((e: string) => unknown) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parse = require('@bufbuild/cel').parse;
  } catch {
    return undefined;
  }
  try {
    parse!(expression);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
