/**
 * Istio's validating-webhook rules for `VirtualService` (Go: `ValidateVirtualService`,
 * `validateHTTPRoute` and helpers in `pkg/config/validation/{validation,virtualservice}.go`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 * @internal
 */
import { show } from '../errors';
import {
  Reporter, checkDuration, checkExportTo, checkFractionalPercent, checkHeaderOperations, checkIpOrCidr, checkLabelMap,
  checkMatchHeaderName, checkPortNumber, checkRe2, entries, fqdnProblem, isAuthorityHeader, isDnsLabel, isIp, isJwtClaimHeader,
  isObject, isSet, list, num, str, wildcardDomainProblem, durationMillis,
} from './common';

/** gRPC status names a fault abort may use. Go: `grpc.SupportedGRPCStatus`. */
const GRPC_STATUS = new Set(['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL',
  'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED']);

/** Envoy `retryOn` policies. Go: `supportedRetryOnPolicies`. */
const RETRY_ON = new Set(['5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded',
  'internal', 'resource-exhausted', 'unavailable']);

/** HTTP status codes Go's `net/http.StatusText` knows (what `retryOn` accepts as a number). */
const HTTP_STATUS = new Set([100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429,
  431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511]);

/** CORS methods. Go: `supportedCORSMethods`. */
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);

/**
 * Checks one VirtualService spec. Go: `ValidateVirtualService`.
 * @param r reporter at `spec`
 */
export function checkVirtualService(r: Reporter, spec: Record<string, any>): void {
  const hosts = list(spec.hosts).map(str);
  const gateways = list(spec.gateways).map(str);
  const delegate = hosts.length === 0;
  if (delegate) {
    // A VS without hosts is a delegate: it is only reachable through a root VS's http delegate.
    if (gateways.length > 0) r.at('gateways').error('a delegate VirtualService (no hosts) cannot list gateways');
    if (list(spec.tls).length > 0) r.at('tls').error('a delegate VirtualService (no hosts) cannot have tls routes');
    if (list(spec.tcp).length > 0) r.at('tcp').error('a delegate VirtualService (no hosts) cannot have tcp routes');
  }
  const appliesToGateway = gateways.length > 0 && !gateways.includes('mesh');
  const appliesToMesh = !appliesToGateway;
  checkGatewayNames(r.at('gateways'), spec.gateways);

  if (!appliesToGateway) {
    list(spec.http).forEach((h, i) => list(isObject(h) ? h.match : undefined).forEach((m, j) => {
      for (const field of ['headers', 'withoutHeaders']) {
        for (const [name] of entries(isObject(m) ? m[field] : undefined)) {
          if (isJwtClaimHeader(name)) {
            r.at('http', i, 'match', j, field, name).error('JWT claim routing is only supported on a VirtualService bound to gateways (not the mesh)');
          }
        }
      }
    }));
  }

  let allHostsValid = true;
  const sni = list(spec.tls).some((t) => list(isObject(t) ? t.match : undefined).some((m) => list(isObject(m) ? m.sniHosts : undefined).length > 0));
  hosts.forEach((h, i) => {
    const problem = appliesToGateway ? gatewayBoundDomainProblem(sni, h) : wildcardDomainProblem(h);
    if (problem) {
      if (!isIp(h)) {
        r.at('hosts', i).error(`host ${show(h)} is invalid: ${problem}`);
        allHostsValid = false;
      }
    } else if (appliesToMesh && h === '*') {
      r.at('hosts', i).error('host "*" is not allowed on a VirtualService that applies to the mesh (no gateways, or "mesh" listed)');
      allHostsValid = false;
    }
  });
  if (allHostsValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostsMatch(hosts[i], hosts[j])) r.at('hosts', j).error(`hosts ${show(hosts[i])} and ${show(hosts[j])} overlap; list each host once`);
      }
    }
  }

  if (list(spec.http).length === 0 && list(spec.tcp).length === 0 && list(spec.tls).length === 0) {
    r.error('a VirtualService needs at least one of http, tcp or tls routes');
  }
  list(spec.http).forEach((h, i) => {
    if (!isObject(h)) r.at('http', i).error('an http route is null');
    else checkHttpRoute(r.at('http', i), h, delegate);
  });
  list(spec.tls).forEach((t, i) => { if (isObject(t)) checkTlsRoute(r.at('tls', i), t, hosts, appliesToGateway); });
  list(spec.tcp).forEach((t, i) => { if (isObject(t)) checkTcpRoute(r.at('tcp', i), t); });
  checkExportTo(r.at('exportTo'), spec.exportTo);
  analyzeUnreachable(r, 'http', list(spec.http));
  analyzeUnreachable(r, 'tcp', list(spec.tcp));
  analyzeUnreachable(r, 'tls', list(spec.tls));
}

