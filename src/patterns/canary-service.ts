/**
 * CanaryService: one service, several versions, traffic split by weight, with ordered match
 * routes before the weighted default. Emits a DestinationRule (one subset per version), a
 * VirtualService and, when bound to an ingress gateway, a Gateway.
 *
 * For a Service without versions (route one Service, or a host outside the mesh, through a
 * gateway or in the mesh, with no DestinationRule and no subsets), use `HttpRoute` (or
 * `TcpRoute`, `TlsRoute`) instead.
 *
 * @see https://istio.io/latest/docs/concepts/traffic-management/
 */
import { checkLabelName, checkPercentage } from '../core/checks';
import { DurationLike, renderDuration } from '../core/duration';
import { Ctx, ErrorCode, show } from '../core/errors';
import { GatewayBinding, bindGateway } from '../core/gateway';
import {
  Fault, HTTPRoute, Headers, HttpMatch, Retries, renderFault, renderHeaders, renderMatch, renderRetries,
} from '../core/http';
import { DestinationRuleManifest, GatewayManifest, VirtualServiceManifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput, PatternWarning, WarningCode } from '../core/output';
import { ServiceRef, requireServiceRef } from '../core/references';
import { TrafficPolicy, destinationRuleScope, renderTrafficPolicy } from '../core/traffic-policy';
import {
  ResolvedVersion, Version, WeightedVersion, requireVersion, resolveSplit, resolveVersions, splitOf, subsetsOf, weightedDestinations,
} from '../core/versions';
import { checkProps, propsCtx } from '../core/props';
import { RoutingApi, RoutingTarget, resolveTarget } from '../core/target';
import { renderForTarget } from '../targets/gateway-api';

/** Mirroring (shadowing) of a route's traffic to a version; responses of the mirror are discarded. */
export interface Mirror<V extends string = string> {
  /** The version that receives the copies. */
  readonly version: V;
  /**
   * Share of requests mirrored, percent 0-100.
   * @default 100
   * @minimum 0
   * @maximum 100
   */
  readonly percentage?: number;
}

/** Options every HTTP route of a CanaryService can carry. */
export interface HttpRouteOptions<V extends string = string> {
  /** Retry policy. @default - Istio's default retry policy */
  readonly retries?: Retries;
  /** Whole-request timeout, at least 1ms. @default - no timeout */
  readonly timeout?: DurationLike;
  /** Request and response header changes. @default - none */
  readonly headers?: Headers;
  /** Copies of the requests to another version. @default - no mirroring */
  readonly mirror?: Mirror<V>;
  /** Fault injection (abort and/or delay) for the requests this route takes. @default - none */
  readonly fault?: Fault;
}

/**
 * An ordered match route: requests matching any of `match` go to `to` (a version, or a weighted
 * split); routes are tried in order, before the weighted default.
 */
export interface CanaryRoute<V extends string = string> extends HttpRouteOptions<V> {
  /** The route name (shows in Envoy stats and access logs). @default - none */
  readonly name?: string;
  /** Conditions; the route is taken when any one matches (each is an AND of its fields). */
  readonly match: HttpMatch[];
  /**
   * Where matching requests go: one version, or a weighted split across versions.
   * @default - the versions' default split
   */
  readonly to?: V | WeightedVersion<V>[];
}

/** Props of a CanaryService. `V` is the union of version names, so routes can only name those. */
export interface CanaryServiceProps<V extends string = string> {
  /** The Service whose versions are split. */
  readonly service: ServiceRef;
  /** Name of the VirtualService and DestinationRule. @default - the Service name */
  readonly name?: string;
  /** Namespace of the VirtualService and DestinationRule. @default - the Service namespace */
  readonly namespace?: string;
  /**
   * The versions (subsets) and their share of the default route; at least one. A Service without
   * versions needs no CanaryService: route it with `HttpRoute`.
   */
  readonly versions: Version<V>[];
  /** Ordered match routes, tried before the weighted default. @default - none */
  readonly routes?: CanaryRoute<NoInfer<V>>[];
  /**
   * Route requests that match no route by the versions' weights. Set `false` to expose only
   * the matched routes (everything else gets 404).
   * @default true
   */
  readonly routeUnmatched?: boolean;
  /**
   * The Service port routes go to; must be a port of `service`. @default - not named (fine for single-port Services)
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /** Retries of the default route. @default - Istio's default */
  readonly retries?: Retries;
  /** Timeout of the default route. @default - no timeout */
  readonly timeout?: DurationLike;
  /** Header changes of the default route. @default - none */
  readonly headers?: Headers;
  /** Mirroring of the default route. @default - no mirroring */
  readonly mirror?: Mirror<NoInfer<V>>;
  /** Fault injection on the default route. @default - none */
  readonly fault?: Fault;
  /** Resilience settings for every version (connection pool, outlier detection, load balancer). @default - none */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Apply the DestinationRule only to the workloads with these labels in its namespace (it is then
   * exported to that namespace only, `exportTo: ['.']`). Needed for client TLS `credentialName`,
   * which sidecars read only from a DestinationRule with a workload selector; for a gateway, give
   * the gateway pods' labels. Other callers then do not see its subsets: a route to a version from them fails (503),
   * which is warned about.
   * @default - every caller
   */
  readonly workloadSelector?: Record<string, string>;
  /** Expose the service through an ingress gateway. @default - mesh only */
  readonly gateway?: GatewayBinding;
  /**
   * The API the routes are written in. On the Gateway API: an HTTPRoute (GRPCRoute for a gRPC
   * port) attached to the Gateway and/or to the Service (GAMMA, for in-mesh callers), one Service
   * `<service>-<version>` per version (the Service's `selector` plus the version's labels; give
   * the selector in the ServiceRef), and a Gateway of class `istio`. Refused there, with the
   * alternative named: `fault`, `trafficPolicy`, `workloadSelector`, version `trafficPolicy`,
   * `sourceLabels` and `cookie` matches, and routes whose order the Gateway API's specificity
   * ordering would change.
   * @default - the program's default target (cdk8s `RoutingTargets.setDefault`, Pulumi config), else the Istio API
   */
  readonly target?: RoutingTarget;
}

