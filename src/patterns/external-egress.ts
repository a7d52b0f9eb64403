/**
 * ExternalEgress: a host outside the mesh made known to the mesh. Emits a ServiceEntry (hosts,
 * ports, resolution, location, addresses, endpoints or WorkloadEntries, exportTo), optionally a
 * DestinationRule per host that originates TLS (the application speaks plain HTTP, the proxy
 * speaks TLS to the server), and optionally the objects that send the traffic through an egress
 * gateway (a Gateway on the egress workload, a DestinationRule with a subset per host for the
 * egress gateway's Service, and one VirtualService per host bound to `mesh` and the Gateway).
 *
 * In ambient mode there is no sidecar to route or originate: with `waypoint`, the ServiceEntry is
 * labelled to use a waypoint (Istio's "egress gateway" for ambient: a waypoint in its own
 * namespace, e.g. `istio-egress`), ztunnel hands every mesh connection to the hosts to it, and the
 * waypoint applies the policies attached to the ServiceEntry and originates TLS.
 *
 * Everything a single ServiceEntry can get wrong is refused here; conflicts between several
 * ServiceEntries (IST0177) are the analyzer's job.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/
 * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
 */
import type { ServiceEntrySpec, WorkloadEntrySpec } from '../generated/istio-types';
import { WaypointRef } from '../core/ambient';
import { DNS1123_LABEL, checkCidr, checkHost, checkLabelName, checkLabels, checkPort, checkSecretName, hostsOverlap, isIp } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { EgressGateway, ExternalHost, checkExternalHostName } from '../core/external';
import { gatewayManifest, placeGateway, ServerSpec } from '../core/gateway';
import { HTTPRoute } from '../core/http';
import { DestinationRuleManifest, GatewayManifest, Manifest, VirtualServiceManifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput, PatternWarning, WarningCode } from '../core/output';
import { Protocol, ResolvedPort, ServicePort, resolvePorts } from '../core/ports';
import { checkProps, propsCtx } from '../core/props';
import { requireResolved } from '../core/references';
import { destinationRuleScope } from '../core/traffic-policy';

/**
 * How the proxy finds the addresses behind the hosts (Istio's `ServiceEntry.Resolution`).
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Resolution
 */
