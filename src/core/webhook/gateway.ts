/**
 * Istio's validating-webhook rules for `Gateway` (networking.istio.io; Go: `ValidateGateway`,
 * `validateServer`, `validateServerPort`, `validateServerBind`, `validateTLSOptions`,
 * `agent.ValidateNamespaceSlashWildcardHostname`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 * @internal
 */
import { show } from '../errors';
import {
  Reporter, UNIX_PREFIX, isDnsLabel, isHttpProtocol, isIp, isObject, isPartialWildcard, isPort, isSet, isTlsProtocol, list, num,
  parseProtocol, str, unixAddressProblem, wildcardDomainProblem,
} from './common';

/** Cipher suites a Gateway may list. Go: `security.ValidCipherSuites`. */
export const CIPHER_SUITES: ReadonlySet<string> = new Set(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA',
  'AES256-SHA', 'DES-CBC3-SHA']);

/**
 * Checks one Gateway. Go: `ValidateGateway`.
 * @param r reporter at the object root (the name is checked too)
 */
export function checkGateway(r: Reporter, name: unknown, spec: Record<string, any>): void {
  if (!isDnsLabel(name)) r.at('metadata', 'name').error(`Gateway name ${show(name)} is not a DNS label (no dots)`);
  const s = r.at('spec');
  const servers = list(spec.servers);
  if (servers.length === 0) s.at('servers').error('a Gateway needs at least one server');
  servers.forEach((server, i) => checkServer(s.at('servers', i), server));
  const portNames = new Set<string>();
  servers.forEach((server, i) => {
    if (!isObject(server) || !isObject(server.port)) return;
    const pn = str(server.port.name);
    if (portNames.has(pn)) s.at('servers', i, 'port', 'name').error(`port name ${show(pn)} is used by two servers; port names must be unique`);
    portNames.add(pn);
    if (!isHttpProtocol(parseProtocol(server.port.protocol)) && isObject(server.tls) && server.tls.httpsRedirect === true) {
      s.at('servers', i, 'tls', 'httpsRedirect').warn('httpsRedirect only has an effect on HTTP servers');
    }
  });
}

/** Go: `validateServer`. */
function checkServer(r: Reporter, server: unknown): void {
  if (!isObject(server)) { r.error('a server is null'); return; }
  const hosts = list(server.hosts);
  if (hosts.length === 0) r.at('hosts').error('a server needs at least one host');
  hosts.forEach((h, i) => checkNamespaceHost(r.at('hosts', i), str(h), true));
  const portOk = checkServerPort(r.at('port'), server.port, str(server.bind));
  checkServerBind(r, server.port, str(server.bind));
  checkServerTls(r.at('tls'), server.tls);
  if (portOk) {
    const p = parseProtocol(server.port.protocol);
    if (isTlsProtocol(p) && !isSet(server.tls)) r.at('tls').error(`a ${p} server needs tls settings`);
    else if (!isTlsProtocol(p) && isSet(server.tls)) {
      const tls = isObject(server.tls) ? server.tls : {};
      if (isHttpProtocol(p)) {
        // Only a redirect (mode unset or PASSTHROUGH, no certificates) is allowed on plain HTTP.
        if (!isPassThrough(tls) || str(tls.caCertificates) !== '' || str(tls.privateKey) !== '' || str(tls.serverCertificate) !== '') {
          r.at('tls').error('a plain HTTP server can only have tls.httpsRedirect, no certificates or TLS termination');
        }
      } else {
        r.at('tls').error(`a ${p} server cannot have tls settings (only HTTPS and TLS servers can)`);
      }
    }
  }
}

/** A TLS block that does not terminate TLS: mode PASSTHROUGH (the default) or AUTO_PASSTHROUGH. Go: `gateway.IsPassThroughServer`. */
function isPassThrough(tls: Record<string, any>): boolean {
  const mode = str(tls.mode) || 'PASSTHROUGH';
  return mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
}

/** Go: `validateServerPort`. @returns whether the port exists (the TLS/protocol cross-checks need it). */
function checkServerPort(r: Reporter, port: unknown, bind: string): boolean {
  if (!isObject(port)) { r.error('a server needs a port'); return false; }
  if (parseProtocol(port.protocol) === undefined) r.at('protocol').error(`protocol ${show(port.protocol ?? '')} is not one Istio supports (HTTP, HTTPS, HTTP2, GRPC, GRPC-Web, TCP, TLS, Mongo, Redis, MySQL)`);
  if (num(port.number) > 0 || !bind.startsWith(UNIX_PREFIX)) {
    if (!isPort(port.number)) r.at('number').error(`port ${show(port.number)} is not between 1 and 65535`);
  }
  if (num(port.targetPort) > 0) r.at('targetPort').error('targetPort has no effect on a Gateway; remove it');
  if (str(port.name) === '') r.at('name').error('a server port needs a name');
  return true;
}

/** Go: `validateServerBind`. */
function checkServerBind(r: Reporter, port: unknown, bind: string): void {
  if (bind.startsWith(UNIX_PREFIX)) {
    const p = unixAddressProblem(bind.slice(UNIX_PREFIX.length));
    if (p) r.at('bind').error(p);
    if (isObject(port) && num(port.number) !== 0) r.at('port', 'number').error('a server bound to a unix socket must have port number 0');
  } else if (bind !== '' && !isIp(bind)) {
    r.at('bind').error(`bind ${show(bind)} is not an IP address or unix:// path`);
  }
}

