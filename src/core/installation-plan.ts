/**
 * What an `IstioInstallation` resolves to, before any engine renders it: the Helm releases in the
 * order they must be applied, the namespaces `helm template` does not create, the Sail Operator
 * resources (when the installation is applied by the operator), and the add-ons shipped as plain
 * manifests. The pure builder (`buildIstioInstallation`) returns it; the cdk8s construct renders
 * each release with cdk8s's `Helm` construct and the Pulumi component registers one
 * `helm.v4.Chart` per release, chained by `dependsOn`.
 */
import type { Manifest } from './manifest';
import type { ResolvedPort } from './ports';

/** The charts of an Istio installation, by their names in Istio's Helm repository. */
export type IstioChartName = 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway';

/**
 * Where one chart is read from, in the terms of `helm template`: a chart name with `repository`
 * (`https://...`, plus `version`), an `oci://` reference (plus `version`), or a local chart
 * directory or `.tgz` archive (no `repository`, no `version`).
 */
export interface ChartLocation {
  /** The chart: a name in `repository`, an `oci://` reference, or a local path. */
  readonly chart: string;
  /** The Helm repository URL, when `chart` is a name in it. */
  readonly repository?: string;
  /** The chart version, when read from a repository or an OCI registry. */
  readonly version?: string;
}

/** What a release installs (decides its order and how the engines treat it). */
export type ReleaseRole = 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway' | 'addon';

/** One Helm release of the installation. */
export interface HelmReleasePlan {
  /**
   * Unique within the installation, stable, a DNS-1123 label: the construct id (cdk8s) and the
   * resource-name suffix (Pulumi), e.g. `base`, `istiod`, `istiod-1-31-0`, `cni`, `ztunnel`,
   * `gateway-istio-ingress`, `kiali-operator`.
   */
  readonly id: string;
  readonly role: ReleaseRole;
  /** The Helm release name (`helm template <releaseName>`). */
  readonly releaseName: string;
  /** The namespace the release is installed into. */
  readonly namespace: string;
  readonly location: ChartLocation;
  /**
   * The values given to the chart (plain JSON). For a gateway release the engines add the ports
   * bound constructs require (`gateway.servicePorts`) to the rendered Service at synth time.
   */
  readonly values: Record<string, unknown>;
  /** The `id`s of releases that must be applied before this one (namespace → base → istiod → cni → ztunnel → gateways). */
  readonly dependsOn: readonly string[];
  /** For a gateway release: the key of its gateway in `InstallationPlan.gateways`. */
  readonly gateway?: string;
}

/** An add-on shipped as plain manifests (Istio's `samples/addons/*.yaml`). */
export interface ManifestSourcePlan {
  /** Unique within the installation, a DNS-1123 label, e.g. `prometheus`. */
  readonly id: string;
  /** An `https://` URL or a local file path of the YAML. */
  readonly source: string;
  /** The `id`s of releases that must be applied first. */
  readonly dependsOn: readonly string[];
}

/**
 * The ports of a gateway Service the installation manages: the chart's own ports plus the ports
 * that constructs bound to the gateway require (a TcpIngress on 31400 adds 31400), in any
 * construction order. Engines render `current()` at synth time, or listen with `onPortAdded`.
 */
export interface GatewayServicePorts {
  /** Every port now: the gateway's declared ports, then the required ones, by port number. */
  current(): readonly ResolvedPort[];
  /** Calls `listener` for every port required so far and for each port required later. */
  onPortAdded(listener: (port: ResolvedPort) => void): void;
  /**
   * Stops accepting new ports: a later `requirePort` for a port the Service lacks throws
   * IstioConstructError GATEWAY_PORT_NOT_EXPOSED with `reason` (Pulumi: the chart values were sent).
   */
  seal(reason: string): void;
}

/** A gateway the installation manages, as the engines see it. */
export interface ManagedGatewayPlan {
  /** The `id` of its release in `InstallationPlan.releases`. */
  readonly releaseId: string;
  /** The gateway Service's name (the chart's `name` value, else the release name). */
  readonly serviceName: string;
  readonly namespace: string;
  readonly servicePorts: GatewayServicePorts;
}

/** Everything an installation applies, engine-free. */
export interface InstallationPlan {
  /** Namespaces to create first (`helm template` creates none), with their labels. */
  readonly namespaces: readonly Manifest[];
  /** The Helm releases, already in an order that satisfies every `dependsOn`. */
  readonly releases: readonly HelmReleasePlan[];
  /** Sail Operator resources (`Istio`, `IstioRevisionTag`, `IstioCNI`, `ZTunnel`) when the operator applies the installation; else empty. */
  readonly sailResources: readonly Manifest[];
  /** Add-ons shipped as plain manifests. */
  readonly manifestSources: readonly ManifestSourcePlan[];
  /** Other objects the installation emits as they are (e.g. a Telemetry enabling tracing). */
  readonly manifests: readonly Manifest[];
  /** The gateways of the gateway releases, by `HelmReleasePlan.gateway`. */
  readonly gateways: Readonly<Record<string, ManagedGatewayPlan>>;
}
