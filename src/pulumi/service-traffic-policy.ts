import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ServiceTrafficPolicyProps, buildServiceTrafficPolicy } from '../patterns/service-traffic-policy';
import { Args } from './inputs';
import { register } from './register';

/** The args of the Pulumi `ServiceTrafficPolicy`: `ServiceTrafficPolicyProps` with `pulumi.Input` leaves (see `Args`). */
export type ServiceTrafficPolicyArgs = Args<ServiceTrafficPolicyProps>;

/**
 * Resilience settings for a plain service, as a Pulumi component
 * (`istio-constructs:index:ServiceTrafficPolicy`, child `<name>-destination-rule`).
 *
 * @throws IstioConstructError for invalid args (see `buildServiceTrafficPolicy`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 * @example
 * ```ts
 * import { Duration, Protocol, ServiceRef, ServiceTrafficPolicy } from 'istio-constructs/pulumi';
 *
 * const productpage = ServiceRef.fromName('productpage', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 *
 * // A circuit breaker: at most 100 connections, and a pod that answers 5 errors in a row is
 * // ejected for 2 minutes.
 * export const breaker = new ServiceTrafficPolicy('productpage', {
 *   service: productpage,
 *   trafficPolicy: {
 *     connectionPool: { tcp: { maxConnections: 100 } },
 *     outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.minutes(2) },
 *   },
 * });
 * ```
 */
export class ServiceTrafficPolicy extends pulumi.ComponentResource {
  /** The DestinationRule. */
  public readonly destinationRule: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ServiceTrafficPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:ServiceTrafficPolicy', name, {}, opts);
    this.destinationRule = register(this, name, `ServiceTrafficPolicy ${JSON.stringify(name)}`, args, buildServiceTrafficPolicy).children['destination-rule'] as k8s.apiextensions.CustomResource;
    this.registerOutputs({ destinationRule: this.destinationRule });
  }
}
