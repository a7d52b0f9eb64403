/**
 * Istio's validating-webhook rules for `Sidecar` (Go: `ValidateSidecar`,
 * `validateSidecarIngressPortAndBind`, `validateSidecarEgressPortBindAndCaptureMode`,
 * `validateSidecarOutboundTrafficPolicy`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 * @internal
 */
import { show } from '../errors';
import {
  Reporter, UNIX_PREFIX, checkAlphaWorkloadSelector, checkPortName, checkPortNumber, checkProtocol, fqdnProblem, isHttpProtocol,
  isIp, isObject, isPort, isSet, isTlsProtocol, list, num, parseProtocol, str, unixAddressProblem,
} from './common';
import { checkConnectionPool } from './destination-rule';
import { checkNamespaceHost, checkServerTls } from './gateway';
import { checkDestination } from './virtual-service';

/**
 * Checks one Sidecar spec. Go: `ValidateSidecar`.
 * @param r reporter at `spec`
 */
export function checkSidecar(r: Reporter, spec: Record<string, any>): void {
  checkAlphaWorkloadSelector(r.at('workloadSelector'), spec.workloadSelector);
  if (list(spec.egress).length === 0 && list(spec.ingress).length === 0 && !isSet(spec.outboundTrafficPolicy) && !isSet(spec.inboundConnectionPool)) {
    r.error('a Sidecar must configure at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool');
    return;
  }
  const ingressPorts = new Set<number>();
  list(spec.ingress).forEach((ing, i) => {
    const at = r.at('ingress', i);
    if (!isObject(ing)) { at.error('an ingress listener is null'); return; }
    if (!isObject(ing.port)) { at.at('port').error('an ingress listener needs a port'); return; }
    const port = ing.port;
    if (num(port.targetPort) > 0) at.at('port', 'targetPort').error('targetPort has no effect on a Sidecar; remove it');
    if (str(port.name) !== '') checkPortName(at.at('port', 'name'), port.name);
    checkProtocol(at.at('port', 'protocol'), port.protocol);
    checkPortNumber(at.at('port', 'number'), port.number);
    if (str(ing.bind) !== '' && !isIp(ing.bind)) at.at('bind').error(`bind ${show(ing.bind)} is not an IP address`);
    if (ingressPorts.has(num(port.number))) at.at('port', 'number').error(`port ${num(port.number)} is used by two ingress listeners`);
    ingressPorts.add(num(port.number));
    checkDefaultEndpoint(at.at('defaultEndpoint'), str(ing.defaultEndpoint));
    if (isObject(ing.tls)) {
      const tls = ing.tls;
      const tat = at.at('tls');
      if (list(tls.subjectAltNames).length > 0) tat.at('subjectAltNames').error('subjectAltNames is not supported in Sidecar ingress TLS');
      if (tls.httpsRedirect === true) tat.at('httpsRedirect').error('httpsRedirect is not supported in Sidecar ingress TLS');
      if (str(tls.credentialName) !== '') tat.at('credentialName').error('credentialName is not supported in Sidecar ingress TLS');
      if (list(tls.credentialNames).length > 0) tat.at('credentialNames').error('credentialNames is not supported in Sidecar ingress TLS');
      if (list(tls.tlsCertificates).length > 0) tat.at('tlsCertificates').error('tlsCertificates is not supported in Sidecar ingress TLS');
      if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') tat.at('mode').error(`TLS mode ${tls.mode} cannot be used in Sidecar ingress TLS`);
      if (!isTlsProtocol(parseProtocol(port.protocol))) tat.error('only an HTTPS or TLS port can have tls settings');
      checkServerTls(tat, tls);
    }
    checkConnectionPool(at.at('connectionPool'), ing.connectionPool);
    if (isObject(ing.connectionPool) && isSet(ing.connectionPool.http) && !isHttpProtocol(parseProtocol(port.protocol))) {
      at.at('connectionPool', 'http').warn(`port ${num(port.number)} is not HTTP (${str(port.protocol) || 'unset'}), so only the TCP connection-pool settings apply`);
    }
  });
  checkConnectionPool(r.at('inboundConnectionPool'), spec.inboundConnectionPool);

  const egressPorts = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  const egress = list(spec.egress);
  egress.forEach((eg, i) => {
    const at = r.at('egress', i);
    if (!isObject(eg)) { at.error('an egress listener is null'); return; }
    if (!isSet(eg.port)) {
      if (catchAll) { at.error('only one egress listener may have no port'); return; }
      if (i === egress.length - 1) catchAll = true;
      else at.error('the egress listener without a port must be the last one');
    } else {
      const port = isObject(eg.port) ? eg.port : {};
      if (num(port.targetPort) > 0) at.at('port', 'targetPort').error('targetPort has no effect on a Sidecar; remove it');
      const bind = str(eg.bind);
      checkEgressPort(at, port, bind, str(eg.captureMode) || 'DEFAULT');
      if (num(port.number) === 0) {
        if (sockets.has(bind)) at.at('bind').error(`unix socket ${show(bind)} is used by two egress listeners`);
        sockets.add(bind);
      } else {
        if (egressPorts.has(num(port.number))) at.at('port', 'number').error(`port ${num(port.number)} is used by two egress listeners`);
        egressPorts.add(num(port.number));
      }
    }
    checkEgressHosts(at.at('hosts'), list(eg.hosts).map(str), r.namespace);
  });
  checkOutboundTrafficPolicy(r.at('outboundTrafficPolicy'), spec.outboundTrafficPolicy);
}

