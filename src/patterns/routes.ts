/**
 * Routes to any host: one VirtualService that sends HTTP (`HttpRoute`), TCP (`TcpRoute`) or TLS
 * (`TlsRoute`) traffic to ONE destination, a Kubernetes Service (`ServiceRef`) or a host outside
 * the mesh (`ExternalHost`), without versions: no DestinationRule, no subsets. It applies to
 * in-mesh callers, to one or more existing gateways, or to both; HTTP rules may apply to some of
 * them only (`appliesTo`, Istio's `match.gateways`).
 *
 * This is the plain "expose a Service through a gateway" task; split traffic across versions with
 * `CanaryService`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
import { HTTP_TOKEN, checkLabelName, checkLabels, checkPort, checkRegex, hostsOverlap } from '../core/checks';
import { DurationLike, renderDuration, resolveDuration } from '../core/duration';
import { Ctx, ErrorCode, show } from '../core/errors';
import { ExternalHost, RouteDestination, requireDestination } from '../core/external';
import { GatewayRef, checkGatewayHosts, covers, placeGateway, serverHostServes } from '../core/gateway';
import {
  Fault, HTTPMatchRequest, HTTPRoute, HTTP_METHODS, Headers, HttpMatch, Retries, StringMatch, renderFault, renderHeaders, renderMatch, renderRetries,
} from '../core/http';
import { VirtualServiceManifest, compact, metadata } from '../core/manifest';
import { PatternOutput, PatternWarning, WarningCode } from '../core/output';
import { Protocol } from '../core/ports';
import { checkProps, propsCtx } from '../core/props';
import { ServiceRef, isServiceRef, requireResolved } from '../core/references';
import { RoutingApi, RoutingTarget, resolveTarget } from '../core/target';
import { renderForTarget } from '../targets/gateway-api';

// ---------------------------------------------------------------------------------------------
// Props shared by the three routes

/** What every route takes: its name and namespace, its one destination, and where it applies. */
export interface RouteBaseProps {
  /** Name of the VirtualService. */
  readonly name: string;
  /**
   * Namespace of the VirtualService.
   * @default - the Service's namespace for a `ServiceRef`; for an `ExternalHost`, the namespace of
   *   the ServiceEntry that declares it (an `ExternalEgress` host); required for `ExternalHost.fromName`
   */
  readonly namespace?: string;
  /** Where the traffic goes: a Kubernetes Service (`ServiceRef`) or a host outside the mesh (`ExternalHost`). */
  readonly destination: RouteDestination;
  /**
   * Existing Gateway objects the route is bound to (a `HardenedGateway`'s `ref`, or
   * `{ name, namespace, hosts }` for a Gateway deployed elsewhere); written `namespace/name`.
   * @default - none: the route applies to in-mesh callers only
   */
  readonly gateways?: GatewayRef[];
  /**
   * Apply the route to in-mesh callers too (Istio's reserved gateway `mesh`). Istio's own rule: a
   * VirtualService that lists gateways applies to the mesh only when `mesh` is listed too.
   * @default - true without `gateways`, false with them
   */
  readonly mesh?: boolean;
  /**
   * The hosts the VirtualService answers for. With gateways, the host names clients send
   * (`bookinfo.example.com`), each served by one of the gateways; with the mesh, the destination's
   * host is added (in-mesh callers use it). Never `*` with the mesh.
   * @default - the destination's host for a mesh route; required with gateways (HttpRoute)
   */
  readonly hosts?: string[];
  /**
   * Accept wildcard hosts (`*`, `*.example.com`) in `hosts` (and `sniHosts`).
   * @default false
   */
  readonly allowWildcardHosts?: boolean;
  /**
   * The API the route is written in. On the Gateway API: an HTTPRoute (GRPCRoute for a gRPC
   * port), TCPRoute or TLSRoute attached to each gateway (by name, and by listener where a port
   * decides it) and, for in-mesh callers, to the destination Service (GAMMA); a ReferenceGrant
   * when the destination is in another namespace. A ServiceEntry host is a backend of Istio's kind
   * `Hostname`. Refused there, with the alternative named: `fault`, `directResponse`, regex
   * rewrites, `appliesTo`, `sourceLabels`, `cookie` and `port` matches, and rules whose order the
   * Gateway API's specificity ordering would change; TCPRoute needs Gateway API v1.6 and TLSRoute
   * v1.5 (Istio ignores older ones, IST0176).
   * @default - the program's default target, else the Istio API
   */
  readonly target?: RoutingTarget;
}

/** What the three route builders return: one VirtualService (Istio API) or the Gateway API route. */
export interface RouteOutput extends PatternOutput {
  /** The VirtualService (Istio API target). */
  readonly virtualService?: VirtualServiceManifest;
}

/** Writes a route's output for its target. */
function forTarget(ctx: Ctx, props: RouteBaseProps, output: RouteOutput, kind: 'http' | 'tcp' | 'tls', rules: number, port?: number): RouteOutput {
  const target = resolveTarget(ctx.at('target'), props.target);
  if (target.api === RoutingApi.ISTIO) return output;
  const destination = props.destination as ServiceRef;
  const protocol = isServiceRef(destination) ? destination.ports.find((p) => p.port === port)?.protocol : undefined;
  const at = (i: number) => (kind === 'http' && i < rules ? ctx.at('rules', i) : ctx);
  return renderForTarget(ctx, target, output, {
    pattern: `${kind}-route`, http: at, tcp: at, tls: at, gateway: ctx.at('gateways'), defaultPort: port, protocol,
  });
}

// ---------------------------------------------------------------------------------------------
// HttpRoute

/**
 * Where an HTTP rule applies, rendered into each of its matches' `gateways`: some of the route's
 * gateways, the mesh, or both. Istio then ignores the matches' `sourceLabels`, so a scoped rule
 * cannot have them.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface RuleScope {
  /** Gateways the rule applies to; each must be one of the route's `gateways`. @default - none */
  readonly gateways?: GatewayRef[];
  /** Apply the rule to in-mesh callers; the route must apply to the mesh. @default false */
  readonly mesh?: boolean;
}

