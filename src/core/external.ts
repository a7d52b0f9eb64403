/**
 * References to what lies outside the Kubernetes Service registry: hosts outside the mesh (the
 * hosts of a ServiceEntry) and egress gateway workloads. Routes name them the way they name a
 * `ServiceRef`, so a route to `httpbin.org` or through the `egress` gateway is a typed reference,
 * never a string that can drift.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
import { Brand, frozenList } from './brand';
import { checkDomainName, checkHost, isIp } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { ResolvedPort, ServicePort, resolvePorts } from './ports';
import { checkProps } from './props';
import { IngressGateway, IngressGatewayOptions, ServiceRef, isIngressGateway, isServiceRef, requireResolved } from './references';

/** Options of `ExternalHost.fromName`. */
export interface ExternalHostOptions {
  /**
   * The host's ports, with the protocol Istio should use (`Protocol.TLS` for HTTPS a client
   * encrypts itself, `Protocol.HTTP` for a port where the sidecar originates TLS). Routes may
   * only name these; a host with one port needs no port in routes.
   * @default - no ports known: routes cannot name a port
   */
  readonly ports?: ServicePort[];
}

/** The ServiceEntry that declares an external host. */
export interface ServiceEntryRef {
  /** The ServiceEntry's name. */
  readonly name: string;
  /** The ServiceEntry's namespace. */
  readonly namespace: string;
}

/**
 * A typed reference to a host outside the Kubernetes Service registry (`httpbin.org`,
 * `*.wikipedia.org`): the destination of a route when there is no Service. A host the program
 * declares comes from the construct that writes its ServiceEntry (`ExternalEgress`, whose
 * `hosts` are ExternalHosts); `ExternalHost.fromName` references a host whose ServiceEntry
 * exists elsewhere. With no ServiceEntry at all the analysis reports ICA0004: an error for HTTP
 * routes and gateway routes (Istio still builds a route to a cluster that does not exist, so
 * requests fail with 503) and in `REGISTRY_ONLY` meshes; a warning for mesh TCP/TLS routes, which
 * sidecars ignore, so connections only leave through the passthrough cluster while the mesh's
 * outbound traffic policy is `ALLOW_ANY`. Declare the host with `ExternalEgress`, or pass its
 * ServiceEntry to the analysis as an external object.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export class ExternalHost {
  /**
   * References an external host by name.
   *
   * @param host a DNS name with at least one dot (`httpbin.org`), or a wildcard (`*.wikipedia.org`);
   *   never `*`, an IP address, or a cluster-local Service name (use `ServiceRef` for those).
   * @throws IstioConstructError INVALID_HOST for a host that is not one of those; PORT_OUT_OF_RANGE or
   *   INVALID_PORT for bad ports.
   */
  public static fromName(host: string, options: ExternalHostOptions = {}): ExternalHost {
    const ctx = new Ctx(`ExternalHost ${show(host)}`);
    checkProps(ctx, 'ExternalHostOptions', options);
    checkExternalHostName(ctx.at('host'), host);
    return new ExternalHost(host, resolvePorts(ctx.at('ports'), options.ports), undefined);
  }

  /**
   * @internal A host a construct of this program declares in a ServiceEntry (the construct has
   * checked the host and its ports).
   */
  public static declaredBy(serviceEntry: ServiceEntryRef, host: string, ports: readonly ResolvedPort[]): ExternalHost {
    return new ExternalHost(host, ports, Object.freeze({ name: serviceEntry.name, namespace: serviceEntry.namespace }));
  }

  private constructor(
    /** The host as routes and the ServiceEntry write it (`httpbin.org`, `*.wikipedia.org`). */
    public readonly host: string,
    /** The host's ports with defaults applied (empty when unknown). */
    public readonly ports: readonly ResolvedPort[],
    /** The ServiceEntry of this program that declares the host; undefined for `fromName`. */
    public readonly serviceEntry: ServiceEntryRef | undefined,
  ) {
    this.ports = frozenList(ports);
    EXTERNAL_HOSTS.mark(this);
  }

  /** The host a route's destination names: the host itself (an external host is already fully qualified). */
  public get fqdn(): string {
    return this.host;
  }

  /** Whether the host is a wildcard (`*.wikipedia.org`). */
  public get isWildcard(): boolean {
    return this.host.startsWith('*.');
  }

  /** @internal Whether the ports are unknown (`fromName` without ports). */
  public get portsUnknown(): boolean {
    return this.ports.length === 0;
  }

  /** @internal The port a route should name: the given one, which must be a declared port, or none. */
  public routePort(ctx: Ctx, port: number | undefined): number | undefined {
    if (port === undefined || this.portsUnknown) return port;
    if (!this.ports.some((p) => p.port === port)) {
      const known = this.ports.map((p) => p.port);
      ctx.fail(ErrorCode.SERVICE_PORT_NOT_FOUND, `external host ${this.host} has no port ${port} (it has ${known.join(', ')})`,
        `route to a port the host declares (one of ${known.join(', ')}), or declare the port`);
    }
    return port;
  }
}

const EXTERNAL_HOSTS = new Brand<ExternalHost>((h) => [h.host, h.ports, h.serviceEntry]);

