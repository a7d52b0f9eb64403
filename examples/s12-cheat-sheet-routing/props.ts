/**
 * S12, routing parts: the Istio cheat sheet (seed 003) on `recommendation` in `tutorial`, one
 * stage per chart, and the `postgresql` TCP route.
 *
 * Corrected seed mistakes: the seed's TCP route matches `sourceSubnet: 172.17.0.0/16`, a field
 * Istio has not read since 1.5 (istio/istio #20024), so its route applies to every client and
 * nothing restricts callers by address. Here the route (5432 → 5555) applies to every client, as
 * Istio applies the seed's, and a DENY AuthorizationPolicy on the `postgresql` workload refuses
 * port 5555 to every source outside 172.17.0.0/16 (a DENY `notIpBlocks`, not an ALLOW `ipBlocks`:
 * an ALLOW policy would also shut the workload's other ports). The seed's `consecutiveErrors` is
 * also corrected (see `outlier-detection`).
 */
import {
  AuthorizationAction, AuthorizationPolicyProps, CanaryServiceProps, Duration, Protocol, RetryOn, ServiceRef, StringMatch, TcpIngressProps,
} from '../../src';

export const stages = [
  'split-90-10', 'split-75-25', 'cookie-and-uri', 'source-labels', 'mirror', 'retries-and-timeout', 'postgresql-tcp',
  'outlier-detection', 'connection-pool',
] as const;
export type Stage = typeof stages[number];

const ns = 'tutorial';
const recommendation = ServiceRef.fromName('recommendation', { namespace: ns, ports: [{ port: 8080, protocol: Protocol.HTTP }] });
const postgresql = ServiceRef.fromName('postgresql', {
  namespace: ns,
  ports: [{ port: 5432, protocol: Protocol.TCP }, { port: 5555, protocol: Protocol.TCP }],
});

type Recommendation = CanaryServiceProps<'version-v1' | 'version-v2'>;
const versions = (v1: number, v2: number): Recommendation['versions'] => [
  { name: 'version-v1', labels: { version: 'v1' }, percent: v1 },
  { name: 'version-v2', labels: { version: 'v2' }, percent: v2 },
];

export const recommendationStages: Record<Exclude<Stage, 'postgresql-tcp'>, Recommendation> = {
  'split-90-10': { service: recommendation, versions: versions(90, 10) },
  'split-75-25': { service: recommendation, versions: versions(75, 25) },
  'cookie-and-uri': {
    service: recommendation,
    versions: versions(100, 0),
    routes: [{
      match: [{ cookie: StringMatch.regex('^(.*?;)?(user=jason)(;.*)?'), uri: StringMatch.prefix('/ratings/v2/') }],
      to: 'version-v2',
    }],
  },
  'source-labels': {
    service: recommendation,
    versions: versions(100, 0),
    routes: [{ match: [{ sourceLabels: { app: 'preference', version: 'v2' } }], to: 'version-v2' }],
  },
  'mirror': { service: recommendation, versions: versions(100, 0), mirror: { version: 'version-v2' } },
  'retries-and-timeout': {
    service: recommendation,
    versions: versions(100, 0),
    retries: { attempts: 3, perTryTimeout: Duration.seconds(4), retryOn: [RetryOn.FIVE_XX, RetryOn.CONNECT_FAILURE] },
    timeout: Duration.seconds(1),
  },
  // The seed's `consecutiveErrors: 5` is deprecated. Istio mapped it to Envoy's consecutive gateway
  // failures (502, 503, 504 only) and turned 5xx ejection off (istio/istio#24087 removed that mapping;
  // istio/api destination_rule.proto: "502, 503, or 504 return code qualifies as an error"), so the
  // seed's intent is consecutiveGatewayErrors: 5 with consecutive5xxErrors: 0, not consecutive5xxErrors.
  'outlier-detection': {
    service: recommendation,
    versions: versions(50, 50),
    trafficPolicy: {
      outlierDetection: {
        consecutiveGatewayErrors: 5, consecutive5xxErrors: 0, interval: Duration.seconds(15), baseEjectionTime: Duration.minutes(2), maxEjectionPercent: 100,
      },
    },
  },
  'connection-pool': {
    service: recommendation,
    versions: versions(50, 50),
    trafficPolicy: {
      connectionPool: {
        http: { http1MaxPendingRequests: 100, http2MaxRequests: 100, maxRequestsPerConnection: 1 },
        tcp: { maxConnections: 100, connectTimeout: Duration.millis(50) },
      },
    },
  },
};

/** Mesh TCP route: clients of postgresql:5432 are sent to port 5555 (whatever their address). */
export const postgresqlRoute: TcpIngressProps = {
  name: 'postgresql',
  backend: postgresql,
  port: 5432,
  backendPort: 5555,
};

/**
 * Only 172.17.0.0/16 reaches port 5555 of the postgresql pods (`app: postgresql`, the Service's
 * selector; the Service port 5555 has targetPort 5555): connections from any other peer address
 * are refused. Behind a proxy or load balancer that keeps the client address, use notRemoteIpBlocks.
 */
export const postgresqlSubnetOnly: AuthorizationPolicyProps = {
  name: 'postgresql-subnet-only',
  namespace: ns,
  selector: { app: 'postgresql' },
  action: AuthorizationAction.DENY,
  rules: [{ from: [{ notIpBlocks: ['172.17.0.0/16'] }], to: [{ ports: [5555] }] }],
};
