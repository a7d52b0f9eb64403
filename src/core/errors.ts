import { types } from 'util';

const isProxy = (value: object): boolean => types.isProxy(value);

/**
 * Stable error codes thrown by the pattern builders. A code never changes meaning once released;
 * tests and users may match on it.
 */
export enum ErrorCode {
  /** A Kubernetes object name or namespace is not a DNS-1123 label or subdomain. */
  INVALID_NAME = 'INVALID_NAME',
  /** A port number is outside 1-65535. */
  PORT_OUT_OF_RANGE = 'PORT_OUT_OF_RANGE',
  /** A Service port is declared twice, or a port name is not `<protocol>[-suffix]`. */
  INVALID_PORT = 'INVALID_PORT',
  /** A route weight or version weight is negative or not an integer. */
  INVALID_WEIGHT = 'INVALID_WEIGHT',
  /** Every weight is zero: Istio refuses a route whose weights total 0. */
  ZERO_TOTAL_WEIGHT = 'ZERO_TOTAL_WEIGHT',
  /** Percentages were given and do not total 100, or weights and percentages were mixed. */
  PERCENT_TOTAL = 'PERCENT_TOTAL',
  /** Two versions share a name (they would become two subsets with one name). */
  DUPLICATE_VERSION = 'DUPLICATE_VERSION',
  /** No versions were given. */
  NO_VERSIONS = 'NO_VERSIONS',
  /** A route, mirror or split names a version this object does not define (Envoy's 503 NR). */
  UNKNOWN_VERSION = 'UNKNOWN_VERSION',
  /** The gateway's Service does not expose the port a server needs (istioctl IST0162). */
  GATEWAY_PORT_NOT_EXPOSED = 'GATEWAY_PORT_NOT_EXPOSED',
  /** A route names a port the backend Service does not have, or needs a port and has several. */
  SERVICE_PORT_NOT_FOUND = 'SERVICE_PORT_NOT_FOUND',
  /** A host is not a valid DNS name (with an optional leading `*.`). */
  INVALID_HOST = 'INVALID_HOST',
  /** A wildcard host on a gateway-bound HTTP route without `allowWildcardHosts`. */
  WILDCARD_HOST = 'WILDCARD_HOST',
  /** A gateway-bound route was declared without hosts. */
  HOSTS_REQUIRED = 'HOSTS_REQUIRED',
  /** A duration is below 1ms, not whole milliseconds, or not finite. */
  INVALID_DURATION = 'INVALID_DURATION',
  /** A percentage is outside 0-100. */
  INVALID_PERCENTAGE = 'INVALID_PERCENTAGE',
  /** A regular expression is empty, too long, or not valid RE2. */
  INVALID_REGEX = 'INVALID_REGEX',
  /** A string match is empty where Istio requires a value. */
  INVALID_MATCH = 'INVALID_MATCH',
  /** An HTTP header name is invalid or may not be changed by a route. */
  INVALID_HEADER = 'INVALID_HEADER',
  /** A Kubernetes label key or value is invalid. */
  INVALID_LABEL = 'INVALID_LABEL',
  /** An IP address or CIDR block does not parse. */
  INVALID_CIDR = 'INVALID_CIDR',
  /** Retry settings Istio refuses (e.g. a perTryTimeout with zero attempts, an unknown retryOn). */
  INVALID_RETRIES = 'INVALID_RETRIES',
  /** An HTTP method is not one Istio matches on. */
  INVALID_METHOD = 'INVALID_METHOD',
  /** Two objects of one kind would get the same name in one namespace. */
  DUPLICATE_NAME = 'DUPLICATE_NAME',
  /** A connection pool, outlier detection or load-balancer setting Istio refuses. */
  INVALID_TRAFFIC_POLICY = 'INVALID_TRAFFIC_POLICY',
  /** A fault injection Istio refuses (no abort nor delay, status out of range, unknown gRPC status). */
  INVALID_FAULT = 'INVALID_FAULT',
  /** A consistent-hash setting Istio refuses (Maglev table size not prime, ring size 0, empty cookie name). */
  INVALID_HASH = 'INVALID_HASH',
  /** Consistent hashing combined with warmup: Envoy supports warmup only for ROUND_ROBIN and LEAST_REQUEST. */
  HASH_WITH_WARMUP = 'HASH_WITH_WARMUP',
  /** Consistent hashing on a service split by weight across versions: hashing is per subset, so not sticky. */
  HASH_WITH_WEIGHTED_SPLIT = 'HASH_WITH_WEIGHTED_SPLIT',
  /** A principal is not in SPIFFE form `<trust domain>/ns/<namespace>/sa/<service account>`. */
  INVALID_PRINCIPAL = 'INVALID_PRINCIPAL',
  /** An authorization `when` condition uses a key Istio does not know. */
  UNKNOWN_WHEN_KEY = 'UNKNOWN_WHEN_KEY',
  /** An authorization rule or policy Istio refuses (empty source, CUSTOM without provider, ...). */
  INVALID_AUTHORIZATION = 'INVALID_AUTHORIZATION',
  /** A JWT rule Istio refuses or that cannot verify anything (no issuer, both jwks and jwksUri, ...). */
  INVALID_JWT_RULE = 'INVALID_JWT_RULE',
  /** Port-level mTLS without a workload selector (Istio only allows it per workload). */
  PORT_MTLS_WITHOUT_SELECTOR = 'PORT_MTLS_WITHOUT_SELECTOR',
  /** Client TLS settings Istio refuses (MUTUAL without credentials, ...). */
  INVALID_TLS = 'INVALID_TLS',
  /** A DestinationRule sends plain text to workloads a STRICT PeerAuthentication of the same program protects. */
  MTLS_CONFLICT = 'MTLS_CONFLICT',
  /** A route's host is not served by the Gateway it binds to (clients would get 404). */
  HOST_NOT_IN_GATEWAY = 'HOST_NOT_IN_GATEWAY',
  /** Props that contradict each other (the message names both). */
  CONFLICTING_PROPS = 'CONFLICTING_PROPS',
  /** A pulumi `Output` or promise where the props need a plain value (versions, routes, ports, weights). */
  INPUT_NOT_ALLOWED = 'INPUT_NOT_ALLOWED',
  /**
   * An object the Kubernetes API server or Istio's validating webhook would reject (CRD schema, CEL
   * rule or webhook rule), found when a Pulumi component validates what it built once its inputs
   * are known; the message names the object, the field and the rule.
   */
  INVALID_OBJECT = 'INVALID_OBJECT',
  /** A prop the props type does not have (a misspelled or unsupported key is never dropped silently). */
  UNKNOWN_PROP = 'UNKNOWN_PROP',
  /** A prop of the wrong shape, type, enum value or range; the message names the expected shape. */
  INVALID_PROP = 'INVALID_PROP',
  /**
   * A value props can never hold: a cycle, a Symbol, a function, an accessor (getter/setter), a
   * Proxy, a BigInt, nesting deeper than 32 levels or a string longer than 64 KiB.
   */
  UNSUPPORTED_VALUE = 'UNSUPPORTED_VALUE',
  /**
   * A ServiceEntry Istio refuses, or one that would not route as written: a resolution that does
   * not fit the hosts, addresses or endpoints, plain TCP that cannot tell hosts apart, resolution
   * NONE through an egress gateway.
   */
  INVALID_SERVICE_ENTRY = 'INVALID_SERVICE_ENTRY',
  /** A route rule applies to a gateway (or to the mesh) the route is not bound to: it would never match. */
  GATEWAY_NOT_BOUND = 'GATEWAY_NOT_BOUND',
  /** A route's kind does not fit the protocol of the port it applies to (sidecars ignore an HTTP route on a TCP port). */
  PROTOCOL_MISMATCH = 'PROTOCOL_MISMATCH',
  /** No `helm` binary at the path the `helmExecutable` option gives, nor on the PATH (an installation renders Istio's charts with helm). */
  HELM_NOT_FOUND = 'HELM_NOT_FOUND',
  /** helm could not read a chart from its source (offline, wrong repository, no such chart, version or directory). */
  CHART_UNAVAILABLE = 'CHART_UNAVAILABLE',
  /** helm read the chart but refused to render it with the values given (the chart's own checks or schema). */
  HELM_RENDER_FAILED = 'HELM_RENDER_FAILED',
  /** An add-on manifest file or URL could not be read. */
  MANIFEST_UNAVAILABLE = 'MANIFEST_UNAVAILABLE',
  /**
   * A construct needs a port on a gateway Service the program manages, and the Service already has
   * that port for another protocol (the message names both).
   */
  GATEWAY_PORT_CONFLICT = 'GATEWAY_PORT_CONFLICT',
  /** A namespace would carry two injection modes (istioctl IST0123, NamespaceMultipleInjectionLabels). */
  MULTIPLE_INJECTION_LABELS = 'MULTIPLE_INJECTION_LABELS',
  /** An Istio version outside the supported range, or a field or value the chosen Istio version does not have. */
  UNSUPPORTED_VERSION = 'UNSUPPORTED_VERSION',
  /** A local chart directory or archive that does not exist or lacks a chart the installation needs. */
  CHART_NOT_FOUND = 'CHART_NOT_FOUND',
  /** A gateway asked of an installation by a name it does not install. */
  UNKNOWN_GATEWAY = 'UNKNOWN_GATEWAY',
  /** A prop the construct's routing target cannot express (e.g. fault injection on the Gateway API); the message names the alternative. */
  TARGET_UNSUPPORTED = 'TARGET_UNSUPPORTED',
  /** Output that needs a newer Gateway API CRD bundle (or the experimental channel) than the target says is installed (istioctl IST0176). */
  GATEWAY_API_VERSION_TOO_OLD = 'GATEWAY_API_VERSION_TOO_OLD',
  /** Routes whose order the Gateway API would change: it orders matches by specificity, not by list order. */
  ROUTE_ORDER_NOT_EXPRESSIBLE = 'ROUTE_ORDER_NOT_EXPRESSIBLE',
  /** An ambient-mode setting that would not take effect (an L7 policy with no waypoint to enforce it, ...). */
  AMBIENT_UNSUPPORTED = 'AMBIENT_UNSUPPORTED',
}

