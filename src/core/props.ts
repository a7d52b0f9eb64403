/**
 * Strict props at the boundary: every builder and value-type factory checks its props here, as an
 * untyped caller (JavaScript, YAML-loaded config, `as any`) may send them, before anything reads
 * them. The rendering code below the boundary can then trust its input.
 *
 * Two passes:
 * 1. a pre-pass over the raw value refuses what props can never hold, with its path: cycles,
 *    Symbols (as values or keys), functions, accessors (getters/setters), hidden (non-enumerable)
 *    properties, Proxies, BigInts, nesting deeper than 32, strings longer than 64 KiB, more than
 *    10000 entries in one object or list; a pulumi `Output`, promise or Output-built reference is
 *    refused as `INPUT_NOT_ALLOWED`. Class instances are not opened: the schema decides whether
 *    one is allowed where it stands;
 * 2. ajv validates against the JSON Schema generated from the exported props interfaces
 *    (src/generated/props-schemas.json, `npm run props-schemas`): unknown keys, types, enum
 *    values, integer-ness and wire-type ranges. Class-typed values (ServiceRef, IngressGateway,
 *    StringMatch, DurationLike, SessionAffinity, HashAlgorithm, ServiceAccountRef) are checked as
 *    instances (`x-instance`), every other object must be a plain object (`x-plain`).
 *
 * The first problem found becomes an `IstioConstructError` with the prop path, the expected shape
 * and a fix; a bad value is shown as a short, safely rendered prefix.
 *
 * @internal
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { types } from 'util';
import * as generated from '../generated/props-schemas.json';
import { Duration, isDuration } from './duration';
import { Ctx, ErrorCode, IstioConstructError, show } from './errors';
import { EgressGateway, ExternalHost, isEgressGateway, isExternalHost } from './external';
import { StringMatch, isStringMatch } from './http';
import { ServiceAccountRef, isServiceAccountRef } from './identity';
import { IngressGateway, ServiceRef, UNRESOLVED, isIngressGateway, isServiceRef } from './references';

type Json = any;

const SCHEMAS: Json = (generated as Json).default ?? generated;

/** The names `checkProps` accepts: the roots of src/generated/props-schemas.json. @internal */
export type PropsRoot =
  | 'CanaryServiceProps' | 'TcpIngressProps' | 'StickyServiceProps' | 'WorkloadServiceProps' | 'ServiceTrafficPolicyProps'
  | 'AuthorizationPolicyProps' | 'PeerAuthenticationProps' | 'RequestAuthenticationProps' | 'ZeroTrustNamespaceProps'
  | 'HardenedGatewayProps' | 'GatewayProps' | 'DnsProxyingOptions' | 'DnsProxying.annotations' | 'ServiceRefOptions' | 'ServiceRefFromObjectOptions' | 'IngressGatewayOptions' | 'AutomatedGatewayOptions' | 'RoutingTarget' | 'ExternalHostOptions' | 'EgressGatewayOptions' | 'CookieOptions' | 'KubernetesServicePorts'
  | 'Labels' | 'StringMatch.value' | 'StringMatch.cookie' | 'SessionAffinity.cookie'
  | 'SessionAffinity.name' | 'HashAlgorithm.ringHash' | 'HashAlgorithm.maglev' | 'ServiceAccountRef.of' | 'Duration.parse'
  | 'WorkloadEgressProps'
  | 'ExternalEgressProps'
  | 'HttpRouteProps' | 'TcpRouteProps' | 'TlsRouteProps'
  | 'InstallationGatewayProps'
  | 'MeshNamespaceProps'
  | 'IstioInstallationProps'
  | 'IstioAddonsProps'
  | 'WaypointProps' | 'WaypointRef.fromName';

/**
 * The context of a builder's props check: the construct label with the instance name when the raw
 * props have one (`CanaryService "reviews"`), read by dotted paths tried in order without running
 * getters or Proxy traps. @internal
 */
export function propsCtx(construct: string, props: unknown, ...namePaths: string[]): Ctx {
  for (const p of namePaths) {
    let v: unknown = props;
    for (const key of p.split('.')) v = v !== null && typeof v === 'object' && !types.isProxy(v) ? ownValue(v, key) : undefined;
    if (v !== undefined) return new Ctx(`${construct} ${show(v)}`);
  }
  return new Ctx(construct);
}

