import * as pulumi from '@pulumi/pulumi';
import { Ctx, ErrorCode, show } from '../core/errors';
import { checkProps } from '../core/props';
import { DnsProxyingOptions, PROXY_CONFIG_ANNOTATION, mergeDnsProxyConfigAt } from '../patterns/dns-proxying';
import { isInput } from './inputs';

/**
 * The args of a workload with a pod template at `spec.template`: `k8s.apps.v1.DeploymentArgs`,
 * `StatefulSetArgs`, `DaemonSetArgs`, `ReplicaSetArgs`, `k8s.batch.v1.JobArgs`.
 */
export interface PodTemplateWorkloadArgs {
  /** The workload spec; its `template.metadata.annotations` is read and replaced. */
  readonly spec?: pulumi.Input<{
    readonly template?: pulumi.Input<{
      readonly metadata?: pulumi.Input<{
        readonly annotations?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
      }>;
    }>;
  }>;
}

/** The path from the args to the annotation. */
const PATH = ['spec', 'template', 'metadata', 'annotations', PROXY_CONFIG_ANNOTATION] as const;

/**
 * DNS proxying for a workload of a Pulumi program (Istio's "DNS proxying"): returns new args
 * whose pod template annotation `proxy.istio.io/config` has `ISTIO_META_DNS_CAPTURE: "true"` and
 * `ISTIO_META_DNS_AUTO_ALLOCATE: "true"` under `proxyMetadata`, merged with the proxy configuration
 * already there (see `mergeDnsProxyConfig`). The args passed in are not modified; applying it twice
 * is the same as once.
 *
 * Values along the way to the annotation may be `pulumi.Input`s (Outputs, promises): then only
 * the part that holds them becomes an Output, derived with `apply`, and a conflict surfaces when
 * the values are known, as an error of the resource that uses the args. No resource is created.
 * It does not change mesh-wide configuration (that is the Istio installation's mesh config), and
 * does not enable sidecar injection.
 *
 * @throws IstioConstructError CONFLICTING_PROPS when the annotation already sets
 *   `ISTIO_META_DNS_CAPTURE` (or `ISTIO_META_DNS_AUTO_ALLOCATE`) to anything but `"true"`;
 *   INVALID_PROP when it is not a ProxyConfig mapping.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/dns-proxy/
 * @example
 * ```ts
 * import * as k8s from '@pulumi/kubernetes';
 * import { withDnsProxying } from 'istio-constructs/pulumi';
 *
 * new k8s.apps.v1.Deployment('shop', withDnsProxying({
 *   metadata: { namespace: 'shop' },
 *   spec: {
 *     selector: { matchLabels: { app: 'shop' } },
 *     template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image: 'shop:1.0' }] } },
 *   },
 * }));
 * ```
 */
export function withDnsProxying<T extends PodTemplateWorkloadArgs>(args: T, options: DnsProxyingOptions = {}): T {
  const ctx = new Ctx('DnsProxying');
  checkProps(ctx.at('options'), 'DnsProxyingOptions', options);
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    ctx.at('args').fail(ErrorCode.INVALID_PROP, `${show(args)} is not the args of a workload`, 'pass e.g. the k8s.apps.v1.DeploymentArgs of the workload');
  }
  return mergeAt(ctx, args, 0, options) as T;
}

/** The value with the annotation at `PATH[depth..]` merged; an Input on the way is mapped with `apply`. */
function mergeAt(ctx: Ctx, value: unknown, depth: number, options: DnsProxyingOptions): unknown {
  if (isInput(value)) {
    const output: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<unknown>) as pulumi.Output<unknown>;
    return output.apply((v) => mergeAt(ctx, v, depth, options));
  }
  if (depth === PATH.length) return mergeDnsProxyConfigAt(ctx.at(...PATH), value, options);
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    ctx.at(...PATH.slice(0, depth)).fail(ErrorCode.INVALID_PROP, `${show(value)} is not an object`, 'give the workload args in the shape of the Kubernetes API');
  }
  const key = PATH[depth];
  const record = (value ?? {}) as Record<string, unknown>;
  const next = mergeAt(ctx, record[key], depth + 1, options);
  return next === record[key] ? record : { ...record, [key]: next };
}