/**
 * Server TLS settings (Gateway servers and Sidecar ingress). Go: `validateTLSOptions`.
 */
export function checkServerTls(r: Reporter, tls: unknown): void {
  if (!isObject(tls)) return;
  const mode = str(tls.mode) || 'PASSTHROUGH';
  const min = str(tls.minProtocolVersion);
  const ciphers = list(tls.cipherSuites).map(str);
  if ((min === 'TLSV1_0' || min === 'TLSV1_1') && ciphers.length === 0) {
    r.at('minProtocolVersion').warn(`minProtocolVersion ${min} needs cipherSuites: the default suites no longer include ones TLS below 1.2 can use`);
  }
  const valid = new Set<string>();
  ciphers.forEach((c, i) => {
    const known = c === '' || c === 'ALL' || !/^[\p{L}\p{N}]/u.test(c) || CIPHER_SUITES.has(c);
    if (!known) r.at('cipherSuites', i).warn(`cipher suite ${show(c)} is unknown and will be ignored`);
    else if (valid.has(c)) r.at('cipherSuites', i).warn(`cipher suite ${show(c)} is listed twice`);
    else valid.add(c);
  });
  const has = (f: string) => (Array.isArray(tls[f]) ? tls[f].length > 0 : str(tls[f]) !== '');
  if (mode === 'ISTIO_MUTUAL') {
    for (const f of ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames']) {
      if (has(f)) r.at(f).error(`ISTIO_MUTUAL TLS uses Istio's certificates; ${f} must not be set`);
    }
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    if (['caCrl', 'serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'].some(has)) {
      r.warn(`${mode} does not terminate TLS, so its certificate settings are ignored`);
    }
  }
  const sources = [has('serverCertificate') && has('privateKey'), has('credentialName'), has('credentialNames'), has('tlsCertificates')].filter((b) => b).length;
  if (sources > 1) r.error('give only one certificate source: credentialName, credentialNames, serverCertificate/privateKey or tlsCertificates');
  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (terminating && (has('credentialName') || has('credentialNames'))) return;
  if (terminating) {
    const label = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (mode !== 'SIMPLE' && !has('caCertificates')) r.at('caCertificates').error(`${label} without a credentialName needs caCertificates (the client CA bundle)`);
    const certs = has('tlsCertificates') ? list(tls.tlsCertificates) : [{ serverCertificate: tls.serverCertificate, privateKey: tls.privateKey }];
    if (list(tls.tlsCertificates).length > 2) r.at('tlsCertificates').warn(`${label} supports at most 2 server certificates`);
    certs.forEach((c, i) => {
      const at = has('tlsCertificates') ? r.at('tlsCertificates', i) : r;
      if (!isObject(c) || str(c.serverCertificate) === '') at.at('serverCertificate').error(`${label} without a credentialName needs serverCertificate`);
      if (!isObject(c) || str(c.privateKey) === '') at.at('privateKey').error(`${label} without a credentialName needs privateKey`);
    });
  }
  if (has('caCrl')) {
    if (has('credentialName')) r.at('caCrl').error('caCrl cannot be used with credentialName (put the CRL in the Secret)');
    if (mode === 'SIMPLE') r.at('caCrl').error('caCrl is not supported with SIMPLE TLS');
  }
}

/**
 * A `namespace/dnsName` host (Gateway servers; Sidecar egress), or on a Gateway a bare dnsName:
 * namespace `*`, `.`, a DNS label (Sidecar: optionally `~`-prefixed); dnsName `*` or containing a
 * dot, a valid wildcard domain (a Gateway also takes an IP), and no partial wildcard.
 * Go: `agent.ValidateNamespaceSlashWildcardHostname`, `validateSidecarOrGatewayHostnamePart`.
 */
export function checkNamespaceHost(r: Reporter, host: string, isGateway: boolean): void {
  const slash = host.indexOf('/');
  if (slash < 0) {
    if (isGateway) checkHostnamePart(r, host, true);
    else r.error(`host ${show(host)} is not in namespace/dnsName form`);
    return;
  }
  const ns = host.slice(0, slash);
  const name = host.slice(slash + 1);
  if (ns === '' || name === '') r.error(`host ${show(host)} has an empty namespace or dnsName`);
  if (!isGateway) {
    const n = ns.startsWith('~') ? ns.slice(1) : ns;
    if (n !== '' && n !== '*' && n !== '.' && !isDnsLabel(n)) r.error(`host ${show(host)} has an invalid namespace ${show(ns)}`);
  } else if (ns !== '*' && ns !== '.' && !isDnsLabel(ns)) {
    r.error(`host ${show(host)} has an invalid namespace ${show(ns)}`);
  }
  checkHostnamePart(r, name, isGateway);
}

function checkHostnamePart(r: Reporter, name: string, isGateway: boolean): void {
  if (name !== '*' && !name.includes('.')) r.error(`host ${show(name)} is a short name; use a fully qualified name (with a dot) or "*"`);
  const p = wildcardDomainProblem(name);
  if (p && !(isGateway && isIp(name))) r.error(`host ${show(name)} is invalid: ${p}`);
  if (isPartialWildcard(name)) r.error(`host ${show(name)} has a partial wildcard; "*" may only be the whole host or a "*." prefix`);
}
