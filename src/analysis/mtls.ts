/**
 * The DISABLE-toward-STRICT check on its own, kept for compatibility: a DestinationRule that sends
 * plain text (`tls.mode: DISABLE`) to workloads whose PeerAuthentication is STRICT. The check is
 * the analyzer `library.MtlsConflictAnalyzer` (ICA0001 MtlsModeConflict), which `analyze` runs by
 * default; these functions run that one analyzer.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/tls-configuration/
 */
import { Manifest } from '../core/manifest';
import { analyze } from './analyze';
import { Diagnostic } from './types';

/**
 * A finding of the mTLS check: a diagnostic with code `ICA0001` (name `MtlsModeConflict`, level
 * `Error`) about the DestinationRule to change (`resource`: `DestinationRule namespace/name`).
 * @deprecated use `Diagnostic` and `analyze`
 */
export type MtlsConflict = Diagnostic;

/** Options of `findMtlsConflicts`. */
export interface MtlsAnalysisOptions {
  /** The mesh root namespace (where a PeerAuthentication without selector is mesh-wide). @default 'istio-system' */
  readonly rootNamespace?: string;
  /**
   * The namespace of objects without `metadata.namespace`.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/**
 * Whether an object takes part in the mTLS check (so a front end knows when to run it):
 * DestinationRules and PeerAuthentications, and the Services and workloads that tie a
 * workload-level PeerAuthentication to a DestinationRule host.
 */
export function affectsMtls(m: Manifest): boolean {
  return MTLS_KINDS.has(m?.kind);
}

const MTLS_KINDS: ReadonlySet<string> = new Set([
  'DestinationRule', 'PeerAuthentication', 'Service', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob',
]);

/**
 * Finds DestinationRules that disable client TLS toward workloads requiring STRICT mTLS, across
 * the given objects: runs `analyze` with only `library.MtlsConflictAnalyzer`.
 *
 * @param manifests every object of the program (DestinationRules, PeerAuthentications, Services, workloads)
 * @param options the root namespace
 * @returns one `ICA0001` diagnostic per DestinationRule place (top level, subset, port) that sets DISABLE
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export function findMtlsConflicts(manifests: readonly Manifest[], options: MtlsAnalysisOptions = {}): Diagnostic[] {
  return analyze(manifests, {
    analyzers: ['library.MtlsConflictAnalyzer'],
    ...(options.rootNamespace ? { meshConfig: { rootNamespace: options.rootNamespace } } : {}),
    ...(options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {}),
  });
}
