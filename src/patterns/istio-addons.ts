/**
 * The observability add-ons of an IstioInstallation (scenario S8): Kiali through its operator chart,
 * and Prometheus, Grafana, Jaeger and Loki as the plain manifests Istio ships in `samples/addons/`,
 * wired to each other and to the mesh config (Jaeger as the tracing provider).
 *
 * Engine-free: `resolveAddons` turns the props into Helm releases, manifest sources, a mesh-config
 * fragment and manifests that the installation builder adds to its `InstallationPlan`.
 *
 * What "pinned" means. The plain-manifest add-ons are read from the release branch of the Istio
 * version installed (`release-<major>.<minor>`, e.g. `release-1.31` for 1.31.0): that branch's
 * `samples/addons/*.yaml` name fixed image tags (see {@link ISTIO_ADDON_IMAGES}), and Istio only
 * changes them on a release branch for patch-level fixes. The Kiali operator chart is pinned to a
 * chart version: by default the Kiali version the same Istio branch's `samples/addons/kiali.yaml`
 * installs (see {@link KIALI_OPERATOR_CHART_VERSIONS}), the Kiali release Istio tested that minor with.
 *
 * @see https://istio.io/latest/docs/ops/integrations/
 * @see https://kiali.io/docs/installation/installation-guide/install-with-helm/
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { checkLabelName, checkPercentage, checkPlainJson, checkSubdomainName } from '../core/checks';
import { isJsonObject, mergeJson } from '../core/json';
import { Ctx, ErrorCode, show } from '../core/errors';
import type { HelmReleasePlan, ManifestSourcePlan } from '../core/installation-plan';
import { Manifest, compact } from '../core/manifest';
import { PatternWarning, WarningCode } from '../core/output';
import { checkProps } from '../core/props';

/** The add-ons Istio ships as plain manifests in `samples/addons/`. */
export type IstioAddonManifestName = 'prometheus' | 'grafana' | 'jaeger' | 'loki';

/**
 * Where the plain-manifest add-ons are read from. Give at most one of `directory` and `baseUrl`.
 * @default - Istio's GitHub repository at the installed version's release branch:
 *   `https://raw.githubusercontent.com/istio/istio/release-<major.minor>/samples/addons/<name>.yaml`
 */
export interface IstioAddonManifestsSource {
  /**
   * A local directory holding `<name>.yaml` in the layout of Istio's `samples/addons/` (for
   * air-gapped CI), e.g. a checkout's `samples/addons`. Relative paths resolve against the working
   * directory; each enabled add-on's file must exist.
   * @default - not local
   */
  readonly directory?: string;
  /**
   * An `https://` URL that `<name>.yaml` is appended to (with a `/`), e.g. a mirror of the branch.
   * @default - Istio's GitHub release branch of the installed version
   */
  readonly baseUrl?: string;
}

/**
 * Where the Kiali operator chart is read from: Kiali's Helm repository (default) or a local chart
 * directory or `.tgz` archive. `directory` excludes `repository` and `version`.
 */
export interface KialiChartSource {
  /**
   * The Helm repository of the chart `kiali-operator`.
   * @default 'https://kiali.org/helm-charts'
   */
  readonly repository?: string;
  /**
   * The chart version (`2.27.0`).
   * @default - the Kiali version the installed Istio minor ships in `samples/addons/kiali.yaml`
   *   ({@link KIALI_OPERATOR_CHART_VERSIONS}); required for an Istio minor not in that table
   */
  readonly version?: string;
  /**
   * A local chart directory (with `Chart.yaml` naming `kiali-operator`) or a `.tgz` archive.
   * @default - the repository
   */
  readonly directory?: string;
}

/**
 * Kiali, installed by the Kiali operator's Helm chart with `cr.create=true`: the chart also creates
 * the `Kiali` resource, in the Istio namespace, whose spec points Kiali at the other add-ons enabled
 * here (Prometheus, Grafana, Jaeger).
 * @see https://kiali.io/docs/configuration/kialis.kiali.io/
 */
