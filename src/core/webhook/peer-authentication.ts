/**
 * Istio's validating-webhook rules for `PeerAuthentication` (Go: `ValidatePeerAuthentication`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkWorkloadSelector, entries, isObject, isSet } from './common';

/**
 * Checks one PeerAuthentication spec: port-level mTLS only with a non-empty selector, not
 * empty if present, port keys 1-65535; selector rules.
 * @param r reporter at `spec`
 */
export function checkPeerAuthentication(r: Reporter, spec: Record<string, any>): void {
  const emptySelector = !isObject(spec.selector) || entries(spec.selector.matchLabels).length === 0;
  const ports = entries(spec.portLevelMtls);
  if (emptySelector && ports.length > 0) r.at('portLevelMtls').error('portLevelMtls needs a selector with labels; it cannot apply mesh- or namespace-wide');
  if (isSet(spec.portLevelMtls) && ports.length === 0) r.at('portLevelMtls').error('portLevelMtls, if given, needs at least one port');
  for (const [port] of ports) {
    const n = /^[0-9]+$/.test(port) ? Number(port) : NaN;
    if (!(n >= 1 && n <= 65535)) r.at('portLevelMtls', port).error(`port ${show(port)} is not between 1 and 65535`);
  }
  checkWorkloadSelector(r.at('selector'), spec.selector);
}