/** Deepest nesting of props (objects and lists). */
const MAX_DEPTH = 32;
/** Longest string a prop may hold: 64 KiB. */
const MAX_STRING = 64 * 1024;
/** Most entries in one object or list. */
const MAX_ENTRIES = 10_000;

/** What each `x-instance` name accepts, and how the message names it. */
interface InstanceType {
  readonly test: (value: unknown) => boolean;
  /** Whether a value that fails `test` is still an instance of the class (forged, or a field changed). */
  readonly forged?: (value: unknown) => boolean;
  readonly expected: string;
  readonly code: ErrorCode;
}

const registered = new Map<string, InstanceType>();

/**
 * Registers a class checked as an instance (`x-instance`) for a module that the core cannot
 * import (SessionAffinity and HashAlgorithm live in a pattern). @internal
 */
export function registerInstanceType(name: string, test: (value: unknown) => boolean, expected: string, code: ErrorCode, forged?: (value: unknown) => boolean): void {
  registered.set(name, { test, expected, code, forged });
}

/** The instance types of the core, by name, once built (they never change). */
const coreInstanceTypes = new Map<string, InstanceType>();

/** The instance type of an `x-instance` name: the core's (built once, on first use: the classes' modules import this one) or a registered one. */
function instanceType(name: string): InstanceType | undefined {
  let t = coreInstanceTypes.get(name);
  if (!t) {
    t = coreInstanceType(name);
    if (t) coreInstanceTypes.set(name, t);
  }
  return t ?? registered.get(name);
}

function coreInstanceType(name: string): InstanceType | undefined {
  switch (name) {
    case 'ServiceRef': return {
      test: isServiceRef, forged: (v) => v instanceof ServiceRef, expected: 'a ServiceRef (ServiceRef.fromName(name, { namespace, ports }))', code: ErrorCode.CONFLICTING_PROPS,
    };
    case 'IngressGateway': return {
      test: isIngressGateway, forged: (v) => v instanceof IngressGateway, expected: 'an IngressGateway (IngressGateway.fromSelector(selector, { namespace, ports }))', code: ErrorCode.CONFLICTING_PROPS,
    };
    case 'StringMatch': return {
      test: isStringMatch, forged: (v) => v instanceof StringMatch, expected: 'a StringMatch (StringMatch.exact(...), .prefix(...) or .regex(...))', code: ErrorCode.INVALID_MATCH,
    };
    case 'ServiceAccountRef': return {
      test: isServiceAccountRef, forged: (v) => v instanceof ServiceAccountRef, expected: 'a ServiceAccountRef (ServiceAccountRef.of(namespace, name))', code: ErrorCode.INVALID_PRINCIPAL,
    };
    case 'ExternalHost': return {
      test: isExternalHost, forged: (v) => v instanceof ExternalHost, expected: 'an ExternalHost (an ExternalEgress host, or ExternalHost.fromName(host, { ports }))', code: ErrorCode.CONFLICTING_PROPS,
    };
    case 'EgressGateway': return {
      test: isEgressGateway, forged: (v) => v instanceof EgressGateway, expected: 'an EgressGateway (EgressGateway.fromSelector(selector, { namespace, serviceName, ports }))', code: ErrorCode.CONFLICTING_PROPS,
    };
    case 'Duration': return { test: isDuration, forged: (v) => v instanceof Duration, expected: 'a Duration (Duration.seconds(30))', code: ErrorCode.INVALID_DURATION };
    case 'DurationLike': return {
      test: (v) => typeof v === 'string' || isDuration(v) || (!(v instanceof Duration) && isMillisecondsDuration(v)),
      forged: (v) => v instanceof Duration,
      expected: "a duration: a Duration (Duration.seconds(30)), a duration string ('30s', '250ms') or a cdk8s Duration",
      code: ErrorCode.INVALID_DURATION,
    };
    default: return undefined;
  }
}

/** An object with a `toMilliseconds` method (a cdk8s Duration), found without running getters. */
function isMillisecondsDuration(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || types.isProxy(value)) return false;
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, 'toMilliseconds');
    if (d) return 'value' in d && typeof d.value === 'function';
  }
  return false;
}

function isPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Retired props: keys the schema refuses, with the reason and the working alternative. */
const retired = new Map<string, { readonly problem: string; readonly fix: string }>();

/**
 * Registers a prop the props type no longer has (or never should have: Istio ignores the field it
 * wrote), so that passing it anyway fails as `UNKNOWN_PROP` with `problem` and `fix` instead of a
 * bare "unknown prop". `path` is the dotted prop path from the root (`sourceSubnet`). @internal
 */
export function registerRetiredProp(root: PropsRoot, path: string, problem: string, fix: string): void {
  retired.set(`${root}\0${path}`, { problem, fix });
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorOf(root: PropsRoot): ValidateFunction {
  let validate = compiled.get(root);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: false, strict: true, strictTypes: false, verbose: true, ownProperties: true, unicodeRegExp: false });
      ajv.addKeyword({
        keyword: 'x-instance',
        schemaType: 'string',
        errors: false,
        validate: (name: string, data: unknown) => {
          try {
            return instanceType(name)?.test(data) ?? false;
          } catch {
            return false;
          }
        },
      });
      ajv.addKeyword({ keyword: 'x-plain', schemaType: 'boolean', errors: false, validate: (_: boolean, data: unknown) => isPlainObject(data) });
      ajv.addSchema({ $id: SCHEMAS.$id, definitions: SCHEMAS.definitions });
    }
    validate = ajv.getSchema(`${SCHEMAS.$id}#/definitions/${encodeURIComponent(root)}`);
    if (!validate) throw new Error(`istio-constructs: no props schema ${root}; run npm run props-schemas`);
    compiled.set(root, validate);
  }
  return validate;
}

/**
 * Checks props (or a factory's arguments, as an object of its parameters) against the schema of
 * `root`. Returns nothing; throws at the first problem.
 * @throws IstioConstructError UNKNOWN_PROP, INVALID_PROP, UNSUPPORTED_VALUE or INPUT_NOT_ALLOWED
 *   (or the code of the class a value should be an instance of, such as INVALID_DURATION), with
 *   the prop path from `ctx`.
 * @internal
 */
export function checkProps(ctx: Ctx, root: PropsRoot, value: unknown): void {
  prepass(ctx, value, [], []);
  const validate = validatorOf(root);
  let ok: boolean;
  try {
    ok = validate(value) as boolean;
  } catch (e) {
    if (e instanceof IstioConstructError) throw e;
    return ctx.fail(ErrorCode.UNSUPPORTED_VALUE, 'the props could not be read', PLAIN_VALUES);
  }
  if (!ok) translate(ctx, root, value, validate.errors ?? []);
}

/** The hint of most pre-pass refusals. */
const PLAIN_VALUES = 'pass plain objects, lists, strings, numbers, booleans and the library\'s value types';

/** A list index as the pre-pass' key (`Reflect.ownKeys` gives `'3'`). */
const INDEX = /^(0|[1-9]\d*)$/;

/** The context of the value at `path` below `ctx`: made only to fail (the pre-pass keeps the path as segments). */
function ctxAt(ctx: Ctx, path: ReadonlyArray<string | number>): Ctx {
  return path.length ? ctx.at(...path) : ctx;
}

function unsupported(ctx: Ctx, path: ReadonlyArray<string | number>, what: string, hint = PLAIN_VALUES): never {
  return ctxAt(ctx, path).fail(ErrorCode.UNSUPPORTED_VALUE, what, hint);
}

/**
 * Refuses what no prop can hold, before the schema looks at the value. `path` holds the segments
 * from `ctx` to `value` and `ancestors` the objects from the root to it (both stacks, restored on
 * return): nothing is allocated per value visited except the key list of each object or list.
 */
