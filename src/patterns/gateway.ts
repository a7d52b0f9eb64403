/**
 * Gateway: a plain Istio `Gateway` on an ingress (or egress) gateway workload, with the servers
 * exactly as given and no defaults added: no redirect server, no minimum TLS version, no
 * authorization, no header changes (HardenedGateway adds those). What it does check is what
 * Istio would refuse, drop or ignore: the webhook rules of `Gateway` servers and their TLS
 * settings, servers Istio cannot put on one port, and that the workload's Service exposes every
 * server port (istioctl IST0162).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
import { checkLabelName, checkSecretName } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import {
  GatewayRef, ServerSpec, TlsVersion, checkCipherSuites, checkGatewayHosts, checkMinProtocolVersion, gatewayManifest, placeGateway,
} from '../core/gateway';
import { GatewayManifest, compact } from '../core/manifest';
import { EmittedObject, PatternOutput } from '../core/output';
import { Protocol } from '../core/ports';
import { checkProps, propsCtx } from '../core/props';
import { IngressGateway, requireResolved } from '../core/references';
import { RoutingApi, RoutingTarget, resolveTarget } from '../core/target';
import { renderForTarget } from '../targets/gateway-api';

/**
 * The TLS modes of a Gateway server (Istio's `ServerTLSSettings.TLSmode`). `AUTO_PASSTHROUGH`
 * (multi-network east-west gateways) is not offered.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings-TLSmode
 */
export enum GatewayTlsMode {
  /** Terminate TLS with the server certificate (`credentialName`, or file paths on the gateway pod). */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require a client certificate signed by the CA (in the Secret, or `caCertificates`). */
  MUTUAL = 'MUTUAL',
  /** Like MUTUAL, but a client without a certificate is let through; a certificate it presents is verified. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
  /** Terminate Istio mutual TLS with the gateway's own workload certificate (mesh clients, e.g. sidecars to an egress gateway). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** Do not terminate TLS: route the connection by its SNI (VirtualService `tls` routes with `sniHosts`). */
  PASSTHROUGH = 'PASSTHROUGH',
}

/**
 * The TLS settings of an HTTPS or TLS server (Istio's `ServerTLSSettings`). Which fields a mode
 * takes follows what Istio does with them; a field Istio would ignore is refused:
 *
 * - SIMPLE: exactly one of `credentialName` or `serverCertificate` + `privateKey`.
 * - MUTUAL, OPTIONAL_MUTUAL: as SIMPLE, plus the client CA: with `credentialName`, in the Secret
 *   (key `ca.crt`, or a Secret named `<credentialName>-cacert`); with file paths, `caCertificates`.
 *   `subjectAltNames` restricts the client certificates accepted.
 * - ISTIO_MUTUAL: no certificate fields (the gateway uses its workload certificate), no
 *   `minProtocolVersion` or `cipherSuites` (Istio applies them only to SIMPLE and MUTUAL);
 *   `subjectAltNames` restricts the client identities accepted.
 * - PASSTHROUGH: nothing else (the gateway does not see inside the TLS stream).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export interface ServerTls {
  /** How the server handles TLS. Required: Istio's own default (PASSTHROUGH) is rarely what is meant. */
  readonly mode: GatewayTlsMode;
  /**
   * The Secret with the server certificate (`tls.crt`, `tls.key`; for MUTUAL and OPTIONAL_MUTUAL
   * also the client CA as `ca.crt`), in the namespace of the gateway workload.
   * @default - none: give file paths instead
   */
  readonly credentialName?: string;
  /**
   * Path of the server certificate file mounted in the gateway pod (the legacy alternative to `credentialName`).
   * @default - none
   */
  readonly serverCertificate?: string;
  /** Path of the private key file mounted in the gateway pod; with `serverCertificate`. @default - none */
  readonly privateKey?: string;
  /** Path of the client CA bundle mounted in the gateway pod; MUTUAL and OPTIONAL_MUTUAL with file paths only. @default - none */
  readonly caCertificates?: string;
  /** The subject alternative names a client certificate must carry (MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL). @default - any */
  readonly subjectAltNames?: string[];
  /** Minimum TLS version (SIMPLE, MUTUAL, OPTIONAL_MUTUAL). @default - Envoy's default (TLS 1.2 for servers) */
  readonly minProtocolVersion?: TlsVersion;
  /** Allowed cipher suites for TLS 1.2 and below (SIMPLE, MUTUAL, OPTIONAL_MUTUAL), BoringSSL names. @default - Envoy's defaults */
  readonly cipherSuites?: string[];
}

