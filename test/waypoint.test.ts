/**
 * Waypoint: the Gateway API Gateway Istio deploys a waypoint from, its WaypointRef and the
 * use-waypoint labels, in both engines. Facts: `istioctl waypoint generate`
 * (istioctl/pkg/waypoint/waypoint.go: class istio-waypoint, listener mesh 15008 HBONE,
 * istio.io/waypoint-for, istio.io/rev), pilot/pkg/serviceregistry/ambient/waypoints.go
 * (use-waypoint resolution, allowedRoutes of the HBONE listener, traffic types),
 * pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go (infrastructure labels and
 * annotations, ConfigMap parametersRef).
 */
import * as fc from 'fast-check';
import {
  ErrorCode, IstioConstructError, WaypointNamespaces, WaypointProps, WaypointRef, WaypointTrafficType, buildWaypoint, validateManifests,
} from '../src';
import { MeshNamespace, Waypoint } from '../src/cdk8s';
import { Waypoint as PulumiWaypoint } from '../src/pulumi';
import { realize } from './arbitraries/recipe';
import { waypointProps } from './arbitraries/waypoint';
import { errorOf, expectValid, find, runPulumi, synth } from './helpers';

const gatewayOf = (props: WaypointProps) => buildWaypoint(props).gateway as any;
/** An annotation value longer than the Gateway API's 4096 characters, and a key prefix of 253 (the CEL rule wants fewer). */
const LONG_VALUE = 'y'.repeat(4097);
const LONG_PREFIX = `${'a'.repeat(253)}/x`;
const short = (v: unknown) => JSON.stringify(v, (_, x) => (x === LONG_VALUE ? 'y×4097' : x)).replace(LONG_PREFIX, 'a×253/x');

