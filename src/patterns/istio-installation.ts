/**
 * IstioInstallation: one typed model of an Istio installation (version, profile, revisions and
 * tags, mesh config, CNI/ztunnel, chart values), resolved by `buildIstioInstallation` into an
 * engine-free `InstallationPlan`: the Helm releases of Istio's own charts in apply order, or the
 * Sail Operator resources that install the same.
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @see https://istio.io/latest/docs/setup/additional-setup/config-profiles/
 */
import { ChartSource } from '../core/chart-source';
import { checkLabelName, checkPlainJson } from '../core/checks';
import { cloneJson, isJsonObject, mergeJson } from '../core/json';
import { Ctx, ErrorCode, IstioConstructError, show } from '../core/errors';
import type { HelmReleasePlan, InstallationPlan, ManagedGatewayPlan } from '../core/installation-plan';
import type { ManagedEgressGateway, ManagedIngressGateway } from '../core/managed-gateway';
import {
  IstioVersion, VERSIONED_FIELDS, atLeast, checkIstioVersion, compatibilityVersions, dnsAutoAllocation, sailVersion,
} from '../core/istio-version';
import type { Manifest } from '../core/manifest';
import { PatternWarning, WarningCode } from '../core/output';
import { checkProps, propsCtx } from '../core/props';
import { validateManifest } from '../core/validation';
import type { IstioCniValues, IstioValues, MeshConfig, ZTunnelValues } from '../generated/istio-values';
import { IstioAddonsProps, resolveAddons } from './istio-addons';
import { InstallationGatewayProps, resolveInstallationGateways } from './installation-gateways';

export type { IstioCniValues, IstioValues, MeshConfig, ZTunnelValues } from '../generated/istio-values';

/**
 * An installation profile, named as istioctl names them (`manifests/profiles/*.yaml`). Each maps
 * to the charts it installs and the Helm presets it selects:
 *
 * | profile | charts | Helm `profile` / `global.platform` | gateways istioctl adds |
 * |---|---|---|---|
 * | `default` | base, istiod | - | ingress (`istio-ingressgateway`) |
 * | `demo` | base, istiod | `demo` | ingress and egress (`istio-egressgateway`) |
 * | `minimal` | base, istiod | - | - |
 * | `ambient` | base, istiod, cni, ztunnel | `ambient` | - |
 * | `empty` | none | - | - |
 * | `remote` | base, istiod | `remote` | - |
 * | `preview` | base, istiod | `preview` | ingress |
 * | `stable` | base, istiod | `stable` | ingress |
 * | `openshift` | base, istiod, cni (in `kube-system`) | - / `openshift` | ingress |
 * | `openshift-ambient` | base, istiod, cni, ztunnel (both in `kube-system`) | `ambient` / `openshift` | - |
 *
 * The profile's gateways are installed with Istio's `gateway` chart, in the Istio namespace, under
 * istioctl's names, so their pods carry the labels istioctl's do (`app: istio-ingressgateway`,
 * `istio: ingressgateway`), which Istio's docs and most Gateways select. `defaultGateways: false`
 * leaves them out.
 */
export type IstioProfile = 'default' | 'demo' | 'minimal' | 'ambient' | 'empty' | 'remote' | 'preview' | 'stable' | 'openshift' | 'openshift-ambient';

/**
 * Mesh-wide settings: the generated `MeshConfig` (every field of the Sail Operator's schema, checked
 * against it at build time), with the common fields documented here.
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
 */
export interface IstioMeshConfig extends MeshConfig {
  /**
   * What sidecars do with traffic to hosts not in the service registry: `ALLOW_ANY` passes it
   * through, `REGISTRY_ONLY` answers 502 (HTTP) or resets (TCP); declare external hosts with
   * ServiceEntries (ExternalEgress).
   * @default - ALLOW_ANY
   */
  outboundTrafficPolicy?: MeshConfig['outboundTrafficPolicy'];
  /** Where proxies write access logs: `/dev/stdout`, a file path, or `''` (off). @default '' */
  accessLogFile?: MeshConfig['accessLogFile'];
  /** `TEXT` or `JSON`. @default 'TEXT' */
  accessLogEncoding?: MeshConfig['accessLogEncoding'];
  /** Envoy's access log format string (`%START_TIME% %REQ(:METHOD)% ...`). @default - Istio's format */
  accessLogFormat?: MeshConfig['accessLogFormat'];
  /**
   * Default proxy settings (ProxyConfig). `proxyMetadata.ISTIO_META_DNS_CAPTURE: 'true'` turns on
   * DNS proxying in sidecars; before 1.25 `ISTIO_META_DNS_AUTO_ALLOCATE: 'true'` also gave
   * ServiceEntries without addresses an address (istiod does it itself from 1.25).
   * `proxyHeaders` (1.20+) controls the headers the proxy adds (`server`, `x-request-id`, ...).
   */
  defaultConfig?: MeshConfig['defaultConfig'];
  /** The SPIFFE trust domain of workload identities. @default 'cluster.local' */
  trustDomain?: MeshConfig['trustDomain'];
  /** The namespace whose Istio config applies mesh-wide. @default - the Istio namespace */
  rootNamespace?: MeshConfig['rootNamespace'];
  /** Label selectors of the namespaces istiod watches (others are ignored). @default - all namespaces */
  discoverySelectors?: MeshConfig['discoverySelectors'];
  /**
   * Named providers Telemetry resources refer to: tracing (`zipkin`, `opentelemetry`, ...) and
   * access logging (`envoyOtelAls`, `envoyFileAccessLog`, ...).
   */
  extensionProviders?: MeshConfig['extensionProviders'];
  /** Providers used when no Telemetry resource names one (`tracing`, `metrics`, `accessLogging`). */
  defaultProviders?: MeshConfig['defaultProviders'];
  /** Whether proxies trace requests (they also need a tracing provider: `extensionProviders` and a Telemetry or `defaultProviders.tracing`). */
  enableTracing?: MeshConfig['enableTracing'];
  /** Default TLS settings of the proxies (minimum version, ECDH curves, cipher suites). */
  tlsDefaults?: MeshConfig['tlsDefaults'];
  /** How request paths are normalized before routing and authorization. @default - BASE */
  pathNormalization?: MeshConfig['pathNormalization'];
  /** Which services are visible across clusters in ambient multicluster (1.27+). */
  serviceScopeConfigs?: MeshConfig['serviceScopeConfigs'];
}

