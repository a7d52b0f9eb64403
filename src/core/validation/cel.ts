/**
 * Evaluation of the CEL rules a CRD declares (`x-kubernetes-validations`), as the Kubernetes API
 * server evaluates them, with `@bufbuild/cel`: the standard CEL functions and macros, the CEL
 * `strings` extension (`substring`, `indexOf`, ...), and the Kubernetes URL library (`isURL`, `url`,
 * `getScheme`, ...) that Istio's rules use, and `isIP` of the Kubernetes IP library (the Gateway API
 * rules use it). Other Kubernetes libraries (lists, regex `find`, the rest of IP/CIDR,
 * quantity, semver, format) are not bound: a rule that calls one fails to evaluate, and is reported
 * (never passed silently).
 *
 * Rules are compiled once per distinct rule text, lazily, and the compiled plans are reused for
 * every object of every synth; the outcome of a rule on a scalar value (a duration, a port) is
 * memoised, since CEL expressions are pure.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
 * @see https://kubernetes.io/docs/reference/using-api/cel/
 * @internal
 */
import {
  CelScalar, celEnv, celFunc, celMap, celMethod, isCelError, isCelMap, parse, plan,
} from '@bufbuild/cel';
import type { CelEnv, CelFunc, CelInput, CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { remembered } from '../memo';

/** One entry of a schema node's `x-kubernetes-validations`. @internal */
export interface CelRule {
  /** The CEL expression; `self` is the value of the node that declares it. */
  readonly rule: string;
  /** The message reported when the rule is false. @default - `failed rule: <rule>` */
  readonly message?: string;
  /** A CEL expression that computes the message; falls back to `message` when it fails. */
  readonly messageExpression?: string;
  /** A path relative to the node, e.g. `.spec.port`, that the failure is reported at. */
  readonly fieldPath?: string;
  /** A transition rule may declare `oldSelf` optional; it is still skipped (no old object at synth). */
  readonly optionalOldSelf?: boolean;
  /** The API server's failure reason (`FieldValueInvalid`, ...); not used here. */
  readonly reason?: string;
}

/** The outcome of one rule on one value. @internal */
export type RuleOutcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'skipped'; readonly why: string }
  | { readonly kind: 'fail'; readonly message: string };

/** The name of the key holding the raw text of a Kubernetes URL value (never a valid CRD field name). */
const URL_KEY = '\u0000k8s.url';

/** A URL split the way Go's `url.ParseRequestURI` splits it (which Kubernetes' `url()` uses). */
interface ParsedUrl {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  readonly query: string;
}

/**
 * Parses a URL as Go's `net/url.ParseRequestURI` does, closely enough for CRD rules: either an
 * absolute URI (`scheme:` followed by `//authority` and/or an absolute path, never an opaque
 * `scheme:rest`) or an absolute path. Control characters, a bad percent-escape, a bad port, or a
 * character Go refuses in a host or userinfo make it invalid.
 * @returns the parts, or a string saying why the text is not a URL.
 */
