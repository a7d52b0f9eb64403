/**
 * Building blocks of Istio's validating-webhook rules (istiod `pkg/config/validation`), shared by
 * the per-kind files of this folder: a `Reporter` that collects errors and warnings with a field
 * path, and the checks several kinds use (hosts, ports, protocols, durations, selectors,
 * `targetRef(s)`, `exportTo`, header names and values, metadata).
 *
 * Every rule paraphrases the Go function named in its comment; none of Istio's code or messages is
 * copied. The checks read the object as plain JSON (as the API server stores it), so they are
 * defensive about shapes: a wrong shape is the schema's job, and is skipped here.
 *
 * @see https://istio.io/latest/docs/reference/config/
 * @internal
 */
import { HTTP_TOKEN, checkLabels, checkRegex, isCidr, isIp } from '../checks';
import { resolveDuration } from '../duration';
import { isJsonObject } from '../json';
import { Ctx, IstioConstructError, show } from '../errors';
import { remembered } from '../memo';
import { ValidationIssue } from '../validation';

/** What the webhook returns for one object: errors (the object is refused) and warnings (accepted). */
export interface WebhookResult {
  /** Problems for which istiod's webhook refuses the object. */
  readonly errors: ValidationIssue[];
  /** Problems for which istiod's webhook accepts the object with a warning. */
  readonly warnings: ValidationIssue[];
}

/**
 * Collects the issues of one object at a field path (`spec.http[0].fault.abort.httpStatus`).
 * `at(...)` gives a reporter for a child field; all reporters of one object share the result.
 */
export class Reporter {
  /** The path of this reporter's field, e.g. `spec.http[0]`. */
  public readonly ctx: Ctx;

  constructor(
    /** `Kind namespace/name` of the object. */
    public readonly object: string,
    /** The namespace of the object (`''` if unknown): `.` in `exportTo` stands for it. */
    public readonly namespace: string,
    private readonly result: WebhookResult,
    ctx?: Ctx,
  ) {
    this.ctx = ctx ?? new Ctx('', '');
  }

  /** A reporter for a child field: `r.at('http', 0, 'route')` → `spec.http[0].route`. */
  at(...segments: Array<string | number>): Reporter {
    return new Reporter(this.object, this.namespace, this.result, this.ctx.at(...segments));
  }

  /** Records an error (the webhook refuses the object) at this reporter's field. */
  error(message: string): void {
    this.result.errors.push({ object: this.object, field: this.ctx.path, message });
  }

  /** Records a warning (the webhook accepts the object and warns) at this reporter's field. */
  warn(message: string): void {
    this.result.warnings.push({ object: this.object, field: this.ctx.path, message });
  }

  /** How many errors the object has so far (to mirror Go's early returns). */
  errorCount(): number {
    return this.result.errors.length;
  }

  /**
   * Runs one of the library's prop checks (src/core/checks.ts) on a value and records the
   * `IstioConstructError` it throws as an error here, with the check's problem sentence.
   * @returns whether the check passed.
   */
  check(fn: (ctx: Ctx) => unknown): boolean {
    try {
      fn(this.ctx);
      return true;
    } catch (e) {
      if (!(e instanceof IstioConstructError)) throw e;
      this.error(problemOf(e));
      return false;
    }
  }
}

