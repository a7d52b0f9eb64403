/**
 * Resilience settings of a destination (DestinationRule `trafficPolicy`): connection pool,
 * outlier detection, simple load balancing with warmup, and port-level overrides. Deprecated
 * fields (`consecutiveErrors`, top-level `minimumRingSize`) are never written.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
import type { DestinationRuleSpec } from '../generated/istio-types';
import { checkCount, checkPercentage, checkPort, checkSecretName } from './checks';
import { DurationLike, renderDuration } from './duration';
import { Ctx, ErrorCode } from './errors';
import { renderSelector } from './identity';

/** Istio's wire type of a traffic policy. @internal */
export type WireTrafficPolicy = NonNullable<DestinationRuleSpec['trafficPolicy']>;

/** TCP connection limits (HTTP uses them too). */
export interface TcpConnectionPool {
  /**
   * Maximum connections to each host of the destination. @default - Envoy's default (2^32-1)
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly maxConnections?: number;
  /** TCP connect timeout, at least 1ms. @default 10s */
  readonly connectTimeout?: DurationLike;
  /** TCP keepalive probing. @default - the OS settings */
  readonly tcpKeepalive?: {
    /** Idle time before the first probe. */
    readonly time?: DurationLike;
    /** Time between probes. */
    readonly interval?: DurationLike;
    /**
     * Probes before the connection is dropped.
     * @asType integer
     * @minimum 0
     * @maximum 4294967295
     */
    readonly probes?: number;
  };
}

/** HTTP request limits. */
export interface HttpConnectionPool {
  /**
   * Maximum requests queued while waiting for a connection (HTTP/1.1). @default 1024
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * Maximum concurrent requests to the destination (HTTP/2, and active requests). @default 1024
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly http2MaxRequests?: number;
  /**
   * Maximum requests per connection; 1 disables keep-alive. @default - unlimited
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Maximum concurrent retries to the destination. @default - unlimited
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly maxRetries?: number;
  /** Idle timeout of upstream connections. @default 1h */
  readonly idleTimeout?: DurationLike;
}

/**
 * Connection pool limits (circuit breaking by concurrency).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface ConnectionPool {
  readonly tcp?: TcpConnectionPool;
  readonly http?: HttpConnectionPool;
}

/**
 * Outlier detection: hosts that fail are ejected from the load-balancing pool for a while.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface OutlierDetection {
  /**
   * Consecutive 5xx (and, for TCP, connect failures) before ejection. @default 5
   * @asType integer
   * @minimum 0
   * @maximum 4294967295
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive 502/503/504 before ejection. @default - off
   * @asType integer
   * @minimum 0
   * @maximum 4294967295
   */
  readonly consecutiveGatewayErrors?: number;
  /** Time between ejection sweeps, at least 1ms. @default 10s */
  readonly interval?: DurationLike;
  /** Minimum ejection time (multiplied by the number of ejections). @default 30s */
  readonly baseEjectionTime?: DurationLike;
  /**
   * Maximum share of hosts ejected, percent 0-100. @default 10
   * @asType integer
   * @minimum 0
   * @maximum 100
   */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection stops below this share of healthy hosts, percent 0-100. @default 0
   * @asType integer
   * @minimum 0
   * @maximum 100
   */
  readonly minHealthPercent?: number;
}

/** Istio's simple load-balancing algorithms. */
export enum LoadBalancerAlgorithm {
  ROUND_ROBIN = 'ROUND_ROBIN',
  LEAST_REQUEST = 'LEAST_REQUEST',
  RANDOM = 'RANDOM',
  PASSTHROUGH = 'PASSTHROUGH',
}

/** Slow start: new hosts receive a growing share of traffic during `duration`. */
export interface Warmup {
  /** How long a new host warms up, at least 1ms. */
  readonly duration: DurationLike;
  /**
   * Share of traffic a new host starts with, percent 0-100. @default 10
   * @minimum 0
   * @maximum 100
   */
  readonly minimumPercent?: number;
  /**
   * How fast the share grows (1 = linear); greater than 0. @default 1
   * @exclusiveMinimum 0
   */
  readonly aggression?: number;
}