/** One istiod revision of a canary upgrade. */
export interface IstioRevisionProps {
  /** The revision name: a DNS-1123 label without dots, e.g. `1-31-0`. */
  readonly name: string;
  /** The Istio version of this revision. @default - the installation's `version` */
  readonly version?: string;
}

/** The CNI node agent. */
export interface IstioCniComponent {
  /**
   * Install the `cni` chart. Required by ambient (refused off there); optional with sidecars, where
   * it replaces the privileged `istio-init` container (istiod then gets `cni.enabled: true`).
   * @default - on for `ambient`, `openshift`, `openshift-ambient`; off otherwise
   */
  readonly enabled?: boolean;
  /**
   * Its namespace. Istio's ambient Helm docs install it into the Istio namespace; the chart
   * README recommends `kube-system` (the `system-node-critical` priority class is only allowed
   * there on GKE). The OpenShift profiles use `kube-system`.
   * @default - `kube-system` for the OpenShift profiles, else the Istio namespace
   */
  readonly namespace?: string;
}

/** The ambient node proxy. */
export interface IstioZtunnelComponent {
  /**
   * Install the `ztunnel` chart: ambient profiles only (refused otherwise).
   * @default - on for `ambient` and `openshift-ambient`
   */
  readonly enabled?: boolean;
  /** Its namespace. @default - `kube-system` for `openshift-ambient`, else the Istio namespace */
  readonly namespace?: string;
}

/** Optional components. */
export interface IstioComponents {
  readonly cni?: IstioCniComponent;
  readonly ztunnel?: IstioZtunnelComponent;
}

/**
 * Values of the `base` chart: the Sail `Istio` values, plus the two `base.*` switches of the chart
 * that the Sail schema does not model.
 */
export interface IstioBaseChartValues extends IstioValues {
  base?: IstioValues['base'] & {
    /** Render the CRDs from the chart's templates. @default true */
    enableCRDTemplates?: boolean;
    /** Install the Istio config CRDs (networking/security/telemetry). @default true */
    enableIstioConfigCRDs?: boolean;
  };
}

/** Per-chart values, deep-merged over what the model sets (last wins). Keys the typed props own are refused. */
export interface IstioChartValues {
  /** Values of the `base` chart (checked against the Sail `Istio` values schema, plus `base.enableCRDTemplates` / `base.enableIstioConfigCRDs`). */
  readonly base?: IstioBaseChartValues;
  /** Values of every `istiod` release (checked against the Sail `Istio` values schema). */
  readonly istiod?: IstioValues;
  /** Values of the `cni` chart (checked against the Sail `IstioCNI` values schema). */
  readonly cni?: IstioCniValues;
  /** Values of the `ztunnel` chart (Sail `ZTunnel` shape; the `ztunnel` key is flattened for Helm). */
  readonly ztunnel?: ZTunnelValues;
}

/** Settings of the `base` chart. */
export interface IstioBaseSettings {
  /**
   * `base.validationFailurePolicy` of the default-revision ValidatingWebhookConfiguration. The
   * chart's own default on a first install is `Ignore` (fail open until istiod patches the
   * webhook): tools that apply everything at once with server-side apply (Pulumi, `kubectl apply
   * --server-side`, Argo CD) create Istio resources before istiod is ready, so invalid config
   * would be admitted unchecked. `Fail` refuses config until the validator answers.
   * @default 'Fail'
   */
  readonly validationFailurePolicy?: 'Fail' | 'Ignore';
}

/**
 * Props of an IstioInstallation.
 * @see https://istio.io/latest/docs/setup/install/helm/
 */
export interface IstioInstallationProps {
  /** The Istio version, e.g. `1.31.0` (supported: 1.24 to 1.32); the chart version from a repository. */
  readonly version: string;
  /** The installation profile (see `IstioProfile` for what each installs). @default 'default' */
  readonly profile?: IstioProfile;
  /**
   * The istiod revision: a DNS-1123 label without dots (`1-31-0`, not `1.31.0`). Mutually
   * exclusive with `revisions`.
   * @default - no revision (the `default` revision)
   */
  readonly revision?: string;
  /**
   * Several istiod revisions side by side (canary upgrade), each one `istiod-<name>` release. The
   * first is the default revision unless `defaultRevision` says otherwise.
   */
  readonly revisions?: IstioRevisionProps[];
  /**
   * Revision tags, tag → revision name, e.g. `{ 'prod-stable': '1-30-2', 'prod-canary': '1-31-0' }`.
   * Each renders a tag webhook from the target's istiod release (its `revisionTags` value).
   */
  readonly revisionTags?: Record<string, string>;
  /** The revision (or tag) the `base` chart's default validator points at. @default - the first revision */
  readonly defaultRevision?: string;
  /** The Istio namespace. @default 'istio-system' */
  readonly namespace?: string;
  /** Where the charts are read from. @default ChartSource.istioRepository() */
  readonly chartSource?: ChartSource;
  /**
   * Mesh-wide settings (the `istio` ConfigMap's `mesh`), checked against the generated schema: an
   * unknown key or a wrong shape throws. Common fields: `outboundTrafficPolicy.mode`
   * (`REGISTRY_ONLY` | `ALLOW_ANY`), `accessLogFile` (`/dev/stdout`), `accessLogEncoding`,
   * `accessLogFormat`, `defaultConfig.proxyMetadata` (`ISTIO_META_DNS_CAPTURE: 'true'`; before
   * 1.25 also `ISTIO_META_DNS_AUTO_ALLOCATE`), `defaultConfig.proxyHeaders` (1.20+), `trustDomain`,
   * `rootNamespace`, `discoverySelectors`, `extensionProviders` (`zipkin`, `opentelemetry`,
   * `envoyOtelAls`, `envoyFileAccessLog`), `defaultProviders`, `enableTracing`, `tlsDefaults`,
   * `pathNormalization`, `serviceScopeConfigs` (1.27+).
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
   */
  readonly meshConfig?: IstioMeshConfig;
  /** Optional components (CNI, ztunnel). */
  readonly components?: IstioComponents;
  /** `compatibilityVersion`: restore an older minor's defaults (values the chart of `version` ships). */
  readonly compatibilityVersion?: string;
  /** Settings of the base chart. */
  readonly base?: IstioBaseSettings;
  /** Per-chart values escape hatch. */
  readonly values?: IstioChartValues;
  /**
   * How the installation is applied: `helm` (Istio's charts) or `sail` (Sail Operator resources,
   * for clusters that run the operator).
   * @default 'helm'
   */
  readonly mode?: 'helm' | 'sail';
  /**
   * Install the gateways the profile brings (see `IstioProfile`): `istio-ingressgateway` for
   * `default`, `demo`, `preview`, `stable` and `openshift`, plus `istio-egressgateway` for `demo`,
   * each a `gateway` chart release in the Istio namespace whose pods carry `app: <name>` and
   * `istio: ingressgateway` / `istio: egressgateway`, with the chart's Service ports (status-port
   * 15021, http2 80, https 443; ports bound constructs need are added). istioctl's `demo` also
   * opened 31400 and 15443 on the ingress gateway: here a TcpIngress bound to it adds its port.
   * @default true
   */
  readonly defaultGateways?: boolean;
  /**
   * More ingress and egress gateways, each a release of Istio's `gateway` chart installed after
   * the control plane (see `InstallationGatewayProps`). Their namespaces are created (without an
   * injection label: the chart's pods are injected by the gateway template). When the
   * installation has one named revision, it is each gateway's default `revision` (a gateway
   * without `istio.io/rev` and only revisioned istiods would never be injected, IST0146).
   * A gateway whose selector would also match another gateway's pods (the profile's included)
   * is refused.
   * @default - none
   * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
   */
  readonly gateways?: InstallationGatewayProps[];
  /**
   * Observability add-ons (S8): Kiali (operator chart with `cr.create=true`), Prometheus, Grafana,
   * Jaeger, Loki (see `IstioAddonsProps`). Jaeger's tracing provider is added to `meshConfig`
   * (`extensionProviders`, appended; a provider of the same name in `meshConfig` is refused).
   * @default - none
   */
  readonly addons?: IstioAddonsProps;
}

