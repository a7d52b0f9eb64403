/**
 * Istio's validating-webhook rules for `DestinationRule` (Go: `ValidateDestinationRule`,
 * `validateTrafficPolicy` and helpers in `pkg/config/validation/validation.go`, `agent.ValidateTLS`,
 * `agent.ValidateLocalityLbSetting`, `agent.ValidateZoneAwareLbSetting`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 * @internal
 */
import { show } from '../errors';
import {
  Reporter, checkDuration, checkExportTo, checkLabelMap, checkPercent, checkPortNumber, checkWorkloadSelector, durationMillis,
  entries, fqdnProblem, isDnsLabel, isIp, isObject, isSet, list, num, str, wildcardDomainProblem,
} from './common';

/** Topology labels `failoverPriority` may not use together with `failover` (or at all, for zone-aware LB). */
const TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone']);

/**
 * Checks one DestinationRule spec. Go: `ValidateDestinationRule`.
 * @param r reporter at `spec`
 */
export function checkDestinationRule(r: Reporter, spec: Record<string, any>): void {
  const p = wildcardDomainProblem(str(spec.host));
  if (p) r.at('host').error(`host ${show(spec.host ?? '')} is invalid: ${p}`);
  checkTrafficPolicy(r.at('trafficPolicy'), spec.trafficPolicy);
  const names = new Set<string>();
  list(spec.subsets).forEach((s, i) => {
    const at = r.at('subsets', i);
    if (!isObject(s)) { at.error('a subset is null'); return; }
    const name = str(s.name);
    if (names.has(name)) at.at('name').error(`subset name ${show(name)} is used twice`);
    names.add(name);
    if (name === '') at.at('name').error('a subset needs a name');
    else if (!isDnsLabel(name)) at.at('name').error(`subset name ${show(name)} is not a DNS label (no dots)`);
    checkLabelMap(at.at('labels'), s.labels);
    checkTrafficPolicy(at.at('trafficPolicy'), s.trafficPolicy);
  });
  checkExportTo(r.at('exportTo'), spec.exportTo, { drWithSelector: isSet(spec.workloadSelector) });
  checkWorkloadSelector(r.at('workloadSelector'), spec.workloadSelector);
}

/** Go: `validateTrafficPolicy`. */
export function checkTrafficPolicy(r: Reporter, policy: unknown): void {
  if (!isSet(policy)) return;
  const tp = isObject(policy) ? policy : {};
  const fields = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
  if (!fields.some((f) => isSet(tp[f]))) { r.error('a traffic policy must set at least one field'); return; }
  if (isSet(tp.tunnel) && isSet(tp.proxyProtocol)) { r.error('tunnel and proxyProtocol cannot be set together'); return; }
  checkOutlierDetection(r.at('outlierDetection'), tp.outlierDetection);
  checkConnectionPool(r.at('connectionPool'), tp.connectionPool);
  checkLoadBalancer(r.at('loadBalancer'), tp.loadBalancer, tp.outlierDetection);
  checkClientTls(r.at('tls'), tp.tls);
  list(tp.portLevelSettings).forEach((pl, i) => {
    const at = r.at('portLevelSettings', i);
    if (!isObject(pl)) { at.error('a port traffic policy is null'); return; }
    if (!isSet(pl.port)) at.at('port').error('a port traffic policy needs a port');
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((f) => isSet(pl[f]))) {
      at.error('a port traffic policy must set at least one of outlierDetection, connectionPool, loadBalancer or tls');
      return;
    }
    checkOutlierDetection(at.at('outlierDetection'), pl.outlierDetection);
    checkConnectionPool(at.at('connectionPool'), pl.connectionPool);
    checkLoadBalancer(at.at('loadBalancer'), pl.loadBalancer, pl.outlierDetection);
    checkClientTls(at.at('tls'), pl.tls);
  });
  checkTunnel(r.at('tunnel'), tp.tunnel);
  if (isObject(tp.proxyProtocol) && num(versionNumber(tp.proxyProtocol.version)) > 1) {
    r.at('proxyProtocol', 'version').error(`proxy protocol version ${show(tp.proxyProtocol.version)} is not V1 or V2`);
  }
}

/** An enum field written by name or number: `V1` → 0, `V2` → 1. */
function versionNumber(v: unknown): number {
  if (v === 'V1' || v === undefined) return 0;
  if (v === 'V2') return 1;
  return typeof v === 'number' ? v : 99;
}

