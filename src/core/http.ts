/**
 * HTTP route building blocks shared by the HTTP patterns: string matches, request matches,
 * retries, header operations. Each renders to Istio's wire format after validation.
 */
import type { VirtualServiceSpec } from '../generated/istio-types';
import { Brand } from './brand';
import { checkCount, checkHeaderName, checkLabels, checkPercentage, checkPort, checkRegex, sortedRecord } from './checks';
import { DurationLike, renderDuration } from './duration';
import { Ctx, ErrorCode, show } from './errors';
import { checkProps } from './props';
import { headerValueSyntaxProblem } from './webhook/common';

/** Istio's wire types, named for readability. @internal */
export type HTTPRoute = NonNullable<VirtualServiceSpec['http']>[number];
/** @internal */
export type HTTPMatchRequest = NonNullable<HTTPRoute['match']>[number];
/** @internal */
export type WireStringMatch = NonNullable<HTTPMatchRequest['uri']>;

/** The StringMatches made by the factories (see `Brand`). */
const STRING_MATCHES = new Brand<StringMatch>((m) => [m.kind, m.value]);

/** Whether `value` is a StringMatch made by its factories, unchanged: a forged or tampered one is not. Never throws. @internal */
export function isStringMatch(value: unknown): value is StringMatch {
  return STRING_MATCHES.isGenuine(value);
}

/**
 * How a string is matched: exactly, by prefix, or by an RE2 regular expression.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export class StringMatch {
  /** Matches the whole value. */
  public static exact(value: string): StringMatch { return StringMatch.of('exact', value); }
  /** Matches values starting with `value` (must not be empty). */
  public static prefix(value: string): StringMatch { return StringMatch.of('prefix', value); }
  /** Matches an RE2 regular expression against the whole value (Envoy anchors it). */
  public static regex(value: string): StringMatch { return StringMatch.of('regex', value); }
  /**
   * Matches a `Cookie` header that carries `name=value` (anchored, values escaped), for use as
   * `headers: { cookie: StringMatch.cookie('user', 'jason') }` or the `cookie` match field.
   */
  public static cookie(name: string, value: string): StringMatch {
    checkProps(new Ctx('StringMatch.cookie'), 'StringMatch.cookie', { name, value });
    const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    return new StringMatch('regex', `^(.*?;\\s*)?(${esc(name)}=${esc(value)})(;.*)?$`);
  }

  /** Checks the value (a string, at most 64 KiB) and builds the match. */
  private static of(kind: 'exact' | 'prefix' | 'regex', value: string): StringMatch {
    checkProps(new Ctx(`StringMatch.${kind}`), 'StringMatch.value', { value });
    return new StringMatch(kind, value);
  }

  private constructor(
    /** `exact`, `prefix` or `regex`. */
    public readonly kind: 'exact' | 'prefix' | 'regex',
    /** The value to compare with. */
    public readonly value: string,
  ) {
    STRING_MATCHES.mark(this);
  }

  /** @internal */
  public render(ctx: Ctx): WireStringMatch {
    if (typeof this.value !== 'string') ctx.fail(ErrorCode.INVALID_MATCH, 'the match value is not a string', 'pass a string');
    if (this.kind === 'regex') checkRegex(ctx.at('regex'), this.value);
    if (this.kind === 'prefix' && this.value === '') {
      ctx.at('prefix').fail(ErrorCode.INVALID_MATCH, 'a prefix match may not be empty', 'give a non-empty prefix, or leave the field out to match everything');
    }
    return { [this.kind]: this.value } as WireStringMatch;
  }
}

