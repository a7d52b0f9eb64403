/**
 * Istio's validating-webhook rules for `ServiceEntry` (Go: `ValidateServiceEntry`,
 * `validateWorkloadEntry` for its endpoints).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 * @internal
 */
import { show } from '../errors';
import {
  Reporter, checkAlphaWorkloadSelector, checkExportTo, checkIpOrCidr, checkPortName, checkPortNumber, checkProtocol, isHttpProtocol,
  isObject, isSet, isTcpProtocol, isTlsProtocol, isWildcarded, isPartialWildcard, list, num, parseProtocol, str, wildcardDomainProblem,
  fqdnProblem, isIp, checkLabelMap, entries,
} from './common';
import { checkWorkloadEntrySpec } from './workload-entry';

/** Label that enrols a ServiceEntry in a waypoint. */
const USE_WAYPOINT = 'istio.io/use-waypoint';
/** Label that opts a ServiceEntry out of IP auto-allocation when `"false"`. */
const AUTOALLOCATE = 'networking.istio.io/enable-autoallocate-ip';

/**
 * Checks one ServiceEntry. Go: `ValidateServiceEntry`.
 * @param r reporter at `spec`
 * @param labels the object's metadata labels (waypoint and auto-allocation opt-out)
 */
export function checkServiceEntry(r: Reporter, spec: Record<string, any>, labels: Record<string, string>): void {
  const before = r.errorCount();
  checkAlphaWorkloadSelector(r.at('workloadSelector'), spec.workloadSelector);
  if (r.errorCount() > before) return; // Istio stops at a bad selector.
  if (isSet(spec.workloadSelector) && isSet(spec.endpoints)) r.error('a ServiceEntry can have a workloadSelector or endpoints, not both');

  const resolution = str(spec.resolution) || 'NONE';
  const hosts = list(spec.hosts).map(str);
  if (hosts.length === 0) r.at('hosts').error('a ServiceEntry needs at least one host');
  hosts.forEach((h, i) => {
    if (h === '*') { r.at('hosts', i).error('host "*" is not allowed on a ServiceEntry'); return; }
    const p = wildcardDomainProblem(h);
    if (p) r.at('hosts', i).error(`host ${show(h)} is invalid: ${p}`);
    if (resolution !== 'DYNAMIC_DNS' && isPartialWildcard(h)) r.at('hosts', i).warn(`host ${show(h)} has a partial wildcard; "*" should be the whole first label`);
  });

  const addresses = list(spec.addresses).map(str);
  addresses.forEach((a, i) => checkIpOrCidr(r.at('addresses', i), a));
  if (addresses.some((a) => a.includes('/')) && resolution !== 'NONE' && resolution !== 'STATIC') {
    r.at('addresses').error('CIDR addresses are only allowed with resolution NONE or STATIC');
  }

  // Go: `ShouldV2AutoAllocateIPFromConfig` (on by default; never for resolution NONE; opt-out label).
  const autoAllocate = resolution !== 'NONE' && (labels[AUTOALLOCATE] ?? '').toLowerCase() !== 'false';
  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  list(spec.ports).forEach((p, i) => {
    const at = r.at('ports', i);
    if (!isObject(p)) { at.error('a port is null'); return; }
    if (portNames.has(str(p.name))) at.at('name').error(`port name ${show(p.name)} is defined twice`);
    portNames.add(str(p.name));
    if (portNumbers.has(num(p.number))) at.at('number').error(`port ${num(p.number)} is defined twice`);
    portNumbers.add(num(p.number));
    if (num(p.targetPort) !== 0) checkPortNumber(at.at('targetPort'), p.targetPort, 'targetPort');
    if (addresses.length === 0 && !autoAllocate && (str(p.protocol) === '' || p.protocol === 'TCP')) {
      at.warn('a TCP (or unset-protocol) port needs addresses when IP auto-allocation is off');
    }
    checkPortName(at.at('name'), p.name);
    checkProtocol(at.at('protocol'), p.protocol);
    checkPortNumber(at.at('number'), p.number);
  });

  const endpoints = list(spec.endpoints);
  switch (resolution) {
    case 'NONE':
      if (endpoints.length > 0) r.at('endpoints').error('resolution NONE cannot have endpoints');
      if (isSet(spec.workloadSelector)) r.at('workloadSelector').warn('a workloadSelector has no effect with resolution NONE');
      break;
    case 'STATIC':
      endpoints.forEach((ep, i) => {
        if (!isObject(ep)) { r.at('endpoints', i).error('an endpoint is null'); return; }
        checkWorkloadEntrySpec(r.at('endpoints', i), ep, { servicePorts: portNames, allowFqdn: false });
      });
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (endpoints.length === 0) {
        const bad = hosts.find((h) => fqdnProblem(h));
        if (bad !== undefined) r.at('hosts').error(`with resolution ${resolution} and no endpoints every host must be an FQDN; ${show(bad)} is not`);
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) r.at('endpoints').error('resolution DNS_ROUND_ROBIN allows at most one endpoint');
      endpoints.forEach((ep, i) => {
        const at = r.at('endpoints', i);
        if (!isObject(ep)) { at.error('an endpoint is null'); return; }
        if (!isIp(ep.address) && fqdnProblem(str(ep.address))) at.at('address').error(`endpoint address ${show(ep.address ?? '')} is neither an IP address nor an FQDN`);
        checkLabelMap(at.at('labels'), ep.labels);
        for (const [name, port] of entries(ep.ports)) {
          if (!portNames.has(name)) at.at('ports', name).error(`endpoint port ${show(name)} is not one of the ServiceEntry's ports`);
          checkPortName(at.at('ports', name), name);
          checkPortNumber(at.at('ports', name), port);
        }
      });
      if (addresses.length > 0 && hosts.length > 1 && list(spec.ports).some((p) => isObject(p) && isTcpProtocol(parseProtocol(p.protocol)))) {
        r.at('hosts').warn('a ServiceEntry with addresses and a TCP port should have one host only (TCP cannot tell the hosts apart)');
      }
      break;
    case 'DYNAMIC_DNS':
      hosts.forEach((h, i) => { if (!isWildcarded(h)) r.at('hosts', i).error(`with resolution DYNAMIC_DNS every host must be wildcarded; ${show(h)} is not`); });
      if (addresses.length > 0) r.at('addresses').error('addresses cannot be set with resolution DYNAMIC_DNS');
      if (endpoints.length > 0) r.at('endpoints').error('endpoints cannot be set with resolution DYNAMIC_DNS');
      list(spec.ports).forEach((p, i) => {
        const proto = isObject(p) ? parseProtocol(p.protocol) : undefined;
        if (proto !== 'HTTP' && proto !== 'TLS' && proto !== 'GRPC' && proto !== 'HTTP2') {
          r.at('ports', i, 'protocol').error('resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports');
        }
      });
      if (spec.location !== 'MESH_EXTERNAL' && spec.location !== 'MESH_INTERNAL') r.at('location').error('resolution DYNAMIC_DNS needs location MESH_EXTERNAL or MESH_INTERNAL');
      if (spec.location === 'MESH_INTERNAL' && usesWaypoint(labels)) r.at('location').error('location MESH_INTERNAL with resolution DYNAMIC_DNS is not supported when the ServiceEntry uses a waypoint');
      break;
    default:
      r.at('resolution').error(`resolution ${show(spec.resolution)} is not supported`);
  }

  if (resolution !== 'NONE' && hosts.length > 1) {
    const bad = list(spec.ports).find((p) => isObject(p) && !isHttpProtocol(parseProtocol(p.protocol)) && !isTlsProtocol(parseProtocol(p.protocol)));
    if (bad) r.at('ports').error('with several hosts and a resolution other than NONE, every port must be HTTP or TLS (plain TCP cannot tell the hosts apart)');
  }
  checkExportTo(r.at('exportTo'), spec.exportTo, { serviceEntry: true });
}

function usesWaypoint(labels: Record<string, string>): boolean {
  const v = labels[USE_WAYPOINT];
  return v !== undefined && v !== '' && v.toLowerCase() !== 'none';
}
