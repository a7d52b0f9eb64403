/**
 * Property tests: random valid props always give schema-valid output that keeps the props'
 * meaning; random invalid props always give an IstioConstructError, never a crash or output.
 */
import * as fc from 'fast-check';
import {
  CanaryServiceProps, Duration, IngressGateway, IstioConstructError, Protocol, ServiceRef, StringMatch,
  TcpIngressProps, buildCanaryService, buildTcpIngress, manifestsOf, validateManifests,
} from '../src';

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const path = fc.stringMatching(/^\/[a-z0-9/_-]{0,20}$/);
const hostname = fc.tuple(label, label).map(([a, b]) => `${a}.${b}.example.com`);
const gatewayPorts = [{ port: 80, protocol: Protocol.HTTP }, { port: 31400, protocol: Protocol.TCP }, { port: 15443, protocol: Protocol.TLS }];
const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: gatewayPorts });
const service = ServiceRef.fromName('app', { namespace: 'prod', ports: [{ port: 8080 }, { port: 31400, protocol: Protocol.TCP }] });

const match = fc.oneof(
  path.map((p) => ({ uri: StringMatch.exact(p) })),
  path.map((p) => ({ uri: StringMatch.prefix(p) })),
  fc.tuple(label, label).map(([h, v]) => ({ headers: { [h]: StringMatch.exact(v) } })),
  label.map((v) => ({ userAgent: StringMatch.regex(`.*${v}.*`) })),
  fc.tuple(label, label).map(([k, v]) => ({ sourceLabels: { [k]: v } })),
  fc.constantFrom('GET', 'POST').map((m) => ({ method: StringMatch.exact(m) })),
);

/** Valid CanaryService props: 1-5 distinct versions, a positive total, routes to declared versions. */
const canaryProps: fc.Arbitrary<CanaryServiceProps> = fc.uniqueArray(label, { minLength: 1, maxLength: 5 })
  .chain((names) => fc.record({
    weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: names.length, maxLength: names.length })
      .filter((w) => w.some((x) => x > 0)),
    routes: fc.array(fc.record({ match: fc.array(match, { minLength: 1, maxLength: 3 }), to: fc.constantFrom(...names) }), { maxLength: 3 }),
    mirror: fc.option(fc.record({ version: fc.constantFrom(...names), percentage: fc.double({ min: 0, max: 100, noNaN: true }) }), { nil: undefined }),
    timeoutMs: fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }),
    attempts: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    hosts: fc.option(fc.uniqueArray(hostname, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    port: fc.constantFrom(undefined, 8080),
    abortPct: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    maxConnections: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
  }).map((r) => ({
    service,
    port: r.port,
    versions: names.map((name, i) => ({ name, weight: r.weights[i] })),
    routes: r.routes,
    mirror: r.mirror,
    timeout: r.timeoutMs !== undefined ? Duration.millis(r.timeoutMs) : undefined,
    retries: r.attempts !== undefined ? { attempts: r.attempts, perTryTimeout: Duration.seconds(2) } : undefined,
    gateway: r.hosts ? { gateway: ingress, hosts: r.hosts } : undefined,
    fault: r.abortPct !== undefined ? { abort: { httpStatus: 503, percentage: r.abortPct } } : undefined,
    trafficPolicy: r.maxConnections !== undefined ? { connectionPool: { tcp: { maxConnections: r.maxConnections } }, outlierDetection: { consecutive5xxErrors: 5 } } : undefined,
  })));

/** Valid TcpIngress props. */
const tcpProps: fc.Arbitrary<TcpIngressProps> = fc.record({
  name: label,
  gateway: fc.boolean(),
  versions: fc.option(fc.uniqueArray(label, { minLength: 1, maxLength: 4 }).chain((names) =>
    fc.array(fc.integer({ min: 1, max: 100 }), { minLength: names.length, maxLength: names.length }).map((w) => names.map((name, i) => ({ name, weight: w[i] })))), { nil: undefined }),
  sourceSubnet: fc.option(fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 8, max: 32 })).map(([a, len]) => `${a}.0.0.0/${len}`), { nil: undefined }),
  sni: fc.option(fc.uniqueArray(hostname, { minLength: 1, maxLength: 2 }), { nil: undefined }),
}).map((r) => ({
  name: r.name,
  backend: service,
  port: r.gateway ? (r.sni ? 15443 : 31400) : 31400,
  backendPort: 31400,
  gateway: r.gateway ? ingress : undefined,
  versions: r.versions,
  sourceSubnet: r.sni ? undefined : r.sourceSubnet,
  tlsPassthrough: r.gateway && r.sni ? { sniHosts: r.sni } : undefined,
}));