/** One server of a Gateway: a port, its protocol, the hosts it accepts and, for HTTPS and TLS, its TLS settings. */
export interface GatewayServer {
  /**
   * The port the gateway listens on: a port of the gateway workload's Service (IST0162).
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port: number;
  /**
   * The protocol: `HTTP`, `HTTP2`, `GRPC` (plain-text HTTP, routed by VirtualService `http`
   * routes), `HTTPS` (TLS terminated, then `http` routes; with PASSTHROUGH, routed by SNI like
   * TLS), `TCP` (`tcp` routes) or `TLS` (`tls` routes by SNI, or `tcp` routes after termination).
   */
  readonly protocol: Protocol;
  /**
   * The hosts the server accepts (VirtualServices bind to them; for HTTPS and TLS they are also the
   * SNI names). Fully qualified; wildcards (`*.example.com`, `*`) only with `allowWildcardHosts`,
   * except `*` on a TCP server, which carries no host.
   * @default - `['*']` for TCP; required for every other protocol
   */
  readonly hosts?: string[];
  /**
   * The server's port name, unique in the Gateway.
   * @default `<protocol>-<port>`, with `-<n>` added when servers share protocol and port
   */
  readonly portName?: string;
  /** TLS settings: required for HTTPS and TLS, refused for other protocols. @default - none */
  readonly tls?: ServerTls;
  /**
   * Answer every request with a 301 redirect to HTTPS (HTTP, HTTP2 and GRPC servers only).
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** Props of a Gateway. */
export interface GatewayProps {
  /** The Gateway's name (a DNS-1123 label). */
  readonly name: string;
  /** The Gateway's namespace. @default - the workload's namespace */
  readonly namespace?: string;
  /**
   * The gateway workload the Gateway selects: an `IngressGateway`, or an `EgressGateway` for a
   * Gateway on the egress gateway. Its Service ports must be known and include every server port.
   * On the Gateway API target, a workload with a `serviceName` is used through its Service
   * (manual deployment, `addresses`), and `IngressGateway.automated({ namespace })` has Istio
   * deploy one (automated deployment).
   */
  readonly workload: IngressGateway;
  /**
   * The API the Gateway is written in. On the Gateway API: a Gateway of class `istio` with one
   * listener per server host (named after the server's port name; `-<n>` added when a server has
   * several hosts), TLS `Terminate` with the credential as a Secret certificateRef (`Passthrough`
   * for PASSTHROUGH), and routes admitted from the Gateway's namespace, or those its server hosts
   * name (`ns/host`; `*\/host` admits all). `httpsRedirect` becomes an HTTPRoute answering 301
   * with the https scheme on that listener. Refused there: TLS 1.3 as minimum, and TLS settings a
   * listener has no form for.
   * @default - the program's default target, else the Istio API
   */
  readonly target?: RoutingTarget;
  /** The servers, in order. At least one. */
  readonly servers: GatewayServer[];
  /**
   * Accept wildcard hosts (`*.example.com`, `*`) on servers other than TCP.
   * @default false
   */
  readonly allowWildcardHosts?: boolean;
}

/** What `buildGateway` returns. */
export interface GatewayOutput extends PatternOutput {
  /** The Istio Gateway object (Istio API target). */
  readonly gateway?: GatewayManifest;
  /** The reference routes bind to (`existingGateway`): name, namespace and the hosts of every server. */
  readonly ref: GatewayRef;
}

/** The protocols a Gateway server may have here, and whether they are plain-text HTTP. */
const SERVER_PROTOCOLS: ReadonlyMap<string, 'http' | 'tls' | 'tcp'> = new Map([
  [Protocol.HTTP, 'http'], [Protocol.HTTP2, 'http'], [Protocol.GRPC, 'http'],
  [Protocol.HTTPS, 'tls'], [Protocol.TLS, 'tls'], [Protocol.TCP, 'tcp'],
]);

/**
 * Builds a Gateway. Pure.
 *
 * @throws IstioConstructError INVALID_NAME (name, namespace, port name), HOSTS_REQUIRED, INVALID_HOST,
 *   WILDCARD_HOST, PORT_OUT_OF_RANGE, INVALID_PORT (a protocol a Gateway server cannot have here),
 *   GATEWAY_PORT_NOT_EXPOSED (IST0162), INVALID_TLS (TLS settings Istio refuses or ignores),
 *   CONFLICTING_PROPS (duplicate port names, servers Istio cannot share a port, `httpsRedirect` on a
 *   non-HTTP server, a host served twice on one port).
 */
export function buildGateway(props: GatewayProps): GatewayOutput {
  checkProps(propsCtx('Gateway', props, 'name'), 'GatewayProps', props);
  const ctx = new Ctx(`Gateway ${show(props.name)}`);
  const target = resolveTarget(ctx.at('target'), props.target);
  const name = checkLabelName(ctx.at('name'), props.name, 'name');
  const workload = props.workload;
  requireResolved(ctx.at('workload'), workload);
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace ?? workload.namespace, 'namespace');
  if (props.servers.length === 0) {
    ctx.at('servers').fail(ErrorCode.HOSTS_REQUIRED, 'a Gateway needs at least one server (Istio refuses none)', 'give at least one { port, protocol, hosts }');
  }
  const servers = props.servers.map((s, i) => serverSpec(ctx.at('servers', i), s, props.allowWildcardHosts === true));
  checkSharedPorts(ctx, servers);

