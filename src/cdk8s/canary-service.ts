import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withTarget } from './targets';
import { Manifest } from '../core/manifest';
import { CanaryServiceProps, buildCanaryService } from '../patterns/canary-service';
import { emit } from './emit';

/**
 * A service split across versions, as a cdk8s construct: DestinationRule (one subset per
 * version), VirtualService (ordered match routes, then the weighted default) and, with a gateway
 * binding, a Gateway. Apply order: the DestinationRule is emitted before the VirtualService;
 * when removing a version, remove its routes first.
 *
 * @throws IstioConstructError for invalid props (see `buildCanaryService`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { CanaryService, Protocol, ServiceRef, StringMatch } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 * const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 *
 * // 90/10 between the pods labelled version=v1 and version=v2; the user jason always gets v2.
 * new CanaryService(chart, 'reviews', {
 *   service: reviews,
 *   versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
 *   routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], to: 'v2' }],
 * });
 * ```
 */
export class CanaryService<const V extends string = string> extends Construct {
  /** The VirtualService. */
  public readonly virtualService?: ApiObject;
  /** The DestinationRule with one subset per version. */
  public readonly destinationRule?: ApiObject;
  /** The Gateway, when `gateway` is set. */
  public readonly gateway?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: CanaryServiceProps<V>) {
    super(scope, id);
    const output = buildCanaryService(withTarget(this, props));
    const objects = emit(this, output, props);
    this.virtualService = objects['virtual-service'];
    this.destinationRule = objects['destination-rule'];
    this.gateway = objects.gateway;
    this.manifests = output.objects.map((o) => o.manifest);
  }
}