/**
 * The one error class the library throws for bad props, at construction time, before anything is
 * emitted.
 *
 * `code` is stable, `path` is the prop path from the props root (for example `versions[2].weight`)
 * and `hint` says how to fix it.
 */
export class IstioConstructError extends Error {
  /** Stable code, for example `ZERO_TOTAL_WEIGHT`. */
  public readonly code: ErrorCode;
  /** The prop path, for example `versions[2].weight`; `''` for the props as a whole. */
  public readonly path: string;
  /** One sentence saying how to fix it. */
  public readonly hint: string;
  /** The construct the props belong to, for example `CanaryService "reviews"`. */
  public readonly construct?: string;

  constructor(code: ErrorCode, path: string, problem: string, hint: string, construct?: string) {
    // A path built from user keys can be long: the message shows its end, `path` holds all of it.
    const shownPath = path.length > MAX_PATH_IN_MESSAGE ? `...${path.slice(path.length - MAX_PATH_IN_MESSAGE + 3)}` : path;
    const where = [construct, shownPath].filter((s) => s).join(' ');
    super(`${where ? where + ': ' : ''}${problem} (${code}). Fix: ${hint}`);
    this.name = 'IstioConstructError';
    this.code = code;
    this.path = path;
    this.hint = hint;
    this.construct = construct;
  }
}