/** Whether `value` is an ExternalHost made by its factories, with its fields unchanged. Never throws. @internal */
export function isExternalHost(value: unknown): value is ExternalHost {
  return EXTERNAL_HOSTS.isGenuine(value);
}

/**
 * Checks an external host name: a DNS name with a dot, or `*.` and one; not `*`, not an IP, not
 * a `*.svc.<domain>` Service name. @internal
 */
export function checkExternalHostName(ctx: Ctx, host: unknown): string {
  if (typeof host !== 'string') {
    return ctx.fail(ErrorCode.INVALID_HOST, `${show(host)} is not a host name`, 'give a DNS name such as "httpbin.org" or "*.wikipedia.org"');
  }
  if (host === '*') {
    ctx.fail(ErrorCode.INVALID_HOST, 'the host "*" would match every destination', 'list the external hosts, e.g. "httpbin.org" or "*.wikipedia.org"');
  }
  if (isIp(host)) {
    ctx.fail(ErrorCode.INVALID_HOST, `${show(host)} is an IP address; a ServiceEntry host is a DNS name`,
      'give the DNS name clients use, and put IP addresses in the ServiceEntry\'s addresses or endpoints');
  }
  checkHost(ctx, host);
  if (!host.includes('.')) {
    ctx.fail(ErrorCode.INVALID_HOST, `${show(host)} is a short name, which Istio would qualify with the client's namespace`,
      'give the fully qualified DNS name, e.g. "httpbin.org"');
  }
  if (/\.svc(\.|$)/.test(host)) {
    ctx.fail(ErrorCode.INVALID_HOST, `${show(host)} is a Kubernetes Service name, not an external host`,
      'reference the Service with ServiceRef.fromName(name, { namespace, ports })');
  }
  return host;
}

/** Where a route sends traffic: a Kubernetes Service or an external host. */
export type RouteDestination = ServiceRef | ExternalHost;

/** Throws unless `value` is a ServiceRef or an ExternalHost made by their factories. @internal */
export function requireDestination(ctx: Ctx, value: unknown): RouteDestination {
  if (isExternalHost(value)) return value;
  if (isServiceRef(value)) {
    requireResolved(ctx, value);
    return value;
  }
  return ctx.fail(ErrorCode.CONFLICTING_PROPS, `${ctx.path || 'the value'} is neither a ServiceRef nor an ExternalHost made by their factories`,
    'pass ServiceRef.fromName(name, { namespace, ports }) for a Service, or an ExternalHost (ExternalEgress hosts, or ExternalHost.fromName(host)) for a host outside the mesh');
}

/** Options of `EgressGateway.fromSelector`. */
export interface EgressGatewayOptions extends IngressGatewayOptions {
  /** The name of the egress gateway's Kubernetes Service: in-mesh routes send traffic to it. */
  readonly serviceName: string;
  /**
   * The cluster DNS domain used to build the Service's FQDN.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * An egress gateway workload (Envoy pods labelled, e.g., `istio: egressgateway`, and their
 * Service): a Gateway selects it, and sidecars route external traffic to its Service. It is an
 * `IngressGateway` for every construct that writes a Gateway on a workload, plus the Service FQDN
 * in-mesh routes send traffic to.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
export class EgressGateway extends IngressGateway {
  /**
   * References an egress gateway that runs in the cluster, by its pod labels and Service.
   * @throws IstioConstructError INVALID_LABEL, INVALID_NAME, PORT_OUT_OF_RANGE or INVALID_PORT for bad input.
   */
  public static fromSelector(selector: Record<string, string>, options: EgressGatewayOptions): EgressGateway {
    const ctx = new Ctx('EgressGateway');
    checkProps(ctx, 'EgressGatewayOptions', options);
    const { clusterDomain, ...ingress } = options;
    const base = IngressGateway.fromSelector(selector, ingress);
    const domain = checkDomainName(ctx.at('clusterDomain'), clusterDomain ?? 'cluster.local', 'cluster domain');
    return new EgressGateway(base.selector, base.namespace, base.serviceName!, base.ports, domain);
  }

  /** @internal Use `EgressGateway.fromSelector`. */
  protected constructor(
    selector: Readonly<Record<string, string>>,
    namespace: string,
    serviceName: string,
    ports: readonly ResolvedPort[] | undefined,
    /** The cluster DNS domain. */
    public readonly clusterDomain: string,
  ) {
    super(selector, namespace, serviceName, ports);
    EGRESS_GATEWAYS.mark(this);
  }

  /** The egress gateway Service's FQDN: `<serviceName>.<namespace>.svc.<clusterDomain>`. */
  public get fqdn(): string {
    return `${this.serviceName}.${this.namespace}.svc.${this.clusterDomain}`;
  }
}

const EGRESS_GATEWAYS = new Brand<EgressGateway>((g) => [g.selector, g.namespace, g.serviceName, g.ports, g.clusterDomain]);

/** Whether `value` is an EgressGateway made by `EgressGateway.fromSelector`, unchanged. Never throws. @internal */
export function isEgressGateway(value: unknown): value is EgressGateway {
  return EGRESS_GATEWAYS.isGenuine(value) && isIngressGateway(value);
}
