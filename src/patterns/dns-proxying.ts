/**
 * DNS proxying for one workload: the sidecar answers the pod's DNS queries itself (DNS capture),
 * so hosts that only exist as ServiceEntries resolve, and, with auto-allocation, gives each
 * ServiceEntry host without addresses a virtual IP, so TCP traffic to several such hosts on one
 * port can be told apart. Both are proxy metadata in the pod template's `proxy.istio.io/config`
 * annotation (a ProxyConfig as YAML or JSON), which this helper merges into whatever proxy
 * configuration the annotation already holds.
 *
 * Engine-free: the cdk8s (`DnsProxying.enable`) and Pulumi (`withDnsProxying`) front ends call it.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/dns-proxy/
 */
import * as YAML from 'yaml';
import { Ctx, ErrorCode, show } from '../core/errors';
import { checkProps } from '../core/props';

/** The pod annotation holding a workload's proxy configuration (a ProxyConfig as YAML or JSON). */
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/** The proxy metadata key that turns on DNS capture. */
export const DNS_CAPTURE = 'ISTIO_META_DNS_CAPTURE';

/** The proxy metadata key that turns on per-proxy address auto-allocation for ServiceEntries. */
export const DNS_AUTO_ALLOCATE = 'ISTIO_META_DNS_AUTO_ALLOCATE';

/** Options of DNS proxying. */
export interface DnsProxyingOptions {
  /**
   * Also set `ISTIO_META_DNS_AUTO_ALLOCATE: "true"` (the sidecar allocates the addresses). istiod
   * can allocate them itself with `PILOT_ENABLE_IP_AUTOALLOCATE`: that flag exists from Istio 1.23
   * but is off by default in 1.23 and 1.24, and on by default from 1.25, where the sidecar agent
   * also warns that this metadata is deprecated (istio/istio pilot/pkg/features/pilot.go,
   * pkg/config/validation/agent/validation.go). Where istiod allocates, set `false` to write DNS
   * capture only (an existing `ISTIO_META_DNS_AUTO_ALLOCATE` is then left as it is).
   * @default true
   */
  readonly autoAllocate?: boolean;
}

/**
 * Merges DNS proxying into a `proxy.istio.io/config` value: sets `proxyMetadata.ISTIO_META_DNS_CAPTURE`
 * (and `ISTIO_META_DNS_AUTO_ALLOCATE`) to `"true"`, keeping every other key. A value that already
 * has them is returned unchanged, so applying it twice is the same as once. The result keeps the
 * input's form: JSON stays JSON; YAML stays YAML, with its comments; no input gives YAML.
 *
 * It does not change mesh-wide configuration (`meshConfig.defaultConfig.proxyMetadata`, which the
 * Istio installation sets) nor anything but this annotation value.
 *
 * @param proxyConfig the annotation's current value, or undefined when the pod template has none
 * @returns the annotation value to write
 * @throws IstioConstructError CONFLICTING_PROPS when the value already sets one of the keys to
 *   anything but `"true"` (say `"false"`): the user's explicit choice is never overridden silently;
 *   INVALID_PROP when the value is not a ProxyConfig mapping (unparsable, or `proxyMetadata` not a
 *   mapping).
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/dns-proxy/
 */
export function mergeDnsProxyConfig(proxyConfig: string | undefined, options: DnsProxyingOptions = {}): string {
  const ctx = new Ctx('DnsProxying');
  checkProps(ctx.at('options'), 'DnsProxyingOptions', options);
  return mergeDnsProxyConfigAt(ctx.at('proxyConfig'), proxyConfig, options);
}

/**
 * Returns pod template annotations with DNS proxying merged into `proxy.istio.io/config` (see
 * `mergeDnsProxyConfig`); every other annotation is kept. The input is not modified.
 *
 * @throws IstioConstructError as `mergeDnsProxyConfig`.
 */
