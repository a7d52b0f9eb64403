import { Brand, frozenList } from './brand';
import { checkDomainName, checkLabelName, checkLabels } from './checks';
import { Ctx, ErrorCode, IstioConstructError, show } from './errors';
import { Protocol, ResolvedPort, ServicePort, protocolPrefix, resolvePorts } from './ports';
import { checkProps } from './props';

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
  /**
   * The Service's pod selector (`spec.selector`). Needed only where the library writes Services
   * of its own for this one: the Gateway API target has no subsets, so each version becomes a
   * Service `<name>-<version>` selecting these labels plus the version's.
   * @default - not known: the Gateway API target refuses versions of this Service
   */
  readonly selector?: Record<string, string>;
}

/**
 * A port of a Kubernetes Service as the API (or cdk8s-plus) describes it: the fields
 * `ServiceRef.fromService` reads.
 */
export interface KubernetesServicePort {
  /**
   * The Service port number.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  /** The port name (`http`, `grpc-web`, `tcp-db`): Istio reads the protocol from its prefix. */
  readonly name?: string;
  /** The application protocol (`http`, `kubernetes.io/h2c`): when set, Istio reads it instead of the name. */
  readonly appProtocol?: string;
  /** The transport protocol: `TCP` (default), `UDP` or `SCTP`. */
  readonly protocol?: string;
  /** The container port, by number or by name. */
  readonly targetPort?: number | string;
}

/**
 * A cdk8s `ApiObject` (e.g. `new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', ... })`
 * or an imported `KubeService`), as `ServiceRef.fromService` reads it: no cdk8s import needed.
 */
export interface ServiceApiObjectLike {
  /** The object kind; must be `Service`. */
  readonly kind: string;
  /** The object name. */
  readonly name: string;
  /** The metadata; `namespace` is the Chart's namespace unless set on the object. */
  readonly metadata: { readonly namespace?: string };
  /** The rendered object; `spec.ports` is read. */
  toJson(): any;
}

/** A cdk8s-plus `Service` (any cdk8s-plus version), as `ServiceRef.fromService` reads it. */
export interface ServiceResourceLike {
  /** The Service name. */
  readonly name: string;
  /** The metadata; `namespace` is the Chart's namespace unless set on the Service. */
  readonly metadata: { readonly namespace?: string };
  /** The ports declared so far. */
  readonly ports: readonly KubernetesServicePort[];
}

/**
 * A Pulumi resource (such as `k8s.core.v1.Service`). `ServiceRef.fromService` of this entry point
 * refuses it at run time; it is in the parameter type only so that the Pulumi `ServiceRef` (in
 * `istio-constructs/pulumi`), whose `fromService` reads a `k8s.core.v1.Service`, can extend this
 * class.
 */
export interface PulumiResourceLike {
  /** The Pulumi URN output. */
  readonly urn: unknown;
}

