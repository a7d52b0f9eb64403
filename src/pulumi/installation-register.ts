/**
 * Registers an `InstallationPlan` (what `buildIstioInstallation` resolves to) as Pulumi resources:
 * the engine of the Pulumi `IstioInstallation` component. Holds no Istio knowledge beyond the
 * plan's order and the gateway chart's `service.ports`.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { gatewayValuesWithPorts } from '../core/gateway-service-values';
import { HelmReleasePlan, InstallationPlan } from '../core/installation-plan';
import { ErrorCode, IstioConstructError } from '../core/errors';

/** Options of `registerInstallationPlan`. */
export interface RegisterInstallationOptions {
  /**
   * How each Helm release is registered.
   * - `chart`: one `kubernetes.helm.v4.Chart` per release. Pulumi renders the chart (like `helm
   *   template`) and manages every object itself: previews show each object, transformations
   *   and policy packs see them, and no Helm release secret is written.
   * - `release`: one `kubernetes.helm.v3.Release` per release. The provider runs `helm install` /
   *   `helm upgrade`, so `helm ls` and `helm rollback` work, as in Istio's Helm install docs;
   *   Pulumi sees the release as one opaque resource.
   * @default 'chart'
   */
  readonly release?: 'chart' | 'release';
  /**
   * The Kubernetes provider every resource is registered with.
   * @default - the provider inherited from `parent` (or Pulumi's default provider)
   */
  readonly provider?: k8s.Provider;
}

/** One Helm release as registered: a `helm.v4.Chart`, or a `helm.v3.Release` with `release: 'release'`. */
export type RegisteredRelease = k8s.helm.v4.Chart | k8s.helm.v3.Release;

/** What `registerInstallationPlan` registered, for the component's public fields and `registerOutputs`. */
export interface RegisteredInstallation {
  /** The namespaces the plan creates, by namespace name. */
  readonly namespaces: Readonly<Record<string, k8s.core.v1.Namespace>>;
  /** The Helm releases, by `HelmReleasePlan.id`, in the plan's order. */
  readonly releases: Readonly<Record<string, RegisteredRelease>>;
  /** The Sail Operator resources, in the plan's order. */
  readonly sailResources: readonly k8s.apiextensions.CustomResource[];
  /** The add-ons shipped as plain manifests, by `ManifestSourcePlan.id`. */
  readonly manifestSources: Readonly<Record<string, k8s.yaml.v2.ConfigFile>>;
  /** The plan's other objects (e.g. a Telemetry), in the plan's order. */
  readonly manifests: readonly pulumi.CustomResource[];
  /**
   * The chart values sent for each gateway release, by `HelmReleasePlan.gateway`: the release's
   * values with `service.ports` holding every port bound constructs required (known once the
   * program's synchronous construction is over).
   */
  readonly gatewayValues: Readonly<Record<string, pulumi.Output<Record<string, unknown>>>>;
  /** Every resource registered, in registration order: what a resource that needs the whole installation `dependsOn`. */
  readonly resources: readonly pulumi.Resource[];
}

/** Pulumi resource classes for the core kinds a plan's `manifests` may hold; any other kind is a CustomResource. */
const CORE_KINDS: Record<string, new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
};