/** The longest prop path a message shows (the end of it). */
const MAX_PATH_IN_MESSAGE = 120;
/** The longest key a path segment shows (a prefix of it). */
const MAX_KEY_IN_PATH = 40;

/** A path with segments appended one by one: `versions` + `2`, `weight` → `versions[2].weight`. */
function appendSegments(path: string, segments: ReadonlyArray<string | number>): string {
  let p = path;
  for (const s of segments) {
    if (typeof s === 'number') p += `[${s}]`;
    else if (s.length <= MAX_KEY_IN_PATH && /^[A-Za-z_$][\w$]*$/.test(s)) p += p ? `.${s}` : s;
    else p += `[${JSON.stringify(s.length > MAX_KEY_IN_PATH ? `${s.slice(0, MAX_KEY_IN_PATH - 3)}...` : s)}]`;
  }
  return p;
}

/**
 * Collects the context of a validation: which construct, and a prop path under construction.
 * Builders create one per call and pass `ctx.at('versions', 2)` down to helpers.
 * @internal
 */
export class Ctx {
  /** The path, once built (see `path`). */
  private built?: string;

  constructor(
    public readonly construct: string,
    path: string = '',
    /** The context this one is a child of, and the segments from it (see `at`). */
    private readonly parent?: Ctx,
    private readonly segments?: ReadonlyArray<string | number>,
  ) {
    if (!parent) this.built = path;
  }

