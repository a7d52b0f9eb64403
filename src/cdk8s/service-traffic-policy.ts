import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceTrafficPolicyProps, buildServiceTrafficPolicy } from '../patterns/service-traffic-policy';
import { emit } from './emit';

/**
 * Resilience settings for a plain service (connection pool, outlier detection, load balancing),
 * as a cdk8s construct emitting one DestinationRule.
 *
 * @throws IstioConstructError for invalid props (see `buildServiceTrafficPolicy`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Duration, Protocol, ServiceRef, ServiceTrafficPolicy } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 * const productpage = ServiceRef.fromName('productpage', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 *
 * // A circuit breaker: at most 100 connections, and a pod that answers 5 errors in a row is
 * // ejected for 2 minutes.
 * new ServiceTrafficPolicy(chart, 'productpage', {
 *   service: productpage,
 *   trafficPolicy: {
 *     connectionPool: { tcp: { maxConnections: 100 } },
 *     outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.minutes(2) },
 *   },
 * });
 * ```
 */
export class ServiceTrafficPolicy extends Construct {
  /** The DestinationRule. */
  public readonly destinationRule: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceTrafficPolicyProps) {
    super(scope, id);
    this.destinationRule = emit(this, buildServiceTrafficPolicy(props), props)['destination-rule'];
  }
}