/** Go: `agent.ValidateWildcardDomainForVirtualServiceBoundToGateway` (accepts auto-generated `outbound_.<port>_._.<host>` SNI names). */
function gatewayBoundDomainProblem(sni: boolean, domain: string): string | undefined {
  if (sni && domain.startsWith('outbound_')) {
    if (domain.length > 255) return 'it is longer than 255 characters';
    const parts = domain.split('_');
    if (parts.length < 4) return 'it does not follow the outbound_.<port>_._.<hostname> format';
    const port = parts[1].replace(/^\.+|\.+$/g, '');
    const hostname = parts[3].replace(/^\.+|\.+$/g, '');
    if (parts[0] !== 'outbound') return `its label ${show(parts[0])} is invalid`;
    if (!/[0-9]/.test(port)) return `its port part ${show(port)} does not follow the outbound_.<port>_._.<hostname> format`;
    if (!/[a-zA-Z]/.test(hostname)) return `its hostname part ${show(hostname)} does not follow the outbound_.<port>_._.<hostname> format`;
    return undefined;
  }
  return wildcardDomainProblem(domain);
}

/** Whether two hosts match each other, wildcards included. Go: `host.Name.Matches`. */
function hostsMatch(a: string, b: string): boolean {
  const wa = a.startsWith('*');
  const wb = b.startsWith('*');
  if (wa && !wb) return b.endsWith(a.slice(1));
  if (!wa && wb) return a.endsWith(b.slice(1));
  if (wa && wb) return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  return a === b;
}

/** Whether `a` is a subset of `b` (`a.foo.com` ⊂ `*.foo.com`). Go: `host.Name.SubsetOf`. */
function hostSubsetOf(a: string, b: string): boolean {
  if (b.startsWith('*')) {
    if (a.startsWith('*')) return a.slice(1).endsWith(b.slice(1));
    return a.endsWith(b.slice(1));
  }
  return a === b;
}

/** `gateways` entries: `mesh`, an FQDN-like name (legacy `name.namespace` warned), or `namespace/name`. Go: `validateGatewayNames`. */
export function checkGatewayNames(r: Reporter, gateways: unknown): void {
  list(gateways).forEach((g, i) => {
    const name = str(g);
    const at = r.at(i);
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const parts = name.split('.');
        at.warn(`gateway ${show(name)} uses the legacy name.namespace form; write ${show(`${parts[1]}/${parts[0]}`)}`);
      }
      const p = fqdnProblem(name);
      if (p) at.error(`gateway ${show(name)} is invalid: ${p}`);
      return;
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns === '' || gw === '') at.error(`gateway ${show(name)} has an empty namespace or name (write namespace/name)`);
    if (!isDnsLabel(ns)) at.error(`gateway ${show(name)} has an invalid namespace ${show(ns)}`);
    if (!isDnsLabel(gw)) at.error(`gateway ${show(name)} has an invalid name ${show(gw)}`);
  });
}

