/**
 * Analyzers of the `envoyfilter` family: EnvoyFilter patches whose operation does not fit what
 * they apply to, or whose effect depends on the order filters happen to be applied in. Facts from
 * Istio's `pkg/config/analysis/analyzers/envoyfilter`; the code is the library's own.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/envoy-filter/
 */
import { K } from '../kinds';
import { MessageName } from '../messages';
import { Analyzer, Resource } from '../types';
import { isRecord } from '../util';

/** `applyTo` values on which ADD and REMOVE are ignored by Istio. */
const ROUTE_LEVEL: ReadonlySet<string> = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
/** `applyTo` values REPLACE works on. */
const REPLACEABLE: ReadonlySet<string> = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'VIRTUAL_HOST']);

/**
 * The name a patch is about, used to find two patches of the same filter where one pins a proxy
 * version: the patch value's `name` (kept apart from a filter-chain name by a prefix), else the
 * listener filter it matches; `''` when neither is given or the value is not an object.
 */
function instanceName(patch: any): string {
  const value = patch?.patch?.value;
  if (!isRecord(value)) return '';
  if (value.name !== undefined && value.name !== null) return `value:${JSON.stringify(value.name)}`;
  const filter = patch?.match?.listener?.filterChain?.filter?.name;
  return typeof filter === 'string' ? filter : '';
}

/** One finding on one EnvoyFilter, before the patches are merged into one message per code. */
interface Finding {
  readonly message: MessageName;
  readonly patches: number[];
}

/**
 * The sentence and fix for each message type, given the patch indexes it concerns.
 */
const TEXT: Partial<Record<MessageName, (which: string) => string>> = {
  EnvoyFilterUsesRelativeOperation: (which) => `${which} a relative operation (INSERT_BEFORE, INSERT_AFTER, REPLACE or REMOVE) and the EnvoyFilter sets no priority, `
    + 'so the result depends on the order Istio applies EnvoyFilters in: set spec.priority, or use an absolute operation (INSERT_FIRST, ADD).',
  EnvoyFilterUsesRelativeOperationWithProxyVersion: (which) => `${which} a relative operation without spec.priority on a filter that a patch pinned to a proxyVersion also patches; `
    + 'when the proxies are upgraded the pinned patch stops applying and this one may then silently do nothing: set spec.priority, or use an absolute operation.',
  EnvoyFilterUsesReplaceOperationIncorrectly: (which) => `${which} REPLACE on something other than HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST, which Istio ignores: `
    + 'use MERGE, or REMOVE and ADD.',
  EnvoyFilterUsesAddOperationIncorrectly: (which) => `${which} ADD with applyTo ROUTE_CONFIGURATION or HTTP_ROUTE, which Istio ignores: use MERGE on the route configuration, `
    + 'or INSERT_FIRST/INSERT_BEFORE/INSERT_AFTER for an HTTP route.',
  EnvoyFilterUsesRemoveOperationIncorrectly: (which) => `${which} REMOVE with applyTo ROUTE_CONFIGURATION or HTTP_ROUTE, which Istio ignores: `
    + 'remove the route with a VirtualService instead, or MERGE the route configuration.',
};

/**
 * `envoyfilter.EnvoyPatchAnalyzer`: for each EnvoyFilter (in input order), each config patch up to
 * the first one without `patch`:
 * - ADD or REMOVE with `applyTo` ROUTE_CONFIGURATION or HTTP_ROUTE: IST0153 / IST0154 (ignored by Istio);
 * - REPLACE with `applyTo` other than HTTP_FILTER, NETWORK_FILTER, VIRTUAL_HOST: IST0152;
 * - otherwise a relative operation (INSERT_BEFORE, INSERT_AFTER, REPLACE, REMOVE) without
 *   `spec.priority`: IST0151, or IST0155 when an earlier patch (of this or an earlier EnvoyFilter)
 *   of the same filter name pins `match.proxy.proxyVersion`.
 * Each message type is reported once per EnvoyFilter, naming every patch it concerns, with the
 * path of the first.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0151/
 * @see https://istio.io/latest/docs/reference/config/networking/envoy-filter/#EnvoyFilter-Patch-Operation
 */
const envoyPatchAnalyzer: Analyzer = {
  name: 'envoyfilter.EnvoyPatchAnalyzer',
  analyze(ctx) {
    /** Filter names patched by a patch that pins a proxy version (across EnvoyFilters, in order). */
    const pinned = new Set<string>();
    for (const ef of ctx.list(K.EnvoyFilter)) {
      const findings = new Map<MessageName, Finding>();
      const add = (message: MessageName, i: number) => {
        let f = findings.get(message);
        if (!f) findings.set(message, f = { message, patches: [] });
        f.patches.push(i);
      };
      const priority = Number(ef.spec.priority ?? 0) || 0;
      const patches: unknown[] = Array.isArray(ef.spec.configPatches) ? ef.spec.configPatches : [];
      for (let i = 0; i < patches.length; i++) {
        const cp = patches[i] as any;
        if (!isRecord(cp) || !isRecord(cp.patch)) break;
        const name = instanceName(cp);
        const op = cp.patch.operation;
        const applyTo = cp.applyTo;
        const relative = () => { if (priority === 0) add(pinned.has(name) ? 'EnvoyFilterUsesRelativeOperationWithProxyVersion' : 'EnvoyFilterUsesRelativeOperation', i); };
        if (op === 'ADD') {
          if (ROUTE_LEVEL.has(applyTo)) add('EnvoyFilterUsesAddOperationIncorrectly', i);
        } else if (op === 'REMOVE') {
          if (ROUTE_LEVEL.has(applyTo)) add('EnvoyFilterUsesRemoveOperationIncorrectly', i); else relative();
        } else if (op === 'REPLACE') {
          if (!REPLACEABLE.has(applyTo)) add('EnvoyFilterUsesReplaceOperationIncorrectly', i); else relative();
        } else if (op === 'INSERT_BEFORE' || op === 'INSERT_AFTER') {
          relative();
        }
        const version = cp.match?.proxy?.proxyVersion;
        if (typeof version === 'string' && version) pinned.add(name);
      }
      for (const f of findings.values()) report(ctx, ef, f);
    }
  },
};

function report(ctx: Parameters<Analyzer['analyze']>[0], ef: Resource, f: Finding): void {
  const which = f.patches.length === 1 ? `configPatches[${f.patches[0]}] uses` : `configPatches ${f.patches.map((i) => `[${i}]`).join(', ')} use`;
  const text = TEXT[f.message]!(which);
  ctx.report(ef, f.message, text.charAt(0).toUpperCase() + text.slice(1), `spec.configPatches[${f.patches[0]}]`);
}

/** The `envoyfilter` analyzers, in the order they run. */
export const envoyfilterAnalyzers: readonly Analyzer[] = [envoyPatchAnalyzer];