export interface KialiAddonProps {
  /** Where the operator chart is read from. @default - Kiali's Helm repository, pinned version */
  readonly chart?: KialiChartSource;
  /** The namespace of the operator (the Helm release). @default 'kiali-operator' */
  readonly namespace?: string;
  /** The Helm release name. @default 'kiali-operator' */
  readonly releaseName?: string;
  /** The name of the `Kiali` resource (`cr.name`). @default 'kiali' */
  readonly crName?: string;
  /**
   * More `Kiali` spec settings (snake_case, as the CRD spells them), merged over the settings
   * derived from the other add-ons (objects merged key by key, anything else replaced), e.g.
   * `{ auth: { strategy: 'anonymous' } }` or `{ external_services: { grafana: { external_url: 'https://grafana.example.com' } } }`.
   * @default - only the derived settings
   */
  readonly spec?: Record<string, unknown>;
  /**
   * More chart values (escape hatch), e.g. `{ image: { pullPolicy: 'IfNotPresent' } }`. May not set
   * `cr` (use `crName` and `spec`) nor a `watchNamespace` other than the Istio namespace (the
   * `Kiali` resource is created in the watched namespace).
   * @default - none
   */
  readonly values?: Record<string, unknown>;
}

/**
 * Jaeger (Istio's `samples/addons/jaeger.yaml`), made the mesh's tracing backend: an extension
 * provider on the `jaeger-collector` Service the manifest defines, enabled mesh-wide.
 * @see https://istio.io/latest/docs/tasks/observability/distributed-tracing/jaeger/
 */
export interface JaegerAddonProps {
  /**
   * The protocol proxies send spans with: OpenTelemetry (gRPC, collector port 4317; what Istio's
   * `demo` profile declares for the provider `jaeger`) or Zipkin (collector port 9411).
   * @default 'opentelemetry'
   */
  readonly protocol?: 'opentelemetry' | 'zipkin';
  /** The name of the extension provider. @default 'jaeger' */
  readonly providerName?: string;
  /**
   * How the provider is enabled for the whole mesh: a `Telemetry` resource `mesh-default` in the
   * root namespace (which can set the sampling percentage), or mesh config
   * `defaultProviders.tracing` (no object; for meshes that keep their own root-namespace Telemetry,
   * as Istio takes one selector-less Telemetry per namespace). Both are read by istiod
   * (pilot/pkg/model/telemetry.go).
   * @default 'telemetry'
   */
  readonly enableWith?: 'telemetry' | 'defaultProviders';
  /**
   * The percentage of requests traced, 0-100 (`randomSamplingPercentage`); only with
   * `enableWith: 'telemetry'`.
   * @default - unset: proxies fall back to `meshConfig.defaultConfig.tracing.sampling`, else 1%
   */
  readonly samplingPercentage?: number;
}

/**
 * The observability add-ons of an installation. Each is off unless set (`true` or its options).
 * Prometheus, Grafana, Jaeger and Loki are Istio's sample manifests: they assume the namespace
 * `istio-system` and are meant for trying Istio, not for production.
 * @see https://istio.io/latest/docs/ops/integrations/
 */
export interface IstioAddonsProps {
  /** Where the plain-manifest add-ons are read from. @default - Istio's GitHub release branch of the installed version */
  readonly manifests?: IstioAddonManifestsSource;
  /** Prometheus (`prometheus.yaml`), scraping Istio's metrics. @default false */
  readonly prometheus?: boolean;
  /** Grafana (`grafana.yaml`) with Istio's dashboards; needs `prometheus`. @default false */
  readonly grafana?: boolean;
  /** Jaeger (`jaeger.yaml`) as the mesh's tracing backend. @default false */
  readonly jaeger?: boolean | JaegerAddonProps;
  /** Loki (`loki.yaml`), a log store; nothing in the mesh config points at it. @default false */
  readonly loki?: boolean;
  /** Kiali through the Kiali operator chart. @default false */
  readonly kiali?: boolean | KialiAddonProps;
}