/** A regular-expression rewrite of the request path. */
export interface RegexRewrite {
  /** The RE2 regular expression matched against the path. */
  readonly match: string;
  /** The replacement; `\1`, `\2`... insert the captured groups. */
  readonly rewrite: string;
}

/**
 * A rewrite of the request before it is forwarded. Give `uri` or `uriRegexRewrite` (not both),
 * and/or `authority`.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRewrite
 */
export interface HttpRewrite {
  /**
   * Replaces the matched part of the path: the matched prefix for a prefix match, the whole path
   * for an exact match. A match without a path condition matches the prefix `/`, so there the
   * value must end with `/`.
   * @default - path unchanged
   */
  readonly uri?: string;
  /** Rewrites the path with a regular expression. @default - path unchanged */
  readonly uriRegexRewrite?: RegexRewrite;
  /** Replaces the Host/authority header, e.g. `httpbin.org` for a route to that external host. @default - authority unchanged */
  readonly authority?: string;
}

/** The scheme a redirect sends clients to. */
export enum RedirectScheme {
  HTTP = 'http',
  HTTPS = 'https',
}

/**
 * A redirect answered by the proxy instead of routing: at least one of `uri`, `authority`, `port`
 * and `scheme`. A redirecting rule has no route, rewrite, fault, retries or timeout.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRedirect
 */
export interface HttpRedirect {
  /** The path of the new location. @default - the request's path */
  readonly uri?: string;
  /** The host (and optional `:port`) of the new location. @default - the request's authority */
  readonly authority?: string;
  /**
   * The port of the new location.
   * @default - the scheme's default port
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /** The scheme of the new location. @default - the request's scheme */
  readonly scheme?: RedirectScheme;
  /**
   * The status code: 301, 302, 303, 307 or 308 (the codes Envoy can send).
   * @default 301
   * @asType integer
   */
  readonly redirectCode?: number;
}

/**
 * A fixed response answered by the proxy instead of routing. A rule with one has no route,
 * rewrite, fault, retries or timeout.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPDirectResponse
 */
export interface DirectResponse {
  /**
   * The HTTP status, 200-600.
   * @asType integer
   * @minimum 200
   * @maximum 600
   */
  readonly status: number;
  /** The response body (props strings hold at most 64 KiB characters, well under Istio's 1 MiB limit). @default - no body */
  readonly body?: string;
}

/**
 * Cross-origin resource sharing for browsers: which origins may call, with which methods and
 * headers.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#CorsPolicy
 */
export interface CorsPolicy {
  /** Origins allowed, e.g. `StringMatch.exact('https://app.example.com')`; at least one. */
  readonly allowOrigins: StringMatch[];
  /** Methods allowed (upper case, e.g. `GET`), or `*`. @default - none listed */
  readonly allowMethods?: string[];
  /** Request headers allowed, or `*`. @default - none listed */
  readonly allowHeaders?: string[];
  /** Response headers browsers may read, or `*`. @default - none listed */
  readonly exposeHeaders?: string[];
  /** How long browsers cache the preflight answer, in whole seconds. @default - not sent */
  readonly maxAge?: DurationLike;
  /** Allow requests with credentials (cookies, authorization). @default - not sent (browsers refuse credentials) */
  readonly allowCredentials?: boolean;
}

/** Options of an HTTP rule that forwards requests; at top level they apply to the default rule. */
export interface HttpRuleOptions {
  /** Retry policy. @default - Istio's default retry policy */
  readonly retries?: Retries;
  /** Whole-request timeout, at least 1ms. @default - no timeout */
  readonly timeout?: DurationLike;
  /** Request and response header changes. @default - none */
  readonly headers?: Headers;
  /** Fault injection (abort and/or delay). @default - none */
  readonly fault?: Fault;
  /** Cross-origin resource sharing policy. @default - none */
  readonly cors?: CorsPolicy;
  /** Rewrite of the path and/or authority before forwarding. @default - none */
  readonly rewrite?: HttpRewrite;
}

/**
 * One HTTP rule, tried in order: requests matching any of `match` (and the rule's scope) are
 * forwarded to the destination, redirected (`redirect`), or answered (`directResponse`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export interface HttpRule extends HttpRuleOptions {
  /** The rule name (shows in Envoy stats and access logs). @default - none */
  readonly name?: string;
  /**
   * Conditions; the rule is taken when any one matches (each is an AND of its fields). Only the
   * last rule may have none (a catch-all), and then `routeUnmatched` must be false.
   * @default - every request (in the rule's scope)
   */
  readonly match?: HttpMatch[];
  /** The gateways and/or mesh the rule applies to. @default - everywhere the route applies */
  readonly appliesTo?: RuleScope;
  /** Redirect instead of forwarding. @default - forward to the destination */
  readonly redirect?: HttpRedirect;
  /** Answer with a fixed response instead of forwarding. @default - forward to the destination */
  readonly directResponse?: DirectResponse;
}

/** Props of an HttpRoute. */
export interface HttpRouteProps extends RouteBaseProps, HttpRuleOptions {
  /**
   * The destination port requests go to; must be one of the destination's ports. Required when
   * the destination has several ports.
   * @default - not named (the destination's only port)
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /** Ordered rules, tried before the default rule. @default - none */
  readonly rules?: HttpRule[];
  /**
   * Add a last rule that forwards every other request to the destination, with the top-level
   * options. Set `false` to expose only the rules (other requests get 404).
   * @default true
   */
  readonly routeUnmatched?: boolean;
}

