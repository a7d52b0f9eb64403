import * as fc from 'fast-check';
import {
  Duration, ErrorCode, GrpcStatus, IstioConstructError, LoadBalancerAlgorithm, Protocol, ServiceRef, StringMatch, TrafficPolicy,
  buildCanaryService, buildServiceTrafficPolicy, manifestsOf, validateManifests,
} from '../src';
import { ServiceTrafficPolicy } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

const svc = ServiceRef.fromName('api', { namespace: 'prod', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 9090, protocol: Protocol.GRPC }] });

describe('ServiceTrafficPolicy', () => {
  test('connection pool, outlier detection, load balancer with warmup and a port-level override', () => {
    const objects = synth((chart) => new ServiceTrafficPolicy(chart, 'api', {
      service: svc,
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: Duration.millis(50), tcpKeepalive: { time: Duration.seconds(30), interval: Duration.seconds(5), probes: 3 } },
          http: { http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 1, maxRetries: 3, idleTimeout: Duration.minutes(5) },
        },
        outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, interval: Duration.seconds(15), baseEjectionTime: Duration.minutes(2), maxEjectionPercent: 50, minHealthPercent: 25 },
        loadBalancer: { algorithm: LoadBalancerAlgorithm.LEAST_REQUEST, warmup: { duration: Duration.seconds(60), minimumPercent: 10, aggression: 1.5 } },
        portLevelSettings: [{ port: 9090, loadBalancer: { algorithm: LoadBalancerAlgorithm.ROUND_ROBIN } }],
      },
    }));
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const tp = find(objects, 'DestinationRule', 'api').spec.trafficPolicy;
    expect(tp.connectionPool.tcp).toEqual({ maxConnections: 100, connectTimeout: '50ms', tcpKeepalive: { time: '30s', interval: '5s', probes: 3 } });
    expect(tp.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(tp.loadBalancer).toEqual({ simple: 'LEAST_REQUEST', warmup: { duration: '60s', minimumPercent: 10, aggression: 1.5 } });
    expect(tp.portLevelSettings).toEqual([{ port: { number: 9090 }, loadBalancer: { simple: 'ROUND_ROBIN' } }]);
    // deprecated fields are never written
    expect(JSON.stringify(objects)).not.toMatch(/consecutiveErrors|"minimumRingSize"/);
  });

  test.each<[string, TrafficPolicy, ErrorCode, string]>([
    ['an empty policy', {}, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy'],
    ['an empty connection pool', { connectionPool: {} }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.connectionPool'],
    ['a negative maxConnections', { connectionPool: { tcp: { maxConnections: -1 } } }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.connectionPool.tcp.maxConnections'],
    ['a connect timeout of 0', { connectionPool: { tcp: { connectTimeout: Duration.seconds(0) } } }, ErrorCode.INVALID_DURATION, 'trafficPolicy.connectionPool.tcp.connectTimeout'],
    ['maxEjectionPercent over 100', { outlierDetection: { maxEjectionPercent: 120 } }, ErrorCode.INVALID_PERCENTAGE, 'trafficPolicy.outlierDetection.maxEjectionPercent'],
    ['an outlier interval of 0', { outlierDetection: { interval: Duration.seconds(0) } }, ErrorCode.INVALID_DURATION, 'trafficPolicy.outlierDetection.interval'],
    ['an empty outlier detection', { outlierDetection: {} }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.outlierDetection'],
    ['warmup minimumPercent over 100', { loadBalancer: { warmup: { duration: Duration.seconds(1), minimumPercent: 150 } } }, ErrorCode.INVALID_PERCENTAGE, 'trafficPolicy.loadBalancer.warmup.minimumPercent'],
    ['warmup aggression 0', { loadBalancer: { warmup: { duration: Duration.seconds(1), aggression: 0 } } }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.loadBalancer.warmup.aggression'],
    ['warmup with RANDOM', { loadBalancer: { algorithm: LoadBalancerAlgorithm.RANDOM, warmup: { duration: Duration.seconds(1) } } }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.loadBalancer.warmup'],
    ['an unknown algorithm', { loadBalancer: { algorithm: 'FASTEST' as LoadBalancerAlgorithm } }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.loadBalancer.algorithm'],
    ['an empty port-level setting', { portLevelSettings: [{ port: 80 }] }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.portLevelSettings[0]'],
    ['a port-level port out of range', { portLevelSettings: [{ port: 0, outlierDetection: { consecutive5xxErrors: 1 } }] }, ErrorCode.PORT_OUT_OF_RANGE, 'trafficPolicy.portLevelSettings[0].port'],
    ['a port listed twice', { portLevelSettings: [{ port: 80, outlierDetection: { consecutive5xxErrors: 1 } }, { port: 80, outlierDetection: { consecutive5xxErrors: 2 } }] }, ErrorCode.INVALID_TRAFFIC_POLICY, 'trafficPolicy.portLevelSettings[1].port'],
  ])('%s is refused', (_t, trafficPolicy, code, path) => {
    const e = errorOf(() => buildServiceTrafficPolicy({ service: svc, trafficPolicy }));
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('CanaryService resilience', () => {
  test('destination-wide and subset-level policies, fault only on the matched route', () => {
    const out = buildCanaryService({
      service: svc,
      port: 80,
      versions: [
        { name: 'v1', weight: 90 },
        { name: 'v2', weight: 10, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 10 } } } },
      ],
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } },
      routes: [{
        match: [{ headers: { 'end-user': StringMatch.exact('testing-user') } }],
        to: 'v1',
        fault: { abort: { httpStatus: 503, percentage: 30 }, delay: { fixedDelay: Duration.seconds(7), percentage: 50 } },
      }],
    });
    expectValid(manifestsOf(out));
    expect(out.destinationRule!.spec.trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 5 } });
    expect(out.destinationRule!.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 10 } } } },
    ]);
    const [matched, fallback] = out.virtualService!.spec.http!;
    expect(matched.fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 30 } }, delay: { fixedDelay: '7s', percentage: { value: 50 } } });
    expect(fallback.fault).toBeUndefined();
  });

  test('gRPC abort', () => {
    const out = buildCanaryService({ service: svc, versions: [{ name: 'v1', weight: 1 }], fault: { abort: { grpcStatus: GrpcStatus.UNAVAILABLE } } });
    expectValid(manifestsOf(out));
    expect(out.virtualService!.spec.http![0].fault).toEqual({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } });
  });

  const v1 = [{ name: 'v1', weight: 1 }];
  test.each<[string, () => unknown, ErrorCode, string]>([
    ['a fault with neither abort nor delay', () => buildCanaryService({ service: svc, versions: v1, fault: {} }), ErrorCode.INVALID_FAULT, 'fault'],
    ['an abort percentage over 100', () => buildCanaryService({ service: svc, versions: v1, fault: { abort: { httpStatus: 500, percentage: 101 } } }), ErrorCode.INVALID_PERCENTAGE, 'fault.abort.percentage'],
    ['an abort status outside 200-600', () => buildCanaryService({ service: svc, versions: v1, fault: { abort: { httpStatus: 700 } } }), ErrorCode.INVALID_FAULT, 'fault.abort.httpStatus'],
    ['an abort with both statuses', () => buildCanaryService({ service: svc, versions: v1, fault: { abort: { httpStatus: 500, grpcStatus: GrpcStatus.INTERNAL } } }), ErrorCode.INVALID_FAULT, 'fault.abort'],
    ['an unknown gRPC status', () => buildCanaryService({ service: svc, versions: v1, fault: { abort: { grpcStatus: 'BROKEN' as GrpcStatus } } }), ErrorCode.INVALID_FAULT, 'fault.abort.grpcStatus'],
    ['a negative delay', () => buildCanaryService({ service: svc, versions: v1, fault: { delay: { fixedDelay: Duration.seconds(-7) } } }), ErrorCode.INVALID_DURATION, 'fault.delay.fixedDelay'],
    ['a delay percentage below 0', () => buildCanaryService({ service: svc, versions: v1, fault: { delay: { fixedDelay: Duration.seconds(1), percentage: -5 } } }), ErrorCode.INVALID_PERCENTAGE, 'fault.delay.percentage'],
    ['retries with zero attempts but a perTryTimeout', () => buildCanaryService({ service: svc, versions: v1, retries: { attempts: 0, perTryTimeout: Duration.seconds(2) } }), ErrorCode.INVALID_RETRIES, 'retries'],
    ['a bad subset-level policy', () => buildCanaryService({ service: svc, versions: [{ name: 'v1', weight: 1, trafficPolicy: { connectionPool: { http: { maxRetries: -2 } } } }] }), ErrorCode.INVALID_TRAFFIC_POLICY, 'versions[0].trafficPolicy.connectionPool.http.maxRetries'],
  ])('%s is refused', (_t, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('ServiceTrafficPolicy properties', () => {
  const dur = fc.integer({ min: 1, max: 3_600_000 }).map((ms) => Duration.millis(ms));
  const count = fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined });
  const pct = fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined });
  const policy: fc.Arbitrary<TrafficPolicy> = fc.record({
    connectionPool: fc.option(fc.record({ tcp: fc.record({ maxConnections: count, connectTimeout: fc.option(dur, { nil: undefined }) }), http: fc.record({ http2MaxRequests: count, maxRequestsPerConnection: count }) }), { nil: undefined }),
    outlierDetection: fc.option(fc.record({ consecutive5xxErrors: fc.integer({ min: 0, max: 100 }), interval: fc.option(dur, { nil: undefined }), maxEjectionPercent: pct }), { nil: undefined }),
    loadBalancer: fc.option(fc.record({ algorithm: fc.constantFrom(LoadBalancerAlgorithm.ROUND_ROBIN, LoadBalancerAlgorithm.LEAST_REQUEST), warmup: fc.option(fc.record({ duration: dur, minimumPercent: pct }), { nil: undefined }) }), { nil: undefined }),
  }).filter((p) => Object.values(p).some((v) => v !== undefined));

  test('valid policies give schema-valid DestinationRules', () => {
    fc.assert(fc.property(policy, (trafficPolicy) => {
      expect(validateManifests(manifestsOf(buildServiceTrafficPolicy({ service: svc, trafficPolicy })))).toEqual([]);
    }), { numRuns: 200 });
  });

  test('out-of-range counts and percentages throw IstioConstructError', () => {
    const bad = fc.oneof(
      fc.integer({ max: -1 }).map((n): TrafficPolicy => ({ connectionPool: { http: { http2MaxRequests: n } } })),
      fc.integer({ min: 101 }).map((n): TrafficPolicy => ({ outlierDetection: { maxEjectionPercent: n } })),
      fc.integer({ max: 0 }).map((n): TrafficPolicy => ({ outlierDetection: { baseEjectionTime: Duration.millis(n) } })),
    );
    fc.assert(fc.property(bad, (trafficPolicy) => {
      expect(() => buildServiceTrafficPolicy({ service: svc, trafficPolicy })).toThrow(IstioConstructError);
    }), { numRuns: 100 });
  });
});
