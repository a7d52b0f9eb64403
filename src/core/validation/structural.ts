/**
 * The checks the Kubernetes API server makes on a custom resource beyond the OpenAPI keywords a
 * JSON-schema validator understands: defaulting (`default`), list semantics
 * (`x-kubernetes-list-type: set | map` with `x-kubernetes-list-map-keys`: no duplicates) and the CEL
 * rules (`x-kubernetes-validations`), each evaluated at the node that declares it, on the
 * defaulted object.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy
 * @internal
 */
import type { CelInput } from '@bufbuild/cel';
import { CelRule, evaluateRule } from './cel';

/** The structural-schema keywords this module reads. @internal */
export interface StructuralSchema {
  readonly type?: string;
  readonly properties?: Record<string, StructuralSchema>;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly items?: StructuralSchema;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly 'x-kubernetes-validations'?: readonly CelRule[];
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** Reports one problem at a JSON pointer. @internal */
export type Report = (pointer: string, message: string) => void;

/** Whether a schema subtree declares any `default` (computed once per node). */
const hasDefaultsCache = new WeakMap<StructuralSchema, boolean>();

function hasDefaults(schema: StructuralSchema): boolean {
  let known = hasDefaultsCache.get(schema);
  if (known === undefined) {
    known = schema.default !== undefined
      || Object.values(schema.properties ?? {}).some(hasDefaults)
      || (typeof schema.additionalProperties === 'object' && hasDefaults(schema.additionalProperties))
      || (schema.items !== undefined && hasDefaults(schema.items));
    hasDefaultsCache.set(schema, known);
  }
  return known;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Applies the schema's defaults as the API server does when it decodes an object: a property that
 * is absent (or null where the schema is not nullable) gets a copy of its `default`, at every depth,
 * in objects, map values and list items. Never mutates `value`: returns it unchanged when nothing
 * is defaulted, else a copy of the changed branches.
 */
export function applyDefaults(schema: StructuralSchema, value: unknown): unknown {
  if (!hasDefaults(schema)) return value;
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    const items = value.map((v) => applyDefaults(schema.items!, v));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => {
    out ??= { ...value };
    out[k] = v;
  };
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const current = value[k];
    if ((current === undefined || (current === null && !sub.nullable)) && sub.default !== undefined) {
      set(k, applyDefaults(sub, structuredClone(sub.default)));
    } else if (current !== undefined) {
      const next = applyDefaults(sub, current);
      if (next !== current) set(k, next);
    }
  }
  if (typeof schema.additionalProperties === 'object') {
    for (const [k, current] of Object.entries(value)) {
      if (schema.properties && k in schema.properties) continue;
      const next = applyDefaults(schema.additionalProperties, current);
      if (next !== current) set(k, next);
    }
  }
  return out ?? value;
}

/** Whether a value has the type its schema declares (else the schema validator reports it, and rules are not run on it). */
function hasSchemaType(schema: StructuralSchema, v: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof v === 'string' || Number.isInteger(v);
  switch (schema.type) {
    case 'object': return isPlainObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    default: return true;
  }
}

/** Converted values of one walk, by schema node and JSON object (a rule on a parent reuses its children's). */
type Memo = WeakMap<StructuralSchema, WeakMap<object, CelInput>>;
/** The memo key of values without a schema. */
const UNTYPED: StructuralSchema = {};

/**
 * Converts a JSON value to the CEL value the API server binds to `self`, by its schema: integers
 * are CEL `int` (bigint), numbers `double`, objects and maps CEL maps (only the keys present, so
 * `has()` works), lists CEL lists. Untyped (preserve-unknown-fields) numbers are `int` when whole.
 * Strings stay strings (also `date-time` and `byte`: no Istio rule reads them).
 */
function toCel(schema: StructuralSchema | undefined, v: unknown, memo: Memo): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    const integer = schema?.type === 'integer' || schema?.['x-kubernetes-int-or-string'] || (!schema?.type && Number.isInteger(v));
    return integer && Number.isSafeInteger(v) ? BigInt(v) : v;
  }
  if (typeof v !== 'object') return v as CelInput;
  const key = schema ?? UNTYPED;
  let bySchema = memo.get(key);
  if (!bySchema) memo.set(key, bySchema = new WeakMap());
  const cached = bySchema.get(v);
  if (cached !== undefined) return cached;
  const out: CelInput = Array.isArray(v)
    ? v.map((item) => toCel(schema?.items, item, memo))
    : new JsonCelMap(schema, v as Record<string, unknown>, memo);
  bySchema.set(v, out);
  return out;
}

/** A member of a `JsonCelMap` not converted yet. */
const UNCONVERTED: CelInput = Object.freeze({ unconverted: true }) as unknown as CelInput;

/**
 * The CEL map of a JSON object (its keys as the API server names them in CEL), whose members are
 * converted when a rule reads them: a rule on an object (`has(self.workloadSelector)`) reads a
 * few members, and converting the whole subtree (an EnvoyFilter's patch values) cost more than
 * evaluating the rule. The CEL evaluator reads a native map through `get`, `keys`, `entries`,
 * `values`, `forEach` and iteration, all of which convert what they return.
 */
class JsonCelMap extends Map<string, CelInput> {
  /** The source member of each CEL key, with its schema. */
  private readonly members = new Map<string, readonly [StructuralSchema | undefined, unknown]>();

