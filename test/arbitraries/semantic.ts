/**
 * Strictly valid props of CanaryService and TcpIngress, whose meaning the property tests check
 * (test/properties.test.ts: the split and the routes are kept), and the corruptions that make them
 * invalid in one known way. Built from real value-type instances (not recipes); the fuzzer also
 * draws from them (test/arbitraries/builders.ts).
 */
import * as fc from 'fast-check';
import {
  CanaryServiceProps, Duration, IngressGateway, Protocol, ServiceRef, StringMatch, TcpIngressProps,
} from '../../src';
import { hostname, label, urlPath } from './primitives';

/** The gateway the strictly valid props bind to: HTTP 80, TCP 31400, TLS 15443. */
export const strictIngress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system',
  ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 31400, protocol: Protocol.TCP }, { port: 15443, protocol: Protocol.TLS }],
});
/** The Service of the strictly valid props: HTTP 8080 and TCP 31400. */
export const strictService = ServiceRef.fromName('app', { namespace: 'prod', ports: [{ port: 8080 }, { port: 31400, protocol: Protocol.TCP }] });

/** One valid HttpMatch. */
export const strictMatch = fc.oneof(
  urlPath.map((p) => ({ uri: StringMatch.exact(p) })),
  urlPath.map((p) => ({ uri: StringMatch.prefix(p) })),
  fc.tuple(label, label).map(([h, v]) => ({ headers: { [h]: StringMatch.exact(v) } })),
  label.map((v) => ({ userAgent: StringMatch.regex(`.*${v}.*`) })),
  fc.tuple(label, label).map(([k, v]) => ({ sourceLabels: { [k]: v } })),
  fc.constantFrom('GET', 'POST').map((m) => ({ method: StringMatch.exact(m) })),
);

/** Valid CanaryService props: 1-5 distinct versions, a positive total, routes to declared versions. */
export const validCanaryProps: fc.Arbitrary<CanaryServiceProps> = fc.uniqueArray(label, { minLength: 1, maxLength: 5 })
  .chain((names) => fc.record({
    weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: names.length, maxLength: names.length })
      .filter((w) => w.some((x) => x > 0)),
    routes: fc.array(fc.record({ match: fc.array(strictMatch, { minLength: 1, maxLength: 3 }), to: fc.constantFrom(...names) }), { maxLength: 3 }),
    mirror: fc.option(fc.record({ version: fc.constantFrom(...names), percentage: fc.double({ min: 0, max: 100, noNaN: true }) }), { nil: undefined }),
    timeoutMs: fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }),
    attempts: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    hosts: fc.option(fc.uniqueArray(hostname, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    port: fc.constantFrom(undefined, 8080),
    // Istio accepts 0 or 0.0001-100 (validatePercentage).
    abortPct: fc.option(fc.oneof(fc.constant(0), fc.double({ min: 0.0001, max: 100, noNaN: true })), { nil: undefined }),
    maxConnections: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  }).map((r) => ({
    service: strictService,
    port: r.port,
    versions: names.map((name, i) => ({ name, weight: r.weights[i] })),
    routes: r.routes,
    mirror: r.mirror,
    timeout: r.timeoutMs !== undefined ? Duration.millis(r.timeoutMs) : undefined,
    retries: r.attempts !== undefined ? { attempts: r.attempts, perTryTimeout: Duration.seconds(2) } : undefined,
    gateway: r.hosts ? { gateway: strictIngress, hosts: r.hosts } : undefined,
    fault: r.abortPct !== undefined ? { abort: { httpStatus: 503, percentage: r.abortPct } } : undefined,
    trafficPolicy: r.maxConnections !== undefined ? { connectionPool: { tcp: { maxConnections: r.maxConnections } }, outlierDetection: { consecutive5xxErrors: 5 } } : undefined,
  })));

