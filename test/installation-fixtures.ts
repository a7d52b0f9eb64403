/**
 * Hand-built `InstallationPlan`s over the real Istio charts in `../shared/istio/charts`, for the
 * tests of the cdk8s renderer (test/installation-render*.test.ts), independent of the builder.
 */
import * as path from 'path';
import { Protocol, ResolvedPort } from '../src/core/ports';
import { GatewayServicePorts, HelmReleasePlan, InstallationPlan, ManagedGatewayPlan } from '../src/core/installation-plan';
import { IstioConstructError, ErrorCode } from '../src/core/errors';
import { Manifest } from '../src/core/manifest';

/** The real charts (istio/istio `manifests/charts`), beside the repository. */
export const CHARTS = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'charts');

/** The directory of each chart, by its name in Istio's Helm repository. */
export const CHART_DIRS = {
  base: path.join(CHARTS, 'base'),
  istiod: path.join(CHARTS, 'istio-control', 'istio-discovery'),
  cni: path.join(CHARTS, 'istio-cni'),
  ztunnel: path.join(CHARTS, 'ztunnel'),
  gateway: path.join(CHARTS, 'gateway'),
} as const;

/** A GatewayServicePorts as the model's is specified: declared ports, then required ones, listeners called for every required port. */
export class TestServicePorts implements GatewayServicePorts {
  private readonly required: ResolvedPort[] = [];
  private readonly listeners: Array<(p: ResolvedPort) => void> = [];
  private sealed?: string;
  constructor(private readonly declared: readonly ResolvedPort[] = []) {}
  public current(): readonly ResolvedPort[] {
    return [...this.declared, ...this.required].sort((a, b) => a.port - b.port);
  }
  public onPortAdded(listener: (port: ResolvedPort) => void): void {
    this.listeners.push(listener);
    for (const p of this.required) listener(p);
  }
  public seal(reason: string): void {
    this.sealed = reason;
  }
  /** What a bound construct (a TcpIngress) does: requires a port. */
  public requirePort(port: number, protocol: Protocol = Protocol.TCP, name = `${protocol.toLowerCase()}-${port}`): void {
    if (this.current().some((p) => p.port === port)) return;
    if (this.sealed) throw new IstioConstructError(ErrorCode.GATEWAY_PORT_NOT_EXPOSED, '', `sealed: ${this.sealed}`, 'declare it');
    const p: ResolvedPort = { port, protocol, name, targetPort: port };
    this.required.push(p);
    for (const l of this.listeners) l(p);
  }
}

/** A Namespace object. */
export function namespace(name: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(Object.keys(labels).length ? { labels } : {}) } };
}

/** Options of a hand-built plan. */
export interface TestPlanOptions {
  /** Chart `profile` value of every chart. */
  readonly profile?: string;
  /** Adds cni and ztunnel (ambient). */
  readonly ambient?: boolean;
  /** Adds the `gateway` chart as `istio-ingressgateway` in `istio-ingress`. */
  readonly gateway?: boolean;
  /** Ports of that gateway. */
  readonly gatewayPorts?: TestServicePorts;
  /** More values for istiod. */
  readonly istiodValues?: Record<string, unknown>;
  /** Other objects. */
  readonly manifests?: readonly Manifest[];
}

/** A plan installing Istio from the local charts: istio-system (+ istio-ingress), base → istiod (→ cni → ztunnel) (→ gateway). */
export function testPlan(o: TestPlanOptions = {}): InstallationPlan {
  const values = (extra: Record<string, unknown> = {}) => ({ ...(o.profile ? { profile: o.profile } : {}), ...extra });
  const release = (id: string, role: HelmReleasePlan['role'], chart: keyof typeof CHART_DIRS, releaseName: string, ns: string,
    dependsOn: string[], extra: Partial<HelmReleasePlan> = {}): HelmReleasePlan => ({
    id, role, releaseName, namespace: ns, location: { chart: CHART_DIRS[chart] }, values: values(), dependsOn, ...extra,
  });
  const releases: HelmReleasePlan[] = [
    release('base', 'base', 'base', 'istio-base', 'istio-system', []),
    release('istiod', 'istiod', 'istiod', 'istiod', 'istio-system', ['base'], { values: values(o.istiodValues) }),
  ];
  if (o.ambient) {
    releases.push(release('cni', 'cni', 'cni', 'istio-cni', 'istio-system', ['istiod']));
    releases.push(release('ztunnel', 'ztunnel', 'ztunnel', 'ztunnel', 'istio-system', ['cni']));
  }
  const gateways: Record<string, ManagedGatewayPlan> = {};
  const namespaces = [namespace('istio-system')];
  if (o.gateway) {
    namespaces.push(namespace('istio-ingress'));
    releases.push(release('gateway-istio-ingressgateway', 'gateway', 'gateway', 'istio-ingressgateway', 'istio-ingress',
      [releases[releases.length - 1].id], { gateway: 'ingress' }));
    gateways.ingress = {
      releaseId: 'gateway-istio-ingressgateway', serviceName: 'istio-ingressgateway', namespace: 'istio-ingress',
      servicePorts: o.gatewayPorts ?? new TestServicePorts(),
    };
  }
  return { namespaces, releases, sailResources: [], manifestSources: [], manifests: o.manifests ?? [], gateways };
}
