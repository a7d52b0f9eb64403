/**
 * Istio's validating-webhook rules for `WasmPlugin` and `TrafficExtension` (extensions.istio.io;
 * Go: `ValidateWasmPlugin`, `ValidateTrafficExtension` and their helpers).
 *
 * @see https://istio.io/latest/docs/reference/config/proxy_extensions/wasm-plugin/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkPolicyTargets, isObject, isSet, list, num, str } from './common';

/**
 * Checks one WasmPlugin spec.
 * @param r reporter at `spec`
 */
export function checkWasmPlugin(r: Reporter, spec: Record<string, any>): void {
  checkPolicyTargets(r, spec);
  checkWasmFields(r, spec);
  checkMatchPorts(r.at('match'), spec.match);
}

/**
 * Checks one TrafficExtension spec: exactly one of `wasm`/`lua`, targets, and the Wasm or Lua fields.
 * @param r reporter at `spec`
 */
export function checkTrafficExtension(r: Reporter, spec: Record<string, any>): void {
  if (isSet(spec.wasm) === isSet(spec.lua)) r.error('exactly one of wasm and lua must be set');
  checkPolicyTargets(r, spec, { targetRef: false });
  if (isSet(spec.lua)) {
    const code = isObject(spec.lua) ? str(spec.lua.inlineCode) : '';
    if (code === '') r.at('lua', 'inlineCode').error('lua.inlineCode cannot be empty');
    else if (Buffer.byteLength(code, 'utf8') > 65536) r.at('lua', 'inlineCode').error('lua.inlineCode is larger than 64 KiB');
  }
  if (isObject(spec.wasm)) checkWasmFields(r.at('wasm'), spec.wasm);
  checkMatchPorts(r.at('match'), spec.match);
}

/** url, sha256, imagePullSecret, pluginName, vmConfig. */
function checkWasmFields(r: Reporter, w: Record<string, any>): void {
  const url = str(w.url);
  if (url === '') r.at('url').error('url is required');
  else {
    const scheme = urlScheme(url);
    if (scheme === undefined) r.at('url').error(`url ${show(url)} does not parse`);
    else if (!['', 'file', 'http', 'https', 'oci'].includes(scheme)) r.at('url').error(`url scheme ${show(scheme)} is not file, http, https or oci`);
  }
  const sha = str(w.sha256);
  if (sha !== '' && !/^[a-f0-9]{64}$/.test(sha)) r.at('sha256').error('sha256 must be 64 lower-case hexadecimal characters');
  if (str(w.imagePullSecret).length > 253) r.at('imagePullSecret').error('imagePullSecret is longer than 253 characters');
  if (str(w.pluginName).length > 256) r.at('pluginName').error('pluginName is longer than 256 characters');
  const names = new Set<string>();
  for (const [i, env] of list(isObject(w.vmConfig) ? w.vmConfig.env : undefined).entries()) {
    if (!isObject(env)) continue;
    const at = r.at('vmConfig', 'env', i);
    const name = str(env.name);
    // Go: `validateWasmPluginVMConfig` stops at the first bad entry.
    if (name === '') { at.at('name').error('an env entry needs a name'); return; }
    if (name.length > 256) { at.at('name').error('an env name is longer than 256 characters'); return; }
    if (names.has(name)) { at.at('name').error(`env ${show(name)} is listed twice`); return; }
    names.add(name);
    if ((str(env.valueFrom) || 'INLINE') !== 'INLINE' && str(env.value) !== '') { at.at('value').error('value can only be set when valueFrom is INLINE'); return; }
  }
}

/**
 * The scheme of a URL as Go's `url.ParseRequestURI` reads it (retrying with `http://` prepended,
 * as Istio's `strictParseURL` does): `''` for a scheme-less reference, undefined if it does not parse.
 */
function urlScheme(url: string): string | undefined {
  // Go's parser refuses control characters, spaces and malformed %-escapes.
  if (/\s/.test(url) || /[\u0000-\u001f\u007f]/.test(url) || /%(?![0-9A-Fa-f]{2})/.test(url)) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (m) return m[1].toLowerCase();
  if (url.startsWith('/')) return '';
  // Retried as http://<url> by Istio.
  return 'http';
}

/** `match[].ports[].number` 1-65535. Go: `validateWasmPluginMatch`. */
function checkMatchPorts(r: Reporter, match: unknown): void {
  list(match).forEach((sel, i) => {
    if (!isObject(sel)) { r.at(i).error('a match entry is null'); return; }
    list(sel.ports).forEach((p, j) => {
      const n = isObject(p) ? num(p.number) : 0;
      if (n <= 0 || n > 65535) r.at(i, 'ports', j, 'number').error(`port ${show(isObject(p) ? p.number : p)} is not between 1 and 65535`);
    });
  });
}