export enum ServiceEntryResolution {
  /** The connection already carries its destination address: the proxy forwards to it (hosts are only names for policy). */
  NONE = 'NONE',
  /** The IP addresses of `endpoints` (or the WorkloadEntries) are the backends. */
  STATIC = 'STATIC',
  /** The proxy resolves the host (or each endpoint's DNS name) and balances over every address returned. */
  DNS = 'DNS',
  /** The proxy resolves the host and connects to the first address returned (at most one endpoint). */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** Wildcard hosts only: the proxy resolves each requested name at request time (Envoy's dynamic forward proxy). */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/**
 * Whether the hosts are part of the mesh (Istio's `ServiceEntry.Location`).
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Location
 */
export enum ServiceEntryLocation {
  /** Outside the mesh: no mTLS to it, metrics show it as external. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh (VMs or a registry Kubernetes does not know), with sidecars. */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** A port of the ServiceEntry: a `ServicePort` whose protocol must be given (nothing is guessed for an external port). */
export interface ServiceEntryPort extends ServicePort {
  /**
   * The protocol clients speak on the port: `Protocol.TLS` (or `HTTPS`) when the application
   * encrypts itself, `Protocol.HTTP` for plain HTTP and for a port where the proxy originates TLS
   * (`tlsOrigination`), `Protocol.TCP` for other TCP (which then needs `addresses`).
   */
  readonly protocol: Protocol;
}

/**
 * One backend of the hosts: a ServiceEntry endpoint, or (in `workloadEntries`) a WorkloadEntry.
 * @see https://istio.io/latest/docs/reference/config/networking/workload-entry/
 */
export interface ServiceEntryEndpoint {
  /** An IP address (any resolution), or a DNS name (resolution DNS or DNS_ROUND_ROBIN only). */
  readonly address: string;
  /**
   * The endpoint's port for each ServiceEntry port, keyed by the ServiceEntry port number
   * (`{ 443: 8443 }`); written with the port's name, as Istio wants.
   * @default - the ServiceEntry port's targetPort
   */
  readonly ports?: Record<string, number>;
  /**
   * Load-balancing weight, 1 to 4294967295.
   * @default - equal weights
   * @asType integer
   * @minimum 1
   * @maximum 4294967295
   */
  readonly weight?: number;
  /** The failure domain `region[/zone[/subzone]]`, e.g. `us-east1/us-east1-b`. @default - none */
  readonly locality?: string;
  /** The network the endpoint is in (multi-network meshes). @default - the client's network */
  readonly network?: string;
  /** Labels of the endpoint (DestinationRule subsets select them). @default - none */
  readonly labels?: Record<string, string>;
}

/** The client TLS mode of an origination. */
export enum TlsOriginationMode {
  /** TLS to the server, verifying its certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS: the client certificate comes from `credentialName`. */
  MUTUAL = 'MUTUAL',
}

/**
 * TLS origination: the application sends plain HTTP to a port of the ServiceEntry (say 80), and
 * the proxy opens TLS to the server (on the port's `targetPort`, say 443). The port must be an
 * HTTP (or TCP) port: TLS over a TLS port would be encrypted twice.
 *
 * Without an egress gateway the client's sidecar originates; with `egressGateway`, the egress
 * gateway does, and the sidecar-to-gateway hop is Istio mutual TLS.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export interface TlsOrigination {
  /** @default TlsOriginationMode.SIMPLE */
  readonly mode?: TlsOriginationMode;
  /**
   * The ServiceEntry port whose traffic is encrypted.
   * @default - the egress gateway's port, else the only HTTP port
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /**
   * The SNI sent to the server (one host only).
   * @default - the host; for a wildcard host none, and Envoy sends the request's Host header
   */
  readonly sni?: string;
  /**
   * Path, in the proxy's file system, of the CA bundle that verifies the server's certificate.
   * @default - none: the proxy's system trust store, which istioctl reports (IST0129) and the builder warns about
   */
  readonly caCertificates?: string;
  /**
   * A Secret (in the namespace of the proxy that originates: the construct's namespace, the
   * egress gateway's or the waypoint's) with the CA (`ca.crt`) and, for MUTUAL, the client
   * certificate and key. Sidecars read it only from a DestinationRule with a workload selector:
   * give `workloadSelector`; gateways and waypoints read it without.
   * @default - none (required for MUTUAL)
   */
  readonly credentialName?: string;
  /**
   * Names the server certificate must carry.
   * @default - the host (exact hosts), unless `insecureSkipVerify`
   */
  readonly subjectAltNames?: string[];
  /**
   * Do not verify the server's certificate at all (warned about).
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
  /**
   * Originate only for the workloads with these labels in the construct's namespace (the
   * DestinationRule is then exported to that namespace only). Needed for `credentialName` on
   * sidecars. Not allowed with an egress gateway, which the builder selects itself, nor with a
   * waypoint (ambient clients have no sidecar: the waypoint originates).
   * @default - every client
   */
  readonly workloadSelector?: Record<string, string>;
}

/**
 * Sending one port of the hosts through an egress gateway: in-mesh clients are routed to the
 * egress gateway's Service, and the gateway routes to the external host. Modes follow the port: an
 * HTTP port is routed as HTTP; a TLS/HTTPS port by SNI to a PASSTHROUGH server; with
 * `tlsOrigination`, the gateway originates TLS and the sidecars reach it over Istio mutual TLS.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
export interface EgressGatewayRouting {
  /** The egress gateway workload (`EgressGateway.fromSelector`); its Service must expose `gatewayPort`. */
  readonly gateway: EgressGateway;
  /**
   * The ServiceEntry port routed through the gateway.
   * @default - the only port (required with several)
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /**
   * The port of the egress gateway's Service (and of the Gateway server).
   * @default - the same number as `port`
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly gatewayPort?: number;
  /** The Gateway object's name. @default `<name>-gateway` */
  readonly gatewayName?: string;
  /** The Gateway object's namespace. @default - the egress gateway workload's namespace */
  readonly gatewayNamespace?: string;
}

/** Props of an ExternalEgress. */
export interface ExternalEgressProps {
  /** Name of the ServiceEntry (and the prefix of the other objects' names). */
  readonly name: string;
  /** Namespace of the ServiceEntry, its DestinationRules and VirtualServices. */
  readonly namespace: string;
  /**
   * The external hosts: DNS names with a dot (`httpbin.org`) or wildcards (`*.wikipedia.org`);
   * never `*`, an IP address or a cluster Service name.
   */
  readonly hosts: string[];
  /** The ports clients use, each with its protocol (at least one). */
  readonly ports: ServiceEntryPort[];
  /**
   * How the proxy finds the backends.
   * @default - STATIC when every endpoint (or WorkloadEntry) address is an IP; DNS when some is a
   *   DNS name, or without endpoints for exact hosts; NONE when a host is a wildcard (DYNAMIC_DNS
   *   with a `waypoint`)
   */
  readonly resolution?: ServiceEntryResolution;
  /** @default ServiceEntryLocation.MESH_EXTERNAL */
  readonly location?: ServiceEntryLocation;
  /**
   * Virtual IPs or CIDR blocks of the hosts: what the proxy matches TCP traffic on (CIDRs only with
   * resolution NONE or STATIC).
   * @default - none (Istio allocates one for DNS and STATIC entries)
   */
  readonly addresses?: string[];
  /** The backends, inside the ServiceEntry. @default - none: the hosts themselves (DNS) or the original destination (NONE) */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * The backends as WorkloadEntry objects (named `<name>-<n>`), which the ServiceEntry selects by
   * the label `istio-constructs/service-entry: <name>`. Not with `endpoints`.
   * @default - none
   */
  readonly workloadEntries?: ServiceEntryEndpoint[];
  /**
   * Namespaces that see the hosts and routes (`.` is the construct's own, `*` every namespace).
   * With an egress gateway it must include the gateway's namespace.
   * @default - every namespace
   */
  readonly exportTo?: string[];
  /** TLS origination toward the hosts. @default - none: the application's bytes are sent as they are */
  readonly tlsOrigination?: TlsOrigination;
  /** Route one port through an egress gateway. @default - none: clients' sidecars connect directly */
  readonly egressGateway?: EgressGatewayRouting;
  /**
   * Send the hosts' traffic through a waypoint (ambient mode): the ServiceEntry gets the waypoint's
   * `istio.io/use-waypoint` labels, so ztunnel hands every mesh connection to the hosts to the
   * waypoint, which applies the AuthorizationPolicies that target the ServiceEntry
   * (`PolicyTargetRef.serviceEntry(host)`) and originates TLS (`tlsOrigination`). The waypoint
   * must take `service` traffic and accept this namespace; ztunnel recognises the hosts by their
   * addresses, so resolution NONE needs `addresses`, and wildcard hosts need DYNAMIC_DNS (the
   * default here for wildcards) or `addresses`. Not with `egressGateway` (the sidecar way).
   * @default - none
   * @see https://istio.io/latest/docs/ambient/usage/egress-gateway/
   */
  readonly waypoint?: WaypointRef;
}

/** What `buildExternalEgress` returns. */
export interface ExternalEgressOutput extends PatternOutput {
  readonly serviceEntry: Manifest & { readonly spec: ServiceEntrySpec };
  /** The hosts as typed references, for routes. */
  readonly hosts: ExternalHost[];
  /** The WorkloadEntries, with `workloadEntries`. */
  readonly workloadEntries: Manifest[];
  /** The DestinationRules that originate TLS, one per host, with `tlsOrigination`. */
  readonly tlsOriginations: DestinationRuleManifest[];
  /** The Gateway on the egress workload, with `egressGateway`. */
  readonly gateway?: GatewayManifest;
  /** The DestinationRule of the egress gateway's Service (a subset per host), with `egressGateway`. */
  readonly egressGatewayRule?: DestinationRuleManifest;
  /** The VirtualServices, one per host, with `egressGateway`. */
  readonly virtualServices: VirtualServiceManifest[];
}

/** The label a ServiceEntry selects its WorkloadEntries by. */
const WORKLOAD_ENTRY_LABEL = 'istio-constructs/service-entry';
/** CRD limits of a ServiceEntry. */
const MAX_HOSTS = 256;
const MAX_PORTS = 256;
const MAX_ADDRESSES = 256;
const MAX_ENDPOINTS = 4096;
const PATTERN = 'external-egress';

const HTTP_PROTOCOLS: ReadonlySet<Protocol> = new Set([Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC, Protocol.GRPC_WEB]);
const TLS_PROTOCOLS: ReadonlySet<Protocol> = new Set([Protocol.HTTPS, Protocol.TLS]);
/** The protocols a DYNAMIC_DNS entry supports (Go: `ValidateServiceEntry`, DYNAMIC_DNS case). */
const DYNAMIC_DNS_PROTOCOLS: ReadonlySet<Protocol> = new Set([Protocol.HTTP, Protocol.TLS, Protocol.GRPC, Protocol.HTTP2]);
const isHttp = (p: ResolvedPort) => HTTP_PROTOCOLS.has(p.protocol);
const isTls = (p: ResolvedPort) => TLS_PROTOCOLS.has(p.protocol);
/** Plain TCP as the proxy sees it: neither HTTP (Host header) nor TLS (SNI) tells the hosts apart. */
const isOpaque = (p: ResolvedPort) => !isHttp(p) && !isTls(p);

/**
 * Builds the objects of an ExternalEgress. Pure: no cdk8s or Pulumi.
 *
 * @throws IstioConstructError with codes INVALID_NAME, INVALID_HOST, INVALID_PORT,
 *   PORT_OUT_OF_RANGE, INVALID_CIDR, INVALID_LABEL, INVALID_SERVICE_ENTRY, INVALID_TLS,
 *   GATEWAY_PORT_NOT_EXPOSED, CONFLICTING_PROPS, AMBIENT_UNSUPPORTED (a `waypoint` with sidecar-only
 *   settings, or that the traffic would bypass) (and the props-check codes).
 */
export function buildExternalEgress(props: ExternalEgressProps): ExternalEgressOutput {
  checkProps(propsCtx('ExternalEgress', props, 'name'), 'ExternalEgressProps', props);
  const ctx = new Ctx(`ExternalEgress ${show(props.name)}`);
  const name = checkLabelName(ctx.at('name'), props.name, 'name');
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace, 'namespace');
  const warnings: PatternWarning[] = [];

  const hosts = checkHosts(ctx.at('hosts'), props.hosts);
  const ports = checkPorts(ctx.at('ports'), props.ports);
  const addresses = checkAddresses(ctx.at('addresses'), props.addresses);
  if (props.endpoints !== undefined && props.workloadEntries !== undefined) {
    ctx.at('workloadEntries').fail(ErrorCode.CONFLICTING_PROPS, 'a ServiceEntry takes endpoints or a workload selector (WorkloadEntries), not both',
      'list the backends in endpoints, or in workloadEntries');
  }
  const backendsKey = props.workloadEntries !== undefined ? 'workloadEntries' : 'endpoints';
  const backends = props.workloadEntries ?? props.endpoints;
  if (backends !== undefined && (backends.length === 0 || backends.length > MAX_ENDPOINTS)) {
    ctx.at(backendsKey).fail(ErrorCode.INVALID_SERVICE_ENTRY, `${backendsKey} lists ${backends.length} backends`,
      `list 1 to ${MAX_ENDPOINTS} backends, or leave ${backendsKey} out`);
  }
  const location = props.location ?? ServiceEntryLocation.MESH_EXTERNAL;
  const resolution = props.resolution
    ?? (backends ? (backends.every((b) => isIp(b.address)) ? ServiceEntryResolution.STATIC : ServiceEntryResolution.DNS)
      : hosts.some((h) => h.startsWith('*.')) ? (props.waypoint ? ServiceEntryResolution.DYNAMIC_DNS : ServiceEntryResolution.NONE) : ServiceEntryResolution.DNS);

  checkResolution(ctx, resolution, hosts, ports, addresses, backends, backendsKey);
  const exportTo = checkExportTo(ctx.at('exportTo'), props.exportTo, namespace);

  // Plain TCP is matched on the destination address: without one, the listener takes every
  // connection to the port (IST0134). Go analyzer: serviceentry/protocoladdresses.go.
  ports.forEach((p, i) => {
    if (!isOpaque(p) || addresses.length > 0) return;
    if (resolution === ServiceEntryResolution.NONE) {
      ctx.at('ports', i).fail(ErrorCode.INVALID_SERVICE_ENTRY,
        `${p.protocol} port ${p.port} with resolution NONE and no addresses would take every connection to port ${p.port}, whatever its destination (IST0134)`,
        'give addresses (the IPs or CIDR blocks of the hosts), or declare the port as Protocol.TLS if the clients speak TLS (matched by SNI)');
    }
    warnings.push({
      code: WarningCode.SERVICE_ENTRY_ADDRESSES_REQUIRED,
      path: `ports[${i}]`,
      message: `${p.protocol} port ${p.port} has no addresses: Istio allocates a virtual IP, which clients only reach with DNS proxying `
        + '(ISTIO_META_DNS_CAPTURE); istioctl analyze reports IST0134. Give addresses, or enable DNS capture with auto-allocation',
    });
  });

  const waypointLabels = props.waypoint ? checkWaypoint(ctx, props, { namespace, hosts, resolution, location, addresses, exportTo }) : {};

  const serviceEntryRef = { name, namespace };
  const workloadLabels = { [WORKLOAD_ENTRY_LABEL]: name };
  const renderedBackends = backends?.map((b, i) => renderEndpoint(ctx.at(backendsKey, i), b, ports, resolution));

  const objects: EmittedObject[] = [];
  const serviceEntry = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: withLabels(metadata(name, namespace, PATTERN, name), waypointLabels),
    spec: compact({
      hosts: [...hosts],
      addresses: addresses.length ? [...addresses] : undefined,
      ports: ports.map((p) => compact({ number: p.port, protocol: p.protocol, name: p.name, targetPort: p.targetPort !== p.port ? p.targetPort : undefined })),
      location,
      resolution,
      endpoints: props.endpoints !== undefined ? renderedBackends : undefined,
      workloadSelector: props.workloadEntries !== undefined ? { labels: workloadLabels } : undefined,
      exportTo,
    }) as ServiceEntrySpec,
  };
  objects.push({ role: 'service-entry', manifest: serviceEntry });

