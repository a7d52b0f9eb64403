/**
 * StickyService: session affinity by consistent hashing (cookie, header, query parameter or
 * source IP), with ring hash or Maglev. Emits a DestinationRule with
 * `trafficPolicy.loadBalancer.consistentHash` and, when bound to a gateway, pinned to a version
 * or given route options (retries, timeout, fault), a VirtualService.
 *
 * Guards: warmup cannot combine with hashing (refused); outlier detection turns on locality
 * failover, which moves keys between localities, so locality load balancing is disabled (with a
 * warning); hashing is per subset, so a weighted split across versions is refused; source-IP
 * affinity behind a load balancer needs `externalTrafficPolicy: Local` (warning).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
 */
import type { DestinationRuleSpec } from '../generated/istio-types';
import { HTTP_TOKEN, checkHeaderName, checkLabelName } from '../core/checks';
import { DurationLike, renderDuration } from '../core/duration';
import { Ctx, ErrorCode, show } from '../core/errors';
import { GatewayBinding, bindGateway } from '../core/gateway';
import { RoutingApi, RoutingTarget, resolveTarget } from '../core/target';
import { Fault, HttpMatch, Retries, renderFault, renderMatch, renderRetries } from '../core/http';
import { DestinationRuleManifest, GatewayManifest, VirtualServiceManifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput, PatternWarning, WarningCode } from '../core/output';
import { ServiceRef, requireServiceRef } from '../core/references';
import { TrafficPolicy, destinationRuleScope, renderTrafficPolicy } from '../core/traffic-policy';
import { Version, resolveVersions, subsetsOf } from '../core/versions';
import { scopedSubsetsWarning } from './canary-service';
import { checkProps, propsCtx, registerInstanceType } from '../core/props';

type ConsistentHash = NonNullable<NonNullable<NonNullable<DestinationRuleSpec['trafficPolicy']>['loadBalancer']>['consistentHash']>;

/** Options of a cookie affinity. */
export interface CookieOptions {
  /**
   * Lifetime of the cookie Envoy generates when the request has none; `Duration.seconds(0)` makes
   * it a session cookie. Without a ttl, Envoy only hashes a cookie the client already sends and
   * never sets one, so first requests are not sticky.
   * @default - no ttl: an existing cookie is hashed, none is generated
   */
  readonly ttl?: DurationLike;
  /** The cookie path. @default - none */
  readonly path?: string;
  /** Extra cookie attributes (e.g. `{ SameSite: 'Strict' }`; a value-less attribute takes `''`). @default - none */
  readonly attributes?: Record<string, string>;
}

/**
 * What a request is hashed on to pick the same host again.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
 */
export class SessionAffinity {
  /** Hash on an HTTP cookie (e.g. `SessionAffinity.cookie('ISTIOID', { ttl: Duration.seconds(60) })`). */
  public static cookie(name: string, options: CookieOptions = {}): SessionAffinity {
    checkProps(new Ctx('SessionAffinity.cookie'), 'SessionAffinity.cookie', { name, options });
    return new SessionAffinity('cookie', name, options);
  }
  /** Hash on a request header (e.g. `x-user-id`). */
  public static header(name: string): SessionAffinity {
    checkProps(new Ctx('SessionAffinity.header'), 'SessionAffinity.name', { name });
    return new SessionAffinity('header', name);
  }
  /** Hash on a query parameter (e.g. `user`). */
  public static queryParameter(name: string): SessionAffinity {
    checkProps(new Ctx('SessionAffinity.queryParameter'), 'SessionAffinity.name', { name });
    return new SessionAffinity('query', name);
  }
  /** Hash on the client's source IP. */
  public static sourceIp(): SessionAffinity {
    return new SessionAffinity('sourceIp');
  }
  /** Kubernetes' `sessionAffinity: ClientIP`, expressed as Istio's `useSourceIp`. */
  public static clientIp(): SessionAffinity {
    return SessionAffinity.sourceIp();
  }

  private constructor(
    /** `cookie`, `header`, `query` or `sourceIp`. */
    public readonly kind: 'cookie' | 'header' | 'query' | 'sourceIp',
    /** The cookie, header or parameter name. */
    public readonly name?: string,
    /** Cookie options. */
    public readonly cookie?: CookieOptions,
  ) {}

