/**
 * The rendering of the app's `ApiObject`s at synth, without cdk8s' resolver walk when that walk
 * provably changes nothing (DESIGN D5a).
 *
 * cdk8s renders an object (`ApiObject.toJson()`) by resolving every value of its props and of its
 * metadata (`resolve`: each node is offered to each of the App's resolvers, `Lazy` values and
 * tokens are replaced), then sanitising the result (`sanitizeValue`: null members dropped, keys
 * sorted; in metadata, empty objects and arrays dropped too), then applying its JSON patches. The
 * library's objects, and most objects users declare next to them (a Service, a Deployment), are
 * plain JSON (strings, numbers, booleans, arrays, plain objects), which no default resolver
 * replaces, so for them the result is a sanitised copy. `render` makes that copy directly, and
 * hands the object back to cdk8s (`o.toJson()`) whenever anything is not as expected: an App with
 * other resolvers than cdk8s' three defaults, a JSON patch, a value that is not plain JSON (a
 * `Lazy`, a token, a class instance, a function), a class with its own `toJson`, or props or
 * metadata whose fields are not the ones this module knows. It also checks itself once per
 * process against cdk8s' own `toJson()` on a probe object covering the sanitising rules, and stays
 * off if they differ (e.g. under a cdk8s version that renders differently).
 * `test/cdk8s-render.test.ts` compares both on random objects.
 *
 * Why: rendering was the largest single cost the library added to a synthesis (the metadata's
 * resolve alone took a third of it), for objects whose rendering cdk8s' walk cannot change.
 * @internal
 */
import { isDeepStrictEqual } from 'util';
import {
  ApiObject, ApiObjectMetadataDefinition, App, Chart, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver,
} from 'cdk8s';

/** What `copy` returns for a value it does not render itself (cdk8s must). */
const NOT_PLAIN = Symbol('istio-constructs.cdk8s.not-plain');
type Copied = unknown | typeof NOT_PLAIN;

/**
 * `sanitizeValue(resolve(v))` for a plain-JSON value under cdk8s' default resolvers, or NOT_PLAIN.
 * `filterEmpty`: metadata's sanitising, which also drops empty arrays and objects.
 */
function copy(v: unknown, sortKeys: boolean, filterEmpty: boolean): Copied {
  if (v === null || v === undefined) return undefined;
  const type = typeof v;
  if (type === 'string' || type === 'boolean' || type === 'number') return v;
  if (type !== 'object') return NOT_PLAIN; // functions, bigints, symbols: left to cdk8s
  if (Array.isArray(v)) {
    // NumberStringUnionResolver replaces any non-plain object whose `value` is a number or string.
    const tag = typeof (v as unknown as { value?: unknown }).value;
    if (tag === 'number' || tag === 'string' || typeof (v as unknown as { resolve?: unknown }).resolve === 'function') return NOT_PLAIN;
    if (filterEmpty && v.length === 0) return undefined;
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return NOT_PLAIN; // a hole: cdk8s keeps it
      const c = copy(v[i], sortKeys, filterEmpty);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out[i] = c;
    }
    return out;
  }
  const o = v as Record<string, unknown>;
  if (o.constructor !== Object || typeof o.resolve === 'function') return NOT_PLAIN;
  const keys = Object.keys(o);
  if (sortKeys) sortKeysOf(keys);
  const out: Record<string, unknown> = {};
  let size = 0;
  for (const k of keys) {
    if (k === '__proto__') return NOT_PLAIN;
    const c = copy(o[k], sortKeys, filterEmpty);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    if (c !== undefined) {
      out[k] = c;
      size++;
    }
  }
  if (filterEmpty && size === 0) return undefined;
  return out;
}

/** Longest key list sorted by insertion: an object of a manifest has a handful of keys. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts an object's keys as cdk8s does (`Array.prototype.sort()`: by UTF-16 code units; keys are
 * distinct, so stability does not matter). Short lists, nearly every object of a manifest, by
 * insertion, which took a third of the time `sort()` takes on them (its call overhead dominates
 * for a few keys); the copy of the mixed benchmark program's objects went from 26 ms to 9 ms.
 */
function sortKeysOf(keys: string[]): void {
  if (keys.length > INSERTION_SORT_MAX) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
}

/** The fields of cdk8s' `ApiObjectMetadataDefinition` (2.x) this module reads. */
interface MetadataFields {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly labels: unknown;
  readonly annotations: unknown;
  readonly finalizers: unknown;
  readonly ownerReferences: unknown;
  readonly _additionalAttributes: Record<string, unknown>;
}

/** The members `ApiObjectMetadataDefinition.toJson()` sets over the additional attributes. */
const METADATA_FIELDS = ['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels'] as const;
const METADATA_OVERRIDES: ReadonlySet<string> = new Set(METADATA_FIELDS);