  // IST0162: a server on a port the workload's Service does not expose never receives traffic.
  servers.forEach((s, i) => workload.requirePort(ctx.at('servers', i, 'port'), s.port, s.protocol as Protocol));
  const placement = placeGateway(ctx, name, namespace);
  const gateway = gatewayManifest(ctx, placement, workload, servers, 'gateway', name, target);
  const objects: EmittedObject[] = [{ role: 'gateway', manifest: gateway }];
  const hosts = [...new Set(servers.flatMap((s) => s.hosts))];
  const output: GatewayOutput = { objects, gateway, ref: { name: placement.name, namespace: placement.namespace, hosts } };
  if (target.api === RoutingApi.ISTIO) return output;
  const translated = renderForTarget(ctx, target, output, {
    pattern: 'gateway', gateway: ctx, server: (i) => ctx.at('servers', i), gatewayWorkload: workload,
  });
  return { ...translated, gateway: undefined, ref: output.ref };
}

/** Checks one server and renders it. */
function serverSpec(ctx: Ctx, s: GatewayServer, allowWildcardHosts: boolean): ServerSpec {
  const kind = SERVER_PROTOCOLS.get(s.protocol);
  if (kind === undefined) {
    ctx.at('protocol').fail(ErrorCode.INVALID_PORT, `a Gateway server cannot be ${show(s.protocol)} here`,
      'use HTTP, HTTP2, GRPC, HTTPS, TCP or TLS (TCP for Mongo, MySQL and Redis; a Gateway has no UDP servers)');
  }
  const onlyStar = s.hosts !== undefined && s.hosts.length === 1 && s.hosts[0] === '*';
  const hosts = kind === 'tcp' && s.hosts === undefined ? ['*']
    : checkGatewayHosts(ctx.at('hosts'), s.hosts, allowWildcardHosts || (kind === 'tcp' && onlyStar));
  const portName = s.portName !== undefined ? checkLabelName(ctx.at('portName'), s.portName, 'port name') : undefined;
  if (s.httpsRedirect === true && kind !== 'http') {
    ctx.at('httpsRedirect').fail(ErrorCode.CONFLICTING_PROPS, `httpsRedirect only works on plain-text HTTP servers, not ${s.protocol}`,
      'put the redirect on an HTTP server, or remove it');
  }
  let tls: Record<string, unknown> | undefined;
  if (kind === 'tls') {
    if (s.tls === undefined) {
      ctx.at('tls').fail(ErrorCode.INVALID_TLS, `a ${s.protocol} server needs tls settings (Istio refuses it without)`,
        'give tls: { mode: GatewayTlsMode.SIMPLE, credentialName: "<secret>" }, or PASSTHROUGH to route by SNI');
    }
    tls = serverTls(ctx.at('tls'), s.tls!);
  } else {
    if (s.tls !== undefined) {
      ctx.at('tls').fail(ErrorCode.INVALID_TLS, `a ${s.protocol} server cannot have tls settings (only HTTPS and TLS servers can)`,
        s.protocol === Protocol.TCP ? 'use protocol TLS for a TLS server' : 'use protocol HTTPS to terminate TLS, or httpsRedirect to redirect to HTTPS');
    }
    if (s.httpsRedirect === true) tls = { httpsRedirect: true };
  }
  return { port: s.port, protocol: s.protocol as ServerSpec['protocol'], hosts, portName, ...(tls ? { tls } : {}) };
}