/** What the add-ons add to an installation. */
export interface ResolvedAddons {
  /** The Helm releases (role `addon`): the Kiali operator. */
  readonly releases: HelmReleasePlan[];
  /** The plain-manifest add-ons, in the order prometheus, grafana, jaeger, loki. */
  readonly manifestSources: ManifestSourcePlan[];
  /**
   * A mesh-config fragment to merge into the installation's (Jaeger: `extensionProviders`, and
   * `defaultProviders.tracing` with `enableWith: 'defaultProviders'`); `{}` when nothing is needed.
   * Lists are to be appended to the installation's own (Helm replaces lists, profile ones included),
   * an extension provider replacing one of the same name: istiod refuses a mesh config with two
   * providers of one name (istio/istio pkg/config/validation/agent/extensionprovider.go). The
   * default provider equals the `jaeger` entry of Istio's `demo` profile.
   */
  readonly meshConfig: Record<string, unknown>;
  /** Objects to apply once Istio's CRDs are installed: the `Telemetry` enabling Jaeger. */
  readonly manifests: Manifest[];
  /** Namespaces to create before the releases (the Kiali operator's, when not the Istio namespace). */
  readonly namespaces: Manifest[];
  readonly warnings: PatternWarning[];
}

/** What `resolveAddons` needs from the installation. */
export interface IstioAddonsContext {
  /** The Istio version installed, `major.minor.patch` (a pre-release suffix is allowed), e.g. `1.31.0`. */
  readonly istioVersion: string;
  /** The namespace of istiod. */
  readonly istioNamespace: string;
  /** The mesh config root namespace. @default - `istioNamespace` */
  readonly rootNamespace?: string;
  /** The ids of the releases the add-ons are applied after (e.g. `['istiod']`). */
  readonly dependsOn: readonly string[];
}

/** The images of Istio's `samples/addons/*.yaml` per Istio minor, read from each `release-<minor>` branch of istio/istio. */
export const ISTIO_ADDON_IMAGES: Readonly<Record<string, Readonly<Record<IstioAddonManifestName | 'kiali', string>>>> = {
  '1.22': { prometheus: 'prom/prometheus:v2.51.1', grafana: 'docker.io/grafana/grafana:10.4.0', jaeger: 'docker.io/jaegertracing/all-in-one:1.56', kiali: 'quay.io/kiali/kiali:v1.86', loki: 'docker.io/grafana/loki:3.0.0' },
  '1.23': { prometheus: 'prom/prometheus:v2.52.0', grafana: 'docker.io/grafana/grafana:11.0.0', jaeger: 'docker.io/jaegertracing/all-in-one:1.58', kiali: 'quay.io/kiali/kiali:v1.87', loki: 'docker.io/grafana/loki:3.0.0' },
  '1.24': { prometheus: 'prom/prometheus:v2.54.1', grafana: 'docker.io/grafana/grafana:11.2.2-security-01', jaeger: 'docker.io/jaegertracing/all-in-one:1.58', kiali: 'quay.io/kiali/kiali:v2.0', loki: 'docker.io/grafana/loki:3.2.0' },
  '1.25': { prometheus: 'prom/prometheus:v3.1.0', grafana: 'docker.io/grafana/grafana:11.3.1', jaeger: 'docker.io/jaegertracing/all-in-one:1.63.0', kiali: 'quay.io/kiali/kiali:v2.5', loki: 'docker.io/grafana/loki:3.3.2' },
  '1.26': { prometheus: 'docker.io/prom/prometheus:v3.2.1', grafana: 'docker.io/grafana/grafana:11.3.1', jaeger: 'docker.io/jaegertracing/all-in-one:1.67.0', kiali: 'quay.io/kiali/kiali:v2.8', loki: 'docker.io/grafana/loki:3.4.2' },
  '1.27': { prometheus: 'docker.io/prom/prometheus:v3.4.2', grafana: 'docker.io/grafana/grafana:12.0.1', jaeger: 'docker.io/jaegertracing/all-in-one:1.70.0', kiali: 'quay.io/kiali/kiali:v2.12', loki: 'docker.io/grafana/loki:3.5.0' },
  '1.28': { prometheus: 'docker.io/prom/prometheus:v3.5.0', grafana: 'docker.io/grafana/grafana:12.0.1', jaeger: 'docker.io/jaegertracing/all-in-one:1.70.0', kiali: 'quay.io/kiali/kiali:v2.17', loki: 'docker.io/grafana/loki:3.5.5' },
  '1.29': { prometheus: 'docker.io/prom/prometheus:v3.8.1', grafana: 'docker.io/grafana/grafana:12.0.1', jaeger: 'docker.io/jaegertracing/jaeger:2.14.0', kiali: 'quay.io/kiali/kiali:v2.21', loki: 'docker.io/grafana/loki:3.6.3' },
  '1.30': { prometheus: 'docker.io/prom/prometheus:v3.10.0', grafana: 'docker.io/grafana/grafana:12.0.1', jaeger: 'docker.io/jaegertracing/jaeger:2.14.0', kiali: 'quay.io/kiali/kiali:v2.26', loki: 'docker.io/grafana/loki:3.6.5' },
  '1.31': { prometheus: 'docker.io/prom/prometheus:v3.10.0', grafana: 'docker.io/grafana/grafana:12.0.1', jaeger: 'docker.io/jaegertracing/jaeger:2.17.0', kiali: 'quay.io/kiali/kiali:v2.27', loki: 'docker.io/grafana/loki:3.6.7' },
};

