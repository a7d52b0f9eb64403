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
 */
export class ServiceTrafficPolicy extends Construct {
  /** The DestinationRule. */
  public readonly destinationRule: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceTrafficPolicyProps) {
    super(scope, id);
    this.destinationRule = emit(this, buildServiceTrafficPolicy(props))['destination-rule'];
  }
}