/** Checks TLS settings against the mode (see `ServerTls`) and renders them. */
function serverTls(ctx: Ctx, t: ServerTls): Record<string, unknown> {
  const mode = t.mode;
  const given = (k: keyof ServerTls) => t[k] !== undefined;
  const refuse = (k: keyof ServerTls, why: string, fix: string) => {
    if (given(k)) ctx.at(k).fail(ErrorCode.INVALID_TLS, `${k} ${why} with mode ${mode}`, fix);
  };
  const certFields: Array<keyof ServerTls> = ['credentialName', 'serverCertificate', 'privateKey', 'caCertificates'];
  if (mode === GatewayTlsMode.PASSTHROUGH || mode === GatewayTlsMode.ISTIO_MUTUAL) {
    const why = mode === GatewayTlsMode.PASSTHROUGH ? 'has no effect (the gateway does not terminate TLS)' : 'is not allowed (the gateway uses its Istio workload certificate)';
    for (const k of certFields) refuse(k, why, `remove ${k}, or use mode SIMPLE or MUTUAL`);
    for (const k of ['minProtocolVersion', 'cipherSuites'] as const) {
      refuse(k, 'has no effect (Istio applies it to SIMPLE and MUTUAL servers only)', `remove ${k}, or use mode SIMPLE or MUTUAL`);
    }
    if (mode === GatewayTlsMode.PASSTHROUGH) refuse('subjectAltNames', 'has no effect (no client certificate is checked)', 'remove subjectAltNames');
  } else {
    const mutual = mode !== GatewayTlsMode.SIMPLE;
    const files = given('serverCertificate') || given('privateKey');
    if (given('credentialName') && (files || given('caCertificates'))) {
      ctx.at(files ? (given('serverCertificate') ? 'serverCertificate' : 'privateKey') : 'caCertificates').fail(ErrorCode.INVALID_TLS,
        'give either credentialName or certificate file paths, not both (with credentialName, Istio reads the client CA from the Secret too)',
        'keep credentialName and put ca.crt in its Secret, or drop credentialName and give the file paths');
    }
    if (!given('credentialName') && !files) {
      ctx.at('credentialName').fail(ErrorCode.INVALID_TLS, `mode ${mode} needs a server certificate`,
        `give credentialName (a Secret with tls.crt and tls.key${mutual ? ', and ca.crt for the client CA' : ''}), or serverCertificate and privateKey`);
    }
    if (given('credentialName')) checkSecretName(ctx.at('credentialName'), t.credentialName);
    if (files) {
      for (const k of ['serverCertificate', 'privateKey'] as const) checkFilePath(ctx.at(k), t[k], k);
      if (mutual) checkFilePath(ctx.at('caCertificates'), t.caCertificates, 'caCertificates');
    }
    if (!mutual) {
      refuse('caCertificates', 'has no effect (SIMPLE does not ask for client certificates)', 'remove caCertificates, or use mode MUTUAL');
      refuse('subjectAltNames', 'has no effect (SIMPLE does not ask for client certificates)', 'remove subjectAltNames, or use mode MUTUAL');
    }
    if (given('minProtocolVersion')) checkMinProtocolVersion(ctx.at('minProtocolVersion'), t.minProtocolVersion!);
    checkCipherSuites(ctx.at('cipherSuites'), t.cipherSuites);
  }
  if (t.subjectAltNames !== undefined) checkSubjectAltNames(ctx.at('subjectAltNames'), t.subjectAltNames);
  return compact({
    mode,
    credentialName: t.credentialName,
    serverCertificate: t.serverCertificate,
    privateKey: t.privateKey,
    caCertificates: t.caCertificates,
    subjectAltNames: t.subjectAltNames && [...t.subjectAltNames],
    minProtocolVersion: t.minProtocolVersion,
    cipherSuites: t.cipherSuites && [...t.cipherSuites],
  });
}

