/**
 * Istio's validating-webhook rules for `AuthorizationPolicy` (Go: `ValidateAuthorizationPolicy`;
 * attribute checks from `pkg/config/security`: `ValidateAttribute`, `CheckServiceAccount`,
 * `CheckTrustDomainValues`, `CheckValidPathTemplate`, `ValidateIPs`, `ValidatePorts`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkPolicyTargets, isCidr, isIp, isObject, isSet, list, str } from './common';

const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains'];
const OPERATION_FIELDS = ['ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'];
/** Source fields CUSTOM policies cannot use (the external authorizer sees no peer identity). */
const CUSTOM_FORBIDDEN_SOURCES = ['namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains',
  'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals'];
/** Source fields that only match TCP-level attributes. */
const TCP_SOURCES = ['principals', 'notPrincipals', 'ipBlocks', 'notIpBlocks', 'namespaces', 'notNamespaces', 'remoteIpBlocks',
  'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts'];

/** Path-template segment literal (RFC 3986 pchar). Go: `validLiteral`. */
const PCHAR = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/**
 * Checks one AuthorizationPolicy spec.
 * @param r reporter at `spec`
 */
export function checkAuthorizationPolicy(r: Reporter, spec: Record<string, any>): void {
  checkPolicyTargets(r, spec);
  const action = str(spec.action) || 'ALLOW';
  const rulesSet = isSet(spec.rules);
  const rules = list(spec.rules);
  if (action === 'CUSTOM') {
    if (!rulesSet) r.at('rules').error('a CUSTOM policy without rules never triggers; add rules: [{}] to send every request to the provider');
    else if (!isObject(spec.provider) || str(spec.provider.name) === '') r.at('provider', 'name').error('a CUSTOM policy needs provider.name');
    rules.forEach((rule, i) => {
      if (!isObject(rule)) return;
      list(rule.from).forEach((f, j) => {
        const src = isObject(f) ? f.source : undefined;
        if (!isObject(src)) return;
        for (const field of CUSTOM_FORBIDDEN_SOURCES) {
          if (list(src[field]).length > 0) r.at('rules', i, 'from', j, 'source', field).error(`${field} cannot be used with action CUSTOM`);
        }
      });
      list(rule.when).forEach((w, j) => {
        if (!isObject(w)) { r.at('rules', i, 'when', j).error('a when condition is null'); return; }
        const key = str(w.key);
        if (['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(key) || key.startsWith('request.auth.')) {
          r.at('rules', i, 'when', j, 'key').error(`condition key ${show(key)} cannot be used with action CUSTOM`);
        }
      });
    });
  }
  if (isSet(spec.provider) && action !== 'CUSTOM') r.at('provider').error(`provider can only be set with action CUSTOM, not ${action}`);
  if (action === 'DENY' && !rulesSet) r.at('rules').error('a DENY policy without rules never triggers; add rules: [{}] to deny every request');

  rules.forEach((rule, i) => {
    const at = r.at('rules', i);
    if (!isObject(rule)) { at.error('a rule is null'); return; }
    if (Array.isArray(rule.from) && rule.from.length === 0) at.at('from').error('from is present but empty; remove it or add a source');
    let tcpInFrom = false;
    let tcpInTo = false;
    let fromExists = false;
    let toExists = false;
    list(rule.from).forEach((f, j) => {
      const fat = at.at('from', j);
      if (!isObject(f)) { fat.error('a from entry is null'); return; }
      if (!isObject(f.source)) { fat.at('source').error('a from entry needs a source'); return; }
      fromExists = true;
      const src = f.source;
      const sat = fat.at('source');
      const n = (k: string) => list(src[k]).length;
      if (n('principals') + n('notPrincipals') + n('namespaces') + n('notNamespaces') > 0 && n('serviceAccounts') + n('notServiceAccounts') > 0) {
        sat.error('serviceAccounts cannot be combined with principals or namespaces');
      }
      if (SOURCE_FIELDS.every((k) => n(k) === 0)) sat.error('the source is empty; give at least one field');
      for (const k of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']) checkIps(sat.at(k), src[k]);
      for (const k of SOURCE_FIELDS) checkNoEmpty(sat.at(k), src[k]);
      for (const k of ['serviceAccounts', 'notServiceAccounts']) checkServiceAccounts(sat.at(k), src[k]);
      for (const k of ['trustDomains', 'notTrustDomains']) checkTrustDomains(sat.at(k), src[k]);
      if (TCP_SOURCES.some((k) => isSet(src[k]))) tcpInFrom = true;
    });
    if (Array.isArray(rule.to) && rule.to.length === 0) at.at('to').error('to is present but empty; remove it or add an operation');
    list(rule.to).forEach((t, j) => {
      const tat = at.at('to', j);
      if (!isObject(t)) { tat.error('a to entry is null'); return; }
      if (!isObject(t.operation)) { tat.at('operation').error('a to entry needs an operation'); return; }
      toExists = true;
      const op = t.operation;
      const oat = tat.at('operation');
      if (OPERATION_FIELDS.every((k) => list(op[k]).length === 0)) oat.error('the operation is empty; give at least one field');
      for (const k of ['ports', 'notPorts']) checkPorts(oat.at(k), op[k]);
      for (const k of OPERATION_FIELDS) checkNoEmpty(oat.at(k), op[k]);
      for (const k of ['paths', 'notPaths']) checkPathTemplates(oat.at(k), op[k]);
      if (isSet(op.ports) || isSet(op.notPorts)) tcpInTo = true;
    });
    list(rule.when).forEach((w, j) => {
      const wat = at.at('when', j);
      if (!isObject(w)) return;
      const key = str(w.key);
      if (key === '') { wat.at('key').error('a condition needs a key'); return; }
      if (list(w.values).length === 0 && list(w.notValues).length === 0) { wat.error(`condition ${show(key)} needs values or notValues`); return; }
      const v = attributeProblem(key, list(w.values).map(str));
      if (v) wat.at('values').error(`condition ${show(key)}: ${v}`);
      const nv = attributeProblem(key, list(w.notValues).map(str));
      if (nv && nv !== v) wat.at('notValues').error(`condition ${show(key)}: ${nv}`);
    });
    if (((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo)) && action === 'DENY') {
      at.warn('this DENY rule uses only HTTP attributes, so it also denies all TCP traffic in scope; add ports to the rule');
    }
  });
}

function checkNoEmpty(r: Reporter, values: unknown): void {
  if (list(values).some((v) => str(v) === '')) r.error('a list entry is an empty string');
}

/** Go: `security.ValidateIPs`. */
function checkIps(r: Reporter, values: unknown): void {
  list(values).forEach((v, i) => {
    const s = str(v);
    if (s.includes('/') ? !isCidr(s) : !isIp(s)) r.at(i).error(`${show(s)} is not an IP address or CIDR block`);
  });
}

/** Go: `security.ValidatePorts` (numbers, at most 65535). */
function portsProblem(values: string[]): string | undefined {
  const bad = values.find((p) => !/^[0-9]+$/.test(p) || Number(p) > 65535);
  return bad === undefined ? undefined : `port ${show(bad)} is not a number from 0 to 65535`;
}

function checkPorts(r: Reporter, values: unknown): void {
  const p = portsProblem(list(values).map(str));
  if (p) r.error(p);
}

/** Go: `security.CheckServiceAccount`. */
function serviceAccountsProblem(values: string[]): string | undefined {
  if (values.length > 16) return 'at most 16 service accounts may be listed';
  for (const v of values) {
    if (v === '') return 'a service account is empty';
    if (v.includes('*')) return `service account ${show(v)} has a wildcard, which is not allowed`;
    const slashes = v.split('/').length - 1;
    if (slashes > 1) return `service account ${show(v)} is not "name" or "namespace/name"`;
    if (v.length > 320) return `service account ${show(v)} is longer than 320 characters`;
    if (slashes === 1 && (v.startsWith('/') || v.endsWith('/'))) return `service account ${show(v)} has an empty namespace or name`;
  }
  return undefined;
}

function checkServiceAccounts(r: Reporter, values: unknown): void {
  const p = serviceAccountsProblem(list(values).map(str));
  if (p) r.error(p);
}

/** Go: `security.CheckWildcardValues`: one `*` at most, at the start or end. */
function wildcardValuesProblem(values: string[]): string | undefined {
  for (const v of values) {
    if (v === '') return 'a value is empty';
    const stars = v.split('*').length - 1;
    if (stars > 1) return `${show(v)} has more than one "*"`;
    if (stars === 1 && v !== '*' && !v.startsWith('*') && !v.endsWith('*')) return `${show(v)} has a "*" in the middle; it may only be at the start or end`;
  }
  return undefined;
}

/** Go: `security.CheckTrustDomainValues`. */
function checkTrustDomains(r: Reporter, values: unknown): void {
  const vs = list(values).map(str);
  const p = wildcardValuesProblem(vs) ?? (vs.find((v) => v.includes('/')) !== undefined ? `trust domain ${show(vs.find((v) => v.includes('/')))} contains "/"` : undefined);
  if (p) r.error(p);
}

/** Go: `security.CheckValidPathTemplate`. */
function checkPathTemplates(r: Reporter, values: unknown): void {
  list(values).forEach((v, i) => {
    const path = str(v);
    const templated = path.includes('{*}') || path.includes('{**}');
    let anySeen = false;
    for (const seg of path.replace(/^\/+|\/+$/g, '').split('/')) {
      if ((seg === '{*}' || seg === '{**}') && !anySeen) {
        if (seg === '{**}') anySeen = true;
        continue;
      }
      if (seg === '{*}' || seg === '{**}') { r.at(i).error(`path ${show(path)} has an operator after {**}; {**} must be the last one`); return; }
      if (/[{}]/.test(seg)) { r.at(i).error(`path ${show(path)} has "{" or "}" outside a whole-segment {*} or {**}`); return; }
      if (templated && !PCHAR.test(seg)) { r.at(i).error(`path ${show(path)} has a segment ${show(seg)} with characters a URL path does not allow`); return; }
    }
  });
}

/** `a[b]` form of bracketed keys. Go: `validateMapKey`. */
function mapKeyOk(key: string): boolean {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2;
}

/** Go: `security.ValidateAttribute`: a known key, and values valid for it. */
function attributeProblem(key: string, values: string[]): string | undefined {
  if (values.some((v) => v === '')) return 'a value is empty';
  const badKey = `key ${show(key)} must have the form name[key]`;
  if (key.startsWith('request.headers')) return mapKeyOk(key) ? undefined : badKey;
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') {
    const bad = values.find((v) => (v.includes('/') ? !isCidr(v) : !isIp(v)));
    return bad === undefined ? undefined : `${show(bad)} is not an IP address or CIDR block`;
  }
  if (key === 'source.serviceAccount') return serviceAccountsProblem(values);
  if (key === 'source.trustDomain') return wildcardValuesProblem(values);
  if (['source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'connection.sni'].includes(key)) return undefined;
  if (key.startsWith('request.auth.claims')) return mapKeyOk(key) ? undefined : badKey;
  if (key === 'destination.port') return portsProblem(values);
  if (key.startsWith('experimental.envoy.filters.')) return mapKeyOk(key) ? undefined : badKey;
  if (key === 'destination.namespace') return 'destination.namespace is not supported; the policy applies in its own namespace (metadata.namespace)';
  if (key.startsWith('destination.labels')) return 'destination.labels is not supported; use the policy selector';
  if (key === 'destination.name' || key === 'destination.user') return `${key} is no longer supported`;
  return `${show(key)} is not a known condition key`;
}
