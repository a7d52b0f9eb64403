import { checkLabelName, checkLabels } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { Protocol, ResolvedPort, ServicePort, resolvePorts } from './ports';

/** Options of `ServiceRef.fromName`. */
export interface ServiceRefOptions {
  /** The Service's namespace. */
  readonly namespace: string;
  /**
   * The Service's ports. Routes may only name these; a Service with one port needs no port in routes.
   * @default - no ports known: routes cannot name a port
   */
  readonly ports?: ServicePort[];
  /**
   * The cluster DNS domain used to build the FQDN.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * A typed reference to a Kubernetes Service (the destination of routes).
 *
 * Hosts are always emitted as FQDNs (`reviews.bookinfo.svc.cluster.local`), so a route reads the
 * same from any namespace.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export class ServiceRef {
  /**
   * References a Service by name and namespace.
   * @throws IstioConstructError INVALID_NAME, PORT_OUT_OF_RANGE or INVALID_PORT for bad input.
   */
  public static fromName(name: string, options: ServiceRefOptions): ServiceRef {
    const ctx = new Ctx(`ServiceRef ${show(name)}`);
    checkLabelName(ctx.at('name'), name, 'Service name');
    checkLabelName(ctx.at('namespace'), options.namespace, 'namespace');
    const ports = resolvePorts(ctx.at('ports'), options.ports);
    return new ServiceRef(name, options.namespace, ports, options.clusterDomain ?? 'cluster.local');
  }

  /**
   * @internal A reference whose ports are not known yet (a Pulumi Service before its values are
   * resolved): it stands in for the real reference while a component registers its children, and
   * accepts any port a route names.
   */
  public static withUnknownPorts(name: string, namespace: string, clusterDomain?: string): ServiceRef {
    const ref = ServiceRef.fromName(name, { namespace, clusterDomain });
    ref.unknownPorts = true;
    return ref;
  }

  private unknownPorts = false;

  /** @internal Use `ServiceRef.fromName`; the Pulumi `ServiceRef` extends this class. */
  protected constructor(
    /** The Service name. */
    public readonly name: string,
    /** The Service namespace. */
    public readonly namespace: string,
    /** The Service ports with defaults applied. */
    public readonly ports: readonly ResolvedPort[],
    /** The cluster DNS domain. */
    public readonly clusterDomain: string,
  ) {}

  /** @internal Whether the ports are unknown (see `withUnknownPorts`). */
  public get portsUnknown(): boolean {
    return this.unknownPorts;
  }

  /** The fully qualified host: `<name>.<namespace>.svc.<clusterDomain>`. */
  public get fqdn(): string {
    return `${this.name}.${this.namespace}.svc.${this.clusterDomain}`;
  }

  /** @internal The port a route should name: the given one, which must exist, or none. */
  public routePort(ctx: Ctx, port: number | undefined): number | undefined {
    if (port === undefined || this.portsUnknown) return port;
    if (!this.ports.some((p) => p.port === port)) {
      const known = this.ports.map((p) => p.port);
      ctx.fail(ErrorCode.SERVICE_PORT_NOT_FOUND,
        `Service ${this.namespace}/${this.name} has no port ${port}${known.length ? ` (it has ${known.join(', ')})` : ' (no ports declared)'}`,
        known.length
          ? `route to a Service port, not a targetPort (one of ${known.join(', ')})`
          : 'declare the Service ports with ServiceRef.fromName(name, { namespace, ports })');
    }
    return port;
  }
}

/**
 * Marks a reference whose values are not known yet (a Pulumi reference built from `Output`s): only
 * the Pulumi components can resolve it. @internal
 */
export const UNRESOLVED = Symbol.for('istio-constructs.unresolved');

/** Throws unless `value` holds known values (not a Pulumi reference built from Outputs). @internal */
export function requireResolved(ctx: Ctx, value: unknown): void {
  if (value !== null && typeof value === 'object' && (value as { [UNRESOLVED]?: boolean })[UNRESOLVED] === true) {
    ctx.fail(ErrorCode.INPUT_NOT_ALLOWED, `${ctx.path || 'the value'} holds pulumi Outputs, whose values are not known here`,
      'pass it to a component of istio-constructs/pulumi, which resolves it, or build it from plain values');
  }
}

