/**
 * RequestAuthentication: which JWTs a workload accepts. A RequestAuthentication alone only
 * rejects *invalid* tokens; requests without a token pass. So by default this pattern also emits
 * an AuthorizationPolicy that denies requests without a request principal (opt out with
 * `requireToken: false`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
import { checkHeaderName, checkLabelName } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { renderSelector } from '../core/identity';
import { Manifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput } from '../core/output';
import { AuthorizationAction, buildAuthorizationPolicy } from './authorization-policy';
import { checkProps, propsCtx } from '../core/props';

/** One accepted token issuer. */
export interface JwtRule {
  /** The `iss` claim the token must carry. */
  readonly issuer: string;
  /**
   * Where the public keys are (https). Give this or `jwks`. @default - discovered from the issuer (OpenID)
   * @maxLength 2048
   */
  readonly jwksUri?: string;
  /** The public keys inline, as a JWKS JSON string. Give this or `jwksUri`. */
  readonly jwks?: string;
  /** Accepted `aud` values. @default - any audience */
  readonly audiences?: string[];
  /** Keep the token in the request forwarded upstream. @default false */
  readonly forwardOriginalToken?: boolean;
  /** Headers the token is read from, with an optional value prefix (e.g. `Bearer `). @default - Authorization: Bearer */
  readonly fromHeaders?: Array<{ readonly name: string; readonly prefix?: string }>;
  /** A header to receive the verified payload (base64). @default - none */
  readonly outputPayloadToHeader?: string;
}

/** Props of a RequestAuthentication. */
export interface RequestAuthenticationProps {
  /** The policy name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** Pod labels of the workloads. @default - the whole namespace */
  readonly selector?: Record<string, string>;
  /** The accepted issuers. */
  readonly jwtRules: JwtRule[];
  /**
   * Also deny requests that carry no valid token (an AuthorizationPolicy `<name>-require-jwt`,
   * DENY where `notRequestPrincipals: ["*"]`).
   * @default true
   */
  readonly requireToken?: boolean;
}

/** What `buildRequestAuthentication` returns. */
export interface RequestAuthenticationOutput extends PatternOutput {
  readonly requestAuthentication: Manifest;
  /** The DENY policy for token-less requests, unless `requireToken: false`. */
  readonly requireTokenPolicy?: Manifest;
}

/**
 * Builds a RequestAuthentication (and its token requirement). Pure.
 * @throws IstioConstructError INVALID_JWT_RULE, INVALID_HEADER, INVALID_NAME, INVALID_LABEL.
 */
export function buildRequestAuthentication(props: RequestAuthenticationProps): RequestAuthenticationOutput {
  checkProps(propsCtx('RequestAuthentication', props, 'name'), 'RequestAuthenticationProps', props);
  const ctx = new Ctx(`RequestAuthentication ${show(props.name)}`);
  checkLabelName(ctx.at('name'), props.name, 'name');
  checkLabelName(ctx.at('namespace'), props.namespace, 'namespace');
  if (!Array.isArray(props.jwtRules) || props.jwtRules.length === 0) {
    ctx.at('jwtRules').fail(ErrorCode.INVALID_JWT_RULE, 'no JWT rules given', 'give at least one { issuer, jwksUri }');
  }
  const jwtRules = props.jwtRules.map((r, i) => {
    const c = ctx.at('jwtRules', i);
    if (typeof r.issuer !== 'string' || r.issuer === '') {
      c.at('issuer').fail(ErrorCode.INVALID_JWT_RULE, 'the JWT rule has no issuer, so any issuer\'s token signed by these keys would pass', 'give the issuer (the token\'s iss claim)');
    }
    if (r.jwks !== undefined && r.jwksUri !== undefined) c.fail(ErrorCode.INVALID_JWT_RULE, 'both jwks and jwksUri are set', 'give one of them');
    if (r.jwksUri !== undefined && !/^https?:\/\/[^\s]+$/.test(r.jwksUri)) {
      c.at('jwksUri').fail(ErrorCode.INVALID_JWT_RULE, `${show(r.jwksUri)} is not an http(s) URL`, 'give the https URL of the JWKS');
    }
    if (r.jwks !== undefined) {
      let keys: unknown;
      try {
        keys = JSON.parse(r.jwks).keys;
      } catch {
        keys = undefined;
      }
      if (!Array.isArray(keys) || keys.length === 0) c.at('jwks').fail(ErrorCode.INVALID_JWT_RULE, 'jwks is not a JWK set with keys', 'give the JSON of a JWK set: {"keys": [...]}');
      const bad = (keys as unknown[]).findIndex((k) => k === null || typeof k !== 'object' || Array.isArray(k) || typeof (k as { kty?: unknown }).kty !== 'string');
      if (bad >= 0) {
        c.at('jwks').fail(ErrorCode.INVALID_JWT_RULE, `jwks key #${bad} is not a JSON Web Key (an object with a "kty" string)`,
          'give each key as a JWK object, e.g. {"kty": "RSA", "n": "...", "e": "AQAB"}');
      }
      if ((keys as any[]).some((k) => k && typeof k === 'object' && 'd' in k)) {
        c.at('jwks').fail(ErrorCode.INVALID_JWT_RULE, 'jwks contains private key material ("d")', 'publish only the public keys');
      }
    }
    r.audiences?.forEach((a, j) => { if (typeof a !== 'string' || a === '') c.at('audiences', j).fail(ErrorCode.INVALID_JWT_RULE, 'an audience is empty', 'remove it'); });
    return compact({
      issuer: r.issuer,
      jwksUri: r.jwksUri,
      jwks: r.jwks,
      audiences: r.audiences,
      forwardOriginalToken: r.forwardOriginalToken,
      fromHeaders: r.fromHeaders?.map((h, j) => compact({ name: checkHeaderName(c.at('fromHeaders', j, 'name'), h.name), prefix: h.prefix })),
      outputPayloadToHeader: r.outputPayloadToHeader !== undefined ? checkHeaderName(c.at('outputPayloadToHeader'), r.outputPayloadToHeader) : undefined,
    });
  });
  const selector = props.selector ? renderSelector(ctx.at('selector'), props.selector) : undefined;
  const requestAuthentication: Manifest = {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: metadata(props.name, props.namespace, 'request-authentication', props.name),
    spec: compact({ selector, jwtRules }),
  };
  const objects: EmittedObject[] = [{ role: 'request-authentication', manifest: requestAuthentication }];
  let requireTokenPolicy: Manifest | undefined;
  if (props.requireToken ?? true) {
    requireTokenPolicy = buildAuthorizationPolicy({
      name: `${props.name}-require-jwt`,
      namespace: props.namespace,
      selector: props.selector,
      action: AuthorizationAction.DENY,
      rules: [{ from: [{ notRequestPrincipals: ['*'] }] }],
    }).authorizationPolicy;
    objects.push({ role: 'require-jwt', manifest: requireTokenPolicy });
  }
  return { objects, requestAuthentication, requireTokenPolicy };
}