/**
 * Registers an installation plan as children of `parent`, every child named `${name}-<suffix>`:
 *
 * 1. Each namespace of `plan.namespaces` as a `kubernetes.core.v1.Namespace`
 *    (`${name}-namespace-<namespace>`), with its labels (injection mode).
 * 2. Each release of `plan.releases`, in order, as a `kubernetes.helm.v4.Chart` (`${name}-<id>`;
 *    `chart`, `repositoryOpts.repo` when the location names a repository, `version`, `namespace`,
 *    `name` = the release name, `values`), or a `kubernetes.helm.v3.Release` with
 *    `release: 'release'`. Its `dependsOn`: the releases of `HelmReleasePlan.dependsOn` and the
 *    Namespace it is installed into when the plan creates it (namespaces → base → istiod → cni →
 *    ztunnel → gateways, as the plan orders them). A `helm.v3.Release` gets `createNamespace: false`
 *    (the namespaces are registered here, with their labels; Helm would create them without) and
 *    keeps Helm's default `skipCrds: false`: Istio's `base` chart writes its CRDs as templates
 *    (`base.enableCRDTemplates`), so they are ordinary release objects, upgraded with the release,
 *    and an add-on chart's `crds/` directory (the Kiali operator's) must be installed for its custom
 *    resources to be accepted. The chart's own `base.validationFailurePolicy` is in the values.
 * 3. Each object of `plan.sailResources` as a `kubernetes.apiextensions.CustomResource`
 *    (`${name}-<kind>-<name>`, kind in lower case), after the namespaces.
 * 4. Each add-on of `plan.manifestSources` as a `kubernetes.yaml.v2.ConfigFile` (`${name}-<id>`,
 *    `file` = the source), after its `dependsOn` releases and the namespaces.
 * 5. Each object of `plan.manifests` as a `kubernetes.apiextensions.CustomResource` (a typed class
 *    for core kinds; `${name}-<kind>[-<namespace>]-<name>`), after every release, Sail resource and
 *    namespace (an Istio object is only admitted once istiod's webhook runs).
 *
 * **Managed gateway ports.** A gateway release's `values` are an Output that resolves once the
 * program's synchronous construction is over (on `setImmediate`): then its `service.ports` gets
 * every port `servicePorts.current()` holds that the values lack (see `gatewayValuesWithPorts`),
 * so a TcpIngress bound to the gateway after the installation was declared still adds its port,
 * and `servicePorts.seal(reason)` is called. A construct bound to the gateway after that (after an
 * `await` in the program) that needs a port the Service lacks gets IstioConstructError
 * GATEWAY_PORT_NOT_EXPOSED from `servicePorts`, instead of a port silently missing.
 *
 * The same `dependsOn` edges order a `pulumi destroy` the other way round (gateways, then ztunnel,
 * cni, istiod, base, and the namespaces last). Sail resources need the Sail Operator (and its
 * CRDs) already running in the cluster. No `skipAwait` is set: each release waits for its objects
 * to be ready before the next one starts, which is what the chain is for. Nothing is registered
 * as the parent's outputs: the component calls `registerOutputs` itself.
 *
 * No resource is created inside an `apply`; every child is registered before this returns.
 *
 * @param parent the component the children belong to (`parent` of each child).
 * @param name the component's name, prefix of every child name.
 * @param plan the installation plan; not modified.
 * @throws IstioConstructError DUPLICATE_NAME when two releases, namespaces, add-ons or objects of
 *   one kind would get the same child name; INVALID_OBJECT when a release or add-on depends on a
 *   release that is not before it, or a gateway release names no gateway of the plan (a plan
 *   `buildIstioInstallation` returns never does). A gateway release whose values set
 *   `networkGateway` while a port is required fails the deployment with GATEWAY_PORT_NOT_EXPOSED.
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v4/chart/
 */
export function registerInstallationPlan(
  parent: pulumi.ComponentResource, name: string, plan: InstallationPlan, options: RegisterInstallationOptions = {},
): RegisteredInstallation {
  const names = childNames(plan, name);
  const provider = options.provider ? { provider: options.provider } : {};
  const resources: pulumi.Resource[] = [];

  // 1. Namespaces.
  const namespaces: Record<string, k8s.core.v1.Namespace> = {};
  plan.namespaces.forEach((ns, i) => {
    const res = new k8s.core.v1.Namespace(names.namespaces[i], plain(ns) as k8s.core.v1.NamespaceArgs, { parent, ...provider });
    namespaces[ns.metadata.name] = res;
    resources.push(res);
  });
  const allNamespaces = Object.values(namespaces);

  // 2. Releases, in the plan's order.
  const releases: Record<string, RegisteredRelease> = {};
  const gatewayValues: Record<string, pulumi.Output<Record<string, unknown>>> = {};
  plan.releases.forEach((release, i) => {
    const after: pulumi.Resource[] = release.dependsOn.map((d) => releases[d]);
    if (namespaces[release.namespace]) after.unshift(namespaces[release.namespace]);
    let values: pulumi.Input<Record<string, unknown>> = plain(release.values);
    if (release.gateway !== undefined) {
      const sent = pulumi.output(valuesAfterConstruction(release, plan.gateways[release.gateway].servicePorts)) as unknown as pulumi.Output<Record<string, unknown>>;
      gatewayValues[release.gateway] = sent;
      values = sent;
    }
    const opts = { parent, dependsOn: after, ...provider };
    const res = options.release === 'release'
      ? new k8s.helm.v3.Release(names.releases[i], { ...chartArgs(release, values), createNamespace: false }, opts)
      : new k8s.helm.v4.Chart(names.releases[i], chartArgs(release, values), opts);
    releases[release.id] = res;
    resources.push(res);
  });
  const allReleases = Object.values(releases);

  // 3. Sail Operator resources.
  const sailResources = plan.sailResources.map((m, i) => {
    const res = new k8s.apiextensions.CustomResource(names.sailResources[i], plain(m) as k8s.apiextensions.CustomResourceArgs,
      { parent, dependsOn: allNamespaces, ...provider });
    resources.push(res);
    return res;
  });

  // 4. Add-ons as plain manifests.
  const manifestSources: Record<string, k8s.yaml.v2.ConfigFile> = {};
  plan.manifestSources.forEach((source, i) => {
    const after = source.dependsOn.map((d) => releases[d]);
    const res = new k8s.yaml.v2.ConfigFile(names.manifestSources[i], { file: source.source }, { parent, dependsOn: [...allNamespaces, ...after], ...provider });
    manifestSources[source.id] = res;
    resources.push(res);
  });

  // 5. Other objects, once the control plane runs.
  const manifests = plan.manifests.map((m, i) => {
    const Core = CORE_KINDS[`${m.apiVersion}/${m.kind}`];
    const opts = { parent, dependsOn: [...allNamespaces, ...allReleases, ...sailResources], ...provider };
    const res = Core
      ? new Core(names.manifests[i], plain(m), opts)
      : new k8s.apiextensions.CustomResource(names.manifests[i], plain(m) as k8s.apiextensions.CustomResourceArgs, opts);
    resources.push(res);
    return res;
  });

  return { namespaces, releases, sailResources, manifestSources, manifests, gatewayValues, resources };
}

