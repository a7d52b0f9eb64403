/**
 * The ambient-mode analyzers (src/analysis/analyzers/ambient.ts) on small programs, and through
 * the cdk8s App-level analysis. Facts: pilot/pkg/serviceregistry/ambient/authorization.go (ztunnel
 * drops HTTP attributes and does not run CUSTOM/AUDIT), pilot/pkg/model/policyattachment.go
 * (waypoints apply only targetRef policies), waypoints.go (use-waypoint resolution, `none`),
 * pkg/config/analysis/analyzers/util/in_mesh.go (NamespaceInAmbientMode).
 */
import { App, Chart, Testing } from 'cdk8s';
import { Manifest } from '../src/core/manifest';
import { analyze, Diagnostic } from '../src/analysis';
import { AuthorizationAction, PolicyTargetRef, WaypointRef } from '../src';
import { AuthorizationPolicy, MeshNamespace, Waypoint } from '../src/cdk8s';

const ns = (name: string, labels: Record<string, string> = {}): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const authz = (namespace: string, name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec,
});
const waypoint = (namespace: string, name = 'waypoint'): Manifest => ({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
});
const service = (namespace: string, name: string, labels: Record<string, string> = {}): Manifest => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 9080 }] },
});
const serviceEntry = (namespace: string, name: string, labels: Record<string, string> = {}): Manifest => ({
  apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace, labels },
  spec: { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' },
});
const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

