/**
 * Validation helpers shared by every pattern. Each takes a `Ctx` (construct + prop path) and throws
 * `IstioConstructError` with a fix hint; none of them knows a particular pattern.
 * @internal
 */
import * as ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { Ctx, ErrorCode, show } from './errors';

/** A DNS-1123 label (Service, Gateway, namespace, port names). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (most object names, Secrets, service accounts). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** An RFC 7230 token: HTTP header and cookie names. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A DNS-1123 label: lower case alphanumerics and `-`, at most 63 characters (Service, Gateway, subset names). */
export function checkLabelName(ctx: Ctx, value: string, what: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) {
    ctx.fail(ErrorCode.INVALID_NAME, `${what} ${show(value)} is not a DNS-1123 label`,
      'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "reviews-v2")');
  }
  return value;
}

/** A DNS-1123 subdomain: DNS-1123 labels joined by dots, at most 253 characters (most object names). */
export function checkSubdomainName(ctx: Ctx, value: string, what: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    ctx.fail(ErrorCode.INVALID_NAME, `${what} ${show(value)} is not a DNS-1123 subdomain`,
      'use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit');
  }
  return value;
}

/**
 * A DNS domain such as a cluster domain (`cluster.local`, `corp.example`): DNS-1123 labels joined
 * by dots, at most 253 characters, the last label not all digits (Istio refuses such a host).
 * @throws IstioConstructError INVALID_NAME otherwise.
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
 */
export function checkDomainName(ctx: Ctx, value: string, what: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value) || /(^|\.)[0-9]+$/.test(value) || value.split('.').some((l) => l.length > 63)) {
    ctx.fail(ErrorCode.INVALID_NAME, `${what} ${show(value)} is not a DNS domain`,
      'use lower-case DNS labels joined by dots, the last one not all digits (e.g. "cluster.local")');
  }
  return value;
}

/** The name of a Secret holding certificates (`credentialName`), in the namespace of its user. */
export function checkSecretName(ctx: Ctx, value: unknown): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    ctx.fail(ErrorCode.INVALID_TLS, `${show(value)} is not a Secret name`,
      'give the name of the Secret with tls.crt and tls.key (and ca.crt for MUTUAL), in the same namespace');
  }
  return value as string;
}

/** A port number: an integer 1-65535. */
export function checkPort(ctx: Ctx, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    ctx.fail(ErrorCode.PORT_OUT_OF_RANGE, `port ${show(value)} is not an integer between 1 and 65535`, 'give a port number from 1 to 65535');
  }
  return value;
}

/** A percentage 0-100 (Istio's `Percent`, a double). */
export function checkPercentage(ctx: Ctx, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    ctx.fail(ErrorCode.INVALID_PERCENTAGE, `percentage ${show(value)} is outside 0-100`, 'give a number from 0 to 100 (percent)');
  }
  return value + 0; // -0 becomes 0: emitted numbers are plain JSON
}

/** Kubernetes label keys and values (subset labels, sourceLabels, selectors). Returns a copy sorted by key. */
export function checkLabels(ctx: Ctx, labels: Record<string, string>, opts: { nonEmpty?: boolean } = {}): Record<string, string> {
  if (!labels || typeof labels !== 'object') ctx.fail(ErrorCode.INVALID_LABEL, 'labels must be an object of strings', 'pass { key: "value" }');
  const keys = Object.keys(labels).sort();
  if (opts.nonEmpty && keys.length === 0) {
    ctx.fail(ErrorCode.INVALID_LABEL, 'no labels given', 'give at least one label, e.g. { app: "reviews" }');
  }
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = labels[key];
    const [prefix, name] = key.includes('/') ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)] : [undefined, key];
    const keyOk = name.length <= 63 && LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
    if (!keyOk) {
      ctx.at(key).fail(ErrorCode.INVALID_LABEL, `label key ${show(key)} is invalid`,
        'use an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric');
    }
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
      ctx.at(key).fail(ErrorCode.INVALID_LABEL, `label value ${show(value)} is invalid`,
        'use at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric');
    }
    out[key] = value;
  }
  return out;
}

/**
 * A host as Istio accepts it in VirtualService `hosts` and Gateway server `hosts`: a DNS name,
 * optionally with a leading `*.`, or `*` alone. Partial wildcards (`foo*.com`) are refused.
 */
export function checkHost(ctx: Ctx, host: string): string {
  const bad = (why: string) => ctx.fail(ErrorCode.INVALID_HOST, `host ${show(host)} ${why}`,
    'use a DNS name such as "reviews.prod.svc.cluster.local" or "*.example.com"');
  if (typeof host !== 'string' || host.length === 0) bad('is empty');
  if (host === '*') return host;
  if (host.length > 255) bad('is longer than 255 characters');
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  for (const l of labels) {
    if (!/^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(l) || l.length > 63) bad(`has an invalid label ${show(l)}`);
  }
  if (labels.length > 1 && /^[0-9]+$/.test(labels[labels.length - 1])) bad('has an all-numeric top-level label');
  return host;
}

/** Whether a host is a wildcard (`*` or `*.example.com`). */
export function isWildcardHost(host: string): boolean {
  return host === '*' || host.startsWith('*.');
}