/**
 * The child name of every item of the plan, after checking the plan's names and order (before
 * anything is registered, so a bad plan registers nothing).
 */
function childNames(plan: InstallationPlan, name: string) {
  const construct = `IstioInstallation ${JSON.stringify(name)}`;
  const used = new Set<string>();
  const childName = (type: string, suffix: string, path: string): string => {
    const n = `${name}-${suffix}`;
    if (used.has(`${type} ${n}`)) {
      throw new IstioConstructError(ErrorCode.DUPLICATE_NAME, path, `two ${type} resources would be named ${JSON.stringify(n)}`,
        'give each object of the installation its own name', construct);
    }
    used.add(`${type} ${n}`);
    return n;
  };
  const planBug = (path: string, problem: string): IstioConstructError => new IstioConstructError(ErrorCode.INVALID_OBJECT, path, problem,
    'build the plan with buildIstioInstallation, which orders the releases; please report it if it did', construct);

  const namespaces = plan.namespaces.map((ns, i) => childName('Namespace', `namespace-${ns.metadata.name}`, `namespaces[${i}]`));
  const before = new Set<string>();
  const releases = plan.releases.map((release, i) => {
    const path = `releases[${i}]`;
    const n = childName('Helm release', release.id, `${path}.id`);
    release.dependsOn.forEach((d, j) => {
      if (!before.has(d)) throw planBug(`${path}.dependsOn[${j}]`, `release "${release.id}" depends on "${d}", which is not a release before it`);
    });
    if (release.gateway !== undefined && !plan.gateways[release.gateway]) {
      throw planBug(`${path}.gateway`, `gateway release "${release.id}" names gateway "${release.gateway}", which the plan does not have`);
    }
    before.add(release.id);
    return n;
  });
  const sailResources = plan.sailResources.map((m, i) => childName(m.kind, `${m.kind.toLowerCase()}-${m.metadata.name}`, `sailResources[${i}]`));
  const manifestSources = plan.manifestSources.map((source, i) => {
    const path = `manifestSources[${i}]`;
    source.dependsOn.forEach((d, j) => {
      if (!before.has(d)) throw planBug(`${path}.dependsOn[${j}]`, `add-on "${source.id}" depends on "${d}", which is not a release of the plan`);
    });
    return childName('ConfigFile', source.id, `${path}.id`);
  });
  const manifests = plan.manifests.map((m, i) => {
    const { namespace, name: objectName } = m.metadata;
    return childName(`${m.apiVersion}/${m.kind}`, `${m.kind.toLowerCase()}-${namespace ? `${namespace}-` : ''}${objectName}`, `manifests[${i}]`);
  });
  return { namespaces, releases, sailResources, manifestSources, manifests };
}

/** The args a `helm.v4.Chart` and a `helm.v3.Release` share, from a release of the plan. */
function chartArgs(release: HelmReleasePlan, values: pulumi.Input<Record<string, unknown>>) {
  const { chart, repository, version } = release.location;
  return {
    chart,
    ...(repository !== undefined ? { repositoryOpts: { repo: repository } } : {}),
    ...(version !== undefined ? { version } : {}),
    name: release.releaseName,
    namespace: release.namespace,
    values,
  };
}

/**
 * The values of a gateway release, once the program's synchronous construction is over (so every
 * construct bound to the gateway meanwhile has required its port); then seals the ports.
 */
function valuesAfterConstruction(release: HelmReleasePlan, ports: InstallationPlan['gateways'][string]['servicePorts']): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        const current = ports.current();
        ports.seal(`the Pulumi program already sent the chart values of gateway release "${release.id}" (they are sent once the program's synchronous code has run); declare constructs bound to this gateway before the program's first await, or declare the port in the gateway's ports`);
        resolve(gatewayValuesWithPorts(release.values, current, release.id));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** A deep copy of plain JSON, so the registered args never share objects with the plan. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