/** A gateway a profile brings (istioctl installs it; the installation installs it with the `gateway` chart unless `defaultGateways` is false). */
export interface IstioGatewayRequest {
  /** The release/Deployment/Service name istioctl uses: `istio-ingressgateway` or `istio-egressgateway`. */
  readonly name: 'istio-ingressgateway' | 'istio-egressgateway';
  readonly direction: 'ingress' | 'egress';
  /** The Istio namespace (istioctl puts them there). */
  readonly namespace: string;
  /** The pod labels the `gateway` chart applies for that release name (`istio: ingressgateway`). */
  readonly selector: Readonly<Record<string, string>>;
  /** The Service type istioctl uses (`LoadBalancer` for ingress, `ClusterIP` for egress). */
  readonly serviceType: 'LoadBalancer' | 'ClusterIP';
}

/** One resolved istiod revision. */
export interface ResolvedIstioRevision {
  /** The revision name; `''` for the default (unnamed) revision. */
  readonly name: string;
  readonly version: string;
  /** The `id` of its istiod release in the plan (`istiod`, `istiod-<name>`); the `Istio` name in Sail mode. */
  readonly releaseId: string;
  /** The tags pointing at it. */
  readonly tags: readonly string[];
}

/** What `buildIstioInstallation` returns. */
export interface IstioInstallationOutput {
  readonly plan: InstallationPlan;
  readonly warnings: PatternWarning[];
  /** The Istio namespace. */
  readonly istioNamespace: string;
  /** The installation version (parsed). */
  readonly version: IstioVersion;
  readonly profile: IstioProfile;
  readonly mode: 'helm' | 'sail';
  /** The istiod revisions, in order. */
  readonly revisions: readonly ResolvedIstioRevision[];
  /** tag → revision name. */
  readonly revisionTags: Readonly<Record<string, string>>;
  /** What the base chart's `defaultRevision` is (`default` when unrevisioned). */
  readonly defaultRevision: string;
  /** The CNI namespace, when CNI is installed. */
  readonly cniNamespace?: string;
  /** The ztunnel namespace, when ztunnel is installed. */
  readonly ztunnelNamespace?: string;
  /** Whether the installation is ambient (ztunnel installed). */
  readonly ambient: boolean;
  /** The gateways the profile brings (installed unless `defaultGateways` is false: see `ingressGateways`, `egressGateways`). */
  readonly gatewayRequests: readonly IstioGatewayRequest[];
  /** Who allocates ServiceEntry addresses for DNS auto-allocation in this version. */
  readonly dnsAutoAllocation: 'istiod' | 'proxy-metadata';
  /** The `meshConfig` sent to istiod (after checks). */
  readonly meshConfig: IstioMeshConfig;
  /**
   * The ingress gateways the installation installs (the profile's and `gateways`), by name:
   * references Gateways select and constructs bind to (their ports are added to the Service).
   */
  readonly ingressGateways: Readonly<Record<string, ManagedIngressGateway>>;
  /** The egress gateways the installation installs, by name. */
  readonly egressGateways: Readonly<Record<string, ManagedEgressGateway>>;
  /** The profile's ingress gateway (`istio-ingressgateway`), when it is installed. */
  readonly ingressGateway?: ManagedIngressGateway;
}

interface ProfileSpec {
  readonly helmProfile?: string;
  readonly platform?: string;
  readonly control: boolean;
  readonly cni: boolean;
  readonly ztunnel: boolean;
  readonly nodeNamespace?: string;
  readonly gateways: ReadonlyArray<'ingress' | 'egress'>;
}

/** From istio/istio `manifests/profiles/*.yaml` (istioctl) and `manifests/helm-profiles/*.yaml`. */
const PROFILES: Readonly<Record<IstioProfile, ProfileSpec>> = {
  'default': { control: true, cni: false, ztunnel: false, gateways: ['ingress'] },
  'demo': { helmProfile: 'demo', control: true, cni: false, ztunnel: false, gateways: ['ingress', 'egress'] },
  'minimal': { control: true, cni: false, ztunnel: false, gateways: [] },
  'ambient': { helmProfile: 'ambient', control: true, cni: true, ztunnel: true, gateways: [] },
  'empty': { control: false, cni: false, ztunnel: false, gateways: [] },
  'remote': { helmProfile: 'remote', control: true, cni: false, ztunnel: false, gateways: [] },
  'preview': { helmProfile: 'preview', control: true, cni: false, ztunnel: false, gateways: ['ingress'] },
  'stable': { helmProfile: 'stable', control: true, cni: false, ztunnel: false, gateways: ['ingress'] },
  'openshift': { platform: 'openshift', control: true, cni: true, ztunnel: false, nodeNamespace: 'kube-system', gateways: ['ingress'] },
  'openshift-ambient': { helmProfile: 'ambient', platform: 'openshift', control: true, cni: true, ztunnel: true, nodeNamespace: 'kube-system', gateways: [] },
};

