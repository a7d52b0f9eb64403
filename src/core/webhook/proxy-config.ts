/**
 * Istio's validating-webhook rules for `ProxyConfig` (Go: `ValidateProxyConfig`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/proxy-config/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkWorkloadSelector, isSet, num } from './common';

/**
 * Checks one ProxyConfig spec: selector rules, `concurrency` >= 0.
 * @param r reporter at `spec`
 */
export function checkProxyConfig(r: Reporter, spec: Record<string, any>): void {
  checkWorkloadSelector(r.at('selector'), spec.selector);
  if (isSet(spec.concurrency) && num(spec.concurrency) < 0) r.at('concurrency').error(`concurrency ${show(spec.concurrency)} cannot be negative`);
}