/** Go: `validateTunnelSettings`. */
function checkTunnel(r: Reporter, tunnel: unknown): void {
  if (!isSet(tunnel)) return;
  const t = isObject(tunnel) ? tunnel : {};
  if (str(t.protocol) !== '' && t.protocol !== 'CONNECT' && t.protocol !== 'POST') r.at('protocol').error(`tunnel protocol ${show(t.protocol)} is not "CONNECT" or "POST"`);
  if (fqdnProblem(str(t.targetHost)) && !isIp(t.targetHost)) r.at('targetHost').error(`tunnel targetHost ${show(t.targetHost ?? '')} is neither an FQDN nor an IP address`);
  checkPortNumber(r.at('targetPort'), num(t.targetPort), 'tunnel targetPort');
}

/** Go: `validateOutlierDetection`. */
function checkOutlierDetection(r: Reporter, outlier: unknown): void {
  if (!isObject(outlier)) return;
  checkDuration(r.at('baseEjectionTime'), outlier.baseEjectionTime);
  if (num(outlier.consecutiveErrors) !== 0) r.at('consecutiveErrors').warn('consecutiveErrors is deprecated; use consecutiveGatewayErrors or consecutive5xxErrors');
  if (outlier.splitExternalLocalOriginErrors !== true && num(outlier.consecutiveLocalOriginFailures) > 0) {
    r.at('consecutiveLocalOriginFailures').error('consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true');
  }
  checkDuration(r.at('interval'), outlier.interval);
  checkPercent(r.at('maxEjectionPercent'), outlier.maxEjectionPercent);
  checkPercent(r.at('minHealthPercent'), outlier.minHealthPercent);
}

/** Go: `validateConnectionPool` (also used for Sidecar inbound connection pools). */
export function checkConnectionPool(r: Reporter, pool: unknown): void {
  if (!isSet(pool)) return;
  const cp = isObject(pool) ? pool : {};
  if (!isSet(cp.http) && !isSet(cp.tcp)) { r.error('a connection pool must set http or tcp'); return; }
  if (isObject(cp.http)) {
    const h = cp.http;
    const at = r.at('http');
    for (const f of ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams']) {
      if (num(h[f]) < 0) at.at(f).error(`${f} cannot be negative`);
    }
    checkDuration(at.at('idleTimeout'), h.idleTimeout);
    if (h.h2UpgradePolicy === 'UPGRADE' && h.useClientProtocol === true) at.at('useClientProtocol').error('useClientProtocol cannot be true when h2UpgradePolicy is UPGRADE');
    if (isSet(h.http2KeepAlive)) {
      const ka = isObject(h.http2KeepAlive) ? h.http2KeepAlive : {};
      for (const f of ['interval', 'timeout']) {
        if (!isSet(ka[f])) at.at('http2KeepAlive', f).error(`http2KeepAlive needs ${f}`);
        else checkDuration(at.at('http2KeepAlive', f), ka[f]);
      }
    }
  }
  if (isObject(cp.tcp)) {
    const t = cp.tcp;
    const at = r.at('tcp');
    if (num(t.maxConnections) < 0) at.at('maxConnections').error('maxConnections cannot be negative');
    checkDuration(at.at('connectTimeout'), t.connectTimeout);
    checkDuration(at.at('maxConnectionDuration'), t.maxConnectionDuration);
    // idleTimeout 0s disables the timeout, and is accepted.
    if (isSet(t.idleTimeout) && durationMillis(t.idleTimeout) !== 0) checkDuration(at.at('idleTimeout'), t.idleTimeout);
    if (isObject(t.tcpKeepalive)) {
      checkDuration(at.at('tcpKeepalive', 'time'), t.tcpKeepalive.time);
      checkDuration(at.at('tcpKeepalive', 'interval'), t.tcpKeepalive.interval);
    }
  }
}