/** Options of `ServiceRef.fromService`. */
export interface ServiceRefFromObjectOptions {
  /**
   * The Service's namespace, for a Service that sets none (neither itself nor its Chart). When
   * both are set they must agree.
   * @default - the Service's `metadata.namespace`
   */
  readonly namespace?: string;
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
    checkProps(ctx, 'ServiceRefOptions', options);
    checkLabelName(ctx.at('name'), name, 'Service name');
    checkLabelName(ctx.at('namespace'), options.namespace, 'namespace');
    const ports = resolvePorts(ctx.at('ports'), options.ports);
    const clusterDomain = checkDomainName(ctx.at('clusterDomain'), options.clusterDomain ?? 'cluster.local', 'cluster domain');
    const fqdn = `${name}.${options.namespace}.svc.${clusterDomain}`;
    if (fqdn.length > 253) {
      ctx.at('clusterDomain').fail(ErrorCode.INVALID_NAME, `the Service host ${show(fqdn)} is longer than 253 characters`,
        'use a shorter Service name, namespace or cluster domain');
    }
    const ref = new ServiceRef(name, options.namespace, ports, clusterDomain);
    if (options.selector !== undefined) ref.podSelector = Object.freeze({ ...checkLabels(ctx.at('selector'), options.selector, { nonEmpty: true }) });
    return ref;
  }

  /**
   * References a Service defined in the same cdk8s program, so names and ports are not copied by
   * hand: a cdk8s-plus `Service`, or a cdk8s `ApiObject` of kind `Service` (such as an imported
   * `KubeService`). Reads its name, namespace and ports; each port's Istio protocol is taken as
   * Istio does: `UDP` for UDP ports, else `appProtocol` when set (`kubernetes.io/h2c` is HTTP2,
   * `kubernetes.io/ws` and `kubernetes.io/wss` are HTTP), else the port name's prefix (`grpc-web`,
   * `http-api`), else TCP. A port name that does not carry the protocol is replaced by the default
   * name, and a named `targetPort` is left out (neither matters for routing). Ports added to the
   * Service after this call are not seen. For a Pulumi `k8s.core.v1.Service`, use the `ServiceRef`
   * of `istio-constructs/pulumi`.
   *
   * @param service a cdk8s-plus `Service` or a cdk8s `ApiObject` of kind `Service`.
   * @throws IstioConstructError CONFLICTING_PROPS when `service` is not one of those (or not a
   *   Service, or a Pulumi resource); INVALID_NAME when it has no namespace and `options.namespace` is not given, or the
   *   two differ; PORT_OUT_OF_RANGE or INVALID_PORT for ports Istio cannot use.
   * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
   */
  public static fromService(service: ServiceApiObjectLike | ServiceResourceLike | PulumiResourceLike, options: ServiceRefFromObjectOptions = {}): ServiceRef {
    const ctx = new Ctx('ServiceRef.fromService');
    checkProps(ctx.at('options'), 'ServiceRefFromObjectOptions', options);
    const { name, namespace, ports, selector } = readForeign(ctx.at('service'), () => readService(ctx.at('service'), service));
    const given = options?.namespace;
    if (namespace !== undefined && given !== undefined && namespace !== given) {
      ctx.at('options', 'namespace').fail(ErrorCode.INVALID_NAME, `the Service is in namespace ${show(namespace)}, but options.namespace is ${show(given)}`,
        'leave options.namespace out, or make it match the Service');
    }
    const ns = namespace ?? given;
    if (ns === undefined) {
      ctx.at('service', 'metadata', 'namespace').fail(ErrorCode.INVALID_NAME, `Service ${show(name)} has no namespace, so its host cannot be written as an FQDN`,
        "set the Service's namespace (metadata.namespace, or the Chart's namespace), or pass ServiceRef.fromService(service, { namespace })");
    }
    const seen = new Set<number>();
    const servicePorts = ports.map(servicePortOf).filter((p) => (seen.has(p.port) ? false : (seen.add(p.port), true)));
    return ServiceRef.fromName(name, {
      namespace: ns!, ports: servicePorts, clusterDomain: options?.clusterDomain, ...(selector && Object.keys(selector).length ? { selector } : {}),
    });
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
  /** @internal */
  protected podSelector?: Readonly<Record<string, string>>;

  /** The Service's pod selector, when given (`ServiceRefOptions.selector`). */
  public get selector(): Readonly<Record<string, string>> | undefined {
    return this.podSelector;
  }

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
  ) {
    this.ports = frozenList(ports);
    SERVICE_REFS.mark(this);
  }

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

/** The ServiceRefs made by the factories (see `Brand`). */
const SERVICE_REFS = new Brand<ServiceRef>((r) => [r.name, r.namespace, r.ports, r.clusterDomain]);

/**
 * Whether `value` is a ServiceRef made by `ServiceRef.fromName`/`fromService` (or the Pulumi
 * ServiceRef), with its fields unchanged: `Object.create(ServiceRef.prototype)` and instances whose
 * `readonly` fields were overwritten are not. Never throws. @internal
 */
export function isServiceRef(value: unknown): value is ServiceRef {
  return SERVICE_REFS.isGenuine(value);
}