/**
 * The default `kiali-operator` chart version per Istio minor: the Kiali version of that minor's
 * `samples/addons/kiali.yaml` ({@link ISTIO_ADDON_IMAGES}), as a chart version.
 */
export const KIALI_OPERATOR_CHART_VERSIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ISTIO_ADDON_IMAGES).map(([minor, images]) => [minor, `${images.kiali.split(':v')[1]}.0`]),
);

/** Kiali's Helm repository. */
export const KIALI_HELM_REPOSITORY = 'https://kiali.org/helm-charts';

/** The namespace Istio's sample add-on manifests are written for (their `metadata.namespace` and in-cluster addresses). */
export const ISTIO_ADDONS_NAMESPACE = 'istio-system';

/**
 * The Services of the sample manifests the wiring points at, as the manifests define them
 * (`samples/addons/*.yaml`, the same on every release branch from 1.22 on).
 */
const SERVICES = {
  /** prometheus.yaml: Service `prometheus`, port `http` 9090. */
  prometheus: { name: 'prometheus', port: 9090 },
  /** grafana.yaml: Service `grafana`, port `service` 3000. */
  grafana: { name: 'grafana', port: 3000 },
  /** jaeger.yaml: Service `tracing`, port `grpc-query` 16685 (the query API Kiali reads with gRPC); the UI is served under `/jaeger`. */
  tracingQuery: { name: 'tracing', port: 16685 },
  /** jaeger.yaml: Service `jaeger-collector`, ports `grpc-otel` 4317 and `http-zipkin` 9411. */
  collector: { name: 'jaeger-collector', otlpGrpc: 4317, zipkin: 9411 },
} as const;

const MANIFEST_ADDONS: readonly IstioAddonManifestName[] = ['prometheus', 'grafana', 'jaeger', 'loki'];

/**
 * Resolves the add-ons of an installation.
 *
 * @param ctx the context of the add-on props (the installation passes `ctx.at('addons')`): error paths are relative to it.
 * @param props the add-on props; `undefined` means none.
 * @param context what the add-ons need from the installation.
 * @throws IstioConstructError UNKNOWN_PROP / INVALID_PROP for props of the wrong shape, a bad
 *   version, URL or missing local file; INVALID_NAME for names; INVALID_PERCENTAGE; CONFLICTING_PROPS
 *   for Grafana without Prometheus, a sample add-on with an Istio namespace other than `istio-system`,
 *   two sources at once, sampling with `defaultProviders`, or Kiali values setting `cr`.
 * @internal The installation builder calls it: use the `addons` prop of `IstioInstallation`.
 */