/**
 * One set of request conditions; all set fields must match (AND). A route with several
 * `HttpMatch`es is taken when any of them matches (OR).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface HttpMatch {
  /** The request path. */
  readonly uri?: StringMatch;
  /** The HTTP method, e.g. `StringMatch.exact('GET')`. */
  readonly method?: StringMatch;
  /** Request headers by name (lower case), e.g. `{ 'end-user': StringMatch.exact('quentin') }`. */
  readonly headers?: Record<string, StringMatch>;
  /** Shorthand for the `user-agent` header, e.g. `StringMatch.regex('.*Mobile.*')`. */
  readonly userAgent?: StringMatch;
  /** Shorthand for the `cookie` header, e.g. `StringMatch.cookie('user', 'jason')`. */
  readonly cookie?: StringMatch;
  /** Query parameters by name (exact or regex). */
  readonly queryParams?: Record<string, StringMatch>;
  /** Labels of the calling workload (mesh traffic only), e.g. `{ app: 'preference', version: 'v2' }`. */
  readonly sourceLabels?: Record<string, string>;
  /**
   * The port the request arrived on, 1-65535.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  readonly port?: number;
  /**
   * Match the URI without case.
   * @default false
   */
  readonly ignoreUriCase?: boolean;
}

/** The HTTP methods Istio matches and authorizes on (upper case). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];

/** Renders and validates an `HttpMatch`. @internal */
export function renderMatch(ctx: Ctx, m: HttpMatch): HTTPMatchRequest {
  const headers: Record<string, WireStringMatch> = {};
  const addHeader = (c: Ctx, name: string, sm: StringMatch) => {
    const key = checkHeaderName(c, name);
    if (headers[key]) c.fail(ErrorCode.CONFLICTING_PROPS, `header ${key} is matched twice`, 'match each header once per HttpMatch');
    headers[key] = sm.render(c);
  };
  for (const name of Object.keys(m.headers ?? {}).sort()) addHeader(ctx.at('headers', name), name, m.headers![name]);
  if (m.userAgent) addHeader(ctx.at('userAgent'), 'user-agent', m.userAgent);
  if (m.cookie) addHeader(ctx.at('cookie'), 'cookie', m.cookie);
  if (m.method) {
    const method = m.method.render(ctx.at('method'));
    if (method.exact !== undefined && !HTTP_METHODS.includes(method.exact)) {
      ctx.at('method').fail(ErrorCode.INVALID_METHOD, `${show(method.exact)} is not an HTTP method`, `use one of ${HTTP_METHODS.join(', ')} (upper case)`);
    }
  }
  const queryParams: Record<string, WireStringMatch> = {};
  for (const name of Object.keys(m.queryParams ?? {}).sort()) {
    const c = ctx.at('queryParams', name);
    if (!name) c.fail(ErrorCode.INVALID_MATCH, 'a query parameter name is empty', 'name the parameter');
    const sm = m.queryParams![name];
    if (sm.kind === 'prefix') c.fail(ErrorCode.INVALID_MATCH, 'Istio matches query parameters only exactly or by regex', 'use StringMatch.exact or StringMatch.regex');
    queryParams[name] = sm.render(c);
  }
  const out: HTTPMatchRequest = {
    uri: m.uri?.render(ctx.at('uri')),
    method: m.method?.render(ctx.at('method')),
    headers: Object.keys(headers).length ? sortedRecord(headers) : undefined,
    queryParams: Object.keys(queryParams).length ? queryParams : undefined,
    sourceLabels: m.sourceLabels ? checkLabels(ctx.at('sourceLabels'), m.sourceLabels, { nonEmpty: true }) : undefined,
    port: m.port !== undefined ? checkPort(ctx.at('port'), m.port) : undefined,
    ignoreUriCase: m.ignoreUriCase || undefined,
  };
  if (Object.values(out).every((v) => v === undefined)) {
    ctx.fail(ErrorCode.INVALID_MATCH, 'the match sets no condition', 'set at least one of uri, method, headers, userAgent, cookie, queryParams, sourceLabels, port');
  }
  return out;
}

