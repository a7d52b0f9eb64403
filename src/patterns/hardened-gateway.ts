/**
 * HardenedGateway: TLS ingress with secure defaults. Emits the Gateway (HTTPS servers with
 * `credentialName`, TLS 1.2 minimum, an HTTP server that only redirects), the VirtualService to the
 * backend with an HSTS response header, header hygiene (no `Server` header, no `x-envoy-*` debug
 * headers), and default-deny authorization on the gateway workload with explicit ALLOW rules.
 * Every default can be overridden; see docs/hardened-gateway.md for the best practice each meets.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/
 */
import { checkLabelName, checkSecretName } from '../core/checks';
import { Duration, DurationLike, resolveDuration } from '../core/duration';
import { Ctx, ErrorCode, show } from '../core/errors';
import { GatewayRef, ServerSpec, checkGatewayHosts, gatewayManifest, placeGateway } from '../core/gateway';
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

/** TLS protocol versions. */
export enum TlsVersion {
  TLSV1_2 = 'TLSV1_2',
  TLSV1_3 = 'TLSV1_3',
}

/** One HTTPS server: hosts and their certificate. One certificate per host set (IST0138). */
export interface HttpsServer {
  /** The hosts this certificate covers. */
  readonly hosts: string[];
  /** The Secret (in the gateway's namespace) with `tls.crt`, `tls.key` (and `ca.crt` for MUTUAL). */
  readonly credentialName: string;
  /** @default ServerTlsMode.SIMPLE */
  readonly mode?: ServerTlsMode;
  /** @default 443 */
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
}

/** What `buildHardenedGateway` returns. */
export interface HardenedGatewayOutput extends PatternOutput {
  readonly gateway: Manifest;
  /** The reference routes bind to (`existingGateway`). */
  readonly ref: GatewayRef;
  readonly virtualService?: Manifest;
  readonly envoyFilter?: Manifest;
  readonly denyAll?: Manifest;
  readonly allowPolicy?: Manifest;
  /** The `proxy.istio.io/config` value set on the dedicated workload, with PROXY_CONFIG hygiene. */
  readonly proxyConfig?: string;
}

/** The Envoy settings that remove `Server` and the `x-envoy-*` debug headers at a gateway. */
function headerHygieneFilter(name: string, namespace: string, selector: Record<string, string>): Manifest {
  const hcm = 'envoy.filters.network.http_connection_manager';
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: metadata(name, namespace, 'hardened-gateway', name),
    spec: {
      workloadSelector: { labels: { ...selector } },
      configPatches: [
        {
          applyTo: 'NETWORK_FILTER',
          match: { context: 'GATEWAY', listener: { filterChain: { filter: { name: hcm } } } },
          patch: {
            operation: 'MERGE',
            value: { typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', server_header_transformation: 'PASS_THROUGH' } },
          },
        },
        {
          applyTo: 'ROUTE_CONFIGURATION',
          match: { context: 'GATEWAY' },
          patch: { operation: 'MERGE', value: { response_headers_to_remove: ['server', 'x-envoy-upstream-service-time'] } },
        },
        {
          applyTo: 'HTTP_FILTER',
          match: { context: 'GATEWAY', listener: { filterChain: { filter: { name: hcm, subFilter: { name: 'envoy.filters.http.router' } } } } },
          patch: { operation: 'MERGE', value: { typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router', suppress_envoy_headers: true } } },
        },
      ],
    },
  };
}

/**
 * Builds the objects of a HardenedGateway. Pure.
 * @throws IstioConstructError HOSTS_REQUIRED, WILDCARD_HOST, INVALID_HOST, INVALID_TLS, GATEWAY_PORT_NOT_EXPOSED,
 *   SERVICE_PORT_NOT_FOUND, INVALID_DURATION, INVALID_NAME and the AuthorizationPolicy codes.
 */
export function buildHardenedGateway(props: HardenedGatewayProps): HardenedGatewayOutput {
  checkProps(propsCtx('HardenedGateway', props, 'name'), 'HardenedGatewayProps', props);
  const ctx = new Ctx(`HardenedGateway ${show(props.name)}`);
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
  const minProtocolVersion = props.minProtocolVersion ?? TlsVersion.TLSV1_2;
  if (!Object.values(TlsVersion).includes(minProtocolVersion)) {
    ctx.at('minProtocolVersion').fail(ErrorCode.INVALID_TLS, `${show(minProtocolVersion)} is below TLS 1.2 or unknown`, 'use TLSV1_2 or TLSV1_3');
  }
  const allHosts: string[] = [];
  const servers: ServerSpec[] = props.servers.map((s, i): ServerSpec => {
    const c = ctx.at('servers', i);
    const hosts = checkGatewayHosts(c.at('hosts'), s.hosts, props.allowWildcardHosts);
    for (const h of hosts) {
      if (allHosts.includes(h)) c.at('hosts').fail(ErrorCode.INVALID_HOST, `host ${h} is served twice`, 'give each host set one certificate (IST0138)');
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
    };
  });
  if (props.cipherSuites !== undefined && (!Array.isArray(props.cipherSuites) || props.cipherSuites.length === 0)) {
    ctx.at('cipherSuites').fail(ErrorCode.INVALID_TLS, 'cipherSuites is empty', 'list suites, or leave it out for Envoy\'s defaults');
  }
  const redirect = props.httpsRedirect ?? true;
  if (redirect) servers.push({ port: 80, protocol: 'HTTP', hosts: allHosts, tls: { httpsRedirect: true } });

  const objects: EmittedObject[] = [...(workload?.objects ?? [])];
  const placement = placeGateway(ctx, name, namespace);
  const gateway = gatewayManifest(ctx, placement, ingress, servers, 'hardened-gateway', name);
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
    envoyFilter = headerHygieneFilter(`${name}-header-hygiene`, ingress.namespace, { ...ingress.selector });
    objects.push({ role: 'header-hygiene', manifest: envoyFilter });
  }

  let denyAll: Manifest | undefined;
  let allowPolicy: Manifest | undefined;
  if (props.allow !== false) {
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
  const ref: GatewayRef = { name: placement.name, namespace: placement.namespace, hosts: [...allHosts] };
  return { objects, gateway, ref, virtualService, envoyFilter, denyAll, allowPolicy, proxyConfig };
}
