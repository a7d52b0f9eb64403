/**
 * Istio's validating-webhook rules (`rev.validation.istio.io`, the checks `istioctl validate` runs),
 * applied to one Istio object. STUB: returns no issues until the webhook rules land.
 *
 * @see https://istio.io/latest/docs/ops/common-problems/validation/
 */
import { Manifest } from '../manifest';
import type { ValidationIssue } from '../validation';

/**
 * The webhook's verdict on one Istio object: `errors` the webhook would reject it for, `warnings`
 * it would return while accepting it. Pure; never throws for any input.
 */
export function webhookIssues(manifest: Manifest): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  void manifest;
  return { errors: [], warnings: [] };
}