  /** @internal */
  public render(ctx: Ctx): ConsistentHash {
    switch (this.kind) {
      case 'cookie': {
        if (typeof this.name !== 'string' || !HTTP_TOKEN.test(this.name)) {
          ctx.at('name').fail(ErrorCode.INVALID_HASH, `${show(this.name)} is not a valid cookie name`, 'use letters, digits, "-" and "_" (e.g. "ISTIOID")');
        }
        const o = this.cookie ?? {};
        const attributes = o.attributes ? Object.keys(o.attributes).sort().map((k) => {
          if (!k) ctx.at('attributes').fail(ErrorCode.INVALID_HASH, 'a cookie attribute has an empty name', 'name every attribute');
          return o.attributes![k] ? { name: k, value: o.attributes![k] } : { name: k };
        }) : undefined;
        return {
          httpCookie: compact({
            name: this.name!,
            path: o.path,
            ttl: renderDuration(ctx.at('ttl'), o.ttl, { allowZero: true }),
            attributes,
          }),
        };
      }
      case 'header':
        return { httpHeaderName: checkHeaderName(ctx.at('name'), this.name!) };
      case 'query':
        if (typeof this.name !== 'string' || this.name === '') {
          ctx.at('name').fail(ErrorCode.INVALID_HASH, 'the query parameter name is empty', 'name the parameter to hash on');
        }
        return { httpQueryParameterName: this.name };
      default:
        return { useSourceIp: true };
    }
  }
}

/** The consistent-hash algorithm. */
export class HashAlgorithm {
  /**
   * Ketama ring hash. Larger rings spread load more evenly and cost memory.
   * @param minimumRingSize the minimum number of virtual nodes, 1 or more (Envoy's default is 1024)
   */
  public static ringHash(minimumRingSize: number): HashAlgorithm {
    checkProps(new Ctx('HashAlgorithm.ringHash'), 'HashAlgorithm.ringHash', { minimumRingSize });
    return new HashAlgorithm('ringHash', minimumRingSize);
  }
  /**
   * Maglev: faster lookups and less disruption when hosts change.
   * @param tableSize a prime below 5000011 @default 65537
   */
  public static maglev(tableSize: number = 65537): HashAlgorithm {
    checkProps(new Ctx('HashAlgorithm.maglev'), 'HashAlgorithm.maglev', { tableSize });
    return new HashAlgorithm('maglev', tableSize);
  }

  private constructor(public readonly kind: 'ringHash' | 'maglev', public readonly size: number) {}

  /** @internal */
  public render(ctx: Ctx): Partial<ConsistentHash> {
    if (this.kind === 'ringHash') {
      if (!Number.isInteger(this.size) || this.size < 1) {
        ctx.at('minimumRingSize').fail(ErrorCode.INVALID_HASH, `ring size ${show(this.size)} is not a positive integer`, 'give at least 1 (Envoy defaults to 1024)');
      }
      return { ringHash: { minimumRingSize: this.size } };
    }
    if (!Number.isInteger(this.size) || this.size >= 5000011 || !isPrime(this.size)) {
      ctx.at('tableSize').fail(ErrorCode.INVALID_HASH, `Maglev table size ${show(this.size)} is not a prime below 5000011`,
        'use a prime below 5000011, such as 65537 (the default)');
    }
    return { maglev: { tableSize: this.size } };
  }
}