  /**
   * The prop path, e.g. `versions[2].weight`. Built on first read: builders and checks create a
   * child context per value they visit, and almost none of them fails.
   */
  get path(): string {
    return this.built ??= appendSegments(this.parent!.path, this.segments!);
  }

  /** A child context: `ctx.at('versions', 2, 'weight')` → `versions[2].weight`. */
  at(...segments: Array<string | number>): Ctx {
    return new Ctx(this.construct, '', this, segments);
  }

  fail(code: ErrorCode, problem: string, hint: string): never {
    throw new IstioConstructError(code, this.path, problem, hint, this.construct);
  }
}

/** The longest text `show` returns. */
const MAX_SHOWN = 60;

/**
 * Renders any user-supplied value for an error message, in at most about 60 characters, without
 * ever throwing and without running user code: no `toString`, `toJSON` (a Pulumi `Output` has one
 * that returns a warning text), getter or Proxy trap is called. Strings are quoted and cut,
 * plain objects and arrays show their first entries, class instances their class name.
 * @internal
 */
export function show(value: unknown): string {
  try {
    const text = render(value, 2);
    return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
  } catch {
    return 'a value';
  }
}

/** `show` without the final cut; `depth` limits how far objects are opened. */
function render(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) : value) + (value.length > MAX_SHOWN ? '...' : '');
    case 'number': case 'boolean': case 'undefined': return String(value);
    case 'bigint': return `${value.toString().slice(0, MAX_SHOWN)}n`;
    case 'symbol': return 'a Symbol';
    case 'function': return 'a function';
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (isProxy(obj)) return 'a Proxy';
  const proto = Object.getPrototypeOf(obj);
  const isArray = Array.isArray(obj);
  if (!isArray && proto !== Object.prototype && proto !== null) return `a ${className(proto)}`;
  if (depth === 0) return isArray ? '[...]' : '{...}';
  const parts: string[] = [];
  let length = 0;
  const keys = isArray ? Array.from({ length: Math.min((obj as unknown[]).length, 10) }, (_, i) => String(i)) : Object.keys(obj).slice(0, 10);
  for (const key of keys) {
    if (length > MAX_SHOWN) break;
    const d = Object.getOwnPropertyDescriptor(obj, key);
    const shown = d === undefined ? '' : 'value' in d ? render(d.value, depth - 1) : 'a getter';
    const part = isArray ? shown : `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key.slice(0, 20))}: ${shown}`;
    parts.push(part);
    length += part.length + 2;
  }
  const total = isArray ? (obj as unknown[]).length : Object.keys(obj).length;
  if (total > parts.length) parts.push('...');
  return isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
}

/** The name of an instance's class, read without running getters. */
function className(proto: object): string {
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor');
  const name = ctor && 'value' in ctor && typeof ctor.value === 'function' ? Object.getOwnPropertyDescriptor(ctor.value, 'name') : undefined;
  return name && typeof name.value === 'string' && name.value ? name.value.slice(0, 30) : 'class instance';
}
