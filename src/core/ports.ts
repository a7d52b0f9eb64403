import { DNS1123_LABEL, checkPort } from './checks';
import { Ctx, ErrorCode, show } from './errors';

/**
 * Istio's port protocols. Istio selects a port's protocol from its name (`<protocol>[-suffix]`) or
 * `appProtocol`; a port without either is treated as plain TCP (istioctl IST0118).
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum Protocol {
  HTTP = 'HTTP',
  HTTPS = 'HTTPS',
  HTTP2 = 'HTTP2',
  GRPC = 'GRPC',
  GRPC_WEB = 'GRPC-Web',
  TCP = 'TCP',
  TLS = 'TLS',
  MONGO = 'Mongo',
  MYSQL = 'MySQL',
  REDIS = 'Redis',
  UDP = 'UDP',
}

/**
 * A port number: an integer from 1 to 65535 (for lists of ports; single port props carry the same
 * range in their own docs).
 * @asType integer
 * @minimum 1
 * @maximum 65535
 */
export type PortNumber = number;

/** A port of a Kubernetes Service, as Istio reads it. */
export interface ServicePort {
  /**
   * The Service port number (what clients and routes use), 1-65535.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  /**
   * The Istio protocol of the port.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;
  /**
   * The port name. Must be `<protocol>` or `<protocol>-<suffix>` so Istio selects the protocol.
   * @default - the protocol in lower case, with `-<port>` appended when two ports share a protocol
   */
  readonly name?: string;
  /**
   * The container port traffic is forwarded to. Only used where the library writes the Service.
   * @default - the same as `port`
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly targetPort?: number;
}

/**
 * A Service port with every default applied: what `ServiceRef.ports` and a gateway's ports hold
 * after the library checked and completed the declared `ServicePort`s.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export interface ResolvedPort {
  /** The Service port number, 1-65535. */
  readonly port: number;
  /** The Istio protocol of the port (`Protocol.HTTP` when none was declared). */
  readonly protocol: Protocol;
  /** The port name, `<protocol>` or `<protocol>-<suffix>` in lower case. */
  readonly name: string;
  /** The container port traffic is forwarded to (the same as `port` when none was declared). */
  readonly targetPort: number;
}

/** The lower-case prefix Istio recognises in a port name for a protocol. */
export function protocolPrefix(protocol: Protocol): string {
  return protocol.toLowerCase();
}

/**
 * Validates and completes a list of Service ports: numbers in range and unique, names
 * `<protocol>[-suffix]`, unique. @internal
 */
export function resolvePorts(ctx: Ctx, ports: readonly ServicePort[] | undefined): ResolvedPort[] {
  const list = ports ?? [];
  const protocolCount = new Map<Protocol, number>();
  for (const p of list) protocolCount.set(p.protocol ?? Protocol.HTTP, (protocolCount.get(p.protocol ?? Protocol.HTTP) ?? 0) + 1);
  const seenNumbers = new Set<number>();
  const seenNames = new Set<string>();
  return list.map((p, i) => {
    const c = ctx.at(i);
    checkPort(c.at('port'), p.port);
    if (p.targetPort !== undefined) checkPort(c.at('targetPort'), p.targetPort);
    const protocol = p.protocol ?? Protocol.HTTP;
    if (!Object.values(Protocol).includes(protocol)) {
      c.at('protocol').fail(ErrorCode.INVALID_PORT, `protocol ${show(protocol)} is not one Istio supports`,
        `use one of ${Object.values(Protocol).join(', ')}`);
    }
    const prefix = protocolPrefix(protocol);
    const name = p.name ?? (protocolCount.get(protocol)! > 1 ? `${prefix}-${p.port}` : prefix);
    if (!(name === prefix || name.startsWith(prefix + '-')) || !DNS1123_LABEL.test(name) || name.length > 15) {
      c.at('name').fail(ErrorCode.INVALID_PORT,
        `port name ${show(name)} does not start with "${prefix}" (IST0118: Istio would not select ${protocol})`,
        `name it "${prefix}" or "${prefix}-<suffix>" (at most 15 lower-case characters), or leave the name out`);
    }
    if (seenNumbers.has(p.port)) {
      c.at('port').fail(ErrorCode.INVALID_PORT, `port ${p.port} is declared twice`, 'declare each port number once');
    }
    if (seenNames.has(name)) {
      c.at('name').fail(ErrorCode.INVALID_PORT, `port name ${show(name)} is used twice`, 'give each port a distinct name suffix');
    }
    seenNumbers.add(p.port);
    seenNames.add(name);
    return { port: p.port, protocol, name, targetPort: p.targetPort ?? p.port };
  });
}