registerInstanceType('SessionAffinity', (v) => v instanceof SessionAffinity, 'a SessionAffinity (SessionAffinity.cookie(...), .header(...), .queryParameter(...) or .sourceIp())', ErrorCode.INVALID_HASH);
registerInstanceType('HashAlgorithm', (v) => v instanceof HashAlgorithm, 'a HashAlgorithm (HashAlgorithm.ringHash(size) or HashAlgorithm.maglev())', ErrorCode.INVALID_HASH);

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Props of a StickyService. */
export interface StickyServiceProps {
  /** The Service whose hosts clients stick to. */
  readonly service: ServiceRef;
  /** Name of the DestinationRule. @default - the Service name */
  readonly name?: string;
  /** Name of the VirtualService (with a gateway or a version). @default - `name` */
  readonly virtualServiceName?: string;
  /** Namespace of the objects. @default - the Service namespace */
  readonly namespace?: string;
  /** What requests are hashed on. */
  readonly affinity: SessionAffinity;
  /** Ring hash or Maglev. @default - Envoy's ring hash */
  readonly hashAlgorithm?: HashAlgorithm;
  /**
   * Connection pool, outlier detection and port-level settings. A simple load balancer or warmup
   * is refused: the load balancer is the consistent hash.
   * @default - none
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Versions (subsets). Hashing is per subset, so at most one version may receive traffic; for
   * sticky canaries, route by cookie match with CanaryService and make each version sticky.
   * @default - the Service as a whole
   */
  readonly versions?: Version[];
  /**
   * The Service port routes name. @default - not named
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /**
   * Apply the DestinationRule only to the workloads with these labels in its namespace (it is then
   * exported to that namespace only, `exportTo: ['.']`). Needed for client TLS `credentialName`,
   * which sidecars read only from a DestinationRule with a workload selector; for a gateway, give
   * the gateway pods' labels. With versions, other callers then do not see the subsets (warned about).
   * @default - every caller
   */
  readonly workloadSelector?: Record<string, string>;
  /** Expose through an ingress gateway. @default - mesh only */
  readonly gateway?: GatewayBinding;
  /** Conditions of the gateway route (e.g. a path prefix). @default - every request */
  readonly match?: HttpMatch[];
  /** Retry policy of the route (emits a VirtualService). @default - Istio's default */
  readonly retries?: Retries;
  /** Whole-request timeout of the route (emits a VirtualService). @default - no timeout */
  readonly timeout?: DurationLike;
  /** Fault injection on the route (emits a VirtualService). @default - none */
  readonly fault?: Fault;
  /**
   * Traffic reaches the service through a cloud load balancer (implied by `gateway`): source-IP
   * affinity then needs `externalTrafficPolicy: Local` on that Service, which is warned about.
   * @default - true when `gateway` is set
   */
  readonly behindLoadBalancer?: boolean;
  /**
   * The API the rules are written in. Only the Istio API can express session affinity: the
   * Gateway API's form (`sessionPersistence`) is not implemented by Istio (istio/istio#55839), and
   * consistent hashing has no Gateway API form, so the Gateway API target is refused at `affinity`.
   * @default - the program's default target, else the Istio API
   */
  readonly target?: RoutingTarget;
}

/** What `buildStickyService` returns. */
export interface StickyServiceOutput extends PatternOutput {
  readonly destinationRule: DestinationRuleManifest;
  readonly virtualService?: VirtualServiceManifest;
  readonly gateway?: GatewayManifest;
  readonly warnings: PatternWarning[];
}

/**
 * Builds the objects of a StickyService. Pure.
 * @throws IstioConstructError with codes INVALID_HASH, HASH_WITH_WARMUP, HASH_WITH_WEIGHTED_SPLIT,
 *   CONFLICTING_PROPS, INVALID_TRAFFIC_POLICY, INVALID_DURATION, INVALID_NAME, INVALID_HEADER,
 *   SERVICE_PORT_NOT_FOUND and the gateway-binding codes (HOSTS_REQUIRED, WILDCARD_HOST, ...).
 */