/** Envoy retry conditions Istio accepts in `retryOn` (besides numeric HTTP status codes). */
export enum RetryOn {
  FIVE_XX = '5xx',
  GATEWAY_ERROR = 'gateway-error',
  RESET = 'reset',
  RESET_BEFORE_REQUEST = 'reset-before-request',
  CONNECT_FAILURE = 'connect-failure',
  RETRIABLE_4XX = 'retriable-4xx',
  REFUSED_STREAM = 'refused-stream',
  RETRIABLE_STATUS_CODES = 'retriable-status-codes',
  RETRIABLE_HEADERS = 'retriable-headers',
  ENVOY_RATELIMITED = 'envoy-ratelimited',
  HTTP3_POST_CONNECT_FAILURE = 'http3-post-connect-failure',
  CANCELLED = 'cancelled',
  DEADLINE_EXCEEDED = 'deadline-exceeded',
  INTERNAL = 'internal',
  RESOURCE_EXHAUSTED = 'resource-exhausted',
  UNAVAILABLE = 'unavailable',
}

/**
 * Retry policy of a route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface Retries {
  /**
   * How many retries after the first attempt; 0 disables retries.
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly attempts: number;
  /**
   * Timeout of each attempt, at least 1ms.
   * @default - the route timeout
   */
  readonly perTryTimeout?: DurationLike;
  /**
   * When to retry: `RetryOn` conditions or HTTP status codes as strings (e.g. `'503'`).
   * @default - Istio's default (connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes)
   */
  readonly retryOn?: Array<RetryOn | string>;
}

/** @internal */
export function renderRetries(ctx: Ctx, r: Retries): HTTPRoute['retries'] {
  const attempts = checkCount(ctx.at('attempts'), r.attempts, ErrorCode.INVALID_RETRIES, 'attempts');
  if (r.attempts === 0 && (r.perTryTimeout || r.retryOn)) {
    ctx.fail(ErrorCode.INVALID_RETRIES, 'perTryTimeout or retryOn is set but attempts is 0 (retries disabled)',
      'set attempts to 1 or more, or remove perTryTimeout and retryOn');
  }
  const known = Object.values(RetryOn) as string[];
  const retryOn = r.retryOn?.map((cond, i) => {
    if (!known.includes(cond) && !/^[1-5][0-9][0-9]$/.test(cond)) {
      ctx.at('retryOn', i).fail(ErrorCode.INVALID_RETRIES, `${show(cond)} is not an Envoy retry condition`,
        `use a RetryOn value (e.g. ${known.slice(0, 6).join(', ')}; ${known.length} in all) or an HTTP status code such as "503"`);
    }
    return cond;
  });
  if (retryOn && retryOn.length === 0) {
    ctx.at('retryOn').fail(ErrorCode.INVALID_RETRIES, 'retryOn is empty', 'list at least one condition, or leave retryOn out');
  }
  return {
    attempts,
    perTryTimeout: renderDuration(ctx.at('perTryTimeout'), r.perTryTimeout),
    retryOn: retryOn?.join(','),
  };
}

/** Header changes applied to a request or a response. */
export interface HeaderOperations {
  /** Headers to overwrite (name → value). */
  readonly set?: Record<string, string>;
  /** Headers to append (name → value). */
  readonly add?: Record<string, string>;
  /** Header names to remove. */
  readonly remove?: string[];
}

/**
 * Header manipulation of a route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Headers
 */
export interface Headers {
  /** Changes to the request before it is forwarded. */
  readonly request?: HeaderOperations;
  /** Changes to the response before it is returned. */
  readonly response?: HeaderOperations;
}

