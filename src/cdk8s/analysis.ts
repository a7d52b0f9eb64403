/**
 * How the App-level analysis of a cdk8s app is configured: what the manifests do not say (mesh
 * config, Istio namespace, objects that exist elsewhere), analyzers to leave out, and which charts
 * are alternative stages of one rollout.
 */
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ErrorCode, IstioConstructError, show } from '../core/errors';
import { Manifest } from '../core/manifest';
import { configureAppChecks } from './app-checks';

/**
 * Options of the analysis `app.synth()` runs once over every object of the app.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */
export interface IstioAnalysisOptions {
  /**
   * The mesh config the objects will run under (the `mesh` key of the `istio` ConfigMap, as an
   * object): root namespace, outbound traffic policy, extension providers...
   * @default Istio's defaults
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
   */
  readonly meshConfig?: Record<string, unknown>;
  /** The namespace the control plane runs in. @default 'istio-system' */
  readonly istioNamespace?: string;
  /**
   * Objects that exist in the cluster but are not in the app (Services, Secrets, gateway
   * Deployments managed elsewhere), as plain manifests: references to them resolve, and nothing is
   * reported about them.
   * @default - none
   */
  readonly external?: readonly Manifest[];
  /**
   * Analyzers to leave out, by name (`virtualservice.GatewayAnalyzer`) or by name prefix ending in
   * `.` or `*` (`library.*`). The per-object schema analyzers (`schema.*`) are always left out:
   * every Istio object is already validated as the API server would admit it.
   * @default - none besides `schema.*`
   */
  readonly exclude?: readonly string[];
  /**
   * Charts that are alternatives of each other: the stages of a rollout, applied one at a time,
   * never together (e.g. one chart per step of a canary). Each stage is analyzed together with the
   * charts not listed here, never with another stage, so the same VirtualService in two stages is
   * not "declared twice", and a subset one stage removes is not checked against another stage's
   * routes. Every chart must belong to the app; a chart nested in a stage belongs to that stage.
   * @default - no stages: every chart is applied together, and analyzed as one program
   */
  readonly stages?: readonly Chart[];
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['meshConfig', 'istioNamespace', 'external', 'exclude', 'stages']);

/**
 * The analysis a cdk8s App runs once per synthesis (`app.synth()`, `app.synthYaml()`,
 * `Testing.synth(chart)`) over every `ApiObject` of the app, whoever made it: cross-object
 * problems `istioctl analyze` would report (IST codes) and the library's own (ICA codes). Errors
 * fail the synth, listing every one; warnings and infos are printed once.
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { CanaryService, IstioAnalysis, Protocol, ServiceRef } from 'istio-constructs/cdk8s';
 *
 * const app = new App();
 * const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 * // Two stages of a rollout, applied one at a time: each is analyzed on its own.
 * const stage1 = new Chart(app, 'stage-1');
 * new CanaryService(stage1, 'reviews', { service: reviews, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }] });
 * const stage2 = new Chart(app, 'stage-2');
 * new CanaryService(stage2, 'reviews', { service: reviews, versions: [{ name: 'v2', percent: 100 }] });
 * IstioAnalysis.configure(app, { stages: [stage1, stage2], meshConfig: { rootNamespace: 'istio-system' } });
 * app.synthYaml(); // errors (IST/ICA codes) would fail here
 * ```
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */
export class IstioAnalysis {
  /**
   * Configures the analysis of an App (replacing an earlier configuration), and turns it on for an
   * app that holds none of this library's constructs (e.g. YAML included with `Include` or Helm).
   *
   * @param app the cdk8s `App` (the root of the construct tree)
   * @param options see `IstioAnalysisOptions`
   * @throws IstioConstructError INVALID_PROP when `app` is not the root of its tree, a stage is not a
   *   `Chart` of this app or is listed twice, or an option has the wrong shape;
   *   UNKNOWN_PROP for an option the type does not have
   */
  public static configure(app: IConstruct, options: IstioAnalysisOptions = {}): void {
    const fail = (code: ErrorCode, path: string, problem: string, hint: string): never => {
      throw new IstioConstructError(code, path, problem, hint, 'IstioAnalysis.configure');
    };
    if (!app || typeof app !== 'object' || !(app as IConstruct).node || app.node.root !== app) {
      fail(ErrorCode.INVALID_PROP, 'app', `expected the cdk8s App (the root of the construct tree), got ${app?.node ? `"${app.node.path}"` : show(app)}`,
        'pass the App, e.g. IstioAnalysis.configure(app, { ... })');
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      fail(ErrorCode.INVALID_PROP, '', `expected an options object, got ${show(options)}`, 'pass { meshConfig?, istioNamespace?, external?, exclude?, stages? }');
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) fail(ErrorCode.UNKNOWN_PROP, key, `unknown option ${JSON.stringify(key)}`, `use one of ${[...OPTION_KEYS].join(', ')}`);
    }
    const { meshConfig, istioNamespace, external, exclude, stages } = options;
    if (meshConfig !== undefined && (typeof meshConfig !== 'object' || meshConfig === null || Array.isArray(meshConfig))) {
      fail(ErrorCode.INVALID_PROP, 'meshConfig', `expected an object, got ${show(meshConfig)}`, 'pass the mesh config as an object, e.g. { rootNamespace: "istio-system" }');
    }
    if (istioNamespace !== undefined && (typeof istioNamespace !== 'string' || istioNamespace === '')) {
      fail(ErrorCode.INVALID_PROP, 'istioNamespace', `expected a namespace name, got ${show(istioNamespace)}`, 'pass the namespace istiod runs in, e.g. "istio-system"');
    }
    if (external !== undefined) {
      if (!Array.isArray(external)) fail(ErrorCode.INVALID_PROP, 'external', `expected an array of manifests, got ${show(external)}`, 'pass [{ apiVersion, kind, metadata: { name, namespace }, ... }]');
      external.forEach((m, i) => {
        if (typeof m !== 'object' || m === null || typeof (m as Manifest).kind !== 'string' || typeof (m as Manifest).metadata?.name !== 'string') {
          fail(ErrorCode.INVALID_PROP, `external[${i}]`, `expected a manifest with kind and metadata.name, got ${show(m)}`, 'pass a Kubernetes object as plain JSON');
        }
      });
    }
    if (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((e) => typeof e !== 'string' || e === ''))) {
      fail(ErrorCode.INVALID_PROP, 'exclude', `expected analyzer names, got ${show(exclude)}`, 'pass names such as "virtualservice.GatewayAnalyzer" or prefixes such as "library.*"');
    }
    if (stages !== undefined) {
      if (!Array.isArray(stages)) fail(ErrorCode.INVALID_PROP, 'stages', `expected an array of Charts, got ${show(stages)}`, 'pass the charts that are alternative stages, e.g. [stage1, stage2]');
      const seen = new Set<Chart>();
      stages.forEach((c, i) => {
        if (!Chart.isChart(c) || c.node.root !== app) {
          fail(ErrorCode.INVALID_PROP, `stages[${i}]`, `expected a Chart of this app, got ${Chart.isChart(c) ? `chart "${c.node.path}" of another app` : show(c)}`,
            'pass charts created under this App');
        }
        if (seen.has(c)) fail(ErrorCode.INVALID_PROP, `stages[${i}]`, `chart "${c.node.path}" is listed twice`, 'list each stage chart once');
        seen.add(c);
      });
    }
    configureAppChecks(app, {
      meshConfig, istioNamespace, external: external ? [...external] : undefined, exclude: exclude ? [...exclude] : undefined,
      stages: stages ? [...stages] : undefined,
    });
  }

  private constructor() {}
}
