/**
 * The values of a gateway release (Istio's Helm `gateway` chart) with the ports its Service must
 * expose: what both engines give the chart once the constructs bound to the gateway have said
 * which ports they need. Engine-free and pure.
 */
import { ErrorCode, IstioConstructError } from './errors';
import { Protocol, ResolvedPort } from './ports';

/** One entry of the gateway chart's `service.ports` (a Kubernetes `ServicePort`). */
export interface GatewayChartServicePort {
  readonly name: string;
  readonly port: number;
  /** The Kubernetes protocol: `TCP`, or `UDP` for an Istio `UDP` port. */
  readonly protocol: string;
  readonly targetPort?: number | string;
  readonly [key: string]: unknown;
}

/**
 * The gateway chart's own `service.ports` (its `values.yaml`: `status-port` 15021, `http2` 80,
 * `https` 443). Setting `service.ports` replaces the whole list, so a release whose values leave it
 * out starts from these when ports are added.
 *
 * @see https://github.com/istio/istio/blob/master/manifests/charts/gateway/values.yaml
 */
export const GATEWAY_CHART_DEFAULT_PORTS: readonly GatewayChartServicePort[] = [
  { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
  { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
  { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
];

/** The Kubernetes Service port protocol of an Istio protocol: `UDP` for UDP, else `TCP`. @internal */
export function kubernetesProtocol(p: Protocol): 'TCP' | 'UDP' {
  return p === Protocol.UDP ? 'UDP' : 'TCP';
}

/** A Kubernetes Service port name: an IANA service name, at most 15 characters. */
const SERVICE_PORT_NAME = /^(?=.{1,15}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Returns a copy of a gateway release's chart `values` whose `service.ports` holds every port of
 * `ports` (the gateway's declared ports and those bound constructs require): the release's own
 * `service.ports` (the chart's defaults when it sets none) first, unchanged, then each port of
 * `ports` whose number is not there yet, as `{ name, port, protocol, targetPort }` (`protocol` is
 * `UDP` for `Protocol.UDP`, else `TCP`). A name another port already uses gets `-<port>` appended
 * (the Istio protocol prefix stays, so protocol selection is unchanged). When no port is missing
 * the values are returned as they are (no `service.ports` is added), so a release renders exactly
 * as the chart does with those values.
 *
 * @param values the release's chart values (not modified).
 * @param ports the ports the gateway Service must expose.
 * @param release the release id, for error messages.
 * @throws IstioConstructError GATEWAY_PORT_NOT_EXPOSED when a port is missing and the values set
 *   `networkGateway` (the chart then writes only the east-west ports and ignores `service.ports`).
 */
export function gatewayValuesWithPorts(values: Readonly<Record<string, unknown>>, ports: readonly ResolvedPort[], release: string): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(values ?? {})) as Record<string, any>;
  const service = (copy.service !== null && typeof copy.service === 'object') ? copy.service as Record<string, unknown> : undefined;
  const declared = Array.isArray(service?.ports) ? service!.ports as GatewayChartServicePort[] : [...GATEWAY_CHART_DEFAULT_PORTS];
  const numbers = new Set(declared.map((p) => Number(p.port)));
  const names = new Set(declared.map((p) => p.name));
  const added: GatewayChartServicePort[] = [];
  for (const p of [...ports].sort((a, b) => a.port - b.port)) {
    if (numbers.has(p.port)) continue;
    numbers.add(p.port);
    const name = [p.name, `${p.name}-${p.port}`, `${p.protocol.toLowerCase()}-${p.port}`, `port-${p.port}`]
      .find((n) => SERVICE_PORT_NAME.test(n) && !names.has(n))!;
    names.add(name);
    added.push({ name, port: p.port, protocol: kubernetesProtocol(p.protocol), targetPort: p.targetPort });
  }
  if (added.length === 0) return copy;
  if (copy.networkGateway) {
    throw new IstioConstructError(ErrorCode.GATEWAY_PORT_NOT_EXPOSED, `releases.${release}.values.service.ports`,
      `gateway release "${release}" sets networkGateway, so its Service has only the east-west ports and cannot expose ${added.map((p) => p.port).join(', ')}`,
      'bind the construct to another gateway, or install this one without networkGateway', 'IstioInstallation');
  }
  copy.service = { ...(service ?? {}), ports: [...declared, ...added] };
  return copy;
}
