/**
 * Istio's validating-webhook rules for `WorkloadEntry` (Go: `ValidateWorkloadEntry`,
 * `validateWorkloadEntry`, also used for ServiceEntry STATIC endpoints).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/workload-entry/
 * @internal
 */
import { show } from '../errors';
import { Reporter, UNIX_PREFIX, checkLabelMap, checkPortName, checkPortNumber, entries, fqdnProblem, isIp, str, unixAddressProblem } from './common';

/** Options of the WorkloadEntry check. */
export interface WorkloadEntryOptions {
  /** The port names of the ServiceEntry the endpoint belongs to; undefined for a standalone WorkloadEntry. */
  readonly servicePorts?: ReadonlySet<string>;
  /** Whether the address may be an FQDN (standalone entries), or must be an IP (STATIC endpoints). */
  readonly allowFqdn: boolean;
}

/**
 * Checks a WorkloadEntry spec, or a ServiceEntry endpoint. Go: `validateWorkloadEntry`.
 * @param r reporter at the spec (or endpoint)
 */
export function checkWorkloadEntrySpec(r: Reporter, we: Record<string, any>, opts: WorkloadEntryOptions): void {
  const addr = str(we.address);
  if (addr === '') {
    if (str(we.network) === '') { r.at('address').error('an address is required (unless network is set)'); return; }
    r.at('address').warn(`the address is unset, with network ${show(we.network)}`);
  }
  const ports = entries(we.ports);
  const unix = addr.startsWith(UNIX_PREFIX);
  if (unix) {
    const p = unixAddressProblem(addr.slice(UNIX_PREFIX.length));
    if (p) r.at('address').error(p);
    if (ports.length > 0) r.at('ports').error(`a unix socket address ${show(addr)} cannot have ports`);
  } else if (addr !== '' && !isIp(addr)) {
    if (!opts.allowFqdn) r.at('address').error(`endpoint address ${show(addr)} is not an IP address (resolution STATIC needs IPs or unix:// paths)`);
    else if (fqdnProblem(addr)) r.at('address').error(`address ${show(addr)} is neither an IP address nor an FQDN`);
  }
  for (const [name, port] of ports) {
    const at = r.at('ports', name);
    if (opts.servicePorts && !opts.servicePorts.has(name)) at.error(`endpoint port ${show(name)} is not one of the ServiceEntry's ports`);
    checkPortName(at, name);
    checkPortNumber(at, port);
  }
  checkLabelMap(r.at('labels'), we.labels);
  if (unix && opts.servicePorts && opts.servicePorts.size !== 1) r.error('a ServiceEntry with a unix socket endpoint must have exactly one port');
}
