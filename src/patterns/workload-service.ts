/**
 * WorkloadService: the Kubernetes Service of a mesh workload, written so Istio reads it right:
 * every port named `<protocol>[-suffix]` (istioctl IST0118) and a selector that is never empty.
 * Its `ref` is the ServiceRef routes use.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
import { checkLabelName, checkLabels } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { Manifest, metadata } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { ServicePort } from '../core/ports';
import { ServiceRef } from '../core/references';
import { checkProps, propsCtx } from '../core/props';

/** Props of a WorkloadService. */
export interface WorkloadServiceProps {
  /** The Service name, a DNS-1123 label. */
  readonly name: string;
  /** The Service namespace. */
  readonly namespace: string;
  /** The pod labels the Service selects (non-empty). */
  readonly selector: Record<string, string>;
  /** The ports, with the Istio protocol of each (named `<protocol>[-suffix]` unless named). */
  readonly ports: ServicePort[];
}

/** What `buildWorkloadService` returns. */
export interface WorkloadServiceOutput extends PatternOutput {
  /** The v1 Service. */
  readonly service: Manifest;
  /** The reference routes use. */
  readonly ref: ServiceRef;
}

/**
 * Builds the Service of a WorkloadService.
 * @throws IstioConstructError INVALID_NAME, INVALID_LABEL, PORT_OUT_OF_RANGE or INVALID_PORT.
 */
export function buildWorkloadService(props: WorkloadServiceProps): WorkloadServiceOutput {
  checkProps(propsCtx('WorkloadService', props, 'name'), 'WorkloadServiceProps', props);
  const ctx = new Ctx(`WorkloadService ${show(props.name)}`);
  checkLabelName(ctx.at('name'), props.name, 'name');
  const selector = checkLabels(ctx.at('selector'), props.selector, { nonEmpty: true });
  if (!Array.isArray(props.ports) || props.ports.length === 0) {
    ctx.at('ports').fail(ErrorCode.INVALID_PORT, 'a Service needs at least one port', 'list the ports, e.g. [{ port: 8080, protocol: Protocol.HTTP }]');
  }
  const ref = ServiceRef.fromName(props.name, { namespace: props.namespace, ports: props.ports });
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(props.name, props.namespace, 'workload-service', props.name),
    spec: {
      selector,
      ports: ref.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP' })),
    },
  };
  return { objects: [{ role: 'service', manifest: service }], service, ref };
}
