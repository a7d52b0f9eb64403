/**
 * Where an installation reads Istio's Helm charts from: Istio's Helm repository (the default), an
 * OCI registry, a local copy of istio/istio's `manifests/charts` directory, or a directory of
 * `helm pull` archives (air-gapped CI).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Ctx, ErrorCode, show } from './errors';
import type { ChartLocation, IstioChartName } from './installation-plan';
import { registerInstanceType } from './props';

/** Istio's Helm repository (`helm repo add istio <url>`). */
export const ISTIO_HELM_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';
/** Istio's OCI chart registry (releases and dev builds). */
export const ISTIO_OCI_REGISTRY = 'oci://registry.istio.io/release/charts';

/** Each chart's directory in istio/istio's `manifests/charts`. */
const CHART_DIRECTORIES: Readonly<Record<IstioChartName, string>> = {
  'base': 'base',
  'istiod': 'istio-control/istio-discovery',
  'gateway': 'gateway',
  'cni': 'istio-cni',
  'ztunnel': 'ztunnel',
};

type Kind = 'repository' | 'oci' | 'directory' | 'archives';

/** What a ChartSource was created from (for messages and tests). */
const BRAND = Symbol.for('istio-constructs.ChartSource');

/**
 * Where the charts of an installation come from. Create one with a static factory; pass it as
 * `chartSource` of an IstioInstallation.
 *
 * Istio's charts are versioned with Istio itself: from a repository or registry, the chart version
 * is the installation's Istio version. A local directory or archive is taken as it is (its version
 * is whatever was copied or pulled).
 */
export class ChartSource {
  /**
   * Istio's Helm repository (or a mirror of it), charts by name, chart version = the Istio version.
   * @param url the repository URL @default 'https://istio-release.storage.googleapis.com/charts'
   * @see https://istio.io/latest/docs/setup/install/helm/
   */
  static istioRepository(url: string = ISTIO_HELM_REPOSITORY): ChartSource {
    if (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\/\S+$/.test(url)) {
      new Ctx('ChartSource.istioRepository', 'url').fail(ErrorCode.INVALID_PROP, `${show(url)} is not an http(s) URL`,
        `give the Helm repository URL, e.g. '${ISTIO_HELM_REPOSITORY}'`);
    }
    return new ChartSource('repository', url.replace(/\/+$/, ''));
  }

  /**
   * An OCI registry holding Istio's charts as `<registry>/<chart>`, chart version = the Istio version.
   * @param registry the `oci://` reference of the chart folder @default 'oci://registry.istio.io/release/charts'
   */
  static oci(registry: string = ISTIO_OCI_REGISTRY): ChartSource {
    if (typeof registry !== 'string' || registry.length > 2048 || !/^oci:\/\/\S+$/.test(registry)) {
      new Ctx('ChartSource.oci', 'registry').fail(ErrorCode.INVALID_PROP, `${show(registry)} is not an oci:// reference`,
        `give the registry folder of the charts, e.g. '${ISTIO_OCI_REGISTRY}'`);
    }
    return new ChartSource('oci', registry.replace(/\/+$/, ''));
  }

  /**
   * A local copy of istio/istio's `manifests/charts` directory: `base`, `istio-control/istio-discovery`
   * (istiod), `gateway`, `istio-cni` (cni), `ztunnel`. Checked when a chart is located: a missing
   * directory throws IstioConstructError CHART_NOT_FOUND on `chartSource`.
   * @param dir the directory, absolute or relative to the working directory of the synth
   */
  static fromDirectory(dir: string): ChartSource {
    if (typeof dir !== 'string' || dir === '' || dir.length > 4096) {
      new Ctx('ChartSource.fromDirectory', 'dir').fail(ErrorCode.INVALID_PROP, `${show(dir)} is not a directory path`,
        "give the path of istio/istio's manifests/charts copy, e.g. ChartSource.fromDirectory('../istio/manifests/charts')");
    }
    return new ChartSource('directory', dir);
  }

  /**
   * A directory of chart archives as `helm pull istio/<chart> --version <version>` writes them:
   * `<chart>-<version>.tgz` (`base-1.31.0.tgz`, `istiod-1.31.0.tgz`, `cni-1.31.0.tgz`, ...).
   */
  static fromArchives(dir: string): ChartSource {
    if (typeof dir !== 'string' || dir === '' || dir.length > 4096) {
      new Ctx('ChartSource.fromArchives', 'dir').fail(ErrorCode.INVALID_PROP, `${show(dir)} is not a directory path`,
        'give the directory `helm pull` wrote the archives to');
    }
    return new ChartSource('archives', dir);
  }

  /** @internal */
  readonly [BRAND] = true;

  private constructor(
    /** How charts are read. */
    readonly kind: Kind,
    /** The repository URL, OCI reference or local directory. */
    readonly location: string,
  ) {
    Object.freeze(this);
  }

  /**
   * Where `chart` of Istio `version` is.
   * @param ctx where a failure is reported (the `chartSource` prop)
   * @throws IstioConstructError CHART_NOT_FOUND when a local directory or archive is missing
   * @internal The installation builder calls it.
   */
  locate(chart: IstioChartName, version: string, ctx: Ctx = new Ctx('IstioInstallation', 'chartSource')): ChartLocation {
    switch (this.kind) {
      case 'repository': return { chart, repository: this.location, version };
      case 'oci': return { chart: `${this.location}/${chart}`, version };
      case 'directory': {
        const dir = path.join(this.location, CHART_DIRECTORIES[chart]);
        if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) {
          ctx.fail(ErrorCode.CHART_NOT_FOUND, `the chart directory ${dir} (chart ${chart}) does not exist or has no Chart.yaml`,
            "set chartSource to a copy of istio/istio's manifests/charts (ChartSource.fromDirectory(dir), for air-gapped CI), or leave it unset to read Istio's Helm repository");
        }
        return { chart: dir };
      }
      case 'archives': {
        const file = path.join(this.location, `${chart}-${version}.tgz`);
        if (!fs.existsSync(file)) {
          ctx.fail(ErrorCode.CHART_NOT_FOUND, `the chart archive ${file} does not exist`,
            `run \`helm pull istio/${chart} --version ${version} -d ${this.location}\`, or set chartSource to ChartSource.fromDirectory(dir) (air-gapped CI) or ChartSource.istioRepository()`);
        }
        return { chart: file };
      }
    }
  }

  /** A short description, e.g. `istioRepository(https://...)`. */
  toString(): string {
    return `${this.kind === 'repository' ? 'istioRepository' : this.kind === 'oci' ? 'oci' : this.kind === 'directory' ? 'fromDirectory' : 'fromArchives'}(${this.location})`;
  }
}

/** Whether `value` is a genuine ChartSource (created by a factory, not copied). */
export function isChartSource(value: unknown): value is ChartSource {
  return value instanceof ChartSource && (value as any)[BRAND] === true && Object.isFrozen(value);
}

registerInstanceType('ChartSource', isChartSource,
  "a ChartSource (ChartSource.istioRepository(), ChartSource.oci(), ChartSource.fromDirectory(dir) or ChartSource.fromArchives(dir))",
  ErrorCode.INVALID_PROP, (v) => v instanceof ChartSource);