/** Go: `validateHTTPRoute`. */
function checkHttpRoute(r: Reporter, h: Record<string, any>, delegateVs: boolean): void {
  checkHttpRouteConflict(r, h, delegateVs);
  checkHttpMatches(r, h);
  checkHeaderOperations(r.at('headers'), h.headers);
  checkCors(r.at('corsPolicy'), h.corsPolicy);
  checkFault(r.at('fault'), h.fault);
  if (isSet(h.mirrorPercent)) {
    const v = num(isObject(h.mirrorPercent) ? h.mirrorPercent.value : h.mirrorPercent);
    if (v > 100) r.at('mirrorPercent').error(`mirrorPercent ${v} is above 100`);
    r.at('mirrorPercent').warn('mirrorPercent is deprecated; use mirrorPercentage');
  }
  if (isObject(h.mirrorPercentage)) {
    const v = num(h.mirrorPercentage.value);
    if (v > 100 || v < 0) r.at('mirrorPercentage', 'value').error(`mirrorPercentage ${v} is not between 0 and 100`);
  }
  checkDestination(r.at('mirror'), h.mirror);
  list(h.mirrors).forEach((m, i) => {
    const at = r.at('mirrors', i);
    if (!isObject(m)) { at.error('a mirror is null'); return; }
    if (!isObject(m.destination)) { at.at('destination').error('a mirror needs a destination'); return; }
    checkDestination(at.at('destination'), m.destination);
    if (isObject(m.percentage)) {
      const v = num(m.percentage.value);
      if (v > 100 || v < 0) at.at('percentage', 'value').error(`mirror percentage ${v} is not between 0 and 100`);
    }
  });
  checkRedirect(r.at('redirect'), h.redirect, list(h.match));
  checkDirectResponse(r.at('directResponse'), h.directResponse);
  checkRetries(r.at('retries'), h.retries);
  checkRewrite(r.at('rewrite'), h.rewrite);
  checkAuthorityRewrite(r, h.rewrite, h.headers);
  checkRouteDestinations(r.at('route'), h.route, true);
  checkDuration(r.at('timeout'), h.timeout);
}

/** Exactly one action per rule, and the combinations Istio refuses. Go: `validateHTTPRouteConflict`. */
function checkHttpRouteConflict(r: Reporter, h: Record<string, any>, delegateVs: boolean): void {
  const has = (k: string) => isSet(h[k]);
  const hasRoute = list(h.route).length > 0;
  if (!delegateVs && has('delegate')) {
    if (has('redirect')) r.at('redirect').error('a rule with a delegate cannot also redirect');
    if (has('route')) r.at('route').error('a rule with a delegate cannot also have a route');
    return;
  }
  if (delegateVs && has('delegate')) r.at('delegate').error('a delegate VirtualService cannot delegate again');
  if (has('redirect')) {
    if (hasRoute) r.at('redirect').error('a rule cannot have both route and redirect');
    if (has('fault')) r.at('redirect').error('a rule cannot have both fault and redirect');
    if (has('rewrite')) r.at('redirect').error('a rule cannot have both rewrite and redirect');
    if (has('directResponse')) r.at('redirect').error('a rule cannot have both directResponse and redirect');
  } else if (has('directResponse')) {
    if (hasRoute) r.at('directResponse').error('a rule cannot have both route and directResponse');
    if (has('fault')) r.at('directResponse').error('a rule cannot have both fault and directResponse');
    if (has('rewrite')) r.at('directResponse').error('a rule cannot have both rewrite and directResponse');
  } else if (!hasRoute) {
    r.error('an http rule needs a route, a redirect or a directResponse');
  }
  if (has('mirror') && list(h.mirrors).length > 0) r.at('mirrors').error('mirror and mirrors cannot both be set');
}

