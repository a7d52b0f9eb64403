/**
 * Gateways the program itself installs (the `gateway` chart releases of an `IstioInstallation`):
 * typed `IngressGateway` / `EgressGateway` references whose Service ports grow. A construct bound
 * to one (a TcpIngress on 31400, a HardenedGateway on 443) adds the port its Gateway server needs
 * to the gateway's Service instead of failing with IST0162, so the port is never written by hand.
 * The engines render `servicePorts.current()` into the chart's `service.ports` when they
 * synthesize, or listen with `servicePorts.onPortAdded`, and `seal` the list once it was sent.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 */
import { Ctx, ErrorCode, show } from './errors';
import { EgressGateway } from './external';
import type { GatewayServicePorts } from './installation-plan';
import { Protocol, ResolvedPort } from './ports';
import { IngressGateway, KubernetesServicePort, servicePortOf } from './references';

/** What a managed gateway reference is made of. @internal */
export interface ManagedGatewaySpec {
  /** The pod labels the chart applies (`app`, `istio`, unless overridden by `labels`). */
  readonly selector: Readonly<Record<string, string>>;
  /** The namespace of the release. */
  readonly namespace: string;
  /** The Service name (the chart's `name` value, else the release name). */
  readonly serviceName: string;
  /** The Service's own ports (the chart's defaults or the given `service.ports`). */
  readonly ports: readonly ResolvedPort[];
}

/** The families of protocols that may share a Service port (a server's protocol vs the port's name). */
const FAMILY: Readonly<Record<Protocol, string>> = {
  [Protocol.HTTP]: 'HTTP', [Protocol.HTTP2]: 'HTTP', [Protocol.GRPC]: 'HTTP', [Protocol.GRPC_WEB]: 'HTTP',
  [Protocol.HTTPS]: 'TLS', [Protocol.TLS]: 'TLS',
  [Protocol.TCP]: 'TCP', [Protocol.MONGO]: 'TCP', [Protocol.MYSQL]: 'TCP', [Protocol.REDIS]: 'TCP',
  [Protocol.UDP]: 'UDP',
};

/** The Envoy status (health check) port of gateway pods: the chart's `status-port`. */
const STATUS_PORT = 15021;

/**
 * The ports of a managed gateway's Service: the declared ones, then the ones bound constructs
 * required. Implements the `GatewayServicePorts` contract of the installation plan. @internal
 */
export class ManagedServicePorts implements GatewayServicePorts {
  private readonly required = new Map<number, ResolvedPort>();
  private readonly listeners: Array<(port: ResolvedPort) => void> = [];
  private sealedReason: string | undefined;

  constructor(private readonly service: string, private readonly declared: readonly ResolvedPort[]) {}

  public current(): readonly ResolvedPort[] {
    return [...this.declared, ...[...this.required.values()].sort((a, b) => a.port - b.port)];
  }

  public onPortAdded(listener: (port: ResolvedPort) => void): void {
    this.listeners.push(listener);
    for (const p of [...this.required.values()]) listener(p);
  }

  public seal(reason: string): void {
    this.sealedReason ??= reason;
  }

  /** Whether `seal` was called. */
  public get sealed(): boolean {
    return this.sealedReason !== undefined;
  }

  /**
   * Makes sure the Service has `port` for `protocol` (TCP when not given): a port it has for a
   * compatible protocol is kept, a missing one is added as `<protocol>-<port>` unless sealed.
   */
  public require(ctx: Ctx, port: number, protocol: Protocol | undefined): void {
    const wanted = protocol ?? Protocol.TCP;
    const existing = this.current().find((p) => p.port === port);
    if (existing !== undefined) {
      if (port === STATUS_PORT && existing.name === 'status-port') {
        ctx.fail(ErrorCode.GATEWAY_PORT_CONFLICT,
          `port ${port} of Service ${this.service} is the gateway's status port ("status-port", health checks), not a port a Gateway server can use`,
          'use another port for the server');
      }
      if (protocol !== undefined && FAMILY[existing.protocol] !== FAMILY[wanted]) {
        ctx.fail(ErrorCode.GATEWAY_PORT_CONFLICT,
          `Service ${this.service} already has port ${port} as ${show(existing.name)} (${existing.protocol}), and a ${wanted} server needs it for ${wanted}`,
          `use another port for the ${wanted} server, or change the gateway's service.ports so port ${port} is ${wanted}`);
      }
      return;
    }
    if (this.sealedReason !== undefined) {
      ctx.fail(ErrorCode.GATEWAY_PORT_NOT_EXPOSED,
        `Service ${this.service} does not expose port ${port} and can no longer be extended (${this.sealedReason}); traffic would never reach the server (IST0162)`,
        `add port ${port} to the gateway's service.ports in the installation, or declare the construct before the installation is rendered`);
    }
    const name = `${wanted.toLowerCase()}-${port}`;
    const clash = this.current().find((p) => p.name === name);
    if (clash !== undefined) {
      ctx.fail(ErrorCode.GATEWAY_PORT_CONFLICT,
        `Service ${this.service} already has a port named ${show(name)} (port ${clash.port}), the name port ${port} would get`,
        `rename port ${clash.port} in the gateway's service.ports`);
    }
    const added: ResolvedPort = Object.freeze({ port, protocol: wanted, name, targetPort: port });
    this.required.set(port, added);
    for (const l of [...this.listeners]) l(added);
  }
}

