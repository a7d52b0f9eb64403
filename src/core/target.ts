/**
 * Routing targets: which API a routing construct writes its traffic rules in. A pattern decides
 * what traffic should do; the target decides how that is written: Istio's networking API
 * (`VirtualService`, `DestinationRule`, `Gateway` of `networking.istio.io`) or the Kubernetes
 * Gateway API (`Gateway`, `HTTPRoute`, `TCPRoute`, `TLSRoute`, `GRPCRoute` of
 * `gateway.networking.k8s.io`). The Istio form is what the patterns build; the Gateway API form is
 * one translator, `src/targets/gateway-api.ts`.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */
import { Ctx, ErrorCode, show } from './errors';

/** The API a routing construct writes its traffic rules in. */
export enum RoutingApi {
  /** Istio's networking API: VirtualService, DestinationRule, Gateway (`networking.istio.io/v1`). */
  ISTIO = 'istio',
  /** The Kubernetes Gateway API: Gateway, HTTPRoute, TCPRoute, TLSRoute, GRPCRoute (`gateway.networking.k8s.io`). */
  GATEWAY_API = 'gateway-api',
}

/** The release channel of the Gateway API CRDs installed in the cluster. */
export enum GatewayApiChannel {
  /** `standard-install.yaml`: only fields and kinds that graduated. */
  STANDARD = 'standard',
  /** `experimental-install.yaml`: also the experimental fields (e.g. HTTPRoute `retry` before v1.7). */
  EXPERIMENTAL = 'experimental',
}

/**
 * Where a routing construct's rules go, and what the cluster has installed for it. Give it per
 * construct (`target` prop) or once for a whole program (cdk8s: `RoutingTargets.setDefault(app, ...)`;
 * Pulumi: stack config `istio-constructs:routingApi`, `istio-constructs:gatewayApiVersion`,
 * `istio-constructs:gatewayApiChannel`).
 */
export interface RoutingTarget {
  /** The API the rules are written in. */
  readonly api: RoutingApi;
  /**
   * The Gateway API CRD bundle version installed (`gateway.networking.k8s.io/bundle-version` of
   * the CRDs), e.g. `'v1.6.0'` or `'1.5'`. Output that needs a newer bundle is refused: Istio
   * ignores TCPRoute below v1.6 and TLSRoute below v1.5 (istioctl IST0176), and HTTPRoute `retry`
   * is in the standard channel from v1.7. Only read for `RoutingApi.GATEWAY_API`.
   * @default 'v1.6.0'
   */
  readonly gatewayApiVersion?: string;
  /**
   * The Gateway API release channel installed. Only read for `RoutingApi.GATEWAY_API`.
   * @default GatewayApiChannel.STANDARD
   */
  readonly gatewayApiChannel?: GatewayApiChannel;
}

/** A target with its version parsed. @internal */
export interface ResolvedTarget {
  readonly api: RoutingApi;
  /** `[major, minor]` of the Gateway API bundle. */
  readonly gatewayApiVersion: readonly [number, number];
  readonly gatewayApiChannel: GatewayApiChannel;
}

/** The Gateway API bundle this library validates against (`../shared/istio/crds/gateway-api/`). @internal */
export const NEWEST_GATEWAY_API_VERSION: readonly [number, number] = [1, 6];

/** The oldest Gateway API bundle Istio reads at all (GRPCRoute v1 and Gateway v1 need v1.1). @internal */
export const OLDEST_GATEWAY_API_VERSION: readonly [number, number] = [1, 1];

/** The default target: the Istio API. @internal */
export const ISTIO_TARGET: ResolvedTarget = { api: RoutingApi.ISTIO, gatewayApiVersion: NEWEST_GATEWAY_API_VERSION, gatewayApiChannel: GatewayApiChannel.STANDARD };

/**
 * Checks and resolves a `RoutingTarget` (props have already been schema-checked). @internal
 * @throws IstioConstructError UNSUPPORTED_VERSION for a bundle version that does not parse or is
 *   outside v1.1-v1.6.
 */
export function resolveTarget(ctx: Ctx, target: RoutingTarget | undefined): ResolvedTarget {
  if (target === undefined) return ISTIO_TARGET;
  const channel = target.gatewayApiChannel ?? GatewayApiChannel.STANDARD;
  let version = NEWEST_GATEWAY_API_VERSION;
  if (target.gatewayApiVersion !== undefined) {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?$/.exec(target.gatewayApiVersion);
    if (!m) {
      ctx.at('gatewayApiVersion').fail(ErrorCode.UNSUPPORTED_VERSION, `${show(target.gatewayApiVersion)} is not a Gateway API bundle version`,
        "give the bundle-version annotation of the installed CRDs, e.g. 'v1.6.0'");
    }
    version = [Number(m![1]), Number(m![2])];
    if (compareVersion(version, OLDEST_GATEWAY_API_VERSION) < 0 || compareVersion(version, [1, 99]) > 0 || version[0] !== 1) {
      ctx.at('gatewayApiVersion').fail(ErrorCode.UNSUPPORTED_VERSION, `Gateway API ${target.gatewayApiVersion} is outside what Istio reads (v1.1 and later 1.x)`,
        'install Gateway API v1.1 or later, and give its bundle version');
    }
  }
  return { api: target.api, gatewayApiVersion: version, gatewayApiChannel: channel };
}

/** Orders two `[major, minor]` versions. @internal */
export function compareVersion(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

/** `v1.6` for messages. @internal */
export function showVersion(v: readonly [number, number]): string {
  return `v${v[0]}.${v[1]}`;
}
