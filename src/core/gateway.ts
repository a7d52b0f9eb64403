/**
 * Binding routes to an ingress gateway: the hosts rules and the Gateway object shared by the
 * patterns that expose a service through a gateway.
 */
import { checkHost, checkLabelName, checkPort, hostsOverlap, isWildcardHost } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { GatewayManifest, metadata } from './manifest';
import { Protocol } from './ports';
import { IngressGateway, requireResolved } from './references';
import { ResolvedTarget, RoutingApi } from './target';
import { CIPHER_SUITES } from './webhook/gateway';

/** TLS protocol versions a Gateway server may require as its minimum. */
export enum TlsVersion {
  TLSV1_2 = 'TLSV1_2',
  TLSV1_3 = 'TLSV1_3',
}

/**
 * Checks a server's `minProtocolVersion`: TLS 1.2 or 1.3 (below 1.2 is refused). @internal
 */
export function checkMinProtocolVersion(ctx: Ctx, version: TlsVersion): TlsVersion {
  if (!Object.values(TlsVersion).includes(version)) {
    ctx.fail(ErrorCode.INVALID_TLS, `${show(version)} is below TLS 1.2 or unknown`, 'use TLSV1_2 or TLSV1_3');
  }
  return version;
}

/**
 * Checks a server's `cipherSuites`: a non-empty list without repeats, of the suites Istio knows
 * (BoringSSL names such as `ECDHE-RSA-AES256-GCM-SHA384`) or BoringSSL operator expressions
 * (`[A|B]`, `-A`, `!A`, `ALL`). Istio ignores an unknown or repeated suite with only a warning, so
 * they are refused here. Go: `security.IsValidCipherSuite`. @internal
 */
export function checkCipherSuites(ctx: Ctx, suites: readonly string[] | undefined): string[] | undefined {
  if (suites === undefined) return undefined;
  if (!Array.isArray(suites) || suites.length === 0) {
    ctx.fail(ErrorCode.INVALID_TLS, 'cipherSuites is empty', 'list suites, or leave it out for Envoy\'s defaults');
  }
  const seen = new Set<string>();
  suites.forEach((c, i) => {
    const known = c === 'ALL' || (c !== '' && !/^[\p{L}\p{N}]/u.test(c)) || CIPHER_SUITES.has(c);
    if (!known) {
      ctx.at(i).fail(ErrorCode.INVALID_TLS, `cipher suite ${show(c)} is unknown; Istio would ignore it`,
        `use BoringSSL names Istio knows, e.g. ${[...CIPHER_SUITES].slice(0, 2).join(', ')}`);
    }
    if (seen.has(c)) ctx.at(i).fail(ErrorCode.INVALID_TLS, `cipher suite ${show(c)} is listed twice`, 'list each suite once');
    seen.add(c);
  });
  return [...suites];
}

/**
 * Checks a host list of a gateway-bound route: present, valid, fully qualified (a dot) or `*`, no
 * duplicates or overlaps (`*.example.com` with `a.example.com`), wildcards only on opt-in. @internal
 */
export function checkGatewayHosts(ctx: Ctx, hosts: readonly string[] | undefined, allowWildcardHosts: boolean | undefined): string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    ctx.fail(ErrorCode.HOSTS_REQUIRED, 'a gateway-bound route needs explicit hosts',
      'list the hosts clients use, e.g. ["bookinfo.example.com"]');
  }
  const seen = new Set<string>();
  return hosts.map((h, i) => {
    checkHost(ctx.at(i), h);
    if (isWildcardHost(h) && !allowWildcardHosts) {
      ctx.at(i).fail(ErrorCode.WILDCARD_HOST,
        `wildcard host ${show(h)} would accept any Host header on the gateway`,
        'list the exact hosts, or set allowWildcardHosts: true if you mean it');
    }
    if (h !== '*' && !h.includes('.')) {
      ctx.at(i).fail(ErrorCode.INVALID_HOST, `host ${show(h)} is a short name, which a Gateway server refuses`,
        'give the fully qualified name clients send (with a dot, e.g. "bookinfo.example.com"), or "*"');
    }
    if (seen.has(h)) ctx.at(i).fail(ErrorCode.INVALID_HOST, `host ${h} is listed twice`, 'list each host once');
    const other = [...seen].find((o) => hostsOverlap(o, h));
    if (other !== undefined) {
      ctx.at(i).fail(ErrorCode.INVALID_HOST, `host ${h} overlaps ${other}; a VirtualService refuses overlapping hosts`,
        'list each host once: drop the exact host a wildcard already covers, or the narrower wildcard');
    }
    seen.add(h);
    return h;
  });
}