/** Go: `validateStringMatch` (prefix non-empty; regex valid). `uriMode`: Go's `validateStringMatchRegexp` (empty prefix allowed). */
function checkStringMatch(r: Reporter, sm: unknown, uriMode = false): void {
  if (!isObject(sm)) return;
  if ('prefix' in sm && !uriMode && str(sm.prefix) === '' && !('exact' in sm) && !('regex' in sm)) r.at('prefix').error('a prefix match cannot be empty');
  if ('regex' in sm && !('exact' in sm) && !('prefix' in sm)) {
    if (str(sm.regex) === '') r.at('regex').error('a regex match cannot be empty');
    else checkRe2(r.at('regex'), sm.regex);
  }
}

/** Go: `validateHTTPRouteMatchRequest`. */
function checkHttpMatches(r: Reporter, h: Record<string, any>): void {
  list(h.match).forEach((m, i) => {
    if (!isObject(m)) return;
    const at = r.at('match', i);
    for (const [name, sm] of entries(m.headers)) {
      if (!isSet(sm)) at.at('headers', name).error(`header match ${show(name)} is null`);
      checkMatchHeaderName(at.at('headers', name), name);
      checkStringMatch(at.at('headers', name), sm);
    }
    for (const [name, sm] of entries(m.withoutHeaders)) {
      checkMatchHeaderName(at.at('withoutHeaders', name), name);
      // `regex: "*"` is Istio's presence match here, not a regex.
      if (!(isObject(sm) && sm.regex === '*')) checkStringMatch(at.at('withoutHeaders', name), sm);
    }
    checkStringMatch(at.at('uri'), m.uri, true);
    checkStringMatch(at.at('scheme'), m.scheme);
    checkStringMatch(at.at('method'), m.method);
    checkStringMatch(at.at('authority'), m.authority);
    for (const [name, sm] of entries(m.queryParams)) checkStringMatch(at.at('queryParams', name), sm);
    if (num(m.port) !== 0) checkPortNumber(at.at('port'), m.port);
    checkLabelMap(at.at('sourceLabels'), m.sourceLabels);
    checkGatewayNames(at.at('gateways'), m.gateways);
    if (str(m.sourceNamespace) !== '' && !isDnsLabel(m.sourceNamespace)) {
      at.at('sourceNamespace').error(`sourceNamespace ${show(m.sourceNamespace)} is not a namespace name (DNS label)`);
    }
  });
}

/** Go: `validateCORSPolicy`, `validateAllowOrigins`. */
function checkCors(r: Reporter, cors: unknown): void {
  if (!isObject(cors)) return;
  list(cors.allowOrigins).forEach((o, i) => {
    const at = r.at('allowOrigins', i);
    const value = isObject(o) ? str(o.exact ?? o.prefix ?? o.regex) : '';
    if (value === '') at.error('an allowOrigins entry needs a non-empty exact, prefix or regex');
    else if (isObject(o) && 'regex' in o && !('exact' in o) && !('prefix' in o)) checkRe2(at.at('regex'), o.regex);
  });
  list(cors.allowMethods).forEach((m, i) => {
    if (!CORS_METHODS.has(str(m))) r.at('allowMethods', i).error(`${show(m)} is not an HTTP method CORS supports (upper case: GET, POST, ... or "*")`);
  });
  for (const field of ['allowHeaders', 'exposeHeaders']) {
    list(cors[field]).forEach((n, i) => {
      const name = str(n);
      if (name === '') r.at(field, i).error('a header name is empty');
      else if (name !== '*' && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) r.at(field, i).error(`${show(name)} is not a valid header name`);
    });
  }
  if (isSet(cors.maxAge)) {
    checkDuration(r.at('maxAge'), cors.maxAge);
    const ms = durationMillis(cors.maxAge);
    if (ms !== undefined && ms % 1000 !== 0) r.at('maxAge').error(`maxAge ${show(cors.maxAge)} is not whole seconds`);
  }
}