/** Throws unless `value` is a ServiceRef (props from plain JavaScript may pass anything). @internal */
export function requireServiceRef(ctx: Ctx, value: unknown): ServiceRef {
  if (!(value instanceof ServiceRef)) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, `${ctx.path || 'the value'} is not a ServiceRef`, 'pass ServiceRef.fromName(name, { namespace, ports })');
  }
  requireResolved(ctx, value);
  return value;
}

/** A port of a gateway's Service. */
export interface GatewayPort {
  /** The Service port number, 1-65535. */
  readonly port: number;
  /**
   * The protocol Istio should use for it.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /** @default - the protocol in lower case */
  readonly name?: string;
  /** @default - the same as `port` */
  readonly targetPort?: number;
}

/** Options of `IngressGateway.fromSelector`. */
export interface IngressGatewayOptions {
  /** The namespace the gateway workload runs in, e.g. `istio-system`. */
  readonly namespace: string;
  /**
   * The name of the gateway's Kubernetes Service.
   * @default - unknown
   */
  readonly serviceName?: string;
  /**
   * The ports the gateway's Service exposes. When given, every Gateway server on this gateway must
   * use one of them (istioctl IST0162 otherwise); when omitted, a pattern that needs a port refuses
   * to guess and asks for them.
   * @default - unknown
   */
  readonly ports?: GatewayPort[];
}

/**
 * A gateway workload (the Envoy pods and their Service) that Istio `Gateway` objects select.
 *
 * Note: Istio's Helm `gateway` chart labels its pods `istio: <release name without "istio-">`
 * (e.g. `istio: ingress`), while istioctl profiles use `istio: ingressgateway`. Give the labels
 * your installation really uses.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class IngressGateway {
  /**
   * References a gateway that already runs in the cluster, by its pod labels.
   * @throws IstioConstructError INVALID_LABEL, INVALID_NAME, PORT_OUT_OF_RANGE or INVALID_PORT for bad input.
   */
  public static fromSelector(selector: Record<string, string>, options: IngressGatewayOptions): IngressGateway {
    const ctx = new Ctx('IngressGateway');
    const labels = checkLabels(ctx.at('selector'), selector, { nonEmpty: true });
    checkLabelName(ctx.at('namespace'), options.namespace, 'namespace');
    if (options.serviceName !== undefined) checkLabelName(ctx.at('serviceName'), options.serviceName, 'Service name');
    const ports = options.ports === undefined
      ? undefined
      : resolvePorts(ctx.at('ports'), options.ports.map((p) => ({ ...p, protocol: p.protocol ?? Protocol.TCP })));
    return new IngressGateway(labels, options.namespace, options.serviceName, ports);
  }

  /** @internal Use `IngressGateway.fromSelector`; the Pulumi `IngressGateway` extends this class. */
  protected constructor(
    /** The pod labels a Gateway's `selector` uses. */
    public readonly selector: Readonly<Record<string, string>>,
    /** The namespace of the gateway workload. */
    public readonly namespace: string,
    /** The gateway's Service name, when known. */
    public readonly serviceName: string | undefined,
    /** The gateway Service's ports, when known. */
    public readonly ports: readonly ResolvedPort[] | undefined,
  ) {}

  /** @internal Throws unless the gateway's Service exposes `port`. */
  public requirePort(ctx: Ctx, port: number): void {
    const svc = this.serviceName ? `Service ${this.namespace}/${this.serviceName}` : `the gateway Service in ${this.namespace}`;
    if (this.ports === undefined) {
      ctx.fail(ErrorCode.GATEWAY_PORT_NOT_EXPOSED,
        `the ports of ${svc} are unknown, so port ${port} cannot be checked (IST0162)`,
        `declare the gateway's ports: IngressGateway.fromSelector(selector, { namespace, ports: [{ port: ${port} }, ...] })`);
    }
    if (!this.ports.some((p) => p.port === port)) {
      ctx.fail(ErrorCode.GATEWAY_PORT_NOT_EXPOSED,
        `${svc} does not expose port ${port} (it exposes ${this.ports.map((p) => p.port).join(', ') || 'nothing'}); traffic would never reach the server (IST0162)`,
        `add port ${port} to the gateway's Service (in its installation) and to IngressGateway ports, or use a port it exposes`);
    }
  }
}