/**
 * An ingress gateway this program installs: an `IngressGateway` (Gateways select it, constructs
 * bind to it) whose Service gets the ports the bound constructs' servers need. `ports` holds the
 * Service's declared ports; `servicePorts.current()` holds them all.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 */
export class ManagedIngressGateway extends IngressGateway {
  /** @internal Made by `resolveInstallationGateways`. */
  public static of(spec: ManagedGatewaySpec): ManagedIngressGateway {
    return new ManagedIngressGateway(spec);
  }

  /** The Service's ports, declared and added (see `GatewayServicePorts`). */
  public readonly servicePorts: GatewayServicePorts;

  private constructor(spec: ManagedGatewaySpec) {
    super(spec.selector, spec.namespace, spec.serviceName, spec.ports);
    this.servicePorts = new ManagedServicePorts(`${spec.namespace}/${spec.serviceName}`, this.ports!);
  }

  /**
   * @internal Adds `port` to the Service when it is missing (named `<protocol>-<port>`).
   * @throws IstioConstructError GATEWAY_PORT_CONFLICT when the Service has the port for another
   *   protocol; GATEWAY_PORT_NOT_EXPOSED when it is missing and the ports were sealed.
   */
  public override requirePort(ctx: Ctx, port: number, protocol?: Protocol): void {
    (this.servicePorts as ManagedServicePorts).require(ctx, port, protocol);
  }
}

/**
 * An egress gateway this program installs: an `EgressGateway` whose Service gets the ports the
 * bound constructs' servers need (see `ManagedIngressGateway`).
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
export class ManagedEgressGateway extends EgressGateway {
  /** @internal Made by `resolveInstallationGateways`. */
  public static of(spec: ManagedGatewaySpec & { readonly clusterDomain?: string }): ManagedEgressGateway {
    return new ManagedEgressGateway(spec);
  }

  /** The Service's ports, declared and added (see `GatewayServicePorts`). */
  public readonly servicePorts: GatewayServicePorts;

  private constructor(spec: ManagedGatewaySpec & { readonly clusterDomain?: string }) {
    super(spec.selector, spec.namespace, spec.serviceName, spec.ports, spec.clusterDomain ?? 'cluster.local');
    this.servicePorts = new ManagedServicePorts(`${spec.namespace}/${spec.serviceName}`, this.ports!);
  }

  /** @internal See `ManagedIngressGateway.requirePort`. */
  public override requirePort(ctx: Ctx, port: number, protocol?: Protocol): void {
    (this.servicePorts as ManagedServicePorts).require(ctx, port, protocol);
  }
}

/** Whether `value` is a gateway this program manages (its Service ports grow). @internal */
export function isManagedGateway(value: unknown): value is ManagedIngressGateway | ManagedEgressGateway {
  return value instanceof ManagedIngressGateway || value instanceof ManagedEgressGateway;
}

/**
 * A Service port as the `gateway` chart writes it (`{ name, port, targetPort, protocol: TCP }`),
 * with the Istio protocol its name selects (`http2` is HTTP2, `https` HTTPS, `status-port` TCP).
 * The name is kept as written. @internal
 */
export function chartServicePort(p: KubernetesServicePort): ResolvedPort {
  const read = servicePortOf(p);
  return Object.freeze({
    port: p.port,
    protocol: read.protocol ?? Protocol.TCP,
    name: p.name ?? read.name ?? `${(read.protocol ?? Protocol.TCP).toLowerCase()}-${p.port}`,
    targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port,
  });
}
