/**
 * TcpIngress: exposes a TCP port of a backend Service, through an ingress gateway (a Gateway
 * `TCP` server plus a VirtualService `tcp` route) or, without a gateway, as a mesh TCP route.
 * Variants: TLS SNI passthrough (`tls` route on a `TLS` server), and weighted routes across
 * versions (with a DestinationRule).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute
 */
import { checkLabelName, checkLabels, checkPort } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { checkGatewayHosts, gatewayManifest, placeGateway } from '../core/gateway';
import { DestinationRuleManifest, GatewayManifest, VirtualServiceManifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput } from '../core/output';
import { IngressGateway, ServiceRef, requireServiceRef } from '../core/references';
import { Version, resolveVersions, splitOf, subsetsOf, weightedDestinations } from '../core/versions';
import { checkProps, propsCtx, registerRetiredProp } from '../core/props';
import { RoutingApi, RoutingTarget, resolveTarget } from '../core/target';
import { renderForTarget } from '../targets/gateway-api';

// istio/istio f70faea2aa8 (#20024, Istio 1.5) stopped reading L4MatchAttributes.sourceSubnet and
// TLSMatchAttributes.sourceSubnet: nothing under pilot/ references SourceSubnet since, and the
// webhook no longer validates it. A route "from" a subnet would silently apply to every source.
registerRetiredProp('TcpIngressProps', 'sourceSubnet',
  'Istio ignores sourceSubnet (unread since 1.5): the route would apply to every source',
  'remove it; restrict callers with an AuthorizationPolicy on the backend pods: from ipBlocks '
  + '(remoteIpBlocks behind a proxy or load balancer), to the backend port');

/** TLS passthrough: the gateway routes by SNI and does not terminate TLS. */
export interface TlsPassthrough {
  /** The SNI hosts accepted (e.g. `['db.example.com']`); wildcards only with `allowWildcardHosts`. */
  readonly sniHosts: string[];
  /**
   * Accept wildcard SNI hosts (`*.example.com`).
   * @default false
   */
  readonly allowWildcardHosts?: boolean;
}

/**
 * Props of a TcpIngress.
 *
 * No `sourceSubnet`: Istio has not read `sourceSubnet` of TCP or TLS route matches since 1.5
 * (istio/istio #20024), so a route "from" a subnet would apply to every source; passing it throws
 * UNKNOWN_PROP. Restrict callers by address with an AuthorizationPolicy selecting the backend
 * workload, with `to: [{ ports }]` the backend's target port: `ipBlocks` (the peer address), or
 * `remoteIpBlocks` when a proxy or load balancer in front preserves the client address (PROXY
 * protocol or X-Forwarded-For on the gateway). An ALLOW policy denies every other port of the
 * workload too; a DENY policy `from: [{ notIpBlocks }]` restricts that port only.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export interface TcpIngressProps<V extends string = string> {
  /** Name of the VirtualService (and DestinationRule, with versions). */
  readonly name: string;
  /** Namespace of the VirtualService. @default - the backend's namespace */
  readonly namespace?: string;
  /** The Service traffic is forwarded to. Its ports must be declared. */
  readonly backend: ServiceRef;
  /**
   * The port clients connect to: on the gateway's Service when `gateway` is set, otherwise on the
   * backend Service (a mesh route).
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  /**
   * The backend Service port traffic goes to. Must be a Service port, never the targetPort.
   * @default - `port` if the backend has it, else the backend's only port
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly backendPort?: number;
  /** The ingress gateway to expose the port on. @default - no gateway: a mesh TCP route */
  readonly gateway?: IngressGateway;
  /** The Gateway object's name. @default `<name>-gateway` */
  readonly gatewayName?: string;
  /** The Gateway object's namespace. @default - the gateway workload's namespace */
  readonly gatewayNamespace?: string;
  /** Only connections from workloads with these labels are routed. @default - any workload */
  readonly sourceLabels?: Record<string, string>;
  /** Weighted routing across versions (subsets of the backend). @default - no versions: the Service as a whole */
  readonly versions?: Version<V>[];
  /** Route TLS by SNI instead of plain TCP. @default - plain TCP */
  readonly tlsPassthrough?: TlsPassthrough;
  /**
   * The API the route is written in. On the Gateway API: a Gateway of class `istio` with a TCP
   * listener (TLS `Passthrough` with `tlsPassthrough`), a TCPRoute (TLSRoute) attached to that
   * listener, or to the backend Service for a mesh route, and one Service `<backend>-<version>`
   * per version (give the backend's `selector`). Refused there: `sourceLabels`. TCPRoute needs
   * Gateway API v1.6 and TLSRoute v1.5 (Istio ignores older ones, IST0176).
   * @default - the program's default target, else the Istio API
   */
  readonly target?: RoutingTarget;
}

/** What `buildTcpIngress` returns. */
export interface TcpIngressOutput extends PatternOutput {
  /** The VirtualService (Istio API target). */
  readonly virtualService?: VirtualServiceManifest;
  readonly gateway?: GatewayManifest;
  readonly destinationRule?: DestinationRuleManifest;
}

/**
 * Builds the objects of a TcpIngress. Pure: no cdk8s or Pulumi.
 *
 * @throws IstioConstructError with codes INVALID_NAME, PORT_OUT_OF_RANGE, SERVICE_PORT_NOT_FOUND,
 *   GATEWAY_PORT_NOT_EXPOSED, INVALID_LABEL, INVALID_HOST, WILDCARD_HOST,
 *   HOSTS_REQUIRED, NO_VERSIONS, DUPLICATE_VERSION, INVALID_WEIGHT, ZERO_TOTAL_WEIGHT, PERCENT_TOTAL;
 *   UNKNOWN_PROP for `sourceSubnet` (Istio ignores it; see TcpIngressProps).
 */
