/** Client TLS on DestinationRules, and the DISABLE-toward-STRICT conflict across objects. */
import * as pulumi from '@pulumi/pulumi';
import { App, Chart, Testing } from 'cdk8s';
import {
  ClientTlsMode, ErrorCode, MtlsMode, Protocol, ServiceRef, buildPeerAuthentication, buildServiceTrafficPolicy, findMtlsConflicts, manifestsOf,
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

describe('DISABLE toward STRICT', () => {
  const dr = buildServiceTrafficPolicy(disable).destinationRule;

  test('found against a namespace-wide and a mesh-wide STRICT policy, not against PERMISSIVE', () => {
    const nsStrict = buildPeerAuthentication({ namespace: 'bookinfo', mode: MtlsMode.STRICT }).peerAuthentication;
    const meshStrict = buildPeerAuthentication({ meshWide: true, mode: MtlsMode.STRICT }).peerAuthentication;
    const nsPermissive = buildPeerAuthentication({ namespace: 'bookinfo', mode: MtlsMode.PERMISSIVE }).peerAuthentication;
    expect(findMtlsConflicts([dr, nsStrict])).toEqual([expect.objectContaining({ code: ErrorCode.MTLS_CONFLICT, object: 'DestinationRule bookinfo/reviews' })]);
    expect(findMtlsConflicts([meshStrict, dr])).toHaveLength(1);
    expect(findMtlsConflicts([meshStrict, nsPermissive, dr])).toEqual([]);
    expect(findMtlsConflicts([dr])).toEqual([]);
  });

  test('subset-level and port-level DISABLE are found too', () => {
    const nsStrict = buildPeerAuthentication({ namespace: 'bookinfo', mode: MtlsMode.STRICT }).peerAuthentication;
    const portLevel = buildServiceTrafficPolicy({ service: reviews, trafficPolicy: { portLevelSettings: [{ port: 9080, tls: { mode: ClientTlsMode.DISABLE } }] } }).destinationRule;
    expect(findMtlsConflicts([nsStrict, portLevel])[0].message).toContain('port 9080');
  });

  test('cdk8s refuses to synthesize an app where they conflict', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    new ServiceTrafficPolicy(chart, 'plain', disable);
    expect(() => app.synth()).toThrow(/MTLS_CONFLICT/);
    const ok = new App({ outdir: Testing.app().outdir });
    new ServiceTrafficPolicy(new Chart(ok, 'c'), 'plain', disable);
    expect(() => ok.synth()).not.toThrow();
  });

  test('Pulumi flags it with pulumi.log.warn', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    try {
      let dr2!: P.ServiceTrafficPolicy;
      await runPulumi(() => [new P.PeerAuthentication('strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT }), dr2 = new P.ServiceTrafficPolicy('plain', disable)]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('MTLS_CONFLICT'), dr2);
    } finally {
      warn.mockRestore();
    }
  });
});