/** The problem sentence of an `IstioConstructError` (its message without code, path and hint). */
function problemOf(e: IstioConstructError): string {
  let m = e.message;
  const fix = m.lastIndexOf(` (${e.code}). Fix: `);
  if (fix >= 0) m = m.slice(0, fix);
  const where = [e.construct, e.path].filter((s) => s).join(' ');
  if (where && m.startsWith(`${where}: `)) m = m.slice(where.length + 2);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Reading plain JSON
// ---------------------------------------------------------------------------------------------

/** Whether a value is a plain JSON object (`isJsonObject`), typed for reading fields of an object of unknown shape. */
export const isObject = isJsonObject as (v: unknown) => v is Record<string, any>;

/** Whether a field is set (present and not null), as a Go pointer / message field would be non-nil. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A list field as an array; `[]` when absent or not a list. */
export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** A map field as `[key, value]` entries; none when absent or not an object. */
export function entries(v: unknown): Array<[string, any]> {
  return isObject(v) ? Object.entries(v) : [];
}

/** A string field; `''` when absent or not a string (proto3's zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A number field; `0` when absent or not a number (proto3's zero value). */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Whether an object has at least one set field. */
export function nonEmptyObject(v: unknown): boolean {
  return isObject(v) && Object.values(v).some(isSet);
}

// ---------------------------------------------------------------------------------------------
// Names, hosts, addresses
// ---------------------------------------------------------------------------------------------

/**
 * Istio's DNS label (`labels.IsDNS1123Label`): letters of either case, digits and `-`, starting and
 * ending alphanumeric, at most 63 characters. Unlike Kubernetes object names it accepts upper case.
 */
const ISTIO_DNS_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
/** A DNS label with an optional leading `*` or `*-`, or `*` alone (`labels.IsWildcardDNS1123Label`). */
const ISTIO_WILDCARD_LABEL = /^(\*|(\*|\*-)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)$/;

/** Istio's DNS label check (upper case accepted). */
export function isDnsLabel(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 63 && ISTIO_DNS_LABEL.test(v);
}

/** Dot-separated DNS labels, no all-numeric last label, an empty last label allowed (`istio.io.`). Go: `agent.ValidateDNS1123Labels`. */
function dnsLabelsProblem(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (/^[-+]?[0-9]+$/.test(tld)) return `its top-level label ${show(tld)} is all-numeric`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDnsLabel(parts[i])) return `its label ${show(parts[i])} is not a DNS label`;
  }
  return undefined;
}

/** Length precondition of every domain check. Go: `agent.CheckDNS1123Preconditions`. */
function domainLengthProblem(domain: string): string | undefined {
  if (domain.length === 0) return 'it is empty';
  if (domain.length > 255) return 'it is longer than 255 characters';
  return undefined;
}

/**
 * Why a host is not a valid wildcard domain, or undefined if it is: at most 255 characters, the
 * first label `*`, `*`-prefixed or a DNS label, the others DNS labels, the last not all-numeric.
 * Go: `agent.ValidateWildcardDomain`. (The library's `checkHost` is stricter: it refuses the
 * partial wildcards `*foo.com` that this rule accepts and leaves to `partialWildcardProblem`.)
 */
export function wildcardDomainProblem(domain: unknown): string | undefined {
  if (typeof domain !== 'string') return 'it is not a string';
  return remembered(wildcardAnswers, domain, MAX_REMEMBERED, wildcardDomainProblemOf);
}

function wildcardDomainProblemOf(domain: string): string | undefined {
  const len = domainLengthProblem(domain);
  if (len) return len;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !ISTIO_WILDCARD_LABEL.test(first)) return `its first label ${show(first)} is neither a DNS label nor a wildcard`;
  return dot < 0 ? undefined : dnsLabelsProblem(domain.slice(dot + 1));
}

/** Why a host is not an FQDN (no wildcard at all), or undefined. Go: `agent.ValidateFQDN`. */
export function fqdnProblem(domain: unknown): string | undefined {
  if (typeof domain !== 'string') return 'it is not a string';
  return remembered(fqdnAnswers, domain, MAX_REMEMBERED, (d) => domainLengthProblem(d) ?? dnsLabelsProblem(d));
}

/** The domain checks' answers by host: pure functions of one string, and a program names each host in several objects. */
const wildcardAnswers = new Map<string, string | undefined>();
const fqdnAnswers = new Map<string, string | undefined>();
/**
 * Most answers kept per check: a host is named by several objects (a VirtualService and its
 * DestinationRule, admitted and then analyzed), and a program of 10,000 services has over 10,000
 * hosts. With 4,096, such a program emptied the memo before a host's second use, and the checks
 * ran again for nearly every host (the analysis of 10,000 services spent 1.5 times more per host in
 * them than that of 1,000). About 100 bytes per answer: a few MB at most.
 */
const MAX_REMEMBERED = 65_536;

/** Whether a host has a partial wildcard (`foo*.com`, `*foo.com`). Go: `agent.ValidatePartialWildCard`. */
export function isPartialWildcard(host: string): boolean {
  return host.includes('*') && host.length !== 1 && !host.startsWith('*.');
}

/** Whether a host is wildcarded (starts with `*`). Go: `host.Name.IsWildCarded`. */
export function isWildcarded(host: string): boolean {
  return host.startsWith('*');
}

/** IP address and prefix parsing as Go's `netip` does it: shared with the library's own checks. */
export { isCidr, isIp };

/** An IP address, or (with a `/`) a CIDR block. Go: `agent.ValidateIPSubnet`. */
export function checkIpOrCidr(r: Reporter, v: unknown): void {
  const ok = typeof v === 'string' && (v.includes('/') ? isCidr(v) : isIp(v));
  if (!ok) r.error(`${show(v)} is not an IP address or CIDR block`);
}