  const workloadEntries: Manifest[] = [];
  if (props.workloadEntries !== undefined) {
    renderedBackends!.forEach((we, i) => {
      const manifest: Manifest = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'WorkloadEntry',
        metadata: metadata(`${name}-${i + 1}`, namespace, PATTERN, name),
        spec: compact({ ...we, labels: { ...(we.labels ?? {}), ...workloadLabels } }),
      };
      workloadEntries.push(manifest);
      objects.push({ role: `workload-entry-${i + 1}`, manifest, dependsOn: ['service-entry'] });
    });
  }

  const egress = props.egressGateway ? planEgress(ctx.at('egressGateway'), props.egressGateway, ports, resolution, exportTo, namespace, props.tlsOrigination !== undefined) : undefined;

  const tlsOriginations: DestinationRuleManifest[] = [];
  if (props.tlsOrigination) {
    const rules = originationRules(ctx.at('tlsOrigination'), props.tlsOrigination, { name, namespace, hosts, ports, exportTo, egress, waypoint: props.waypoint }, warnings);
    rules.forEach((dr, i) => {
      tlsOriginations.push(dr);
      objects.push({ role: rules.length === 1 ? 'tls-origination' : `tls-origination-${i + 1}`, manifest: dr, dependsOn: ['service-entry'] });
    });
  }

  let gateway: GatewayManifest | undefined;
  let egressGatewayRule: DestinationRuleManifest | undefined;
  const virtualServices: VirtualServiceManifest[] = [];
  if (egress) {
    const g = ctx.at('egressGateway');
    const placement = placeGateway(g, props.egressGateway!.gatewayName ?? `${name}-gateway`, props.egressGateway!.gatewayNamespace ?? egress.gateway.namespace);
    const server: ServerSpec = egress.mode === 'tls-passthrough'
      ? { port: egress.gatewayPort, protocol: 'TLS', hosts: [...hosts], tls: { mode: 'PASSTHROUGH' } }
      : egress.mode === 'tls-origination'
        ? { port: egress.gatewayPort, protocol: 'HTTPS', hosts: [...hosts], tls: { mode: 'ISTIO_MUTUAL' } }
        : { port: egress.gatewayPort, protocol: 'HTTP', hosts: [...hosts] };
    gateway = gatewayManifest(g, placement, egress.gateway, [server], PATTERN, name);
    objects.push({ role: 'gateway', manifest: gateway });

    const subsetOf = (i: number) => (hosts.length === 1 ? name : `${name}-${i + 1}`);
    hosts.forEach((_, i) => checkLabelName(g, subsetOf(i), 'subset name'));
    egressGatewayRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: metadata(`${name}-egress-gateway`, namespace, PATTERN, name),
      spec: compact({
        host: egress.gateway.fqdn,
        exportTo,
        subsets: hosts.map((h, i) => compact({
          name: subsetOf(i),
          // The sidecar reaches the gateway's ISTIO_MUTUAL server with the host as SNI (Istio's
          // egress-gateway-tls-origination task).
          trafficPolicy: egress.mode === 'tls-origination'
            ? { portLevelSettings: [{ port: { number: egress.gatewayPort }, tls: { mode: 'ISTIO_MUTUAL' as const, sni: h } }] }
            : undefined,
        })),
      }),
    };
    objects.push({ role: 'egress-gateway-destination-rule', manifest: egressGatewayRule, dependsOn: ['service-entry'] });

    const drRoles = objects.filter((o) => o.manifest.kind === 'DestinationRule').map((o) => o.role);
    hosts.forEach((h, i) => {
      const toGateway = [{ destination: { host: egress.gateway.fqdn, subset: subsetOf(i), port: { number: egress.gatewayPort } } }];
      const toHost = [{ destination: { host: h, port: { number: egress.port.port } } }];
      const meshMatch = { gateways: ['mesh'], port: egress.port.port };
      const gatewayMatch = { gateways: [placement.ref], port: egress.gatewayPort };
      const spec = egress.mode === 'tls-passthrough'
        ? {
          hosts: [h], gateways: [placement.ref, 'mesh'], exportTo,
          tls: [
            { match: [{ ...meshMatch, sniHosts: [h] }], route: toGateway },
            { match: [{ ...gatewayMatch, sniHosts: [h] }], route: toHost },
          ],
        }
        : {
          hosts: [h], gateways: [placement.ref, 'mesh'], exportTo,
          http: [
            { match: [meshMatch], route: toGateway },
            { match: [gatewayMatch], route: toHost },
          ] as HTTPRoute[],
        };
      const vs: VirtualServiceManifest = {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: metadata(hosts.length === 1 ? name : `${name}-${i + 1}`, namespace, PATTERN, name),
        spec: compact(spec),
      };
      virtualServices.push(vs);
      // The subsets and the Gateway must exist before a route names them.
      objects.push({ role: hosts.length === 1 ? 'virtual-service' : `virtual-service-${i + 1}`, manifest: vs, dependsOn: ['service-entry', ...drRoles, 'gateway'] });
    });
  }

  const resolvedHosts = hosts.map((h) => ExternalHost.declaredBy(serviceEntryRef, h, ports));
  return {
    objects,
    serviceEntry,
    hosts: resolvedHosts,
    workloadEntries,
    tlsOriginations,
    gateway,
    egressGatewayRule,
    virtualServices,
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * The host `name` among a construct's `hosts`. @internal
 * @throws IstioConstructError INVALID_HOST when it is not one of them.
 */
export function hostOf(hosts: readonly ExternalHost[], name: string, construct: string): ExternalHost {
  const found = hosts.find((h) => h.host === name);
  if (!found) {
    new Ctx(`ExternalEgress ${show(construct)}`).fail(ErrorCode.INVALID_HOST, `${show(name)} is not one of the hosts (${show(hosts.map((h) => h.host))})`,
      'give one of the hosts the construct declares');
  }
  return found!;
}

/** Hosts: 1-256, each an external host name, none twice, none covered by another (a wildcard). */
function checkHosts(ctx: Ctx, hosts: readonly string[]): string[] {
  if (hosts.length === 0 || hosts.length > MAX_HOSTS) {
    ctx.fail(ErrorCode.INVALID_HOST, `a ServiceEntry needs 1 to ${MAX_HOSTS} hosts (got ${hosts.length})`, 'list the external hosts, e.g. ["httpbin.org"]');
  }
  const seen: string[] = [];
  return hosts.map((h, i) => {
    checkExternalHostName(ctx.at(i), h);
    const other = seen.find((o) => hostsOverlap(o, h));
    if (other !== undefined) {
      ctx.at(i).fail(ErrorCode.INVALID_HOST, other === h ? `host ${h} is listed twice` : `host ${h} overlaps ${other}`,
        'list each host once, and drop an exact host a wildcard already covers');
    }
    seen.push(h);
    return h;
  });
}

/** Ports: 1-256, resolved (names `<protocol>[-suffix]`, numbers and names unique); UDP is not proxied. */
function checkPorts(ctx: Ctx, ports: readonly ServiceEntryPort[]): ResolvedPort[] {
  if (ports.length === 0 || ports.length > MAX_PORTS) {
    ctx.fail(ErrorCode.INVALID_PORT, `a ServiceEntry needs 1 to ${MAX_PORTS} ports (got ${ports.length})`,
      'list the ports clients use, e.g. [{ port: 443, protocol: Protocol.TLS }]');
  }
  // A ServiceEntry port carries its protocol, so its name need not (Istio only checks it is a
  // DNS label; IST0118 is about Kubernetes Service ports): the seed's `https` TLS port is fine.
  const resolved = resolvePorts(ctx, ports.map(({ name: _, ...p }) => p)).map((p, i) => {
    const given = ports[i].name;
    if (given === undefined) return p;
    if (given.length > 63 || !DNS1123_LABEL.test(given)) {
      ctx.at(i, 'name').fail(ErrorCode.INVALID_PORT, `port name ${show(given)} is not a DNS-1123 label`, 'use lower-case letters, digits and "-", e.g. "https" or "tls-api"');
    }
    return { ...p, name: given };
  });
  const names = new Set<string>();
  resolved.forEach((p, i) => {
    if (names.has(p.name)) ctx.at(i, 'name').fail(ErrorCode.INVALID_PORT, `port name ${show(p.name)} is used twice`, 'give each port its own name');
    names.add(p.name);
  });
  resolved.forEach((p, i) => {
    if (p.protocol === Protocol.UDP) {
      ctx.at(i, 'protocol').fail(ErrorCode.INVALID_PORT, 'Istio\'s proxies do not carry UDP, so a UDP port of a ServiceEntry routes nothing',
        'leave the UDP port out (its traffic bypasses the proxy), or use a TCP protocol');
    }
  });
  return resolved;
}

/** Addresses: IPs or CIDR blocks, at most 256, none twice. */
function checkAddresses(ctx: Ctx, addresses: readonly string[] | undefined): string[] {
  const list = addresses ?? [];
  if (list.length > MAX_ADDRESSES) ctx.fail(ErrorCode.INVALID_SERVICE_ENTRY, `${list.length} addresses are more than a ServiceEntry holds (${MAX_ADDRESSES})`, 'use CIDR blocks to cover several addresses');
  const seen = new Set<string>();
  return list.map((a, i) => {
    checkCidr(ctx.at(i), a);
    if (seen.has(a)) ctx.at(i).fail(ErrorCode.INVALID_CIDR, `address ${a} is listed twice`, 'list each address once');
    seen.add(a);
    return a;
  });
}

/**
 * Istio's rules for the resolution (Go: `ValidateServiceEntry` in pkg/config/validation), plus the
 * ones that are admitted but route nothing (STATIC without backends).
 */
function checkResolution(ctx: Ctx, resolution: ServiceEntryResolution, hosts: readonly string[], ports: readonly ResolvedPort[],
  addresses: readonly string[], backends: readonly ServiceEntryEndpoint[] | undefined, backendsKey: string): void {
  const r = ctx.at('resolution');
  if (!Object.values(ServiceEntryResolution).includes(resolution)) {
    r.fail(ErrorCode.INVALID_SERVICE_ENTRY, `${show(resolution)} is not a resolution`, `use one of ${Object.values(ServiceEntryResolution).join(', ')}`);
  }
  const wildcard = hosts.find((h) => h.startsWith('*.'));
  if (addresses.some((a) => a.includes('/')) && resolution !== ServiceEntryResolution.NONE && resolution !== ServiceEntryResolution.STATIC) {
    ctx.at('addresses').fail(ErrorCode.INVALID_SERVICE_ENTRY, `CIDR blocks in addresses need resolution NONE or STATIC, not ${resolution}`,
      'give single IP addresses, or use resolution NONE or STATIC');
  }
  switch (resolution) {
    case ServiceEntryResolution.NONE:
      if (backends) {
        ctx.at(backendsKey).fail(ErrorCode.INVALID_SERVICE_ENTRY, `resolution NONE forwards to the original destination, so ${backendsKey} would be ignored (Istio refuses endpoints with NONE)`,
          `use resolution STATIC (IP addresses) or DNS (names), or leave ${backendsKey} out`);
      }
      break;
    case ServiceEntryResolution.STATIC:
      if (!backends) {
        r.fail(ErrorCode.INVALID_SERVICE_ENTRY, 'resolution STATIC sends traffic to the endpoints\' IP addresses, and there are none',
          'list endpoints (or workloadEntries) with IP addresses, or use resolution DNS to resolve the hosts');
      }
      backends!.forEach((b, i) => {
        if (typeof b.address === 'string' && !isIp(b.address)) {
          ctx.at(backendsKey, i, 'address').fail(ErrorCode.INVALID_SERVICE_ENTRY, `resolution STATIC needs IP addresses; ${show(b.address)} is not one`,
            'give the IP address, or use resolution DNS for DNS names');
        }
      });
      break;
    case ServiceEntryResolution.DNS:
    case ServiceEntryResolution.DNS_ROUND_ROBIN:
      // WorkloadEntries do not count: Istio's webhook looks at the ServiceEntry's own endpoints.
      if ((!backends || backendsKey !== 'endpoints') && wildcard !== undefined) {
        ctx.at('hosts', hosts.indexOf(wildcard)).fail(ErrorCode.INVALID_SERVICE_ENTRY,
          `resolution ${resolution} without endpoints resolves the hosts themselves, and the wildcard ${wildcard} cannot be resolved`,
          'use resolution DYNAMIC_DNS (resolved per request) or NONE for wildcard hosts, or list endpoints (not workloadEntries)');
      }
      if (resolution === ServiceEntryResolution.DNS_ROUND_ROBIN && backends && backends.length > 1) {
        ctx.at(backendsKey).fail(ErrorCode.INVALID_SERVICE_ENTRY, 'resolution DNS_ROUND_ROBIN takes at most one endpoint',
          'use resolution DNS to balance over several endpoints');
      }
      break;
    case ServiceEntryResolution.DYNAMIC_DNS:
      hosts.forEach((h, i) => {
        if (!h.startsWith('*.')) {
          ctx.at('hosts', i).fail(ErrorCode.INVALID_SERVICE_ENTRY, `resolution DYNAMIC_DNS needs wildcard hosts; ${h} is not one`,
            'use a wildcard such as "*.example.com", or resolution DNS for exact hosts');
        }
      });
      if (addresses.length > 0) {
        ctx.at('addresses').fail(ErrorCode.INVALID_SERVICE_ENTRY, 'resolution DYNAMIC_DNS takes no addresses (the destination comes from the request)',
          'leave addresses out, or use another resolution');
      }
      if (backends) {
        ctx.at(backendsKey).fail(ErrorCode.INVALID_SERVICE_ENTRY, `resolution DYNAMIC_DNS takes no ${backendsKey} (the destination comes from the request)`,
          `leave ${backendsKey} out, or use resolution STATIC or DNS`);
      }
      ports.forEach((p, i) => {
        if (!DYNAMIC_DNS_PROTOCOLS.has(p.protocol)) {
          ctx.at('ports', i, 'protocol').fail(ErrorCode.INVALID_SERVICE_ENTRY, `resolution DYNAMIC_DNS supports HTTP, HTTP2, GRPC and TLS ports, not ${p.protocol}`,
            p.protocol === Protocol.HTTPS ? 'declare the port as Protocol.TLS' : 'use one of those protocols, or another resolution');
        }
      });
      break;
  }
  // Go: "multiple hosts provided with non-HTTP, non-TLS ports" (hosts are ignored only with NONE).
  if (resolution !== ServiceEntryResolution.NONE && hosts.length > 1) {
    const i = ports.findIndex(isOpaque);
    if (i >= 0) {
      ctx.at('ports', i).fail(ErrorCode.INVALID_SERVICE_ENTRY,
        `${ports[i].protocol} port ${ports[i].port} cannot tell the ${hosts.length} hosts apart (no Host header, no SNI), and Istio refuses several hosts with such a port`,
        'use one ExternalEgress per host for this port, or an HTTP or TLS protocol');
    }
  }
}

/** exportTo: `.`, `*` or namespace names, none twice (`.` is the own namespace), `*` alone. */
function checkExportTo(ctx: Ctx, exportTo: readonly string[] | undefined, namespace: string): string[] | undefined {
  if (exportTo === undefined) return undefined;
  if (exportTo.length === 0) ctx.fail(ErrorCode.INVALID_NAME, 'exportTo is empty', 'list namespaces (or "." / "*"), or leave exportTo out for every namespace');
  const seen = new Set<string>();
  exportTo.forEach((e, i) => {
    if (e !== '.' && e !== '*') checkLabelName(ctx.at(i), e, 'exportTo namespace');
    const key = e === '.' ? namespace : e;
    if (seen.has(key)) ctx.at(i).fail(ErrorCode.INVALID_NAME, `exportTo names ${key} twice${e === '.' ? ' ("." is the own namespace)' : ''}`, 'list each namespace once');
    seen.add(key);
  });
  if (seen.has('*') && exportTo.length > 1) ctx.fail(ErrorCode.INVALID_NAME, 'exportTo "*" (every namespace) cannot be combined with other entries', 'give "*" alone, or list namespaces');
  return [...exportTo];
}

/** Whether `exportTo` makes objects of `namespace` visible in `target`. */
function visibleIn(exportTo: readonly string[] | undefined, namespace: string, target: string): boolean {
  return exportTo === undefined || exportTo.some((e) => e === '*' || e === target || (e === '.' && namespace === target));
}

const LOCALITY_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Renders one endpoint (or WorkloadEntry spec): address by resolution, ports by name, weight, locality, network, labels. */
function renderEndpoint(ctx: Ctx, b: ServiceEntryEndpoint, ports: readonly ResolvedPort[], resolution: ServiceEntryResolution): WorkloadEntrySpec {
  if (!isIp(b.address)) {
    // STATIC was checked for IPs already; DNS takes a DNS name.
    checkHost(ctx.at('address'), b.address);
    if (b.address.startsWith('*') || resolution === ServiceEntryResolution.STATIC) {
      ctx.at('address').fail(ErrorCode.INVALID_SERVICE_ENTRY, `${show(b.address)} is neither an IP address nor a DNS name`, 'give an IP address, or a DNS name with resolution DNS');
    }
  }
  let endpointPorts: Record<string, number> | undefined;
  if (b.ports !== undefined) {
    const keys = Object.keys(b.ports);
    if (keys.length === 0) ctx.at('ports').fail(ErrorCode.INVALID_PORT, 'ports is empty', 'map ServiceEntry ports to endpoint ports ({ 443: 8443 }), or leave ports out');
    endpointPorts = {};
    for (const key of keys.sort((x, y) => Number(x) - Number(y))) {
      const c = ctx.at('ports', key);
      const port = /^[1-9][0-9]{0,4}$/.test(key) ? ports.find((p) => p.port === Number(key)) : undefined;
      if (!port) {
        c.fail(ErrorCode.SERVICE_PORT_NOT_FOUND, `${show(key)} is not a port number of the ServiceEntry (it has ${ports.map((p) => p.port).join(', ')})`,
          'key the map by ServiceEntry port numbers, e.g. { 443: 8443 }');
      }
      endpointPorts[port!.name] = checkPort(c, b.ports[key]);
    }
  }
  if (b.locality !== undefined) {
    const parts = b.locality.split('/');
    if (parts.length > 3 || parts.some((p) => !LOCALITY_PART.test(p))) {
      ctx.at('locality').fail(ErrorCode.INVALID_SERVICE_ENTRY, `${show(b.locality)} is not a locality`, 'write region[/zone[/subzone]], e.g. "us-east1/us-east1-b"');
    }
  }
  if (b.network !== undefined && (b.network.length > 63 || !LABEL_VALUE.test(b.network))) {
    ctx.at('network').fail(ErrorCode.INVALID_SERVICE_ENTRY, `${show(b.network)} is not a network name`,
      'use the value of the topology.istio.io/network label: at most 63 letters, digits, "-", "_" or "."');
  }
  return compact({
    address: b.address,
    ports: endpointPorts,
    weight: b.weight,
    locality: b.locality,
    network: b.network,
    labels: b.labels !== undefined ? checkLabels(ctx.at('labels'), b.labels, { nonEmpty: true }) : undefined,
  });
}

/** How one port goes through the egress gateway. */
interface EgressPlan {
  readonly gateway: EgressGateway;
  readonly port: ResolvedPort;
  readonly gatewayPort: number;
  readonly mode: 'http' | 'tls-passthrough' | 'tls-origination';
}

function planEgress(ctx: Ctx, e: EgressGatewayRouting, ports: readonly ResolvedPort[], resolution: ServiceEntryResolution,
  exportTo: readonly string[] | undefined, namespace: string, originate: boolean): EgressPlan {
  requireResolved(ctx.at('gateway'), e.gateway);
  const gateway = e.gateway;
  if (resolution === ServiceEntryResolution.NONE) {
    ctx.fail(ErrorCode.INVALID_SERVICE_ENTRY,
      'resolution NONE forwards to the original destination address: at the egress gateway that is the gateway itself, so traffic would loop back into it',
      'use resolution DNS (DYNAMIC_DNS for wildcard hosts), or STATIC with endpoints');
  }
  let port: ResolvedPort;
  if (e.port !== undefined) {
    const found = ports.find((p) => p.port === e.port);
    if (!found) {
      ctx.at('port').fail(ErrorCode.SERVICE_PORT_NOT_FOUND, `${e.port} is not a port of the ServiceEntry (it has ${ports.map((p) => p.port).join(', ')})`,
        'give the ServiceEntry port whose traffic goes through the gateway');
    }
    port = found!;
  } else {
    if (ports.length > 1) {
      ctx.at('port').fail(ErrorCode.SERVICE_PORT_NOT_FOUND, `the ServiceEntry has several ports (${ports.map((p) => p.port).join(', ')})`,
        'give port: the one whose traffic goes through the gateway');
    }
    port = ports[0];
  }
  const gatewayPort = checkPort(ctx.at('gatewayPort'), e.gatewayPort ?? port.port);
  const mode = originate ? 'tls-origination' : isTls(port) ? 'tls-passthrough' : isHttp(port) ? 'http' : undefined;
  if (mode === undefined) {
    ctx.at('port').fail(ErrorCode.INVALID_SERVICE_ENTRY, `${port.protocol} port ${port.port} cannot be routed through the gateway by host (no Host header, no SNI)`,
      'route an HTTP or TLS port through the egress gateway');
  }
  // The gateway proxy must see the ServiceEntry and the VirtualService.
  if (!visibleIn(exportTo, namespace, gateway.namespace)) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, `exportTo hides the hosts and routes from the egress gateway's namespace ${gateway.namespace}, so the gateway could not route them`,
      `add "${gateway.namespace}" to exportTo (or leave exportTo out)`);
  }
  return { gateway, port, gatewayPort, mode: mode! };
}