/** Keys of `values.<chart>` the typed props own: path → the prop to use instead. */
const OWNED_VALUES: Readonly<Record<keyof IstioChartValues, Readonly<Record<string, string>>>> = {
  base: {
    'profile': 'profile', 'defaultRevision': 'defaultRevision', 'revision': 'revision / revisions',
    'global.istioNamespace': 'namespace', 'global.platform': 'profile', 'base.validationFailurePolicy': 'base.validationFailurePolicy',
  },
  istiod: {
    'profile': 'profile', 'revision': 'revision / revisions', 'revisionTags': 'revisionTags', 'meshConfig': 'meshConfig',
    'compatibilityVersion': 'compatibilityVersion', 'global.istioNamespace': 'namespace', 'global.platform': 'profile',
    'defaultRevision': 'defaultRevision', 'pilot.cni.enabled': 'components.cni.enabled',
  },
  cni: { 'cni.profile': 'profile', 'profile': 'profile', 'global.platform': 'profile' },
  ztunnel: { 'ztunnel.profile': 'profile', 'ztunnel.revision': 'revision / revisions', 'ztunnel.istioNamespace': 'namespace', 'global.platform': 'profile' },
};

/** The namespaces Kubernetes creates itself in every cluster. */
const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * Resolves an installation into its plan.
 * @throws IstioConstructError with the prop path: an unknown profile or key, a revision with dots,
 * a version outside 1.24-1.32, a mesh-config field the version lacks, a tag to an unknown revision
 * or named like a revision, ztunnel without ambient, a values key a typed prop owns, a missing
 * local chart.
 */
