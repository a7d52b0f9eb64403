/**
 * Admission checks for the ambient tests. The library validates Istio and core Kubernetes kinds
 * (`validateManifests`); the Gateway API CRDs are being added to it separately. Until
 * `validateManifests` knows a Gateway API kind, the object is checked here against the Gateway
 * API v1.6 CRD schema of ../shared (structure, types, enums, patterns, lengths; not its CEL rules),
 * so these tests assert admission either way.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { Manifest, validateManifests } from '../src';

const CRDS = path.resolve(__dirname, '../../shared/istio/crds/gateway-api/gateway-api-crd.yaml');
const UNKNOWN = /^no schema is known for gateway\.networking\.k8s\.io\//;

let schemas: Map<string, object> | undefined;
const validators = new Map<string, ValidateFunction>();

/** The Gateway API CRD schemas of ../shared, by `group/version/Kind`, with every object closed to unknown fields. */
function gatewayApiSchemas(): Map<string, object> {
  if (schemas) return schemas;
  schemas = new Map();
  const close = (node: any): any => {
    if (Array.isArray(node)) return node.map(close);
    if (!node || typeof node !== 'object') return node;
    const out: any = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description' || k.startsWith('x-kubernetes-')) continue;
      out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, close(pv)])) : close(v);
    }
    if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(CRDS, 'utf8'))) {
    const crd = doc.toJSON();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const v of crd.spec.versions) {
      const root = close(v.schema.openAPIV3Schema);
      // metadata is the API server's: any labels and annotations.
      root.properties.metadata = { type: 'object' };
      schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, root);
    }
  }
  return schemas;
}

/** Schema problems of a Gateway API object against the v1.6 CRD (empty when valid). */
export function gatewayApiSchemaIssues(m: Manifest): string[] {
  const key = `${m.apiVersion}/${m.kind}`;
  const schema = gatewayApiSchemas().get(key);
  if (!schema) return [`no Gateway API CRD serves ${m.apiVersion} ${m.kind}`];
  let validate = validators.get(key);
  if (!validate) validators.set(key, validate = new Ajv({ strict: false, allErrors: true, logger: false }).compile(schema));
  return validate(m) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * Asserts every object is admitted: `validateManifests` finds nothing, except that it may not know
 * a Gateway API kind yet, in which case the object must pass the CRD schema here.
 */
export function expectAdmitted(manifests: readonly Manifest[]): void {
  const issues = validateManifests(manifests);
  expect(issues.filter((i) => !UNKNOWN.test(i.message))).toEqual([]);
  for (const m of manifests) {
    if (issues.some((i) => UNKNOWN.test(i.message) && i.object === `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)) {
      expect(gatewayApiSchemaIssues(m)).toEqual([]);
    }
  }
}
