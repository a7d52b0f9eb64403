import {
  Duration, ErrorCode, IngressGateway, Protocol, RetryOn, ServiceRef, StringMatch, buildCanaryService,
} from '../src';
import { CanaryService } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const ingress = IngressGateway.fromSelector({ istio: 'ingress' }, {
  namespace: 'istio-ingress', serviceName: 'istio-ingress', ports: [{ port: 80, protocol: Protocol.HTTP }],
});

describe('CanaryService', () => {
  test('weighted split with match routes, mirror, retries, timeout and headers', () => {
    // GIVEN three versions and two ordered routes
    const objects = synth((chart) => new CanaryService(chart, 'reviews', {
      service: reviews,
      versions: [{ name: 'v1', weight: 15 }, { name: 'v2', weight: 25 }, { name: 'v3', weight: 60 }],
      routes: [
        { name: 'quentin', match: [{ headers: { 'end-user': StringMatch.exact('quentin') } }], to: 'v3' },
        { match: [{ userAgent: StringMatch.regex('.*Mobile.*') }, { uri: StringMatch.prefix('/mobile') }], to: [{ version: 'v2', weight: 50 }, { version: 'v3', weight: 50 }] },
      ],
      retries: { attempts: 3, perTryTimeout: Duration.seconds(4), retryOn: [RetryOn.FIVE_XX, '503'] },
      timeout: Duration.seconds(10),
      headers: { request: { set: { 'x-canary': 'true' } }, response: { remove: ['x-envoy-upstream-service-time'] } },
      mirror: { version: 'v3', percentage: 5 },
    }));

    // THEN the objects are schema-valid and match the snapshot
    expectValid(objects);
    expect(objects).toMatchSnapshot();

    // AND one subset per version, selected by the version label
    const dr = find(objects, 'DestinationRule', 'reviews');
    expect(dr.spec.host).toBe('reviews.bookinfo.svc.cluster.local');
    expect(dr.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
      { name: 'v3', labels: { version: 'v3' } },
    ]);
    // AND the routes in order, the weighted default last
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(vs.spec.hosts).toEqual(['reviews.bookinfo.svc.cluster.local']);
    expect(vs.spec.gateways).toBeUndefined();
    const [quentin, mobile, fallback] = vs.spec.http;
    expect(quentin.match).toEqual([{ headers: { 'end-user': { exact: 'quentin' } } }]);
    expect(quentin.route).toEqual([{ destination: { host: 'reviews.bookinfo.svc.cluster.local', subset: 'v3' }, weight: 100 }]);
    expect(mobile.match).toEqual([{ headers: { 'user-agent': { regex: '.*Mobile.*' } } }, { uri: { prefix: '/mobile' } }]);
    expect(mobile.route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v2', 50], ['v3', 50]]);
    expect(fallback.match).toBeUndefined();
    expect(fallback.route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 15], ['v2', 25], ['v3', 60]]);
    // AND the default route's options land on the default route only
    expect(fallback.retries).toEqual({ attempts: 3, perTryTimeout: '4s', retryOn: '5xx,503' });
    expect(fallback.timeout).toBe('10s');
    expect(fallback.mirror).toEqual({ host: 'reviews.bookinfo.svc.cluster.local', subset: 'v3' });
    expect(fallback.mirrorPercentage).toEqual({ value: 5 });
    expect(fallback.headers).toEqual({ request: { set: { 'x-canary': 'true' } }, response: { remove: ['x-envoy-upstream-service-time'] } });
    expect(quentin.retries).toBeUndefined();
    // AND the deprecated mirrorPercent is never written
    expect(JSON.stringify(objects)).not.toContain('mirrorPercent"');
  });

  test('percent split: zero-percent versions keep their subset but get no route', () => {
    const out = buildCanaryService({ service: reviews, versions: [{ name: 'v1', percent: 100 }, { name: 'v2', percent: 0 }] });
    expect(out.destinationRule!.spec.subsets!.map((s) => s.name)).toEqual(['v1', 'v2']);
    expect(out.virtualService!.spec.http![0].route).toEqual([{ destination: { host: 'reviews.bookinfo.svc.cluster.local', subset: 'v1' }, weight: 100 }]);
  });

  test('custom subset labels and a named Service port', () => {
    const svc = ServiceRef.fromName('api', { namespace: 'prod', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 9090, protocol: Protocol.GRPC }] });
    const out = buildCanaryService({ service: svc, port: 9090, versions: [{ name: 'stable', weight: 1, labels: { track: 'stable' } }, { name: 'canary', weight: 1, labels: { track: 'canary' } }] });
    expect(out.destinationRule!.spec.subsets![1]).toEqual({ name: 'canary', labels: { track: 'canary' } });
    expect(out.virtualService!.spec.http![0].route![0].destination.port).toEqual({ number: 9090 });
  });

  test('gateway binding: Gateway on the workload, VirtualService bound as namespace/name plus mesh', () => {
    const objects = synth((chart) => new CanaryService(chart, 'reviews', {
      service: reviews,
      versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
      gateway: { gateway: ingress, hosts: ['reviews.example.com'] },
    }));
    expectValid(objects);
    const gw = find(objects, 'Gateway', 'reviews-gateway');
    expect(gw.metadata.namespace).toBe('bookinfo');
    expect(gw.spec.selector).toEqual({ istio: 'ingress' });
    expect(gw.spec.servers).toEqual([{ port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['reviews.example.com'] }]);
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(vs.spec.gateways).toEqual(['bookinfo/reviews-gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual(['reviews.example.com', 'reviews.bookinfo.svc.cluster.local']);
  });

  test('gateway binding without mesh, only the matched paths exposed', () => {
    const out = buildCanaryService({
      service: reviews,
      versions: [{ name: 'v1', weight: 1 }],
      routes: [{ match: [{ uri: StringMatch.exact('/reviews') }], to: 'v1' }],
      routeUnmatched: false,
      gateway: { gateway: ingress, hosts: ['*'], allowWildcardHosts: true, includeMesh: false, gatewayName: 'public', gatewayNamespace: 'istio-ingress' },
    });
    expect(out.virtualService!.spec.gateways).toEqual(['istio-ingress/public']);
    expect(out.virtualService!.spec.hosts).toEqual(['*']);
    expect(out.virtualService!.spec.http).toHaveLength(1);
    expect(out.gateway!.metadata.namespace).toBe('istio-ingress');
  });

  test('the VirtualService depends on the DestinationRule (subsets exist before routes name them)', () => {
    const out = buildCanaryService({ service: reviews, versions: [{ name: 'v1', weight: 1 }] });
    expect(out.objects.map((o) => o.role)).toEqual(['destination-rule', 'virtual-service']);
    expect(out.objects[1].dependsOn).toEqual(['destination-rule']);
  });

  test('two synths of the same props are identical', () => {
    const props = { service: reviews, versions: [{ name: 'v2', weight: 2 }, { name: 'v1', weight: 1 }] };
    expect(JSON.stringify(synth((c) => new CanaryService(c, 'a', props)))).toBe(JSON.stringify(synth((c) => new CanaryService(c, 'a', props))));
  });
});

