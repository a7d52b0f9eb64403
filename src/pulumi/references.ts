/**
 * The Pulumi forms of the typed references: the same factories as the core `ServiceRef` and
 * `IngressGateway`, taking `pulumi.Input`s for the values users get from other resources.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ErrorCode, IstioConstructError } from '../core/errors';
import { GatewayRef } from '../core/gateway';
import { ServicePort } from '../core/ports';
import { GatewayPort, IngressGateway as CoreIngressGateway, ServiceRef as CoreServiceRef, UNRESOLVED, servicePortOf } from '../core/references';
import { CARRIER, CarrierPart, holdsInputs, isInput, placeholderValues } from './inputs';

/** Args of the Pulumi `ServiceRef.fromName`. */
export interface ServiceRefArgs {
  /** The Service's namespace, e.g. `ns.metadata.name`. */
  readonly namespace: pulumi.Input<string>;
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
   * The Service's pod selector, for the Gateway API target's per-version Services (see the core
   * `ServiceRefOptions.selector`).
   * @default - not known
   */
  readonly selector?: Record<string, string>;
}

/** Options of the Pulumi `ServiceRef.fromService`. */
export interface ServiceRefFromServiceOptions {
  /**
   * The Service's namespace, when its `metadata.namespace` is not set (Pulumi then uses the
   * provider's default namespace, which the library cannot see).
   * @default - the Service's `metadata.namespace`
   */
  readonly namespace?: pulumi.Input<string>;
  /**
   * The Service ports routes may name.
   * @default - the Service's `spec.ports`, read when the Service's values are known
   */
  readonly ports?: ServicePort[];
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/**
 * A typed reference to a Kubernetes Service for the Pulumi components: the core `ServiceRef`
 * whose name and namespace may be `pulumi.Input`s, or which reads them (and the ports) from a
 * `k8s.core.v1.Service`. The values are checked once they are known; an invalid one fails the
 * deployment with `IstioConstructError`.
 *
 * @example
 * const ns = new k8s.core.v1.Namespace('bookinfo');
 * const reviews = ServiceRef.fromName('reviews', { namespace: ns.metadata.name, ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
// No `implements InputCarrier<…>` here or below: InputCarrier is internal, and stripInternal would
// leave the shipped .d.ts naming a type it does not export (test/packaging.test.ts checks this).
export class ServiceRef extends CoreServiceRef {
  /**
   * References a Service by name and namespace.
   * @throws IstioConstructError INVALID_NAME, PORT_OUT_OF_RANGE or INVALID_PORT: at once for plain
   *   values, when the values are known (failing the deployment) for Outputs.
   */
  public static fromName(name: pulumi.Input<string>, args: ServiceRefArgs): ServiceRef {
    return ServiceRef.create(name, args?.namespace, args?.ports, args?.clusterDomain, args?.selector);
  }

  /**
   * References a Service a Pulumi program creates or reads (`k8s.core.v1.Service`): its name,
   * namespace and ports (Istio protocol from `appProtocol` or the port name, TCP otherwise).
   * @throws IstioConstructError (when the values are known) INVALID_NAME when the Service has no namespace and none is given.
   */
  public static fromService(service: k8s.core.v1.Service, options: ServiceRefFromServiceOptions = {}): ServiceRef {
    if (!(service instanceof k8s.core.v1.Service)) {
      throw new IstioConstructError(ErrorCode.CONFLICTING_PROPS, 'service', 'ServiceRef.fromService takes a k8s.core.v1.Service',
        'pass the Service resource, or use ServiceRef.fromName(name, { namespace, ports })', 'ServiceRef');
    }
    const ports = options.ports ?? service.spec.apply((spec) => toServicePorts(spec?.ports ?? []));
    return ServiceRef.create(service.metadata.name, options.namespace ?? service.metadata.namespace.apply((n) => n ?? ''), ports, options.clusterDomain);
  }

  private static create(name: pulumi.Input<string>, namespace: pulumi.Input<string>, ports: pulumi.Input<ServicePort[]> | undefined,
    clusterDomain: string | undefined, selector?: Record<string, string>): ServiceRef {
    const parts: CarrierPart[] = [
      { input: name, kind: 'name' },
      { input: namespace, kind: 'name' },
      { input: ports, kind: 'value', placeholder: UNKNOWN },
    ];
    const realize = ([n, ns, p]: unknown[]): CoreServiceRef => (p === UNKNOWN
      ? CoreServiceRef.withUnknownPorts(n as string, ns as string, clusterDomain)
      : CoreServiceRef.fromName(n as string, { namespace: ns as string, ports: p as ServicePort[] | undefined, clusterDomain, ...(selector ? { selector } : {}) }));
    // Plain values are checked now, as by the core factory; Outputs get placeholders until known.
    const known = realize(placeholderValues(parts));
    return new ServiceRef(known, parts, realize);
  }

