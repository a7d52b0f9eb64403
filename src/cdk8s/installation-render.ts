/**
 * The cdk8s engine of an `IstioInstallation`: renders an engine-free `InstallationPlan` (see
 * `core/installation-plan.ts`) into a construct tree. Each Helm release is rendered by cdk8s's own
 * `Helm` construct (`helm template` at construction time, with a real helm binary), namespaces,
 * Sail Operator resources and the plan's other objects become `ApiObject`s, and add-ons shipped as
 * plain manifests are read with cdk8s's `Include`.
 *
 * Apply order is recorded with cdk8s's dependency mechanism (`ApiObject.addDependency`), so
 * `app.synth()` writes: every CustomResourceDefinition first, then the namespaces, then the objects
 * of each release after those of the releases it `dependsOn`, then the Sail resources, add-ons and
 * other objects.
 *
 * @internal (the public face is the `IstioInstallation` construct)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Helm, Include, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ErrorCode, IstioConstructError } from '../core/errors';
import { HelmReleasePlan, InstallationPlan, ManagedGatewayPlan } from '../core/installation-plan';
import { Manifest } from '../core/manifest';
import { Protocol, ResolvedPort } from '../core/ports';
import { registerWithApp } from './app-checks';
import { kubernetesProtocol } from '../core/gateway-service-values';

/** How the releases are rendered. */
export interface RenderInstallationOptions {
  /**
   * The helm binary `helm template` runs with: a path, or a command name looked up on the PATH.
   * @default "helm" (found on the PATH)
   */
  readonly helmExecutable?: string;
  /**
   * More flags for every `helm template` call (e.g. `["--kube-version", "1.31.0"]`, or
   * `["--api-versions", "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy"]` for charts that
   * check the cluster's capabilities). `--include-crds` is always passed, unless `--skip-crds` is given.
   * @default []
   */
  readonly helmFlags?: string[];
}

/** One rendered Helm release. */
export interface RenderedRelease {
  /** The release as planned. */
  readonly plan: HelmReleasePlan;
  /** cdk8s's `Helm` construct, the child of the scope named by the release id. */
  readonly helm: Helm;
  /** The objects `helm template` rendered, in the chart's order. */
  readonly apiObjects: readonly ApiObject[];
}

/** What `renderInstallationPlan` added to the scope. */
export interface RenderedInstallation {
  /** The rendered releases, by `HelmReleasePlan.id`. */
  readonly releases: Readonly<Record<string, RenderedRelease>>;
  /** The Namespace objects (`InstallationPlan.namespaces`), in plan order. */
  readonly namespaces: readonly ApiObject[];
  /** The Sail Operator resources, in plan order. */
  readonly sailResources: readonly ApiObject[];
  /** The plan's other objects (`InstallationPlan.manifests`), in plan order. */
  readonly manifests: readonly ApiObject[];
  /** The add-ons read from files or URLs, by `ManifestSourcePlan.id`. */
  readonly manifestSources: Readonly<Record<string, Include>>;
  /** Every object added, in construction order. */
  readonly apiObjects: readonly ApiObject[];
  /**
   * The rendered object of a kind and name (and namespace, when given), or undefined. When two
   * objects match and no namespace is given, the first one.
   */
  find(kind: string, name: string, namespace?: string): ApiObject | undefined;
}

/**
 * Kinds without a namespace (Kubernetes' own cluster-scoped kinds a chart may render, and the Sail
 * Operator's kinds), by `<group>/<Kind>` (`/<Kind>` for the core group). CustomResourceDefinitions
 * the plan itself renders add their `Cluster`-scoped kinds.
 */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/Namespace', '/Node', '/PersistentVolume', 'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy', 'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver', 'storage.k8s.io/VolumeAttachment', 'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass', 'gateway.networking.k8s.io/GatewayClass', 'apiregistration.k8s.io/APIService',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'certificates.k8s.io/CertificateSigningRequest',
  // Sail Operator: https://github.com/istio-ecosystem/sail-operator (every kind is cluster-scoped).
  'sailoperator.io/Istio', 'sailoperator.io/IstioRevision', 'sailoperator.io/IstioRevisionTag', 'sailoperator.io/IstioCNI',
  'sailoperator.io/ZTunnel',
]);

/** `<group>/<Kind>` of an object. */
function groupKind(apiVersion: unknown, kind: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = v.indexOf('/');
  return `${slash < 0 ? '' : v.slice(0, slash)}/${String(kind)}`;
}

/** The construct named in errors. */
function constructName(scope: Construct): string {
  return `IstioInstallation "${scope.node.path || scope.node.id}"`;
}

/** The longest part of helm's own message an error shows. */
const MAX_HELM_MESSAGE = 400;

