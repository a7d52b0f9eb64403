import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { withTarget } from './targets';
import { Manifest } from '../core/manifest';
import { HttpRouteProps, RouteOutput, TcpRouteProps, TlsRouteProps, buildHttpRoute, buildTcpRoute, buildTlsRoute } from '../patterns/routes';
import { emit } from './emit';

/** Places a route's one VirtualService under `scope`. */
function place(scope: Construct, output: RouteOutput, props: unknown): { virtualService: ApiObject; manifests: Manifest[] } {
  const objects = emit(scope, output, props);
  return { virtualService: objects['virtual-service'], manifests: output.objects.map((o) => o.manifest) };
}

/**
 * HTTP traffic routed to one destination (a Service or an external host) without versions, as a
 * cdk8s construct: one VirtualService, for in-mesh callers, existing gateways, or both, with
 * ordered rules (matches, rewrites, redirects, direct responses, CORS, retries, timeouts, header
 * changes, faults) before a default rule.
 *
 * @throws IstioConstructError for invalid props (see `buildHttpRoute`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { HttpRoute, Protocol, ServiceRef, StringMatch } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'bookinfo');
 * const productpage = ServiceRef.fromName('productpage', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
 * // The Gateway `bookinfo-gateway` exists (or is a HardenedGateway's `ref`).
 * const gateway = { name: 'bookinfo-gateway', namespace: 'bookinfo', hosts: ['bookinfo.example.com'] };
 *
 * // Only /productpage and /static/... reach productpage:9080 through the gateway; the rest gets 404.
 * new HttpRoute(chart, 'bookinfo', {
 *   name: 'bookinfo', destination: productpage, gateways: [gateway], hosts: ['bookinfo.example.com'], routeUnmatched: false,
 *   rules: [{ match: [{ uri: StringMatch.exact('/productpage') }, { uri: StringMatch.prefix('/static') }] }],
 * });
 * ```
 */
export class HttpRoute extends Construct {
  /** The VirtualService with the `http` rules. */
  public readonly virtualService?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    ({ virtualService: this.virtualService, manifests: this.manifests } = place(this, buildHttpRoute(withTarget(this, props)), props));
  }
}

/**
 * TCP traffic on one port routed to one destination (a Service or an external host) without
 * versions, as a cdk8s construct: one VirtualService with a `tcp` rule, for in-mesh callers,
 * existing gateways, or both. TLS is not terminated.
 *
 * @throws IstioConstructError for invalid props (see `buildTcpRoute`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Protocol, ServiceRef, TcpRoute } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'tutorial');
 * const postgresql = ServiceRef.fromName('postgresql', { namespace: 'tutorial', ports: [{ port: 5432, protocol: Protocol.TCP }, { port: 5555, protocol: Protocol.TCP }] });
 * // In-mesh connections to postgresql:5432 go to its port 5555.
 * new TcpRoute(chart, 'postgresql', { name: 'postgresql', destination: postgresql, port: 5432, destinationPort: 5555 });
 * ```
 */
export class TcpRoute extends Construct {
  /** The VirtualService with the `tcp` rule. */
  public readonly virtualService?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: TcpRouteProps) {
    super(scope, id);
    ({ virtualService: this.virtualService, manifests: this.manifests } = place(this, buildTcpRoute(withTarget(this, props)), props));
  }
}

/**
 * TLS connections routed by SNI to one destination (a Service or an external host) without
 * versions, as a cdk8s construct: one VirtualService with a `tls` rule, for in-mesh callers,
 * existing gateways (whose servers must be TLS `PASSTHROUGH`), or both. TLS is not terminated.
 *
 * @throws IstioConstructError for invalid props (see `buildTlsRoute`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSRoute
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { Protocol, ServiceRef, TlsRoute } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'data');
 * const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TLS }] });
 * // A Gateway with a TLS PASSTHROUGH server for db.example.com on 443 exists.
 * const gateway = { name: 'passthrough', namespace: 'istio-system', hosts: ['db.example.com'] };
 * new TlsRoute(chart, 'db', { name: 'db', destination: db, gateways: [gateway], sniHosts: ['db.example.com'], port: 443 });
 * ```
 */
export class TlsRoute extends Construct {
  /** The VirtualService with the `tls` rule. */
  public readonly virtualService?: ApiObject;
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: TlsRouteProps) {
    super(scope, id);
    ({ virtualService: this.virtualService, manifests: this.manifests } = place(this, buildTlsRoute(withTarget(this, props)), props));
  }
}