/**
 * Builds the VirtualService of an HttpRoute. Pure: no cdk8s or Pulumi.
 *
 * @throws IstioConstructError with codes INVALID_NAME, INVALID_PROP, CONFLICTING_PROPS, INVALID_HOST,
 *   WILDCARD_HOST, HOSTS_REQUIRED, HOST_NOT_IN_GATEWAY, GATEWAY_NOT_BOUND, SERVICE_PORT_NOT_FOUND,
 *   PROTOCOL_MISMATCH, PORT_OUT_OF_RANGE, INVALID_MATCH, INVALID_REGEX, INVALID_HEADER, INVALID_METHOD,
 *   INVALID_LABEL, INVALID_RETRIES, INVALID_DURATION, INVALID_PERCENTAGE, INVALID_FAULT.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export function buildHttpRoute(props: HttpRouteProps): RouteOutput {
  checkProps(propsCtx('HttpRoute', props, 'name'), 'HttpRouteProps', props);
  const ctx = new Ctx(`HttpRoute ${show(props.name)}`);
  const b = bindRoute(ctx, props);
  const hosts = httpHosts(ctx, b, props);
  const port = resolveHttpPort(ctx, b);
  const destination: WireDestination = compact({ host: b.destination.fqdn, port: port !== undefined ? { number: port } : undefined });

  const rules = props.rules ?? [];
  const routeUnmatched = props.routeUnmatched ?? true;
  const http: HTTPRoute[] = rules.map((r, i) => httpRule(ctx.at('rules', i), b, r, destination, i === rules.length - 1 && !routeUnmatched));
  const warnings: PatternWarning[] = [];
  if (routeUnmatched) {
    http.push(ruleOptions(ctx, props, compact({ route: [{ destination }] }), false));
  } else {
    if (http.length === 0) {
      ctx.at('routeUnmatched').fail(ErrorCode.CONFLICTING_PROPS, 'routeUnmatched is false and there are no rules, so nothing would be routed',
        'add rules, or leave routeUnmatched at its default (true)');
    }
    const dropped = OPTION_KEYS.find((k) => props[k] !== undefined);
    if (dropped) {
      ctx.at(dropped).fail(ErrorCode.CONFLICTING_PROPS, `${dropped} applies to the default rule, which routeUnmatched: false removes`,
        `move ${dropped} into the rules it is meant for, or leave routeUnmatched at true`);
    }
    if (b.mesh) {
      // A VirtualService bound to `mesh` replaces the sidecars' default route for its hosts.
      warnings.push({
        code: WarningCode.UNMATCHED_REQUESTS_404_IN_MESH,
        path: 'routeUnmatched',
        message: `routeUnmatched is false and the route applies to in-mesh callers (mesh): every request to ${b.destination.fqdn} from inside the mesh `
          + 'that matches no rule gets 404. Set mesh: false to expose only these rules at the gateways, or leave routeUnmatched at true',
      });
    }
  }

  const virtualService: VirtualServiceManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(b.name, b.namespace, 'http-route', b.name),
    spec: compact({ hosts, gateways: b.vsGateways, http }),
  };
  return forTarget(ctx, props, { objects: [{ role: 'virtual-service', manifest: virtualService }], virtualService, ...(warnings.length ? { warnings } : {}) },
    'http', rules.length, port ?? (isServiceRef(b.destination) && b.destination.ports.length === 1 ? b.destination.ports[0].port : undefined));
}

/** A route destination on the wire. */
type WireDestination = NonNullable<HTTPRoute['route']>[number]['destination'];

/** The top-level props that configure the default rule. */
const OPTION_KEYS = ['retries', 'timeout', 'headers', 'fault', 'cors', 'rewrite'] as const;

/** Istio protocols whose ports sidecars route with `http` rules. */
const HTTP_PROTOCOLS: readonly Protocol[] = [Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC, Protocol.GRPC_WEB];
/** Istio protocols whose ports sidecars route with `tls` rules (by SNI). */
const TLS_PROTOCOLS: readonly Protocol[] = [Protocol.TLS, Protocol.HTTPS];

/** The destination port of an HttpRoute, checked, and its protocol for in-mesh callers. */
function resolveHttpPort(ctx: Ctx, b: Bound): number | undefined {
  const d = b.destination;
  let port: number | undefined;
  if (b.props.port !== undefined) {
    port = d.routePort(ctx.at('port'), checkPort(ctx.at('port'), b.props.port));
  } else if (!d.portsUnknown && d.ports.length > 1) {
    ctx.at('port').fail(ErrorCode.SERVICE_PORT_NOT_FOUND,
      `${describe(d)} has several ports (${d.ports.map((p) => p.port).join(', ')}), so the route must name one (istioctl IST0112)`,
      'set port to the destination port requests should reach');
  }
  // Sidecars apply `http` rules only on the host's HTTP ports: on a TCP or TLS port they are ignored.
  if (b.mesh && !d.portsUnknown && d.ports.length > 0) {
    const used = port !== undefined ? d.ports.filter((p) => p.port === port) : d.ports;
    if (!used.some((p) => HTTP_PROTOCOLS.includes(p.protocol))) {
      const p = used[0];
      ctx.at(port !== undefined ? 'port' : 'destination').fail(ErrorCode.PROTOCOL_MISMATCH,
        `port ${p.port} of ${describe(d)} is ${p.protocol}, so in-mesh callers' sidecars never apply HTTP rules to it`,
        TLS_PROTOCOLS.includes(p.protocol)
          ? 'use a TlsRoute (routing by SNI) for this port, or declare an HTTP port where the sidecar originates TLS'
          : 'use a TcpRoute for this port, or declare the port with an HTTP protocol if it carries HTTP');
    }
  }
  return port;
}