export function withDnsProxyAnnotations(annotations: Readonly<Record<string, string>> | undefined, options: DnsProxyingOptions = {}): Record<string, string> {
  const ctx = new Ctx('DnsProxying');
  checkProps(ctx.at('options'), 'DnsProxyingOptions', options);
  if (annotations !== undefined) checkProps(ctx.at('annotations'), 'DnsProxying.annotations', annotations);
  const current = annotations?.[PROXY_CONFIG_ANNOTATION];
  return { ...annotations, [PROXY_CONFIG_ANNOTATION]: mergeDnsProxyConfigAt(ctx.at('annotations', PROXY_CONFIG_ANNOTATION), current, options) };
}

/** The metadata entries to set. */
function wanted(options: DnsProxyingOptions): string[] {
  return options.autoAllocate === false ? [DNS_CAPTURE] : [DNS_CAPTURE, DNS_AUTO_ALLOCATE];
}

/** @internal The merge, reporting problems at `ctx`. */
export function mergeDnsProxyConfigAt(ctx: Ctx, proxyConfig: unknown, options: DnsProxyingOptions): string {
  const keys = wanted(options);
  if (proxyConfig === undefined || (typeof proxyConfig === 'string' && proxyConfig.trim() === '')) {
    return YAML.stringify({ proxyMetadata: Object.fromEntries(keys.map((k) => [k, 'true'])) });
  }
  if (typeof proxyConfig !== 'string') {
    return ctx.fail(ErrorCode.INVALID_PROP, `${show(proxyConfig)} is not a string`, `give the ${PROXY_CONFIG_ANNOTATION} annotation as YAML or JSON text`);
  }
  const doc = YAML.parseDocument(proxyConfig, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    ctx.fail(ErrorCode.INVALID_PROP, `the proxy configuration does not parse (${doc.errors[0].message.split('\n')[0].slice(0, 80)})`,
      `fix the ${PROXY_CONFIG_ANNOTATION} annotation: a ProxyConfig as YAML or JSON`);
  }
  if (doc.contents === null) {
    return YAML.stringify({ proxyMetadata: Object.fromEntries(keys.map((k) => [k, 'true'])) });
  }
  if (!YAML.isMap(doc.contents)) {
    ctx.fail(ErrorCode.INVALID_PROP, 'the proxy configuration is not a mapping', `make the ${PROXY_CONFIG_ANNOTATION} annotation a ProxyConfig mapping, e.g. "proxyMetadata: {}"`);
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    ctx.fail(ErrorCode.INVALID_PROP, `the proxy configuration cannot be read (${e instanceof Error ? e.message.slice(0, 60) : 'unreadable'})`,
      `fix the ${PROXY_CONFIG_ANNOTATION} annotation: a ProxyConfig as YAML or JSON, without alias tricks`);
  }
  const metadata = (root as Record<string, unknown>).proxyMetadata;
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
    ctx.at('proxyMetadata').fail(ErrorCode.INVALID_PROP, `proxyMetadata ${show(metadata)} is not a mapping`, 'make proxyMetadata a mapping of string values');
  }
  const existing = (metadata ?? {}) as Record<string, unknown>;
  const missing: string[] = [];
  for (const k of keys) {
    const v = existing[k];
    if (v === undefined || v === null) missing.push(k);
    else if (v !== 'true') {
      ctx.at('proxyMetadata', k).fail(ErrorCode.CONFLICTING_PROPS,
        `the workload's proxy configuration already sets ${k} to ${show(v)}${typeof v === 'string' ? '' : ' (not a string)'}, and DNS proxying needs "true"`,
        `remove ${k} from the ${PROXY_CONFIG_ANNOTATION} annotation, set it to "true", or do not enable DNS proxying on this workload`);
    }
  }
  if (missing.length === 0) return proxyConfig;
  if (isJson(proxyConfig)) {
    const json = JSON.parse(proxyConfig) as Record<string, unknown>;
    json.proxyMetadata = { ...existing, ...Object.fromEntries(missing.map((k) => [k, 'true'])) };
    return JSON.stringify(json);
  }
  const added = Object.fromEntries(missing.map((k) => [k, 'true']));
  if (YAML.isMap(doc.get('proxyMetadata', true))) {
    for (const k of missing) doc.setIn(['proxyMetadata', k], 'true');
  } else {
    // absent, null, or an alias: write the whole mapping
    doc.set('proxyMetadata', doc.createNode({ ...existing, ...added }));
  }
  return doc.toString();
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