/** Port number 1-65535. Go: `agent.ValidatePort`. */
export function isPort(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** Records an error unless the value is a port number 1-65535. */
export function checkPortNumber(r: Reporter, v: unknown, what = 'port'): void {
  if (!isPort(v)) r.error(`${what} ${show(v)} is not between 1 and 65535`);
}

/** A port name: an Istio DNS label. Go: `ValidatePortName`. */
export function checkPortName(r: Reporter, v: unknown): void {
  if (!isDnsLabel(v)) r.error(`port name ${show(v)} is not a DNS label (letters, digits and "-", at most 63 characters)`);
}

/** Istio's protocols, by lower-cased name. Go: `protocol.Parse`. */
const PROTOCOLS: Record<string, string> = {
  'http': 'HTTP', 'https': 'HTTPS', 'http2': 'HTTP2', 'http_proxy': 'HTTP_PROXY', 'grpc': 'GRPC', 'grpc-web': 'GRPC-Web',
  'tcp': 'TCP', 'tls': 'TLS', 'udp': 'UDP', 'mongo': 'Mongo', 'redis': 'Redis', 'mysql': 'MySQL',
};

/** The canonical protocol of a port's `protocol` field (case-insensitive), or undefined if Istio does not know it. */
export function parseProtocol(v: unknown): string | undefined {
  return typeof v === 'string' ? PROTOCOLS[v.toLowerCase()] : undefined;
}

/** HTTP-family protocols (Go: `Instance.IsHTTP`). */
export function isHttpProtocol(p: string | undefined): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-Web';
}

/** TLS protocols (Go: `Instance.IsTLS`). */
export function isTlsProtocol(p: string | undefined): boolean {
  return p === 'HTTPS' || p === 'TLS';
}

/** TCP-based non-HTTP protocols (Go: `Instance.IsTCP`). */
export function isTcpProtocol(p: string | undefined): boolean {
  return p === 'TCP' || p === 'HTTPS' || p === 'TLS' || p === 'Mongo' || p === 'Redis' || p === 'MySQL';
}

/** A port protocol, empty allowed (protocol sniffing). Go: `ValidateProtocol`. */
export function checkProtocol(r: Reporter, v: unknown, allowEmpty = true): void {
  if ((v === undefined || v === '') && allowEmpty) return;
  if (parseProtocol(v) === undefined) {
    r.error(`protocol ${show(v)} is not one Istio supports (HTTP, HTTPS, HTTP2, HTTP_PROXY, GRPC, GRPC-Web, TCP, TLS, UDP, Mongo, Redis, MySQL)`);
  }
}

/** A unix socket path after `unix://`: absolute and not a directory, or an abstract `@name`. Go: `ValidateUnixAddress`. */
export function unixAddressProblem(path: string): string | undefined {
  if (path === '') return 'the unix socket path is empty';
  if (path.startsWith('@')) return undefined;
  if (!path.startsWith('/')) return `unix socket path ${show(path)} is not absolute (nor an abstract "@name")`;
  if (path.endsWith('/')) return `unix socket path ${show(path)} is a directory`;
  return undefined;
}

/** The prefix of a unix domain socket address. */
export const UNIX_PREFIX = 'unix://';

// ---------------------------------------------------------------------------------------------
// Durations, percentages, labels, regexes
// ---------------------------------------------------------------------------------------------

/**
 * A duration: at least 1ms (or 0 with `allowZero`) and whole milliseconds. Go: `agent.ValidateDuration`.
 * Reuses the library's duration parser (Go duration syntax).
 */
export function checkDuration(r: Reporter, v: unknown, opts: { allowZero?: boolean } = {}): void {
  if (!isSet(v)) return;
  r.check((ctx) => resolveDuration(ctx, v as string, { allowZero: opts.allowZero }));
}

/** The milliseconds of a duration string, or undefined if it does not parse. */
export function durationMillis(v: unknown): number | undefined {
  try {
    return resolveDuration(new Ctx(''), v as string, { allowZero: true }).milliseconds;
  } catch {
    return undefined;
  }
}

/** Kubernetes label syntax for keys and values. Go: `labels.Instance.Validate`; reuses `checkLabels`. */
export function checkLabelMap(r: Reporter, labels: unknown): void {
  if (!isObject(labels)) return;
  r.check((ctx) => checkLabels(ctx, labels as Record<string, string>));
}

