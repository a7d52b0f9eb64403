import { ApiObject } from 'cdk8s';
import { affectsMtls, findMtlsConflicts } from '../analysis/mtls';
import { Manifest } from '../core/manifest';
import { Construct } from 'constructs';
import { PatternOutput } from '../core/output';

/**
 * Adds a pattern's objects to a construct, one `ApiObject` per object with its role as id, and
 * records the apply-order dependencies. Holds no Istio knowledge. @internal
 */
export function emit(scope: Construct, output: PatternOutput): Record<string, ApiObject> {
  const byRole: Record<string, ApiObject> = {};
  for (const o of output.objects) {
    const { apiVersion, kind, metadata, ...rest } = o.manifest;
    byRole[o.role] = new ApiObject(scope, o.role, { apiVersion, kind, metadata, ...rest });
  }
  for (const o of output.objects) {
    for (const d of o.dependsOn ?? []) byRole[o.role].addDependency(byRole[d]);
  }
  // Cross-object checks over the whole app, refusing synth when this construct's objects conflict.
  const mine = new Set(Object.values(byRole).map((o) => `${o.kind} ${o.metadata.namespace}/${o.name}`));
  if (output.objects.some((o) => affectsMtls(o.manifest))) {
    scope.node.addValidation({
      validate: () => {
        const all = scope.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson() as Manifest);
        return findMtlsConflicts(all).filter((d) => mine.has(d.object)).map((d) => `${d.object}: ${d.message} (${d.code})`);
      },
    });
  }
  const warnings = output.warnings ?? [];
  if (warnings.length) {
    // Shown when the app synthesizes (validation runs then), never blocking it.
    scope.node.addValidation({
      validate: () => {
        for (const w of warnings) console.warn(`[istio-constructs] WARNING ${scope.node.path} ${w.path} (${w.code}): ${w.message}`);
        return [];
      },
    });
  }
  return byRole;
}