/** The Gateway object name and namespace, and the `namespace/name` a VirtualService uses. @internal */
export interface GatewayPlacement {
  readonly name: string;
  readonly namespace: string;
  /** `namespace/name`: the only reference form that binds across namespaces. */
  readonly ref: string;
}

/** @internal */
export function placeGateway(ctx: Ctx, name: string, namespace: string): GatewayPlacement {
  checkLabelName(ctx.at('gatewayName'), name, 'Gateway name');
  checkLabelName(ctx.at('gatewayNamespace'), namespace, 'Gateway namespace');
  return { name, namespace, ref: `${namespace}/${name}` };
}

/** One server of a Gateway. @internal */
export interface ServerSpec {
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTP2' | 'GRPC' | 'HTTPS' | 'TCP' | 'TLS';
  readonly hosts: string[];
  readonly tls?: Record<string, unknown>;
  /** The server's port name; unique in the Gateway. @default `<protocol>-<port>`, `-<n>` added when servers share a port */
  readonly portName?: string;
}

/**
 * The port names of a Gateway's servers. Istio's webhook refuses two servers with one port name
 * ("port names in servers must be unique"), and several HTTPS servers on one port (one certificate
 * per host set) are the normal case: servers that share protocol and port get `<protocol>-<port>-<n>`
 * (n from 1, in order), a server alone on its port keeps `<protocol>-<port>`, and a given
 * `portName` is kept.
 */
function serverPortNames(ctx: Ctx, servers: readonly ServerSpec[]): string[] {
  const base = (s: ServerSpec) => `${s.protocol.toLowerCase()}-${s.port}`;
  const shared = new Map<string, number>();
  for (const s of servers) if (s.portName === undefined) shared.set(base(s), (shared.get(base(s)) ?? 0) + 1);
  const next = new Map<string, number>();
  const used = new Set<string>();
  return servers.map((s) => {
    let name = s.portName;
    if (name === undefined) {
      const b = base(s);
      const n = (next.get(b) ?? 0) + 1;
      next.set(b, n);
      name = shared.get(b)! > 1 ? `${b}-${n}` : b;
    }
    if (used.has(name)) {
      ctx.at('servers').fail(ErrorCode.CONFLICTING_PROPS, `two Gateway servers have the port name ${show(name)} (Istio refuses duplicate server port names)`,
        'give each server its own portName');
    }
    used.add(name);
    return name;
  });
}

/** Builds a Gateway after checking the gateway workload's Service exposes each server port. @internal */
export function gatewayManifest(ctx: Ctx, placement: GatewayPlacement, gateway: IngressGateway, servers: ServerSpec[],
  pattern: string, instance: string, target?: ResolvedTarget): GatewayManifest {
  requireResolved(ctx.at('gateway'), gateway);
  if (gateway.automated) {
    if (target?.api !== RoutingApi.GATEWAY_API) {
      ctx.at('gateway').fail(ErrorCode.TARGET_UNSUPPORTED, 'an automatically deployed gateway (IngressGateway.automated) exists only for Gateway API Gateways',
        'target the Gateway API (target: { api: RoutingApi.GATEWAY_API }), or give the running gateway workload with IngressGateway.fromSelector(...)');
    }
    if (placement.namespace !== gateway.namespace) {
      ctx.at('gateway').fail(ErrorCode.INVALID_NAME, `Istio deploys the gateway in the Gateway's namespace ${placement.namespace}, not ${gateway.namespace}`,
        'give IngressGateway.automated the Gateway\'s namespace');
    }
    return automatedGatewayManifest(ctx, placement, servers, pattern, instance);
  }
  for (const s of servers) {
    checkPort(ctx.at('port'), s.port);
    gateway.requirePort(ctx.at('port'), s.port, s.protocol as Protocol);
  }
  return renderGateway(ctx, placement, { ...gateway.selector }, servers, pattern, instance);
}