/** One user rule, rendered. */
function httpRule(c: Ctx, b: Bound, r: HttpRule, destination: WireDestination, mayCatchAll: boolean): HTTPRoute {
  if (r.redirect !== undefined && r.directResponse !== undefined) {
    c.at('directResponse').fail(ErrorCode.CONFLICTING_PROPS, 'a rule cannot both redirect and answer directly (Istio refuses it)', 'keep one of redirect and directResponse');
  }
  const scope = r.appliesTo !== undefined ? resolveScope(c.at('appliesTo'), b, r.appliesTo) : undefined;
  let match: HTTPMatchRequest[] | undefined;
  if (r.match !== undefined) {
    if (r.match.length === 0) {
      c.at('match').fail(ErrorCode.INVALID_MATCH, 'match is empty', 'give match conditions, or leave match out for a catch-all last rule');
    }
    match = r.match.map((m, j) => {
      const rendered = renderMatch(c.at('match', j), m);
      if (rendered.sourceLabels !== undefined) {
        if (scope) {
          // pilot/pkg/networking/core/route/route.go sourceMatchHTTP: with match.gateways set, sourceLabels are never read.
          c.at('match', j, 'sourceLabels').fail(ErrorCode.CONFLICTING_PROPS,
            'a rule with appliesTo cannot match sourceLabels: Istio ignores sourceLabels in a match that names gateways, so every caller would match',
            'remove appliesTo from this rule (sourceLabels already limit it to in-mesh callers with those labels), or remove sourceLabels');
        }
        if (!b.mesh) {
          c.at('match', j, 'sourceLabels').fail(ErrorCode.CONFLICTING_PROPS,
            'sourceLabels select calling workloads in the mesh, but this route applies only to gateways (where they would be compared with the gateway pods\' labels)',
            'remove sourceLabels, or set mesh: true on the route');
        }
      }
      return scope ? { ...rendered, gateways: scope } : rendered;
    });
  } else if (scope) {
    match = [{ gateways: scope }];
  } else if (!mayCatchAll) {
    c.at('match').fail(ErrorCode.INVALID_MATCH, 'a rule without match or appliesTo takes every request, so no later rule (nor the default rule) would ever be used',
      'give match conditions; for a catch-all, make it the last rule and set routeUnmatched: false, or use the top-level options for the default rule');
  }

  const base: HTTPRoute = { name: r.name, match } as HTTPRoute;
  if (r.name !== undefined && (typeof r.name !== 'string' || r.name === '')) {
    c.at('name').fail(ErrorCode.INVALID_PROP, `rule name ${show(r.name)} is empty`, 'give a non-empty name, or leave it out');
  }
  if (r.redirect !== undefined || r.directResponse !== undefined) {
    const what = r.redirect !== undefined ? 'redirect' : 'directResponse';
    // Istio's webhook refuses rewrite and fault beside redirect/directResponse (validateHTTPRouteConflict);
    // timeout and retries belong to the forwarding action, which a redirect replaces (route.go applyHTTPRouteDestination).
    for (const k of ['rewrite', 'fault', 'retries', 'timeout'] as const) {
      if (r[k] !== undefined) {
        c.at(k).fail(ErrorCode.CONFLICTING_PROPS, `a rule with ${what} does not forward requests, so ${k} cannot apply`,
          `remove ${k}, or remove ${what} to forward the matched requests`);
      }
    }
    return ruleOptions(c, r, compact({
      ...base,
      redirect: r.redirect !== undefined ? renderRedirect(c.at('redirect'), r.redirect) : undefined,
      directResponse: r.directResponse !== undefined ? renderDirectResponse(c.at('directResponse'), r.directResponse) : undefined,
    }), true);
  }
  return ruleOptions(c, r, compact({ ...base, route: [{ destination }] }), false);
}

/** Adds the options to a rule (its action already set). */
function ruleOptions(c: Ctx, o: HttpRuleOptions, rule: HTTPRoute, answered: boolean): HTTPRoute {
  const headers = o.headers !== undefined ? renderHeaders(c.at('headers'), o.headers) : undefined;
  const rewrite = o.rewrite !== undefined ? renderRewrite(c.at('rewrite'), o.rewrite) : undefined;
  if (rewrite?.authority !== undefined) {
    // Istio's webhook: the authority is rewritten in one place only (validateAuthorityRewrite).
    for (const op of ['set', 'add'] as const) {
      const key = Object.keys(headers?.request?.[op] ?? {}).find((k) => k === ':authority' || k === 'host');
      if (key !== undefined) {
        c.at('headers', 'request', op, key).fail(ErrorCode.CONFLICTING_PROPS, `the authority is rewritten twice: by rewrite.authority and by the ${key} header`,
          'rewrite the authority in one place: rewrite.authority, or the header');
      }
    }
  }
  if (rewrite?.uri !== undefined && !rewrite.uri.endsWith('/') && (rule.match ?? [{}]).some((m) => m.uri === undefined)) {
    // A match without a path is Envoy's prefix "/", and `uri` replaces the matched prefix only
    // (route.go: PrefixRewrite): "/reviews/1" would become "<uri>reviews/1".
    c.at('rewrite', 'uri').fail(ErrorCode.CONFLICTING_PROPS,
      `the rule matches requests without a path condition, so the rewrite replaces only their leading "/": "/a/b" would become "${rewrite.uri}a/b"`,
      `end the rewrite with "/" (e.g. "${rewrite.uri}/"), match on uri (prefix or exact) in every match, or use uriRegexRewrite`);
  }
  return compact({
    ...rule,
    rewrite: answered ? undefined : rewrite,
    timeout: answered ? undefined : renderDuration(c.at('timeout'), o.timeout),
    retries: !answered && o.retries !== undefined ? renderRetries(c.at('retries'), o.retries) : undefined,
    fault: !answered && o.fault !== undefined ? renderFault(c.at('fault'), o.fault) : undefined,
    headers,
    corsPolicy: o.cors !== undefined ? renderCors(c.at('cors'), o.cors) : undefined,
  });
}

/** A rule's scope as match `gateways`: the named gateways (each bound to the route), then `mesh`. */
function resolveScope(c: Ctx, b: Bound, s: RuleScope): string[] {
  const out: string[] = [];
  (s.gateways ?? []).forEach((g, i) => {
    requireResolved(c.at('gateways', i), g);
    const ref = placeGateway(c.at('gateways', i), g.name, g.namespace).ref;
    if (!b.gateways.some((bg) => bg.ref === ref)) {
      c.at('gateways', i).fail(ErrorCode.GATEWAY_NOT_BOUND, `gateway ${ref} is not one of the route's gateways, so this rule would never apply there`,
        `add the gateway to the route's gateways, or name one of ${b.gateways.map((x) => x.ref).join(', ') || '(none: the route applies to the mesh only)'}`);
    }
    if (out.includes(ref)) c.at('gateways', i).fail(ErrorCode.CONFLICTING_PROPS, `gateway ${ref} is listed twice`, 'list each gateway once');
    out.push(ref);
  });
  if (s.mesh === true) {
    if (!b.mesh) {
      c.at('mesh').fail(ErrorCode.GATEWAY_NOT_BOUND, 'the rule applies to the mesh, but the route does not, so it would never apply',
        'set mesh: true on the route, or remove appliesTo.mesh');
    }
    out.push('mesh');
  }
  if (out.length === 0) {
    c.fail(ErrorCode.CONFLICTING_PROPS, 'appliesTo names no gateway and not the mesh, so the rule would apply nowhere',
      'name gateways of the route and/or set mesh: true, or remove appliesTo to apply the rule everywhere');
  }
  return out;
}

