/**
 * Validation of emitted objects, as the Kubernetes API server and Istio's validating webhook would
 * admit them:
 *
 * - Istio kinds (and the Sail Operator's and the Kubernetes Gateway API's, from their CRDs): the
 *   schema of the object's own served version (`apiVersion` + `kind`; an
 *   apiVersion the CRD does not serve is refused, naming the served ones), after the schema's
 *   defaults are applied; unknown fields refused (as `kubectl apply` with strict field validation
 *   does); list semantics (`x-kubernetes-list-type`); the CRD's CEL rules (`x-kubernetes-validations`,
 *   see `validation/cel.ts`; transition rules, which need the old object, are skipped); then, when
 *   all of that passes, Istio's validating-webhook rules (`webhook/index.ts`), which also give
 *   warnings.
 * - Core Kubernetes kinds: the `kubernetes-models` schemas.
 * - Every object: its name and namespace against Kubernetes' naming rules.
 *
 * Used by `npm run synth`, by both front ends (cdk8s fails the synth, Pulumi the preview), by the
 * tests, and available to users.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation
 * @see https://istio.io/latest/docs/ops/common-problems/validation/
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as schemas from '../generated/schemas.json';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './checks';
import { ErrorCode, IstioConstructError } from './errors';
import { Manifest } from './manifest';
import { crdIssues } from './validation/crd';
import { StructuralSchema, applyDefaults, checkRulesAndLists } from './validation/structural';
import { webhookIssues } from './webhook';

/** One problem found in one object. */
export interface ValidationIssue {
  /** `Kind namespace/name` of the object. */
  readonly object: string;
  /** JSON pointer of the offending field, e.g. `/spec/http/0/route/0/weight`. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
}

/**
 * What the API server and the webhook say about one or more objects: `errors` they would be
 * rejected for, `warnings` they would be admitted with (a deprecated apiVersion, the webhook's
 * warnings).
 */
export interface ValidationResult {
  /** Problems that make the API server or Istio's webhook reject the object. */
  readonly errors: ValidationIssue[];
  /** Problems the object is admitted with, each returned to the client as a warning. */
  readonly warnings: ValidationIssue[];
}

/** The layout of src/generated/schemas.json (written by scripts/import.ts). */
interface GeneratedSchemas {
  /** By `<group>/<Kind>`: the served versions (CRD order), the storage version, the deprecated ones. */
  readonly kinds: Record<string, { readonly versions: string[]; readonly storage: string; readonly deprecated?: Record<string, string> }>;
  /** By `<group>/<version>/<Kind>`: the schema, or the key of an identical one. */
  readonly schemas: Record<string, StructuralSchema | string>;
}

const GENERATED: GeneratedSchemas = (schemas as any).default ?? schemas;

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

/** The value-validation keywords: their branches constrain the structural schema, they declare no fields. */
const VALUE_VALIDATIONS = new Set(['oneOf', 'anyOf', 'allOf', 'not']);

/**
 * Marks every structural object schema closed, so an unknown (misspelled) field is an error. The
 * branches of `oneOf`/`anyOf`/`allOf`/`not` are left as they are: in a structural schema they only
 * constrain fields the structural part declares (the Gateway API's "an IPAddress value is an IP"),
 * so closing them would refuse every other field.
 */
function closeObjects(node: any, isRoot = true): any {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n, false));
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = VALUE_VALIDATIONS.has(k) ? v : k === 'properties'
      ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, closeObjects(pv, false)]))
      : closeObjects(v, false);
  }
  if (!isRoot && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** The schema of one served Istio version, and the key its compiled validator is cached under. */
interface IstioSchema {
  readonly key: string;
  readonly schema: StructuralSchema;
  /** The warning for a deprecated version, if it is one. */
  readonly deprecated?: string;
}

/**
 * The schema of an Istio `apiVersion`/`kind`: undefined when the kind is not an Istio CRD, a string
 * (the error) when the kind is one but the CRD does not serve that version.
 */
function istioSchema(apiVersion: string, kind: string): IstioSchema | string | undefined {
  // A pure function of its two strings over the generated schemas: answered once per pair.
  const cacheKey = `${apiVersion}\u0000${kind}`;
  if (schemaAnswers.has(cacheKey)) return schemaAnswers.get(cacheKey);
  const answer = lookUpIstioSchema(apiVersion, kind);
  if (schemaAnswers.size < 1000) schemaAnswers.set(cacheKey, answer);
  return answer;
}

/** `istioSchema`'s answers, by apiVersion and kind (bounded: a program uses a few dozen pairs). */
const schemaAnswers = new Map<string, IstioSchema | string | undefined>();

function lookUpIstioSchema(apiVersion: string, kind: string): IstioSchema | string | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const entry = GENERATED.kinds[`${group}/${kind}`];
  if (!entry) return undefined;
  if (!entry.versions.includes(version)) {
    return `${kind} is not served as ${apiVersion}: the served versions are ${entry.versions.map((v) => `${group}/${v}`).join(', ')}`;
  }
  let key = `${group}/${version}/${kind}`;
  let schema = GENERATED.schemas[key];
  while (typeof schema === 'string') schema = GENERATED.schemas[key = schema];
  if (!schema) throw new Error(`src/generated/schemas.json has no schema for ${key}; run npm run import`);
  return { key, schema, deprecated: entry.deprecated?.[version] };
}