/** Go: `validateHTTPFaultInjection` and its abort/delay helpers. */
function checkFault(r: Reporter, fault: unknown): void {
  if (!isSet(fault)) return;
  const f = isObject(fault) ? fault : {};
  if (!isSet(f.abort) && !isSet(f.delay)) r.error('a fault needs an abort, a delay or both');
  if (isObject(f.abort)) {
    const a = f.abort;
    const at = r.at('abort');
    checkFractionalPercent(at.at('percentage'), a.percentage);
    if (isSet(a.grpcStatus)) {
      if (!GRPC_STATUS.has(str(a.grpcStatus))) at.at('grpcStatus').error(`gRPC status ${show(a.grpcStatus)} is not a gRPC code name such as "UNAVAILABLE" or "NOT_FOUND"`);
    } else if (isSet(a.http2Error)) {
      at.at('http2Error').error('HTTP/2 error abort faults are not supported');
    } else if (isSet(a.httpStatus)) {
      const s = num(a.httpStatus);
      if (s < 200 || s > 600) at.at('httpStatus').error(`HTTP status ${show(a.httpStatus)} is not between 200 and 600`);
    } else {
      at.warn('the abort sets no error type (httpStatus, grpcStatus), so it does nothing');
    }
  }
  if (isObject(f.delay)) {
    const d = f.delay;
    const at = r.at('delay');
    checkFractionalPercent(at.at('percentage'), d.percentage);
    if (isSet(d.fixedDelay)) checkDuration(at.at('fixedDelay'), d.fixedDelay);
    else if (isSet(d.exponentialDelay)) {
      checkDuration(at.at('exponentialDelay'), d.exponentialDelay);
      at.at('exponentialDelay').error('exponentialDelay is not supported; use fixedDelay');
    }
  }
}

/** Go: `validateDestination`. */
export function checkDestination(r: Reporter, d: unknown): void {
  if (!isObject(d)) return;
  const host = str(d.host);
  if (host === '*') r.at('host').error('a destination host cannot be "*"');
  else {
    const p = wildcardDomainProblem(host);
    if (p) r.at('host').error(`destination host ${show(host)} is invalid: ${p}`);
  }
  if (str(d.subset) !== '' && !isDnsLabel(d.subset)) r.at('subset').error(`subset ${show(d.subset)} is not a DNS label (no dots)`);
  if (isObject(d.port)) checkPortNumber(r.at('port', 'number'), num(d.port.number));
}

/** Go: `validateHTTPRouteDestinations` / `validateRouteDestinations`. */
function checkRouteDestinations(r: Reporter, route: unknown, http: boolean): void {
  const routes = list(route);
  let total = 0;
  routes.forEach((w, i) => {
    const at = r.at(i);
    if (!isObject(w)) { at.error('a route destination is null'); return; }
    if (!isObject(w.destination)) at.at('destination').error('a route needs a destination');
    if (http) checkHeaderOperations(at.at('headers'), w.headers);
    checkDestination(at.at('destination'), w.destination);
    if (num(w.weight) < 0) at.at('weight').error(`weight ${show(w.weight)} is negative`);
    total += num(w.weight);
  });
  if (routes.length > 1 && total === 0) r.error('the destination weights total 0; give at least one destination a positive weight');
}

/** Go: `validateHTTPRedirect`. */
function checkRedirect(r: Reporter, redirect: unknown, matches: any[]): void {
  if (!isObject(redirect)) return;
  const rd = redirect;
  if (str(rd.uri) !== '' && str(rd.prefixRewrite) !== '') { r.error('a redirect can set uri or prefixRewrite, not both'); return; }
  if (str(rd.prefixRewrite) !== '') {
    if (matches.some((m) => isObject(m) && isObject(m.uri) && !('prefix' in m.uri))) {
      r.at('prefixRewrite').error('prefixRewrite needs every uri match of the rule to be a prefix match'); return;
    }
  }
  if (str(rd.uri) === '' && str(rd.prefixRewrite) === '' && str(rd.authority) === '' && !isSet(rd.port) && !isSet(rd.derivePort) && str(rd.scheme) === '') {
    r.error('a redirect must set at least one of uri, prefixRewrite, authority, scheme or port'); return;
  }
  if (num(rd.redirectCode) !== 0 && (num(rd.redirectCode) < 300 || num(rd.redirectCode) > 399)) {
    r.at('redirectCode').error(`redirectCode ${show(rd.redirectCode)} is not a 3xx code`); return;
  }
  if (str(rd.scheme) !== '' && rd.scheme !== 'http' && rd.scheme !== 'https') { r.at('scheme').error(`redirect scheme ${show(rd.scheme)} is not "http" or "https"`); return; }
  if (num(rd.port) > 0) checkPortNumber(r.at('port'), rd.port);
}