/** An authority (`host[:port]`) as Envoy writes it in the Host header. */
function checkAuthority(c: Ctx, value: string): string {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(:[0-9]{1,5})?$/.test(value)) {
    c.fail(ErrorCode.INVALID_HOST, `authority ${show(value)} is not a host with an optional port`, 'give a host name such as "httpbin.org" or "api.example.com:8443"');
  }
  return value;
}

/** A path as a rewrite or redirect writes it: starts with "/", no spaces or control characters. */
function checkPath(c: Ctx, value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('/') || /[\s\x00-\x1f\x7f]/.test(value)) {
    c.fail(ErrorCode.INVALID_PROP, `path ${show(value)} does not start with "/" or has spaces or control characters`, 'give a path such as "/v2/products"');
  }
  return value;
}

function renderRewrite(c: Ctx, r: HttpRewrite): HTTPRoute['rewrite'] {
  if (r.uri !== undefined && r.uriRegexRewrite !== undefined) {
    c.at('uriRegexRewrite').fail(ErrorCode.CONFLICTING_PROPS, 'a rewrite can set uri or uriRegexRewrite, not both (Istio refuses it)', 'keep one of them');
  }
  if (r.uri === undefined && r.uriRegexRewrite === undefined && r.authority === undefined) {
    c.fail(ErrorCode.INVALID_PROP, 'the rewrite sets nothing', 'set uri, uriRegexRewrite or authority, or leave rewrite out');
  }
  let uriRegexRewrite: { match: string; rewrite: string } | undefined;
  if (r.uriRegexRewrite !== undefined) {
    const match = checkRegex(c.at('uriRegexRewrite', 'match'), r.uriRegexRewrite.match);
    if (r.uriRegexRewrite.rewrite === '') {
      c.at('uriRegexRewrite', 'rewrite').fail(ErrorCode.INVALID_PROP, 'the replacement is empty (Istio refuses it)', 'give the replacement path, e.g. "/\\1"');
    }
    uriRegexRewrite = { match, rewrite: r.uriRegexRewrite.rewrite };
  }
  return compact({
    uri: r.uri !== undefined ? checkPath(c.at('uri'), r.uri) : undefined,
    uriRegexRewrite,
    authority: r.authority !== undefined ? checkAuthority(c.at('authority'), r.authority) : undefined,
  });
}

/** The redirect codes Envoy can send; Istio drops a rule with any other (route.go ApplyRedirect). */
const REDIRECT_CODES = [301, 302, 303, 307, 308];

function renderRedirect(c: Ctx, r: HttpRedirect): HTTPRoute['redirect'] {
  if (r.uri === undefined && r.authority === undefined && r.port === undefined && r.scheme === undefined) {
    c.fail(ErrorCode.INVALID_PROP, 'the redirect changes nothing (Istio refuses it)', 'set at least one of uri, authority, port and scheme');
  }
  if (r.redirectCode !== undefined && !REDIRECT_CODES.includes(r.redirectCode)) {
    c.at('redirectCode').fail(ErrorCode.INVALID_PROP, `redirect code ${show(r.redirectCode)} is not one Envoy can send (Istio drops the rule)`,
      `use one of ${REDIRECT_CODES.join(', ')}`);
  }
  return compact({
    uri: r.uri !== undefined ? checkPath(c.at('uri'), r.uri) : undefined,
    authority: r.authority !== undefined ? checkAuthority(c.at('authority'), r.authority) : undefined,
    port: r.port !== undefined ? checkPort(c.at('port'), r.port) : undefined,
    scheme: r.scheme,
    redirectCode: r.redirectCode,
  });
}

function renderDirectResponse(c: Ctx, d: DirectResponse): HTTPRoute['directResponse'] {
  if (!Number.isInteger(d.status) || d.status < 200 || d.status > 600) {
    c.at('status').fail(ErrorCode.INVALID_PROP, `status ${show(d.status)} is outside 200-600`, 'give an HTTP status from 200 to 600');
  }
  return compact({ status: d.status, body: d.body !== undefined ? { string: d.body } : undefined });
}

function renderCors(c: Ctx, p: CorsPolicy): HTTPRoute['corsPolicy'] {
  if (p.allowOrigins.length === 0) {
    c.at('allowOrigins').fail(ErrorCode.INVALID_MATCH, 'allowOrigins is empty, so no origin would be allowed', 'list the origins, e.g. StringMatch.exact("https://app.example.com")');
  }
  const allowOrigins = p.allowOrigins.map((o, i) => {
    const w = o.render(c.at('allowOrigins', i));
    if (Object.values(w)[0] === '') c.at('allowOrigins', i).fail(ErrorCode.INVALID_MATCH, 'the origin is empty (Istio refuses it)', 'give an origin such as "https://app.example.com"');
    return w;
  });
  const list = (key: 'allowMethods' | 'allowHeaders' | 'exposeHeaders', ok: (v: string) => boolean, code: ErrorCode, hint: string) => {
    const values = p[key];
    if (values === undefined) return undefined;
    const seen = new Set<string>();
    return values.map((v, i) => {
      if (!ok(v)) c.at(key, i).fail(code, `${show(v)} is not allowed in ${key}`, hint);
      if (seen.has(v.toLowerCase())) c.at(key, i).fail(code, `${show(v)} is listed twice`, 'list each value once');
      seen.add(v.toLowerCase());
      return v;
    });
  };
  let maxAge: string | undefined;
  if (p.maxAge !== undefined) {
    const d = resolveDuration(c.at('maxAge'), p.maxAge);
    if (d.milliseconds % 1000 !== 0) {
      c.at('maxAge').fail(ErrorCode.INVALID_DURATION, `maxAge ${d.text} is not whole seconds (Istio refuses it)`, "give whole seconds, e.g. '24h' or Duration.seconds(600)");
    }
    maxAge = d.text;
  }
  return compact({
    allowOrigins,
    allowMethods: list('allowMethods', (v) => v === '*' || HTTP_METHODS.includes(v), ErrorCode.INVALID_METHOD, `use HTTP methods in upper case (${HTTP_METHODS.join(', ')}) or "*"`),
    allowHeaders: list('allowHeaders', (v) => v === '*' || HTTP_TOKEN.test(v), ErrorCode.INVALID_HEADER, 'use header names (letters, digits, "-") or "*"'),
    exposeHeaders: list('exposeHeaders', (v) => v === '*' || HTTP_TOKEN.test(v), ErrorCode.INVALID_HEADER, 'use header names (letters, digits, "-") or "*"'),
    maxAge,
    allowCredentials: p.allowCredentials,
  });
}