/** The IngressGateways made by `IngressGateway.fromSelector` (or the Pulumi IngressGateway). */
const INGRESS_GATEWAYS = new Brand<IngressGateway>((g) => [g.selector, g.namespace, g.serviceName, g.ports]);

/** Whether `value` is an IngressGateway made by a factory, with its fields unchanged (see `isServiceRef`). @internal */
export function isIngressGateway(value: unknown): value is IngressGateway {
  return INGRESS_GATEWAYS.isGenuine(value);
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

/**
 * Runs `read` on a value the caller owns (a Service object, with getters, Proxies or a `toJson`
 * that may throw): an error other than IstioConstructError becomes CONFLICTING_PROPS at `ctx`.
 */
function readForeign<T>(ctx: Ctx, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof IstioConstructError) throw e;
    let why: string;
    try {
      why = e instanceof Error ? show(e.message) : show(e);
    } catch {
      why = 'an unreadable error';
    }
    return ctx.fail(ErrorCode.CONFLICTING_PROPS, `the Service could not be read (${why})`,
      'pass a cdk8s-plus Service or a cdk8s ApiObject of kind Service with plain fields, or use ServiceRef.fromName(name, { namespace, ports })');
  }
}

/** Reads name, namespace and ports from a cdk8s `ApiObject` or a cdk8s-plus `Service`, refusing anything else. */
function readService(ctx: Ctx, value: unknown): { name: string; namespace?: string; ports: KubernetesServicePort[]; selector?: Record<string, string> } {
  const hint = 'pass a cdk8s-plus Service or a cdk8s ApiObject of kind Service (e.g. KubeService), or use ServiceRef.fromName(name, { namespace, ports })';
  if (value === null || typeof value !== 'object') ctx.fail(ErrorCode.CONFLICTING_PROPS, `${show(value)} is not a Service`, hint);
  if ('urn' in value) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, 'the value is a Pulumi resource, which this ServiceRef cannot read',
      "import ServiceRef from 'istio-constructs/pulumi', whose fromService reads a k8s.core.v1.Service");
  }
  const v = value as { kind?: unknown; name?: unknown; metadata?: { namespace?: unknown }; ports?: unknown; toJson?: unknown };
  if (v.kind !== undefined && v.kind !== 'Service') ctx.fail(ErrorCode.CONFLICTING_PROPS, `the object is a ${show(v.kind)}, not a Service`, hint);
  if (typeof v.name !== 'string' || v.metadata === null || typeof v.metadata !== 'object') {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, `${show(value)} is not a cdk8s Service (it has no name and metadata)`, hint);
  }
  const namespace = v.metadata!.namespace;
  if (namespace !== undefined && typeof namespace !== 'string') {
    ctx.at('metadata', 'namespace').fail(ErrorCode.CONFLICTING_PROPS, `metadata.namespace ${show(namespace)} is not a string`, hint);
  }
  let ports: unknown;
  let selector: Record<string, string> | undefined;
  if (Array.isArray(v.ports)) {
    ports = v.ports; // cdk8s-plus Service
  } else if (typeof v.toJson === 'function' && v.kind === 'Service') {
    let json: any;
    try {
      json = (v.toJson as () => unknown).call(value);
    } catch (e) {
      ctx.fail(ErrorCode.CONFLICTING_PROPS, `the Service could not be rendered: ${e instanceof Error ? e.message : show(e)}`, hint);
    }
    ports = json?.spec?.ports ?? [];
    const sel = json?.spec?.selector;
    if (sel && typeof sel === 'object' && !Array.isArray(sel) && Object.values(sel).every((x) => typeof x === 'string')) selector = { ...sel };
  } else {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, `${show(value)} is neither a cdk8s-plus Service nor an ApiObject of kind Service`, hint);
  }
  if (!Array.isArray(ports) || ports.some((p) => p === null || typeof p !== 'object')) {
    ctx.at('ports').fail(ErrorCode.INVALID_PORT, `the Service's ports ${show(ports)} are not a list of ports`, 'give the Service a list of { port, name } ports');
  }
  // Only the fields routing needs are read (a Service port may carry more, such as nodePort), then checked.
  const read = (ports as object[]).map((p, i) => {
    try {
      const { port, name, appProtocol, protocol, targetPort } = p as KubernetesServicePort;
      return Object.fromEntries(Object.entries({ port, name, appProtocol, protocol, targetPort }).filter(([, x]) => x !== undefined)) as unknown as KubernetesServicePort;
    } catch {
      return ctx.at('ports', i).fail(ErrorCode.UNSUPPORTED_VALUE, 'the port could not be read', 'give the Service plain { port, name } ports');
    }
  });
  checkProps(ctx.at('ports'), 'KubernetesServicePorts', read);
  return { name: v.name as string, namespace: namespace as string | undefined, ports: read, selector };
}