function parseRequestUri(text: string): ParsedUrl | string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'invalid control character in URL';
  if (text === '') return 'empty url';
  let rest = text;
  let scheme = '';
  if (!rest.startsWith('/')) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
    if (!m) return /^[^/?#]*:/.test(rest) ? 'first path segment in URL cannot contain colon' : 'invalid URI for request';
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let host = '';
  if (scheme && rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    const hostPort = at < 0 ? authority : authority.slice(at + 1);
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (/[^A-Za-z0-9\-._:~!$&'()*+,;=%@]/.test(userinfo)) return 'net/url: invalid userinfo';
      if (/%(?![0-9A-Fa-f]{2})/.test(userinfo)) return 'invalid URL escape in userinfo';
    }
    const checked = checkHostPort(hostPort);
    if (checked !== hostPort) return checked;
    host = hostPort;
  } else if (scheme && !rest.startsWith('/')) {
    return 'invalid URI for request';
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(rest) || /%(?![0-9A-Fa-f]{2})/.test(query)) return 'invalid URL escape';
  return { scheme, host, path: rest, query };
}

/** Checks `host[:port]` as Go's URL parser does; returns the input when valid, else the reason. */
function checkHostPort(hostPort: string): string {
  let host = hostPort;
  let port = '';
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return 'missing \']\' in host';
    port = host.slice(close + 1);
    host = host.slice(1, close);
    if (port && !port.startsWith(':')) return `invalid port ${JSON.stringify(port)} after host`;
    port = port.slice(1);
    if (!/^[0-9A-Fa-f:.]+(%25.+)?$/.test(host)) return `invalid IPv6 host ${JSON.stringify(host)}`;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      port = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
    if (/[^A-Za-z0-9.\-_~!$&'()*+,;=%]/.test(host)) return `invalid character in host name ${JSON.stringify(host)}`;
    if (/%(?![0-9A-Fa-f]{2})/.test(host)) return 'invalid URL escape in host';
  }
  if (!/^[0-9]*$/.test(port)) return `invalid port ":${port}" after host`;
  return hostPort;
}

/** A Kubernetes URL value: a CEL map holding only the raw text under a key no rule can name. */
function urlValue(text: string): CelInput {
  return celMap(new Map([[URL_KEY, text]]));
}

/** The parsed URL of a value made by `url()`; throws (an evaluation error) for anything else. */
function urlOf(target: unknown): ParsedUrl {
  const raw = isCelMap(target) ? target.get(URL_KEY) : undefined;
  if (typeof raw !== 'string') throw new Error('no such overload: the target is not a URL (make one with url(string))');
  const parsed = parseRequestUri(raw);
  if (typeof parsed === 'string') throw new Error(`URL parse error during conversion from string: ${parsed}`);
  return parsed;
}

/** A method on URL values (target `dyn`, checked at run time: `@bufbuild/cel` has no opaque types). */
function urlMethod(name: string, get: (u: ParsedUrl) => string): CelFunc {
  return celMethod(name, CelScalar.DYN, [], CelScalar.STRING, function (this: unknown) {
    return get(urlOf(this));
  });
}

/**
 * The Kubernetes URL library (k8s.io/apiserver/pkg/cel/library/urls.go), minimal: `isURL(string)`,
 * `url(string)` (an evaluation error when the text is not a URL), and the getters
 * `getScheme`, `getHost`, `getHostname`, `getPort`, `getEscapedPath`, `getQuery` (the raw query).
 */
const KUBERNETES_URLS: CelFunc[] = [
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s: string) => typeof parseRequestUri(s) !== 'string'),
  celFunc('url', [CelScalar.STRING], CelScalar.DYN, (s: string) => {
    const parsed = parseRequestUri(s);
    if (typeof parsed === 'string') throw new Error(`URL parse error during conversion from string: ${parsed}`);
    return urlValue(s);
  }),
  urlMethod('getScheme', (u) => u.scheme),
  urlMethod('getHost', (u) => u.host),
  urlMethod('getHostname', (u) => (u.host.startsWith('[') ? u.host.slice(1, u.host.indexOf(']')) : u.host.replace(/:[0-9]*$/, ''))),
  urlMethod('getPort', (u) => (/:([0-9]*)$/.exec(u.host.startsWith('[') ? u.host.slice(u.host.indexOf(']')) : u.host)?.[1] ?? '')),
  urlMethod('getEscapedPath', (u) => u.path),
  urlMethod('getQuery', (u) => u.query),
];

/**
 * Whether a text is an IP address as Kubernetes' CEL `isIP` decides (k8s.io/apiserver/pkg/cel/library/ip.go,
 * which parses with Go's `netip.ParseAddr`): dotted-decimal IPv4 without leading zeros, or IPv6
 * (with `::` at most once, optionally ending in dotted IPv4); an IPv6 zone (`%eth0`) and an
 * IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) are refused.
 * @internal
 */
export function isKubernetesIp(text: string): boolean {
  if (IPV4.test(text)) return true;
  const groups = ipv6Groups(text);
  if (!groups) return false;
  // IPv4-mapped (::ffff:a.b.c.d in any spelling): the first 80 bits zero, the next 16 all ones.
  return !(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff);
}

/** Dotted-decimal IPv4 as Go parses it: four fields 0-255, no leading zero. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** The eight 16-bit groups of an IPv6 address (no zone), or undefined when it is not one. */
function ipv6Groups(text: string): number[] | undefined {
  let rest = text;
  let tail: number[] = [];
  const lastColon = rest.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  const last = rest.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 stands for the last two groups.
    if (!IPV4.test(last)) return undefined;
    const b = last.split('.').map(Number);
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    rest = rest.slice(0, lastColon + 1);
    rest = rest.endsWith('::') ? rest : rest.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const after = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !after) return undefined;
  const written = head.length + after.length + tail.length;
  if (halves.length === 1) return written === 8 ? [...head, ...tail] : undefined;
  if (written > 7) return undefined;
  return [...head, ...new Array<number>(8 - written).fill(0), ...after, ...tail];
}