/** Envoy's primality test for Maglev table sizes. Go: `isPrime`. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  const limit = Math.floor(Math.sqrt(x));
  for (let f = 3; f <= limit; f += 2) if (x % f === 0) return false;
  return true;
}

/** Go: `validateLoadBalancer`. */
function checkLoadBalancer(r: Reporter, lb: unknown, outlier: unknown): void {
  if (!isObject(lb)) return;
  if (isObject(lb.consistentHash)) {
    const ch = lb.consistentHash;
    const at = r.at('consistentHash');
    if (isSet(ch.httpCookie)) {
      const cookie = isObject(ch.httpCookie) ? ch.httpCookie : {};
      if (str(cookie.name) === '') at.at('httpCookie', 'name').error('an httpCookie needs a name');
      const names = new Set<string>();
      list(cookie.attributes).forEach((a, i) => {
        const n = isObject(a) ? str(a.name) : '';
        if (n === '') { at.at('httpCookie', 'attributes', i, 'name').error('a cookie attribute needs a name'); return; }
        if (names.has(n)) at.at('httpCookie', 'attributes', i, 'name').error(`cookie attribute ${show(n)} is listed twice`);
        names.add(n);
      });
    }
    if (num(ch.minimumRingSize) !== 0) {
      at.at('minimumRingSize').warn('minimumRingSize is deprecated; use ringHash.minimumRingSize');
      if (isSet(ch.ringHash) || isSet(ch.maglev)) at.at('minimumRingSize').error('minimumRingSize cannot be combined with ringHash or maglev');
    }
    if (isSet(ch.maglev)) {
      const size = num(isObject(ch.maglev) ? ch.maglev.tableSize : 0);
      const mat = at.at('maglev', 'tableSize');
      if (size === 0) mat.error('maglev needs a tableSize');
      if (size >= 5000011) mat.error(`maglev tableSize ${size} must be below 5000011`);
      if (!isPrime(size)) mat.error(`maglev tableSize ${size} is not a prime number`);
    }
  }
  if (isSet(lb.localityLbSetting) && isSet(lb.zoneAwareLbSetting)) r.error('localityLbSetting and zoneAwareLbSetting cannot both be set');
  checkLocalityLb(r.at('localityLbSetting'), lb.localityLbSetting, outlier);
  checkZoneAwareLb(r.at('zoneAwareLbSetting'), lb.zoneAwareLbSetting, outlier);
  if (isSet(lb.warmup)) {
    const w = isObject(lb.warmup) ? lb.warmup : {};
    const at = r.at('warmup');
    if (!isSet(w.duration)) at.at('duration').error('warmup needs a duration');
    else checkDuration(at.at('duration'), w.duration);
    if (num(w.minimumPercent) > 100) at.at('minimumPercent').error(`minimumPercent ${show(w.minimumPercent)} is above 100`);
    if (isSet(w.aggression) && num(w.aggression) <= 0) at.at('aggression').error(`aggression ${show(w.aggression)} must be above 0`);
  }
}

/** Go: `agent.ValidateLocalityLbSetting`. */
function checkLocalityLb(r: Reporter, setting: unknown, outlier: unknown): void {
  if (!isObject(setting)) return;
  const distribute = list(setting.distribute);
  const failover = list(setting.failover);
  const priority = list(setting.failoverPriority).map(str);
  if (distribute.length > 0 && failover.length > 0) { r.error('distribute and failover cannot both be set'); return; }
  if (failover.length > 0) {
    const topo = priority.find((l) => TOPOLOGY_LABELS.has(l));
    if (topo) { r.at('failoverPriority').error(`failover cannot be combined with the topology label ${show(topo)} in failoverPriority`); return; }
  }
  const sources: string[] = [];
  for (let i = 0; i < distribute.length; i++) {
    const d = isObject(distribute[i]) ? distribute[i] : {};
    sources.push(str(d.from));
    let total = 0;
    for (const [, w] of entries(d.to)) {
      if (num(w) <= 0 || num(w) > 100) { r.at('distribute', i, 'to').error('each locality weight must be between 1 and 100'); return; }
      total += num(w);
    }
    if (total !== 100) { r.at('distribute', i, 'to').error(`the locality weights total ${total}; they must total 100`); return; }
    const p = localitiesProblem(entries(d.to).map(([k]) => k));
    if (p) r.at('distribute', i, 'to').error(p);
  }
  const p = localitiesProblem(sources);
  if (p) r.at('distribute').error(p);
  if ((failover.length > 0 || priority.length > 0) && !isSet(outlier)) r.warn('failover needs an outlierDetection policy to take effect');
  checkFailovers(r, failover, 'locality');
}

function checkFailovers(r: Reporter, failover: any[], what: string): void {
  failover.forEach((f, i) => {
    const from = isObject(f) ? str(f.from) : '';
    const to = isObject(f) ? str(f.to) : '';
    const at = r.at('failover', i);
    if (from === to) at.error(`${what} failover must go from one region to a different one`);
    if (from.includes('/') || to.includes('/')) at.error(`${what} failover takes regions only (no "/")`);
    if (from.includes('*') || to.includes('*')) at.error(`${what} failover regions cannot contain "*"`);
  });
}

