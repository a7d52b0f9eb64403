/**
 * Hand-built `InstallationPlan`s for the engine tests (the builder that produces them lives
 * elsewhere): a Helm chain with two gateways, and a Sail Operator plan.
 */
import { ErrorCode, IstioConstructError, Protocol } from '../src';
import { GatewayServicePorts, HelmReleasePlan, InstallationPlan } from '../src/core/installation-plan';
import { Manifest } from '../src/core/manifest';
import { ResolvedPort } from '../src/core/ports';

/** A simple `GatewayServicePorts`: declared ports, ports required by constructs, sealing. */
export class TestServicePorts implements GatewayServicePorts {
  private readonly required: ResolvedPort[] = [];
  private readonly listeners: Array<(port: ResolvedPort) => void> = [];
  public sealedWith?: string;

  constructor(private readonly declared: readonly ResolvedPort[]) {}

  /** What a construct bound to the gateway calls (A2's `requirePort`). */
  public requirePort(port: ResolvedPort): void {
    if (this.current().some((p) => p.port === port.port)) return;
    if (this.sealedWith !== undefined) {
      throw new IstioConstructError(ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'port', `the gateway Service lacks port ${port.port}: ${this.sealedWith}`, 'declare the port on the gateway', 'TcpIngress');
    }
    this.required.push(port);
    for (const l of this.listeners) l(port);
  }

  public current(): readonly ResolvedPort[] {
    return [...this.declared, ...[...this.required].sort((a, b) => a.port - b.port)];
  }

  public onPortAdded(listener: (port: ResolvedPort) => void): void {
    for (const p of this.required) listener(p);
    this.listeners.push(listener);
  }

  public seal(reason: string): void {
    this.sealedWith = reason;
  }
}

/** A port with every default applied. */
export function port(port: number, protocol: Protocol, name: string): ResolvedPort {
  return { port, protocol, name, targetPort: port };
}

function namespace(name: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

const REPO = 'https://istio-release.storage.googleapis.com/charts';

function release(id: string, role: HelmReleasePlan['role'], chart: string, releaseName: string, ns: string, dependsOn: string[],
  values: Record<string, unknown>, gateway?: string): HelmReleasePlan {
  return { id, role, releaseName, namespace: ns, location: { chart, repository: REPO, version: '1.28.0' }, values, dependsOn, ...(gateway ? { gateway } : {}) };
}

/** An ambient installation with an ingress gateway (chart default ports) and an egress gateway (its own ports). */
export function helmPlan() {
  const ingressPorts = new TestServicePorts([port(80, Protocol.HTTP2, 'http2'), port(443, Protocol.HTTPS, 'https')]);
  const egressPorts = new TestServicePorts([port(80, Protocol.HTTP, 'http'), port(443, Protocol.TLS, 'tls')]);
  const plan: InstallationPlan = {
    namespaces: [namespace('istio-system'), namespace('istio-ingress', { 'istio-injection': 'enabled' })],
    releases: [
      release('base', 'base', 'base', 'istio-base', 'istio-system', [], { defaultRevision: 'default', base: { validationFailurePolicy: 'Fail' } }),
      release('istiod', 'istiod', 'istiod', 'istiod', 'istio-system', ['base'], { profile: 'ambient', meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } }),
      release('cni', 'cni', 'cni', 'istio-cni', 'kube-system', ['istiod'], { profile: 'ambient' }),
      release('ztunnel', 'ztunnel', 'ztunnel', 'ztunnel', 'istio-system', ['cni'], {}),
      release('gateway-istio-ingress', 'gateway', 'gateway', 'istio-ingress', 'istio-ingress', ['ztunnel'], { service: { type: 'LoadBalancer' } }, 'ingress'),
      release('gateway-istio-egress', 'gateway', 'gateway', 'istio-egress', 'istio-system', ['ztunnel'], {
        service: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'tls', port: 443, protocol: 'TCP', targetPort: 8443 }] },
      }, 'egress'),
    ],
    sailResources: [],
    manifestSources: [{ id: 'prometheus', source: '../shared/istio/samples/addons/prometheus.yaml', dependsOn: ['istiod'] }],
    manifests: [{
      apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' },
      spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }] },
    }],
    gateways: {
      ingress: { releaseId: 'gateway-istio-ingress', serviceName: 'istio-ingress', namespace: 'istio-ingress', servicePorts: ingressPorts },
      egress: { releaseId: 'gateway-istio-egress', serviceName: 'istio-egress', namespace: 'istio-system', servicePorts: egressPorts },
    },
  };
  return { plan, ingressPorts, egressPorts };
}

/** An installation the Sail Operator applies: no Helm releases. */
export function sailPlan(): InstallationPlan {
  return {
    namespaces: [namespace('istio-system'), namespace('istio-cni')],
    releases: [],
    sailResources: [
      { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' }, spec: { version: 'v1.28.0', namespace: 'istio-system', profile: 'ambient' } },
      { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI', metadata: { name: 'default' }, spec: { version: 'v1.28.0', namespace: 'istio-cni', profile: 'ambient' } },
      { apiVersion: 'sailoperator.io/v1', kind: 'ZTunnel', metadata: { name: 'default' }, spec: { version: 'v1.28.0', namespace: 'istio-system' } },
      { apiVersion: 'sailoperator.io/v1', kind: 'IstioRevisionTag', metadata: { name: 'default' }, spec: { targetRef: { kind: 'Istio', name: 'default' } } },
    ],
    manifestSources: [],
    manifests: [],
    gateways: {},
  };
}
