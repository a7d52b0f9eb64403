/**
 * ServiceTrafficPolicy: resilience settings for a plain service (no versions, no routing): one
 * DestinationRule with a connection pool, outlier detection, load balancing and port-level
 * settings. Circuit breaking is a connection pool plus outlier detection.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/
 */
import { checkHost, checkLabelName } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { DestinationRuleManifest, metadata } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { ServiceRef, requireServiceRef } from '../core/references';
import { TrafficPolicy, destinationRuleScope, renderTrafficPolicy } from '../core/traffic-policy';
import { checkProps, propsCtx } from '../core/props';

/** Props of a ServiceTrafficPolicy. */
export interface ServiceTrafficPolicyProps {
  /** The Service the policy applies to. Give this or `host`. */
  readonly service?: ServiceRef;
  /**
   * A host instead of a Service, e.g. `*.tutorial.svc.cluster.local` for every service of a
   * namespace (then `name` and `namespace` are required).
   * @default - the Service's FQDN
   */
  readonly host?: string;
  /** Name of the DestinationRule. @default - the Service name */
  readonly name?: string;
  /** Namespace of the DestinationRule. @default - the Service namespace */
  readonly namespace?: string;
  /** The settings. */
  readonly trafficPolicy: TrafficPolicy;
  /**
   * Apply the DestinationRule only to the workloads with these labels in its namespace (it is then
   * exported to that namespace only, `exportTo: ['.']`). Needed for client TLS `credentialName`,
   * which sidecars read only from a DestinationRule with a workload selector; for a gateway, give
   * the gateway pods' labels.
   * @default - every caller
   */
  readonly workloadSelector?: Record<string, string>;
}

/** What `buildServiceTrafficPolicy` returns. */
export interface ServiceTrafficPolicyOutput extends PatternOutput {
  readonly destinationRule: DestinationRuleManifest;
}

/**
 * Builds the DestinationRule of a ServiceTrafficPolicy. Pure.
 * @throws IstioConstructError INVALID_TRAFFIC_POLICY, INVALID_DURATION, INVALID_PERCENTAGE, INVALID_NAME.
 */
export function buildServiceTrafficPolicy(props: ServiceTrafficPolicyProps): ServiceTrafficPolicyOutput {
  checkProps(propsCtx('ServiceTrafficPolicy', props, 'name', 'service.name'), 'ServiceTrafficPolicyProps', props);
  const name = props.name ?? props.service?.name;
  const ctx = new Ctx(`ServiceTrafficPolicy ${show(name)}`);
  if ((props.service === undefined) === (props.host === undefined)) {
    ctx.fail(ErrorCode.CONFLICTING_PROPS, 'give exactly one of service and host', 'set service: ServiceRef.fromName(...), or host: "*.ns.svc.cluster.local"');
  }
  const service = props.service !== undefined ? requireServiceRef(ctx.at('service'), props.service) : undefined;
  const host = service ? service.fqdn : checkHost(ctx.at('host'), props.host!);
  if (host === '*') ctx.at('host').fail(ErrorCode.INVALID_HOST, 'a DestinationRule host cannot be "*"', 'use "*.<namespace>.svc.cluster.local" or a Service');
  checkLabelName(ctx.at('name'), name!, 'name');
  const namespace = checkLabelName(ctx.at('namespace'), (props.namespace ?? service?.namespace)!, 'namespace');
  if (!props.trafficPolicy) ctx.at('trafficPolicy').fail(ErrorCode.INVALID_TRAFFIC_POLICY, 'no traffic policy given', 'set connectionPool, outlierDetection or loadBalancer');
  const destinationRule: DestinationRuleManifest = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: metadata(name!, namespace, 'service-traffic-policy', name!),
    spec: {
      host,
      ...destinationRuleScope(ctx, props.workloadSelector, [[ctx.at('trafficPolicy'), props.trafficPolicy]]),
      trafficPolicy: renderTrafficPolicy(ctx.at('trafficPolicy'), props.trafficPolicy),
    },
  };
  return { objects: [{ role: 'destination-rule', manifest: destinationRule }], destinationRule };
}
