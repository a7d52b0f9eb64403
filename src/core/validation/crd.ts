/**
 * The API server's own rules for a CustomResourceDefinition that its OpenAPI schema does not carry
 * (kubernetes `apiextensions/validation.ValidateCustomResourceDefinition`): the name is
 * `<plural>.<group>`, `scope` is `Namespaced` or `Cluster`, exactly one version is the storage
 * version, version names are unique.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
 * @internal
 */
import { Manifest } from '../manifest';

/** Calls `add(field, message)` for each rule the CRD breaks. */
export function crdIssues(m: Manifest, add: (field: string, message: string) => void): void {
  const spec = (m.spec ?? {}) as { group?: unknown; scope?: unknown; names?: { plural?: unknown }; versions?: unknown };
  if (typeof spec.group === 'string' && typeof spec.names?.plural === 'string' && m.metadata?.name !== `${spec.names.plural}.${spec.group}`) {
    add('/metadata/name', `must be spec.names.plural + "." + spec.group (${JSON.stringify(`${spec.names.plural}.${spec.group}`)})`);
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    add('/spec/scope', `must be "Namespaced" or "Cluster", not ${JSON.stringify(spec.scope)}`);
  }
  if (Array.isArray(spec.versions)) {
    const versions = spec.versions as Array<{ name?: unknown; storage?: unknown }>;
    const storage = versions.filter((v) => v?.storage === true).length;
    if (storage !== 1) add('/spec/versions', `exactly one version must be the storage version (${storage} are)`);
    const names = versions.map((v) => v?.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) add(`/spec/versions/${i}/name`, `version ${JSON.stringify(n)} is declared twice`);
    });
  }
}
