/** Client TLS on DestinationRules, and the DISABLE-toward-STRICT conflict across objects. */
import { App, Chart, Testing } from 'cdk8s';
import {
  ClientTlsMode, ErrorCode, Manifest, MtlsMode, Protocol, ServiceRef, analyze, buildPeerAuthentication, buildServiceTrafficPolicy, findMtlsConflicts, manifestsOf,
} from '../src';
import { PeerAuthentication, ServiceTrafficPolicy } from '../src/cdk8s';
import * as P from '../src/pulumi';
import { errorOf, expectValid, runPulumi } from './helpers';

const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const disable = { service: reviews, trafficPolicy: { tls: { mode: ClientTlsMode.DISABLE } } };

describe('client TLS', () => {
  test.each([
    [{ mode: ClientTlsMode.ISTIO_MUTUAL }, { mode: 'ISTIO_MUTUAL' }],
    [{ mode: ClientTlsMode.SIMPLE, sni: 'api.example.com' }, { mode: 'SIMPLE', sni: 'api.example.com' }],
    [{ mode: ClientTlsMode.MUTUAL, credentialName: 'client-cert' }, { mode: 'MUTUAL', credentialName: 'client-cert' }],
    [{ mode: ClientTlsMode.DISABLE }, { mode: 'DISABLE' }],
  ])('%o', (tls, expected) => {
    // Sidecars read credentialName only from a DestinationRule with a workload selector.
    const out = buildServiceTrafficPolicy({ service: reviews, trafficPolicy: { tls }, ...('credentialName' in tls ? { workloadSelector: { app: 'productpage' } } : {}) });
    expectValid(manifestsOf(out));
    expect(out.destinationRule.spec.trafficPolicy!.tls).toEqual(expected);
  });

  test('a namespace-wide host instead of a Service', () => {
    const out = buildServiceTrafficPolicy({ name: 'default', namespace: 'tutorial', host: '*.tutorial.svc.cluster.local', trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } } });
    expectValid(manifestsOf(out));
    expect(out.destinationRule.spec.host).toBe('*.tutorial.svc.cluster.local');
  });

  test.each<[string, () => unknown, ErrorCode, string]>([
    ['MUTUAL without credentials', () => buildServiceTrafficPolicy({ service: reviews, trafficPolicy: { tls: { mode: ClientTlsMode.MUTUAL } } }), ErrorCode.INVALID_TLS, 'trafficPolicy.tls.credentialName'],
    ['ISTIO_MUTUAL with an sni', () => buildServiceTrafficPolicy({ service: reviews, trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL, sni: 'x' } } }), ErrorCode.INVALID_TLS, 'trafficPolicy.tls'],
    ['both service and host', () => buildServiceTrafficPolicy({ service: reviews, host: 'a.b', trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } } }), ErrorCode.CONFLICTING_PROPS, ''],
    ['host "*"', () => buildServiceTrafficPolicy({ name: 'a', namespace: 'a', host: '*', trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } } }), ErrorCode.INVALID_HOST, 'host'],
  ])('%s is refused', (_t, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('DISABLE toward STRICT (library.MtlsConflictAnalyzer, ICA0001)', () => {
  const dr = buildServiceTrafficPolicy(disable).destinationRule;
  const nsStrict = buildPeerAuthentication({ namespace: 'bookinfo', mode: MtlsMode.STRICT }).peerAuthentication;

  test('found against a namespace-wide and a mesh-wide STRICT policy, not against PERMISSIVE', () => {
    const meshStrict = buildPeerAuthentication({ meshWide: true, mode: MtlsMode.STRICT }).peerAuthentication;
    const nsPermissive = buildPeerAuthentication({ namespace: 'bookinfo', mode: MtlsMode.PERMISSIVE }).peerAuthentication;
    expect(findMtlsConflicts([dr, nsStrict])).toEqual([expect.objectContaining({
      code: 'ICA0001', name: 'MtlsModeConflict', level: 'Error', resource: 'DestinationRule bookinfo/reviews',
      analyzer: 'library.MtlsConflictAnalyzer', path: 'spec.trafficPolicy.tls',
    })]);
    expect(findMtlsConflicts([meshStrict, dr])).toHaveLength(1);
    expect(findMtlsConflicts([meshStrict, dr])[0].message).toContain('mesh-wide');
    // The namespace-wide policy overrides the mesh-wide one.
    expect(findMtlsConflicts([meshStrict, nsPermissive, dr])).toEqual([]);
    expect(findMtlsConflicts([dr])).toEqual([]);
    // Another root namespace makes the istio-system policy a plain namespace one.
    expect(findMtlsConflicts([meshStrict, dr], { rootNamespace: 'mesh-root' })).toEqual([]);
  });

  test('analyze runs it by default and reports the same diagnostic', () => {
    const all = analyze([dr, nsStrict]).filter((d) => d.code === 'ICA0001');
    expect(all).toEqual(findMtlsConflicts([dr, nsStrict]));
    expect(analyze([dr, nsStrict], { exclude: ['library.MtlsConflictAnalyzer'] }).filter((d) => d.code === 'ICA0001')).toEqual([]);
  });

  test('subset-level and port-level DISABLE are found too, each at its path', () => {
    const portLevel = buildServiceTrafficPolicy({ service: reviews, trafficPolicy: { portLevelSettings: [{ port: 9080, tls: { mode: ClientTlsMode.DISABLE } }] } }).destinationRule;
    const found = findMtlsConflicts([nsStrict, portLevel]);
    expect(found.map((d) => d.path)).toEqual(['spec.trafficPolicy.portLevelSettings[0].tls']);
    expect(found[0].message).toContain('port 9080');
    const subset = {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r', namespace: 'bookinfo' },
      spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'DISABLE' } } }] },
    };
    expect(findMtlsConflicts([nsStrict, subset]).map((d) => [d.path, d.message.startsWith('subset "v1"')])).toEqual([['spec.subsets[0].trafficPolicy.tls', true]]);
  });

  describe('workload-level PeerAuthentications, through the host\'s Service', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } };
    const workloadPa = (mode: string, matchLabels: Record<string, string>) => ({
      apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: `pa-${mode.toLowerCase()}`, namespace: 'bookinfo' },
      spec: { selector: { matchLabels }, mtls: { mode } },
    });
    const deployment = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'bookinfo' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
    });

    test('a STRICT policy selecting the Service\'s pods conflicts, naming the policy', () => {
      const found = findMtlsConflicts([dr, service, workloadPa('STRICT', { app: 'reviews' })]);
      expect(found).toHaveLength(1);
      expect(found[0].message).toContain('workload-level PeerAuthentication bookinfo/pa-strict');
    });

    test('a STRICT policy selecting only declared workloads behind the Service conflicts; one selecting none does not', () => {
      const v2 = deployment('reviews-v2', { app: 'reviews', version: 'v2' });
      expect(findMtlsConflicts([dr, service, v2, workloadPa('STRICT', { version: 'v2' })])).toHaveLength(1);
      expect(findMtlsConflicts([dr, service, v2, workloadPa('STRICT', { version: 'v3' })])).toEqual([]);
      // Without the Service, a workload-level policy cannot be tied to the host.
      expect(findMtlsConflicts([dr, v2, workloadPa('STRICT', { version: 'v2' })])).toEqual([]);
    });

    test('a PERMISSIVE workload-level policy overrides the namespace\'s STRICT for the Service\'s pods', () => {
      expect(findMtlsConflicts([dr, service, nsStrict, workloadPa('PERMISSIVE', { app: 'reviews' })])).toEqual([]);
      // ...but not when it covers only some of the declared workloads.
      const v1 = deployment('reviews-v1', { app: 'reviews', version: 'v1' });
      const v2 = deployment('reviews-v2', { app: 'reviews', version: 'v2' });
      expect(findMtlsConflicts([dr, service, v1, v2, nsStrict, workloadPa('PERMISSIVE', { version: 'v1' })])).toHaveLength(1);
    });
  });

  test('cdk8s refuses to synthesize an app where they conflict', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    new ServiceTrafficPolicy(chart, 'plain', disable);
    expect(() => app.synth()).toThrow(/ICA0001/);
    const ok = new App({ outdir: Testing.app().outdir });
    new ServiceTrafficPolicy(new Chart(ok, 'c'), 'plain', disable);
    expect(() => ok.synth()).not.toThrow();
  });

  test('the objects Pulumi components register conflict the same way (the stack-wide check is the policy pack\'s)', async () => {
    const registered = await runPulumi(() => [new P.PeerAuthentication('strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT }), new P.ServiceTrafficPolicy('plain', disable)]);
    const found = findMtlsConflicts(registered.map((r) => r.inputs as Manifest));
    expect(found.map((d) => [d.code, d.resource])).toEqual([['ICA0001', 'DestinationRule bookinfo/reviews']]);
  });
});