export function resolveAddons(ctx: Ctx, props: IstioAddonsProps | undefined, context: IstioAddonsContext): ResolvedAddons {
  const empty: ResolvedAddons = { releases: [], manifestSources: [], meshConfig: {}, manifests: [], namespaces: [], warnings: [] };
  if (props === undefined) return empty;
  checkProps(ctx, 'IstioAddonsProps', props);
  const minor = istioMinor(ctx, context.istioVersion);
  const istioNamespace = checkLabelName(ctx, context.istioNamespace, 'namespace');
  const rootNamespace = checkLabelName(ctx, context.rootNamespace ?? istioNamespace, 'namespace');
  const warnings: PatternWarning[] = [];

  const enabled = (name: IstioAddonManifestName): boolean => props[name] !== undefined && props[name] !== false;
  if (enabled('grafana') && !enabled('prometheus')) {
    // grafana.yaml provisions one Prometheus datasource, http://prometheus:9090 in its own
    // namespace, and every Istio dashboard it loads queries that datasource.
    ctx.at('grafana').fail(ErrorCode.CONFLICTING_PROPS,
      'Grafana without Prometheus: the Istio dashboards of grafana.yaml all query the Prometheus datasource it provisions (http://prometheus:9090 in its namespace)',
      'set prometheus: true as well');
  }

  // The plain manifests.
  const manifestSources: ManifestSourcePlan[] = [];
  const source = props.manifests ?? {};
  if (source.directory !== undefined && source.baseUrl !== undefined) {
    ctx.at('manifests', 'baseUrl').fail(ErrorCode.CONFLICTING_PROPS, 'both a directory and a baseUrl were given',
      'give manifests.directory (local files) or manifests.baseUrl (a URL), not both');
  }
  if (source.baseUrl !== undefined) checkHttpsUrl(ctx.at('manifests', 'baseUrl'), source.baseUrl);
  if (source.directory !== undefined && source.directory.length === 0) {
    ctx.at('manifests', 'directory').fail(ErrorCode.INVALID_PROP, 'the directory is empty', 'give the path of a directory holding <name>.yaml, such as a checkout\'s samples/addons');
  }
  for (const name of MANIFEST_ADDONS) {
    if (!enabled(name)) continue;
    if (istioNamespace !== ISTIO_ADDONS_NAMESPACE) {
      ctx.at(name).fail(ErrorCode.CONFLICTING_PROPS,
        `Istio's ${name}.yaml is written for the namespace ${ISTIO_ADDONS_NAMESPACE} (its objects and in-cluster addresses), and Istio is installed in ${show(istioNamespace)}`,
        `install Istio in ${ISTIO_ADDONS_NAMESPACE} to use the sample add-ons, or install ${name} with its own chart`);
    }
    let location: string;
    if (source.directory !== undefined) {
      location = path.join(source.directory, `${name}.yaml`);
      if (!fs.existsSync(location)) {
        ctx.at('manifests', 'directory').fail(ErrorCode.INVALID_PROP, `${show(location)} does not exist`,
          'give a directory in the layout of Istio\'s samples/addons (with <name>.yaml for each add-on enabled), or leave manifests unset to read them from Istio\'s GitHub release branch');
      }
    } else {
      const base = source.baseUrl ?? `https://raw.githubusercontent.com/istio/istio/release-${minor}/samples/addons`;
      location = `${base.replace(/\/+$/, '')}/${name}.yaml`;
    }
    manifestSources.push({ id: name, source: location, dependsOn: [...context.dependsOn] });
  }

  // Jaeger: a tracing extension provider on the collector, enabled mesh-wide.
  let meshConfig: Record<string, unknown> = {};
  const manifests: Manifest[] = [];
  if (enabled('jaeger')) {
    const jctx = ctx.at('jaeger');
    const jaeger: JaegerAddonProps = props.jaeger === true ? {} : props.jaeger as JaegerAddonProps;
    const providerName = jaeger.providerName ?? 'jaeger';
    if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(providerName) || providerName.length > 253) {
      jctx.at('providerName').fail(ErrorCode.INVALID_NAME, `${show(providerName)} is not a provider name`, 'give letters, digits, -, _ or . (e.g. jaeger)');
    }
    const enableWith = jaeger.enableWith ?? 'telemetry';
    let sampling: number | undefined;
    if (jaeger.samplingPercentage !== undefined) {
      sampling = checkPercentage(jctx.at('samplingPercentage'), jaeger.samplingPercentage);
      if (enableWith !== 'telemetry') {
        jctx.at('samplingPercentage').fail(ErrorCode.CONFLICTING_PROPS, 'a sampling percentage is set on the Telemetry resource, and enableWith is defaultProviders (no Telemetry)',
          'use enableWith: \'telemetry\', or set meshConfig.defaultConfig.tracing.sampling on the installation instead');
      }
    }
    const service = `${SERVICES.collector.name}.${ISTIO_ADDONS_NAMESPACE}.svc.cluster.local`;
    const provider = (jaeger.protocol ?? 'opentelemetry') === 'opentelemetry'
      ? { name: providerName, opentelemetry: { service, port: SERVICES.collector.otlpGrpc } }
      : { name: providerName, zipkin: { service, port: SERVICES.collector.zipkin } };
    meshConfig = { extensionProviders: [provider] };
    if (enableWith === 'defaultProviders') {
      meshConfig = { ...meshConfig, defaultProviders: { tracing: [providerName] } };
    } else {
      manifests.push({
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: {
          name: 'mesh-default',
          namespace: rootNamespace,
          labels: { 'app.kubernetes.io/managed-by': 'istio-constructs', 'istio-constructs/pattern': 'istio-addons' },
        },
        spec: { tracing: [compact({ providers: [{ name: providerName }], randomSamplingPercentage: sampling })] },
      });
    }
  }

  // Kiali: the operator chart, creating the Kiali resource in the Istio namespace.
  const releases: HelmReleasePlan[] = [];
  const namespaces: Manifest[] = [];
  if (props.kiali !== undefined && props.kiali !== false) {
    const kctx = ctx.at('kiali');
    const kiali: KialiAddonProps = props.kiali === true ? {} : props.kiali;
    const namespace = checkLabelName(kctx.at('namespace'), kiali.namespace ?? 'kiali-operator', 'namespace');
    const releaseName = checkLabelName(kctx.at('releaseName'), kiali.releaseName ?? 'kiali-operator', 'release name');
    const crName = checkSubdomainName(kctx.at('crName'), kiali.crName ?? 'kiali', 'name');
    const location = kialiChart(kctx.at('chart'), kiali.chart ?? {}, minor);
    const values = kiali.values ?? {};
    checkPlainJson(kctx.at('values'), values);
    if (kiali.spec !== undefined) checkPlainJson(kctx.at('spec'), kiali.spec);
    if ('cr' in values) {
      kctx.at('values', 'cr').fail(ErrorCode.CONFLICTING_PROPS, 'the Kiali resource (cr) is set by the add-on',
        'set its name with kiali.crName and its settings with kiali.spec');
    }
    const watch = values.watchNamespace;
    if (watch !== undefined && watch !== '' && watch !== istioNamespace) {
      kctx.at('values', 'watchNamespace').fail(ErrorCode.CONFLICTING_PROPS,
        `the chart creates the Kiali resource in the watched namespace ${show(watch)}, and it belongs in the Istio namespace ${show(istioNamespace)}`,
        `leave watchNamespace unset (all namespaces) or set it to ${istioNamespace}`);
    }
    if (!enabled('prometheus')) {
      warnings.push({
        code: WarningCode.KIALI_WITHOUT_PROMETHEUS,
        path: kctx.path,
        message: `Kiali reads every graph and health figure from Prometheus, and none is installed here: it will query http://prometheus.${istioNamespace}:9090; enable prometheus or set kiali.spec.external_services.prometheus.url`,
      });
    }
    const spec = mergeJson(kialiSpec(enabled, istioNamespace, rootNamespace), kiali.spec ?? {});
    releases.push({
      id: releaseName,
      role: 'addon',
      releaseName,
      namespace,
      location,
      values: { ...values, cr: { create: true, name: crName, namespace: istioNamespace, spec } },
      dependsOn: [...context.dependsOn],
    });
    if (namespace !== istioNamespace) {
      namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
  }

  return { releases, manifestSources, meshConfig, manifests, namespaces, warnings };
}

