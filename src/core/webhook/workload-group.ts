/**
 * Istio's validating-webhook rules for `WorkloadGroup` (Go: `ValidateWorkloadGroup`,
 * `validateReadinessProbe`).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/workload-group/
 * @internal
 */
import { show } from '../errors';
import { Reporter, checkLabelMap, checkPortNumber, isObject, isSet, list, num, str } from './common';

/**
 * Checks one WorkloadGroup spec. Go: `ValidateWorkloadGroup`.
 * @param r reporter at `spec`
 */
export function checkWorkloadGroup(r: Reporter, spec: Record<string, any>): void {
  if (!isSet(spec.template)) { r.at('template').error('a WorkloadGroup needs a template'); return; }
  if (isObject(spec.metadata)) checkLabelMap(r.at('metadata', 'labels'), spec.metadata.labels);
  if (!isObject(spec.probe)) return;
  const probe = spec.probe;
  const at = r.at('probe');
  for (const f of ['periodSeconds', 'initialDelaySeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold']) {
    if (num(probe[f]) < 0) at.at(f).error(`${f} cannot be negative`);
  }
  if (isSet(probe.httpGet)) {
    const h = isObject(probe.httpGet) ? probe.httpGet : {};
    checkPortNumber(at.at('httpGet', 'port'), num(h.port));
    if (str(h.scheme) !== '' && h.scheme !== 'HTTP' && h.scheme !== 'HTTPS') at.at('httpGet', 'scheme').error(`scheme ${show(h.scheme)} is not HTTP or HTTPS`);
    list(h.httpHeaders).forEach((hd, i) => {
      const name = isObject(hd) ? str(hd.name) : '';
      if (!/^[-A-Za-z0-9]+$/.test(name)) at.at('httpGet', 'httpHeaders', i, 'name').error(`probe header name ${show(name)} may only contain letters, digits and "-"`);
    });
  } else if (isSet(probe.tcpSocket)) {
    checkPortNumber(at.at('tcpSocket', 'port'), num(isObject(probe.tcpSocket) ? probe.tcpSocket.port : 0));
  } else if (isSet(probe.exec)) {
    if (list(isObject(probe.exec) ? probe.exec.command : undefined).length === 0) at.at('exec', 'command').error('an exec probe needs a command');
  } else {
    at.error('a probe needs one of httpGet, tcpSocket or exec');
  }
}