describe('CanaryService validation', () => {
  const v = (name: string, weight?: number) => ({ name, weight });
  const cases: Array<[string, () => unknown, ErrorCode, string]> = [
    ['negative weight', () => buildCanaryService({ service: reviews, versions: [v('v1', 10), v('v2', 5), v('v3', -1)] }), ErrorCode.INVALID_WEIGHT, 'versions[2].weight'],
    ['fractional weight', () => buildCanaryService({ service: reviews, versions: [v('v1', 1.5)] }), ErrorCode.INVALID_WEIGHT, 'versions[0].weight'],
    ['all-zero weights', () => buildCanaryService({ service: reviews, versions: [v('v1', 0), v('v2', 0)] }), ErrorCode.ZERO_TOTAL_WEIGHT, 'versions'],
    ['no weights at all', () => buildCanaryService({ service: reviews, versions: [v('v1'), v('v2')] }), ErrorCode.ZERO_TOTAL_WEIGHT, 'versions'],
    ['percents not totalling 100', () => buildCanaryService({ service: reviews, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 20 }] }), ErrorCode.PERCENT_TOTAL, 'versions'],
    ['weights mixed with percents', () => buildCanaryService({ service: reviews, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', weight: 10 }] }), ErrorCode.PERCENT_TOTAL, 'versions[1].weight'],
    ['duplicate version names', () => buildCanaryService({ service: reviews, versions: [v('v1', 1), v('v2', 1), v('v1', 1)] }), ErrorCode.DUPLICATE_VERSION, 'versions[2].name'],
    ['no versions', () => buildCanaryService({ service: reviews, versions: [] }), ErrorCode.NO_VERSIONS, 'versions'],
    ['invalid DNS-1123 version name', () => buildCanaryService({ service: reviews, versions: [v('V1.0', 1)] }), ErrorCode.INVALID_NAME, 'versions[0].name'],
    ['invalid DNS-1123 object name', () => buildCanaryService({ service: reviews, name: 'Reviews_VS', versions: [v('v1', 1)] }), ErrorCode.INVALID_NAME, 'name'],
    ['route to an unknown version', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{ uri: StringMatch.prefix('/') }], to: 'v9' as any }] }), ErrorCode.UNKNOWN_VERSION, 'routes[0].to'],
    ['split to an unknown version', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{ uri: StringMatch.prefix('/') }], to: [{ version: 'v1', weight: 1 }, { version: 'v2' as any, weight: 1 }] }] }), ErrorCode.UNKNOWN_VERSION, 'routes[0].to[1].version'],
    ['mirror to an unknown version', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], mirror: { version: 'v3' as any } }), ErrorCode.UNKNOWN_VERSION, 'mirror.version'],
    ['mirror percentage over 100', () => buildCanaryService({ service: reviews, versions: [v('v1', 1), v('v2', 0)], mirror: { version: 'v2', percentage: 150 } }), ErrorCode.INVALID_PERCENTAGE, 'mirror.percentage'],
    ['route port not on the Service', () => buildCanaryService({ service: reviews, port: 8080, versions: [v('v1', 1)] }), ErrorCode.SERVICE_PORT_NOT_FOUND, 'port'],
    ['route with no match', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [], to: 'v1' }] }), ErrorCode.INVALID_MATCH, 'routes[0].match'],
    ['empty match', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{}], to: 'v1' }] }), ErrorCode.INVALID_MATCH, 'routes[0].match[0]'],
    ['regex that is not RE2', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{ uri: StringMatch.regex('(?<=a)b') }], to: 'v1' }] }), ErrorCode.INVALID_REGEX, 'routes[0].match[0].uri.regex'],
    ['empty prefix', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{ uri: StringMatch.prefix('') }], to: 'v1' }] }), ErrorCode.INVALID_MATCH, 'routes[0].match[0].uri.prefix'],
    ['invalid header name', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{ headers: { 'bad header': StringMatch.exact('x') } }], to: 'v1' }] }), ErrorCode.INVALID_HEADER, 'routes[0].match[0].headers["bad header"]'],
    ['lower-case method', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routes: [{ match: [{ method: StringMatch.exact('get') }], to: 'v1' }] }), ErrorCode.INVALID_METHOD, 'routes[0].match[0].method'],
    ['retries: perTryTimeout with zero attempts', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }), ErrorCode.INVALID_RETRIES, 'retries'],
    ['retries: unknown retryOn', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], retries: { attempts: 2, retryOn: ['5xx', 'bogus'] } }), ErrorCode.INVALID_RETRIES, 'retries.retryOn[1]'],
    ['timeout below 1ms', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], timeout: Duration.millis(0.5) }), ErrorCode.INVALID_DURATION, 'timeout'],
    ['removing the host header on a response', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], headers: { response: { remove: ['host'] } } }), ErrorCode.INVALID_HEADER, 'headers.response.remove[0]'],
    ['lone percent in a header value', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], headers: { request: { set: { 'x-a': '100%' } } } }), ErrorCode.INVALID_HEADER, 'headers.request.set["x-a"]'],
    ['wildcard host on a gateway-bound route without opt-in', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], gateway: { gateway: ingress, hosts: ['*.example.com'] } }), ErrorCode.WILDCARD_HOST, 'gateway.hosts[0]'],
    ['host * with mesh routing', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], gateway: { gateway: ingress, hosts: ['*'], allowWildcardHosts: true } }), ErrorCode.CONFLICTING_PROPS, 'gateway.includeMesh'],
    ['gateway binding without hosts', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], gateway: { gateway: ingress, hosts: [] } }), ErrorCode.HOSTS_REQUIRED, 'gateway.hosts'],
    ['invalid gateway host', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], gateway: { gateway: ingress, hosts: ['foo_bar.com'] } }), ErrorCode.INVALID_HOST, 'gateway.hosts[0]'],
    ['gateway port the gateway Service does not expose', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], gateway: { gateway: ingress, hosts: ['a.example.com'], port: 8080 } }), ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'gateway.port'],
    ['gateway port out of range', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], gateway: { gateway: ingress, hosts: ['a.example.com'], port: 70000 } }), ErrorCode.PORT_OUT_OF_RANGE, 'gateway.port'],
    ['no route at all', () => buildCanaryService({ service: reviews, versions: [v('v1', 1)], routeUnmatched: false }), ErrorCode.CONFLICTING_PROPS, 'routeUnmatched'],
  ];

  test.each(cases)('%s', (_title, fn, code, path) => {
    const e = errorOf(fn);
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
    expect(e.message).toContain('Fix: ');
  });

  test('routes can only name declared versions, at compile time too', () => {
    const e = errorOf(() => buildCanaryService({
      service: reviews,
      versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }],
      routes: [{
        match: [{ uri: StringMatch.prefix('/') }],
        // @ts-expect-error 'v3' is not one of the declared versions ('v1' | 'v2')
        to: 'v3',
      }],
    }));
    expect(e.code).toBe(ErrorCode.UNKNOWN_VERSION);
  });

  test('the message names the construct and the prop path', () => {
    const e = errorOf(() => buildCanaryService({ service: reviews, versions: [v('v1', 10), v('v2', 5), v('v3', -1)] }));
    expect(e.message).toMatch(/^CanaryService "reviews" versions\[2\]\.weight: -1 is not an integer from 0 to 2147483647/);
  });

  test('a cdk8s construct with bad props throws at construction and adds nothing', () => {
    const objects = synth((chart) => {
      expect(() => new CanaryService(chart, 'bad', { service: reviews, versions: [v('v1', 0)] })).toThrow(/ZERO_TOTAL_WEIGHT/);
    });
    expect(objects).toEqual([]);
  });
});
