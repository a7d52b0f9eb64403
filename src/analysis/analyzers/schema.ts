/**
 * Analyzers of the `schema` family: `schema.ValidationAnalyzer.<Kind>`, one per Istio kind, which
 * report what admission would say about each object (the CRD's structural schema and CEL rules,
 * then Istio's validating-webhook rules, see `validateManifestDetailed`): IST0106 per error,
 * IST0133 per warning, and the webhook's VirtualService rule analysis as IST0130 (a rule never
 * reached) and IST0131 (a match never used), as Istio's schema analyzer maps them. The engines
 * leave these out (`exclude: ['schema.*']`) because they validate each object already; the CLI
 * runs them so one command answers "will this apply". @internal
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0106/
 */
import { Manifest } from '../../core/manifest';
import { ValidationIssue, validateManifestDetailed } from '../../core/validation';
import { MessageName } from '../messages';
import { Analyzer, Resource } from '../types';

/** The Istio kinds validated, by `group/Kind` (the CRDs the library validates against). */
const ISTIO_KINDS: readonly string[] = [
  'networking.istio.io/VirtualService',
  'networking.istio.io/DestinationRule',
  'networking.istio.io/Gateway',
  'networking.istio.io/ServiceEntry',
  'networking.istio.io/Sidecar',
  'networking.istio.io/EnvoyFilter',
  'networking.istio.io/WorkloadEntry',
  'networking.istio.io/WorkloadGroup',
  'networking.istio.io/ProxyConfig',
  'security.istio.io/AuthorizationPolicy',
  'security.istio.io/PeerAuthentication',
  'security.istio.io/RequestAuthentication',
  'telemetry.istio.io/Telemetry',
  'extensions.istio.io/WasmPlugin',
  'extensions.istio.io/TrafficExtension',
];

/** The webhook marks its VirtualService rule-analysis warnings with the IST code they map to. */
const ANALYSIS_MARK = /\s*\((IST0130|IST0131)\)\s*$/;

/** A validation field (`/spec/http/0/route` JSON pointer, or already `spec.http[0].route`) as a diagnostic path. */
export function fieldPath(field: string): string | undefined {
  if (!field) return undefined;
  if (!field.startsWith('/')) return field;
  let out = '';
  for (const raw of field.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : `${out ? '.' : ''}${seg}`;
  }
  return out || undefined;
}

/** The object as admission sees it: with the namespace the analysis placed it in. */
function admitted(r: Resource): Manifest {
  const m = r.manifest;
  if (!r.namespace || m.metadata?.namespace === r.namespace) return m;
  return { ...m, metadata: { ...m.metadata, namespace: r.namespace } } as Manifest;
}

function describe(issue: ValidationIssue, message: string): string {
  return issue.field && !issue.field.startsWith('spec') && !issue.field.startsWith('/') ? `${issue.field}: ${message}` : message;
}

function validationAnalyzer(groupKind: string): Analyzer {
  const kind = groupKind.slice(groupKind.indexOf('/') + 1);
  return {
    name: `schema.ValidationAnalyzer.${kind}`,
    analyze(ctx) {
      for (const r of ctx.list(groupKind)) {
        if (r.external) continue;
        const { errors, warnings } = validateManifestDetailed(admitted(r));
        for (const e of errors) {
          ctx.report(r, 'SchemaValidationError', `${describe(e, e.message)}; the API server or Istio's webhook refuses the object until this field is fixed`, fieldPath(e.field));
        }
        // A rule placed after a catch-all is reported once per match, as Istio does: the repeats
        // of one warning on one rule are told apart by the match they stand for.
        const repeats = new Map<string, number>();
        for (const w of warnings) repeats.set(`${w.field}\u0000${w.message}`, (repeats.get(`${w.field}\u0000${w.message}`) ?? 0) + 1);
        const seen = new Map<string, number>();
        for (const w of warnings) {
          const mark = ANALYSIS_MARK.exec(w.message);
          const name: MessageName = !mark ? 'SchemaWarning' : mark[1] === 'IST0130' ? 'VirtualServiceUnreachableRule' : 'VirtualServiceIneffectiveMatch';
          const text = mark ? `${w.message.replace(ANALYSIS_MARK, '')}; reorder or remove it` : `${describe(w, w.message)}; the object is admitted, with this warning`;
          const key = `${w.field}\u0000${w.message}`;
          const k = seen.get(key) ?? 0;
          seen.set(key, k + 1);
          const path = fieldPath(w.field);
          ctx.report(r, name, text, mark && repeats.get(key)! > 1 ? `${path}.match[${k}]` : path);
        }
      }
    },
  };
}

/** The `schema` analyzers: `schema.ValidationAnalyzer.<Kind>` for every Istio kind. */
export const schemaAnalyzers: readonly Analyzer[] = ISTIO_KINDS.map(validationAnalyzer);