/** The Gateway object of checked servers. */
function renderGateway(ctx: Ctx, placement: GatewayPlacement, selector: Record<string, string>, servers: ServerSpec[],
  pattern: string, instance: string): GatewayManifest {
  const portNames = serverPortNames(ctx, servers);
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: metadata(placement.name, placement.namespace, pattern, instance),
    spec: {
      selector,
      servers: servers.map((s, i) => ({
        port: { number: s.port, name: portNames[i], protocol: s.protocol },
        hosts: [...s.hosts],
        ...(s.tls ? { tls: s.tls } : {}),
      })),
    },
  };
}

/**
 * The label Istio's automated Gateway API deployment puts on its pods. An Istio Gateway whose
 * selector is only this label (with its own name) stands for a Gateway API Gateway that Istio
 * deploys itself. @internal
 */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** A Gateway for Istio's automated deployment (Gateway API target only): no workload, no Service to check. @internal */
export function automatedGatewayManifest(ctx: Ctx, placement: GatewayPlacement, servers: ServerSpec[], pattern: string, instance: string): GatewayManifest {
  for (const s of servers) checkPort(ctx.at('port'), s.port);
  return renderGateway(ctx, placement, { [GATEWAY_NAME_LABEL]: placement.name }, servers, pattern, instance);
}

/** Binding of the routes to an ingress gateway, with the hosts clients use. */
export interface GatewayBinding {
  /**
   * The gateway workload a new Gateway object selects. Give this or `existingGateway`. On the
   * Gateway API target, `IngressGateway.automated({ namespace })` has Istio deploy the gateway, and
   * a running workload is used through its Service (manual deployment: it needs a `serviceName`).
   */
  readonly gateway?: IngressGateway;
  /**
   * Bind to a Gateway object that exists or that another construct emits (e.g. a
   * HardenedGateway's `ref`) instead of creating one; the hosts must be among its hosts.
   */
  readonly existingGateway?: GatewayRef;
  /** The hosts clients send, e.g. `['bookinfo.example.com']`; wildcards only with `allowWildcardHosts`. */
  readonly hosts: string[];
  /**
   * Accept wildcard hosts (`*`, `*.example.com`): any Host header is then routed.
   * @default false
   */
  readonly allowWildcardHosts?: boolean;
  /**
   * The HTTP port of the Gateway server; the gateway Service must expose it.
   * @default 80
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /** The Gateway object's name. @default `<name>-gateway` */
  readonly gatewayName?: string;
  /** The Gateway object's namespace. @default - the VirtualService namespace */
  readonly gatewayNamespace?: string;
  /**
   * Also apply the routes to traffic inside the mesh (adds `mesh` and the service FQDN).
   * Without it, in-mesh callers bypass the split and reach every version round-robin.
   * Not possible with the host `*`.
   * @default true
   */
  readonly includeMesh?: boolean;
}

/** A reference to an Istio Gateway object: its name, namespace and the hosts it serves. */
export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
}

/** Whether a host (possibly a wildcard: `*`, `*.example.com`) covers another host, as a gateway server host covers a route host. @internal */
export function covers(serverHost: string, host: string): boolean {
  if (serverHost === '*' || serverHost === host) return true;
  return serverHost.startsWith('*.') && host.endsWith(serverHost.slice(1));
}