/** The part of the Kubernetes IP library the Gateway API CRDs use: `isIP(string)`. */
const KUBERNETES_IPS: CelFunc[] = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s: string) => isKubernetesIp(s)),
];

let env: CelEnv | undefined;

/** The one CEL environment: standard library, `strings` extension, Kubernetes URL library, `isIP`. */
function getEnv(): CelEnv {
  env ??= celEnv({ funcs: [...strings, ...KUBERNETES_URLS, ...KUBERNETES_IPS] });
  return env;
}

type Program = (bindings: { self: CelInput }) => CelResult;

/** Compiled programs by expression text; a string is the compile error. */
const programs = new Map<string, Program | string>();

/** Compiles an expression once (lazily) and returns its program, or the compile error. */
function program(expression: string): Program | string {
  let p = programs.get(expression);
  if (p === undefined) {
    try {
      p = plan(getEnv(), parse(expression)) as Program;
    } catch (e) {
      p = `the rule does not compile: ${(e as Error).message}`;
    }
    programs.set(expression, p);
  }
  return p;
}

/** Whether an expression refers to `oldSelf` (a transition rule, checked by the API server only on update). */
function isTransitionRule(rule: string): boolean {
  return /(^|[^A-Za-z0-9_.])oldSelf\b/.test(rule.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'));
}

/**
 * Evaluates one rule with `self` bound to a value (already converted to CEL types).
 *
 * - A transition rule (one that uses `oldSelf`) is skipped: at synth time there is no old object,
 *   and the API server only evaluates it on update.
 * - `true` passes; `false` fails with `message`, else the `messageExpression` result, else
 *   `failed rule: <rule>`.
 * - An evaluation error, or a result that is not a bool, fails, as in the API server.
 */
export function evaluateRule(rule: CelRule, self: CelInput): RuleOutcome {
  if (transition(rule.rule)) return { kind: 'skipped', why: 'transition rule (uses oldSelf): evaluated by the API server on update only' };
  // CEL is pure: on a scalar `self` (most rules: durations, ports, names) the outcome is memoised.
  const scalar = typeof self === 'string' || typeof self === 'bigint' || typeof self === 'number' || typeof self === 'boolean';
  if (!scalar) return evaluate(rule, self);
  let byValue = scalarOutcomes.get(rule);
  if (!byValue) scalarOutcomes.set(rule, byValue = new Map());
  const key = `${typeof self}:${String(self)}`;
  return remembered(byValue, key, MAX_MEMO_PER_RULE, () => evaluate(rule, self));
}

/** Memoised outcomes on scalar values, per rule object (a schema node's rule); bounded per rule. */
const scalarOutcomes = new WeakMap<CelRule, Map<string, RuleOutcome>>();
/** At most this many memoised values per rule (the memo is emptied when full). */
const MAX_MEMO_PER_RULE = 512;
/** Whether a rule text is a transition rule, per text. */
const transitionRules = new Map<string, boolean>();

function transition(rule: string): boolean {
  let t = transitionRules.get(rule);
  if (t === undefined) transitionRules.set(rule, t = isTransitionRule(rule));
  return t;
}

/** Evaluates one (non-transition) rule. */
function evaluate(rule: CelRule, self: CelInput): RuleOutcome {
  const p = program(rule.rule);
  if (typeof p === 'string') return { kind: 'fail', message: `${p}: ${rule.rule}` };
  const result = p({ self });
  if (result === true) return { kind: 'pass' };
  if (isCelError(result)) {
    return { kind: 'fail', message: `${ruleMessage(rule, self)} (the rule could not be evaluated: ${result.message})` };
  }
  if (result !== false) return { kind: 'fail', message: `${ruleMessage(rule, self)} (the rule did not evaluate to a bool)` };
  return { kind: 'fail', message: ruleMessage(rule, self) };
}

/** The message of a failed rule: its messageExpression's result when that is a non-empty string, else its message. */
function ruleMessage(rule: CelRule, self: CelInput): string {
  if (rule.messageExpression) {
    const p = program(rule.messageExpression);
    if (typeof p !== 'string') {
      const m = p({ self });
      if (typeof m === 'string' && m.trim() !== '') return m;
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}
