import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ErrorCode, IstioConstructError } from '../core/errors';
import type { ManagedEgressGateway, ManagedIngressGateway } from '../core/managed-gateway';
import { PatternWarning } from '../core/output';
import {
  IstioInstallationOutput, IstioInstallationProps, ResolvedIstioRevision, buildIstioInstallation, installationGateway,
} from '../patterns/istio-installation';
import { RegisteredInstallation, registerInstallationPlan } from './installation-register';

/**
 * The args of the Pulumi `IstioInstallation`: `IstioInstallationProps` as plain values (no
 * `pulumi.Input`s: an installation is structural, it decides which resources exist and how they
 * are ordered, so it is known when the program runs), and how each chart is registered.
 */
export interface IstioInstallationArgs extends IstioInstallationProps {
  /**
   * How each Helm release is registered: `chart`, one `kubernetes.helm.v4.Chart` (Pulumi manages
   * every object, previews show them); `release`, one `kubernetes.helm.v3.Release` (`helm ls` and
   * `helm rollback` work, as in Istio's Helm docs).
   * @default 'chart'
   */
  readonly release?: 'chart' | 'release';
}

/**
 * An Istio installation as a Pulumi component (`istio-constructs:index:IstioInstallation`): one
 * `kubernetes.helm.v4.Chart` per chart of Istio (base, istiod, cni, ztunnel, gateway, and the
 * Kiali operator for the add-on), chained with `dependsOn` (namespaces → base → istiod → cni →
 * ztunnel → gateways), `helm.v3.Release`s with `release: 'release'`, or Sail Operator resources
 * with `mode: 'sail'`. Children are named `<name>-<release id>` (see `registerInstallationPlan`).
 * A Kubernetes provider in `opts.provider` is given to every child.
 *
 * The gateways it installs are typed references: a construct bound to one in the program's
 * synchronous code (a TcpIngress on 31400) adds its port to the gateway chart's `service.ports`.
 *
 * @throws IstioConstructError for invalid args (see `buildIstioInstallation`).
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @example
 * ```ts
 * import { IstioInstallation, Protocol, ServiceRef, TcpIngress } from 'istio-constructs/pulumi';
 *
 * const istio = new IstioInstallation('istio', { version: '1.28.0', profile: 'demo' });
 * const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
 * // 31400 is added to the istio-ingressgateway chart's service.ports.
 * new TcpIngress('tcp', { name: 'tcp-echo', backend, port: 31400, gateway: istio.ingressGateway! });
 * ```
 */
export class IstioInstallation extends pulumi.ComponentResource {
  /** The profile's ingress gateway (`istio-ingressgateway` in the Istio namespace), when installed. */
  public readonly ingressGateway?: ManagedIngressGateway;
  /** Every ingress gateway installed, by name. */
  public readonly ingressGateways: Readonly<Record<string, ManagedIngressGateway>>;
  /** Every egress gateway installed, by name. */
  public readonly egressGateways: Readonly<Record<string, ManagedEgressGateway>>;
  /** The istiod revisions, in order (`name` `''` for the unrevisioned control plane). */
  public readonly revisions: readonly ResolvedIstioRevision[];
  /** Revision tags: tag → revision name. */
  public readonly revisionTags: Readonly<Record<string, string>>;
  /** The Istio namespace. */
  public readonly istioNamespace: string;
  /** Warnings about valid but surprising args (also logged with `pulumi.log.warn`). */
  public readonly warnings: readonly PatternWarning[];
  /** What `buildIstioInstallation` resolved. */
  public readonly output: IstioInstallationOutput;
  /** The registered children: namespaces, releases, Sail resources, add-ons; `resources` for `dependsOn`. */
  public readonly registered: RegisteredInstallation;
  private readonly installationName: string;

  constructor(name: string, args: IstioInstallationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:IstioInstallation', name, {}, opts);
    this.installationName = name;
    const { release, ...props } = args;
    const output = buildIstioInstallation(props);
    this.output = output;
    this.ingressGateway = output.ingressGateway;
    this.ingressGateways = output.ingressGateways;
    this.egressGateways = output.egressGateways;
    this.revisions = output.revisions;
    this.revisionTags = output.revisionTags;
    this.istioNamespace = output.istioNamespace;
    this.warnings = output.warnings;
    for (const w of output.warnings) void pulumi.log.warn(`${w.code} ${w.path}: ${w.message}`, this);
    const provider = opts?.provider instanceof k8s.Provider ? opts.provider : undefined;
    this.registered = registerInstallationPlan(this, name, output.plan, { release, provider });
    this.registerOutputs({
      namespaces: this.registered.namespaces,
      releases: this.registered.releases,
      sailResources: this.registered.sailResources,
      manifestSources: this.registered.manifestSources,
      manifests: this.registered.manifests,
    });
  }

  /**
   * The ingress gateway of that name.
   * @throws IstioConstructError UNKNOWN_GATEWAY naming the installation's ingress gateways.
   */
  public gateway(gatewayName: string): ManagedIngressGateway {
    return installationGateway(this.ingressGateways, gatewayName, 'ingress', `IstioInstallation ${JSON.stringify(this.installationName)}`);
  }

  /**
   * The egress gateway of that name.
   * @throws IstioConstructError UNKNOWN_GATEWAY naming the installation's egress gateways.
   */
  public egressGateway(gatewayName: string): ManagedEgressGateway {
    return installationGateway(this.egressGateways, gatewayName, 'egress', `IstioInstallation ${JSON.stringify(this.installationName)}`);
  }


}
