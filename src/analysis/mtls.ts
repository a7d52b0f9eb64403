/**
 * Cross-object check: a DestinationRule that sends plain text (`tls.mode: DISABLE`) to services in
 * a namespace whose PeerAuthentication (namespace-wide, or mesh-wide from the root namespace) is
 * STRICT. The server refuses the plain-text connection, so every request fails (Kiali KIA0501-style
 * conflict). Workload-level PeerAuthentications are not matched to hosts.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/tls-configuration/
 */
import { ErrorCode } from '../core/errors';
import { Manifest } from '../core/manifest';

/** A finding of an analysis over several objects. */
export interface MtlsConflict {
  /** Stable code, e.g. `MTLS_CONFLICT`. */
  readonly code: string;
  readonly level: 'Error' | 'Warning';
  /** `Kind namespace/name` of the object to change. */
  readonly object: string;
  readonly message: string;
}

/** Options of `findMtlsConflicts`. */
export interface MtlsAnalysisOptions {
  /** The mesh root namespace. @default 'istio-system' */
  readonly rootNamespace?: string;
}

/** Whether an object takes part in the mTLS analysis (so a front end knows when to run it). */
export function affectsMtls(m: Manifest): boolean {
  return m.kind === 'DestinationRule' || m.kind === 'PeerAuthentication';
}

/** Finds DestinationRules that disable TLS toward STRICT namespaces, across the given objects. */
export function findMtlsConflicts(manifests: readonly Manifest[], options: MtlsAnalysisOptions = {}): MtlsConflict[] {
  const root = options.rootNamespace ?? 'istio-system';
  const namespaceMode = new Map<string, string>();
  let meshMode: string | undefined;
  for (const m of manifests) {
    if (m.kind !== 'PeerAuthentication' || m.spec?.selector) continue;
    const mode = m.spec?.mtls?.mode;
    if (!mode || mode === 'UNSET') continue;
    if (m.metadata.namespace === root) meshMode = mode;
    else if (m.metadata.namespace) namespaceMode.set(m.metadata.namespace, mode);
  }
  const effective = (ns: string) => namespaceMode.get(ns) ?? meshMode;

  const out: MtlsConflict[] = [];
  for (const m of manifests) {
    if (m.kind !== 'DestinationRule') continue;
    const host: string = m.spec?.host ?? '';
    const parts = host.split('.');
    const ns = parts.length >= 3 && parts[2] === 'svc' ? parts[1] : parts.length === 1 ? m.metadata.namespace : undefined;
    if (!ns || effective(ns) !== 'STRICT') continue;
    const disabled: string[] = [];
    const check = (where: string, tp: any) => {
      if (tp?.tls?.mode === 'DISABLE') disabled.push(where);
      for (const p of tp?.portLevelSettings ?? []) if (p.tls?.mode === 'DISABLE') disabled.push(`${where}portLevelSettings[port ${p.port?.number}]`);
    };
    check('', m.spec?.trafficPolicy);
    for (const s of m.spec?.subsets ?? []) check(`subset ${s.name} `, s.trafficPolicy);
    for (const where of disabled) {
      out.push({
        code: ErrorCode.MTLS_CONFLICT,
        level: 'Error',
        object: `DestinationRule ${m.metadata.namespace}/${m.metadata.name}`,
        message: `${where ? where.trim() + ': ' : ''}tls.mode DISABLE sends plain text to ${host}, but namespace ${ns} requires STRICT mTLS; `
          + 'use ISTIO_MUTUAL (or leave tls out for auto mTLS), or relax the PeerAuthentication',
      });
    }
  }
  return out;
}