/** Go: `agent.ValidateZoneAwareLbSetting`. */
function checkZoneAwareLb(r: Reporter, setting: unknown, outlier: unknown): void {
  if (!isObject(setting)) return;
  const priority = list(setting.failoverPriority).map(str);
  priority.forEach((l, i) => {
    if (TOPOLOGY_LABELS.has(l)) r.at('failoverPriority', i).error(`zone-aware failoverPriority cannot use the topology label ${show(l)}; region and zone routing is automatic`);
  });
  const failover = list(setting.failover);
  if ((failover.length > 0 || priority.length > 0) && !isSet(outlier)) r.warn('failover needs an outlierDetection policy to take effect');
  checkFailovers(r, failover, 'zone-aware');
}

/** Localities `region/zone/subzone`: no empty part, at most one `*` and only at the end, no overlap. Go: `validateLocalities`. */
function localitiesProblem(localities: string[]): string | undefined {
  const tree = new Map<string, Map<string, Set<string>>>();
  for (const loc of localities) {
    const stars = loc.split('*').length - 1;
    if (stars > 0 && (stars > 1 || !loc.endsWith('*'))) return `locality ${show(loc)} may have one "*", at its end only`;
    if (tree.has('*')) return `locality ${show(loc)} overlaps an earlier one`;
    const items = splitN(loc, '/', 3);
    if (items.some((x) => x === '')) return `locality ${show(loc)} has an empty region, zone or subzone`;
    const [region, zone, sub] = items;
    const zones = tree.get(region);
    if (items.length === 1) {
      if (zones) return `locality ${show(loc)} overlaps an earlier one`;
      tree.set(region, new Map([['*', new Set(['*'])]]));
    } else if (items.length === 2) {
      if (zones) {
        if (zones.has('*') || zones.has(zone)) return `locality ${show(loc)} overlaps an earlier one`;
        zones.set(zone, new Set(['*']));
      } else tree.set(region, new Map([[zone, new Set(['*'])]]));
    } else if (zones) {
      if (zones.has('*')) return `locality ${show(loc)} overlaps an earlier one`;
      const subs = zones.get(zone);
      if (subs) {
        if (subs.has('*') || subs.has(sub)) return `locality ${show(loc)} overlaps an earlier one`;
        subs.add(sub);
      } else zones.set(zone, new Set([sub]));
    } else tree.set(region, new Map([[zone, new Set([sub])]]));
  }
  return undefined;
}

/** Go's `strings.SplitN`. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** Client TLS settings. Go: `agent.ValidateTLS`. */
function checkClientTls(r: Reporter, tls: unknown): void {
  if (!isObject(tls)) return;
  const mode = str(tls.mode);
  const cred = str(tls.credentialName);
  if (cred.startsWith('configmap://')) {
    const rest = cred.slice('configmap://'.length);
    const parts = rest.split('/');
    const ns = parts.length === 2 ? parts[0] : r.namespace;
    if (rest === '' || parts.length > 2 || parts.some((x) => x === '')) r.at('credentialName').error(`credentialName ${show(cred)} is not configmap://<name> or configmap://<namespace>/<name>`);
    else if (ns !== r.namespace || r.namespace === '') r.at('credentialName').error(`a configmap:// credentialName must be in the DestinationRule's own namespace${r.namespace ? ` (${r.namespace})` : ''}`);
  }
  const skip = tls.insecureSkipVerify === true || (isObject(tls.insecureSkipVerify) && tls.insecureSkipVerify.value === true);
  if (skip) {
    if (mode === 'SIMPLE' && (str(tls.caCertificates) !== '' || cred !== '' || isSet(tls.subjectAltNames))) {
      r.at('insecureSkipVerify').error('insecureSkipVerify: true cannot be combined with caCertificates, credentialName or subjectAltNames');
    }
    if (mode === 'MUTUAL' && (str(tls.caCertificates) !== '' || isSet(tls.subjectAltNames))) {
      r.at('insecureSkipVerify').error('insecureSkipVerify: true cannot be combined with caCertificates or subjectAltNames');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && cred !== '') {
    if (['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].some((f) => str(tls[f]) !== '')) {
      r.at('credentialName').error('with credentialName, clientCertificate, privateKey, caCertificates and caCrl must not be set (they come from the Secret)');
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (str(tls.clientCertificate) === '') r.at('clientCertificate').error('MUTUAL TLS without credentialName needs clientCertificate');
    if (str(tls.privateKey) === '') r.at('privateKey').error('MUTUAL TLS without credentialName needs privateKey');
  }
}