/** Istio protocol names, lower case, from `Protocol`. */
const PROTOCOL_BY_NAME = new Map(Object.values(Protocol).map((p) => [p.toLowerCase(), p]));
/** The `appProtocol` values Kubernetes standardises, as Istio reads them. */
const KUBERNETES_APP_PROTOCOLS: ReadonlyMap<string, Protocol> = new Map([['kubernetes.io/h2c', Protocol.HTTP2], ['kubernetes.io/ws', Protocol.HTTP], ['kubernetes.io/wss', Protocol.HTTP]]);

/**
 * The `ServicePort` for a Kubernetes Service port, with the protocol Istio selects for it (UDP;
 * else `appProtocol`; else the name prefix, `grpc-web` included; else TCP). The name is kept
 * when it carries that protocol, and a named targetPort is dropped. @internal
 */
export function servicePortOf(p: KubernetesServicePort): ServicePort {
  const selectBy = p.appProtocol ?? p.name ?? '';
  const lower = selectBy.toLowerCase();
  const protocol = p.protocol === 'UDP' ? Protocol.UDP
    : KUBERNETES_APP_PROTOCOLS.get(lower)
      ?? (lower.startsWith('grpc-web') ? Protocol.GRPC_WEB : PROTOCOL_BY_NAME.get(lower.split('-')[0]))
      ?? Protocol.TCP;
  const prefix = protocolPrefix(protocol);
  const keepName = typeof p.name === 'string' && (p.name === prefix || p.name.startsWith(`${prefix}-`));
  return {
    port: p.port,
    protocol,
    ...(keepName ? { name: p.name } : {}),
    ...(typeof p.targetPort === 'number' ? { targetPort: p.targetPort } : {}),
  };
}

/** Throws unless `value` is a ServiceRef (props from plain JavaScript may pass anything). @internal */
export function requireServiceRef(ctx: Ctx, value: unknown): ServiceRef {
  if (!isServiceRef(value)) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, `${ctx.path || 'the value'} is not a ServiceRef made by its factories${value instanceof ServiceRef ? ' (forged, or a field was changed)' : ''}`,
      'pass ServiceRef.fromName(name, { namespace, ports }) or ServiceRef.fromService(service), unchanged');
  }
  requireResolved(ctx, value);
  return value;
}