/** The hosts of an HttpRoute: explicit with gateways, each served by a gateway; the destination's with the mesh. */
function httpHosts(ctx: Ctx, b: Bound, props: RouteBaseProps): string[] {
  if (b.gateways.length > 0 && props.hosts === undefined) {
    ctx.at('hosts').fail(ErrorCode.HOSTS_REQUIRED, 'a route bound to gateways needs explicit hosts (the host names clients send)',
      `list the hosts, e.g. ["${b.gateways[0].hosts.find((h) => !h.includes('*')) ?? 'bookinfo.example.com'}"]`);
  }
  const given = givenHosts(ctx, b, props);
  if (b.gateways.length > 0) {
    // Every host must reach the route through some gateway, and every gateway must serve one (istioctl IST0132).
    given.forEach((h, i) => {
      if (!b.gateways.some((g) => g.serves(h, 'covers'))) {
        ctx.at('hosts', i).fail(ErrorCode.HOST_NOT_IN_GATEWAY,
          `no gateway of the route serves host ${show(h)} to namespace ${b.namespace} (they serve ${show(b.gateways.map((g) => `${g.ref}: ${g.hosts.join(', ')}`))}); clients would get 404`,
          'use a host a gateway serves, or add the host to the gateway');
      }
    });
  }
  checkGatewaysServe(ctx, b, given, 'covers');
  return withDestinationHost(ctx, b, given);
}

// ---------------------------------------------------------------------------------------------
// TcpRoute

/** Props of a TcpRoute: plain TCP to the destination, TLS not terminated. */
export interface TcpRouteProps extends RouteBaseProps {
  /**
   * The port connections arrive on: a port of the gateways' servers, and for in-mesh callers a
   * port of the destination (which must not be an HTTP port: sidecars route those with HTTP rules).
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  /**
   * The destination port connections go to; must be one of the destination's ports.
   * @default - `port` if the destination has it, else the destination's only port
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly destinationPort?: number;
  /**
   * Only connections from in-mesh workloads with these labels are routed. Mesh routes only: Istio
   * ignores the labels of TCP matches on gateways.
   * @default - any caller
   */
  readonly sourceLabels?: Record<string, string>;
}

/**
 * Builds the VirtualService of a TcpRoute. Pure: no cdk8s or Pulumi.
 *
 * No `sourceSubnet`: Istio accepts `L4MatchAttributes.sourceSubnet` but its control plane never
 * reads it (nothing under pilot/ uses it); restrict callers by address with an
 * AuthorizationPolicy (`ipBlocks`) instead.
 *
 * @throws IstioConstructError with codes INVALID_NAME, INVALID_PROP, CONFLICTING_PROPS, INVALID_HOST,
 *   WILDCARD_HOST, HOST_NOT_IN_GATEWAY, SERVICE_PORT_NOT_FOUND, PROTOCOL_MISMATCH, PORT_OUT_OF_RANGE, INVALID_LABEL.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute
 */
export function buildTcpRoute(props: TcpRouteProps): RouteOutput {
  checkProps(propsCtx('TcpRoute', props, 'name'), 'TcpRouteProps', props);
  const ctx = new Ctx(`TcpRoute ${show(props.name)}`);
  const b = bindRoute(ctx, props);
  const port = checkPort(ctx.at('port'), props.port);
  if (b.mesh) meshPortProtocol(ctx.at('port'), b.destination, port, 'tcp');
  const destinationPort = resolveDestinationPort(ctx, b.destination, port, props.destinationPort);
  const sourceLabels = l4SourceLabels(ctx, b, props.sourceLabels);
  // A TCP server carries no host: with gateways only, `*` binds to them all and is no wildcard risk.
  const given = givenHosts(ctx, b, props);
  const hosts = props.hosts === undefined && !b.mesh ? ['*'] : withDestinationHost(ctx, b, given);
  checkGatewaysServe(ctx, b, hosts, 'overlaps');
  const virtualService: VirtualServiceManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(b.name, b.namespace, 'tcp-route', b.name),
    spec: compact({
      hosts,
      gateways: b.vsGateways,
      tcp: [{ match: [compact({ port, sourceLabels })], route: [{ destination: l4Destination(b.destination, destinationPort) }] }],
    }),
  };
  return forTarget(ctx, props, { objects: [{ role: 'virtual-service', manifest: virtualService }], virtualService }, 'tcp', 1, destinationPort);
}

// ---------------------------------------------------------------------------------------------
// TlsRoute

/**
 * Props of a TlsRoute: TLS connections routed by their SNI, not terminated. On a gateway, the
 * server must be TLS `PASSTHROUGH` (the analysis checks it across objects).
 */
export interface TlsRouteProps extends RouteBaseProps {
  /** The SNI names routed (e.g. `['db.example.com']`); wildcards only with `allowWildcardHosts`. */
  readonly sniHosts: string[];
  /**
   * The port connections arrive on.
   * @default - any port of the route's hosts
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /**
   * The destination port connections go to; must be one of the destination's ports.
   * @default - `port` if the destination has it, else the destination's only port
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly destinationPort?: number;
  /**
   * Only connections from in-mesh workloads with these labels are routed. Mesh routes only: Istio
   * ignores the labels of TLS matches on gateways.
   * @default - any caller
   */
  readonly sourceLabels?: Record<string, string>;
}

