/**
 * Istio's validating-webhook rules for `EnvoyFilter` (Go: `ValidateEnvoyFilter` in
 * `pkg/config/validation/envoyfilter/envoyfilter.go`).
 *
 * Istio also converts each `patch.value` to the Envoy proto of its `applyTo` and refuses what does
 * not convert; without Envoy's protos this check only refuses `@type`s of Envoy's removed v2 API
 * (and other non-v3 Envoy types), the common case of that failure.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/envoy-filter/
 * @internal
 */
import { RE2JS } from 're2js';
import { show } from '../errors';
import { Reporter, checkAlphaWorkloadSelector, checkTargetRef, isObject, isSet, list, str } from './common';

const LISTENER_CLASS = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER']);
const ROUTE_CLASS = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);
/** Envoy's HTTP connection manager filter names (a subFilter match needs one). */
const HCM = new Set(['envoy.filters.network.http_connection_manager', 'envoy.http_connection_manager']);
/** Deprecated filter names Istio warns about, and their replacements (Go: `xds.ReverseDeprecatedFilterNames`, the common ones). */
const DEPRECATED_NAMES: Record<string, string> = {
  'envoy.http_connection_manager': 'envoy.filters.network.http_connection_manager',
  'envoy.tcp_proxy': 'envoy.filters.network.tcp_proxy',
  'envoy.router': 'envoy.filters.http.router',
  'envoy.cors': 'envoy.filters.http.cors',
  'envoy.fault': 'envoy.filters.http.fault',
  'envoy.lua': 'envoy.filters.http.lua',
  'envoy.ext_authz': 'envoy.filters.http.ext_authz',
  'envoy.rate_limit': 'envoy.filters.http.ratelimit',
  'envoy.grpc_web': 'envoy.filters.http.grpc_web',
  'envoy.gzip': 'envoy.filters.http.gzip',
  'envoy.health_check': 'envoy.filters.http.health_check',
  'envoy.listener.tls_inspector': 'envoy.filters.listener.tls_inspector',
  'envoy.listener.http_inspector': 'envoy.filters.listener.http_inspector',
  'envoy.listener.original_dst': 'envoy.filters.listener.original_dst',
};

/**
 * Checks one EnvoyFilter spec.
 * @param r reporter at `spec`
 */
export function checkEnvoyFilter(r: Reporter, spec: Record<string, any>): void {
  r.warn('EnvoyFilter relies on Envoy internals that may change in any Istio release; prefer other APIs where possible and test upgrades');
  const before = r.errorCount();
  checkAlphaWorkloadSelector(r.at('workloadSelector'), spec.workloadSelector);
  if (r.errorCount() > before) return;
  if (isSet(spec.workloadSelector) && list(spec.targetRefs).length > 0) r.error('only one of workloadSelector and targetRefs may be set');
  list(spec.targetRefs).forEach((ref, i) => checkTargetRef(r.at('targetRefs', i), ref));
  list(spec.configPatches).forEach((cp, i) => {
    const at = r.at('configPatches', i);
    if (!isObject(cp)) { at.error('a config patch is null'); return; }
    checkPatch(at, cp);
  });
}

function checkPatch(r: Reporter, cp: Record<string, any>): void {
  const match = isObject(cp.match) ? cp.match : undefined;
  if (match && match.context === 'WAYPOINT') return; // Istio does not validate waypoint patches yet.
  const applyTo = str(cp.applyTo);
  if (applyTo === '' || applyTo === 'INVALID') { r.at('applyTo').error('a config patch needs applyTo'); return; }
  if (!isObject(cp.patch)) { r.at('patch').error('a config patch needs a patch'); return; }
  const op = str(cp.patch.operation);
  if (op === '' || op === 'INVALID') { r.at('patch', 'operation').error('a patch needs an operation'); return; }
  if (op !== 'REMOVE' && !isSet(cp.patch.value)) { r.at('patch', 'value').error(`a ${op} patch needs a value`); return; }
  const version = match && isObject(match.proxy) ? str(match.proxy.proxyVersion) : '';
  if (version !== '') {
    if (version.length > 1024) r.at('match', 'proxy', 'proxyVersion').warn('proxyVersion is longer than 1024 characters and is ignored');
    else {
      try {
        RE2JS.compile(version);
      } catch (e) {
        r.at('match', 'proxy', 'proxyVersion').error(`proxyVersion ${show(version)} is not a valid regular expression: ${(e as Error).message}`);
        return;
      }
    }
  }
  const objectType = match ? ['listener', 'routeConfiguration', 'cluster', 'waypoint'].find((k) => isSet(match[k])) : undefined;
  if (LISTENER_CLASS.has(applyTo) && objectType) {
    if (objectType !== 'listener') { r.at('match').error(`applyTo ${applyTo} needs a listener match`); return; }
    const filter = isObject(match!.listener) && isObject(match!.listener.filterChain) ? match!.listener.filterChain.filter : undefined;
    if (isObject(filter)) {
      const fat = r.at('match', 'listener', 'filterChain', 'filter');
      if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN') fat.warn(`a filter match has no effect with applyTo ${applyTo}`);
      if (str(filter.name) === '') { fat.at('name').error('a filter match needs a name'); return; }
      if (isSet(filter.subFilter)) {
        if (applyTo !== 'HTTP_FILTER') { fat.at('subFilter').error('a subFilter match only works with applyTo HTTP_FILTER'); return; }
        if (!HCM.has(str(filter.name))) { fat.at('name').error('a subFilter match needs the filter match to name envoy.filters.network.http_connection_manager'); return; }
        if (!isObject(filter.subFilter) || str(filter.subFilter.name) === '') { fat.at('subFilter', 'name').error('a subFilter match needs a name'); return; }
      }
      for (const [name, path] of [[str(filter.name), 'name'], [isObject(filter.subFilter) ? str(filter.subFilter.name) : '', 'subFilter']]) {
        if (DEPRECATED_NAMES[name]) fat.at(path).warn(`filter name ${show(name)} is deprecated; use ${show(DEPRECATED_NAMES[name])}`);
      }
    }
  } else if (ROUTE_CLASS.has(applyTo) && objectType && objectType !== 'routeConfiguration') {
    r.at('match').error(`applyTo ${applyTo} needs a routeConfiguration match`);
  } else if (applyTo === 'CLUSTER' && objectType && objectType !== 'cluster') {
    r.at('match').error('applyTo CLUSTER needs a cluster match');
  }
  checkTypes(r.at('patch', 'value'), cp.patch.value);
}

/** Refuses `@type`s of Envoy APIs Istio no longer knows (v2, v2alpha, ...); warns on filters without typed_config. */
function checkTypes(r: Reporter, value: unknown): void {
  const walk = (v: unknown, at: Reporter): void => {
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, at.at(i))); return; }
    if (!isObject(v)) return;
    const type = v['@type'];
    if (typeof type === 'string') {
      const name = type.slice(type.lastIndexOf('/') + 1);
      if (/^envoy\./.test(name) && !/\.v3\./.test(name)) {
        at.at('@type').error(`type ${show(type)} is not a v3 Envoy API type (Envoy removed the v2 API; use the v3 type)`);
      }
    }
    for (const [k, x] of Object.entries(v)) walk(x, at.at(k));
  };
  walk(value, r);
}