/**
 * Whether a Gateway server host serves `host` to a VirtualService in `vsNamespace`. A server host
 * may name the namespaces whose VirtualServices bind to it (`ns/host`, `./host` for the Gateway's
 * own namespace, `*\/host` for any), as Istio reads them (`sanitizeServerHostNamespace`, then
 * `NamesForNamespace`). `mode: 'covers'` asks that the server host cover the route host (the
 * route's requests all reach it); `mode: 'overlaps'` is Istio's own binding test
 * (`host.Name.Matches`: some name matches both). @internal
 */
export function serverHostServes(serverHost: string, gatewayNamespace: string, vsNamespace: string, host: string,
  mode: 'covers' | 'overlaps' = 'covers'): boolean {
  const slash = serverHost.indexOf('/');
  if (slash >= 0) {
    const ns = serverHost.slice(0, slash);
    if (ns !== '*' && (ns === '.' ? gatewayNamespace : ns) !== vsNamespace) return false;
    serverHost = serverHost.slice(slash + 1);
  }
  return mode === 'covers' ? covers(serverHost, host) : hostsOverlap(serverHost, host);
}

/** What binding a pattern's routes to a gateway produces. @internal */
export interface BoundGateway {
  /** The Gateway object (an HTTP server for the hosts), unless binding to an existing one. */
  readonly gateway?: GatewayManifest;
  /** The VirtualService hosts. */
  readonly hosts: string[];
  /** The VirtualService gateways: `namespace/name`, plus `mesh` when included. */
  readonly gateways: string[];
}

/**
 * Binds a pattern's HTTP routes to an ingress gateway: checks the hosts (explicit, wildcards only
 * on opt-in, `*` never with mesh), places the Gateway, checks its port on the gateway Service.
 * @internal
 */
export function bindGateway(ctx: Ctx, b: GatewayBinding, owner: { name: string; namespace: string; fqdn: string; pattern: string },
  target?: ResolvedTarget): BoundGateway {
  const bound = checkGatewayHosts(ctx.at('hosts'), b.hosts, b.allowWildcardHosts);
  const includeMesh = b.includeMesh ?? true;
  if (includeMesh && bound.includes('*')) {
    ctx.at('includeMesh').fail(ErrorCode.CONFLICTING_PROPS, 'the host "*" cannot apply to mesh traffic (Istio refuses it)',
      'set includeMesh: false, or list explicit hosts');
  }
  if ((b.gateway === undefined) === (b.existingGateway === undefined)) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, 'give exactly one of gateway and existingGateway', 'gateway creates a Gateway object on a workload; existingGateway binds to one');
  }
  let placement: GatewayPlacement;
  let gateway: GatewayManifest | undefined;
  if (b.existingGateway) {
    requireResolved(ctx.at('existingGateway'), b.existingGateway);
    const ref = b.existingGateway;
    placement = placeGateway(ctx.at('existingGateway'), ref.name, ref.namespace);
    bound.forEach((h, i) => {
      if (!ref.hosts.some((s) => serverHostServes(s, ref.namespace, owner.namespace, h))) {
        ctx.at('hosts', i).fail(ErrorCode.HOST_NOT_IN_GATEWAY, `Gateway ${placement.ref} does not serve host ${h} (it serves ${ref.hosts.join(', ')}); clients would get 404`,
          'use a host of the Gateway, or add the host to it');
      }
    });
  } else {
    placement = placeGateway(ctx, b.gatewayName ?? `${owner.name}-gateway`, b.gatewayNamespace ?? owner.namespace);
    const servers: ServerSpec[] = [{ port: b.port ?? 80, protocol: 'HTTP', hosts: bound }];
    gateway = gatewayManifest(ctx, placement, b.gateway!, servers, owner.pattern, owner.name, target);
  }
  return {
    gateway,
    hosts: includeMesh ? [...bound, ...(bound.includes(owner.fqdn) ? [] : [owner.fqdn])] : bound,
    gateways: includeMesh ? [placement.ref, 'mesh'] : [placement.ref],
  };
}