/** An RE2 regex, non-empty, at most 1024 characters. Go: `validateStringRegexp`; reuses `checkRegex`. */
export function checkRe2(r: Reporter, v: unknown): void {
  r.check((ctx) => checkRegex(ctx, v as string));
}

/** A fractional percentage `{value}`: 0, or 0.0001 to 100. Go: `validatePercentage`. */
export function checkFractionalPercent(r: Reporter, p: unknown): void {
  if (!isObject(p)) return;
  const v = num(p.value);
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) r.at('value').error(`percentage ${show(p.value)} is neither 0 nor between 0.0001 and 100`);
}

/** A whole percentage 0-100. Go: `ValidatePercent`. */
export function checkPercent(r: Reporter, v: unknown): void {
  if (!isSet(v)) return;
  if (num(v) < 0 || num(v) > 100) r.error(`percentage ${show(v)} is not between 0 and 100`);
}

// ---------------------------------------------------------------------------------------------
// HTTP headers
// ---------------------------------------------------------------------------------------------

/** Whether a header name is an RFC 7230 token (Go: `validHeaderNameRegex`; the library's `HTTP_TOKEN`). */
export function isHeaderToken(name: unknown): boolean {
  return typeof name === 'string' && HTTP_TOKEN.test(name);
}

/** HTTP/2 pseudo-headers a match may use. */
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/** JWT-claim routing header (`@request.auth.claims.<claim>` or `@request.auth.claims[<claim>]`). Go: `jwt.ToRoutingClaim`. */
export function isJwtClaimHeader(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.toLowerCase().startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

/** A match header name: a token, a pseudo-header or a JWT claim. Go: `ValidateHTTPHeaderNameOrJwtClaimRoute`. */
export function checkMatchHeaderName(r: Reporter, name: string): void {
  if (name === '') r.error('a header name is empty');
  else if (!isJwtClaimHeader(name) && !PSEUDO_HEADERS.has(name) && !isHeaderToken(name)) r.error(`${show(name)} is not a valid header name`);
}

/** Internal headers Envoy does not let routes modify (`:`-prefixed, `host`). */
function isInternalHeader(name: string): boolean {
  return name.startsWith(':') || name.toLowerCase() === 'host';
}

/** Whether a header is the authority (`:authority` or `host`). */
export function isAuthorityHeader(name: string): boolean {
  const l = name.toLowerCase();
  return l === ':authority' || l === 'host';
}

/**
 * A header value for Envoy: no control characters except tab, and every `%` either `%%` or part
 * of a `%VAR%` / `%VAR(args)%` expression. Go: `ValidateHTTPHeaderValue` + `validateHeaderValue`.
 */
export function headerValueProblem(value: string): string | undefined {
  const problem = headerValueSyntaxProblem(value);
  return problem === undefined ? undefined : `header value ${show(value)} ${problem}`;
}

/** What is wrong with a header value by the rule of {@link headerValueProblem} (`contains a control character`...), or `undefined`. */
export function headerValueSyntaxProblem(value: string): string | undefined {
  if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(value)) return 'contains a control character';
  // A small state machine over Envoy's substitution syntax.
  type State = 'lit' | 'var' | 'arr' | 'str?' | 'str' | 'delim' | 'argsEnd' | 'varEnd';
  let state: State = 'lit';
  const space = (c: string) => c === ' ' || c === '\t';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const hasNext = i + 1 < value.length;
    switch (state) {
      case 'lit':
        if (c !== '%') break;
        if (!hasNext) return 'ends with an unescaped "%" (write "%%" for a literal percent sign)';
        if (value[i + 1] === '%') { i++; break; }
        state = 'var';
        break;
      case 'var':
        if (c === '%') state = 'lit';
        else if (c === '(') state = 'arr';
        break;
      case 'arr':
        if (c === '[') state = 'str?';
        else if (!space(c)) state = 'str';
        break;
      case 'delim':
        if (c === ',') state = 'str?';
        else if (c === ']') state = 'argsEnd';
        else if (!space(c)) return 'has a malformed %VAR([...])% argument list';
        break;
      case 'str?':
        if (c === '"') state = 'str';
        else if (!space(c)) return 'has a malformed %VAR([...])% argument list';
        break;
      case 'str':
        if (c === '\\') {
          if (!hasNext) return 'ends inside an escape';
          i++;
        } else if (c === ')') state = 'varEnd';
        else if (c === '"') state = 'delim';
        break;
      case 'argsEnd':
        if (c === ')') state = 'varEnd';
        else if (!space(c)) return 'has a malformed %VAR(...)% expression';
        break;
      case 'varEnd':
        if (c === '%') state = 'lit';
        else if (!space(c)) return 'has a malformed %VAR(...)% expression';
        break;
    }
  }
  if (state !== 'lit') return 'has an unterminated %VAR% expression (write "%%" for a literal percent sign)';
  return undefined;
}