/** helm's message, on one line, cut short. */
function helmMessage(e: unknown): string {
  const text = String((e as Error)?.message ?? e).replace(/\s+/g, ' ').trim();
  return text.length > MAX_HELM_MESSAGE ? `${text.slice(0, MAX_HELM_MESSAGE - 3)}...` : text;
}

/**
 * The helm binary to run: the `helmExecutable` option (a path, or a name on the PATH), else `helm`
 * on the PATH. Checked before any chart is rendered, so a missing binary is one clear error.
 * @throws IstioConstructError HELM_NOT_FOUND
 */
function resolveHelm(scope: Construct, helmExecutable: string | undefined): string {
  const wanted = helmExecutable ?? 'helm';
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (wanted.includes('/') || wanted.includes(path.sep)) {
    if (executable(wanted)) return wanted;
  } else {
    const exts = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      for (const ext of exts) if (dir && executable(path.join(dir, wanted + ext))) return wanted;
    }
  }
  throw new IstioConstructError(ErrorCode.HELM_NOT_FOUND, 'helmExecutable',
    helmExecutable === undefined
      ? 'no helm binary was found on the PATH: Istio\'s charts are rendered with `helm template` at synth'
      : `no runnable helm binary at ${JSON.stringify(helmExecutable)}`,
    'install helm 3.8+ (or 4) and put it on the PATH, or set the `helmExecutable` option to the path of a helm binary',
    constructName(scope));
}

/** Whether a chart location is a local path (no repository, no OCI reference, no URL). */
function isLocalChart(chart: string, repository: string | undefined): boolean {
  return repository === undefined && !/^(oci|https?|file):\/\//.test(chart);
}

/** The `helm template` failures that mean the chart could not be read (rather than rendered). */
const FETCH_FAILURE = /(connection refused|no such host|dial tcp|i\/o timeout|timeout|failed to fetch|fetch|could not find|not found|is not a valid chart repository|repo .* not found|no chart version|no chart name|no cached repo|unable to get an update|failed to download|tls:|x509|404|401|403|EOF)/i;

/**
 * Renders one release with cdk8s's `Helm` construct. The values go to helm as a JSON file (JSON is
 * YAML without ambiguity: cdk8s's YAML writer leaves strings such as `0o644` plain, which helm would
 * read as numbers).
 * @throws IstioConstructError CHART_UNAVAILABLE / HELM_RENDER_FAILED
 */