export function buildIstioInstallation(props: IstioInstallationProps): IstioInstallationOutput {
  const ctx = propsCtx('IstioInstallation', props, 'revision');
  checkProps(ctx, 'IstioInstallationProps', props);
  const warnings: PatternWarning[] = [];
  const version = checkIstioVersion(ctx.at('version'), props.version);
  const profile: IstioProfile = props.profile ?? 'default';
  const spec = PROFILES[profile];
  const mode = props.mode ?? 'helm';
  const ns = checkLabelName(ctx.at('namespace'), props.namespace ?? 'istio-system', 'namespace');
  const chartSource = props.chartSource ?? ChartSource.istioRepository();

  // Revisions.
  if (props.revision !== undefined && props.revisions !== undefined) {
    ctx.at('revisions').fail(ErrorCode.CONFLICTING_PROPS, 'revision and revisions are both set', 'set revision for one istiod, or revisions for several side by side, not both');
  }
  const revisions: { name: string; version: IstioVersion }[] = [];
  if (props.revisions !== undefined) {
    if (props.revisions.length === 0) ctx.at('revisions').fail(ErrorCode.INVALID_PROP, 'revisions is empty', 'list at least one revision, or leave revisions unset');
    props.revisions.forEach((r, i) => {
      const name = checkRevisionName(ctx.at('revisions', i, 'name'), r.name);
      if (name === 'default') refuseDefaultRevisionName(ctx.at('revisions', i, 'name'));
      if (revisions.some((x) => x.name === name)) ctx.at('revisions', i, 'name').fail(ErrorCode.DUPLICATE_NAME, `revision ${name} is listed twice`, 'give each revision a distinct name');
      revisions.push({ name, version: r.version === undefined ? version : checkIstioVersion(ctx.at('revisions', i, 'version'), r.version) });
    });
  } else {
    if (props.revision === 'default') refuseDefaultRevisionName(ctx.at('revision'));
    revisions.push({ name: props.revision === undefined ? '' : checkRevisionName(ctx.at('revision'), props.revision), version });
  }
  const revisionNames = revisions.map((r) => r.name);
  const tags: Record<string, string> = {};
  for (const tag of Object.keys(props.revisionTags ?? {}).sort()) {
    const tctx = ctx.at('revisionTags', tag);
    checkRevisionName(tctx, tag);
    const target = props.revisionTags![tag];
    if (revisionNames.includes(tag)) tctx.fail(ErrorCode.CONFLICTING_PROPS, `tag ${tag} has the name of a revision`, 'name the tag differently from every revision (e.g. prod-stable)');
    if (target === '' || !revisionNames.includes(target)) {
      tctx.fail(ErrorCode.INVALID_PROP, `tag ${tag} points at ${show(target)}, which is not a revision of this installation`,
        `point it at one of: ${revisionNames.filter((n) => n).join(', ') || '(no named revision: set revision or revisions first)'}`);
    }
    tags[tag] = target;
  }
  let defaultRevision = revisions[0].name || 'default';
  if (props.defaultRevision !== undefined) {
    if (!revisionNames.includes(props.defaultRevision) && !(props.defaultRevision in tags)) {
      ctx.at('defaultRevision').fail(ErrorCode.INVALID_PROP, `${show(props.defaultRevision)} is not a revision or tag of this installation`, `use one of: ${[...revisionNames.filter((n) => n), ...Object.keys(tags)].join(', ')}`);
    }
    defaultRevision = props.defaultRevision;
  }

  // Components.
  const cniOn = props.components?.cni?.enabled ?? spec.cni;
  const ztunnelOn = props.components?.ztunnel?.enabled ?? spec.ztunnel;
  const ambient = spec.helmProfile === 'ambient';
  if (ztunnelOn && !ambient) ctx.at('components', 'ztunnel', 'enabled').fail(ErrorCode.CONFLICTING_PROPS, `ztunnel runs only in ambient mode; profile ${profile} is not ambient`, "use profile 'ambient' (or 'openshift-ambient'), or leave ztunnel off");
  if (ambient && !cniOn) ctx.at('components', 'cni', 'enabled').fail(ErrorCode.CONFLICTING_PROPS, 'ambient needs the CNI node agent', 'leave components.cni.enabled unset (on) for an ambient profile');
  if (ambient && !ztunnelOn) ctx.at('components', 'ztunnel', 'enabled').fail(ErrorCode.CONFLICTING_PROPS, 'ambient needs ztunnel', 'leave components.ztunnel.enabled unset (on) for an ambient profile');
  const cniNs = cniOn ? checkLabelName(ctx.at('components', 'cni', 'namespace'), props.components?.cni?.namespace ?? spec.nodeNamespace ?? ns, 'namespace') : undefined;
  const ztunnelNs = ztunnelOn ? checkLabelName(ctx.at('components', 'ztunnel', 'namespace'), props.components?.ztunnel?.namespace ?? spec.nodeNamespace ?? ns, 'namespace') : undefined;

  if (!spec.control) {
    for (const key of ['meshConfig', 'revision', 'revisions', 'revisionTags', 'compatibilityVersion'] as const) {
      if (props[key] !== undefined) ctx.at(key).fail(ErrorCode.CONFLICTING_PROPS, `profile ${profile} installs no istiod to take ${key}`, `remove ${key}, or choose a profile that installs istiod (e.g. 'minimal')`);
    }
  }

  // compatibilityVersion.
  if (props.compatibilityVersion !== undefined) {
    for (const r of revisions) {
      const accepted = compatibilityVersions(r.version);
      if (!accepted.includes(props.compatibilityVersion)) {
        ctx.at('compatibilityVersion').fail(ErrorCode.UNSUPPORTED_VERSION, `the charts of Istio ${r.version.text} have no compatibility version ${show(props.compatibilityVersion)}`, `use one of ${accepted.join(', ')}`);
      }
    }
  }

  // meshConfig: versioned fields, then the generated schema.
  const meshConfig: MeshConfig = props.meshConfig ?? {};
  const oldest = revisions.map((r) => r.version).reduce((a, b) => (atLeast(b, `${a.major}.${a.minor}`) ? a : b));
  for (const f of VERSIONED_FIELDS) {
    const rel = f.path.replace(/^meshConfig\./, '').split('.');
    if (f.path.startsWith('meshConfig.') && getPath(meshConfig, rel) !== undefined && !atLeast(oldest, f.since)) {
      ctx.at('meshConfig', ...rel).fail(ErrorCode.UNSUPPORTED_VERSION, `${f.path} is not in Istio ${oldest.text}: it was introduced in ${f.since}`, `remove it, or install Istio ${f.since} or later`);
    }
  }
  const proxyMetadata = (meshConfig.defaultConfig?.proxyMetadata ?? {}) as Record<string, string>;
  if (proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE !== undefined && dnsAutoAllocation(oldest) === 'istiod') {
    warnings.push({
      code: WarningCode.DNS_AUTO_ALLOCATE_BY_ISTIOD, path: 'meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE',
      message: `from Istio 1.25 istiod allocates ServiceEntry addresses itself (PILOT_ENABLE_IP_AUTOALLOCATE); the agent setting is the older mechanism: remove it on ${oldest.text}`,
    });
  }
  checkAgainstSail(ctx.at('meshConfig'), 'Istio', ['spec', 'values', 'meshConfig'], { meshConfig }, ns);

  // values escape hatch.
  const userValues = props.values ?? {};
  for (const chart of ['base', 'istiod', 'cni', 'ztunnel'] as const) {
    const v = userValues[chart] as Record<string, unknown> | undefined;
    if (v === undefined) continue;
    checkPlainJson(ctx.at('values', chart), v);
    if (chart === 'base' && v.base !== undefined && !isJsonObject(v.base)) {
      ctx.at('values', 'base', 'base').fail(ErrorCode.INVALID_PROP, 'base must be an object of the base chart\'s values', 'give an object, e.g. { enableIstioConfigCRDs: true }');
    }
    for (const [owned, prop] of Object.entries(OWNED_VALUES[chart])) {
      if (getPath(v, owned.split('.')) !== undefined) {
        ctx.at('values', chart, ...owned.split('.')).fail(ErrorCode.CONFLICTING_PROPS, `${owned} is set by the typed prop ${prop}`, `set ${prop} instead of values.${chart}.${owned}`);
      }
    }
    if (chart === 'istiod') checkAgainstSail(ctx.at('values', chart), 'Istio', ['spec', 'values'], v, ns);
    if (chart === 'base') {
      const { enableCRDTemplates, enableIstioConfigCRDs, ...sailBase } = (v.base ?? {}) as Record<string, unknown>;
      for (const [key, flag] of Object.entries({ enableCRDTemplates, enableIstioConfigCRDs })) {
        if (flag !== undefined && typeof flag !== 'boolean') ctx.at('values', 'base', 'base', key).fail(ErrorCode.INVALID_PROP, `${key} must be a boolean`, 'give true or false');
      }
      if (mode === 'sail' && (enableCRDTemplates !== undefined || enableIstioConfigCRDs !== undefined)) {
        ctx.at('values', 'base', 'base', enableCRDTemplates !== undefined ? 'enableCRDTemplates' : 'enableIstioConfigCRDs').fail(ErrorCode.CONFLICTING_PROPS,
          'the Sail Operator installs the CRDs itself; its Istio resource has no such value', "remove it, or use mode: 'helm'");
      }
      const rest: Record<string, unknown> = { ...v };
      if (v.base !== undefined) rest.base = sailBase;
      checkAgainstSail(ctx.at('values', chart), 'Istio', ['spec', 'values'], rest, ns);
    }
    if (chart === 'cni') checkAgainstSail(ctx.at('values', chart), 'IstioCNI', ['spec', 'values'], v, ns);
    if (chart === 'ztunnel') checkAgainstSail(ctx.at('values', chart), 'ZTunnel', ['spec', 'values'], v, ns);
  }
  if (!cniOn && userValues.cni !== undefined) ctx.at('values', 'cni').fail(ErrorCode.CONFLICTING_PROPS, 'CNI is not installed', 'set components.cni.enabled: true, or remove values.cni');
  if (!ztunnelOn && userValues.ztunnel !== undefined) ctx.at('values', 'ztunnel').fail(ErrorCode.CONFLICTING_PROPS, 'ztunnel is not installed', "use an ambient profile, or remove values.ztunnel");
  if (!spec.control && (userValues.base !== undefined || userValues.istiod !== undefined)) {
    ctx.at('values').fail(ErrorCode.CONFLICTING_PROPS, `profile ${profile} installs neither base nor istiod`, 'remove values.base / values.istiod, or choose another profile');
  }
  const defaultGatewaysOn = props.defaultGateways ?? true;
  if (mode === 'sail' && props.chartSource !== undefined && (props.gateways ?? []).length === 0 && !(defaultGatewaysOn && spec.gateways.length > 0)) {
    ctx.at('chartSource').fail(ErrorCode.CONFLICTING_PROPS, 'the Sail Operator reads its own charts (chartSource only locates the gateway chart, and this installation has no gateway)',
      "remove chartSource, or use mode: 'helm'");
  }

  const failurePolicy = props.base?.validationFailurePolicy ?? 'Fail';
  const resolvedRevisions: ResolvedIstioRevision[] = revisions.map((r) => ({
    name: r.name, version: r.version.text,
    releaseId: mode === 'sail' ? (r.name || 'default') : (r.name ? `istiod-${r.name}` : 'istiod'),
    tags: Object.keys(tags).filter((t) => tags[t] === r.name),
  }));
  // Add-ons: releases after istiod, and a mesh-config fragment merged into the user's.
  const addons = resolveAddons(ctx.at('addons'), props.addons, {
    istioVersion: version.text, istioNamespace: ns, rootNamespace: meshConfig.rootNamespace,
    dependsOn: mode === 'helm' && spec.control ? resolvedRevisions.map((r) => r.releaseId) : [],
  });
  warnings.push(...addons.warnings);
  const effectiveMesh = mergeMeshConfig(ctx, meshConfig, addons.meshConfig) as MeshConfig;
  const gatewayRequests: IstioGatewayRequest[] = spec.gateways.map((d) => d === 'ingress'
    ? { name: 'istio-ingressgateway', direction: 'ingress', namespace: ns, selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, serviceType: 'LoadBalancer' }
    : { name: 'istio-egressgateway', direction: 'egress', namespace: ns, selector: { app: 'istio-egressgateway', istio: 'egressgateway' }, serviceType: 'ClusterIP' });

  const common = (): Record<string, unknown> => ({
    ...(spec.helmProfile ? { profile: spec.helmProfile } : {}),
    global: { istioNamespace: ns, ...(spec.platform ? { platform: spec.platform } : {}) },
  });
  const namespaces: Manifest[] = [];
  // Namespaces every cluster has are never declared: the installation does not own them (Pulumi
  // would try to create, and on destroy delete, `default`; a cdk8s apply would claim it).
  const addNamespace = (name: string | undefined) => {
    if (name && !BUILT_IN_NAMESPACES.has(name) && !namespaces.some((n) => n.metadata.name === name)) namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  };
  addNamespace(ns);
  addNamespace(cniNs);
  addNamespace(ztunnelNs);

  const releases: HelmReleasePlan[] = [];
  const sailResources: Manifest[] = [];
  if (mode === 'helm') {
    const srcCtx = ctx.at('chartSource');
    // The CRDs (base) and the node agents follow the newest revision's version: Istio's canary
    // upgrade docs upgrade the CRDs first, and CRDs are backward compatible.
    const newest = revisions.map((r) => r.version).reduce((a, b) => (atLeast(a, `${b.major}.${b.minor}`) ? a : b));
    if (spec.control) {
      releases.push({
        id: 'base', role: 'base', releaseName: 'istio-base', namespace: ns,
        location: chartSource.locate('base', newest.text, srcCtx),
        values: mergeJson({ ...common(), defaultRevision, base: { validationFailurePolicy: failurePolicy } }, userValues.base ?? {}),
        dependsOn: [],
      });
      for (const [i, r] of revisions.entries()) {
        const rr = resolvedRevisions[i];
        const values: Record<string, unknown> = {
          ...common(),
          ...(r.name ? { revision: r.name } : {}),
          ...(rr.tags.length ? { revisionTags: [...rr.tags] } : {}),
          ...(props.compatibilityVersion ? { compatibilityVersion: props.compatibilityVersion } : {}),
          ...(Object.keys(effectiveMesh).length ? { meshConfig: cloneJson(effectiveMesh) } : {}),
          ...(cniOn && !ambient ? { pilot: { cni: { enabled: true } } } : {}),
          ...(ztunnelNs && ztunnelNs !== ns ? { trustedZtunnelNamespace: ztunnelNs } : {}),
        };
        releases.push({
          id: rr.releaseId, role: 'istiod', releaseName: rr.releaseId, namespace: ns,
          location: chartSource.locate('istiod', r.version.text, srcCtx),
          values: mergeJson(values, userValues.istiod ?? {}), dependsOn: ['base'],
        });
      }
    }
    const istiodIds = releases.filter((r) => r.role === 'istiod').map((r) => r.id);
    if (cniOn) {
      releases.push({
        id: 'cni', role: 'cni', releaseName: 'istio-cni', namespace: cniNs!,
        location: chartSource.locate('cni', newest.text, srcCtx),
        values: mergeJson(common(), userValues.cni ?? {}), dependsOn: istiodIds,
      });
    }
    if (ztunnelOn) {
      const zt = (userValues.ztunnel ?? {}) as Record<string, any>;
      const flattened = { ...(zt.global ? { global: zt.global } : {}), ...(zt.ztunnel ?? {}) };
      const defaultRev = revisions.find((r) => r.name === defaultRevision || tags[defaultRevision] === r.name)?.name ?? '';
      releases.push({
        id: 'ztunnel', role: 'ztunnel', releaseName: 'ztunnel', namespace: ztunnelNs!,
        location: chartSource.locate('ztunnel', newest.text, srcCtx),
        values: mergeJson({ ...common(), istioNamespace: ns, ...(defaultRev ? { revision: defaultRev } : {}) }, flattened),
        dependsOn: cniOn ? ['cni'] : istiodIds,
      });
    }
  } else {
    sailResources.push(...sailManifests(props, ns, spec, revisions, resolvedRevisions, tags, defaultRevision, effectiveMesh, cniNs, ztunnelNs, failurePolicy, ctx));
  }

  // Gateways: the profile's, then the given ones, resolved together (so the selector overlap
  // checks cover both), each a `gateway` chart release after the last control-plane release.
  const defaults: InstallationGatewayProps[] = defaultGatewaysOn
    ? gatewayRequests.map((g) => ({ name: g.name, kind: g.direction, namespace: g.namespace }))
    : [];
  const userGateways = props.gateways ?? [];
  const last = releases[releases.length - 1];
  const gatewayDependsOn = last === undefined ? [] : last.role === 'istiod' ? releases.filter((r) => r.role === 'istiod').map((r) => r.id) : [last.id];
  const newestVersion = revisions.map((r) => r.version).reduce((a, b) => (atLeast(a, `${b.major}.${b.minor}`) ? a : b));
  const resolvedGateways = resolveInstallationGateways(new GatewayListCtx(ctx, defaults.length), [...defaults, ...userGateways], {
    locate: (chart) => chartSource.locate(chart, newestVersion.text, ctx.at('chartSource')),
    dependsOn: gatewayDependsOn,
    revision: revisions.length === 1 && revisions[0].name ? revisions[0].name : undefined,
  });
  releases.push(...resolvedGateways.releases);
  for (const g of resolvedGateways.namespaces) addNamespace(g);
  const gateways: Record<string, ManagedGatewayPlan> = { ...resolvedGateways.plans };
  releases.push(...addons.releases);
  for (const n of addons.namespaces) addNamespace(n.metadata.name);

  return {
    plan: { namespaces, releases, sailResources, manifestSources: addons.manifestSources, manifests: addons.manifests, gateways },
    warnings, istioNamespace: ns, version, profile, mode,
    revisions: resolvedRevisions, revisionTags: tags, defaultRevision,
    cniNamespace: cniNs, ztunnelNamespace: ztunnelNs, ambient: ztunnelOn,
    gatewayRequests, dnsAutoAllocation: dnsAutoAllocation(oldest), meshConfig: cloneJson(effectiveMesh),
    ingressGateways: resolvedGateways.ingress, egressGateways: resolvedGateways.egress,
    ingressGateway: defaultGatewaysOn ? resolvedGateways.ingress['istio-ingressgateway'] : undefined,
  };
}

