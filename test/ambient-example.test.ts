/**
 * The ambient-waypoint example: admitted objects, the values it is about, determinism, and the
 * mistakes it avoids refused.
 */
import { App } from 'cdk8s';
import * as example from '../examples/ambient-waypoint/cdk8s';
import * as props from '../examples/ambient-waypoint/props';
import { DataplaneMode, EgressGateway, ErrorCode, Protocol, analyze, buildAuthorizationPolicy, buildExternalEgress, buildWaypoint } from '../src';
import { errorOf, expectValid, find, synthApp } from './helpers';

const objects = synthApp(example.build)['ambient-waypoint'];

describe('ambient-waypoint example', () => {
  test('every object is admitted, and the analysis finds nothing', () => {
    expectValid(objects);
    expect(analyze(objects, example.analysis)).toEqual([]);
  });

  test('bookinfo: ambient, through its waypoint; L4 at ztunnel, L7 at the waypoint', () => {
    expect(find(objects, 'Namespace', 'bookinfo').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    const gw = objects.find((m) => m.kind === 'Gateway' && m.metadata.namespace === 'bookinfo') as any;
    expect([gw.metadata.name, gw.spec.gatewayClassName, gw.spec.listeners[0]]).toEqual(['waypoint', 'istio-waypoint', { name: 'mesh', port: 15008, protocol: 'HBONE' }]);
    const l4 = find(objects, 'AuthorizationPolicy', 'productpage-ztunnel').spec;
    expect([l4.selector, l4.rules[0].from[0].source.principals]).toEqual([{ matchLabels: { app: 'productpage' } }, ['cluster.local/ns/bookinfo/sa/waypoint']]);
    expect(find(objects, 'AuthorizationPolicy', 'productpage-viewer').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'productpage' }]);
    expect(find(objects, 'AuthorizationPolicy', 'no-delete').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'], ports: ['9080'] } }] }],
    });
  });

  test('egress: the ServiceEntry uses the istio-egress waypoint, which originates TLS and checks who may GET', () => {
    const se = find(objects, 'ServiceEntry', 'httpbin');
    expect([se.metadata.namespace, se.metadata.labels['istio.io/use-waypoint'], se.spec.ports]).toEqual(['istio-egress', 'waypoint', [{ number: 80, protocol: 'HTTP', name: 'http', targetPort: 443 }]]);
    expect(find(objects, 'DestinationRule', 'httpbin-tls').spec.trafficPolicy.portLevelSettings[0].tls).toMatchObject({ mode: 'SIMPLE', sni: 'httpbin.org' });
    expect(find(objects, 'AuthorizationPolicy', 'httpbin-from-bookinfo').spec.targetRefs).toEqual([{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'httpbin' }]);
    expect(objects.filter((m) => m.kind === 'VirtualService')).toEqual([]);
  });

  test('two synths are byte-identical', () => {
    const [a, b] = [new App(), new App()];
    example.build(a);
    example.build(b);
    expect(a.synthYaml()).toBe(b.synthYaml());
  });

  test('refused: the L7 rule as a ztunnel policy, and sidecar egress-gateway routing with a waypoint', () => {
    const asZtunnelPolicy = { ...props.productpageViewer, targetRefs: undefined, selector: { app: 'productpage' }, dataplaneMode: DataplaneMode.AMBIENT };
    expect(errorOf(() => buildAuthorizationPolicy(asZtunnelPolicy)).code).toBe(ErrorCode.AMBIENT_UNSUPPORTED);
    const gateway = EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP }] });
    const ref = buildWaypoint(props.egressWaypoint).ref;
    expect(errorOf(() => buildExternalEgress({ ...props.httpbin(ref), egressGateway: { gateway } })).code).toBe(ErrorCode.AMBIENT_UNSUPPORTED);
  });
});
