/**
 * S10, traffic and resilience parts: the bookinfo walkthrough (seed 001). The gateway exposes only
 * the five productpage paths; `details` gets its own VirtualService; `reviews` goes through
 * shifting (15/25/60), two A/B tests and mirroring; productpage gets a circuit breaker; ratings and
 * details get faults. One stage per chart.
 */
import {
  CanaryServiceProps, Duration, HttpMatch, Protocol, ServiceRef, StringMatch,
} from '../../src';
import { istioIngressGateway } from '../shared';

export const stages = [
  'base', 'reviews-shifting', 'reviews-end-user', 'reviews-user-agent', 'reviews-mirror', 'productpage-circuit-breaker', 'faults',
] as const;
export type Stage = typeof stages[number];

const ns = 'default';
const http9080 = [{ port: 9080, protocol: Protocol.HTTP }];
const productpage = ServiceRef.fromName('productpage', { namespace: ns, ports: http9080 });
const details = ServiceRef.fromName('details', { namespace: ns, ports: http9080 });
const reviews = ServiceRef.fromName('reviews', { namespace: ns, ports: http9080 });
const ratings = ServiceRef.fromName('ratings', { namespace: ns, ports: http9080 });

const ingress = istioIngressGateway();

/** The five productpage paths the walkthrough exposes (its UI, static files, login/logout and the products API). */
export const productpageMatches: HttpMatch[] = [
  { uri: StringMatch.exact('/productpage') },
  { uri: StringMatch.prefix('/static') },
  { uri: StringMatch.exact('/login') },
  { uri: StringMatch.exact('/logout') },
  { uri: StringMatch.prefix('/api/v1/products') },
];

/** `bookinfo` on `bookinfo-gateway`: only these paths reach productpage, everything else is 404. */
export const bookinfo: CanaryServiceProps<'v1'> = {
  name: 'bookinfo',
  service: productpage,
  versions: [{ name: 'v1', weight: 100 }],
  routes: [{
    name: 'productpage',
    match: productpageMatches,
    to: 'v1',
  }],
  routeUnmatched: false,
  gateway: {
    gateway: ingress,
    gatewayName: 'bookinfo-gateway',
    // The walkthrough serves any host; the opt-in makes that choice visible.
    hosts: ['*'],
    allowWildcardHosts: true,
    includeMesh: false,
  },
};

export const detailsRoute: CanaryServiceProps<'v1'> = { service: details, versions: [{ name: 'v1', weight: 100 }] };

type Reviews = CanaryServiceProps<'v1' | 'v2' | 'v3'>;
const reviewsVersions = (v1: number, v2: number, v3: number): Reviews['versions'] =>
  [{ name: 'v1', percent: v1 }, { name: 'v2', percent: v2 }, { name: 'v3', percent: v3 }];

export const reviewsStages: Record<Exclude<Stage, 'base' | 'productpage-circuit-breaker' | 'faults'>, Reviews> = {
  'reviews-shifting': { service: reviews, versions: reviewsVersions(15, 25, 60) },
  'reviews-end-user': {
    service: reviews,
    versions: reviewsVersions(0, 100, 0),
    routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('quentin') } }], to: 'v3' }],
  },
  'reviews-user-agent': {
    service: reviews,
    versions: reviewsVersions(0, 100, 0),
    routes: [{ match: [{ userAgent: StringMatch.regex('.*Mobile.*') }], to: 'v3' }],
  },
  'reviews-mirror': {
    service: reviews,
    versions: reviewsVersions(0, 100, 0),
    mirror: { version: 'v3', percentage: 100 },
  },
};

/**
 * Circuit breaker on productpage: one connection, three concurrent requests, no keep-alive. The
 * stage is applied on top of base, so it is base's `bookinfo` with a traffic policy: the same
 * DestinationRule, replaced. A second DestinationRule for productpage would be merged into the
 * first by Istio, and its circuit breaker dropped (the analysis reports that as ICA0002).
 */
export const productpageCircuitBreaker: CanaryServiceProps<'v1'> = {
  ...bookinfo,
  trafficPolicy: {
    connectionPool: { tcp: { maxConnections: 1 }, http: { http2MaxRequests: 3, maxRequestsPerConnection: 1 } },
  },
};

/** ratings: 403 for 30% of the requests of end-user testing-user; everyone else is unaffected. */
export const ratingsFault: CanaryServiceProps<'v1'> = {
  service: ratings,
  versions: [{ name: 'v1', weight: 100 }],
  routes: [{
    match: [{ headers: { 'end-user': StringMatch.exact('testing-user') } }],
    to: 'v1',
    fault: { abort: { httpStatus: 403, percentage: 30 } },
  }],
};

/** details: a 7s delay on half of the requests. */
export const detailsFault: CanaryServiceProps<'v1'> = {
  service: details,
  versions: [{ name: 'v1', weight: 100 }],
  fault: { delay: { fixedDelay: Duration.seconds(7), percentage: 50 } },
};