/**
 * Whether two hosts overlap: equal, or one wildcard (`*`, `*.example.com`) covers the other
 * (`a.example.com`, `*.a.example.com`). Istio refuses overlapping hosts in one VirtualService.
 */
export function hostsOverlap(a: string, b: string): boolean {
  const wa = a.startsWith('*');
  const wb = b.startsWith('*');
  if (wa && wb) return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  if (wa) return b.endsWith(a.slice(1));
  if (wb) return a.endsWith(b.slice(1));
  return a === b;
}

/**
 * Whether a string is an IPv4 address in dotted-decimal form (four parts, no leading zeros) or an
 * IPv6 address (optionally with a `%zone`), as Go's `netip.ParseAddr` reads it. Legacy forms that
 * ipaddr.js accepts (`0`, `127.1`, `01.2.3.4`, `0x7f.0.0.1`) are refused, as Istio refuses them.
 */
export function isIp(v: unknown): boolean {
  if (typeof v !== 'string' || v === '') return false;
  if (ipaddr.IPv4.isValidFourPartDecimal(v)) return true;
  if (!v.includes(':')) return false;
  const zone = v.indexOf('%');
  return ipaddr.IPv6.isValid(zone >= 0 ? v.slice(0, zone) : v);
}

/** Whether a string is an `address/bits` prefix with a valid length, as Go's `netip.ParsePrefix` reads it. */
export function isCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const slash = v.indexOf('/');
  if (slash < 0 || v.indexOf('/', slash + 1) >= 0) return false;
  const addr = v.slice(0, slash);
  const bits = v.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bits) || addr.includes('%') || !isIp(addr)) return false;
  return Number(bits) <= (addr.includes(':') ? 128 : 32);
}

/**
 * An IPv4/IPv6 address or CIDR block, as Istio parses it (see `isIp`, `isCidr`).
 * @throws IstioConstructError INVALID_CIDR otherwise.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export function checkCidr(ctx: Ctx, value: string): string {
  const ok = typeof value === 'string' && (value.includes('/') ? isCidr(value) : isIp(value));
  if (!ok) {
    ctx.fail(ErrorCode.INVALID_CIDR, `${show(value)} is not an IP address or CIDR block`,
      'use an address such as "10.0.0.1" (four decimal parts, no leading zeros) or a block such as "172.17.0.0/16"');
  }
  return value;
}

/** An RE2 regular expression (what Envoy runs): non-empty, at most 1024 characters, no lookaround or backreferences. */
export function checkRegex(ctx: Ctx, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    ctx.fail(ErrorCode.INVALID_REGEX, 'the regex is empty or longer than 1024 characters', 'give a non-empty RE2 regular expression');
  }
  try {
    RE2JS.compile(value);
  } catch (e) {
    ctx.fail(ErrorCode.INVALID_REGEX, `${show(value)} is not valid RE2 (${(e as Error).message})`,
      'Envoy uses RE2: remove lookarounds, backreferences and possessive quantifiers');
  }
  return value;
}

/** An HTTP header name (RFC 7230 token), lower-cased as HTTP/2 sends it. */
export function checkHeaderName(ctx: Ctx, name: string): string {
  if (typeof name !== 'string' || !HTTP_TOKEN.test(name)) {
    ctx.fail(ErrorCode.INVALID_HEADER, `${show(name)} is not a valid HTTP header name`,
      'use letters, digits and "-" (e.g. "x-request-id")');
  }
  return name.toLowerCase();
}

/** A non-negative integer count. */
export function checkCount(ctx: Ctx, value: number, code: ErrorCode, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    ctx.fail(code, `${what} ${show(value)} is not a non-negative integer`, `give ${what} as a whole number, 0 or more`);
  }
  return value + 0; // -0 becomes 0: emitted numbers are plain JSON
}

/** Returns a copy of a record with its keys sorted, so emitted maps never depend on insertion order. */
export function sortedRecord<T>(record: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!record) return undefined;
  const out: Record<string, T> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k];
  return out;
}

/**
 * Checks that an escape-hatch value (chart values, mesh config, a CR spec) is plain JSON, as helm
 * and the API server read it: objects with plain prototypes, arrays, strings, finite numbers,
 * booleans and null. A function, symbol, bigint, `undefined` in a list, a non-finite number or a
 * class instance would be dropped or changed by JSON serialisation, so it is refused at its path.
 * @internal
 */
export function checkPlainJson(ctx: Ctx, value: unknown, depth = 0): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) ctx.fail(ErrorCode.INVALID_PROP, `${show(value)} is not a JSON number`, 'give a finite number');
    return;
  }
  if (depth > 64) ctx.fail(ErrorCode.INVALID_PROP, 'the value nests more than 64 levels deep', 'flatten it');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) ctx.at(i).fail(ErrorCode.INVALID_PROP, 'a list entry is undefined, which JSON cannot hold', 'remove the entry or give a value');
      checkPlainJson(ctx.at(i), value[i], depth + 1);
    }
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      ctx.fail(ErrorCode.INVALID_PROP, 'the value is a class instance, not plain JSON', 'give a plain object (e.g. parsed from YAML or JSON)');
    }
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) checkPlainJson(ctx.at(key), v, depth + 1);
    }
    return;
  }
  ctx.fail(ErrorCode.INVALID_PROP, `a ${typeof value} is not JSON`, 'give a string, number, boolean, list or object');
}