function prepass(ctx: Ctx, value: unknown, path: Array<string | number>, ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
      if (value.length > MAX_STRING) unsupported(ctx, path, `the string has ${value.length} characters, more than props may hold (${MAX_STRING})`, 'give a shorter value');
      return;
    case 'symbol': return unsupported(ctx, path, 'a Symbol is not a prop value');
    case 'bigint': return unsupported(ctx, path, `the BigInt ${show(value)} is not a prop value`, 'give a number');
    case 'function': return unsupported(ctx, path, 'a function is not a prop value');
    case 'object': break;
    default: return;
  }
  if (value === null) return;
  if (types.isProxy(value)) {
    if (isOutput(value)) notAllowed(ctxAt(ctx, path));
    unsupported(ctx, path, 'a Proxy is not a prop value', 'pass a plain object');
  }
  // The marker keys' descriptors are read only for a value that has them (`in` runs no getter,
  // and no trap: `value` is no Proxy); most values have none.
  const marked = UNRESOLVED in value || '__pulumiOutput' in value;
  if (value instanceof Promise || (marked && (ownValue(value, UNRESOLVED) === true || ownValue(value, '__pulumiOutput') === true))) notAllowed(ctxAt(ctx, path));
  if (ancestors.includes(value)) unsupported(ctx, path, 'the value contains itself (a cycle)', 'pass a tree of values, without references back to a parent');
  if (ancestors.length >= MAX_DEPTH) unsupported(ctx, path, `the props are nested deeper than ${MAX_DEPTH} levels`, 'flatten the value');
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return; // a class instance: the schema says whether one may stand here
  const keys = Reflect.ownKeys(value);
  if (keys.length > MAX_ENTRIES + (isArray ? 1 : 0)) unsupported(ctx, path, `more than ${MAX_ENTRIES} entries`, 'give fewer entries');
  // A plain object's prototype is Object.prototype or null: only an own `toMilliseconds` makes it duration-like.
  if (!isArray && 'toMilliseconds' in value && isMillisecondsDuration(value)) return; // a duration-like object: its method is its value
  ancestors.push(value);
  for (const key of keys) {
    if (isArray && key === 'length') continue;
    if (typeof key === 'symbol') unsupported(ctx, path, 'a Symbol key is not a prop', 'use string keys only');
    const segment = isArray && INDEX.test(key) ? Number(key) : key;
    // Own accessors and hidden keys, from the key's descriptor: no getter runs, and `value` is not
    // a Proxy (refused above), so no trap runs either. One descriptor per key is faster than
    // asking `__lookupGetter__`, `__lookupSetter__` and `propertyIsEnumerable` in turn.
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if (d.get !== undefined || d.set !== undefined) {
      unsupported(ctx, [...path, segment], 'a getter or setter is not a prop value', 'give the value itself (a data property)');
    }
    if (!d.enumerable) unsupported(ctx, [...path, segment], 'a hidden (non-enumerable) property is not a prop', 'give props as ordinary properties');
    const v = d.value;
    // Values the pre-pass accepts as they are (among primitives it refuses only long strings, Symbols, BigInts).
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= MAX_STRING)) continue;
    path.push(segment);
    prepass(ctx, v, path, ancestors);
    path.pop();
  }
  ancestors.pop();
}

/** An own data property, read without running a getter or trap that could throw. */
function ownValue(value: object, key: PropertyKey): unknown {
  try {
    const d = Object.getOwnPropertyDescriptor(value, key);
    return d && 'value' in d ? d.value : undefined;
  } catch {
    return undefined;
  }
}

/** A pulumi `Output` (a Proxy with `__pulumiOutput`). */
function isOutput(value: object): boolean {
  return ownValue(value, '__pulumiOutput') === true;
}

function notAllowed(ctx: Ctx): never {
  return ctx.fail(ErrorCode.INPUT_NOT_ALLOWED, `${ctx.path || 'the value'} holds a pulumi Output or promise, whose value is not known here`,
    'pass it to a component of istio-constructs/pulumi, which resolves it, or give a plain value');
}