/** Valid TcpIngress props. */
export const validTcpProps: fc.Arbitrary<TcpIngressProps> = fc.record({
  name: label,
  gateway: fc.boolean(),
  versions: fc.option(fc.uniqueArray(label, { minLength: 1, maxLength: 4 }).chain((names) =>
    fc.array(fc.integer({ min: 1, max: 100 }), { minLength: names.length, maxLength: names.length }).map((w) => names.map((name, i) => ({ name, weight: w[i] })))), { nil: undefined }),
  sni: fc.option(fc.uniqueArray(hostname, { minLength: 1, maxLength: 2 }), { nil: undefined }),
}).map((r) => ({
  name: r.name,
  backend: strictService,
  port: r.gateway ? (r.sni ? 15443 : 31400) : 31400,
  backendPort: 31400,
  gateway: r.gateway ? strictIngress : undefined,
  versions: r.versions,
  tlsPassthrough: r.gateway && r.sni ? { sniHosts: r.sni } : undefined,
}));

type Change = (p: any) => any;

/** Corruptions of CanaryService props: each makes them invalid in one way Istio (or the library) refuses. */
export const corruptCanary: fc.Arbitrary<Change> = fc.oneof(
  fc.integer({ max: -1 }).map((w) => (p: any) => ({ ...p, versions: [...p.versions, { name: 'zz-neg', weight: w }] })),
  fc.constant((p: any) => ({ ...p, versions: p.versions.map((v: any) => ({ ...v, weight: 0 })) })),
  fc.constant((p: any) => ({ ...p, versions: [...p.versions, p.versions[0]] })),
  fc.stringMatching(/^[A-Z_.]{1,5}$/).map((n) => (p: any) => ({ ...p, versions: [...p.versions, { name: n, weight: 1 }] })),
  fc.constant((p: any) => ({ ...p, routes: [{ match: [{ uri: StringMatch.prefix('/') }], to: 'not-a-version' }] })),
  fc.constant((p: any) => ({ ...p, mirror: { version: 'not-a-version' } })),
  fc.integer({ min: 65536 }).map((port) => (p: any) => ({ ...p, gateway: { gateway: strictIngress, hosts: ['a.example.com'], port } })),
  fc.constant((p: any) => ({ ...p, gateway: { gateway: strictIngress, hosts: ['*.example.com'] } })),
  fc.constant((p: any) => ({ ...p, port: 9999 })),
);

/** Arbitrary junk in one CanaryService field: it may happen to be valid. */
export const junkCanary: fc.Arbitrary<Change> = fc.oneof(
  fc.anything().map((junk) => (p: any) => ({ ...p, versions: [{ name: 'v1', weight: junk }] })),
  fc.anything().map((junk) => (p: any) => ({ ...p, name: junk })),
  fc.anything().map((junk) => (p: any) => ({ ...p, versions: [{ name: junk, weight: 1 }] })),
  fc.anything().map((junk) => (p: any) => ({ ...p, mirror: { version: p.versions[0].name, percentage: junk } })),
  // the factory call is part of the change, so a factory that refuses junk is a refusal of the props
  fc.anything().map((junk) => (p: any) => ({ ...p, routes: [{ match: [{ uri: StringMatch.regex(junk as string) }], to: p.versions[0].name }] })),
);

/** Corruptions of TcpIngress props. */
export const corruptTcp: fc.Arbitrary<Change> = fc.oneof(
  fc.integer({ min: 65536 }).map((port) => (p: any) => ({ ...p, port })),
  fc.constant((p: any) => ({ ...p, gateway: strictIngress, port: 8443 })),
  fc.constant((p: any) => ({ ...p, backendPort: 8081 })),
  // Istio ignores sourceSubnet (istio/istio #20024): refused even when it is a valid CIDR
  fc.constant((p: any) => ({ ...p, sourceSubnet: '10.0.0.0/8', tlsPassthrough: undefined })),
  fc.constant((p: any) => ({ ...p, name: 'Bad_Name' })),
  fc.constant((p: any) => ({ ...p, versions: [{ name: 'v1', weight: 0 }] })),
);

/** Arbitrary junk in one TcpIngress field. */
export const junkTcp: fc.Arbitrary<Change> = fc.oneof(
  fc.anything().map((junk) => (p: any) => ({ ...p, port: junk })),
  fc.anything().map((junk) => (p: any) => ({ ...p, sourceSubnet: junk })),
  fc.anything().map((junk) => (p: any) => ({ ...p, sourceLabels: junk })),
);