/** Go: `validateHTTPDirectResponse`. */
function checkDirectResponse(r: Reporter, dr: unknown): void {
  if (!isObject(dr)) return;
  if (isObject(dr.body)) {
    const size = typeof dr.body.string === 'string' ? Buffer.byteLength(dr.body.string, 'utf8')
      : typeof dr.body.bytes === 'string' ? Buffer.from(dr.body.bytes, 'base64').length : 0;
    if (size > 1024 * 1024) r.at('body').error(`the direct response body is ${size} bytes; it must be at most 1 MiB`);
    else if (size > 100 * 1024) r.at('body').warn(`the direct response body is ${size} bytes; bodies over 100 KiB slow the control plane`);
  }
  const s = num(dr.status);
  if (s < 200 || s > 600) r.at('status').error(`status ${show(dr.status)} is not between 200 and 600`);
}

/** Go: `agent.ValidateHTTPRetry`. */
function checkRetries(r: Reporter, retries: unknown): void {
  if (!isObject(retries)) return;
  const attempts = num(retries.attempts);
  if (attempts < 0) r.at('attempts').error('attempts cannot be negative');
  if (attempts === 0 && (isSet(retries.perTryTimeout) || str(retries.retryOn) !== '' || isSet(retries.retryRemoteLocalities))) {
    r.at('attempts').error('retry settings are given but attempts is 0 (retries disabled); set attempts or remove perTryTimeout, retryOn and retryRemoteLocalities');
  }
  checkDuration(r.at('perTryTimeout'), retries.perTryTimeout);
  if (str(retries.retryOn) !== '') {
    for (const policy of str(retries.retryOn).split(',')) {
      const code = /^[+-]?[0-9]+$/.test(policy) ? Number(policy) : NaN;
      if (!HTTP_STATUS.has(code) && !RETRY_ON.has(policy)) r.at('retryOn').error(`${show(policy)} is not an Envoy retryOn policy nor an HTTP status code`);
    }
  }
  checkDuration(r.at('backoff'), retries.backoff);
}

/** Go: `validateHTTPRewrite`, `validateURIRegexRewrite`. */
function checkRewrite(r: Reporter, rewrite: unknown): void {
  if (!isSet(rewrite)) return;
  const rw = isObject(rewrite) ? rewrite : {};
  const regexRewrite = rw.uriRegexRewrite;
  if (str(rw.uri) !== '' && isSet(regexRewrite)) { r.error('a rewrite can set uri or uriRegexRewrite, not both'); return; }
  if (str(rw.uri) === '' && !isSet(regexRewrite) && str(rw.authority) === '') { r.error('a rewrite must set uri, uriRegexRewrite or authority'); return; }
  if (isSet(regexRewrite)) {
    const rr = isObject(regexRewrite) ? regexRewrite : {};
    if (str(rr.match) === '' || str(rr.rewrite) === '') r.at('uriRegexRewrite').error('uriRegexRewrite needs both match and rewrite');
    else checkRe2(r.at('uriRegexRewrite', 'match'), rr.match);
  }
}

/** The authority is rewritten in one place only. Go: `validateAuthorityRewrite`. */
function checkAuthorityRewrite(r: Reporter, rewrite: unknown, headers: unknown): void {
  let current = isObject(rewrite) ? str(rewrite.authority) : '';
  const request = isObject(headers) && isObject(headers.request) ? headers.request : {};
  for (const op of ['set', 'add']) {
    for (const [k, v] of entries(request[op])) {
      if (!isAuthorityHeader(k)) continue;
      if (current !== '') { r.at('headers', 'request', op, k).error(`the authority is rewritten twice (already ${show(current)}); rewrite it in one place`); return; }
      current = str(v);
    }
  }
}

