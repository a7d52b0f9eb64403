/**
 * S10 on the Kubernetes Gateway API (seed 001, and Istio's `samples/bookinfo/gateway-api/`): the
 * bookinfo ingress, then the traffic shifting and request routing stages of `reviews`, written by
 * the same constructs as `s10-bookinfo-ingress` and `s10-bookinfo-traffic` with the Gateway API as
 * the program's routing target.
 *
 * - `bookinfo`: the Gateway `bookinfo-gateway` of class `istio` (Istio deploys it: automated
 *   deployment), HTTP on 80 (listener `http`, routes of its own namespace only), and the HTTPRoute
 *   `bookinfo` with the five productpage paths to `productpage:9080`; every other path gets 404.
 *   The mesh routes of every service to its `v1` (GAMMA HTTPRoutes attached to the Service), and
 *   one Service per version (`reviews-v1`, ... selecting `app: reviews, version: v1`), as Istio's
 *   `bookinfo-versions.yaml`: the Gateway API has no subsets.
 * - Each later stage replaces the `reviews` route (and its version Services): 90/10 v1/v2, 50/50
 *   v1/v3, all to v3, the user `jason` to v2 (others v1), and S10's own 15/25/60 shifting, the
 *   `end-user: quentin` A/B test, the `.*Mobile.*` user-agent test and mirroring to v3.
 *
 * Not here: S10's fault injection (403 for `testing-user` on ratings, a 7s delay on details). The
 * Gateway API has no fault injection, and Istio's implementation adds none: a CanaryService with
 * `fault` on this target is refused (TARGET_UNSUPPORTED at `fault`) rather than silently dropped;
 * keep that one construct on the Istio API (`target: { api: RoutingApi.ISTIO }`), which runs side
 * by side with Gateway API routes. The circuit breaker (a DestinationRule `trafficPolicy`) is
 * refused likewise: on this target it is a ServiceTrafficPolicy on the Service.
 */
import {
  CanaryServiceProps, GatewayApiChannel, GatewayProps, GatewayRef, HttpRouteProps, IngressGateway, Protocol, RoutingApi, RoutingTarget, ServiceRef, StringMatch,
} from '../../src';
import { productpageMatches, ratingsFault as istioRatingsFault, reviewsStages as istioReviewsStages } from '../s10-bookinfo-traffic/props';

export const stages = [
  'bookinfo', 'reviews-90-10', 'reviews-50-v3', 'reviews-v3', 'reviews-jason-v2',
  'reviews-shifting', 'reviews-end-user', 'reviews-user-agent', 'reviews-mirror',
] as const;
export type Stage = typeof stages[number];

/** The routing target of the whole program: the Gateway API v1.6 CRDs, standard channel. */
export const gatewayApi: RoutingTarget = { api: RoutingApi.GATEWAY_API, gatewayApiVersion: 'v1.6.0', gatewayApiChannel: GatewayApiChannel.STANDARD };

const ns = 'default';
/**
 * A bookinfo Service (`app: <name>`, HTTP on 9080). The selector is what the version Services
 * select, with the version label.
 */
const bookinfoService = (name: string) => ServiceRef.fromName(name, { namespace: ns, ports: [{ port: 9080, protocol: Protocol.HTTP }], selector: { app: name } });
export const productpage = bookinfoService('productpage');
export const details = bookinfoService('details');
export const ratings = bookinfoService('ratings');
export const reviews = bookinfoService('reviews');

/** The ingress gateway Istio deploys for `bookinfo-gateway` (a Deployment and Service `bookinfo-gateway-istio` in `default`). */
export const ingressGateway = IngressGateway.automated({ namespace: ns });

/** `bookinfo-gateway`: HTTP on 80 for any host, as in the walkthrough; the listener is named `http`. */
export const bookinfoGateway: GatewayProps = {
  name: 'bookinfo-gateway',
  namespace: ns,
  workload: ingressGateway,
  servers: [{ port: 80, protocol: Protocol.HTTP, hosts: ['*'], portName: 'http' }],
  // The walkthrough serves any host; the opt-in makes that choice visible.
  allowWildcardHosts: true,
};

/** `bookinfo`: the five productpage paths through the gateway to the productpage Service; every other request gets 404. */
export const bookinfoRoute = (gateway: GatewayRef): HttpRouteProps => ({
  name: 'bookinfo',
  namespace: ns,
  destination: productpage,
  port: 9080,
  gateways: [gateway],
  hosts: ['*'],
  allowWildcardHosts: true,
  rules: [{ match: productpageMatches }],
  routeUnmatched: false,
});

type Versions = 'v1' | 'v2' | 'v3';
type Reviews = CanaryServiceProps<Versions>;

/** Every mesh caller of a single-version service gets its v1 (Istio's `route-all-v1.yaml`). */
const allToV1 = (service: ServiceRef): CanaryServiceProps<'v1'> => ({ service, versions: [{ name: 'v1', weight: 100 }] });
export const productpageV1 = allToV1(productpage);
export const detailsV1 = allToV1(details);
export const ratingsV1 = allToV1(ratings);

/** reviews across its three versions: a Service for each, and these percentages. */
const split = (v1: number, v2: number, v3: number): Reviews['versions'] =>
  [{ name: 'v1', percent: v1 }, { name: 'v2', percent: v2 }, { name: 'v3', percent: v3 }];

/** The `reviews` route of each stage. */
export const reviewsStages: Record<Stage, Reviews> = {
  // Istio's route-all-v1.yaml (route-reviews-v1.yaml).
  'bookinfo': { service: reviews, versions: split(100, 0, 0) },
  // route-reviews-90-10.yaml, route-reviews-50-v3.yaml, route-reviews-v3.yaml.
  'reviews-90-10': { service: reviews, versions: split(90, 10, 0) },
  'reviews-50-v3': { service: reviews, versions: split(50, 0, 50) },
  'reviews-v3': { service: reviews, versions: split(0, 0, 100) },
  // The request routing task: the user jason gets v2, everyone else v1.
  'reviews-jason-v2': {
    service: reviews,
    versions: split(100, 0, 0),
    routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], to: 'v2' }],
  },
  // S10's own stages, the props of s10-bookinfo-traffic with the Service's selector.
  'reviews-shifting': { ...istioReviewsStages['reviews-shifting'], service: reviews },
  'reviews-end-user': { ...istioReviewsStages['reviews-end-user'], service: reviews },
  'reviews-user-agent': { ...istioReviewsStages['reviews-user-agent'], service: reviews },
  'reviews-mirror': { ...istioReviewsStages['reviews-mirror'], service: reviews },
};

/**
 * S10's ratings fault (403 for 30% of `testing-user`'s requests) on this target: refused with
 * TARGET_UNSUPPORTED at `routes[0].fault`, never emitted without its fault.
 */
export const ratingsFault: CanaryServiceProps<'v1'> = { ...istioRatingsFault, service: ratings };