function sailManifests(
  props: IstioInstallationProps, ns: string, spec: ProfileSpec, revisions: { name: string; version: IstioVersion }[],
  resolved: ResolvedIstioRevision[], tags: Record<string, string>, defaultRevision: string, meshConfig: MeshConfig,
  cniNs: string | undefined, ztunnelNs: string | undefined, failurePolicy: string, ctx: Ctx,
): Manifest[] {
  const out: Manifest[] = [];
  const userValues = props.values ?? {};
  const profileSpec = spec.helmProfile ? { profile: spec.helmProfile } : {};
  const platform = spec.platform ? { platform: spec.platform } : {};
  if (spec.control) {
    const canary = props.revisions !== undefined;
    for (const [i, r] of revisions.entries()) {
      // One `Istio` per revision, updated InPlace (the CRD's default): the operator then names the
      // IstioRevision after the Istio, so `istio.io/rev=<revision>` and the IstioRevisionTags
      // (targetRef kind Istio) select it. RevisionBased would name it `<name>-<version>` and
      // change with every version, so namespaces labelled with the revision name would match nothing.
      const values: Record<string, unknown> = mergeJson(mergeJson({
        global: { istioNamespace: ns, ...platform },
        ...(Object.keys(meshConfig).length ? { meshConfig: cloneJson(meshConfig) } : {}),
        ...(props.compatibilityVersion ? { compatibilityVersion: props.compatibilityVersion } : {}),
        ...(i === 0 ? { base: { validationFailurePolicy: failurePolicy } } : {}),
      }, userValues.istiod ?? {}), i === 0 ? (userValues.base ?? {}) : {});
      // The Sail schema has no base.validationFailurePolicy: the operator manages the webhook itself.
      delete (values.base as any)?.validationFailurePolicy;
      if (values.base && Object.keys(values.base as object).length === 0) delete values.base;
      out.push({
        apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: resolved[i].releaseId },
        spec: {
          namespace: ns,
          ...profileSpec,
          values,
          version: sailVersionChecked((canary && props.revisions![i].version !== undefined ? ctx.at('revisions', i, 'version') : ctx.at('version')), r.version),
        },
      });
    }
    for (const tag of Object.keys(tags)) {
      out.push({ apiVersion: 'sailoperator.io/v1', kind: 'IstioRevisionTag', metadata: { name: tag }, spec: { targetRef: { kind: 'Istio', name: tags[tag] } } });
    }
    if (defaultRevision !== 'default' && !(defaultRevision in tags) && props.revisions !== undefined) {
      // The `default` tag makes one revision the default for `istio-injection=enabled` namespaces.
      out.push({ apiVersion: 'sailoperator.io/v1', kind: 'IstioRevisionTag', metadata: { name: 'default' }, spec: { targetRef: { kind: 'Istio', name: defaultRevision } } });
    }
  }
  const newest = revisions.map((r) => r.version).reduce((a, b) => (atLeast(a, `${b.major}.${b.minor}`) ? a : b));
  if (cniNs) {
    out.push({
      apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default' },
      spec: { namespace: cniNs, ...profileSpec, ...(Object.keys(userValues.cni ?? {}).length || spec.platform ? { values: mergeJson(spec.platform ? { global: { platform: spec.platform } } : {}, userValues.cni ?? {}) } : {}), version: sailVersion(newest) },
    });
  }
  if (ztunnelNs) {
    out.push({
      apiVersion: 'sailoperator.io/v1', kind: 'ZTunnel', metadata: { name: 'default' },
      spec: { namespace: ztunnelNs, ...(Object.keys(userValues.ztunnel ?? {}).length || spec.platform ? { values: mergeJson(spec.platform ? { global: { platform: spec.platform } } : {}, userValues.ztunnel ?? {}) } : {}), version: sailVersion(newest) },
    });
  }
  return out;
}

