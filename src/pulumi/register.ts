import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { findMtlsConflicts } from '../analysis/mtls';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';

/** Every object registered in this program, for cross-object checks. */
const declared: Manifest[] = [];

/** Pulumi resource classes for the core Kubernetes kinds the patterns emit; every other kind is a CustomResource. */
const CORE_KINDS: Record<string, new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Namespace': k8s.core.v1.Namespace,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
};

/**
 * Registers a pattern's objects as children of a component: `${name}-${role}`, `parent`, and
 * `dependsOn` for apply order. Holds no Istio knowledge. @internal
 */
export function register(parent: pulumi.ComponentResource, name: string, output: PatternOutput): Record<string, pulumi.CustomResource> {
  const byRole: Record<string, pulumi.CustomResource> = {};
  for (const o of output.objects) {
    const opts: pulumi.CustomResourceOptions = { parent, dependsOn: (o.dependsOn ?? []).map((d) => byRole[d]) };
    const { apiVersion, kind } = o.manifest;
    const Core = CORE_KINDS[`${apiVersion}/${kind}`];
    byRole[o.role] = Core
      ? new Core(`${name}-${o.role}`, o.manifest, opts)
      : new k8s.apiextensions.CustomResource(`${name}-${o.role}`, o.manifest as k8s.apiextensions.CustomResourceArgs, opts);
  }
  for (const w of output.warnings ?? []) pulumi.log.warn(`${w.path} (${w.code}): ${w.message}`, parent);
  // Cross-object checks against everything declared so far in this program (flagged, not thrown).
  const before = new Set(findMtlsConflicts(declared).map((d) => d.message));
  declared.push(...output.objects.map((o) => o.manifest));
  for (const d of findMtlsConflicts(declared)) if (!before.has(d.message)) pulumi.log.warn(`${d.object}: ${d.message} (${d.code})`, parent);
  return byRole;
}