export function buildStickyService(props: StickyServiceProps): StickyServiceOutput {
  checkProps(propsCtx('StickyService', props, 'name', 'service.name'), 'StickyServiceProps', props);
  const name = props.name ?? props.service?.name;
  const ctx = new Ctx(`StickyService ${show(name)}`);
  if (resolveTarget(ctx.at('target'), props.target).api === RoutingApi.GATEWAY_API) {
    ctx.at('affinity').fail(ErrorCode.TARGET_UNSUPPORTED,
      'session affinity has no Gateway API form Istio implements (no consistent hashing; sessionPersistence is not implemented)',
      "keep this StickyService on the Istio API (target: { api: 'istio' }); it also applies to Gateway API routes to the Service");
  }
  requireServiceRef(ctx.at('service'), props.service);
  if (!(props.affinity instanceof SessionAffinity)) {
    ctx.at('affinity').fail(ErrorCode.INVALID_HASH, 'affinity is not a SessionAffinity', 'use SessionAffinity.cookie(...), .header(...), .queryParameter(...) or .sourceIp()');
  }
  const service = props.service;
  checkLabelName(ctx.at('name'), name, 'name');
  const vsName = checkLabelName(ctx.at('virtualServiceName'), props.virtualServiceName ?? name, 'VirtualService name');
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace ?? service.namespace, 'namespace');
  const port = service.routePort(ctx.at('port'), props.port);
  const warnings: PatternWarning[] = [];

  const tp = props.trafficPolicy;
  if (tp?.loadBalancer?.warmup) {
    ctx.at('trafficPolicy', 'loadBalancer', 'warmup').fail(ErrorCode.HASH_WITH_WARMUP,
      'warmup cannot be combined with consistent hashing (Envoy supports it only for ROUND_ROBIN and LEAST_REQUEST)',
      'remove warmup, or use CanaryService/ServiceTrafficPolicy without affinity');
  }
  if (tp?.loadBalancer) {
    ctx.at('trafficPolicy', 'loadBalancer').fail(ErrorCode.CONFLICTING_PROPS,
      'a StickyService\'s load balancer is its consistent hash; a simple algorithm would replace it',
      'remove trafficPolicy.loadBalancer');
  }
  const rendered = tp ? renderTrafficPolicy(ctx.at('trafficPolicy'), tp) : {};
  const consistentHash = { ...props.affinity.render(ctx.at('affinity')), ...props.hashAlgorithm?.render(ctx.at('hashAlgorithm')) };
  let localityLbSetting: { enabled: boolean } | undefined;
  if (rendered.outlierDetection) {
    localityLbSetting = { enabled: false };
    warnings.push({
      code: WarningCode.LOCALITY_LB_DISABLED,
      path: 'trafficPolicy.outlierDetection',
      message: 'outlier detection turns on locality failover, which moves hash keys between localities and breaks affinity; '
        + 'localityLbSetting.enabled is set to false',
    });
  }
  const behindLoadBalancer = props.behindLoadBalancer ?? props.gateway !== undefined;
  if (props.affinity.kind === 'sourceIp' && behindLoadBalancer) {
    warnings.push({
      code: WarningCode.SOURCE_IP_NEEDS_LOCAL_TRAFFIC_POLICY,
      path: 'affinity',
      message: 'source-IP affinity behind a load balancer only sees the client IP if the gateway Service has externalTrafficPolicy: Local; '
        + 'otherwise every request hashes on a node IP',
    });
  }

  const versions = props.versions ? resolveVersions(ctx.at('versions'), props.versions) : undefined;
  const live = versions?.filter((v) => v.weight > 0) ?? [];
  if (live.length > 1) {
    ctx.at('versions').fail(ErrorCode.HASH_WITH_WEIGHTED_SPLIT,
      `traffic is split by weight across ${live.length} versions, but hashing is per subset: a client would not stick to one version`,
      'route each client to one version with a cookie match (CanaryService routes with StringMatch.cookie) and give this StickyService one live version');
  }

  const objects: EmittedObject[] = [];
  const destinationRule: DestinationRuleManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: metadata(name, namespace, 'sticky-service', name),
    spec: compact({
      host: service.fqdn,
      ...destinationRuleScope(ctx, props.workloadSelector, [
        [ctx.at('trafficPolicy'), tp], ...(props.versions ?? []).map((v, i) => [ctx.at('versions', i, 'trafficPolicy'), v.trafficPolicy] as const),
      ]),
      trafficPolicy: { ...rendered, loadBalancer: compact({ consistentHash, localityLbSetting }) },
      subsets: versions ? subsetsOf(versions) : undefined,
    }),
  };
  objects.push({ role: 'destination-rule', manifest: destinationRule });
  if (props.workloadSelector && versions) warnings.push(scopedSubsetsWarning(namespace));

  let gateway: GatewayManifest | undefined;
  let virtualService: VirtualServiceManifest | undefined;
  if (props.gateway || versions || props.retries || props.timeout || props.fault) {
    const bound = props.gateway
      ? bindGateway(ctx.at('gateway'), props.gateway, { name: vsName, namespace, fqdn: service.fqdn, pattern: 'sticky-service' })
      : undefined;
    gateway = bound?.gateway;
    if (gateway) objects.push({ role: 'gateway', manifest: gateway });
    virtualService = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: metadata(vsName, namespace, 'sticky-service', name),
      spec: compact({
        hosts: bound?.hosts ?? [service.fqdn],
        gateways: bound?.gateways,
        http: [compact({
          match: props.match?.map((m, i) => renderMatch(ctx.at('match', i), m)),
          route: [{ destination: compact({ host: service.fqdn, subset: live[0]?.name, port: port !== undefined ? { number: port } : undefined }) }],
          timeout: renderDuration(ctx.at('timeout'), props.timeout),
          retries: props.retries ? renderRetries(ctx.at('retries'), props.retries) : undefined,
          fault: props.fault ? renderFault(ctx.at('fault'), props.fault) : undefined,
        })],
      }),
    };
    objects.push({ role: 'virtual-service', manifest: virtualService, dependsOn: ['destination-rule', ...(gateway ? ['gateway'] : [])] });
  }
  return { objects, destinationRule, virtualService, gateway, warnings };
}
