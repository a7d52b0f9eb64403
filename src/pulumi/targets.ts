import * as pulumi from '@pulumi/pulumi';
import { Ctx } from '../core/errors';
import { checkProps } from '../core/props';
import { GatewayApiChannel, RoutingApi, RoutingTarget } from '../core/target';

/**
 * The stack's default routing target, from Pulumi config (namespace `istio-constructs`):
 * `routingApi` (`istio` or `gateway-api`), `gatewayApiVersion` (e.g. `v1.6.0`) and
 * `gatewayApiChannel` (`standard` or `experimental`). The routing components (CanaryService,
 * TcpIngress, StickyService, HttpRoute, TcpRoute, TlsRoute, Gateway, HardenedGateway) use it when
 * their own `target` arg is not set.
 *
 * @example
 * // pulumi config set istio-constructs:routingApi gateway-api
 * @throws IstioConstructError for config values that are not a routing target.
 */
export function configRoutingTarget(): RoutingTarget | undefined {
  const config = new pulumi.Config('istio-constructs');
  const api = config.get('routingApi');
  if (api === undefined) return undefined;
  const version = config.get('gatewayApiVersion');
  const channel = config.get('gatewayApiChannel');
  const target = {
    api: api as RoutingApi,
    ...(version !== undefined ? { gatewayApiVersion: version } : {}),
    ...(channel !== undefined ? { gatewayApiChannel: channel as GatewayApiChannel } : {}),
  };
  checkProps(new Ctx('config istio-constructs'), 'RoutingTarget', target);
  return target;
}

/** A builder that fills in the stack's default target when the args set none. @internal */
export function withConfigTarget<P, O>(build: (props: P) => O): (props: P) => O {
  return (props: P) => {
    const p = props as { readonly target?: RoutingTarget } | undefined;
    if (p === null || typeof p !== 'object' || p.target !== undefined) return build(props);
    const target = configRoutingTarget();
    return build((target ? { ...p, target } : p) as P);
  };
}