/**
 * Builds the VirtualService of a TlsRoute. Pure: no cdk8s or Pulumi.
 *
 * @throws IstioConstructError with codes INVALID_NAME, INVALID_PROP, CONFLICTING_PROPS, INVALID_HOST,
 *   WILDCARD_HOST, HOSTS_REQUIRED, HOST_NOT_IN_GATEWAY, SERVICE_PORT_NOT_FOUND, PROTOCOL_MISMATCH,
 *   PORT_OUT_OF_RANGE, INVALID_LABEL.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSRoute
 */
export function buildTlsRoute(props: TlsRouteProps): RouteOutput {
  checkProps(propsCtx('TlsRoute', props, 'name'), 'TlsRouteProps', props);
  const ctx = new Ctx(`TlsRoute ${show(props.name)}`);
  const b = bindRoute(ctx, props);
  const sniHosts = checkGatewayHosts(ctx.at('sniHosts'), props.sniHosts, props.allowWildcardHosts);
  const port = props.port !== undefined ? checkPort(ctx.at('port'), props.port) : undefined;
  if (b.mesh) meshPortProtocol(ctx.at(port !== undefined ? 'port' : 'destination'), b.destination, port, 'tls');
  const destinationPort = resolveDestinationPort(ctx, b.destination, port, props.destinationPort);
  const sourceLabels = l4SourceLabels(ctx, b, props.sourceLabels);
  const given = props.hosts !== undefined ? givenHosts(ctx, b, props) : sniHosts.filter((h) => !(b.mesh && h === '*'));
  if (props.hosts === undefined && b.mesh && sniHosts.includes('*')) {
    ctx.at('sniHosts').fail(ErrorCode.CONFLICTING_PROPS, 'the SNI host "*" would become the host "*", which cannot apply to mesh traffic (Istio refuses it)',
      'list the SNI hosts, or set mesh: false');
  }
  const hosts = withDestinationHost(ctx, b, given);
  // Istio's webhook: each SNI host must be within one of the VirtualService's hosts (validateSniHost).
  sniHosts.forEach((s, i) => {
    if (!hosts.some((h) => covers(h, s))) {
      ctx.at('sniHosts', i).fail(ErrorCode.INVALID_HOST, `SNI host ${show(s)} is not within any of the route's hosts (${show(hosts)}); Istio refuses it`,
        'add the SNI host to hosts, or leave hosts out (they default to the SNI hosts)');
    }
  });
  checkGatewaysServe(ctx, b, hosts, 'overlaps');
  const virtualService: VirtualServiceManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(b.name, b.namespace, 'tls-route', b.name),
    spec: compact({
      hosts,
      gateways: b.vsGateways,
      tls: [{ match: [compact({ port, sniHosts, sourceLabels })], route: [{ destination: l4Destination(b.destination, destinationPort) }] }],
    }),
  };
  return forTarget(ctx, props, { objects: [{ role: 'virtual-service', manifest: virtualService }], virtualService }, 'tls', 1, destinationPort);
}

// ---------------------------------------------------------------------------------------------
// Binding (shared)

/** A gateway the route is bound to. */
interface BoundGateway {
  /** `namespace/name`. */
  readonly ref: string;
  readonly hosts: readonly string[];
  /** Whether the Gateway serves `host` to the route's namespace. */
  serves(host: string, mode: 'covers' | 'overlaps'): boolean;
}

/** The checked common props of a route. */
interface Bound {
  readonly props: RouteBaseProps & { readonly port?: number };
  readonly name: string;
  readonly namespace: string;
  readonly destination: RouteDestination;
  readonly gateways: readonly BoundGateway[];
  readonly mesh: boolean;
  /** The VirtualService `gateways`: undefined for a mesh-only route (Istio's default). */
  readonly vsGateways?: string[];
}

function describe(d: RouteDestination): string {
  return isServiceRef(d) ? `Service ${d.namespace}/${d.name}` : `external host ${d.host}`;
}

function bindRoute(ctx: Ctx, props: RouteBaseProps & { readonly port?: number }): Bound {
  const name = checkLabelName(ctx.at('name'), props.name, 'name');
  const destination = requireDestination(ctx.at('destination'), props.destination);
  const ns = props.namespace ?? (isServiceRef(destination) ? destination.namespace : (destination as ExternalHost).serviceEntry?.namespace);
  if (ns === undefined) {
    ctx.at('namespace').fail(ErrorCode.INVALID_PROP, `the external host ${(destination as ExternalHost).host} is not declared by a ServiceEntry of this program, so the VirtualService has no namespace to default to`,
      'set namespace (usually the namespace of the callers, or of the ServiceEntry that declares the host)');
  }
  const namespace = checkLabelName(ctx.at('namespace'), ns!, 'namespace');

  if (props.gateways !== undefined && props.gateways.length === 0) {
    ctx.at('gateways').fail(ErrorCode.CONFLICTING_PROPS, 'gateways is empty', 'name the gateways, or leave gateways out for a mesh-only route');
  }
  const gateways: BoundGateway[] = (props.gateways ?? []).map((g, i) => {
    const c = ctx.at('gateways', i);
    requireResolved(c, g);
    const placement = placeGateway(c, g.name, g.namespace);
    const hosts = [...g.hosts];
    return { ref: placement.ref, hosts, serves: (h, mode) => hosts.some((s) => serverHostServes(s, placement.namespace, namespace, h, mode)) };
  });
  gateways.forEach((g, i) => {
    if (gateways.findIndex((o) => o.ref === g.ref) !== i) ctx.at('gateways', i).fail(ErrorCode.CONFLICTING_PROPS, `gateway ${g.ref} is listed twice`, 'list each gateway once');
  });
  const mesh = props.mesh ?? gateways.length === 0;
  if (!mesh && gateways.length === 0) {
    ctx.at('mesh').fail(ErrorCode.CONFLICTING_PROPS, 'mesh is false and there are no gateways, so the route would apply nowhere',
      'bind the route to gateways, or leave mesh at its default');
  }
  if (gateways.length > 0 && !isServiceRef(destination) && destination.isWildcard) {
    // A wildcard ServiceEntry host has no address to connect to: sidecars use the caller's original
    // destination, which a gateway does not have.
    ctx.at('destination').fail(ErrorCode.CONFLICTING_PROPS, `a gateway cannot forward to the wildcard host ${destination.host}: it has no address to connect to`,
      'route to a concrete host (e.g. "en.wikipedia.org"), or bind the route to the mesh only');
  }
  return {
    props, name, namespace, destination, gateways, mesh,
    vsGateways: gateways.length ? [...gateways.map((g) => g.ref), ...(mesh ? ['mesh'] : [])] : undefined,
  };
}

