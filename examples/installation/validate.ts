/**
 * Validation of a set of rendered objects that may carry their own CustomResourceDefinitions (a
 * Helm chart's `crds/`, e.g. the Kiali operator's `Kiali` kind): `validateManifests`, except that
 * an object whose kind the library has no schema for is checked against the `openAPIV3Schema` of a
 * CRD in the same set (served version), as the API server would once that CRD is applied.
 */
import Ajv from 'ajv';
import { Manifest, ValidationIssue, validateManifests } from '../../src';

const NO_SCHEMA = /^no schema is known for /;

export function validateWithDeclaredCrds(manifests: readonly Manifest[]): ValidationIssue[] {
  const schemas = new Map<string, object>();
  for (const m of manifests) {
    if (m.kind !== 'CustomResourceDefinition' || !String(m.apiVersion).startsWith('apiextensions.k8s.io/')) continue;
    const spec = (m as any).spec ?? {};
    for (const v of spec.versions ?? []) {
      if (v.served && v.schema?.openAPIV3Schema) schemas.set(`${spec.group}/${v.name} ${spec.names?.kind}`, v.schema.openAPIV3Schema);
    }
  }
  const ajv = new Ajv({ strict: false, allErrors: false });
  const out: ValidationIssue[] = [];
  for (const issue of validateManifests(manifests)) {
    const declared = NO_SCHEMA.test(issue.message) ? schemas.get(issue.message.replace(NO_SCHEMA, '')) : undefined;
    if (!declared) {
      out.push(issue);
      continue;
    }
    const [kind, ref] = issue.object.split(' ');
    const m = manifests.find((x) => x.kind === kind && `${x.metadata?.namespace}/${x.metadata?.name}` === ref);
    const validate = ajv.compile(declared);
    if (m && !validate(m)) {
      for (const e of validate.errors ?? []) out.push({ object: issue.object, field: e.instancePath, message: e.message ?? 'invalid' });
    }
  }
  return out;
}
