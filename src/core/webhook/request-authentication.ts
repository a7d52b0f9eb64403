/**
 * Istio's validating-webhook rules for `RequestAuthentication` (Go: `ValidateRequestAuthentication`,
 * `validateJwtRule`, `warnPrivateJwksKeys`, `security.ParseJwksURI`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkDuration, checkPolicyTargets, isObject, isSet, list, str } from './common';

/**
 * Checks one RequestAuthentication spec.
 * @param r reporter at `spec`
 */
export function checkRequestAuthentication(r: Reporter, spec: Record<string, any>): void {
  checkPolicyTargets(r, spec);
  list(spec.jwtRules).forEach((rule, i) => {
    if (isObject(rule)) checkJwtRule(r.at('jwtRules', i), rule);
  });
}

/** Go: `validateJwtRule`. */
function checkJwtRule(r: Reporter, rule: Record<string, any>): void {
  list(rule.audiences).forEach((a, i) => { if (str(a) === '') r.at('audiences', i).error('an audience cannot be empty'); });
  if (str(rule.issuer) === '' && str(rule.jwksUri) === '') r.error('a JWT rule needs an issuer or a jwksUri');
  if (str(rule.jwksUri) !== '') {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(str(rule.jwksUri))?.[1]?.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') r.at('jwksUri').error(`jwksUri ${show(rule.jwksUri)} must be an http:// or https:// URL`);
  }
  if (str(rule.jwks) !== '') {
    const keys = parseJwks(str(rule.jwks));
    if (keys === undefined) r.at('jwks').error('jwks is not a JSON Web Key or JWK set');
    else {
      keys.forEach((k, i) => {
        const kty = str(k.kty);
        if (kty === 'oct' || ((kty === 'RSA' || kty === 'EC' || kty === 'OKP') && isSet(k.d))) {
          r.at('jwks').warn(`jwks key #${i} contains private key material; only public keys are needed to verify tokens`);
        }
      });
    }
  }
  list(rule.fromHeaders).forEach((h, i) => {
    if (!isObject(h)) r.at('fromHeaders', i).error('a fromHeaders entry is null');
    else if (str(h.name) === '') r.at('fromHeaders', i, 'name').error('a fromHeaders entry needs a header name');
  });
  list(rule.fromParams).forEach((p, i) => { if (str(p) === '') r.at('fromParams', i).error('a fromParams entry cannot be empty'); });
  list(rule.fromCookies).forEach((c, i) => { if (str(c) === '') r.at('fromCookies', i).error('a fromCookies entry cannot be empty'); });
  list(rule.outputClaimToHeaders).forEach((o, i) => {
    const at = r.at('outputClaimToHeaders', i);
    if (!isObject(o)) { at.error('an outputClaimToHeaders entry is null'); return; }
    if (str(o.claim) === '' || str(o.header) === '') { at.error('an outputClaimToHeaders entry needs both claim and header'); return; }
    if (!/^[-_A-Za-z0-9]+$/.test(str(o.header))) at.at('header').error(`header ${show(o.header)} may only contain letters, digits, "-" and "_"`);
  });
  checkDuration(r.at('timeout'), rule.timeout);
}

/** The keys of a JWK or JWK set, or undefined if the text is neither. */
function parseJwks(text: string): Array<Record<string, any>> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const keys = Array.isArray(v.keys) ? v.keys : 'kty' in v ? [v] : undefined;
  if (!keys || !keys.every((k: unknown) => isObject(k) && typeof k.kty === 'string')) return undefined;
  return keys;
}