// One Envoy command operator at the start of a string that begins with "%":
// `%%`; `%NAME%` (the name runs to the next "%" or "("); `%NAME(...)%` with a JSON array of strings
// or one bare argument, which may contain "%" (as in `%START_TIME(%s)%`).
const COMMAND_OPERATOR = /^(?:%%|%[^%(]*%|%[^%(]*\( *(?:\[ *"(?:[^"\\]|\\.)*" *(?:, *"(?:[^"\\]|\\.)*" *)*\]|(?:[^)"\\]|\\.)*) *\) *%)/;

/**
 * Why Envoy (and Istio's webhook) would refuse a header value, or `undefined` if it is valid: a
 * value is literal text with Envoy command operators (`%DOWNSTREAM_REMOTE_ADDRESS%`,
 * `%REQ(x-id)%`, `%START_TIME(%s)%`) and `%%` for a literal percent sign; a "%" that opens no
 * closed operator, and control characters other than tab, are refused.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#custom-request-response-headers
 * @internal
 */
export function headerValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return 'has control characters';
  let i = value.indexOf('%');
  while (i >= 0) {
    const op = COMMAND_OPERATOR.exec(value.slice(i));
    if (!op) return `has a lone "%" at offset ${i}`;
    i = value.indexOf('%', i + op[0].length);
  }
  // Istio's webhook reads the operators with its own state machine, which refuses some values the
  // pattern above accepts (`%()%`: an operator without a name, left open): its verdict decides.
  return headerValueSyntaxProblem(value);
}

/** @internal */
export function renderHeaders(ctx: Ctx, h: Headers): HTTPRoute['headers'] {
  const ops = (c: Ctx, o: HeaderOperations | undefined, isRequest: boolean) => {
    if (!o) return undefined;
    const name = (cc: Ctx, n: string, removing: boolean) => {
      const key = checkHeaderName(cc, n.startsWith(':') ? n.slice(1) : n);
      if (n.startsWith(':') && (!isRequest || removing || n !== ':authority')) {
        cc.fail(ErrorCode.INVALID_HEADER, `pseudo-header ${n} cannot be changed here`, 'only ":authority" may be set or added, and only on requests');
      }
      if (key === 'host' && (!isRequest || removing)) {
        cc.fail(ErrorCode.INVALID_HEADER, 'the host header cannot be removed or changed on responses', 'leave host out of this operation');
      }
      return n.startsWith(':') ? n : key;
    };
    const values = (cc: Ctx, rec: Record<string, string> | undefined) => {
      if (!rec) return undefined;
      const out: Record<string, string> = {};
      for (const k of Object.keys(rec).sort()) {
        const v = rec[k];
        const problem = headerValueProblem(v);
        if (problem) {
          cc.at(k).fail(ErrorCode.INVALID_HEADER, `header value ${show(v)} ${problem}`,
            'write "%%" for a literal percent sign, close every %VARIABLE% with "%", and remove control characters');
        }
        out[name(cc.at(k), k, false)] = v;
      }
      return out;
    };
    return {
      set: values(c.at('set'), o.set),
      add: values(c.at('add'), o.add),
      remove: o.remove?.map((n, i) => name(c.at('remove', i), n, true)),
    };
  };
  return { request: ops(ctx.at('request'), h.request, true), response: ops(ctx.at('response'), h.response, false) };
}

/** gRPC status names Istio accepts for an injected abort. */
export enum GrpcStatus {
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED',
  NOT_FOUND = 'NOT_FOUND',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  RESOURCE_EXHAUSTED = 'RESOURCE_EXHAUSTED',
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  ABORTED = 'ABORTED',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  UNIMPLEMENTED = 'UNIMPLEMENTED',
  INTERNAL = 'INTERNAL',
  UNAVAILABLE = 'UNAVAILABLE',
  DATA_LOSS = 'DATA_LOSS',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

/**
 * Fault injection on a route: abort some requests, delay some. Put it on a match route to affect
 * only the requests that route selects; other requests are untouched.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface Fault {
  /** Answer some requests with an error instead of forwarding them. @default - no abort */
  readonly abort?: {
    /**
     * HTTP status to return, 200-600. Give this or `grpcStatus`.
     * @asType integer
     * @minimum 200
     * @maximum 600
     */
    readonly httpStatus?: number;
    /** gRPC status to return. Give this or `httpStatus`. */
    readonly grpcStatus?: GrpcStatus;
    /**
     * Share of requests aborted, percent 0-100. Always written: Istio aborts no request when the
     * field is absent.
     * @default 100
     * @minimum 0
     * @maximum 100
     */
    readonly percentage?: number;
  };
  /** Delay some requests before forwarding them. @default - no delay */
  readonly delay?: {
    /** The delay, at least 1ms. */
    readonly fixedDelay: DurationLike;
    /**
     * Share of requests delayed, percent 0-100. Always written: Istio delays no request when the
     * field is absent.
     * @default 100
     * @minimum 0
     * @maximum 100
     */
    readonly percentage?: number;
  };
}

/**
 * A fault percentage: 0-100 and, as Istio's webhook requires (validatePercentage), 0 or at least
 * 0.0001 ("percentage ... is neither 0.0, nor in range [0.0001, 100.0]").
 */
function faultPercentage(ctx: Ctx, value: number): number {
  const percent = checkPercentage(ctx, value); // -0 becomes 0
  if (percent > 0 && percent < 0.0001) {
    ctx.fail(ErrorCode.INVALID_PERCENTAGE, `percentage ${show(value)} is below 0.0001 (Istio's smallest fault share)`, 'give 0, or at least 0.0001 (percent)');
  }
  return percent;
}

/** @internal */
export function renderFault(ctx: Ctx, f: Fault): HTTPRoute['fault'] {
  if (!f.abort && !f.delay) ctx.fail(ErrorCode.INVALID_FAULT, 'the fault sets neither abort nor delay', 'set abort or delay, or leave fault out');
  let abort: NonNullable<HTTPRoute['fault']>['abort'];
  if (f.abort) {
    const c = ctx.at('abort');
    const { httpStatus, grpcStatus } = f.abort;
    if ((httpStatus === undefined) === (grpcStatus === undefined)) {
      c.fail(ErrorCode.INVALID_FAULT, 'an abort needs exactly one of httpStatus and grpcStatus', 'give httpStatus (e.g. 503) or grpcStatus (e.g. GrpcStatus.UNAVAILABLE)');
    }
    if (httpStatus !== undefined && !(Number.isInteger(httpStatus) && httpStatus >= 200 && httpStatus <= 600)) {
      c.at('httpStatus').fail(ErrorCode.INVALID_FAULT, `HTTP status ${show(httpStatus)} is outside 200-600`, 'give an HTTP status from 200 to 600');
    }
    if (grpcStatus !== undefined && !(Object.values(GrpcStatus) as string[]).includes(grpcStatus)) {
      c.at('grpcStatus').fail(ErrorCode.INVALID_FAULT, `${show(grpcStatus)} is not a gRPC status name`, 'use a GrpcStatus value such as UNAVAILABLE');
    }
    abort = {
      httpStatus,
      grpcStatus,
      // Istio injects on 0% of requests when percentage is absent: write the documented default.
      percentage: { value: f.abort.percentage === undefined ? 100 : faultPercentage(c.at('percentage'), f.abort.percentage) },
    } as any;
  }
  let delay: NonNullable<HTTPRoute['fault']>['delay'];
  if (f.delay) {
    const c = ctx.at('delay');
    if (f.delay.fixedDelay === undefined) c.at('fixedDelay').fail(ErrorCode.INVALID_FAULT, 'a delay needs fixedDelay', "give fixedDelay: Duration.seconds(...) or a duration string such as '2s'");
    delay = {
      fixedDelay: renderDuration(c.at('fixedDelay'), f.delay.fixedDelay),
      percentage: { value: f.delay.percentage === undefined ? 100 : faultPercentage(c.at('percentage'), f.delay.percentage) },
    } as any;
  }
  return { abort, delay };
}