/** Go: `validateTLSRoute`, `validateTLSMatch`, `validateSniHost`. */
function checkTlsRoute(r: Reporter, t: Record<string, any>, vsHosts: string[], appliesToGateway: boolean): void {
  const matches = list(t.match);
  if (matches.length === 0) r.at('match').error('a tls route needs at least one match');
  matches.forEach((m, i) => {
    const at = r.at('match', i);
    if (!isObject(m)) { at.error('a tls match is null'); return; }
    const snis = list(m.sniHosts).map(str);
    if (snis.length === 0) at.at('sniHosts').error('a tls match needs at least one sniHosts entry');
    snis.forEach((sni, j) => {
      const sat = at.at('sniHosts', j);
      const p = appliesToGateway ? gatewayBoundDomainProblem(true, sni) : wildcardDomainProblem(sni);
      if (p) {
        if (isIp(sni)) sat.warn(`SNI host ${show(sni)} is an IP address, which SNI does not allow and most clients never send`);
        else sat.error(`SNI host ${show(sni)} is invalid: ${p}`);
        return;
      }
      if (!vsHosts.some((h) => hostSubsetOf(sni, h))) sat.error(`SNI host ${show(sni)} is not within any of the VirtualService's hosts`);
    });
    checkL4Match(at, m);
  });
  if (list(t.route).length === 0) r.at('route').error('a tls rule needs a route');
  checkRouteDestinations(r.at('route'), t.route, false);
}

/** Go: `validateTCPRoute`, `validateTCPMatch`. */
function checkTcpRoute(r: Reporter, t: Record<string, any>): void {
  list(t.match).forEach((m, i) => {
    if (!isObject(m)) r.at('match', i).error('a tcp match is null');
    else checkL4Match(r.at('match', i), m);
  });
  if (list(t.route).length === 0) r.at('route').error('a tcp rule needs a route');
  checkRouteDestinations(r.at('route'), t.route, false);
}

function checkL4Match(r: Reporter, m: Record<string, any>): void {
  list(m.destinationSubnets).forEach((s, i) => checkIpOrCidr(r.at('destinationSubnets', i), s));
  if (num(m.port) !== 0) checkPortNumber(r.at('port'), m.port);
  checkLabelMap(r.at('sourceLabels'), m.sourceLabels);
  checkGatewayNames(r.at('gateways'), m.gateways);
}

/**
 * Canonical JSON of a match without its name (for duplicate detection): keys sorted, unset
 * (null or absent) fields left out, written in one pass (every match of every route is keyed).
 */
function canonical(v: unknown): string {
  return canonicalJson(v, true);
}