/** Simple load balancing. Warmup cannot be combined with consistent hashing. */
export interface LoadBalancer {
  /** The algorithm. @default LoadBalancerAlgorithm.LEAST_REQUEST (Istio's default) */
  readonly algorithm?: LoadBalancerAlgorithm;
  /** Slow start of new hosts (ROUND_ROBIN and LEAST_REQUEST only). @default - none */
  readonly warmup?: Warmup;
}

/** How the client side (the caller's proxy) connects to the destination. */
export enum ClientTlsMode {
  /** Plain text. Conflicts with STRICT peer authentication at the destination. */
  DISABLE = 'DISABLE',
  /** TLS to the destination (origination), verifying its certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with a client certificate from `credentialName`. */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with the mesh's own certificates (what auto-mTLS does). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/**
 * Client TLS settings of a destination.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export interface ClientTls {
  readonly mode: ClientTlsMode;
  /** The Secret with the client certificate (MUTUAL) or the CA (SIMPLE), in the caller's namespace. @default - none */
  readonly credentialName?: string;
  /** The SNI to present (SIMPLE/MUTUAL). @default - none */
  readonly sni?: string;
  /** Accepted server certificate SANs. @default - any */
  readonly subjectAltNames?: string[];
}

/** Settings for one port of the destination, overriding the destination-wide ones. */
export interface PortTrafficPolicy {
  /**
   * The Service port, 1-65535.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  readonly connectionPool?: ConnectionPool;
  readonly outlierDetection?: OutlierDetection;
  readonly loadBalancer?: LoadBalancer;
  readonly tls?: ClientTls;
}

/** Resilience settings of a destination (or of one subset). */
export interface TrafficPolicy {
  /** Connection limits. @default - Envoy's defaults */
  readonly connectionPool?: ConnectionPool;
  /** Ejection of failing hosts. @default - off */
  readonly outlierDetection?: OutlierDetection;
  /** Simple load balancing. @default - LEAST_REQUEST */
  readonly loadBalancer?: LoadBalancer;
  /** Client TLS toward the destination. @default - auto mTLS */
  readonly tls?: ClientTls;
  /** Per-port overrides. @default - none */
  readonly portLevelSettings?: PortTrafficPolicy[];
}

/**
 * Where a DestinationRule applies: to every caller (no selector), or, with `workloadSelector`, only
 * to the workloads of its own namespace with those labels; Istio then requires `exportTo` to be the
 * DestinationRule's namespace only, written as `exportTo: ['.']`. Client TLS `credentialName` is
 * refused without a selector: sidecars read it only from a DestinationRule with a
 * `workloadSelector` ("Otherwise the field will be applicable only at gateways, and sidecars will
 * continue to use the certificate paths"), so the connection would leave without the certificate.
 * A DestinationRule meant for a gateway selects the gateway's pods the same way.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 * @internal
 */
export function destinationRuleScope(ctx: Ctx, workloadSelector: Record<string, string> | undefined,
  policies: ReadonlyArray<readonly [Ctx, TrafficPolicy | undefined]>): { workloadSelector?: { matchLabels: Record<string, string> }; exportTo?: string[] } {
  if (workloadSelector !== undefined) {
    return { workloadSelector: renderSelector(ctx.at('workloadSelector'), workloadSelector), exportTo: ['.'] };
  }
  for (const [c, tp] of policies) {
    const tlsSpots: Array<readonly [Ctx, ClientTls | undefined]> = [
      [c.at('tls'), tp?.tls],
      ...(tp?.portLevelSettings ?? []).map((p, i) => [c.at('portLevelSettings', i, 'tls'), p?.tls] as const),
    ];
    for (const [tc, tls] of tlsSpots) {
      if (tls?.credentialName !== undefined) {
        tc.at('credentialName').fail(ErrorCode.INVALID_TLS,
          'sidecars ignore credentialName without workloadSelector (only gateways read it): no client certificate would be sent',
          'add workloadSelector: the client pods\' labels (a gateway\'s, e.g. { istio: "ingressgateway" }), in their namespace');
      }
    }
  }
  return {};
}

/** Renders client TLS. @internal */
export function renderClientTls(ctx: Ctx, t: ClientTls): WireTrafficPolicy['tls'] {
  if (!t || !Object.values(ClientTlsMode).includes(t.mode)) {
    ctx.at('mode').fail(ErrorCode.INVALID_TLS, `${String(t?.mode)} is not a client TLS mode`, 'use DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL');
  }
  const withCerts = t.mode === ClientTlsMode.SIMPLE || t.mode === ClientTlsMode.MUTUAL;
  if (t.mode === ClientTlsMode.MUTUAL && !t.credentialName) {
    ctx.at('credentialName').fail(ErrorCode.INVALID_TLS, 'MUTUAL needs the client certificate', 'give credentialName: the Secret with tls.crt, tls.key and ca.crt');
  }
  if (!withCerts && (t.credentialName || t.sni || t.subjectAltNames)) {
    ctx.fail(ErrorCode.INVALID_TLS, `${t.mode} takes no credentialName, sni or subjectAltNames`, 'remove them, or use SIMPLE or MUTUAL');
  }
  if (t.credentialName !== undefined) checkSecretName(ctx.at('credentialName'), t.credentialName);
  return { mode: t.mode, credentialName: t.credentialName, sni: t.sni, subjectAltNames: t.subjectAltNames };
}

/** Renders a connection pool. @internal */
export function renderConnectionPool(ctx: Ctx, p: ConnectionPool): WireTrafficPolicy['connectionPool'] {
  if (!p.tcp && !p.http) ctx.fail(ErrorCode.INVALID_TRAFFIC_POLICY, 'the connection pool sets neither tcp nor http', 'set tcp or http limits, or leave connectionPool out');
  const count = (c: Ctx, v: number | undefined, what: string) => (v === undefined ? undefined : checkCount(c, v, ErrorCode.INVALID_TRAFFIC_POLICY, what));
  const tcp = p.tcp && {
    maxConnections: count(ctx.at('tcp', 'maxConnections'), p.tcp.maxConnections, 'maxConnections'),
    connectTimeout: renderDuration(ctx.at('tcp', 'connectTimeout'), p.tcp.connectTimeout),
    tcpKeepalive: p.tcp.tcpKeepalive && {
      time: renderDuration(ctx.at('tcp', 'tcpKeepalive', 'time'), p.tcp.tcpKeepalive.time),
      interval: renderDuration(ctx.at('tcp', 'tcpKeepalive', 'interval'), p.tcp.tcpKeepalive.interval),
      probes: count(ctx.at('tcp', 'tcpKeepalive', 'probes'), p.tcp.tcpKeepalive.probes, 'probes'),
    },
  };
  const http = p.http && {
    http1MaxPendingRequests: count(ctx.at('http', 'http1MaxPendingRequests'), p.http.http1MaxPendingRequests, 'http1MaxPendingRequests'),
    http2MaxRequests: count(ctx.at('http', 'http2MaxRequests'), p.http.http2MaxRequests, 'http2MaxRequests'),
    maxRequestsPerConnection: count(ctx.at('http', 'maxRequestsPerConnection'), p.http.maxRequestsPerConnection, 'maxRequestsPerConnection'),
    maxRetries: count(ctx.at('http', 'maxRetries'), p.http.maxRetries, 'maxRetries'),
    idleTimeout: renderDuration(ctx.at('http', 'idleTimeout'), p.http.idleTimeout),
  };
  return { tcp, http };
}

/** Renders outlier detection. @internal */
export function renderOutlierDetection(ctx: Ctx, o: OutlierDetection): WireTrafficPolicy['outlierDetection'] {
  const count = (k: keyof OutlierDetection) => (o[k] === undefined ? undefined : checkCount(ctx.at(k), o[k] as number, ErrorCode.INVALID_TRAFFIC_POLICY, k));
  const pct = (k: 'maxEjectionPercent' | 'minHealthPercent') => (o[k] === undefined ? undefined : checkPercentage(ctx.at(k), o[k]!));
  const out = {
    consecutive5xxErrors: count('consecutive5xxErrors'),
    consecutiveGatewayErrors: count('consecutiveGatewayErrors'),
    interval: renderDuration(ctx.at('interval'), o.interval),
    baseEjectionTime: renderDuration(ctx.at('baseEjectionTime'), o.baseEjectionTime),
    maxEjectionPercent: pct('maxEjectionPercent'),
    minHealthPercent: pct('minHealthPercent'),
  };
  if (Object.values(out).every((v) => v === undefined)) {
    ctx.fail(ErrorCode.INVALID_TRAFFIC_POLICY, 'outlier detection sets nothing', 'set at least consecutive5xxErrors, or leave outlierDetection out');
  }
  return out;
}

/** Renders simple load balancing. @internal */
export function renderLoadBalancer(ctx: Ctx, lb: LoadBalancer): WireTrafficPolicy['loadBalancer'] {
  const algorithm = lb.algorithm;
  if (algorithm !== undefined && !Object.values(LoadBalancerAlgorithm).includes(algorithm)) {
    ctx.at('algorithm').fail(ErrorCode.INVALID_TRAFFIC_POLICY, `${String(algorithm)} is not a load-balancing algorithm`,
      `use one of ${Object.values(LoadBalancerAlgorithm).join(', ')}`);
  }
  let warmup: NonNullable<WireTrafficPolicy['loadBalancer']>['warmup'];
  if (lb.warmup) {
    const c = ctx.at('warmup');
    if (algorithm === LoadBalancerAlgorithm.RANDOM || algorithm === LoadBalancerAlgorithm.PASSTHROUGH) {
      c.fail(ErrorCode.INVALID_TRAFFIC_POLICY, `warmup does not apply to ${algorithm}`, 'use ROUND_ROBIN or LEAST_REQUEST with warmup');
    }
    if (lb.warmup.duration === undefined) c.at('duration').fail(ErrorCode.INVALID_DURATION, 'warmup needs a duration', "give duration: Duration.seconds(...) or a duration string such as '60s'");
    const duration = renderDuration(c.at('duration'), lb.warmup.duration);
    if (lb.warmup.aggression !== undefined && !(typeof lb.warmup.aggression === 'number' && lb.warmup.aggression > 0 && Number.isFinite(lb.warmup.aggression))) {
      c.at('aggression').fail(ErrorCode.INVALID_TRAFFIC_POLICY, 'aggression must be a number greater than 0', 'give 1 for a linear ramp, more for a faster one');
    }
    warmup = {
      duration,
      minimumPercent: lb.warmup.minimumPercent === undefined ? undefined : checkPercentage(c.at('minimumPercent'), lb.warmup.minimumPercent),
      aggression: lb.warmup.aggression,
    };
  }
  return { simple: algorithm, warmup };
}

/** Renders a traffic policy; at least one setting must be present. @internal */
export function renderTrafficPolicy(ctx: Ctx, tp: TrafficPolicy): WireTrafficPolicy {
  const ports = new Set<number>();
  const out: WireTrafficPolicy = {
    connectionPool: tp.connectionPool ? renderConnectionPool(ctx.at('connectionPool'), tp.connectionPool) : undefined,
    outlierDetection: tp.outlierDetection ? renderOutlierDetection(ctx.at('outlierDetection'), tp.outlierDetection) : undefined,
    loadBalancer: tp.loadBalancer ? renderLoadBalancer(ctx.at('loadBalancer'), tp.loadBalancer) : undefined,
    tls: tp.tls ? renderClientTls(ctx.at('tls'), tp.tls) : undefined,
    portLevelSettings: tp.portLevelSettings?.map((p, i) => {
      const c = ctx.at('portLevelSettings', i);
      checkPort(c.at('port'), p.port);
      if (ports.has(p.port)) c.at('port').fail(ErrorCode.INVALID_TRAFFIC_POLICY, `port ${p.port} has two entries`, 'merge the settings of one port into one entry');
      ports.add(p.port);
      if (!p.connectionPool && !p.outlierDetection && !p.loadBalancer && !p.tls) {
        c.fail(ErrorCode.INVALID_TRAFFIC_POLICY, 'a port-level setting sets nothing', 'set connectionPool, outlierDetection, loadBalancer or tls, or remove the entry');
      }
      return {
        port: { number: p.port },
        connectionPool: p.connectionPool ? renderConnectionPool(c.at('connectionPool'), p.connectionPool) : undefined,
        outlierDetection: p.outlierDetection ? renderOutlierDetection(c.at('outlierDetection'), p.outlierDetection) : undefined,
        loadBalancer: p.loadBalancer ? renderLoadBalancer(c.at('loadBalancer'), p.loadBalancer) : undefined,
        tls: p.tls ? renderClientTls(c.at('tls'), p.tls) : undefined,
      };
    }),
  };
  if (Object.values(out).every((v) => v === undefined)) {
    ctx.fail(ErrorCode.INVALID_TRAFFIC_POLICY, 'the traffic policy sets nothing', 'set connectionPool, outlierDetection, loadBalancer, tls or portLevelSettings, or leave it out');
  }
  return out;
}