/** The compiled JSON-schema validator of one Istio schema (compiled once, on first use). */
function istioValidator(s: IstioSchema): ValidateFunction {
  let v = compiled.get(s.key);
  if (!v) compiled.set(s.key, v = getAjv().compile(closeObjects(s.schema)));
  return v;
}

/** Core Kubernetes kinds validated with `kubernetes-models`, by apiVersion/kind. */
function kubernetesModel(apiVersion: string, kind: string): any {
  const modulePath: Record<string, string> = {
    'v1': 'kubernetes-models/v1',
    'apps/v1': 'kubernetes-models/apps/v1',
    'policy/v1': 'kubernetes-models/policy/v1',
    'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
    'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
    // What installations render (Istio's charts, add-ons): CRDs, webhooks and admission policies, RBAC, jobs.
    'apiextensions.k8s.io/v1': 'kubernetes-models/apiextensions.k8s.io/v1',
    'admissionregistration.k8s.io/v1': 'kubernetes-models/admissionregistration.k8s.io/v1',
    'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
    'batch/v1': 'kubernetes-models/batch/v1',
    'discovery.k8s.io/v1': 'kubernetes-models/discovery.k8s.io/v1',
    'scheduling.k8s.io/v1': 'kubernetes-models/scheduling.k8s.io/v1',
  };
  const mod = modulePath[apiVersion];
  if (!mod) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(mod)[kind];
}

/** `Kind namespace/name` of an object, as issues name it (`ValidationIssue.object`). @internal */
export function objectId(m: Manifest): string {
  return `${m?.kind} ${m?.metadata?.namespace ? m.metadata.namespace + '/' : ''}${m?.metadata?.name}`;
}

/**
 * Validates one object as the API server and Istio's webhook would admit it. Unknown kinds are
 * reported, never passed silently.
 * @returns the errors and the warnings; both empty when the object is admitted as is.
 */