/** A port of a gateway's Service. */
export interface GatewayPort {
  /**
   * The Service port number, 1-65535.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  /**
   * The protocol Istio should use for it.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /** @default - the protocol in lower case */
  readonly name?: string;
  /**
   * @default - the same as `port`
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly targetPort?: number;
}

/** Options of `IngressGateway.automated`: where Istio deploys the gateway, and the parameters it accepts for it. */
export interface AutomatedGatewayOptions {
  /** The namespace Istio deploys the gateway in: the Gateway object's namespace. */
  readonly namespace: string;
  /** Labels Istio puts on the generated Deployment, Service and pods (Gateway `infrastructure.labels`). @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations Istio puts on the generated objects (Gateway `infrastructure.annotations`). @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * Replicas of the generated Deployment (a `deployment` overlay in the parameters ConfigMap).
   * @default 1
   * @asType integer
   * @minimum 0
   * @maximum 1000
   */
  readonly replicas?: number;
  /** Type of the generated Service (a `service` overlay). @default 'LoadBalancer' */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  /** A HorizontalPodAutoscaler for the Deployment (a `horizontalPodAutoscaler` overlay; Istio creates one only when asked). @default - none */
  readonly autoscaling?: AutomatedGatewayAutoscaling;
}

/** Autoscaling of an automatically deployed gateway. */
export interface AutomatedGatewayAutoscaling {
  /**
   * @asType integer
   * @minimum 1
   * @maximum 1000
   */
  readonly minReplicas: number;
  /**
   * @asType integer
   * @minimum 1
   * @maximum 1000
   */
  readonly maxReplicas: number;
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
    checkProps(ctx.at('selector'), 'Labels', selector);
    checkProps(ctx, 'IngressGatewayOptions', options);
    const labels = checkLabels(ctx.at('selector'), selector, { nonEmpty: true });
    checkLabelName(ctx.at('namespace'), options.namespace, 'namespace');
    if (options.serviceName !== undefined) checkLabelName(ctx.at('serviceName'), options.serviceName, 'Service name');
    const ports = options.ports === undefined
      ? undefined
      : resolvePorts(ctx.at('ports'), options.ports.map((p) => ({ ...p, protocol: p.protocol ?? Protocol.TCP })));
    return new IngressGateway(labels, options.namespace, options.serviceName, ports);
  }

  /**
   * A gateway Istio deploys itself for a Gateway API `Gateway` (automated deployment: a
   * Deployment and Service named `<gateway>-istio`, pods labelled
   * `gateway.networking.k8s.io/gateway-name`), with its Service ports taken from the listeners.
   * Only for constructs on the Gateway API target; the Istio API refuses it (an Istio Gateway
   * configures pods that run already).
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
   */
  public static automated(options: AutomatedGatewayOptions): IngressGateway {
    const ctx = new Ctx('IngressGateway.automated');
    checkProps(ctx, 'AutomatedGatewayOptions', options);
    checkLabelName(ctx.at('namespace'), options.namespace, 'namespace');
    if (options.labels !== undefined) checkLabels(ctx.at('labels'), options.labels);
    if (options.autoscaling !== undefined) {
      if (options.autoscaling.minReplicas > options.autoscaling.maxReplicas) {
        ctx.at('autoscaling', 'minReplicas').fail(ErrorCode.CONFLICTING_PROPS, 'minReplicas is above maxReplicas', 'make minReplicas at most maxReplicas');
      }
      if (options.replicas !== undefined) {
        ctx.at('replicas').fail(ErrorCode.CONFLICTING_PROPS, 'replicas and autoscaling both set the replica count', 'give one of them');
      }
    }
    const gw = new IngressGateway({}, options.namespace, undefined, undefined);
    gw.automatedDeployment = true;
    const { namespace: _ns, ...parameters } = options;
    gw.automatedParameters = Object.freeze(JSON.parse(JSON.stringify(parameters)));
    return gw;
  }

  private automatedDeployment = false;
  private automatedParameters?: Readonly<Omit<AutomatedGatewayOptions, 'namespace'>>;

  /** @internal The deployment parameters of an automated gateway. */
  public get deploymentParameters(): Readonly<Omit<AutomatedGatewayOptions, 'namespace'>> | undefined {
    return this.automatedParameters;
  }

  /** Whether Istio deploys this gateway for a Gateway API Gateway (`IngressGateway.automated`). */
  public get automated(): boolean {
    return this.automatedDeployment;
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
  ) {
    this.selector = Object.freeze({ ...selector });
    this.ports = ports === undefined ? undefined : frozenList(ports);
    INGRESS_GATEWAYS.mark(this);
  }

  /**
   * @internal Throws unless the gateway's Service exposes `port`. `protocol` is the protocol of the
   * Gateway server that needs it: a gateway the program manages (`ManagedIngressGateway`) adds a
   * missing port with it instead of failing.
   */
  public requirePort(ctx: Ctx, port: number, _protocol?: Protocol): void {
    // Istio gives an automatically deployed gateway a Service with the ports of its listeners.
    if (this.automatedDeployment) return;
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