/** Turns ajv's errors into one IstioConstructError: the deepest problem, with the expected shape. */
function translate(ctx: Ctx, root: PropsRoot, value: unknown, errors: ErrorObject[]): never {
  const depthOf = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  let best = errors[0];
  for (const e of errors) {
    const d = depthOf(e) - depthOf(best);
    if (d > 0 || (d === 0 && (e.keyword === 'anyOf' || e.keyword === 'propertyNames'))) best = e;
  }
  if (!best) return ctx.fail(ErrorCode.INVALID_PROP, 'the props are invalid', 'check the props against their type');

  // The path: JSON-pointer segments, numbers where the container is a list.
  let c = ctx;
  let data: unknown = value;
  const segments: Array<string | number> = [];
  for (const raw of best.instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(data) ? Number(key) : key;
    segments.push(segment);
    c = c.at(segment);
    data = data !== null && typeof data === 'object' ? ownValue(data, segment) : undefined;
  }

  if (best.keyword === 'additionalProperties') {
    const key = String(best.params.additionalProperty);
    const why = retired.get(`${root}\0${[...segments, key].join('.')}`);
    if (why) return c.at(key).fail(ErrorCode.UNKNOWN_PROP, why.problem, why.fix);
    const known = Object.keys((best.parentSchema as Json)?.properties ?? {});
    return c.at(key).fail(ErrorCode.UNKNOWN_PROP, `unknown prop ${show(key)}${known.length ? '' : ' (this object takes no keys)'}`,
      known.length ? cut(`remove it, or use one of ${known.join(', ')}`, 150) : 'remove it');
  }
  if (best.keyword === 'required') {
    const key = String(best.params.missingProperty);
    const schema = (best.parentSchema as Json)?.properties?.[key];
    return c.at(key).fail(codeFor(root, value, [...segments, key], schema), `${key} is required`, `give ${describe(schema)}`);
  }
  if (best.keyword === 'propertyNames') {
    const key = String(best.params.propertyName);
    return c.at(key).fail(codeFor(root, value, segments, best.parentSchema), `the key ${show(key)} is not allowed`, 'use port numbers from 1 to 65535 as keys');
  }
  const schema = best.parentSchema;
  const forged = forgedInstance(schema, data);
  if (forged !== undefined) {
    return c.fail(forged.code, `the ${forged.name} was not made by its factory, or a field of it was changed afterwards`,
      `give ${forged.expected}, and do not change its fields`);
  }
  const expected = describe(schema);
  const short = expected.replace(/ \(\{.*$/, '');
  const unitless = typeof data === 'number' && resolve(schema)?.['x-instance'] === 'DurationLike' ? ' (a number has no unit)' : '';
  const problem = `${show(data)} is not ${short}${unitless}`;
  // Keep the whole message short: the hint names the keys only while it fits.
  const budget = 390 - (c.construct.length + Math.min(c.path.length, 120) + problem.length + 40);
  const hint = expected.length <= budget ? expected : short.length <= budget ? short : 'a value of the shape named above';
  return c.fail(codeFor(root, value, segments, schema), problem, `give ${hint}`);
}

/** The instance type `data` claims to be (by prototype) without being a genuine one, if any. */
function forgedInstance(schema: Json, data: unknown): (InstanceType & { name: string }) | undefined {
  const s = resolve(schema);
  const names: string[] = typeof s?.['x-instance'] === 'string' ? [s['x-instance']]
    : Array.isArray(s?.anyOf) ? s.anyOf.map((b: Json) => resolve(b)?.['x-instance']).filter((n: unknown) => typeof n === 'string') : [];
  for (const name of names) {
    const t = instanceType(name);
    let claims = false;
    try {
      claims = t?.forged?.(data) === true;
    } catch {
      claims = false;
    }
    if (t && claims) return { ...t, name: name === 'DurationLike' ? 'Duration' : name };
  }
  return undefined;
}

/**
 * The stable code of the problem domain a props shape belongs to, so the schema check reports the
 * code the domain's own checks use (a traffic policy's range error is INVALID_TRAFFIC_POLICY).
 * Looked up innermost first: `<Definition>.<prop>`, then each definition the path goes through.
 */
const DOMAIN_CODES: Readonly<Record<string, ErrorCode>> = {
  'Version.percent': ErrorCode.INVALID_WEIGHT,
  'Version': ErrorCode.INVALID_WEIGHT,
  'WeightedVersion': ErrorCode.INVALID_WEIGHT,
  'Mirror': ErrorCode.INVALID_PERCENTAGE,
  'MtlsMode': ErrorCode.CONFLICTING_PROPS,
  'TlsVersion': ErrorCode.INVALID_TLS,
  'ServerTlsMode': ErrorCode.INVALID_TLS,
  'ClientTlsMode': ErrorCode.INVALID_TLS,
  'ClientTls': ErrorCode.INVALID_TLS,
  'HttpsServer': ErrorCode.INVALID_TLS,
  'ServerTls': ErrorCode.INVALID_TLS,
  'GatewayTlsMode': ErrorCode.INVALID_TLS,
  'LoadBalancerAlgorithm': ErrorCode.INVALID_TRAFFIC_POLICY,
  'TrafficPolicy': ErrorCode.INVALID_TRAFFIC_POLICY,
  'PortTrafficPolicy': ErrorCode.INVALID_TRAFFIC_POLICY,
  'ConnectionPool': ErrorCode.INVALID_TRAFFIC_POLICY,
  'TcpConnectionPool': ErrorCode.INVALID_TRAFFIC_POLICY,
  'HttpConnectionPool': ErrorCode.INVALID_TRAFFIC_POLICY,
  'OutlierDetection': ErrorCode.INVALID_TRAFFIC_POLICY,
  'LoadBalancer': ErrorCode.INVALID_TRAFFIC_POLICY,
  'Warmup': ErrorCode.INVALID_TRAFFIC_POLICY,
  'GrpcStatus': ErrorCode.INVALID_FAULT,
  'Fault': ErrorCode.INVALID_FAULT,
  'Retries': ErrorCode.INVALID_RETRIES,
  'HttpMatch': ErrorCode.INVALID_MATCH,
  'StringMatch.value': ErrorCode.INVALID_MATCH,
  'StringMatch.cookie': ErrorCode.INVALID_MATCH,
  'CookieOptions': ErrorCode.INVALID_HASH,
  'SessionAffinity.cookie': ErrorCode.INVALID_HASH,
  'SessionAffinity.name': ErrorCode.INVALID_HASH,
  'HashAlgorithm.ringHash': ErrorCode.INVALID_HASH,
  'HashAlgorithm.maglev': ErrorCode.INVALID_HASH,
  'JwtRule': ErrorCode.INVALID_JWT_RULE,
  'AuthorizationAction': ErrorCode.INVALID_AUTHORIZATION,
  'AuthorizationRule': ErrorCode.INVALID_AUTHORIZATION,
  'AuthorizationSource': ErrorCode.INVALID_AUTHORIZATION,
  'AuthorizationOperation': ErrorCode.INVALID_AUTHORIZATION,
  'AuthorizationCondition': ErrorCode.INVALID_AUTHORIZATION,
  'Protocol': ErrorCode.INVALID_PORT,
  'ServicePort': ErrorCode.INVALID_PORT,
  'GatewayPort': ErrorCode.INVALID_PORT,
  'Labels': ErrorCode.INVALID_LABEL,
  'KubernetesServicePorts': ErrorCode.INVALID_PORT,
  'Duration.parse': ErrorCode.INVALID_DURATION,
};

/** The error code for a value at `segments` that does not fit `schema`. */
function codeFor(root: PropsRoot, value: unknown, segments: ReadonlyArray<string | number>, schema: Json): ErrorCode {
  const s = resolve(schema);
  if (typeof s?.['x-instance'] === 'string') return instanceType(s['x-instance'])?.code ?? ErrorCode.INVALID_PROP;
  if (Array.isArray(s?.anyOf)) {
    const codes = new Set(s.anyOf.map((b: Json) => resolve(b)?.['x-instance']).filter((n: unknown) => typeof n === 'string').map((n: string) => instanceType(n)?.code));
    if (codes.size === 1) return [...codes][0] as ErrorCode;
  }
  const names = definitionsAlong(root, value, segments);
  const last = segments[segments.length - 1];
  const inner = names[names.length - 1];
  if (inner !== undefined && typeof last === 'string' && DOMAIN_CODES[`${inner}.${last}`]) return DOMAIN_CODES[`${inner}.${last}`];
  if (s?.minimum === 1 && s?.maximum === 65535) return ErrorCode.PORT_OUT_OF_RANGE;
  if (s?.minimum === 0 && s?.maximum === 100) return ErrorCode.INVALID_PERCENTAGE;
  for (let i = names.length - 1; i >= 0; i--) if (DOMAIN_CODES[names[i]]) return DOMAIN_CODES[names[i]];
  return ErrorCode.INVALID_PROP;
}

/** The definitions the schema passes through from `root` to the value at `segments`, outermost first. */
function definitionsAlong(root: PropsRoot, value: unknown, segments: ReadonlyArray<string | number>): string[] {
  const names: string[] = [root];
  const deref = (x: Json): Json => {
    for (let i = 0; i < 10 && x && typeof x.$ref === 'string'; i++) {
      const name = decodeURIComponent(x.$ref.replace('#/definitions/', ''));
      names.push(name);
      x = SCHEMAS.definitions[name];
    }
    return x;
  };
  let schema: Json = SCHEMAS.definitions[root];
  let data: unknown = value;
  for (const segment of segments) {
    schema = deref(schema);
    if (Array.isArray(schema?.anyOf)) {
      const want = Array.isArray(data) ? 'array' : 'object';
      const branch = schema.anyOf.find((b: Json) => resolve(b)?.type === want);
      schema = branch ? deref(branch) : undefined;
    }
    if (!schema) break;
    schema = typeof segment === 'number' ? schema.items
      : schema.properties?.[segment] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    data = data !== null && typeof data === 'object' ? ownValue(data, segment) : undefined;
  }
  deref(schema);
  return names;
}

function resolve(schema: Json): Json {
  let s = schema;
  for (let i = 0; i < 10 && s && typeof s.$ref === 'string'; i++) s = SCHEMAS.definitions[decodeURIComponent(s.$ref.replace('#/definitions/', ''))];
  return s;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** A short description of what `schema` accepts, e.g. `an integer from 1 to 65535`. */
function describe(schema: Json, depth = 0): string {
  return cut(describeFull(schema, depth), 140);
}

/** `a` or `an` before a name (`an AuthorizationSource`). */
function article(name: string): string {
  return /^[AEIOU]/i.test(name) ? 'an' : 'a';
}

/** A props object named by its definition, e.g. `a Retries object ({ attempts, perTryTimeout, retryOn })`. */
function describeNamed(name: string, target: Json): string {
  return `${article(name)} ${name} object ({ ${Object.keys(target.properties).join(', ')} })`;
}

let namesBySchema: Map<unknown, string> | undefined;

function describeFull(schema: Json, depth: number): string {
  if (!schema || typeof schema !== 'object') return 'a valid value';
  if (!namesBySchema) namesBySchema = new Map(Object.entries(SCHEMAS.definitions).map(([k, v]) => [v, k]));
  const own = namesBySchema.get(schema);
  if (own !== undefined && schema.type === 'object' && schema.properties && !own.includes('.')) return describeNamed(own, schema);
  if (typeof schema.$ref === 'string') {
    const name = decodeURIComponent(schema.$ref.replace('#/definitions/', ''));
    const target = SCHEMAS.definitions[name];
    if (target?.type === 'object' && target.properties) return depth > 0 ? `${article(name)} ${name} object` : describeNamed(name, target);
    return describeFull(target, depth);
  }
  if (typeof schema['x-instance'] === 'string') return instanceType(schema['x-instance'])?.expected ?? `a ${schema['x-instance']}`;
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map((b: Json) => describeFull(b, depth + 1)).join(' or ');
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  const range = (): string => {
    if (schema.minimum !== undefined && schema.maximum !== undefined) return ` from ${schema.minimum} to ${schema.maximum}`;
    if (schema.exclusiveMinimum !== undefined) return ` greater than ${schema.exclusiveMinimum}`;
    if (schema.minimum !== undefined) return ` of at least ${schema.minimum}`;
    if (schema.maximum !== undefined) return ` of at most ${schema.maximum}`;
    return '';
  };
  switch (schema.type) {
    case 'string': return 'a string';
    case 'boolean': return 'true or false';
    case 'integer': return `an integer${range()}`;
    case 'number': return `a number${range()}`;
    case 'array': return depth > 1 ? 'a list' : `a list of ${plural(describeFull(schema.items, depth + 1))}`;
    case 'object':
      if (schema.properties) return `an object with ${Object.keys(schema.properties).join(', ')}`;
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return `an object of ${plural(describeFull(schema.additionalProperties, depth + 1))}`;
      }
      return 'an object';
    default: return 'a valid value';
  }
}

/** `a string` → `strings`, `an integer from 1 to 65535` → `integers from 1 to 65535`. */
function plural(text: string): string {
  const named = /^an? (\w+) object$/.exec(text);
  if (named) return `${named[1]} objects`;
  const m = /^an? (\w+)(.*)$/.exec(text);
  if (!m || text.includes(' or ') || text.includes('(')) return text;
  return `${m[1]}s${m[2]}`;
}