  private constructor(known: CoreServiceRef, private readonly carried: CarrierPart[], private readonly realizer: (values: unknown[]) => CoreServiceRef) {
    super(known.name, known.namespace, known.ports, known.clusterDomain);
    this.podSelector = known.selector;
    if (holdsInputs(carried)) (this as { [UNRESOLVED]?: boolean })[UNRESOLVED] = true;
  }

  /** @internal */
  public [CARRIER]() {
    return { parts: this.carried, realize: this.realizer };
  }
}

const UNKNOWN = Symbol('unknown ports');

/** The ports routes may name, from a Kubernetes Service's ports (the protocol Istio selects; one per number). */
function toServicePorts(ports: ReadonlyArray<{ port: number; name?: string; appProtocol?: string; protocol?: string; targetPort?: number | string }>): ServicePort[] {
  const seen = new Set<number>();
  return ports.map(servicePortOf).filter((p) => (seen.has(p.port) ? false : (seen.add(p.port), true)));
}

/** Options of the Pulumi `IngressGateway.fromSelector`. */
export interface IngressGatewayArgs {
  /** The namespace the gateway workload runs in, e.g. `istio-system`. */
  readonly namespace: pulumi.Input<string>;
  /** @default - unknown */
  readonly serviceName?: pulumi.Input<string>;
  /**
   * The ports the gateway's Service exposes (checked against every Gateway server, IST0162).
   * @default - unknown
   */
  readonly ports?: GatewayPort[];
}

/**
 * A gateway workload that Istio `Gateway` objects select, for the Pulumi components: the core
 * `IngressGateway` whose label values, namespace and Service name may be `pulumi.Input`s.
 *
 * @example
 * const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }] });
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class IngressGateway extends CoreIngressGateway {
  /**
   * References a gateway that already runs in the cluster, by its pod labels.
   * @throws IstioConstructError INVALID_LABEL, INVALID_NAME, PORT_OUT_OF_RANGE or INVALID_PORT: at
   *   once for plain values, when the values are known for Outputs.
   */
  public static fromSelector(selector: Readonly<Record<string, pulumi.Input<string>>>, args: IngressGatewayArgs): IngressGateway {
    const keys = selector !== null && typeof selector === 'object' && !isInput(selector) ? Object.keys(selector) : [];
    const parts: CarrierPart[] = [
      ...keys.map((k): CarrierPart => ({ input: selector[k], kind: 'value' })),
      { input: args?.namespace, kind: 'name' },
      { input: args?.serviceName, kind: 'name' },
    ];
    const realize = (values: unknown[]): CoreIngressGateway => CoreIngressGateway.fromSelector(
      (keys.length ? Object.fromEntries(keys.map((k, i) => [k, values[i]])) : selector) as Record<string, string>,
      { ...args, namespace: values[keys.length] as string, serviceName: values[keys.length + 1] as string | undefined });
    const known = realize(placeholderValues(parts));
    return new IngressGateway(known, parts, realize);
  }

  private constructor(known: CoreIngressGateway, private readonly carried: CarrierPart[], private readonly realizer: (values: unknown[]) => CoreIngressGateway) {
    super(known.selector, known.namespace, known.serviceName, known.ports);
    if (holdsInputs(carried)) (this as { [UNRESOLVED]?: boolean })[UNRESOLVED] = true;
  }

  /** @internal */
  public [CARRIER]() {
    return { parts: this.carried, realize: this.realizer };
  }
}

/**
 * The reference a Pulumi `HardenedGateway` gives routes (`existingGateway`): its hosts and
 * namespace are known when its own inputs are. @internal
 */
export class DeferredGatewayRef implements GatewayRef {
  /** @internal */
  public readonly [UNRESOLVED] = true;

  constructor(private readonly value: pulumi.Output<GatewayRef>, private readonly placeholder: GatewayRef, private readonly construct: string = 'HardenedGateway') {}

  /** The Gateway's name: only known inside a Pulumi component. */
  public get name(): string { return this.unknown('name'); }
  /** The Gateway's namespace: only known inside a Pulumi component. */
  public get namespace(): string { return this.unknown('namespace'); }
  /** The hosts the Gateway serves: only known inside a Pulumi component. */
  public get hosts(): readonly string[] { return this.unknown('hosts'); }

  /** @internal */
  public [CARRIER]() {
    return { parts: [{ input: this.value, kind: 'value' as const, placeholder: this.placeholder }], realize: ([ref]: unknown[]) => ref as GatewayRef };
  }

  private unknown(field: string): never {
    throw new IstioConstructError(ErrorCode.INPUT_NOT_ALLOWED, `ref.${field}`,
      `this ${this.construct} reference is built from pulumi Outputs, whose values are not known when the program runs`,
      'pass the ref to a component of istio-constructs/pulumi (e.g. CanaryService gateway.existingGateway), which resolves it', this.construct);
  }
}
