import { Construct } from 'constructs';
import { ErrorCode, IstioConstructError } from '../core/errors';
import type { ManagedEgressGateway, ManagedIngressGateway } from '../core/managed-gateway';
import { PatternWarning } from '../core/output';
import {
  IstioInstallationOutput, IstioInstallationProps, ResolvedIstioRevision, buildIstioInstallation, installationGateway,
} from '../patterns/istio-installation';
import { registerWithApp } from './app-checks';
import { RenderedInstallation, renderInstallationPlan } from './installation-render';

/** Props of the cdk8s `IstioInstallation`: the installation, and how `helm template` runs at synth. */
export interface IstioInstallationConstructProps extends IstioInstallationProps {
  /**
   * The helm binary (3.8+ or 4) that renders the charts: a path, or a command name on the PATH.
   * Not needed in `mode: 'sail'` without gateways or add-on charts.
   * @default "helm" (found on the PATH)
   */
  readonly helmExecutable?: string;
  /**
   * More flags for every `helm template` call, e.g. `["--kube-version", "1.31.0"]`.
   * `--include-crds` is always passed.
   * @default []
   */
  readonly helmFlags?: string[];
}

/**
 * An Istio installation as a cdk8s construct: Istio's own Helm charts (base, istiod, cni,
 * ztunnel, gateway, and the Kiali operator chart for the add-on) rendered at construction time by
 * cdk8s's `Helm` construct with a real helm binary, the namespaces `helm template` does not
 * create, and everything written in apply order (CRDs first, then namespaces, base, istiod, cni,
 * ztunnel, gateways, add-ons). With `mode: 'sail'`, Sail Operator resources instead of the
 * control-plane charts.
 *
 * The gateways it installs are typed references: a Gateway bound to `ingressGateway` (or
 * `gateway(name)`) selects the labels the chart really puts on the pods, and a construct bound to
 * one (a TcpIngress on 31400) adds its port to the rendered gateway Service, whether it is
 * declared before or after the installation.
 *
 * @throws IstioConstructError for invalid props (see `buildIstioInstallation`); HELM_NOT_FOUND
 *   (path `helmExecutable`) when no helm binary is found; CHART_UNAVAILABLE (path `chartSource`)
 *   when a chart cannot be read; HELM_RENDER_FAILED when a chart refuses its values (path of the
 *   props that set them); MANIFEST_UNAVAILABLE (path `addons.<id>`) when an add-on manifest cannot be read.
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { ChartSource, IstioInstallation, Protocol, ServiceRef, TcpIngress } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'istio');
 * const istio = new IstioInstallation(chart, 'istio', {
 *   version: '1.28.0',
 *   profile: 'demo',
 *   chartSource: ChartSource.fromDirectory('/path/to/istio/manifests/charts'),
 * });
 * const backend = ServiceRef.fromName('tcp-echo', { namespace: 'default', ports: [{ port: 9000, protocol: Protocol.TCP }] });
 * // Adds tcp-31400 to the istio-ingressgateway Service the chart renders.
 * new TcpIngress(chart, 'tcp', { name: 'tcp-echo', backend, port: 31400, gateway: istio.ingressGateway! });
 * ```
 */
export class IstioInstallation extends Construct {
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
  /** Warnings about valid but surprising props (also printed at synth, as other constructs do). */
  public readonly warnings: readonly PatternWarning[];
  /** What `buildIstioInstallation` resolved (the plan and its details). */
  public readonly output: IstioInstallationOutput;
  /** The rendered objects: releases, namespaces, Sail resources, add-ons. */
  public readonly rendered: RenderedInstallation;

  constructor(scope: Construct, id: string, props: IstioInstallationConstructProps) {
    super(scope, id);
    const { helmExecutable, helmFlags, ...installation } = props;
    const output = buildIstioInstallation(installation);
    this.output = output;
    this.ingressGateway = output.ingressGateway;
    this.ingressGateways = output.ingressGateways;
    this.egressGateways = output.egressGateways;
    this.revisions = output.revisions;
    this.revisionTags = output.revisionTags;
    this.istioNamespace = output.istioNamespace;
    this.warnings = output.warnings;
    registerWithApp(this, [], output.warnings);
    try {
      this.rendered = renderInstallationPlan(this, output.plan, { helmExecutable, helmFlags });
    } catch (e) {
      throw e instanceof IstioConstructError ? toPropsPath(e, output, installation) : e;
    }
  }

  /**
   * The ingress gateway of that name.
   * @throws IstioConstructError UNKNOWN_GATEWAY naming the installation's ingress gateways.
   */
  public gateway(name: string): ManagedIngressGateway {
    return installationGateway(this.ingressGateways, name, 'ingress', `IstioInstallation "${this.node.path}"`);
  }

  /**
   * The egress gateway of that name.
   * @throws IstioConstructError UNKNOWN_GATEWAY naming the installation's egress gateways.
   */
  public egressGateway(name: string): ManagedEgressGateway {
    return installationGateway(this.egressGateways, name, 'egress', `IstioInstallation "${this.node.path}"`);
  }

}

/**
 * Rewrites an error of the renderer, whose paths are the plan's (`releases[3].values`,
 * `gateways.<name>`), to the props that decided it.
 */
function toPropsPath(e: IstioConstructError, output: IstioInstallationOutput, props: IstioInstallationProps): IstioConstructError {
  const release = /^releases\[(\d+)\]/.exec(e.path);
  const gatewayKey = /^gateways\.(.+)$/.exec(e.path);
  let path: string | undefined;
  const gatewayPath = (name: string): string => {
    const i = (props.gateways ?? []).findIndex((g) => g.name === name);
    return i >= 0 ? `gateways[${i}]` : 'defaultGateways';
  };
  if (release) {
    const r = output.plan.releases[Number(release[1])];
    if (r?.role === 'gateway' && r.gateway) path = `${gatewayPath(r.gateway)}${r.gateway && (props.gateways ?? []).some((g) => g.name === r.gateway) ? '.values' : ''}`;
    else if (r?.role === 'addon') path = `addons.${r.id.startsWith('kiali') ? 'kiali' : r.id}`;
    else if (r) path = `values.${r.role}`;
  } else if (gatewayKey) {
    path = gatewayPath(gatewayKey[1]);
  }
  if (path === undefined || path === e.path) return e;
  const where = [e.construct, e.path].filter((s) => s).join(' ');
  const suffix = ` (${e.code}). Fix: ${e.hint}`;
  let problem = e.message;
  if (where && problem.startsWith(`${where}: `)) problem = problem.slice(where.length + 2);
  if (problem.endsWith(suffix)) problem = problem.slice(0, -suffix.length);
  return new IstioConstructError(e.code, path, problem, e.hint, e.construct);
}