/** The explicit hosts, checked (wildcards on opt-in, never `*` with the mesh). */
function givenHosts(ctx: Ctx, b: Bound, props: RouteBaseProps): string[] {
  if (props.hosts === undefined) return [];
  const hosts = checkGatewayHosts(ctx.at('hosts'), props.hosts, props.allowWildcardHosts);
  const star = hosts.indexOf('*');
  if (b.mesh && star >= 0) {
    ctx.at('hosts', star).fail(ErrorCode.CONFLICTING_PROPS, 'the host "*" cannot apply to mesh traffic (Istio refuses it)',
      'list explicit hosts, or set mesh: false');
  }
  return hosts;
}

/** The hosts plus, for a mesh route, the destination's host (unless a wildcard host already covers it). */
function withDestinationHost(ctx: Ctx, b: Bound, hosts: string[]): string[] {
  if (!b.mesh) return hosts;
  const fqdn = b.destination.fqdn;
  if (hosts.some((h) => h === fqdn || (h.startsWith('*.') && fqdn.endsWith(h.slice(1))))) return hosts;
  const i = hosts.findIndex((h) => hostsOverlap(h, fqdn));
  if (i >= 0) {
    ctx.at('hosts', i).fail(ErrorCode.INVALID_HOST, `host ${hosts[i]} overlaps the destination host ${fqdn}, which a mesh route adds; a VirtualService refuses overlapping hosts`,
      `drop ${hosts[i]} (the destination host covers it), or set mesh: false`);
  }
  return [...hosts, fqdn];
}

/** Every gateway must serve one of the hosts, or the route binds nothing there (istioctl IST0132). */
function checkGatewaysServe(ctx: Ctx, b: Bound, hosts: readonly string[], mode: 'covers' | 'overlaps'): void {
  b.gateways.forEach((g, i) => {
    if (!hosts.some((h) => g.serves(h, mode))) {
      ctx.at('gateways', i).fail(ErrorCode.HOST_NOT_IN_GATEWAY,
        `Gateway ${g.ref} serves none of the route's hosts to namespace ${b.namespace} (it serves ${g.hosts.length ? show(g.hosts) : 'nothing'}), so the route would not apply there (IST0132)`,
        'add a host the Gateway serves to hosts, or remove the gateway');
    }
  });
}

/** Checks, for in-mesh callers, that a port's protocol lets sidecars apply `kind` rules on it. */
function meshPortProtocol(c: Ctx, d: RouteDestination, port: number | undefined, kind: 'tcp' | 'tls'): void {
  if (port !== undefined) d.routePort(c, port);
  if (d.portsUnknown || d.ports.length === 0) return;
  const used = port !== undefined ? d.ports.filter((p) => p.port === port) : d.ports;
  const fits = (p: Protocol) => (kind === 'tls' ? TLS_PROTOCOLS.includes(p) : !HTTP_PROTOCOLS.includes(p) && p !== Protocol.UDP);
  if (!used.some((p) => fits(p.protocol))) {
    const p = used[0];
    c.fail(ErrorCode.PROTOCOL_MISMATCH,
      `port ${p.port} of ${describe(d)} is ${p.protocol}, so in-mesh callers' sidecars never apply ${kind === 'tls' ? 'TLS (SNI)' : 'TCP'} rules to it`,
      kind === 'tls'
        ? 'route a TLS or HTTPS port of the destination (set port), or use a TcpRoute or HttpRoute for this port'
        : HTTP_PROTOCOLS.includes(p.protocol) ? 'use an HttpRoute for this port, or declare the port as TCP if it does not carry HTTP' : 'route a TCP port of the destination');
  }
}

/** The destination port of a TCP or TLS route. */
function resolveDestinationPort(ctx: Ctx, d: RouteDestination, port: number | undefined, destinationPort: number | undefined): number | undefined {
  if (destinationPort !== undefined) return d.routePort(ctx.at('destinationPort'), checkPort(ctx.at('destinationPort'), destinationPort));
  if (d.portsUnknown) return port;
  if (port !== undefined && d.ports.some((p) => p.port === port)) return port;
  if (d.ports.length === 1) return d.ports[0].port;
  return ctx.at('destinationPort').fail(ErrorCode.SERVICE_PORT_NOT_FOUND,
    d.ports.length === 0
      ? `the ports of ${describe(d)} are unknown`
      : `${describe(d)} has ${port !== undefined ? `no port ${port} and ` : ''}several ports (${d.ports.map((p) => p.port).join(', ')})`,
    d.ports.length === 0
      ? 'declare the destination\'s ports (ServiceRef.fromName(name, { namespace, ports }))'
      : 'set destinationPort to the destination port connections should reach');
}

function l4Destination(d: RouteDestination, port: number | undefined): WireDestination {
  return compact({ host: d.fqdn, port: port !== undefined ? { number: port } : undefined });
}

/** Source labels of an L4 match: mesh-only routes only (Istio ignores them on gateways: gateway.go l4SingleMatch). */
function l4SourceLabels(ctx: Ctx, b: Bound, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  if (b.gateways.length > 0) {
    ctx.at('sourceLabels').fail(ErrorCode.CONFLICTING_PROPS,
      'Istio ignores sourceLabels of TCP and TLS matches on gateways, so gateway traffic would be routed whatever its source',
      'make a separate mesh-only route (no gateways) for the labelled callers');
  }
  return checkLabels(ctx.at('sourceLabels'), labels, { nonEmpty: true });
}
