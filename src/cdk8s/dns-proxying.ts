import { ApiObject, JsonPatch } from 'cdk8s';
import { Ctx, ErrorCode, show } from '../core/errors';
import { checkProps } from '../core/props';
import { DnsProxyingOptions, PROXY_CONFIG_ANNOTATION, mergeDnsProxyConfigAt } from '../patterns/dns-proxying';

/**
 * A workload whose pod template metadata can be read and changed: a cdk8s-plus `Deployment`,
 * `StatefulSet`, `DaemonSet`, `Job` (any cdk8s-plus version), or anything with `podMetadata`.
 */
export interface DnsProxyingWorkload {
  /** The pod template's metadata. */
  readonly podMetadata: {
    /** Sets an annotation of the pod template. */
    addAnnotation(key: string, value: string): void;
    /** The pod template's metadata as rendered now; `annotations` is read. */
    toJson(): any;
  };
}

/** Kinds whose pod template is at `spec.template`. */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * DNS proxying for a workload of a cdk8s program (Istio's "DNS proxying"): the workload's sidecar
 * captures its DNS queries and answers them for ServiceEntry hosts, with addresses auto-allocated.
 * Writes `ISTIO_META_DNS_CAPTURE: "true"` and `ISTIO_META_DNS_AUTO_ALLOCATE: "true"` under
 * `proxyMetadata` in the pod template's `proxy.istio.io/config` annotation, merged with the proxy
 * configuration already there (see `mergeDnsProxyConfig`).
 *
 * It does not change mesh-wide configuration (that is the Istio installation's mesh config), and
 * does not enable sidecar injection.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/dns-proxy/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import * as kplus from 'cdk8s-plus-33';
 * import { DnsProxying } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'shop');
 * const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'shop:1.0' }] });
 * DnsProxying.enable(app);
 * ```
 */
export class DnsProxying {
  /**
   * Enables DNS proxying on a workload: a cdk8s-plus workload (its `podMetadata`), or a cdk8s
   * `ApiObject` of kind Deployment, StatefulSet, DaemonSet, ReplicaSet or Job (such as an imported
   * `KubeDeployment`), whose pod template annotation is read from the object as it renders now and
   * written back with a JSON patch. Calling it again changes nothing. Set other proxy configuration
   * on the annotation before calling it: a later write to the annotation replaces the merged value.
   *
   * @throws IstioConstructError CONFLICTING_PROPS when the annotation already sets
   *   `ISTIO_META_DNS_CAPTURE` (or `ISTIO_META_DNS_AUTO_ALLOCATE`) to anything but `"true"`;
   *   INVALID_PROP when the annotation is not a ProxyConfig mapping, or `workload` is none of the
   *   kinds above.
   */
  public static enable(workload: DnsProxyingWorkload | ApiObject, options: DnsProxyingOptions = {}): void {
    const ctx = new Ctx('DnsProxying');
    checkProps(ctx.at('options'), 'DnsProxyingOptions', options);
    if (workload instanceof ApiObject) {
      enableOnApiObject(ctx, workload, options);
      return;
    }
    const meta = (workload as Partial<DnsProxyingWorkload> | undefined)?.podMetadata;
    if (!meta || typeof meta.addAnnotation !== 'function' || typeof meta.toJson !== 'function') {
      ctx.at('workload').fail(ErrorCode.INVALID_PROP, `${show(workload)} has no pod template`,
        'pass a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job) or an ApiObject of one of those kinds');
    }
    const current = meta!.toJson()?.annotations?.[PROXY_CONFIG_ANNOTATION];
    const merged = mergeDnsProxyConfigAt(ctx.at('workload', 'podMetadata', 'annotations', PROXY_CONFIG_ANNOTATION), current, options);
    if (merged !== current) meta!.addAnnotation(PROXY_CONFIG_ANNOTATION, merged);
  }

  private constructor() {}
}

function enableOnApiObject(ctx: Ctx, obj: ApiObject, options: DnsProxyingOptions): void {
  if (!POD_TEMPLATE_KINDS.has(obj.kind)) {
    ctx.at('workload').fail(ErrorCode.INVALID_PROP, `a ${obj.kind} has no pod template at spec.template`,
      `pass an ApiObject of kind ${[...POD_TEMPLATE_KINDS].join(', ')}, or a cdk8s-plus workload`);
  }
  const json = obj.toJson();
  const template = json?.spec?.template;
  const current = template?.metadata?.annotations?.[PROXY_CONFIG_ANNOTATION];
  const merged = mergeDnsProxyConfigAt(ctx.at('workload', 'spec', 'template', 'metadata', 'annotations', PROXY_CONFIG_ANNOTATION), current, options);
  if (merged === current) return;
  // JSON patch `add` needs the parent to exist: create the missing levels first.
  if (json?.spec === undefined) obj.addJsonPatch(JsonPatch.add('/spec', {}));
  if (template === undefined) obj.addJsonPatch(JsonPatch.add('/spec/template', {}));
  if (template?.metadata === undefined) obj.addJsonPatch(JsonPatch.add('/spec/template/metadata', {}));
  if (template?.metadata?.annotations === undefined) obj.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', {}));
  obj.addJsonPatch(JsonPatch.add(`/spec/template/metadata/annotations/${PROXY_CONFIG_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`, merged));
}