/** The Sail CRD's enum of versions is checked by validateManifest; this names the prop and the fix first. */
function sailVersionChecked(ctx: Ctx, v: IstioVersion): string {
  const s = sailVersion(v);
  const probe: Manifest = { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'probe' }, spec: { namespace: 'probe', version: s } };
  if (validateManifest(probe).some((i) => i.field.startsWith('/spec/version'))) {
    ctx.fail(ErrorCode.UNSUPPORTED_VERSION, `the Sail Operator's CRDs do not list Istio ${s}`, "choose a version the operator ships (a released 1.24-1.31 patch), or use mode: 'helm'");
  }
  return s;
}

/**
 * Reports errors about the combined gateway list at the prop they come from: the profile's
 * gateways (the first `defaults`) at `defaultGateways`, the others at `gateways[<i>]`.
 */
class GatewayListCtx extends Ctx {
  constructor(private readonly base: Ctx, private readonly defaults: number) {
    super(base.construct, base.at('gateways').path);
  }

  public override at(...segments: Array<string | number>): Ctx {
    const [first, ...rest] = segments;
    if (typeof first !== 'number') return this.base.at('gateways', ...segments);
    if (first < this.defaults) return this.base.at('defaultGateways');
    return this.base.at('gateways', first - this.defaults, ...rest);
  }
}