/** cdk8s' own renderings, as loaded (a later replacement of either turns the copy off for the objects it concerns). */
const CDK8S_OBJECT_TO_JSON = ApiObject.prototype.toJson;
const CDK8S_METADATA_TO_JSON = ApiObjectMetadataDefinition.prototype.toJson;

/** `metadata.toJson()`, copied; NOT_PLAIN when the metadata is not the shape this module knows. */
function metadataJson(metadata: ApiObjectMetadataDefinition): Copied {
  if (!(metadata instanceof ApiObjectMetadataDefinition) || metadata.toJson !== CDK8S_METADATA_TO_JSON) return NOT_PLAIN;
  const m = metadata as unknown as MetadataFields;
  const attributes = m._additionalAttributes;
  if (typeof attributes !== 'object' || attributes === null || !Array.isArray(m.finalizers) || !Array.isArray(m.ownerReferences)
    || typeof m.labels !== 'object' || typeof m.annotations !== 'object') return NOT_PLAIN;
  const data: Record<string, unknown> = {};
  for (const k of Object.keys(attributes)) if (!METADATA_OVERRIDES.has(k)) data[k] = attributes[k];
  for (const k of METADATA_FIELDS) data[k] = m[k];
  return copy(data, true, true);
}

/** Whether an App's resolvers are cdk8s' defaults (which leave plain JSON as it is). */
const defaultResolversByApp = new WeakMap<App, boolean>();

function hasDefaultResolvers(app: App): boolean {
  let known = defaultResolversByApp.get(app);
  if (known === undefined) {
    const r = app.resolvers;
    known = Array.isArray(r) && r.length === 3 && r[0] instanceof LazyResolver && r[1] instanceof ImplicitTokenResolver
      && r[2] instanceof NumberStringUnionResolver;
    defaultResolversByApp.set(app, known);
  }
  return known;
}

/**
 * What `o.toJson()` returns: a copy of the object's props and metadata when cdk8s' walk cannot
 * change them, else `o.toJson()`. The props are the object `ApiObject`'s constructor kept (its
 * private `props`, which its own `toJson` spreads); an object without them, or whose class renders
 * differently (an imported class such as `KubeDeployment` overrides `toJson`), renders through
 * its `toJson()`. Any object of the app, whoever made it: a user's Service renders like the
 * library's VirtualService.
 */
export function render(o: ApiObject): unknown {
  const props = (o as unknown as { props?: unknown }).props;
  if (typeof props !== 'object' || props === null || o.toJson !== CDK8S_OBJECT_TO_JSON || !fastRenderingAgrees()) return o.toJson();
  return renderPlain(o, props as Readonly<Record<string, unknown>>) ?? o.toJson();
}

/** The copy, or undefined when cdk8s must render the object. */
function renderPlain(o: ApiObject, props: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const patches = (o as unknown as { patches?: unknown }).patches;
  if (!Array.isArray(patches) || patches.length > 0) return undefined;
  const app = o.node.root;
  if (!(app instanceof App) || !hasDefaultResolvers(app)) return undefined;
  const metadata = metadataJson(o.metadata);
  if (metadata === NOT_PLAIN) return undefined;
  const json = copy({ ...props, metadata }, !process.env.CDK8S_DISABLE_SORT, false);
  if (json === NOT_PLAIN || typeof json !== 'object' || json === null) return undefined;
  // cdk8s puts apiVersion, kind and metadata first.
  const body = json as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(body)]) if (k in body) result[k] = body[k];
  return result;
}

/** Whether the copy equals cdk8s' own rendering on the probe (checked once per process). */
let agrees: boolean | undefined;

function fastRenderingAgrees(): boolean {
  if (agrees === undefined) {
    agrees = false;
    try {
      const props = {
        apiVersion: 'example.com/v1',
        kind: 'Probe',
        metadata: { name: 'probe', labels: { b: '2', a: '1' }, annotations: {}, generateName: 'p-', finalizers: [] },
        spec: { z: [1, null, 'x', { b: true, a: null, c: [], d: {} }], a: { nested: { k: 0.5 } }, empty: [], none: null },
      };
      const app = new App();
      const o = new ApiObject(new Chart(app, 'probe', { namespace: 'ns', labels: { chart: 'label' } }), 'probe', props);
      o.metadata.addAnnotation('note', 'value');
      o.metadata.addFinalizers('example.com/f');
      const theirs = o.toJson();
      const ours = renderPlain(o, (o as unknown as { props: Readonly<Record<string, unknown>> }).props);
      agrees = ours !== undefined && isDeepStrictEqual(ours, theirs) && JSON.stringify(ours) === JSON.stringify(theirs);
    } catch {
      agrees = false;
    }
  }
  return agrees;
}
