import { ApiObject } from 'cdk8s';
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