/** The Kiali spec that points Kiali at the add-ons enabled (settings as kialis.kiali.io spells them). */
function kialiSpec(enabled: (name: IstioAddonManifestName) => boolean, istioNamespace: string, rootNamespace: string): Record<string, unknown> {
  const at = (svc: { name: string }, port: number) => `http://${svc.name}.${istioNamespace}:${port}`;
  const externalServices: Record<string, unknown> = {
    istio: { root_namespace: rootNamespace },
    prometheus: { url: at(SERVICES.prometheus, SERVICES.prometheus.port) },
    // Without these two, Kiali probes the defaults (grafana/tracing in the Istio namespace) and
    // reports them unreachable.
    grafana: enabled('grafana')
      ? { enabled: true, internal_url: at(SERVICES.grafana, SERVICES.grafana.port) }
      : { enabled: false },
    tracing: enabled('jaeger')
      ? { enabled: true, provider: 'jaeger', use_grpc: true, internal_url: `${at(SERVICES.tracingQuery, SERVICES.tracingQuery.port)}/jaeger` }
      : { enabled: false },
  };
  return { deployment: { cluster_wide_access: true }, external_services: externalServices };
}

/** The location of the Kiali operator chart. */
function kialiChart(ctx: Ctx, chart: KialiChartSource, minor: string): HelmReleasePlan['location'] {
  if (chart.directory !== undefined) {
    if (chart.repository !== undefined || chart.version !== undefined) {
      ctx.at(chart.repository !== undefined ? 'repository' : 'version').fail(ErrorCode.CONFLICTING_PROPS,
        'a local chart directory takes no repository or version', 'give chart.directory alone, or chart.repository and chart.version');
    }
    const dir = chart.directory;
    if (dir.endsWith('.tgz')) {
      if (!fs.existsSync(dir)) ctx.at('directory').fail(ErrorCode.INVALID_PROP, `${show(dir)} does not exist`, 'give the path of the kiali-operator chart archive, or leave chart unset to use Kiali\'s Helm repository');
      return { chart: dir };
    }
    const chartYaml = path.join(dir, 'Chart.yaml');
    if (!fs.existsSync(chartYaml)) {
      ctx.at('directory').fail(ErrorCode.INVALID_PROP, `${show(dir)} is not a chart directory (no Chart.yaml)`,
        'give the directory of the kiali-operator chart (e.g. a checkout of kiali/helm-charts, kiali-operator), or leave chart unset to use Kiali\'s Helm repository');
    }
    const name = (YAML.parse(fs.readFileSync(chartYaml, 'utf8')) ?? {}).name;
    if (name !== 'kiali-operator') {
      ctx.at('directory').fail(ErrorCode.INVALID_PROP, `${show(dir)} holds the chart ${show(name)}, not kiali-operator`,
        'give the directory of the kiali-operator chart (not kiali-server: the add-on creates the Kiali resource with the operator)');
    }
    return { chart: dir };
  }
  const repository = chart.repository ?? KIALI_HELM_REPOSITORY;
  checkHttpsUrl(ctx.at('repository'), repository);
  let version = chart.version;
  if (version === undefined) {
    version = KIALI_OPERATOR_CHART_VERSIONS[minor];
    if (version === undefined) {
      ctx.at('version').fail(ErrorCode.INVALID_PROP,
        `no Kiali version is pinned for Istio ${minor} (known: ${Object.keys(KIALI_OPERATOR_CHART_VERSIONS).join(', ')})`,
        'set kiali.chart.version to a kiali-operator chart version that supports this Istio minor (see https://kiali.io/docs/installation/installation-guide/prerequisites/)');
    }
  } else if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    ctx.at('version').fail(ErrorCode.INVALID_PROP, `${show(version)} is not a chart version`, 'give a version such as 2.27.0');
  }
  return { chart: 'kiali-operator', repository, version };
}

/** `1.31.0` → `1.31`. */
function istioMinor(ctx: Ctx, version: string): string {
  const m = typeof version === 'string' ? /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(version) : null;
  if (!m) {
    return ctx.fail(ErrorCode.INVALID_PROP, `the Istio version ${show(version)} is not major.minor.patch`, 'give the installed Istio version, e.g. 1.31.0');
  }
  return `${Number(m[1])}.${Number(m[2])}`;
}

function checkHttpsUrl(ctx: Ctx, url: string): void {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'https:' && u.hostname.length > 0 && !u.search && !u.hash && !u.username && !u.password;
  } catch {
    ok = false;
  }
  if (!ok) ctx.fail(ErrorCode.INVALID_PROP, `${show(url)} is not an https:// URL`, 'give an https:// URL without credentials, query or fragment');
}

/** Merges `over` into `base`: plain objects key by key, anything else replaced. */

