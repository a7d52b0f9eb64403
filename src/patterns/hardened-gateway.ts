/**
 * HardenedGateway: TLS ingress with secure defaults. Emits the Gateway (HTTPS servers with
 * `credentialName`, TLS 1.2 minimum, an HTTP server that only redirects), the VirtualService to the
 * backend with an HSTS response header, header hygiene (no `Server` header, no `x-envoy-*` debug
 * headers), and default-deny authorization on the gateway workload with explicit ALLOW rules.
 * Every default can be overridden; see docs/hardened-gateway.md for the best practice each meets.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/
 */
import { checkLabelName, checkSecretName, hostsOverlap } from '../core/checks';
import { Duration, DurationLike, resolveDuration } from '../core/duration';
import { Ctx, ErrorCode, show } from '../core/errors';
import { RoutingApi, RoutingTarget, resolveTarget } from '../core/target';
import { renderForTarget } from '../targets/gateway-api';
import { GatewayRef, ServerSpec, TlsVersion, checkCipherSuites, checkGatewayHosts, checkMinProtocolVersion, gatewayManifest, placeGateway } from '../core/gateway';
import { Manifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput, PatternWarning, WarningCode } from '../core/output';
import { IngressGateway, ServiceRef, requireServiceRef } from '../core/references';
import { AuthorizationAction, AuthorizationCondition, AuthorizationRule, buildAuthorizationPolicy, renderRules } from './authorization-policy';
import { GatewayWorkloadOptions, buildGatewayWorkload } from './gateway-workload';
import { Protocol } from '../core/ports';
import { checkProps, propsCtx } from '../core/props';

/** Server-side TLS modes of a Gateway HTTPS server. */
export enum ServerTlsMode {
  /** TLS with the server certificate from `credentialName`. */
  SIMPLE = 'SIMPLE',
  /** TLS with client certificates verified against the CA in the same Secret (`ca.crt`). */
  MUTUAL = 'MUTUAL',
}

export { TlsVersion } from '../core/gateway';