/** What `buildCanaryService` returns. */
export interface CanaryServiceOutput extends PatternOutput {
  /** The VirtualService (Istio API target). */
  readonly virtualService?: VirtualServiceManifest;
  /** The DestinationRule (Istio API target). */
  readonly destinationRule?: DestinationRuleManifest;
  /** The Istio Gateway (Istio API target, with a gateway binding). */
  readonly gateway?: GatewayManifest;
}

/**
 * Builds the objects of a CanaryService. Pure: no cdk8s or Pulumi; both front ends call it.
 *
 * @throws IstioConstructError with codes NO_VERSIONS, DUPLICATE_VERSION, INVALID_WEIGHT,
 *   ZERO_TOTAL_WEIGHT, PERCENT_TOTAL, UNKNOWN_VERSION, INVALID_NAME, SERVICE_PORT_NOT_FOUND,
 *   HOSTS_REQUIRED, WILDCARD_HOST, INVALID_HOST, GATEWAY_PORT_NOT_EXPOSED, INVALID_MATCH,
 *   INVALID_REGEX, INVALID_HEADER, INVALID_RETRIES, INVALID_DURATION, INVALID_PERCENTAGE,
 *   INVALID_FAULT, INVALID_TRAFFIC_POLICY, CONFLICTING_PROPS.
 */
