/**
 * gatewayValuesWithPorts: the gateway chart values both engines send once constructs bound to a
 * managed gateway have required their ports; checked against the real `gateway` chart rendered by
 * a real helm (its values.schema.json and templates/service.yaml).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '../scripts/helm';
import { ErrorCode, Manifest, Protocol } from '../src';
import { GATEWAY_CHART_DEFAULT_PORTS, gatewayValuesWithPorts } from '../src/core/gateway-service-values';
import { errorOf, expectValid, find } from './helpers';
import { port } from './installation-plan-fixture';

const GATEWAY_CHART = path.resolve(__dirname, '../../shared/istio/charts/gateway');

test('the defaults are the gateway chart\'s own service.ports (values.yaml)', () => {
  const chartValues = fs.readFileSync(path.join(GATEWAY_CHART, 'values.yaml'), 'utf8');
  const defaults = (parseAllDocuments(chartValues)[0].toJS() as any)._internal_defaults_do_not_set.service.ports;
  expect(defaults).toEqual(GATEWAY_CHART_DEFAULT_PORTS);
});

test('nothing missing: the values come back as they are, without a service.ports replacing the chart\'s', () => {
  const values = { service: { type: 'ClusterIP' }, labels: { 'gateway-name': 'echo' } };
  expect(gatewayValuesWithPorts(values, [port(80, Protocol.HTTP2, 'http2'), port(15021, Protocol.HTTP, 'http-status')], 'gw')).toEqual(values);
  expect(gatewayValuesWithPorts({}, [], 'gw')).toEqual({});
});

test('missing ports are appended after the declared ones, by number; names stay unique with their protocol prefix; UDP stays UDP', () => {
  const values = { service: { type: 'LoadBalancer', ports: [{ name: 'http2', port: 8000, protocol: 'TCP', targetPort: 8080 }] } };
  const before = JSON.stringify(values);
  const out = gatewayValuesWithPorts(values, [
    port(31400, Protocol.TCP, 'tcp'), port(8000, Protocol.HTTP, 'http'), port(5353, Protocol.UDP, 'udp'),
    port(31401, Protocol.TCP, 'tcp'), { port: 9443, protocol: Protocol.HTTPS, name: 'http2', targetPort: 19443 },
  ], 'gw');
  expect(out).toEqual({
    service: {
      type: 'LoadBalancer',
      ports: [
        { name: 'http2', port: 8000, protocol: 'TCP', targetPort: 8080 },
        { name: 'udp', port: 5353, protocol: 'UDP', targetPort: 5353 },
        { name: 'http2-9443', port: 9443, protocol: 'TCP', targetPort: 19443 },
        { name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 },
        { name: 'tcp-31401', port: 31401, protocol: 'TCP', targetPort: 31401 },
      ],
    },
  });
  expect(JSON.stringify(values)).toBe(before); // not modified
});

test('networkGateway: the chart writes only the east-west ports, so a required port is refused (templates/service.yaml)', () => {
  const e = errorOf(() => gatewayValuesWithPorts({ networkGateway: 'network1' }, [port(31400, Protocol.TCP, 'tcp')], 'gateway-eastwest'));
  expect([e.code, e.path]).toEqual([ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'releases.gateway-eastwest.values.service.ports']);
  expect(e.message).toContain('cannot expose 31400');
  // The east-west ports themselves are fine.
  expect(gatewayValuesWithPorts({ networkGateway: 'network1', service: { ports: [] } }, [], 'gateway-eastwest')).toEqual({ networkGateway: 'network1', service: { ports: [] } });
});

test('real helm: the gateway chart renders the added port on its Service (S1: 31400 on the ingress gateway)', () => {
  const values = gatewayValuesWithPorts({ service: { type: 'LoadBalancer' } }, [port(31400, Protocol.TCP, 'tcp')], 'gateway-istio-ingress');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-values-'));
  try {
    const file = path.join(dir, 'values.yaml');
    fs.writeFileSync(file, JSON.stringify(values));
    const rendered = execFileSync(helmBinary(), ['template', 'istio-ingress', GATEWAY_CHART, '-n', 'istio-ingress', '-f', file], { encoding: 'utf8' });
    const objects = parseAllDocuments(rendered).map((d) => d.toJS()).filter((o) => o) as Manifest[];
    const service = find(objects, 'Service', 'istio-ingress');
    expect(service.spec.ports.map((p: any) => [p.name, p.port, p.protocol, p.targetPort])).toEqual([
      ['status-port', 15021, 'TCP', 15021], ['http2', 80, 'TCP', 80], ['https', 443, 'TCP', 443], ['tcp', 31400, 'TCP', 31400],
    ]);
    expectValid([service]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