function renderRelease(scope: Construct, release: HelmReleasePlan, index: number, helm: string, flags: readonly string[]): Helm {
  const { chart, repository, version } = release.location;
  const where = `releases[${index}]`;
  if (isLocalChart(chart, repository) && !fs.existsSync(chart)) {
    throw new IstioConstructError(ErrorCode.CHART_UNAVAILABLE, 'chartSource',
      `release ${JSON.stringify(release.id)}: the chart directory or archive ${JSON.stringify(chart)} does not exist`,
      'set `chartSource` to where the charts are: `ChartSource.fromDirectory(<directory holding base, istio-control/istio-discovery, gateway, ...>)` for local charts, or Istio\'s Helm repository',
      constructName(scope));
  }
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-values-'));
  const valuesFile = path.join(workdir, 'values.json');
  fs.writeFileSync(valuesFile, JSON.stringify(release.values ?? {}));
  try {
    return new Helm(scope, release.id, {
      chart,
      repo: repository,
      version,
      releaseName: release.releaseName,
      namespace: release.namespace,
      helmExecutable: helm,
      // A chart's `crds/` directory is left out of `helm template` unless asked for (helm install applies it first).
      helmFlags: ['-f', valuesFile, ...(flags.includes('--skip-crds') || flags.includes('--include-crds') ? [] : ['--include-crds']), ...flags],
    });
  } catch (e) {
    const message = helmMessage(e);
    const source = repository ? `${chart} from ${repository}${version ? ` at ${version}` : ''}` : `${chart}${version ? ` at ${version}` : ''}`;
    if (FETCH_FAILURE.test(message) && !/execution error|template:|values don't meet the specifications/i.test(message)) {
      throw new IstioConstructError(ErrorCode.CHART_UNAVAILABLE, 'chartSource',
        `${where} (${release.id}): helm could not read the chart ${source}: ${message}`,
        'check `chartSource` (repository URL and version); without network access, use `ChartSource.fromDirectory(<local copy of Istio\'s manifests/charts>)` or a chart archive',
        constructName(scope));
    }
    throw new IstioConstructError(ErrorCode.HELM_RENDER_FAILED, `${where}.values`,
      `helm could not render the chart ${source} of release ${JSON.stringify(release.id)} with the values given: ${message}`,
      'change the chart values the message names (the `values` escape hatch or the typed props that set them)',
      constructName(scope));
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

/** `protocol` of a Kubernetes Service port for an Istio protocol. */
/**
 * Keeps a managed gateway's rendered Service in step with the ports the constructs bound to it
 * require: each required port the chart did not render is appended to `spec.ports` with a JSON
 * patch, also when the construct binding it is created after the installation.
 */
function followGatewayPorts(scope: Construct, gateway: ManagedGatewayPlan, key: string, objects: readonly ApiObject[]): void {
  const service = objects.find((o) => o.kind === 'Service' && o.apiVersion === 'v1' && o.name === gateway.serviceName);
  const rendered = new Set<number>();
  let hasPortList = false;
  if (service) {
    const ports = (service.toJson() as Manifest).spec?.ports as Array<{ port?: unknown }> | undefined;
    hasPortList = Array.isArray(ports);
    for (const p of ports ?? []) if (typeof p?.port === 'number') rendered.add(p.port);
  }
  gateway.servicePorts.onPortAdded((port: ResolvedPort) => {
    if (rendered.has(port.port)) return;
    if (!service) {
      throw new IstioConstructError(ErrorCode.GATEWAY_PORT_NOT_EXPOSED, `gateways.${key}`,
        `port ${port.port} is required on gateway ${JSON.stringify(key)}, but its chart rendered no Service ${gateway.namespace}/${gateway.serviceName}`,
        'give the gateway a Service (its chart `service` values), or bind the construct to another gateway',
        constructName(scope));
    }
    rendered.add(port.port);
    const entry = { name: port.name, port: port.port, protocol: kubernetesProtocol(port.protocol), targetPort: port.targetPort };
    // A Service rendered without `spec.ports` gets the list with its first port.
    service.addJsonPatch(hasPortList ? JsonPatch.add('/spec/ports/-', entry) : JsonPatch.add('/spec/ports', [entry]));
    hasPortList = true;
  });
}

/**
 * Renders an installation plan under `scope`: one child construct per release (named by its id,
 * cdk8s's `Helm`), plus `Namespaces`, `SailResources`, `Manifests` and `Sources/<id>` (cdk8s's
 * `Include`). Every namespaced object a chart renders without `metadata.namespace` gets its
 * release's namespace (helm sets it only at install time). The ports constructs bind to a managed
 * gateway are added to its Service as they are required. Every object is registered with the
 * App-level checks (admission and whole-program analysis at synth).
 *
 * @param scope where the objects are added (a Chart or a construct in one).
 * @param plan the installation, from `buildIstioInstallation`.
 * @param options the helm binary and extra `helm template` flags.
 * @throws IstioConstructError HELM_NOT_FOUND when no helm binary is found (names `helmExecutable`);
 *   CHART_UNAVAILABLE when helm cannot read a chart (names `chartSource` and
 *   `ChartSource.fromDirectory`); HELM_RENDER_FAILED when the chart refuses the values;
 *   MANIFEST_UNAVAILABLE when an add-on file or URL cannot be read.
 * @see https://istio.io/latest/docs/setup/install/helm/
 */
export function renderInstallationPlan(scope: Construct, plan: InstallationPlan, options: RenderInstallationOptions = {}): RenderedInstallation {
  const all: ApiObject[] = [];

  const namespaceScope = new Construct(scope, 'Namespaces');
  const namespaces = plan.namespaces.map((m) => new ApiObject(namespaceScope, `${m.metadata.name}`, apiObjectProps(m)));
  all.push(...namespaces);

  const releases: Record<string, RenderedRelease> = {};
  if (plan.releases.length > 0) {
    const helm = resolveHelm(scope, options.helmExecutable);
    plan.releases.forEach((release, index) => {
      const construct = renderRelease(scope, release, index, helm, options.helmFlags ?? []);
      releases[release.id] = { plan: release, helm: construct, apiObjects: construct.apiObjects };
      all.push(...construct.apiObjects);
    });
  }

  // Kinds the plan's own CRDs declare cluster-scoped.
  const clusterScoped = new Set(CLUSTER_SCOPED);
  const crds: ApiObject[] = [];
  for (const r of Object.values(releases)) {
    for (const o of r.apiObjects) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      crds.push(o);
      const spec = (o.toJson() as Manifest).spec as { group?: string; scope?: string; names?: { kind?: string } } | undefined;
      if (spec?.scope === 'Cluster' && spec.group && spec.names?.kind) clusterScoped.add(`${spec.group}/${spec.names.kind}`);
    }
  }

  // Every namespaced object carries its release namespace (`helm template -n` leaves that to the chart).
  for (const r of Object.values(releases)) {
    for (const o of r.apiObjects) {
      if (o.metadata.namespace === undefined && !clusterScoped.has(groupKind(o.apiVersion, o.kind))) {
        o.addJsonPatch(JsonPatch.add('/metadata/namespace', r.plan.namespace));
      }
    }
  }

  const sailScope = new Construct(scope, 'SailResources');
  const sailResources = plan.sailResources.map((m, i) => new ApiObject(sailScope, objectId(m, i), apiObjectProps(m)));
  all.push(...sailResources);

  const manifestSources: Record<string, Include> = {};
  if (plan.manifestSources.length > 0) {
    const sourceScope = new Construct(scope, 'Sources');
    for (const source of plan.manifestSources) {
      const isUrl = /^https?:\/\//.test(source.source);
      if (!isUrl && !fs.existsSync(source.source)) {
        throw new IstioConstructError(ErrorCode.MANIFEST_UNAVAILABLE, `addons.${source.id}`,
          `the manifest file ${JSON.stringify(source.source)} of add-on ${JSON.stringify(source.id)} does not exist`,
          'point the add-on at an existing YAML file (or its https:// URL)', constructName(scope));
      }
      let include: Include;
      try {
        include = new Include(sourceScope, source.id, { url: source.source });
      } catch (e) {
        throw new IstioConstructError(ErrorCode.MANIFEST_UNAVAILABLE, `addons.${source.id}`,
          `the manifest ${JSON.stringify(source.source)} of add-on ${JSON.stringify(source.id)} could not be read: ${helmMessage(e)}`,
          'point the add-on at a local copy of the YAML when building without network access', constructName(scope));
      }
      manifestSources[source.id] = include;
      all.push(...include.apiObjects);
    }
  }

  const manifestScope = new Construct(scope, 'Manifests');
  const manifests = plan.manifests.map((m, i) => new ApiObject(manifestScope, objectId(m, i), apiObjectProps(m)));
  all.push(...manifests);

  // Apply order: CRDs, then namespaces, then each release after the ones it depends on.
  for (const ns of namespaces) if (crds.length) ns.addDependency(...crds);
  const releaseObjects = (id: string) => releases[id]?.apiObjects ?? [];
  for (const r of Object.values(releases)) {
    const before = [...namespaces, ...r.plan.dependsOn.flatMap(releaseObjects)];
    if (before.length === 0) continue;
    for (const o of r.apiObjects) if (o.kind !== 'CustomResourceDefinition') o.addDependency(...before);
  }
  const everyRelease = Object.values(releases).flatMap((r) => r.apiObjects);
  for (const o of sailResources) if (namespaces.length) o.addDependency(...namespaces);
  for (const source of plan.manifestSources) {
    const before = [...namespaces, ...source.dependsOn.flatMap(releaseObjects)];
    for (const o of manifestSources[source.id].apiObjects) if (before.length) o.addDependency(...before);
  }
  // The plan's other objects are Istio resources: after the CRDs and the control plane.
  for (const o of manifests) {
    const before = [...namespaces, ...everyRelease];
    if (before.length) o.addDependency(...before);
  }

  // Managed gateways: the ports bound constructs require, added to the rendered Service.
  for (const [key, gateway] of Object.entries(plan.gateways)) {
    const release = releases[gateway.releaseId];
    if (!release) continue;
    followGatewayPorts(scope, gateway, key, release.apiObjects);
  }

  registerWithApp(scope, all, []);

  return {
    releases,
    namespaces,
    sailResources,
    manifests,
    manifestSources,
    apiObjects: all,
    find: (kind, name, namespace) => all.find((o) => o.kind === kind && o.name === name
      && (namespace === undefined || (o.metadata.namespace ?? namespaceOf(o, releases)) === namespace)),
  };
}

/** The namespace an object without `metadata.namespace` was given (its release's). */
function namespaceOf(o: ApiObject, releases: Record<string, RenderedRelease>): string | undefined {
  for (const r of Object.values(releases)) if (r.apiObjects.includes(o)) return r.plan.namespace;
  return undefined;
}

/** A construct id for a plan object: `<kind>-<name>` (unique with its index when needed). */
function objectId(m: Manifest, i: number): string {
  return `${String(m.kind).toLowerCase()}-${m.metadata?.namespace ? m.metadata.namespace + '-' : ''}${m.metadata?.name ?? i}`;
}

/** An `ApiObject`'s props from a plain manifest. */
function apiObjectProps(m: Manifest): { apiVersion: string; kind: string; [key: string]: any } {
  const { apiVersion, kind, metadata, ...rest } = m;
  return { apiVersion, kind, metadata, ...rest };
}