/** Corruptions of a props object: each makes it invalid in one way Istio (or the library) refuses. */
const corruptCanary = fc.oneof(
  fc.integer({ max: -1 }).map((w) => (p: any) => ({ ...p, versions: [...p.versions, { name: 'zz-neg', weight: w }] })),
  fc.constant((p: any) => ({ ...p, versions: p.versions.map((v: any) => ({ ...v, weight: 0 })) })),
  fc.constant((p: any) => ({ ...p, versions: [...p.versions, p.versions[0]] })),
  fc.stringMatching(/^[A-Z_.]{1,5}$/).map((n) => (p: any) => ({ ...p, versions: [...p.versions, { name: n, weight: 1 }] })),
  fc.constant((p: any) => ({ ...p, routes: [{ match: [{ uri: StringMatch.prefix('/') }], to: 'not-a-version' }] })),
  fc.constant((p: any) => ({ ...p, mirror: { version: 'not-a-version' } })),
  fc.integer({ min: 65536 }).map((port) => (p: any) => ({ ...p, gateway: { gateway: ingress, hosts: ['a.example.com'], port } })),
  fc.constant((p: any) => ({ ...p, gateway: { gateway: ingress, hosts: ['*.example.com'] } })),
  fc.constant((p: any) => ({ ...p, port: 9999 })),
);

/** Arbitrary junk in a field: may happen to be valid, so the library must either refuse it or emit valid objects. */
const junkCanary = fc.oneof(
  fc.anything().map((junk) => (p: any) => ({ ...p, versions: [{ name: 'v1', weight: junk }] })),
  fc.anything().map((junk) => (p: any) => ({ ...p, name: junk })),
  fc.anything().map((junk) => (p: any) => ({ ...p, versions: [{ name: junk, weight: 1 }] })),
  fc.anything().map((junk) => (p: any) => ({ ...p, mirror: { version: p.versions[0].name, percentage: junk } })),
  fc.anything().map((junk) => (p: any) => ({ ...p, routes: [{ match: [{ uri: StringMatch.regex(junk as string) }], to: p.versions[0].name }] })),
);

/** Runs a build: it must either throw IstioConstructError or return schema-valid objects. */
function refusedOrValid(build: () => { objects: any[] }): void {
  let out;
  try {
    out = build();
  } catch (e) {
    expect(e).toBeInstanceOf(IstioConstructError);
    return;
  }
  expect(validateManifests(manifestsOf(out))).toEqual([]);
}

const corruptTcp = fc.oneof(
  fc.integer({ min: 65536 }).map((port) => (p: any) => ({ ...p, port })),
  fc.constant((p: any) => ({ ...p, gateway: ingress, port: 8443 })),
  fc.constant((p: any) => ({ ...p, backendPort: 8081 })),
  fc.constant((p: any) => ({ ...p, sourceSubnet: '300.0.0.0/8', tlsPassthrough: undefined })),
  fc.constant((p: any) => ({ ...p, name: 'Bad_Name' })),
  fc.constant((p: any) => ({ ...p, versions: [{ name: 'v1', weight: 0 }] })),
);

const junkTcp = fc.oneof(
  fc.anything().map((junk) => (p: any) => ({ ...p, port: junk })),
  fc.anything().map((junk) => (p: any) => ({ ...p, sourceSubnet: junk })),
  fc.anything().map((junk) => (p: any) => ({ ...p, sourceLabels: junk })),
);

describe('CanaryService properties', () => {
  test('valid props give schema-valid objects that keep the split and the routes', () => {
    fc.assert(fc.property(canaryProps, (props) => {
      const out = buildCanaryService(props);
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      const subsets = out.destinationRule.spec.subsets!.map((s) => s.name);
      expect(subsets).toEqual(props.versions.map((v) => v.name));
      const http = out.virtualService.spec.http!;
      // every destination names a subset of this DestinationRule
      for (const r of http) for (const d of r.route!) expect(subsets).toContain(d.destination.subset);
      // the default route carries exactly the versions with a positive weight, in proportion
      const live = props.versions.filter((v) => v.weight! > 0);
      const def = http[http.length - 1].route!;
      expect(def.map((d) => d.destination.subset)).toEqual(live.map((v) => v.name));
      if (live.length > 1) expect(def.map((d) => d.weight)).toEqual(live.map((v) => v.weight));
      expect(http).toHaveLength((props.routes?.length ?? 0) + 1);
    }), { numRuns: 150 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(canaryProps, corruptCanary, (props, corrupt) => {
      expect(() => buildCanaryService(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('junk in any field is refused with IstioConstructError or yields valid objects', () => {
    fc.assert(fc.property(canaryProps, junkCanary, (props, junk) => refusedOrValid(() => buildCanaryService(junk(props)))), { numRuns: 1000 });
  });
});

describe('TcpIngress properties', () => {
  test('valid props give schema-valid objects routing to the backend Service port', () => {
    fc.assert(fc.property(tcpProps, (props) => {
      const out = buildTcpIngress(props);
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      const routes = out.virtualService.spec.tcp ?? out.virtualService.spec.tls!;
      for (const d of routes[0].route!) expect(d.destination.port).toEqual({ number: 31400 });
      if (props.gateway) expect(out.virtualService.spec.gateways).toEqual([`istio-system/${props.name}-gateway`]);
    }), { numRuns: 150 });
  });

  test('invalid props throw IstioConstructError, never anything else', () => {
    fc.assert(fc.property(tcpProps, corruptTcp, (props, corrupt) => {
      expect(() => buildTcpIngress(corrupt(props))).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('junk in any field is refused with IstioConstructError or yields valid objects', () => {
    fc.assert(fc.property(tcpProps, junkTcp, (props, junk) => refusedOrValid(() => buildTcpIngress(junk(props)))), { numRuns: 1000 });
  });
});
