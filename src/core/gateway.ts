/**
 * Binding routes to an ingress gateway: the hosts rules and the Gateway object shared by the
 * patterns that expose a service through a gateway.
 */
import { checkHost, checkLabelName, checkPort, isWildcardHost } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { GatewayManifest, metadata } from './manifest';
import { IngressGateway } from './references';

/** Checks a host list of a gateway-bound HTTP route: present, valid, no duplicates, wildcards only on opt-in. @internal */
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
    if (seen.has(h)) ctx.at(i).fail(ErrorCode.INVALID_HOST, `host ${h} is listed twice`, 'list each host once');
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
  readonly protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'TLS';
  readonly hosts: string[];
  readonly tls?: Record<string, unknown>;
}

/** Builds a Gateway after checking the gateway workload's Service exposes each server port. @internal */
export function gatewayManifest(ctx: Ctx, placement: GatewayPlacement, gateway: IngressGateway, servers: ServerSpec[],
  pattern: string, instance: string): GatewayManifest {
  for (const s of servers) {
    checkPort(ctx.at('port'), s.port);
    gateway.requirePort(ctx.at('port'), s.port);
  }
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: metadata(placement.name, placement.namespace, pattern, instance),
    spec: {
      selector: { ...gateway.selector },
      servers: servers.map((s) => ({
        port: { number: s.port, name: `${s.protocol.toLowerCase()}-${s.port}`, protocol: s.protocol },
        hosts: [...s.hosts],
        ...(s.tls ? { tls: s.tls } : {}),
      })),
    },
  };
}
