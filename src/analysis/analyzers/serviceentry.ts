/**
 * Analyzers of the `serviceentry` family: ServiceEntries with TCP ports and no address to match
 * the traffic on (IST0134), and ServiceEntries that give one host and port different protocols
 * (IST0177). Facts from Istio's `pkg/config/analysis/analyzers/serviceentry`. @internal
 */
import { K } from '../kinds';
import { Analyzer, Resource } from '../types';
import { exportsToAll, isRecord } from '../util';

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/**
 * Whether the mesh config makes the sidecars' DNS proxy allocate addresses to ServiceEntries:
 * `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE` is `"true"` and
 * `ISTIO_META_DNS_AUTO_ALLOCATE` or `PILOT_ENABLE_IP_AUTOALLOCATE` is `"true"`.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/dns-proxy/
 */
export function dnsAutoAllocates(meshConfig: Record<string, any>): boolean {
  const md = meshConfig?.defaultConfig?.proxyMetadata;
  if (!isRecord(md) || md.ISTIO_META_DNS_CAPTURE !== 'true') return false;
  return md.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' || md.PILOT_ENABLE_IP_AUTOALLOCATE === 'true';
}

/**
 * IST0134: a ServiceEntry with no `addresses` (none allocated in its status either, and no DNS
 * auto-allocation in the mesh config) whose port has protocol TCP or none: the sidecar cannot tell
 * that traffic from other TCP traffic on the port. One message per such port.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0134/
 */
const protocolAddressesAnalyzer: Analyzer = {
  name: 'serviceentry.ProtocolAddressesAnalyzer',
  analyze(ctx) {
    if (dnsAutoAllocates(ctx.options.meshConfig)) return;
    for (const se of ctx.list(K.ServiceEntry)) {
      if (list(se.spec.addresses).length > 0) continue;
      if (list((se.manifest as any).status?.addresses).length > 0) continue;
      list(se.spec.ports).forEach((p: any, i: number) => {
        const protocol = isRecord(p) && typeof p.protocol === 'string' ? p.protocol : '';
        if (protocol !== '' && protocol.toUpperCase() !== 'TCP') return;
        ctx.report(se, 'ServiceEntryAddressesRequired',
          `port ${p?.number ?? '?'} is ${protocol ? 'TCP' : 'of no protocol (read as TCP)'} and the entry has no addresses, so its traffic cannot be told apart `
          + 'from other TCP traffic on that port; set spec.addresses, give the port an application protocol (HTTP, HTTPS, TLS...), '
          + 'or enable DNS capture with address auto-allocation in the mesh config', `spec.ports[${i}]`);
      });
    }
  },
};

/**
 * IST0177: ServiceEntries visible in one namespace that give one host and port different
 * protocols (compared case-insensitively; no protocol is a protocol of its own). Every
 * ServiceEntry involved is reported once, naming the others.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0177/
 */
const conflictingServiceEntryProtocolAnalyzer: Analyzer = {
  name: 'serviceentry.ConflictingServiceEntryProtocolAnalyzer',
  analyze(ctx) {
    interface Entry { readonly protocol: string; readonly se: Resource }
    // scope ('*' or a namespace) → host → port → entries
    const index = new Map<string, Entry[]>();
    const keyOf = (scope: string, host: string, port: number) => `${scope}\u0000${host}\u0000${port}`;
    for (const se of ctx.list(K.ServiceEntry)) {
      const scopes = exportsToAll(se.spec.exportTo)
        ? ['*']
        : [...new Set(list(se.spec.exportTo).map((e) => (e === '.' ? se.namespace : String(e))))];
      for (const scope of scopes) {
        for (const host of list(se.spec.hosts)) {
          if (typeof host !== 'string') continue;
          for (const p of list(se.spec.ports)) {
            const key = keyOf(scope, host, Number(p?.number));
            let entries = index.get(key);
            if (!entries) index.set(key, entries = []);
            entries.push({ protocol: typeof p?.protocol === 'string' ? p.protocol : '', se });
          }
        }
      }
    }
    const reported = new Set<Resource>();
    // Sorted keys, so which host/port names a message does not depend on map order.
    for (const key of [...index.keys()].sort()) {
      const [scope, host, port] = key.split('\u0000');
      const entries = scope === '*' ? index.get(key)! : [...index.get(key)!, ...(index.get(keyOf('*', host, Number(port))) ?? [])];
      const protocols = [...new Set(entries.map((e) => e.protocol.toUpperCase()))].sort();
      if (protocols.length < 2) continue;
      const involved = [...new Set(entries.map((e) => e.se))];
      const names = involved.map((r) => (r.namespace ? `${r.namespace}/${r.name}` : r.name)).sort();
      for (const se of involved) {
        if (reported.has(se)) continue;
        reported.add(se);
        const shown = protocols.map((p) => p || '(none)').join(', ');
        ctx.report(se, 'ConflictingServiceEntryProtocol',
          `host ${host} port ${port} is declared with different protocols (${shown}) by the ServiceEntries ${names.join(', ')}; `
          + 'the proxy keeps only one of them, so the others\' traffic is handled with the wrong protocol: use one protocol for the port in every entry', 'metadata.name');
      }
    }
  },
};

/** The `serviceentry` analyzers, in the order they run. */
export const serviceentryAnalyzers: readonly Analyzer[] = [protocolAddressesAnalyzer, conflictingServiceEntryProtocolAnalyzer];
