/**
 * Istio versions: parsing, ordering, the supported range, and what changed between versions that
 * the IstioInstallation model exposes. Each row of the tables cites where the fact comes from
 * (istio/istio commits and release tags; a mirror of istio/istio was read for the tags).
 */
import { Ctx, ErrorCode, show } from './errors';

/** A parsed Istio version: `1.31.0`, `1.31` (patch 0 implied), `1.31.0-beta.1`. */
export interface IstioVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The prerelease suffix without its dash (`beta.1`), if any. */
  readonly prerelease?: string;
  /** As given, without a leading `v`. */
  readonly text: string;
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;

/** Parses an Istio version, or returns undefined. A leading `v` is accepted (`v1.31.0`). */
export function parseIstioVersion(text: string): IstioVersion | undefined {
  const m = typeof text === 'string' ? VERSION.exec(text) : null;
  if (!m) return undefined;
  return { major: +m[1], minor: +m[2], patch: m[3] === undefined ? 0 : +m[3], prerelease: m[4], text: text.replace(/^v/, '') };
}

/** Orders two versions (semver: a prerelease sorts before its release). */
export function compareIstioVersions(a: IstioVersion, b: IstioVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** Whether `v` is at least `major.minor` (any prerelease of `major.minor` counts as `major.minor`). */
export function atLeast(v: IstioVersion, minor: `${number}.${number}`): boolean {
  const [ma, mi] = minor.split('.').map(Number);
  return v.major > ma || (v.major === ma && v.minor >= mi);
}

/**
 * The Istio minors the model supports: 1.24 up to 1.32 (the shared charts are 1.31 and 1.32-dev;
 * the Sail Operator's CRD lists 1.21 to 1.31). 1.24 is the first whose charts take the
 * `platform` value and the `remote` Helm profile (istio/istio 1.24.0 `manifests/helm-profiles`);
 * earlier charts name OpenShift as a profile instead.
 */
export const SUPPORTED_ISTIO_VERSIONS = { from: '1.24', to: '1.32' } as const;

/**
 * Parses `text` and refuses a version outside `SUPPORTED_ISTIO_VERSIONS`.
 * @throws IstioConstructError INVALID_PROP (not a version) or UNSUPPORTED_VERSION (outside the range)
 * @internal
 */
export function checkIstioVersion(ctx: Ctx, text: string): IstioVersion {
  const v = parseIstioVersion(text);
  if (!v) {
    ctx.fail(ErrorCode.INVALID_PROP, `${show(text)} is not an Istio version`, "give <major>.<minor>.<patch>, e.g. '1.31.0' (or '1.31.0-beta.1')");
  }
  const { from, to } = SUPPORTED_ISTIO_VERSIONS;
  if (!atLeast(v, from) || atLeast(v, `${to.split('.')[0]}.${Number(to.split('.')[1]) + 1}` as `${number}.${number}`)) {
    ctx.fail(ErrorCode.UNSUPPORTED_VERSION, `Istio ${v.text} is outside the supported range`,
      `choose a version from ${from}.0 to ${to}.x`);
  }
  return v;
}

/**
 * A field of the installation's values that only some Istio versions have. `path` is the dotted
 * path under the istiod chart's values (`meshConfig.defaultConfig.proxyHeaders`).
 */
export interface VersionedField {
  readonly path: string;
  /** The first minor that has it. */
  readonly since: `${number}.${number}`;
  /** Where this is recorded. */
  readonly source: string;
}

/** Fields the model refuses on a version older than `since`. */
export const VERSIONED_FIELDS: readonly VersionedField[] = [
  {
    path: 'meshConfig.defaultConfig.proxyHeaders',
    since: '1.20',
    source: 'Istio 1.20 release notes (ProxyConfig proxyHeaders: server, x-request-id, x-forwarded-client-cert, ... controls)',
  },
  {
    path: 'meshConfig.serviceScopeConfigs',
    since: '1.27',
    source: 'istio/istio 4d03a06970a "ServiceScope Implementation (#56497)" (2025-07-09), first in tag 1.27.0 (helm-profiles/ambient.yaml sets it)',
  },
];

/**
 * How DNS auto-allocation works in `v`: `istiod` allocates addresses to ServiceEntries itself from
 * 1.25 (istio/istio 7d8e0cc878f "Enable PILOT_ENABLE_IP_AUTOALLOCATE by default for Istio 1.25
 * (#53661)"); before, the sidecar agent did it when `ISTIO_META_DNS_AUTO_ALLOCATE: "true"` is in
 * `meshConfig.defaultConfig.proxyMetadata`.
 */
export function dnsAutoAllocation(v: IstioVersion): 'istiod' | 'proxy-metadata' {
  return atLeast(v, '1.25') ? 'istiod' : 'proxy-metadata';
}

/**
 * The `compatibilityVersion` values the charts of `v` accept: one `compatibility-version-<x>.yaml`
 * preset per value in `manifests/helm-profiles` (read from istio/istio's tags: 1.24.0 has
 * 1.21-1.23, 1.25.0 1.22-1.24, 1.26.0 1.23-1.25, 1.27.0 1.24-1.26, 1.28.0 1.25-1.27, 1.29.0
 * 1.25-1.28, 1.30.0 1.25-1.29; 1.31 and master (1.32) 1.25-1.30).
 */
export function compatibilityVersions(v: IstioVersion): string[] {
  const table: Record<number, [number, number]> = {
    24: [21, 23], 25: [22, 24], 26: [23, 25], 27: [24, 26], 28: [25, 27], 29: [25, 28], 30: [25, 29], 31: [25, 30], 32: [25, 30],
  };
  const range = v.major === 1 ? table[v.minor] : undefined;
  if (!range) return [];
  const out: string[] = [];
  for (let m = range[0]; m <= range[1]; m++) out.push(`1.${m}`);
  return out;
}

/**
 * The Helm `profile` presets the charts of `v` ship (`manifests/helm-profiles/<name>.yaml`):
 * `ambient`, `demo`, `preview`, `remote`, `stable` in every supported version (istio/istio tags
 * 1.24.0 to 1.30.0 and master).
 */
export function helmProfiles(_v: IstioVersion): string[] {
  return ['ambient', 'demo', 'preview', 'remote', 'stable'];
}

/**
 * The istioctl profiles of `v` (`manifests/profiles/*.yaml`), which the model maps to charts:
 * the same set in every supported version.
 */
export function installationProfiles(_v: IstioVersion): string[] {
  return ['ambient', 'default', 'demo', 'empty', 'minimal', 'openshift', 'openshift-ambient', 'preview', 'remote', 'stable'];
}

/** The Sail Operator's `spec.version` for `v` (`v1.31.0`). */
export function sailVersion(v: IstioVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}