function checkFilePath(ctx: Ctx, path: string | undefined, what: string): void {
  if (path === undefined) {
    ctx.fail(ErrorCode.INVALID_TLS, `${what} is missing`, 'give serverCertificate, privateKey (and caCertificates for MUTUAL) together, or use credentialName');
  }
  if (!path.startsWith('/') || /[\s\u0000-\u001f]/.test(path)) {
    ctx.fail(ErrorCode.INVALID_TLS, `${what} ${show(path)} is not an absolute file path`, 'give the path of the file mounted in the gateway pod, e.g. "/etc/istio/certs/tls.crt"');
  }
}

function checkSubjectAltNames(ctx: Ctx, names: readonly string[]): void {
  if (names.length === 0) ctx.fail(ErrorCode.INVALID_TLS, 'subjectAltNames is empty', 'list the names, or leave it out to accept any');
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n === '' || /[\s\u0000-\u001f]/.test(n)) ctx.at(i).fail(ErrorCode.INVALID_TLS, `${show(n)} is not a subject alternative name`, 'give a DNS name, URI (e.g. a SPIFFE ID) or IP address');
    if (seen.has(n)) ctx.at(i).fail(ErrorCode.INVALID_TLS, `${show(n)} is listed twice`, 'list each name once');
    seen.add(n);
  });
}

/**
 * Servers Istio can put on one port of one Gateway: plain-text HTTP servers (HTTP, HTTP2, GRPC)
 * merge into one listener, and HTTPS/TLS servers share one by SNI; a plain-text server next to a
 * TLS one, or a TCP server next to any other, is dropped by Istio ("conflict with existing
 * server"). On one port a host may appear in one server only (Istio skips a TLS server whose
 * SNI host is already taken). Go: `pilot/pkg/model/gateway.go` `MergeGateways`, `canMergeProtocols`, `CheckDuplicates`.
 */
function checkSharedPorts(ctx: Ctx, servers: readonly ServerSpec[]): void {
  const byPort = new Map<number, number[]>();
  servers.forEach((s, i) => byPort.set(s.port, [...(byPort.get(s.port) ?? []), i]));
  for (const [port, indexes] of byPort) {
    if (indexes.length < 2) continue;
    const first = servers[indexes[0]];
    const kindOf = (s: ServerSpec) => SERVER_PROTOCOLS.get(s.protocol)!;
    for (const i of indexes.slice(1)) {
      const s = servers[i];
      if (kindOf(s) === 'tcp' || kindOf(first) === 'tcp' || kindOf(s) !== kindOf(first)) {
        ctx.at('servers', i, 'protocol').fail(ErrorCode.CONFLICTING_PROPS,
          `port ${port} already has a ${first.protocol} server; Istio would drop this ${s.protocol} server (one port carries either plain-text HTTP servers, or HTTPS/TLS servers, or one TCP server)`,
          'put this server on another port of the gateway Service');
      }
    }
    const seen = new Map<string, number>();
    for (const i of indexes) {
      servers[i].hosts.forEach((h, j) => {
        if (seen.has(h)) {
          ctx.at('servers', i, 'hosts', j).fail(ErrorCode.CONFLICTING_PROPS, `host ${h} is already served on port ${port} by servers[${seen.get(h)}]; Istio would skip one of them`,
            'serve each host once per port (merge the servers, or drop the host from one)');
        }
        seen.set(h, i);
      });
    }
  }
}