export function buildCanaryService<const V extends string>(props: CanaryServiceProps<V>): CanaryServiceOutput {
  checkProps(propsCtx('CanaryService', props, 'name', 'service.name'), 'CanaryServiceProps', props);
  const name = props.name ?? props.service?.name;
  const ctx = new Ctx(`CanaryService ${show(name)}`);
  const target = resolveTarget(ctx.at('target'), props.target);
  requireServiceRef(ctx.at('service'), props.service);
  checkLabelName(ctx.at('name'), name, 'name');
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace ?? props.service.namespace, 'namespace');
  const versions = resolveVersions(ctx.at('versions'), props.versions);
  const service = props.service;
  const port = service.routePort(ctx.at('port'), props.port);

  const destination = (version: string) => compact({
    host: service.fqdn,
    subset: version,
    port: port !== undefined ? { number: port } : undefined,
  });
  const weighted = (split: readonly WeightedVersion[]) => weightedDestinations(split, destination);
  const defaultSplit = splitOf(versions);

  const http: HTTPRoute[] = [];
  (props.routes ?? []).forEach((r, i) => {
    const c = ctx.at('routes', i);
    if (!Array.isArray(r.match) || r.match.length === 0) {
      c.at('match').fail(ErrorCode.INVALID_MATCH, 'a route needs at least one match',
        'give match conditions, or use the default route options (retries, timeout, ...) for unmatched traffic');
    }
    const split = r.to === undefined ? defaultSplit
      : typeof r.to === 'string' ? [{ version: requireVersion(c.at('to'), versions, r.to), weight: 100 }]
        : resolveSplit(c.at('to'), versions, r.to);
    http.push(route(c, versions, destination, {
      name: r.name,
      match: r.match.map((m, j) => renderMatch(c.at('match', j), m)),
      route: weighted(split),
    }, r));
  });
  const warnings: PatternWarning[] = [];
  if (props.routeUnmatched ?? true) {
    http.push(route(ctx, versions, destination, { route: weighted(defaultSplit) }, props));
  } else if (http.length === 0) {
    ctx.at('routeUnmatched').fail(ErrorCode.CONFLICTING_PROPS, 'routeUnmatched is false and there are no routes, so nothing would be routed',
      'add routes, or leave routeUnmatched at its default (true)');
  } else if (!props.gateway || (props.gateway.includeMesh ?? true)) {
    // A VirtualService bound to `mesh` replaces the sidecars' default route for the host: a request
    // no route matches gets 404 (NR), for in-mesh callers too.
    warnings.push({
      code: WarningCode.UNMATCHED_REQUESTS_404_IN_MESH,
      path: 'routeUnmatched',
      message: `routeUnmatched is false and the routes also apply to in-mesh callers (mesh): every request to ${service.fqdn} from inside the mesh `
        + 'that matches no route gets 404. Bind to a gateway with includeMesh: false to expose only these routes at the edge, or leave routeUnmatched at true',
    });
  }

  const objects: EmittedObject[] = [];
  const destinationRule: DestinationRuleManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: metadata(name, namespace, 'canary-service', name),
    spec: compact({
      host: service.fqdn,
      ...destinationRuleScope(ctx, props.workloadSelector, [
        [ctx.at('trafficPolicy'), props.trafficPolicy], ...props.versions.map((v, i) => [ctx.at('versions', i, 'trafficPolicy'), v.trafficPolicy] as const),
      ]),
      trafficPolicy: props.trafficPolicy ? renderTrafficPolicy(ctx.at('trafficPolicy'), props.trafficPolicy) : undefined,
      subsets: subsetsOf(versions),
    }),
  };
  objects.push({ role: 'destination-rule', manifest: destinationRule });
  if (props.workloadSelector) warnings.push(scopedSubsetsWarning(namespace));

  const bound = props.gateway
    ? bindGateway(ctx.at('gateway'), props.gateway, { name, namespace, fqdn: service.fqdn, pattern: 'canary-service' }, target)
    : undefined;
  const gateway = bound?.gateway;
  if (gateway) objects.push({ role: 'gateway', manifest: gateway });

  const virtualService: VirtualServiceManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(name, namespace, 'canary-service', name),
    spec: compact({ hosts: bound?.hosts ?? [service.fqdn], gateways: bound?.gateways, http }),
  };
  // Subsets must exist before routes name them: apply the DestinationRule first.
  objects.push({ role: 'virtual-service', manifest: virtualService, dependsOn: ['destination-rule', ...(gateway ? ['gateway'] : [])] });
  const output = { objects, virtualService, destinationRule, gateway, ...(warnings.length ? { warnings } : {}) };
  if (target.api === RoutingApi.ISTIO) return output;
  const routePort = port ?? (service.ports.length === 1 ? service.ports[0].port : undefined);
  return renderForTarget(ctx, target, output, {
    pattern: 'canary-service',
    http: (i) => (i < (props.routes ?? []).length ? ctx.at('routes', i) : ctx),
    gateway: ctx.at('gateway'),
    gatewayWorkload: props.gateway?.gateway,
    service,
    versions: ctx.at('versions'),
    destinationRule: ctx,
    defaultPort: routePort,
    protocol: service.ports.find((p) => p.port === routePort)?.protocol,
  });
}

/** The warning for a DestinationRule with subsets and a workload selector. @internal */
export function scopedSubsetsWarning(namespace: string): PatternWarning {
  return {
    code: WarningCode.DESTINATION_RULE_SCOPED,
    path: 'workloadSelector',
    message: `the DestinationRule (and its subsets) applies only to the selected workloads in ${namespace}; other callers, including gateways, `
      + 'do not see the subsets, and their requests routed to a version fail with 503',
  };
}

/** Adds the shared route options to a route. */
function route(ctx: Ctx, versions: readonly ResolvedVersion[], destination: (v: string) => any,
  base: HTTPRoute, opts: HttpRouteOptions): HTTPRoute {
  let mirror: HTTPRoute['mirror'];
  let mirrorPercentage: HTTPRoute['mirrorPercentage'];
  if (opts.mirror) {
    mirror = destination(requireVersion(ctx.at('mirror', 'version'), versions, opts.mirror.version));
    if (opts.mirror.percentage !== undefined) {
      mirrorPercentage = { value: checkPercentage(ctx.at('mirror', 'percentage'), opts.mirror.percentage) };
    }
  }
  return compact({
    name: base.name,
    match: base.match,
    route: base.route,
    timeout: renderDuration(ctx.at('timeout'), opts.timeout),
    retries: opts.retries ? renderRetries(ctx.at('retries'), opts.retries) : undefined,
    headers: opts.headers ? renderHeaders(ctx.at('headers'), opts.headers) : undefined,
    fault: opts.fault ? renderFault(ctx.at('fault'), opts.fault) : undefined,
    mirror,
    mirrorPercentage,
  });
}