export function validateManifestDetailed(m: Manifest): ValidationResult {
  const id = objectId(m);
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const add = (field: string, message: string) => errors.push({ object: id, field, message });
  if (!m || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') {
    add('', 'not a Kubernetes object (apiVersion and kind are required)');
    return { errors, warnings };
  }
  const name = m.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    add('/metadata/name', `name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  } else if ((m.kind === 'Service' || m.kind === 'Gateway' || m.kind === 'Namespace') && (name.length > 63 || !DNS1123_LABEL.test(name))) {
    add('/metadata/name', `a ${m.kind} name must be a DNS-1123 label (no dots, at most 63 characters)`);
  }
  const ns = m.metadata?.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || ns.length > 63 || !DNS1123_LABEL.test(ns))) {
    add('/metadata/namespace', `namespace ${JSON.stringify(ns)} is not a DNS-1123 label`);
  }

  const istio = istioSchema(m.apiVersion, m.kind);
  if (typeof istio === 'string') {
    add('/apiVersion', istio);
    return { errors, warnings };
  }
  if (istio) {
    if (istio.deprecated) warnings.push({ object: id, field: '/apiVersion', message: istio.deprecated });
    // The API server defaults first, then validates the schema, then evaluates the CEL rules.
    const defaulted = applyDefaults(istio.schema, m) as Manifest;
    const validate = istioValidator(istio);
    if (!validate(defaulted)) {
      for (const e of validate.errors ?? []) {
        const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : '';
        add(e.instancePath, `${e.message}${extra}`);
      }
    }
    checkRulesAndLists(istio.schema, defaulted, '', add);
    // Validating webhooks only see objects the API server's own validation admitted.
    if (errors.length === 0) {
      const webhook = webhookIssues(defaulted);
      errors.push(...webhook.errors);
      warnings.push(...webhook.warnings);
    }
    return { errors, warnings };
  }
  const Model = kubernetesModel(m.apiVersion, m.kind);
  if (!Model) {
    add('', `no schema is known for ${m.apiVersion} ${m.kind}`);
    return { errors, warnings };
  }
  try {
    new Model(m).validate();
  } catch (e) {
    add('', (e as Error).message);
  }
  if (m.apiVersion === 'apiextensions.k8s.io/v1' && m.kind === 'CustomResourceDefinition') crdIssues(m, add);
  return { errors, warnings };
}

/**
 * Validates one object (see {@link validateManifestDetailed}).
 * @returns the errors found; empty when the object is valid. Warnings are not included: use
 * `validateManifestDetailed` for them.
 */
export function validateManifest(m: Manifest): ValidationIssue[] {
  return validateManifestDetailed(m).errors;
}

/**
 * Validates many objects (see {@link validateManifestDetailed}); also reports two objects of one
 * kind with one name in one namespace (an error).
 * @returns the errors and the warnings of all objects, in object order.
 */
export function validateManifestsDetailed(manifests: readonly Manifest[]): ValidationResult {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const m of manifests) {
    const r = validateManifestDetailed(m);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
    const key = `${m?.apiVersion}/${m?.kind}/${m?.metadata?.namespace ?? ''}/${m?.metadata?.name}`;
    if (seen.has(key)) errors.push({ object: `${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}`, field: '/metadata/name', message: 'declared twice' });
    seen.add(key);
  }
  return { errors, warnings };
}

/**
 * Validates many objects; also reports two objects of one kind with one name in one namespace.
 * @returns the errors found (warnings are left out: use `validateManifestsDetailed` for them).
 */
export function validateManifests(manifests: readonly Manifest[]): ValidationIssue[] {
  return validateManifestsDetailed(manifests).errors;
}

/** Whether an apiVersion belongs to one of Istio's API groups (`*.istio.io`). */
export function isIstioApiVersion(apiVersion: string): boolean {
  const slash = typeof apiVersion === 'string' ? apiVersion.indexOf('/') : -1;
  return slash > 0 && apiVersion.slice(0, slash).endsWith('.istio.io');
}

/**
 * Whether an apiVersion belongs to the Kubernetes Gateway API (`gateway.networking.k8s.io`), whose
 * kinds `validateManifest` checks against the Gateway API CRDs (schema and CEL rules) like Istio's.
 */
export function isGatewayApiVersion(apiVersion: string): boolean {
  return typeof apiVersion === 'string' && apiVersion.startsWith('gateway.networking.k8s.io/');
}

/** Whether the front ends admit objects of this API version at synth (Istio's and the Gateway API's). @internal */
export function isAdmittedApiVersion(apiVersion: string): boolean {
  return isIstioApiVersion(apiVersion) || isGatewayApiVersion(apiVersion);
}

/** One issue as a line: `Kind namespace/name /field: message`. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.object} ${issue.field || '/'}: ${issue.message}`;
}

/**
 * The error a front end throws when objects it built would not be admitted: one
 * `IstioConstructError` (code `INVALID_OBJECT`) listing every error, or undefined when there is none.
 * @internal
 */
export function admissionError(errors: readonly ValidationIssue[], construct: string): IstioConstructError | undefined {
  if (errors.length === 0) return undefined;
  return new IstioConstructError(
    ErrorCode.INVALID_OBJECT, '',
    `the API server or Istio's webhook would reject ${errors.length === 1 ? 'an object' : `${errors.length} problems in the objects`} built: ${errors.map(formatIssue).join('; ')}`,
    'change the prop that sets this field (a value that is only known once an input resolves, such as a duration or a host from an Output, is checked here); if the props are right, please report it as a bug',
    construct,
  );
}