const run = (analyzer: string, manifests: Manifest[], external: Manifest[] = []): Diagnostic[] => analyze(manifests, { analyzers: [analyzer], external });
const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.resource}`);

describe('library.AmbientPolicyAnalyzer', () => {
  const A = 'library.AmbientPolicyAnalyzer';

  test('a selector-based policy with HTTP attributes in an ambient namespace: IST0167, naming the attributes and the waypoint alternative', () => {
    const ds = run(A, [ns('bookinfo', AMBIENT), authz('bookinfo', 'get-only', { selector: { matchLabels: { app: 'reviews' } }, rules: [{ to: [{ operation: { methods: ['GET'], paths: ['/r'] } }] }] })]);
    expect(summary(ds)).toEqual(['IST0167 AuthorizationPolicy bookinfo/get-only']);
    expect(ds[0].message).toMatch(/methods, paths/);
    expect(ds[0].message).toMatch(/drops every ALLOW rule/);
    expect(ds[0].message).toMatch(/targetRefs/);
  });

  test('namespace-wide too, DENY says what is denied instead, and `when` keys ztunnel does not evaluate count', () => {
    const ds = run(A, [ns('a', AMBIENT), authz('a', 'deny', { action: 'DENY', rules: [{ from: [{ source: { notNamespaces: ['a'] } }], when: [{ key: 'request.headers[x]', values: ['1'] }] }] })]);
    expect(summary(ds)).toEqual(['IST0167 AuthorizationPolicy a/deny']);
    expect(ds[0].message).toMatch(/request\.headers\[x\]/);
    expect(ds[0].message).toMatch(/denies on the rest/);
  });

  test.each(['CUSTOM', 'AUDIT'])('a %s policy: ztunnel does not apply it', (action) => {
    const ds = run(A, [ns('a', AMBIENT), authz('a', 'p', { action, ...(action === 'CUSTOM' ? { provider: { name: 'x' } } : {}), rules: [{}] })]);
    expect(ds.map((d) => [d.code, d.path])).toEqual([['IST0167', 'spec.action']]);
  });

  test('nothing for: L4 fields, targetRefs policies, sidecar namespaces, ambient labels overridden by injection, undeclared namespaces', () => {
    const l7 = { rules: [{ to: [{ operation: { methods: ['GET'] } }] }] };
    expect(run(A, [
      ns('a', AMBIENT), authz('a', 'l4', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/a/sa/x'] } }], to: [{ operation: { ports: ['80'] } }], when: [{ key: 'source.ip', values: ['1.2.3.4'] }] }] }),
      authz('a', 'at-waypoint', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], ...l7 }),
      ns('b', { 'istio-injection': 'enabled' }), authz('b', 'sidecars', l7),
      ns('c', { ...AMBIENT, 'istio.io/rev': 'canary' }), authz('c', 'rev-wins', l7),
      authz('d', 'unknown-namespace', l7),
    ])).toEqual([]);
  });
});

describe('library.WaypointReferenceAnalyzer', () => {
  const W = 'library.WaypointReferenceAnalyzer';

  test('a use-waypoint label naming a waypoint the program does not declare: IST0101, on every kind that carries it', () => {
    const use = (name: string, namespace?: string) => ({ 'istio.io/use-waypoint': name, ...(namespace ? { 'istio.io/use-waypoint-namespace': namespace } : {}) });
    const ds = run(W, [
      waypoint('bookinfo'),
      ns('bookinfo', { ...AMBIENT, ...use('waypoint') }), // declared: fine
      ns('shop', { ...AMBIENT, ...use('waypoint') }), // looks in shop: not declared
      service('bookinfo', 'reviews', use('reviews-waypoint')),
      serviceEntry('shop', 'httpbin', use('waypoint', 'bookinfo')), // declared in bookinfo: fine
      serviceEntry('shop', 'other', use('egress', 'istio-egress')),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ratings', namespace: 'bookinfo' }, spec: { selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r', ...use('pods') } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    ]);
    expect(summary(ds).sort()).toEqual([
      'IST0101 Deployment bookinfo/ratings', 'IST0101 Namespace shop', 'IST0101 Service bookinfo/reviews', 'IST0101 ServiceEntry shop/other',
    ]);
    expect(ds.find((d) => d.resource === 'Namespace shop')!.message).toMatch(/"shop\/waypoint"/);
    expect(new Set(ds.map((d) => d.level))).toEqual(new Set(['Warning'])); // the waypoint may be another program's
  });

  test('nothing when the program declares no waypoint, for `none`, or for a waypoint given as external', () => {
    expect(run(W, [ns('a', { ...AMBIENT, 'istio.io/use-waypoint': 'elsewhere' })])).toEqual([]);
    expect(run(W, [waypoint('a'), service('a', 's', { 'istio.io/use-waypoint': 'none' })])).toEqual([]);
    expect(run(W, [waypoint('a'), ns('b', { 'istio.io/use-waypoint': 'ext', 'istio.io/use-waypoint-namespace': 'infra' })], [waypoint('infra', 'ext')])).toEqual([]);
  });
});

describe('library.WaypointTargetAnalyzer', () => {
  const T = 'library.WaypointTargetAnalyzer';
  const toService = (name: string) => authz('a', `to-${name}`, { targetRefs: [{ group: '', kind: 'Service', name }], rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });

  test('a policy that targets a Service (or ServiceEntry) which uses no waypoint: IST0167', () => {
    const ds = run(T, [
      ns('a', AMBIENT), service('a', 'plain'), service('a', 'opted-out', { 'istio.io/use-waypoint': 'none' }), service('a', 'own', { 'istio.io/use-waypoint': 'wp' }),
      serviceEntry('a', 'ext'),
      toService('plain'), toService('opted-out'), toService('own'),
      authz('a', 'to-ext', { targetRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'ext' }], rules: [{}] }),
    ]);
    expect(ds.map((d) => `${d.code} ${d.resource} ${d.path}`).sort()).toEqual([
      'IST0167 AuthorizationPolicy a/to-ext spec.targetRefs[0]', 'IST0167 AuthorizationPolicy a/to-opted-out spec.targetRefs[0]', 'IST0167 AuthorizationPolicy a/to-plain spec.targetRefs[0]',
    ]);
  });

  test('nothing when the namespace chooses a waypoint, or the Service or namespace is not the program\'s', () => {
    expect(run(T, [ns('a', { ...AMBIENT, 'istio.io/use-waypoint': 'waypoint' }), service('a', 'plain'), toService('plain')])).toEqual([]);
    expect(run(T, [service('a', 'plain'), toService('plain')])).toEqual([]);
    expect(run(T, [ns('a', AMBIENT), toService('plain')], [service('a', 'plain')])).toEqual([]);
  });
});

describe('through the cdk8s App-level analysis', () => {
  test('a library program: the waypoint named by fromName is assumed; an undeclared one is warned about', () => {
    const build = (app: App, wp: 'declared' | 'fromName' | 'missing') => {
      const chart = new Chart(app, 'c');
      const declared = new Waypoint(chart, 'wp', { namespace: 'bookinfo' });
      const ref = wp === 'declared' ? declared.ref : WaypointRef.fromName('shared', 'infra');
      new MeshNamespace(chart, 'ns', { name: 'bookinfo', injection: 'ambient', ...(wp === 'missing' ? { labels: { 'istio.io/use-waypoint': 'nope' } } : { waypoint: ref }) });
      new AuthorizationPolicy(chart, 'p', { name: 'p', namespace: 'bookinfo', targetRefs: [PolicyTargetRef.waypoint(declared.ref)], action: AuthorizationAction.ALLOW, rules: [{ to: [{ methods: ['GET'] }] }] });
      return chart;
    };
    const warnings = (wp: 'declared' | 'fromName' | 'missing') => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const app = Testing.app();
        build(app, wp);
        app.synthYaml();
        return warn.mock.calls.map((c) => String(c[0])).filter((l) => /IST0101/.test(l));
      } finally {
        warn.mockRestore();
      }
    };
    expect(warnings('declared')).toEqual([]);
    expect(warnings('fromName')).toEqual([]);
    expect(warnings('missing')).toEqual([expect.stringMatching(/IST0101.*"bookinfo\/nope"/)]);
  });
});
