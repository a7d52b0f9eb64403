/**
 * Schema validation of emitted objects: Istio kinds against the CRD schemas generated from Istio's
 * CRDs (unknown fields refused, as `kubectl apply` with strict field validation does), core
 * Kubernetes kinds against the `kubernetes-models` schemas, and object names against Kubernetes'
 * naming rules. Used by `npm run synth`, by the tests, and available to users.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as schemas from '../generated/schemas.json';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './checks';
import { Manifest } from './manifest';

/** One problem found in one object. */
export interface ValidationIssue {
  /** `Kind namespace/name` of the object. */
  readonly object: string;
  /** JSON pointer of the offending field, e.g. `/spec/http/0/route/0/weight`. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
}

const ISTIO: Record<string, unknown> = (schemas as any).default ?? schemas;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const int = (min: number, max: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
    ajv.addFormat('int32', int(-2147483648, 2147483647));
    ajv.addFormat('uint32', int(0, 4294967295));
    ajv.addFormat('int64', int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    ajv.addFormat('uint64', int(0, Number.MAX_SAFE_INTEGER));
    ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    ajv.addFormat('string', /.*/);
  }
  return ajv;
}

/** Marks every structural object schema closed, so an unknown (misspelled) field is an error. */
function closeObjects(node: any, isRoot = true): any {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n, false));
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'properties'
      ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, closeObjects(pv, false)]))
      : closeObjects(v, false);
  }
  if (!isRoot && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** The schema validator of an Istio `apiVersion`/`kind`, or undefined if the kind is not an Istio CRD we know. */
function istioValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!compiled.has(key)) {
    const schema = ISTIO[key];
    if (!schema) return undefined;
    compiled.set(key, getAjv().compile(closeObjects(schema)));
  }
  return compiled.get(key);
}


/** Core Kubernetes kinds validated with `kubernetes-models`, by apiVersion/kind. */
function kubernetesModel(apiVersion: string, kind: string): any {
  const modulePath: Record<string, string> = {
    'v1': 'kubernetes-models/v1',
    'apps/v1': 'kubernetes-models/apps/v1',
    'policy/v1': 'kubernetes-models/policy/v1',
    'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
    'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  };
  const mod = modulePath[apiVersion];
  if (!mod) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(mod)[kind];
}

/**
 * Validates one object against its schema. Unknown kinds are reported, never passed silently.
 * @returns the issues found; empty when the object is valid.
 */
export function validateManifest(m: Manifest): ValidationIssue[] {
  const id = `${m?.kind} ${m?.metadata?.namespace ? m.metadata.namespace + '/' : ''}${m?.metadata?.name}`;
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string) => issues.push({ object: id, field, message });
  if (!m || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') {
    add('', 'not a Kubernetes object (apiVersion and kind are required)');
    return issues;
  }
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    add('/metadata/name', `name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  } else if ((m.kind === 'Service' || m.kind === 'Gateway' || m.kind === 'Namespace') && (name.length > 63 || !DNS1123_LABEL.test(name))) {
    add('/metadata/name', `a ${m.kind} name must be a DNS-1123 label (no dots, at most 63 characters)`);
  }
  const ns = m.metadata?.namespace;
  if (ns !== undefined && (ns.length > 63 || !DNS1123_LABEL.test(ns))) {
    add('/metadata/namespace', `namespace ${JSON.stringify(ns)} is not a DNS-1123 label`);
  }

  const istio = istioValidator(m.apiVersion, m.kind);
  if (istio) {
    if (!istio(m)) {
      for (const e of istio.errors ?? []) {
        const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : '';
        add(e.instancePath, `${e.message}${extra}`);
      }
    }
    return issues;
  }
  const Model = kubernetesModel(m.apiVersion, m.kind);
  if (!Model) {
    add('', `no schema is known for ${m.apiVersion} ${m.kind}`);
    return issues;
  }
  try {
    new Model(m).validate();
  } catch (e) {
    add('', (e as Error).message);
  }
  return issues;
}

/** Validates many objects; also reports two objects of one kind with one name in one namespace. */
export function validateManifests(manifests: readonly Manifest[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const m of manifests) {
    issues.push(...validateManifest(m));
    const key = `${m.apiVersion}/${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
    if (seen.has(key)) issues.push({ object: `${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}`, field: '/metadata/name', message: 'declared twice' });
    seen.add(key);
  }
  return issues;
}