/** One HTTPS server: hosts and their certificate. One certificate per host set (IST0138). */
export interface HttpsServer {
  /** The hosts this certificate covers. */
  readonly hosts: string[];
  /** The Secret (in the gateway's namespace) with `tls.crt`, `tls.key` (and `ca.crt` for MUTUAL). */
  readonly credentialName: string;
  /** @default ServerTlsMode.SIMPLE */
  readonly mode?: ServerTlsMode;
  /**
   * The Gateway server's port name (a DNS-1123 label), unique in the Gateway. Several servers may
   * share a port, each with its hosts and certificate.
   * @default `https-<port>`, or `https-<port>-<n>` (n from 1, in order) when servers share the port
   */
  readonly portName?: string;
  /**
   * @default 443
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
}

/** Strict-Transport-Security settings. */
export interface Hsts {
  /** @default Duration.seconds(31536000) (one year) */
  readonly maxAge?: DurationLike;
  /** @default true */
  readonly includeSubDomains?: boolean;
  /** @default false */
  readonly preload?: boolean;
}

/** How the `Server` and `x-envoy-*` response headers are removed. */
export enum HeaderHygiene {
  /** Proxy configuration when the program owns the workload and Istio is 1.20 or newer, the EnvoyFilter otherwise. */
  AUTO = 'AUTO',
  /** `proxyHeaders` in the workload's `proxy.istio.io/config` annotation (Istio 1.20+, dedicated workload only). */
  PROXY_CONFIG = 'PROXY_CONFIG',
  /** An EnvoyFilter on the gateway workload (works on any Istio version and on gateways the program does not own). */
  ENVOY_FILTER = 'ENVOY_FILTER',
  /** Leave the headers (not recommended). */
  OFF = 'OFF',
}

/** Props of a HardenedGateway. */
export interface HardenedGatewayProps {
  /** Name of the Gateway (and prefix of the other objects). */
  readonly name: string;
  /** Namespace of the Gateway and VirtualService. @default - the gateway workload's namespace */
  readonly namespace?: string;
  /** An existing gateway workload; its Service must expose the server ports. Give this or `workload`. */
  readonly gateway?: IngressGateway;
  /** Deploy a dedicated, hardened gateway workload for this gateway. Give this or `gateway`. */
  readonly workload?: GatewayWorkloadOptions;
  /** The Istio version of the mesh (`major.minor`), which decides how headers are removed. @default '1.31' */
  readonly istioVersion?: string;
  /**
   * The gateway workload serves only this HardenedGateway, so its defaults may apply to the whole
   * workload: `allow-nothing` plus an ALLOW policy, and header removal on every listener. On a
   * shared workload (like `istio-ingressgateway`) that would deny every other host and TCP route of
   * the workload and change other teams' responses, so there the authorization is a DENY scoped to
   * this gateway's hosts and the header removal is scoped to its HTTPS filter chains and routes
   * (with a `SHARED_GATEWAY` warning). See docs/hardened-gateway.md.
   * @default - true with `workload`, false with `gateway`
   */
  readonly dedicatedGateway?: boolean;
  /** The HTTPS servers. */
  readonly servers: HttpsServer[];
  /** Accept wildcard hosts. @default false */
  readonly allowWildcardHosts?: boolean;
  /**
   * The Service requests are routed to. Leave it out to route with a CanaryService (or
   * StickyService) bound to this gateway through `existingGateway: hardenedGateway.ref`.
   * @default - no VirtualService
   */
  readonly backend?: ServiceRef;
  /**
   * The backend port. @default - not named (single-port Services)
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly backendPort?: number;
  /** Also listen on HTTP 80, only to redirect to HTTPS. @default true */
  readonly httpsRedirect?: boolean;
  /** Minimum TLS version. @default TlsVersion.TLSV1_2 */
  readonly minProtocolVersion?: TlsVersion;
  /** Allowed cipher suites (TLS 1.2). @default - Envoy's defaults */
  readonly cipherSuites?: string[];
  /** HSTS response header; `false` to leave it out. @default - one year, includeSubDomains */
  readonly hsts?: Hsts | false;
  /** Header hygiene. @default HeaderHygiene.AUTO */
  readonly headerHygiene?: HeaderHygiene;
  /**
   * Requests the gateway lets through; everything else is denied (default deny on the gateway
   * workload). Set `false` to emit no authorization.
   * @default - requests for the servers' hosts
   */
  readonly allow?: AuthorizationRule[] | false;
  /**
   * The API the Gateway and its route are written in. On the Gateway API: a Gateway of class
   * `istio` on the gateway workload's Service (manual deployment, so the workload's policies and
   * header hygiene keep applying to its pods), HTTPS listeners terminating with the credential,
   * cipher suites as the listener option `gateway.istio.io/tls-cipher-suites`, the HTTP-to-HTTPS
   * redirect as an HTTPRoute on port 80, and the backend route as an HTTPRoute. Refused there:
   * TLS 1.3 as minimum (set `meshConfig.tlsDefaults.minProtocolVersion` instead) and
   * `IngressGateway.automated` (its pods would ignore the selector-based policies, IST0166).
   * @default - the program's default target, else the Istio API
   */
  readonly target?: RoutingTarget;
}

/** What `buildHardenedGateway` returns. */
export interface HardenedGatewayOutput extends PatternOutput {
  readonly gateway: Manifest;
  /** The reference routes bind to (`existingGateway`). */
  readonly ref: GatewayRef;
  readonly virtualService?: Manifest;
  readonly envoyFilter?: Manifest;
  /** Dedicated gateway: the `allow-nothing` policy on the workload. */
  readonly denyAll?: Manifest;
  /** Dedicated gateway: the ALLOW policy (`allow`, by default the served hosts). */
  readonly allowPolicy?: Manifest;
  /** Shared gateway: the DENY policy for requests to this gateway's hosts that `allow` does not match. */
  readonly denyPolicy?: Manifest;
  /** The `proxy.istio.io/config` value set on the dedicated workload, with PROXY_CONFIG hygiene. */
  readonly proxyConfig?: string;
}

/** Where a shared gateway's header hygiene applies: its HTTPS filter chains (by SNI) and its route configurations. */
interface HygieneScope {
  /** The `namespace/name` of the Gateway object, which Istio records in its route configuration names. */
  readonly gateway: string;
  /** The hosts of its HTTPS servers: each server's filter chain lists them as server names. */
  readonly sniHosts: readonly string[];
}

/**
 * The Envoy settings that remove `Server` and the `x-envoy-*` debug headers at a gateway. Unscoped,
 * they patch every listener and route of the workload. Scoped (shared gateway), the listener patches
 * match only the filter chains whose server names include one of this gateway's hosts (EnvoyFilter
 * `filterChain.sni`), and the route patch only route configurations Istio generated for this Gateway
 * object (`routeConfiguration.gateway`); the plain-HTTP redirect listener is shared by every Gateway
 * on port 80 and is left alone.
 * @see https://istio.io/latest/docs/reference/config/networking/envoy-filter/#EnvoyFilter-ListenerMatch-FilterChainMatch
 */
function headerHygieneFilter(name: string, namespace: string, selector: Record<string, string>, scope?: HygieneScope): Manifest {
  const hcm = 'envoy.filters.network.http_connection_manager';
  const chains = scope ? scope.sniHosts.map((sni) => ({ sni })) : [{}];
  const hcmPatches = chains.map((chain) => ({
    applyTo: 'NETWORK_FILTER',
    match: { context: 'GATEWAY', listener: { filterChain: { ...chain, filter: { name: hcm } } } },
    patch: {
      operation: 'MERGE',
      value: { typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', server_header_transformation: 'PASS_THROUGH' } },
    },
  }));
  const routerPatches = chains.map((chain) => ({
    applyTo: 'HTTP_FILTER',
    match: { context: 'GATEWAY', listener: { filterChain: { ...chain, filter: { name: hcm, subFilter: { name: 'envoy.filters.http.router' } } } } },
    patch: { operation: 'MERGE', value: { typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router', suppress_envoy_headers: true } } },
  }));
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: metadata(name, namespace, 'hardened-gateway', name),
    spec: {
      workloadSelector: { labels: { ...selector } },
      configPatches: [
        ...hcmPatches,
        {
          applyTo: 'ROUTE_CONFIGURATION',
          match: { context: 'GATEWAY', ...(scope ? { routeConfiguration: { gateway: scope.gateway } } : {}) },
          patch: { operation: 'MERGE', value: { response_headers_to_remove: ['server', 'x-envoy-upstream-service-time'] } },
        },
        ...routerPatches,
      ],
    },
  };
}

/** The most DENY rules a shared gateway's `allow` may expand to. */
const MAX_SCOPED_DENY_RULES = 32;

/** Each `from`/`to`/`when` field and the field that negates it. */
const NEGATED: Record<string, string> = {};
for (const f of ['principals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'requestPrincipals', 'methods', 'paths', 'ports', 'hosts', 'values']) {
  const not = `not${f[0].toUpperCase()}${f.slice(1)}`;
  NEGATED[f] = not;
  NEGATED[not] = f;
}

/** One condition of a DENY rule: a field of the source, of the operation, or of a `when` key. */
interface Condition {
  readonly part: 'from' | 'to' | 'when';
  readonly field: string;
  readonly key?: string;
  readonly values: readonly unknown[];
}

/** Every combination that picks one item from each list. */
function product<T>(lists: readonly T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}

/**
 * The requests an ALLOW rule does not match, as alternatives (OR) of condition sets (AND). A rule
 * matches when one `from` entry, one `to` entry and every `when` condition match; it fails when every
 * `from` entry fails one of its fields, or every `to` entry does, or one `when` condition fails. A
 * rule without conditions matches everything: no alternative.
 */
function notMatching(rule: AuthorizationRule): Condition[][] {
  const entryFails = (part: 'from' | 'to', entry: object) => Object.entries(entry)
    .filter(([, v]) => v !== undefined)
    .map(([field, values]): Condition => ({ part, field: NEGATED[field] ?? field, values: values as unknown[] }));
  const alternatives: Condition[][] = [];
  if (rule.from) alternatives.push(...product(rule.from.map((f) => entryFails('from', f))));
  if (rule.to) alternatives.push(...product(rule.to.map((t) => entryFails('to', t))));
  for (const w of rule.when ?? []) {
    if (w.values) alternatives.push([{ part: 'when', key: w.key, field: 'notValues', values: w.values }]);
    if (w.notValues) alternatives.push([{ part: 'when', key: w.key, field: 'values', values: w.notValues }]);
  }
  return alternatives;
}

/**
 * The DENY rules of a shared gateway: a request to one of its hosts (Host header and TLS SNI) that
 * no `allow` rule matches is denied. Istio denies a request when any DENY rule matches, so NOT(rule1
 * OR rule2 ...) is expanded into rules of negated fields (`ipBlocks` → `notIpBlocks`, `values` →
 * `notValues`). The SNI condition keeps the rules off other TCP routes of the workload: on TCP
 * Istio ignores the HTTP-only `hosts` of a DENY rule, but checks `connection.sni`.
 * @see https://istio.io/latest/docs/concepts/security/#authorization-policy-precedence
 */
function scopedDenyRules(ctx: Ctx, allow: readonly AuthorizationRule[], hosts: readonly string[]): AuthorizationRule[] {
  const perRule = allow.map(notMatching);
  const size = perRule.reduce((n, alts) => n * alts.length, 1);
  if (size > MAX_SCOPED_DENY_RULES) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, `on a shared gateway these allow rules expand to ${size} DENY rules (more than ${MAX_SCOPED_DENY_RULES})`,
      'use fewer rules or fields, or set dedicatedGateway: true if only this gateway uses the workload');
  }
  const key = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v));
  return product(perRule).map((alternative) => {
    const from: Record<string, unknown[]> = {};
    const to: Record<string, unknown[]> = {};
    const when: AuthorizationCondition[] = [];
    for (const c of alternative.flat()) {
      if (c.part === 'when') {
        when.push({ key: c.key!, [c.field]: [...c.values] } as AuthorizationCondition);
        continue;
      }
      const target = c.part === 'from' ? from : to;
      const existing = target[c.field];
      if (existing && c.field.startsWith('not')) {
        // not in A and not in B: not in A or B.
        target[c.field] = [...existing, ...c.values.filter((v) => !existing.some((e) => key(e) === key(v)))];
      } else if (existing && existing.map(key).sort().join('\n') !== c.values.map(key).sort().join('\n')) {
        ctx.fail(ErrorCode.CONFLICTING_PROPS, `on a shared gateway the allow rules cannot be scoped to its hosts (two rules require different ${c.field.replace(/^not/, '').toLowerCase()} values)`,
          'merge the rules, or set dedicatedGateway: true if only this gateway uses the workload');
      } else {
        target[c.field] = [...c.values];
      }
    }
    if (to.hosts) {
      ctx.fail(ErrorCode.CONFLICTING_PROPS, 'on a shared gateway allow rules with notHosts cannot be scoped to its hosts',
        'list the allowed hosts with hosts, or set dedicatedGateway: true if only this gateway uses the workload');
    }
    to.hosts = hosts.flatMap((h) => [h, `${h}:*`]);
    when.push({ key: 'connection.sni', values: [...hosts] });
    return { ...(Object.keys(from).length ? { from: [from] } : {}), to: [to], when } as AuthorizationRule;
  });
}