function canonicalJson(x: unknown, withoutName = false): string {
  if (Array.isArray(x)) {
    let out = '[';
    for (let i = 0; i < x.length; i++) out += (i ? ',' : '') + canonicalJson(x[i]);
    return out + ']';
  }
  if (isObject(x)) {
    const keys = Object.keys(x).filter((k) => isSet(x[k]) && !(withoutName && k === 'name')).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson(x[keys[i]])}`;
    return out + '}';
  }
  return JSON.stringify(x) ?? 'null';
}

/** The HTTP match fields that the overlapping-prefix analysis compares. Go: `genMatchHTTPRoutes`. */
interface PrefixMatch {
  readonly index: number;
  readonly matchIndex: number;
  readonly rule: string;
  readonly match: string;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: Record<string, string>;
  readonly queryParams: Record<string, string>;
  readonly withoutHeaders: Record<string, string>;
}

function exactOrPrefix(sm: unknown): string {
  if (!isObject(sm)) return '';
  if (str(sm.exact) !== '') return `exact:${sm.exact}`;
  if (str(sm.prefix) !== '') return `prefix:${sm.prefix}`;
  return '';
}

function stringMatchMap(v: unknown): Record<string, string> {
  return Object.fromEntries(entries(v).map(([k, sm]) => [k, exactOrPrefix(sm)]));
}

/** Whether every entry of `a` equals or starts with the corresponding entry of `b`. Go: part of `coveredValidation`. */
function mapCovered(a: Record<string, string>, b: Record<string, string>): boolean {
  if (Object.keys(a).length !== Object.keys(b).length) return false;
  return Object.entries(a).every(([k, v]) => k in b && (v === b[k] || v.startsWith(b[k])));
}

/** Go: `coveredValidation`. */
function covered(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix)) return false;
  if (b.port !== a.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return mapCovered(a.headers, b.headers) && mapCovered(a.queryParams, b.queryParams) && mapCovered(a.withoutHeaders, b.withoutHeaders);
}

/**
 * Warnings for rules that can never match (IST0130) and matches made useless by earlier ones
 * (IST0131). Go: `analyzeUnreachableHTTPRules` / `analyzeUnreachableTCPRules` / `analyzeUnreachableTLSRules`.
 */
function analyzeUnreachable(r: Reporter, kind: 'http' | 'tcp' | 'tls', routes: any[]): void {
  const seen = new Map<string, number>();
  let catchAll = -1;
  const prefixMatches: PrefixMatch[] = [];
  const ruleName = (rule: any, i: number) => (kind === 'http' && isObject(rule) && str(rule.name) !== '' ? show(rule.name) : `#${i}`);
  routes.forEach((route, i) => {
    if (!isObject(route)) return;
    const matches = list(route.match);
    const at = r.at(kind, i);
    if (matches.length === 0) {
      if (catchAll >= 0) at.warn(`rule ${ruleName(route, i)} is never used: only the last rule can have no matches (IST0130)`);
      catchAll = i;
      return;
    }
    let duplicates = 0;
    matches.forEach((m, j) => {
      if (catchAll >= 0) {
        at.warn(`rule ${ruleName(route, i)} is never used: an earlier rule has no matches and takes all traffic (IST0130)`);
        return;
      }
      const key = canonical(m);
      const dup = seen.get(key);
      if (dup !== undefined) {
        at.at('match', j).warn(`match #${j} of rule ${ruleName(route, i)} is never used: rule ${ruleName(routes[dup], dup)} has the same match (IST0131)`);
        duplicates++;
        return;
      }
      seen.set(key, i);
      if (kind === 'http' && isObject(m) && isObject(m.uri) && str(m.uri.prefix) !== '') {
        prefixMatches.push({
          index: i, matchIndex: j, rule: ruleName(route, i), match: isObject(m) && str(m.name) !== '' ? show(m.name) : `#${j}`, prefix: str(m.uri.prefix),
          port: num(m.port), method: exactOrPrefix(m.method) || 'exact:GET', authority: exactOrPrefix(m.authority),
          headers: stringMatchMap(m.headers), queryParams: stringMatchMap(m.queryParams), withoutHeaders: stringMatchMap(m.withoutHeaders),
        });
      }
    });
    if (duplicates === matches.length) at.warn(`rule ${ruleName(route, i)} is never used: every one of its matches repeats an earlier rule's (IST0130)`);
  });
  for (let a = 0; a < prefixMatches.length; a++) {
    for (let b = a + 1; b < prefixMatches.length; b++) {
      const A = prefixMatches[a];
      const B = prefixMatches[b];
      if (A.prefix === B.prefix) continue;
      if (covered(A, B)) {
        r.at(kind, B.index, 'match', B.matchIndex).warn(`match ${B.match} (prefix ${show(B.prefix)}) of rule ${B.rule} is never used: match ${A.match} (prefix ${show(A.prefix)}) of rule ${A.rule} comes first and covers it (IST0131)`);
      }
    }
  }
}
