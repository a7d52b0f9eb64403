import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PatternOutput } from '../core/output';
import { assumedObjects } from '../analysis/assumed';
import { registerWithApp } from './app-checks';

/**
 * Adds a pattern's objects to a construct, one `ApiObject` per object with its role as id, and
 * records the apply-order dependencies. Nothing is checked here: its warnings are printed, and its
 * objects analyzed together with every other object of the app (errors fail the synth), once per
 * synthesis by the App-level checks (see `app-checks.ts`). The cluster objects `props` declare by
 * typed reference (`ServiceRef`, `IngressGateway`) are recorded for that analysis as external
 * objects (`assumedObjects`). Each object gets props of its own (a copy of the manifest's top
 * level), which no one else holds. Holds no Istio knowledge. @internal
 */
export function emit(scope: Construct, output: PatternOutput, props?: unknown): Record<string, ApiObject> {
  const byRole: Record<string, ApiObject> = {};
  for (const o of output.objects) {
    const { apiVersion, kind, metadata, ...rest } = o.manifest;
    const props = { apiVersion, kind, metadata, ...rest };
    byRole[o.role] = new ApiObject(scope, o.role, props);
  }
  for (const o of output.objects) {
    for (const d of o.dependsOn ?? []) byRole[o.role].addDependency(byRole[d]);
  }
  registerWithApp(scope, Object.values(byRole), output.warnings ?? [], assumedObjects(props));
  return byRole;
}