/**
 * Builds the objects of a HardenedGateway. Pure.
 * @throws IstioConstructError HOSTS_REQUIRED, WILDCARD_HOST, INVALID_HOST, INVALID_TLS, GATEWAY_PORT_NOT_EXPOSED,
 *   SERVICE_PORT_NOT_FOUND, INVALID_DURATION, INVALID_NAME and the AuthorizationPolicy codes.
 */
export function buildHardenedGateway(props: HardenedGatewayProps): HardenedGatewayOutput {
  checkProps(propsCtx('HardenedGateway', props, 'name'), 'HardenedGatewayProps', props);
  const ctx = new Ctx(`HardenedGateway ${show(props.name)}`);
  const target = resolveTarget(ctx.at('target'), props.target);
  const name = checkLabelName(ctx.at('name'), props.name, 'name');
  if ((props.gateway === undefined) === (props.workload === undefined)) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, 'give exactly one of gateway and workload', 'gateway: an existing IngressGateway; workload: a dedicated one this construct deploys');
  }
  if (props.gateway !== undefined && !(props.gateway instanceof IngressGateway)) {
    ctx.at('gateway').fail(ErrorCode.CONFLICTING_PROPS, 'gateway is not an IngressGateway', 'pass IngressGateway.fromSelector(...)');
  }
  const version = /^(\d+)\.(\d+)(\..*)?$/.exec(props.istioVersion ?? '1.31');
  if (!version) ctx.at('istioVersion').fail(ErrorCode.CONFLICTING_PROPS, `${show(props.istioVersion)} is not an Istio version`, 'write major.minor, e.g. "1.31"');
  const hasProxyHeaders = Number(version![1]) > 1 || Number(version![2]) >= 20;
  if (props.dedicatedGateway !== undefined && typeof props.dedicatedGateway !== 'boolean') {
    ctx.at('dedicatedGateway').fail(ErrorCode.CONFLICTING_PROPS, `${show(props.dedicatedGateway)} is not a boolean`, 'give true or false');
  }
  if (props.workload && props.dedicatedGateway === false) {
    ctx.at('dedicatedGateway').fail(ErrorCode.CONFLICTING_PROPS, 'the workload this construct deploys is dedicated to it', 'leave dedicatedGateway out with workload');
  }
  // A workload the program does not own may serve other Gateways: only touch this gateway's hosts there.
  const dedicated = props.workload !== undefined || props.dedicatedGateway === true;
  let hygiene = props.headerHygiene ?? HeaderHygiene.AUTO;
  if (hygiene === HeaderHygiene.AUTO) hygiene = props.workload && hasProxyHeaders ? HeaderHygiene.PROXY_CONFIG : HeaderHygiene.ENVOY_FILTER;
  if (hygiene === HeaderHygiene.PROXY_CONFIG && (!props.workload || !hasProxyHeaders)) {
    ctx.at('headerHygiene').fail(ErrorCode.CONFLICTING_PROPS,
      props.workload ? `Istio ${props.istioVersion} has no proxyHeaders (1.20+)` : 'proxy configuration needs control of the gateway workload',
      'use HeaderHygiene.ENVOY_FILTER (or AUTO), or deploy a dedicated workload on Istio 1.20+');
  }
  const proxyConfig = hygiene === HeaderHygiene.PROXY_CONFIG
    ? JSON.stringify({ proxyHeaders: { server: { disabled: true }, envoyDebugHeaders: { disabled: true } } })
    : undefined;
  const workload = props.workload
    ? buildGatewayWorkload(ctx.at('workload'), props.workload, [
      ...((props.httpsRedirect ?? true) ? [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }] : []),
      ...[...new Set((Array.isArray(props.servers) ? props.servers : []).map((s) => s.port ?? 443))].map((port) => ({ port, protocol: Protocol.HTTPS, name: port === 443 ? 'https' : `https-${port}` })),
    ], proxyConfig, 'hardened-gateway', props.name)
    : undefined;
  const ingress = workload?.gateway ?? props.gateway!;
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace ?? ingress.namespace, 'namespace');
  const backend = props.backend !== undefined ? requireServiceRef(ctx.at('backend'), props.backend) : undefined;
  const backendPort = backend?.routePort(ctx.at('backendPort'), props.backendPort);
  if (!Array.isArray(props.servers) || props.servers.length === 0) {
    ctx.at('servers').fail(ErrorCode.HOSTS_REQUIRED, 'no HTTPS servers given', 'give at least one { hosts, credentialName }');
  }
  const minProtocolVersion = checkMinProtocolVersion(ctx.at('minProtocolVersion'), props.minProtocolVersion ?? TlsVersion.TLSV1_2);
  const allHosts: string[] = [];
  const servers: ServerSpec[] = props.servers.map((s, i): ServerSpec => {
    const c = ctx.at('servers', i);
    const hosts = checkGatewayHosts(c.at('hosts'), s.hosts, props.allowWildcardHosts);
    for (const h of hosts) {
      if (allHosts.includes(h)) c.at('hosts').fail(ErrorCode.INVALID_HOST, `host ${h} is served twice`, 'give each host set one certificate (IST0138)');
      const other = allHosts.find((o) => hostsOverlap(o, h));
      if (other !== undefined) {
        c.at('hosts').fail(ErrorCode.INVALID_HOST, `host ${h} overlaps ${other} of another server; the VirtualService would list overlapping hosts`,
          'serve a wildcard and the hosts it covers with one server and certificate, or drop the covered host');
      }
      allHosts.push(h);
    }
    checkSecretName(c.at('credentialName'), s.credentialName);
    const mode = s.mode ?? ServerTlsMode.SIMPLE;
    if (!Object.values(ServerTlsMode).includes(mode)) c.at('mode').fail(ErrorCode.INVALID_TLS, `${show(mode)} is not SIMPLE or MUTUAL`, 'use ServerTlsMode.SIMPLE or MUTUAL');
    return {
      port: s.port ?? 443,
      protocol: 'HTTPS',
      hosts,
      tls: compact({ mode, credentialName: s.credentialName, minProtocolVersion, cipherSuites: props.cipherSuites }),
      portName: s.portName !== undefined ? checkLabelName(c.at('portName'), s.portName, 'port name') : undefined,
    };
  });
  checkCipherSuites(ctx.at('cipherSuites'), props.cipherSuites);
  const redirect = props.httpsRedirect ?? true;
  if (redirect) servers.push({ port: 80, protocol: 'HTTP', hosts: allHosts, tls: { httpsRedirect: true } });

  const objects: EmittedObject[] = [...(workload?.objects ?? [])];
  const placement = placeGateway(ctx, name, namespace);
  if (ingress.automated) {
    ctx.at('gateway').fail(ErrorCode.TARGET_UNSUPPORTED,
      'the pods of an automatically deployed gateway ignore selector-based AuthorizationPolicies (istioctl IST0166), so the hardening would not apply',
      'give the running gateway workload (IngressGateway.fromSelector with serviceName), or let the HardenedGateway deploy one with workload');
  }
  const gateway = gatewayManifest(ctx, placement, ingress, servers, 'hardened-gateway', name, target);
  objects.push({ role: 'gateway', manifest: gateway });

  // HSTS is sent by every route on this gateway that sets it; routes of other constructs add it themselves.
  let responseSet: Record<string, string> | undefined;
  if (props.hsts !== false) {
    const h = props.hsts ?? {};
    const maxAge = resolveDuration(ctx.at('hsts', 'maxAge'), h.maxAge ?? Duration.seconds(31536000));
    const seconds = Math.floor(maxAge.milliseconds / 1000);
    responseSet = {
      'strict-transport-security': [`max-age=${seconds}`, ...((h.includeSubDomains ?? true) ? ['includeSubDomains'] : []), ...(h.preload ? ['preload'] : [])].join('; '),
    };
  }
  const virtualService: Manifest | undefined = backend && {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(name, namespace, 'hardened-gateway', name),
    spec: compact({
      hosts: allHosts,
      gateways: [placement.ref],
      http: [compact({
        route: [{ destination: compact({ host: backend.fqdn, port: backendPort !== undefined ? { number: backendPort } : undefined }) }],
        headers: responseSet ? { response: { set: responseSet } } : undefined,
      })],
    }),
  };
  if (virtualService) objects.push({ role: 'virtual-service', manifest: virtualService, dependsOn: ['gateway'] });

  let envoyFilter: Manifest | undefined;
  if (hygiene === HeaderHygiene.ENVOY_FILTER) {
    envoyFilter = headerHygieneFilter(`${name}-header-hygiene`, ingress.namespace, { ...ingress.selector },
      dedicated ? undefined : { gateway: placement.ref, sniHosts: allHosts });
    objects.push({ role: 'header-hygiene', manifest: envoyFilter });
  }

  let denyAll: Manifest | undefined;
  let allowPolicy: Manifest | undefined;
  let denyPolicy: Manifest | undefined;
  const warnings: PatternWarning[] = [];
  if (props.allow !== false && !dedicated) {
    // ALLOW policies deny every request no ALLOW rule matches, for the whole workload: on a shared
    // workload only a DENY scoped to this gateway's hosts leaves the other hosts and TCP routes alone.
    // The default (every request for the served hosts) then needs no policy at all.
    if (props.allow !== undefined) {
      if (!Array.isArray(props.allow)) ctx.at('allow').fail(ErrorCode.INVALID_AUTHORIZATION, 'allow is not a list of rules', 'give rules, or false');
      renderRules(ctx.at('allow'), props.allow, AuthorizationAction.ALLOW);
      const rules = scopedDenyRules(ctx.at('allow'), props.allow, allHosts);
      if (rules.length) {
        denyPolicy = buildAuthorizationPolicy({
          name: `${name}-deny`, namespace: ingress.namespace, selector: { ...ingress.selector }, action: AuthorizationAction.DENY, rules,
        }).authorizationPolicy;
        objects.push({ role: 'deny', manifest: denyPolicy });
      }
    }
  } else if (props.allow !== false) {
    const selector = { ...ingress.selector };
    denyAll = buildAuthorizationPolicy({ name: `${name}-deny-all`, namespace: ingress.namespace, selector }).authorizationPolicy;
    allowPolicy = buildAuthorizationPolicy({
      name: `${name}-allow`,
      namespace: ingress.namespace,
      selector,
      rules: props.allow ?? [{ to: [{ hosts: allHosts.flatMap((h) => [h, `${h}:*`]) }] }],
    }).authorizationPolicy;
    objects.push({ role: 'deny-all', manifest: denyAll }, { role: 'allow', manifest: allowPolicy });
  }
  if (!dedicated) {
    const labels = Object.entries(ingress.selector).map(([k, v]) => `${k}=${v}`).join(',');
    warnings.push({
      code: WarningCode.SHARED_GATEWAY,
      path: 'gateway',
      message: `the gateway workload ${labels} in ${ingress.namespace} is shared (not deployed by this construct, dedicatedGateway not set): `
        + `this HardenedGateway only governs its own hosts (${allHosts.join(', ')}). It adds no workload-wide default deny, so requests for `
        + 'other hosts, by IP address and through TCP routes of the workload are left to their owners; its allow rules become a DENY for '
        + 'its hosts; headers are removed only on its HTTPS filter chains and routes. Set dedicatedGateway: true if only this gateway uses '
        + 'the workload, or deploy a dedicated one with workload',
    });
  }
  const ref: GatewayRef = { name: placement.name, namespace: placement.namespace, hosts: [...allHosts] };
  const output = { objects, gateway, ref, virtualService, envoyFilter, denyAll, allowPolicy, denyPolicy, proxyConfig, ...(warnings.length ? { warnings } : {}) };
  if (target.api === RoutingApi.ISTIO) return output;
  const translated = renderForTarget(ctx, target, output, {
    pattern: 'hardened-gateway', http: () => ctx, gateway: ctx, gatewayWorkload: ingress, defaultPort: props.backendPort, serverTls: (f) => ctx.at(f),
  });
  return { ...output, ...translated, gateway: translated.objects.find((o) => o.role === 'gateway')!.manifest, virtualService: undefined };
}
