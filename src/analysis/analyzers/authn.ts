/**
 * Analyzers of the `authn` family: request authentication that lets istiod fetch JWKS from any
 * address.
 *
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
import { K } from '../kinds';
import { Analyzer } from '../types';

/** The istiod environment variable listing the CIDRs a `jwksUri` may not resolve to. */
const BLOCKED_CIDRS_ENV = 'BLOCKED_CIDRS_IN_JWKS_URIS';
/** How many RequestAuthentications a message names before it says "and N more". */
const MAX_NAMED = 5;

/**
 * `authn.BlockedCIDRsAnalyzer`: when any RequestAuthentication exists, every istiod Deployment
 * (labelled `app: istiod`) whose containers do not set `BLOCKED_CIDRS_IN_JWKS_URIS` to a
 * non-empty value lets a `jwksUri` make istiod fetch from internal addresses (IST0175
 * JwksUriFetchUnrestricted, on the Deployment).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0175/
 */
const blockedCidrsAnalyzer: Analyzer = {
  name: 'authn.BlockedCIDRsAnalyzer',
  analyze(ctx) {
    const ras = ctx.list(K.RequestAuthentication);
    if (ras.length === 0) return;
    for (const d of ctx.list(K.Deployment)) {
      if (d.labels.app !== 'istiod') continue;
      const containers = d.spec.template?.spec?.containers;
      const configured = (Array.isArray(containers) ? containers : []).some((c: any) =>
        (Array.isArray(c?.env) ? c.env : []).some((e: any) => e?.name === BLOCKED_CIDRS_ENV && typeof e.value === 'string' && e.value !== ''));
      if (configured) continue;
      const named = ras.slice(0, MAX_NAMED).map((r) => (r.namespace ? `${r.namespace}/${r.name}` : r.name)).join(', ');
      const more = ras.length > MAX_NAMED ? `, and ${ras.length - MAX_NAMED} more` : '';
      ctx.report(d, 'JwksUriFetchUnrestricted',
        `${ras.length} RequestAuthentication(s) (${named}${more}) make istiod fetch JWKS from their jwksUri, and this istiod does not set ${BLOCKED_CIDRS_ENV}, `
        + `so a jwksUri may point it at internal addresses; set the ${BLOCKED_CIDRS_ENV} env var on the discovery container `
        + '(e.g. pilot.env in the istiod chart values) to the CIDRs it must not reach', 'spec.template.spec.containers');
    }
  },
};

/** The `authn` analyzers, in the order they run. */
export const authnAnalyzers: readonly Analyzer[] = [blockedCidrsAnalyzer];