describe('Waypoint', () => {
  test('cdk8s: a Gateway of class istio-waypoint, and a namespace that uses it (snapshot)', () => {
    const objects = synth((chart) => {
      const waypoint = new Waypoint(chart, 'waypoint', { namespace: 'bookinfo' });
      new MeshNamespace(chart, 'bookinfo', { name: 'bookinfo', injection: 'ambient', waypoint: waypoint.ref });
      new Waypoint(chart, 'egress', {
        name: 'egress-waypoint', namespace: 'istio-egress', waypointFor: WaypointTrafficType.ALL, revision: '1-31-0',
        allowedNamespaces: WaypointNamespaces.SELECTOR, namespaceSelector: { 'egress-allowed': 'true' },
        infrastructure: { labels: { team: 'platform' }, annotations: { 'example.com/owner': 'platform team' }, parametersRef: 'waypoint-params' },
      });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const gw = find(objects, 'Gateway', 'waypoint');
    expect([gw.apiVersion, gw.metadata.namespace, gw.spec.gatewayClassName]).toEqual(['gateway.networking.k8s.io/v1', 'bookinfo', 'istio-waypoint']);
    expect(gw.spec.listeners).toEqual([{ name: 'mesh', port: 15008, protocol: 'HBONE' }]);
    expect(gw.metadata.labels['istio.io/waypoint-for']).toBe('service');
    expect(find(objects, 'Namespace', 'bookinfo').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    // the parametersRef group is the core group, kept as '' through cdk8s
    expect(find(objects, 'Gateway', 'egress-waypoint').spec.infrastructure.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name: 'waypoint-params' });
  });

  test('the Gateway is admitted against the Gateway API v1.6 CRD (schema and CEL), which does refuse a broken one', () => {
    const gw = gatewayOf({ namespace: 'a', allowedNamespaces: WaypointNamespaces.ALL, infrastructure: { parametersRef: 'p' } });
    expectValid([gw]);
    expect(validateManifests([{ ...gw, spec: { ...gw.spec, listeners: [{ name: 'mesh', protocol: 'HBONE' }] } }])).not.toEqual([]);
    expect(validateManifests([{ ...gw, spec: { ...gw.spec, listeners: [gw.spec.listeners[0], gw.spec.listeners[0]] } }])).not.toEqual([]);
  });

  // The mesh listener's allowedRoutes decides which namespaces may use the waypoint (waypoints.go makeWaypointSelector).
  test.each<[WaypointProps, unknown]>([
    [{ namespace: 'a' }, undefined],
    [{ namespace: 'a', allowedNamespaces: WaypointNamespaces.ALL }, { namespaces: { from: 'All' } }],
    [{ namespace: 'a', allowedNamespaces: WaypointNamespaces.SELECTOR, namespaceSelector: { x: 'y' } }, { namespaces: { from: 'Selector', selector: { matchLabels: { x: 'y' } } } }],
  ])('%j: allowedRoutes %j', (props, allowedRoutes) => {
    expect(gatewayOf(props).spec.listeners[0].allowedRoutes).toEqual(allowedRoutes);
  });

  test('waypoint-for is always written (default service); the revision label when given', () => {
    expect(gatewayOf({ namespace: 'a' }).metadata.labels['istio.io/waypoint-for']).toBe('service');
    const gw = gatewayOf({ namespace: 'a', waypointFor: WaypointTrafficType.WORKLOAD, revision: 'prod-stable' });
    expect([gw.metadata.labels['istio.io/waypoint-for'], gw.metadata.labels['istio.io/rev']]).toEqual(['workload', 'prod-stable']);
  });

  describe('WaypointRef.useLabels', () => {
    const same = buildWaypoint({ namespace: 'apps' }).ref;
    const shared = buildWaypoint({ name: 'shared', namespace: 'istio-egress', allowedNamespaces: WaypointNamespaces.ALL }).ref;

    test('the name, plus the namespace label when the user is in another namespace', () => {
      expect(same.useLabels('apps')).toEqual({ 'istio.io/use-waypoint': 'waypoint' });
      expect(shared.useLabels('apps')).toEqual({ 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'istio-egress' });
      expect(WaypointRef.fromName('wp', 'infra').useLabels('apps', 'ServiceEntry')).toEqual({ 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'infra' });
    });

    test('a waypoint that accepts only its own namespace is refused for another (Istio: attachment denied)', () => {
      const e = errorOf(() => same.useLabels('other'));
      expect(e.code).toBe(ErrorCode.AMBIENT_UNSUPPORTED);
      expect(e.hint).toMatch(/allowedNamespaces/);
    });

    // fetchWaypointForService / fetchWaypointForWorkload: traffic types.
    test.each<[WaypointTrafficType, 'Service' | 'Pod' | 'Namespace', boolean]>([
      [WaypointTrafficType.SERVICE, 'Service', true],
      [WaypointTrafficType.SERVICE, 'Pod', false],
      [WaypointTrafficType.WORKLOAD, 'Service', false],
      [WaypointTrafficType.WORKLOAD, 'Pod', true],
      [WaypointTrafficType.WORKLOAD, 'Namespace', true],
      [WaypointTrafficType.ALL, 'Pod', true],
      [WaypointTrafficType.NONE, 'Namespace', false],
    ])('a %s waypoint on a %s: taken %s', (waypointFor, kind, taken) => {
      const ref = buildWaypoint({ namespace: 'a', waypointFor }).ref;
      if (taken) expect(ref.useLabels('a', kind)['istio.io/use-waypoint']).toBe('waypoint');
      else expect(errorOf(() => ref.useLabels('a', kind)).code).toBe(ErrorCode.AMBIENT_UNSUPPORTED);
    });

    test('fromName checks its names; "none" is reserved', () => {
      expect(errorOf(() => WaypointRef.fromName('none', 'a')).code).toBe(ErrorCode.INVALID_NAME);
      expect(errorOf(() => WaypointRef.fromName('Waypoint', 'a')).code).toBe(ErrorCode.INVALID_NAME);
      expect(errorOf(() => WaypointRef.fromName('w', 'a.b')).code).toBe(ErrorCode.INVALID_NAME);
      expect(errorOf(() => WaypointRef.fromName(1 as any, 'a')).code).toBe(ErrorCode.INVALID_PROP);
      expect(Waypoint.fromName('w', 'a')).toBeInstanceOf(WaypointRef);
    });

    test('a forged or changed WaypointRef is refused where a construct takes one', () => {
      const forged = Object.create(WaypointRef.prototype);
      expect(errorOf(() => buildWaypoint({ namespace: 'a' }) && require('../src').buildMeshNamespace({ name: 'a', injection: 'ambient', waypoint: forged })).code)
        .toBe(ErrorCode.CONFLICTING_PROPS);
      const changed = WaypointRef.fromName('w', 'a');
      Object.defineProperty(changed, 'name', { value: 'x' });
      expect(errorOf(() => require('../src').buildMeshNamespace({ name: 'a', injection: 'ambient', waypoint: changed })).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
  });

  describe('bad input', () => {
    test.each(([
      [{ name: 'none', namespace: 'a' }, ErrorCode.INVALID_NAME, 'name'],
      [{ name: 'Waypoint', namespace: 'a' }, ErrorCode.INVALID_NAME, 'name'],
      [{ namespace: 'a_b' }, ErrorCode.INVALID_NAME, 'namespace'],
      [{ namespace: 'a', revision: '1.31.0' }, ErrorCode.INVALID_NAME, 'revision'],
      [{ namespace: 'a', allowedNamespaces: WaypointNamespaces.SELECTOR }, ErrorCode.CONFLICTING_PROPS, 'namespaceSelector'],
      [{ namespace: 'a', namespaceSelector: { x: 'y' } }, ErrorCode.CONFLICTING_PROPS, 'namespaceSelector'],
      [{ namespace: 'a', allowedNamespaces: WaypointNamespaces.SELECTOR, namespaceSelector: {} }, ErrorCode.INVALID_LABEL, 'namespaceSelector'],
      [{ namespace: 'a', infrastructure: {} }, ErrorCode.CONFLICTING_PROPS, 'infrastructure'],
      [{ namespace: 'a', infrastructure: { labels: {} } }, ErrorCode.INVALID_LABEL, 'infrastructure.labels'],
      [{ namespace: 'a', infrastructure: { labels: Object.fromEntries([...'abcdefghi'].map((k) => [k, 'x'])) } }, ErrorCode.INVALID_LABEL, 'infrastructure.labels'],
      [{ namespace: 'a', infrastructure: { labels: { 'gateway.networking.k8s.io/gateway-name': 'x' } } }, ErrorCode.INVALID_LABEL, 'infrastructure.labels["gateway.networking.k8s.io/gateway-name"]'],
      [{ namespace: 'a', infrastructure: { labels: { team: 'a b' } } }, ErrorCode.INVALID_LABEL, 'infrastructure.labels.team'],
      [{ namespace: 'a', infrastructure: { annotations: { x: LONG_VALUE } } }, ErrorCode.INVALID_LABEL, 'infrastructure.annotations.x'],
      [{ namespace: 'a', infrastructure: { annotations: { [LONG_PREFIX]: 'y' } } }, ErrorCode.INVALID_LABEL, 'infrastructure.annotations'],
      [{ namespace: 'a', infrastructure: { parametersRef: 'Params' } }, ErrorCode.INVALID_NAME, 'infrastructure.parametersRef'],
      [{ namespace: 'a', waypointFor: 'services' as any }, ErrorCode.INVALID_PROP, 'waypointFor'],
      [{ namespace: 'a', listeners: [] } as any, ErrorCode.UNKNOWN_PROP, 'listeners'],
    ] as Array<[WaypointProps, ErrorCode, string]>).map(([p, c, at]) => [short(p), c, at, p] as const))('%s: %s at %s', (_, code, path, props) => {
      const e = errorOf(() => buildWaypoint(props));
      expect(e.code).toBe(code);
      expect(e.path.startsWith(path)).toBe(true);
    });
  });

  test('property: random props give one admitted Gateway of class istio-waypoint with its mesh listener, or an IstioConstructError', () => {
    fc.assert(fc.property(waypointProps, (recipe) => {
      let out;
      try {
        out = buildWaypoint(realize(recipe) as WaypointProps);
      } catch (e) {
        expect(e).toBeInstanceOf(IstioConstructError);
        return;
      }
      expectValid(out.objects.map((o) => o.manifest));
      const gw = out.gateway as any;
      expect([gw.spec.gatewayClassName, gw.spec.listeners.length, gw.spec.listeners[0].port]).toEqual(['istio-waypoint', 1, 15008]);
      expect(out.ref.name).toBe(gw.metadata.name);
    }), { numRuns: 200 });
  });

  test('Pulumi: one Gateway child, the same object cdk8s writes, and a ref', async () => {
    const props: WaypointProps = { namespace: 'bookinfo', waypointFor: WaypointTrafficType.ALL };
    let component!: PulumiWaypoint;
    const registered = await runPulumi(() => [component = new PulumiWaypoint('bookinfo-waypoint', props)]);
    expect(registered.map((r) => [r.type, r.name])).toEqual([['kubernetes:gateway.networking.k8s.io/v1:Gateway', 'bookinfo-waypoint-gateway']]);
    expect(registered[0].inputs).toEqual(JSON.parse(JSON.stringify(synth((chart) => new Waypoint(chart, 'w', props))[0])));
    expect(component.ref.useLabels('bookinfo', 'Pod')).toEqual({ 'istio.io/use-waypoint': 'waypoint' });
  });

  test('Pulumi: bad args are refused at construction', () => {
    expect(() => new PulumiWaypoint('bad', { name: 'none', namespace: 'a' })).toThrow(IstioConstructError);
  });
});