export function buildTcpIngress<const V extends string>(props: TcpIngressProps<V>): TcpIngressOutput {
  checkProps(propsCtx('TcpIngress', props, 'name'), 'TcpIngressProps', props);
  const ctx = new Ctx(`TcpIngress ${show(props.name)}`);
  const target = resolveTarget(ctx.at('target'), props.target);
  const name = checkLabelName(ctx.at('name'), props.name, 'name');
  requireServiceRef(ctx.at('backend'), props.backend);
  const backend = props.backend;
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace ?? backend.namespace, 'namespace');
  const port = checkPort(ctx.at('port'), props.port);
  const backendPort = resolveBackendPort(ctx, backend, port, props.backendPort);
  if (!props.gateway) backend.routePort(ctx.at('port'), port);
  const versions = props.versions ? resolveVersions(ctx.at('versions'), props.versions) : undefined;

  const objects: EmittedObject[] = [];
  let destinationRule: DestinationRuleManifest | undefined;
  if (versions) {
    destinationRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: metadata(name, namespace, 'tcp-ingress', name),
      spec: { host: backend.fqdn, subsets: subsetsOf(versions) },
    };
    objects.push({ role: 'destination-rule', manifest: destinationRule });
  }

  let sniHosts: string[] | undefined;
  if (props.tlsPassthrough) {
    sniHosts = checkGatewayHosts(ctx.at('tlsPassthrough', 'sniHosts'), props.tlsPassthrough.sniHosts, props.tlsPassthrough.allowWildcardHosts);
  }

  let gateway: GatewayManifest | undefined;
  let gateways: string[] | undefined;
  if (props.gateway) {
    const placement = placeGateway(ctx, props.gatewayName ?? `${name}-gateway`, props.gatewayNamespace ?? props.gateway.namespace);
    // A TCP server carries no host: `*` is the only meaningful value and is not a wildcard risk.
    gateway = gatewayManifest(ctx, placement, props.gateway, [sniHosts
      ? { port, protocol: 'TLS', hosts: sniHosts, tls: { mode: 'PASSTHROUGH' } }
      : { port, protocol: 'TCP', hosts: ['*'] }], 'tcp-ingress', name, target);
    objects.push({ role: 'gateway', manifest: gateway });
    gateways = [placement.ref];
  }

  const destination = (subset?: string) => compact({ host: backend.fqdn, subset, port: { number: backendPort } });
  const route = versions
    ? weightedDestinations(splitOf(versions), destination)
    : [{ destination: destination() }];
  if (props.sourceLabels !== undefined && props.gateway) {
    // Istio builds gateway TCP/TLS filter chains without the match's sourceLabels (gateway.go, l4SingleMatch).
    ctx.at('sourceLabels').fail(ErrorCode.CONFLICTING_PROPS,
      'Istio ignores sourceLabels of TCP and TLS matches on gateways, so gateway traffic would be routed whatever its source',
      'leave sourceLabels out with a gateway, or make a mesh route (no gateway) for the labelled callers');
  }
  const sourceLabels = props.sourceLabels ? checkLabels(ctx.at('sourceLabels'), props.sourceLabels, { nonEmpty: true }) : undefined;

  const hosts = sniHosts ?? (props.gateway ? ['*'] : [backend.fqdn]);
  const virtualService: VirtualServiceManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(name, namespace, 'tcp-ingress', name),
    spec: compact({
      hosts,
      gateways,
      tcp: sniHosts ? undefined : [{ match: [compact({ port, sourceLabels })], route }],
      tls: sniHosts ? [{ match: [compact({ port, sniHosts, sourceLabels })], route }] : undefined,
    }),
  };
  objects.push({
    role: 'virtual-service',
    manifest: virtualService,
    dependsOn: [...(destinationRule ? ['destination-rule'] : []), ...(gateway ? ['gateway'] : [])],
  });
  const output: TcpIngressOutput = { objects, virtualService, gateway, destinationRule };
  if (target.api === RoutingApi.ISTIO) return output;
  return renderForTarget(ctx, target, output, {
    pattern: 'tcp-ingress', tcp: () => ctx, tls: () => ctx, gateway: ctx, gatewayWorkload: props.gateway,
    service: backend, versions: ctx.at('versions'), destinationRule: ctx, defaultPort: backendPort,
  });
}

function resolveBackendPort(ctx: Ctx, backend: ServiceRef, port: number, backendPort: number | undefined): number {
  if (backendPort !== undefined) {
    checkPort(ctx.at('backendPort'), backendPort);
    return backend.routePort(ctx.at('backendPort'), backendPort)!;
  }
  if (backend.portsUnknown || backend.ports.some((p) => p.port === port)) return port;
  if (backend.ports.length === 1) return backend.ports[0].port;
  return ctx.at('backendPort').fail(ErrorCode.SERVICE_PORT_NOT_FOUND,
    backend.ports.length === 0
      ? `the ports of Service ${backend.namespace}/${backend.name} are unknown`
      : `Service ${backend.namespace}/${backend.name} has no port ${port} and several others (${backend.ports.map((p) => p.port).join(', ')})`,
    backend.ports.length === 0
      ? 'declare the Service ports with ServiceRef.fromName(name, { namespace, ports })'
      : 'set backendPort to the Service port to route to');
}