  constructor(schema: StructuralSchema | undefined, value: Record<string, unknown>, private readonly memo: Memo) {
    super();
    for (const k of Object.keys(value)) {
      const declared = schema?.properties?.[k];
      const sub = declared ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      const key = declared ? celPropertyName(k) : k;
      this.members.set(key, [sub, value[k]]);
      super.set(key, UNCONVERTED);
    }
  }

  public override get(key: string): CelInput | undefined {
    const v = super.get(key);
    if (v !== UNCONVERTED) return v;
    const [sub, item] = this.members.get(key)!;
    const converted = toCel(sub, item, this.memo);
    super.set(key, converted);
    return converted;
  }

  public override *entries(): MapIterator<[string, CelInput]> {
    for (const key of super.keys()) yield [key, this.get(key)!];
  }

  public override *values(): MapIterator<CelInput> {
    for (const key of super.keys()) yield this.get(key)!;
  }

  public override [Symbol.iterator](): MapIterator<[string, CelInput]> {
    return this.entries();
  }

  public override forEach(callback: (value: CelInput, key: string, map: Map<string, CelInput>) => void, thisArg?: unknown): void {
    for (const key of super.keys()) callback.call(thisArg, this.get(key)!, key, this);
  }
}

/** CEL's reserved words: a declared property so named is read as `__<word>__` (`self.__namespace__`). */
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/**
 * The name a declared property has in CEL, escaped as the API server escapes it (Kubernetes
 * apiextensions CEL property-name escaping: a reserved word → `__<word>__`; `__` → `__underscores__`,
 * `.` → `__dot__`, `-` → `__dash__`, `/` → `__slash__`). Map keys (additionalProperties) are not escaped.
 */
function celPropertyName(k: string): string {
  if (CEL_RESERVED.has(k)) return `__${k}__`;
  if (!/__|[.\-/]/.test(k)) return k;
  return k.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** Escapes one JSON-pointer segment. */
function segment(key: string | number): string {
  const k = String(key);
  // Most keys have neither character: skip the two replacements (this runs for every node walked).
  return k.includes('~') || k.includes('/') ? `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` : `/${k}`;
}

/** Turns a rule's `fieldPath` (`.a.b`, `.a['b.c']`, `.a[0]`) into a JSON-pointer suffix; '' when it does not parse. */
function fieldPathPointer(fieldPath: string): string {
  let out = '';
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[([0-9]+)\]/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < fieldPath.length && (m = re.exec(fieldPath))) out += segment(m[1] ?? m[2] ?? m[3]);
  return re.lastIndex === fieldPath.length ? out : '';
}

/** A list item's identity under `x-kubernetes-list-type`: the whole value (set) or its map keys (map). */
function listKey(schema: StructuralSchema, item: unknown): string {
  if (schema['x-kubernetes-list-type'] === 'map' && isPlainObject(item)) {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    return JSON.stringify(Object.fromEntries(keys.map((k) => [k, item[k] ?? null])));
  }
  return JSON.stringify(item);
}

/**
 * Checks list semantics and evaluates the CEL rules over a (defaulted) value, reporting every
 * failure at the JSON pointer of the node whose rule failed (plus the rule's `fieldPath`, if any).
 * A node whose value does not have its schema's type is left to the schema validator.
 */
export function checkRulesAndLists(schema: StructuralSchema, value: unknown, pointer: string, report: Report): void {
  walk(schema, value, { base: pointer, keys: [] }, report, new WeakMap());
}

/**
 * Where the walk is: the pointer it started at and the keys below it. The JSON pointer is only
 * built when something is reported (`pointerOf`): the walk visits every node, and almost none fails.
 */
interface Position {
  readonly base: string;
  readonly keys: Array<string | number>;
}

function pointerOf(at: Position): string {
  let pointer = at.base;
  for (const k of at.keys) pointer += segment(k);
  return pointer;
}

/** Whether a schema or any schema below it has CEL rules or set/map list semantics (else the walk skips its values). */
const hasChecksCache = new WeakMap<StructuralSchema, boolean>();

function hasChecks(schema: StructuralSchema): boolean {
  let known = hasChecksCache.get(schema);
  if (known === undefined) {
    const listType = schema['x-kubernetes-list-type'];
    known = (schema['x-kubernetes-validations']?.length ?? 0) > 0 || listType === 'set' || listType === 'map'
      || Object.values(schema.properties ?? {}).some(hasChecks)
      || (typeof schema.additionalProperties === 'object' && hasChecks(schema.additionalProperties))
      || (schema.items !== undefined && hasChecks(schema.items));
    hasChecksCache.set(schema, known);
  }
  return known;
}

function walk(schema: StructuralSchema, value: unknown, at: Position, report: Report, memo: Memo): void {
  if (value === undefined || value === null || !hasChecks(schema) || !hasSchemaType(schema, value)) return;
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const outcome = evaluateRule(rule, toCel(schema, value, memo));
    if (outcome.kind === 'fail') report(pointerOf(at) + (rule.fieldPath ? fieldPathPointer(rule.fieldPath) : ''), outcome.message);
  }
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set' || listType === 'map') {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = listKey(schema, item);
        if (seen.has(key)) report(pointerOf(at) + segment(i), `Duplicate value: ${key}`);
        seen.add(key);
      });
    }
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        at.keys.push(i);
        walk(schema.items, value[i], at, report, memo);
        at.keys.pop();
      }
    }
    return;
  }
  if (!isPlainObject(value)) return;
  for (const k of Object.keys(value)) {
    const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (sub) {
      at.keys.push(k);
      walk(sub, value[k], at, report, memo);
      at.keys.pop();
    }
  }
}