/**
 * Header operations `{request: {set, add, remove}, response: {...}}`: request set/add may not use a
 * `:`-prefixed name except `:authority`; request remove and every response operation may not touch
 * `host` or `:`-prefixed names; values must be valid Envoy header values.
 * Go: `ValidateHTTPHeaderWithAuthorityOperationName`, `ValidateHTTPHeaderOperationName`, `ValidateHTTPHeaderValue`.
 */
export function checkHeaderOperations(r: Reporter, headers: unknown): void {
  if (!isObject(headers)) return;
  for (const side of ['request', 'response'] as const) {
    const ops = headers[side];
    if (!isObject(ops)) continue;
    for (const op of ['set', 'add'] as const) {
      for (const [name, value] of entries(ops[op])) {
        const at = r.at(side, op, name);
        if (name === '') at.error('a header name is empty');
        else if (side === 'request' ? name.startsWith(':') && !isAuthorityHeader(name) : isInternalHeader(name)) {
          at.error(`header ${show(name)} cannot be ${op === 'set' ? 'set' : 'added'} on the ${side} (Envoy does not let routes change Host or ":" pseudo-headers${side === 'request' ? ' other than :authority' : ''})`);
        }
        const p = headerValueProblem(str(value));
        if (p) at.error(p);
      }
    }
    list(ops.remove).forEach((name, i) => {
      const n = str(name);
      if (n === '') r.at(side, 'remove', i).error('a header name is empty');
      else if (isInternalHeader(n)) r.at(side, 'remove', i).error(`header ${show(n)} cannot be removed (Envoy does not let routes change Host or ":" pseudo-headers)`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Selectors, target references, exportTo, metadata
// ---------------------------------------------------------------------------------------------

/**
 * `selector.matchLabels` of the security, telemetry and extension kinds (and DestinationRule's
 * `workloadSelector`): no empty key and no `*` in keys or values; an empty selector is a warning.
 * Go: `validateWorkloadSelector`.
 */
export function checkWorkloadSelector(r: Reporter, selector: unknown): void {
  if (!isSet(selector)) return;
  const labels = isObject(selector) ? selector.matchLabels : undefined;
  checkSelectorLabels(r.at('matchLabels'), labels);
  if (entries(labels).length === 0) r.warn('the workload selector has no labels, so it selects every workload in scope');
}

/**
 * `workloadSelector.labels` of Sidecar, ServiceEntry and EnvoyFilter: no empty key and no `*`;
 * an empty selector is a warning (it applies to the whole namespace). Go: `ValidateAlphaWorkloadSelector`.
 */
export function checkAlphaWorkloadSelector(r: Reporter, selector: unknown): void {
  if (!isSet(selector)) return;
  const labels = isObject(selector) ? selector.labels : undefined;
  checkSelectorLabels(r.at('labels'), labels);
  if (entries(labels).length === 0) r.warn('the workload selector has no labels, so it applies to every workload in the namespace');
}

function checkSelectorLabels(r: Reporter, labels: unknown): void {
  for (const [k, v] of entries(labels)) {
    if (k === '') r.at(k).error('a selector label key is empty');
    if (k.includes('*') || str(v).includes('*')) r.at(k).error(`selector label ${show(`${k}=${str(v)}`)} uses a wildcard, which selectors do not support`);
  }
}

/** The kinds a policy may target (core Service, ServiceEntry, Gateway API Gateway and GatewayClass). */
const TARGET_KINDS = new Set(['core/Service', 'networking.istio.io/ServiceEntry', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/GatewayClass']);

/** One policy target reference: name set, no namespace, an allowed group/kind. Go: `validatePolicyTargetReference`. */
export function checkTargetRef(r: Reporter, ref: unknown): void {
  if (!isObject(ref)) return;
  if (str(ref.name) === '') r.at('name').error('the target reference has no name');
  if (str(ref.namespace) !== '') r.at('namespace').error('the target reference sets a namespace; cross-namespace references are not supported');
  const group = str(ref.group) === '' ? 'core' : str(ref.group);
  if (!TARGET_KINDS.has(`${group}/${str(ref.kind)}`)) {
    r.at('kind').error(`the target reference names ${show(`${str(ref.group)}/${str(ref.kind)}`)}; it can only target a Service, a ServiceEntry, or a Gateway API Gateway or GatewayClass`);
  }
}

/**
 * `selector`, `targetRef` and `targetRefs` of a policy: at most one of them, and each reference
 * valid. Go: `validateOneOfSelectorType`, `validateWorkloadSelector`, `validatePolicyTargetReference(s)`.
 */
export function checkPolicyTargets(r: Reporter, spec: Record<string, any>, opts: { targetRef?: boolean } = {}): void {
  const set = [isSet(spec.selector), opts.targetRef !== false && isSet(spec.targetRef), list(spec.targetRefs).length > 0].filter((b) => b).length;
  if (set > 1) r.error('only one of selector, targetRef and targetRefs may be set');
  checkWorkloadSelector(r.at('selector'), spec.selector);
  if (opts.targetRef !== false) checkTargetRef(r.at('targetRef'), spec.targetRef);
  list(spec.targetRefs).forEach((ref, i) => checkTargetRef(r.at('targetRefs', i), ref));
}

/**
 * `exportTo`: entries `.`, `*`, a namespace (DNS label), or (ServiceEntry only) `~`; no duplicates
 * (`.` counts as the own namespace); `*` and `~` alone; a DestinationRule with a workload selector
 * exports to its own namespace only. Go: `validateExportTo`.
 */
export function checkExportTo(r: Reporter, exportTo: unknown, opts: { serviceEntry?: boolean; drWithSelector?: boolean } = {}): void {
  const values = list(exportTo).map(str);
  if (values.length === 0) return;
  const seen = new Set<string>();
  const ns = r.namespace;
  values.forEach((e, i) => {
    const key = e === '.' && ns ? ns : e;
    if (seen.has(key)) {
      r.at(i).error(key !== e ? `exportTo lists both "." and the object's own namespace ${show(ns)}` : `exportTo lists ${show(e)} twice`);
      return;
    }
    if (e === '~' && opts.serviceEntry) { seen.add(key); return; }
    if (key === '.' || key === '*' || isDnsLabel(key)) seen.add(key);
    else r.at(i).error(`exportTo entry ${show(e)} is not ".", "*"${opts.serviceEntry ? ', "~"' : ''} or a namespace name`);
  });
  if (opts.drWithSelector && seen.size > 0) {
    const own = seen.has(ns || '.') || seen.has('.');
    if (!own) r.error('a DestinationRule with a workloadSelector can only be exported to its own namespace');
    else if (seen.size > 1) r.error('a DestinationRule with a workloadSelector can have only one exportTo entry (its own namespace)');
  }
  if (seen.has('*') && values.length > 1) r.error('exportTo "*" (every namespace) cannot be combined with other entries');
  if (seen.has('~') && values.length > 1) r.error('exportTo "~" (no namespace) cannot be combined with other entries');
}

/** Annotations users may not set on any Istio object (istiod-internal). */
const INTERNAL_ANNOTATIONS = ['internal.istio.io/parent-namespace', 'internal.istio.io/parents', 'internal.istio.io/webhook-always-reject'];

/**
 * Metadata rules of every kind: `istio.io/dry-run` only on an AuthorizationPolicy with action
 * ALLOW/DENY and a boolean value; internal annotations refused. Go: `validateMetadata`, `checkDryRunAnnotation`.
 */
export function checkMetadata(r: Reporter, kind: string, metadata: unknown, spec: unknown): void {
  const annotations = isObject(metadata) ? metadata.annotations : undefined;
  const at = r.at('metadata', 'annotations');
  for (const [k, v] of entries(annotations)) {
    if (k === 'istio.io/dry-run') {
      if (kind !== 'AuthorizationPolicy') {
        at.at(k).error('the istio.io/dry-run annotation is only supported on AuthorizationPolicy');
        continue;
      }
      const action = isObject(spec) ? str(spec.action) || 'ALLOW' : 'ALLOW';
      if (action !== 'ALLOW' && action !== 'DENY') at.at(k).error(`the istio.io/dry-run annotation only works with action ALLOW or DENY, not ${action}`);
      else if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(str(v))) at.at(k).error(`the istio.io/dry-run annotation must be "true" or "false", not ${show(v)}`);
    }
    if (INTERNAL_ANNOTATIONS.includes(k)) at.at(k).error(`annotation ${show(k)} is internal to Istio and may not be set by users`);
  }
}