interface OriginationContext {
  readonly name: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly ports: readonly ResolvedPort[];
  readonly exportTo: readonly string[] | undefined;
  readonly egress: EgressPlan | undefined;
  readonly waypoint: WaypointRef | undefined;
}

/** Labels added to an object's metadata. */
function withLabels<M extends { labels?: Record<string, string> }>(m: M, labels: Record<string, string>): M {
  return Object.keys(labels).length ? { ...m, labels: { ...(m.labels ?? {}), ...labels } } : m;
}

/**
 * Checks what sending the hosts through a waypoint needs, and returns the ServiceEntry's
 * use-waypoint labels. Facts from Istio's ambient service registry
 * (pilot/pkg/serviceregistry/ambient/services.go, waypoints.go): ztunnel matches a connection to a
 * ServiceEntry by its addresses (given, or allocated by Istio: never for resolution NONE, and for
 * wildcard hosts only with DYNAMIC_DNS), and a waypoint serves a ServiceEntry whose namespace it
 * accepts and which its namespace can see.
 */
function checkWaypoint(ctx: Ctx, props: ExternalEgressProps, se: {
  namespace: string; hosts: readonly string[]; resolution: ServiceEntryResolution; location: ServiceEntryLocation;
  addresses: readonly string[]; exportTo: readonly string[] | undefined;
}): Record<string, string> {
  const c = ctx.at('waypoint');
  const waypoint = props.waypoint!;
  if (props.egressGateway !== undefined) {
    ctx.at('egressGateway').fail(ErrorCode.AMBIENT_UNSUPPORTED,
      'egressGateway routes through an egress gateway with a VirtualService bound to "mesh", which only sidecars apply: ambient clients have none, and the waypoint already is the egress point',
      'remove egressGateway (the waypoint takes the traffic), or remove waypoint for sidecar clients');
  }
  if (props.tlsOrigination?.workloadSelector !== undefined) {
    ctx.at('tlsOrigination', 'workloadSelector').fail(ErrorCode.AMBIENT_UNSUPPORTED,
      'workloadSelector picks the client sidecars that originate TLS; with a waypoint the waypoint originates for every client',
      'remove workloadSelector');
  }
  if (se.addresses.length === 0) {
    if (se.resolution === ServiceEntryResolution.NONE) {
      ctx.at('resolution').fail(ErrorCode.AMBIENT_UNSUPPORTED,
        'ztunnel sends a connection to the waypoint when it recognises the destination address as the ServiceEntry\'s; with resolution NONE and no addresses Istio allocates none, so the traffic bypasses the waypoint',
        'use resolution DNS (DYNAMIC_DNS for wildcard hosts), or give addresses');
    }
    const wildcard = se.hosts.findIndex((h) => h.startsWith('*.'));
    if (wildcard >= 0 && se.resolution !== ServiceEntryResolution.DYNAMIC_DNS) {
      ctx.at('hosts', wildcard).fail(ErrorCode.AMBIENT_UNSUPPORTED,
        `Istio allocates no address to the wildcard ${se.hosts[wildcard]} with resolution ${se.resolution}, so ztunnel cannot recognise its traffic and it bypasses the waypoint`,
        'use resolution DYNAMIC_DNS (the default for wildcard hosts with a waypoint), or give addresses');
    }
  }
  if (se.resolution === ServiceEntryResolution.DYNAMIC_DNS && se.location === ServiceEntryLocation.MESH_INTERNAL) {
    ctx.at('location').fail(ErrorCode.INVALID_SERVICE_ENTRY, 'Istio refuses location MESH_INTERNAL with resolution DYNAMIC_DNS on a ServiceEntry that uses a waypoint',
      'use location MESH_EXTERNAL');
  }
  if (!visibleIn(se.exportTo, se.namespace, waypoint.namespace)) {
    ctx.at('exportTo').fail(ErrorCode.CONFLICTING_PROPS, `exportTo hides the ServiceEntry from the waypoint's namespace ${waypoint.namespace}, so the waypoint could not serve it`,
      `add "${waypoint.namespace}" to exportTo (or leave exportTo out)`);
  }
  return waypoint.useLabelsAt(c, se.namespace, 'ServiceEntry');
}