/** `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>`, `[::]:<port>`, `:<port>` or `unix://path`. */
function checkDefaultEndpoint(r: Reporter, ep: string): void {
  if (ep === '') return;
  if (ep.startsWith(UNIX_PREFIX)) {
    const p = unixAddressProblem(ep.slice(UNIX_PREFIX.length));
    if (p) r.error(p);
    return;
  }
  const m = /^(?:\[([^\]]*)\]|([^:\[\]]*)):([^:]*)$/.exec(ep);
  if (!m) { r.error(`defaultEndpoint ${show(ep)} is not host:port`); return; }
  const host = m[1] ?? m[2];
  if (host !== '' && !['127.0.0.1', '0.0.0.0', '::1', '::'].includes(host)) {
    r.error(`defaultEndpoint ${show(ep)} must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port>, :<port> or unix://<path>`);
  }
  if (!/^[0-9]+$/.test(m[3]) || !isPort(Number(m[3]))) r.error(`defaultEndpoint port ${show(m[3])} is not between 1 and 65535`);
}

/** Go: `validateSidecarEgressPortBindAndCaptureMode`. */
function checkEgressPort(r: Reporter, port: Record<string, any>, bind: string, captureMode: string): void {
  if (str(port.name) !== '') checkPortName(r.at('port', 'name'), port.name);
  checkProtocol(r.at('port', 'protocol'), port.protocol);
  if (num(port.number) === 0) {
    if (!bind.startsWith(UNIX_PREFIX)) r.at('bind').error('an egress listener with port 0 needs a unix:// bind address');
    else {
      const p = unixAddressProblem(bind.slice(UNIX_PREFIX.length));
      if (p) r.at('bind').error(p);
    }
    if (captureMode !== 'DEFAULT' && captureMode !== 'NONE') r.at('captureMode').error('a unix socket listener needs captureMode DEFAULT or NONE');
  } else {
    checkPortNumber(r.at('port', 'number'), port.number);
    if (bind !== '' && !isIp(bind)) r.at('bind').error(`bind ${show(bind)} is not an IP address`);
  }
}

/** Egress hosts: at least one, each `ns/dnsName`; duplicates and `*\/*` next to others warned. */
function checkEgressHosts(r: Reporter, hosts: string[], namespace: string): void {
  if (hosts.length === 0) { r.error('an egress listener needs at least one host'); return; }
  const byNs = new Map<string, Set<string>>();
  hosts.forEach((h, i) => {
    const slash = h.indexOf('/');
    if (slash >= 0 && !h.startsWith('~')) {
      let ns = h.slice(0, slash);
      const svc = h.slice(slash + 1);
      if (ns === '.') ns = namespace;
      const set = byNs.get(ns) ?? new Set<string>();
      byNs.set(ns, set);
      if (svc !== '*' ? set.has(svc) || set.has('*') : set.size > 0) r.at(i).warn(`egress host ${show(h)} repeats or is covered by an earlier host`);
      set.add(svc);
    }
    checkNamespaceHost(r.at(i), h, false);
  });
  if (byNs.get('*')?.has('*') && byNs.size !== 1) r.warn('"*/*" already selects every host; the other hosts add nothing');
}

/** Go: `validateSidecarOutboundTrafficPolicy`. */
function checkOutboundTrafficPolicy(r: Reporter, tp: unknown): void {
  if (!isObject(tp)) return;
  const mode = str(tp.mode) || 'REGISTRY_ONLY';
  if (mode === 'ALLOW_ANY_DYNAMIC_DNS') { r.at('mode').error('ALLOW_ANY_DYNAMIC_DNS can only be set in MeshConfig, not on a Sidecar'); return; }
  if (!isSet(tp.egressProxy)) return;
  if (mode !== 'ALLOW_ANY') { r.at('egressProxy').error('egressProxy can only be used with mode ALLOW_ANY'); return; }
  const proxy = isObject(tp.egressProxy) ? tp.egressProxy : {};
  const p = fqdnProblem(str(proxy.host));
  if (p) r.at('egressProxy', 'host').error(`egressProxy host ${show(proxy.host ?? '')} is not an FQDN: ${p}`);
  if (!isSet(proxy.port)) { r.at('egressProxy', 'port').error('egressProxy needs a port'); return; }
  checkDestination(r.at('egressProxy'), proxy);
}