/** `default` is the name of the unrevisioned control plane (`istio.io/rev=default`, Service `istiod`). */
function refuseDefaultRevisionName(ctx: Ctx): never {
  return ctx.fail(ErrorCode.INVALID_NAME, "'default' names the unrevisioned control plane (Service istiod), not a revision",
    "leave revision unset for the default control plane, or name the revision after its version (e.g. '1-31-0'); a revision tag named 'default' is allowed");
}

/** A revision name: a DNS-1123 label (no dots) short enough for `istiod-<revision>`. */
function checkRevisionName(ctx: Ctx, name: string): string {
  if (typeof name !== 'string' || name.length > 56 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    const fix = typeof name === 'string' && name.includes('.')
      ? `use dashes instead of dots: ${show(name.replace(/\./g, '-').toLowerCase())}`
      : "use a DNS-1123 label of at most 56 characters (it becomes the Service istiod-<revision>): lowercase letters, digits and '-', e.g. '1-31-0'";
    ctx.fail(ErrorCode.INVALID_NAME, `${show(name)} is not a valid revision name (a DNS-1123 label: it names the istiod-<revision> Service and the istio.io/rev label)`, fix);
  }
  return name;
}

/**
 * Checks `value` where a Sail resource carries it (the generated CRD schema, with unknown keys
 * refused) and reports the first issue at the prop path.
 */
function checkAgainstSail(ctx: Ctx, kind: 'Istio' | 'IstioCNI' | 'ZTunnel', at: string[], values: Record<string, unknown>, ns: string): void {
  if (Object.keys(values).length === 0) return;
  // The schema check below reads a JSON copy, which would silently drop a function or a class instance.
  checkPlainJson(ctx, at.length > 2 ? getPath(values, at.slice(2)) : values);
  // `values` is spec.values of a minimal object of that kind; `at` is where the prop sits in it.
  const m: Manifest = { apiVersion: 'sailoperator.io/v1', kind, metadata: { name: 'default' }, spec: { namespace: ns, values: cloneJson(values) } };
  const prefix = `/${at.join('/')}`;
  const issue = validateManifest(m).find((i) => i.field === prefix || i.field.startsWith(`${prefix}/`) || i.field === '/spec' || i.field === '');
  if (issue) {
    const rel: Array<string | number> = issue.field.startsWith(prefix) ? issue.field.slice(prefix.length).split('/').filter((s) => s).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~'))) : [];
    const unknown = /must NOT have additional properties|additional propert|unknown field/i.test(issue.message);
    const extra = unknown ? /\(([^()]+)\)$/.exec(issue.message)?.[1] : undefined;
    if (extra !== undefined) rel.push(extra);
    // The key is in the path already (shortened there); the schema's message would repeat it whole.
    const problem = unknown && extra !== undefined ? 'is not a field of these values (the Sail Operator schema of Istio\'s Helm values)'
      : issue.message.length > 160 ? `${issue.message.slice(0, 157)}...` : issue.message;
    ctx.at(...rel).fail(unknown ? ErrorCode.UNKNOWN_PROP : ErrorCode.INVALID_PROP, problem,
      unknown ? 'remove or correct the key (see the MeshConfig / Helm values reference)' : 'give the shape the Istio reference documents for this field');
  }
}

/**
 * The user's mesh config with the add-ons' fragment merged in: `extensionProviders` appended (a
 * provider of the same name in both is refused: istiod rejects duplicate provider names), objects
 * merged key by key, and a value both set differently refused, naming both paths.
 */
function mergeMeshConfig(ctx: Ctx, user: Record<string, any>, fragment: Record<string, any>, at: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = cloneJson(user) ?? {};
  for (const [k, v] of Object.entries(fragment)) {
    const here = [...at, k];
    const mine = out[k];
    if (mine === undefined) {
      out[k] = cloneJson(v);
    } else if (here.length === 1 && k === 'extensionProviders' && Array.isArray(mine) && Array.isArray(v)) {
      for (const p of v) {
        const i = mine.findIndex((m: any) => m?.name === p?.name);
        if (i >= 0) {
          ctx.at('meshConfig', 'extensionProviders', i, 'name').fail(ErrorCode.CONFLICTING_PROPS,
            `extension provider ${show(p.name)} is also the one addons.jaeger adds (istiod refuses two providers of one name)`,
            'rename one of them (addons.jaeger.providerName), or remove yours');
        }
      }
      out[k] = [...cloneJson(mine), ...cloneJson(v)];
    } else if (isJsonObject(mine) && isJsonObject(v)) {
      out[k] = mergeMeshConfig(ctx, mine, v, here);
    } else if (JSON.stringify(mine) !== JSON.stringify(v)) {
      ctx.at('meshConfig', ...here).fail(ErrorCode.CONFLICTING_PROPS,
        `meshConfig.${here.join('.')} is ${show(mine)}, and addons.jaeger sets it to ${show(v)}`,
        `remove meshConfig.${here.join('.')}, or change addons.jaeger (e.g. enableWith) so it does not set it`);
    }
  }
  return out;
}

function getPath(obj: unknown, path: readonly string[]): unknown {
  let v: any = obj;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v;
}




/**
 * The installation's gateway of that name, for the engines' `gateway(name)` / `egressGateway(name)`.
 * @throws IstioConstructError UNKNOWN_GATEWAY naming the installation's gateways of that kind.
 * @internal
 */
export function installationGateway<G>(gateways: Readonly<Record<string, G>>, gatewayName: string, kind: 'ingress' | 'egress', construct: string): G {
  if (Object.prototype.hasOwnProperty.call(gateways, gatewayName)) return gateways[gatewayName];
  const known = Object.keys(gateways).map((k) => JSON.stringify(k)).join(', ') || 'none';
  throw new IstioConstructError(ErrorCode.UNKNOWN_GATEWAY, 'gateways',
    `the installation has no ${kind} gateway ${show(gatewayName)} (it has: ${known})`,
    `use one of its ${kind} gateways, or add ${show(gatewayName)} to gateways`, construct);
}