/** The DestinationRules that originate TLS, one per host (a DestinationRule has one host). */
function originationRules(ctx: Ctx, t: TlsOrigination, o: OriginationContext, warnings: PatternWarning[]): DestinationRuleManifest[] {
  const mode = t.mode ?? TlsOriginationMode.SIMPLE;
  if (!Object.values(TlsOriginationMode).includes(mode)) {
    ctx.at('mode').fail(ErrorCode.INVALID_TLS, `${show(mode)} is not a TLS origination mode`, 'use SIMPLE or MUTUAL');
  }
  // The port: given, the egress gateway's, or the only HTTP one.
  let port: ResolvedPort;
  if (t.port !== undefined) {
    const found = o.ports.find((p) => p.port === t.port);
    if (!found) {
      ctx.at('port').fail(ErrorCode.SERVICE_PORT_NOT_FOUND, `${t.port} is not a port of the ServiceEntry (it has ${o.ports.map((p) => p.port).join(', ')})`,
        'give the HTTP port of the ServiceEntry the application sends plain text to');
    }
    port = found!;
    if (o.egress && o.egress.port.port !== port.port) {
      ctx.at('port').fail(ErrorCode.CONFLICTING_PROPS, `with an egress gateway, TLS is originated on the port routed through it (${o.egress.port.port}), not ${port.port}`,
        'leave tlsOrigination.port out, or make egressGateway.port the same');
    }
  } else if (o.egress) {
    port = o.egress.port;
  } else {
    const http = o.ports.filter(isHttp);
    if (http.length !== 1) {
      ctx.at('port').fail(ErrorCode.SERVICE_PORT_NOT_FOUND,
        http.length === 0 ? 'the ServiceEntry has no HTTP port to originate TLS on' : `the ServiceEntry has several HTTP ports (${http.map((p) => p.port).join(', ')})`,
        http.length === 0 ? 'declare the port the application uses as Protocol.HTTP with targetPort: 443, e.g. { port: 80, protocol: Protocol.HTTP, targetPort: 443 }'
          : 'give tlsOrigination.port');
    }
    port = http[0];
  }
  const portIndex = o.ports.indexOf(port);
  if (isTls(port)) {
    // The S7 seed's mistake: an HTTPS port (the application already encrypts) plus SIMPLE origination.
    ctx.fail(ErrorCode.INVALID_TLS,
      `port ${port.port} is ${port.protocol}: the application already encrypts; originating TLS would encrypt twice`,
      `declare the application's port as plain HTTP mapped to the server's TLS port ({ port: 80, protocol: Protocol.HTTP, targetPort: ${port.targetPort} }), or drop tlsOrigination`);
  }
  if (port.targetPort === 80) {
    ctx.at('port').fail(ErrorCode.INVALID_TLS, `port ${port.port} forwards to the server's port 80, which speaks plain HTTP, not TLS`,
      `set targetPort: 443 on ports[${portIndex}] (the server's TLS port)`);
  }
  const exact = o.hosts.every((h) => !h.startsWith('*.'));
  if (o.egress && !exact) {
    ctx.fail(ErrorCode.INVALID_TLS, 'TLS origination at an egress gateway needs exact hosts: the sidecar names the host as SNI toward the gateway',
      'list exact hosts, or originate at the sidecars (no egressGateway)');
  }
  if (t.sni !== undefined) {
    checkHost(ctx.at('sni'), t.sni);
    if (t.sni.startsWith('*') || !t.sni.includes('.')) ctx.at('sni').fail(ErrorCode.INVALID_TLS, `${show(t.sni)} is not a server name`, 'give the DNS name the server expects, e.g. "wikipedia.org"');
    if (o.hosts.length > 1) ctx.at('sni').fail(ErrorCode.INVALID_TLS, 'one SNI for several hosts would send every host\'s name as that one', 'leave sni out (each host is its own SNI), or use one ExternalEgress per host');
  }
  if (t.caCertificates !== undefined && (t.caCertificates === '' || /[\0\n\r]/.test(t.caCertificates))) {
    ctx.at('caCertificates').fail(ErrorCode.INVALID_TLS, `${show(t.caCertificates)} is not a file path`, 'give the path of the CA bundle mounted in the proxy, e.g. "/etc/certs/ca.pem"');
  }
  if (t.credentialName !== undefined) checkSecretName(ctx.at('credentialName'), t.credentialName);
  if (mode === TlsOriginationMode.MUTUAL && t.credentialName === undefined) {
    ctx.at('credentialName').fail(ErrorCode.INVALID_TLS, 'MUTUAL needs the client certificate', 'give credentialName: the Secret with tls.crt, tls.key and ca.crt');
  }
  if (t.credentialName !== undefined && t.caCertificates !== undefined) {
    ctx.at('caCertificates').fail(ErrorCode.INVALID_TLS, 'with credentialName the CA comes from the Secret (ca.crt); Istio refuses both', 'put the CA in the Secret, or drop credentialName');
  }
  const skip = t.insecureSkipVerify === true;
  if (skip && (t.caCertificates !== undefined || t.subjectAltNames !== undefined || (mode === TlsOriginationMode.SIMPLE && t.credentialName !== undefined))) {
    ctx.at('insecureSkipVerify').fail(ErrorCode.INVALID_TLS, 'insecureSkipVerify turns verification off, yet a CA or subjectAltNames is set (Istio refuses the mix)',
      'drop insecureSkipVerify to verify the server, or drop the CA and subjectAltNames');
  }
  const sans = t.subjectAltNames?.map((s, i) => {
    if (typeof s !== 'string' || s.length === 0 || s.length > 253 || /[\s\0]/.test(s)) {
      ctx.at('subjectAltNames', i).fail(ErrorCode.INVALID_TLS, `${show(s)} is not a subject alternative name`, 'give a DNS name or URI the server certificate carries');
    }
    return s;
  });
  if (t.subjectAltNames !== undefined && sans!.length === 0) ctx.at('subjectAltNames').fail(ErrorCode.INVALID_TLS, 'subjectAltNames is empty', 'list the names, or leave it out (the host is used)');

  // Where the rule applies: the egress gateway (its namespace, its pods), the selected workloads, or every client.
  let namespace = o.namespace;
  let scope: { workloadSelector?: { matchLabels: Record<string, string> }; exportTo?: string[] };
  if (o.egress) {
    if (t.workloadSelector !== undefined) {
      ctx.at('workloadSelector').fail(ErrorCode.CONFLICTING_PROPS, 'with an egress gateway the gateway originates TLS, and the builder selects its pods',
        'leave workloadSelector out');
    }
    namespace = o.egress.gateway.namespace;
    scope = destinationRuleScope(ctx, { ...o.egress.gateway.selector }, []);
  } else if (o.waypoint) {
    // The waypoint originates; like gateways, it reads credentialName without a workload selector.
    scope = destinationRuleScope(ctx, undefined, []);
  } else {
    scope = destinationRuleScope(ctx, t.workloadSelector, []);
    if (t.workloadSelector === undefined && t.credentialName !== undefined) {
      // destinationRuleScope's rule, at this prop's path.
      ctx.at('credentialName').fail(ErrorCode.INVALID_TLS,
        'sidecars ignore credentialName without workloadSelector (only gateways read it): the connection would leave without it',
        'add workloadSelector: the labels of the client pods, in this namespace');
    }
  }
  const caFromSecret = t.credentialName !== undefined && (scope.workloadSelector !== undefined || o.waypoint !== undefined);
  if (skip) {
    warnings.push({
      code: WarningCode.SERVER_CERTIFICATE_NOT_VERIFIED,
      path: 'tlsOrigination.insecureSkipVerify',
      message: 'the server\'s certificate is not verified: anyone on the path can pose as the host. Give caCertificates or credentialName instead',
    });
  } else if (t.caCertificates === undefined && !caFromSecret) {
    warnings.push({
      code: WarningCode.SERVER_CERTIFICATE_NOT_VERIFIED,
      path: 'tlsOrigination',
      message: 'no CA is set: the proxy verifies the server against its system trust store (any public CA), and istioctl analyze reports IST0129. '
        + (o.waypoint ? 'Pin the CA with caCertificates, or credentialName (a Secret in the waypoint\'s namespace)' : 'Pin the CA with caCertificates, or credentialName with a workloadSelector'),
    });
  }

  return o.hosts.map((h, i) => {
    const wildcard = h.startsWith('*.');
    // No SNI for a wildcard: Istio then sets Envoy's auto SNI (from the Host header) and checks the certificate against it.
    const sni = t.sni ?? (wildcard ? undefined : h);
    const subjectAltNames = skip ? undefined : sans ?? (wildcard ? undefined : [h]);
    const drName = o.hosts.length === 1 ? `${o.name}-tls` : `${o.name}-tls-${i + 1}`;
    return {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: metadata(drName, namespace, PATTERN, o.name),
      spec: compact({
        host: h,
        ...scope,
        exportTo: scope.exportTo ?? (o.egress ? undefined : o.exportTo),
        trafficPolicy: {
          portLevelSettings: [{
            port: { number: port.port },
            tls: compact({
              mode,
              credentialName: t.credentialName,
              caCertificates: t.caCertificates,
              sni,
              subjectAltNames,
              insecureSkipVerify: skip ? true : undefined,
            }),
          }],
        },
      }),
    } as DestinationRuleManifest;
  });
}
