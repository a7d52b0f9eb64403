import { Construct } from 'constructs';
import { Ctx } from '../core/errors';
import { checkProps } from '../core/props';
import { RoutingTarget } from '../core/target';

/** The cdk8s context key that can set the default routing target (`cdk8s synth --context`, `cdk8s.yaml`). */
export const ROUTING_TARGET_CONTEXT = 'istio-constructs:routingTarget';

const DEFAULTS = new WeakMap<Construct, RoutingTarget>();

/**
 * The default routing target of a cdk8s program or of part of it: the routing constructs under a
 * scope (CanaryService, TcpIngress, StickyService, HttpRoute, TcpRoute, TlsRoute, Gateway,
 * HardenedGateway) use it when their own `target` prop is not set. The nearest scope with a default
 * wins; without any, the context value `istio-constructs:routingTarget` is read (`'istio'`,
 * `'gateway-api'`, or a `RoutingTarget` object), else the Istio API.
 *
 * @example
 * const app = new App();
 * RoutingTargets.setDefault(app, { api: RoutingApi.GATEWAY_API, gatewayApiVersion: 'v1.6.0' });
 */
export class RoutingTargets {
  /**
   * Sets the default target of every routing construct under `scope` (constructs added before
   * the call are not changed).
   * @throws IstioConstructError for a target that is not a `RoutingTarget`.
   */
  public static setDefault(scope: Construct, target: RoutingTarget): void {
    checkProps(new Ctx('RoutingTargets.setDefault').at('target'), 'RoutingTarget', target);
    DEFAULTS.set(scope, { ...target });
  }

  /** The default target for a construct under `scope`, if any is set. */
  public static of(scope: Construct): RoutingTarget | undefined {
    for (let s: Construct | undefined = scope; s; s = s.node.scope) {
      const t = DEFAULTS.get(s);
      if (t) return t;
    }
    const ctx = scope.node.tryGetContext(ROUTING_TARGET_CONTEXT);
    if (ctx === undefined) return undefined;
    const value = typeof ctx === 'string' ? { api: ctx } : ctx;
    // The schema refuses an unknown \`api\` (INVALID_PROP naming 'istio' and 'gateway-api').
    checkProps(new Ctx(`context ${ROUTING_TARGET_CONTEXT}`), 'RoutingTarget', value);
    return value as RoutingTarget;
  }
}

/** The props with the scope's default target when they set none. @internal */
export function withTarget<P extends { readonly target?: RoutingTarget }>(scope: Construct, props: P): P {
  if (props === null || typeof props !== 'object' || props.target !== undefined) return props;
  const target = RoutingTargets.of(scope);
  return target ? { ...props, target } : props;
}
