import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { withConfigTarget } from './targets';
import { Manifest } from '../core/manifest';
import { HttpRouteProps, RouteOutput, TcpRouteProps, TlsRouteProps, buildHttpRoute, buildTcpRoute, buildTlsRoute } from '../patterns/routes';
import { Args } from './inputs';
import { Registration, register } from './register';

/** The args of the Pulumi `HttpRoute`: `HttpRouteProps` with `pulumi.Input` leaves (see `Args`). */
export type HttpRouteArgs = Args<HttpRouteProps>;
/** The args of the Pulumi `TcpRoute`: `TcpRouteProps` with `pulumi.Input` leaves (see `Args`). */
export type TcpRouteArgs = Args<TcpRouteProps>;
/** The args of the Pulumi `TlsRoute`: `TlsRouteProps` with `pulumi.Input` leaves (see `Args`). */
export type TlsRouteArgs = Args<TlsRouteProps>;

/** Registers a route's one VirtualService as `${name}-virtual-service`. */
function place<P>(component: pulumi.ComponentResource, kind: string, name: string, args: unknown, build: (props: P) => RouteOutput) {
  const registration = register(component, name, `${kind} ${JSON.stringify(name)}`, args, build);
  return {
    resources: registration.children,
    virtualService: registration.children['virtual-service'] as k8s.apiextensions.CustomResource,
    registration,
  };
}

/**
 * HTTP traffic routed to one destination (a Service or an external host) without versions, as a
 * Pulumi component (`istio-constructs:index:HttpRoute`): one child `<name>-virtual-service`.
 *
 * @throws IstioConstructError for invalid args (see `buildHttpRoute`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 * @example
 * ```ts
 * import { ExternalHost, HttpRoute, Protocol } from 'istio-constructs/pulumi';
 *
 * const httpbin = ExternalHost.fromName('httpbin.org', { ports: [{ port: 80, protocol: Protocol.HTTP }] });
 * // In-mesh calls to httpbin.org time out after 5s, with up to 3 retries.
 * export const route = new HttpRoute('httpbin', { name: 'httpbin', namespace: 'default', destination: httpbin, timeout: '5s', retries: { attempts: 3 } });
 * ```
 */
export class HttpRoute extends pulumi.ComponentResource {
  /** The VirtualService with the `http` rules. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `route`, `version-service-<name>`, `reference-grant`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<RouteOutput>;

  constructor(name: string, args: HttpRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:HttpRoute', name, {}, opts);
    ({ resources: this.resources, virtualService: this.virtualService, registration: this.registration } = place(this, 'HttpRoute', name, args, withConfigTarget(buildHttpRoute)));
    this.registerOutputs({ virtualService: this.virtualService });
  }
}

/**
 * TCP traffic on one port routed to one destination without versions, as a Pulumi component
 * (`istio-constructs:index:TcpRoute`): one child `<name>-virtual-service`.
 *
 * @throws IstioConstructError for invalid args (see `buildTcpRoute`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute
 * @example
 * ```ts
 * import { Protocol, ServiceRef, TcpRoute } from 'istio-constructs/pulumi';
 *
 * const postgresql = ServiceRef.fromName('postgresql', { namespace: 'tutorial', ports: [{ port: 5432, protocol: Protocol.TCP }, { port: 5555, protocol: Protocol.TCP }] });
 * export const route = new TcpRoute('postgresql', { name: 'postgresql', destination: postgresql, port: 5432, destinationPort: 5555 });
 * ```
 */
export class TcpRoute extends pulumi.ComponentResource {
  /** The VirtualService with the `tcp` rule. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `route`, `version-service-<name>`, `reference-grant`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<RouteOutput>;

  constructor(name: string, args: TcpRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:TcpRoute', name, {}, opts);
    ({ resources: this.resources, virtualService: this.virtualService, registration: this.registration } = place(this, 'TcpRoute', name, args, withConfigTarget(buildTcpRoute)));
    this.registerOutputs({ virtualService: this.virtualService });
  }
}

/**
 * TLS connections routed by SNI to one destination without versions, as a Pulumi component
 * (`istio-constructs:index:TlsRoute`): one child `<name>-virtual-service`.
 *
 * @throws IstioConstructError for invalid args (see `buildTlsRoute`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSRoute
 * @example
 * ```ts
 * import { Protocol, ServiceRef, TlsRoute } from 'istio-constructs/pulumi';
 *
 * const db = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TLS }] });
 * const gateway = { name: 'passthrough', namespace: 'istio-system', hosts: ['db.example.com'] };
 * export const route = new TlsRoute('db', { name: 'db', destination: db, gateways: [gateway], sniHosts: ['db.example.com'], port: 443 });
 * ```
 */
export class TlsRoute extends pulumi.ComponentResource {
  /** The VirtualService with the `tls` rule. */
  public readonly virtualService?: k8s.apiextensions.CustomResource;
  /** Every child resource by its role (on the Gateway API target: `gateway`, `route`, `version-service-<name>`, `reference-grant`, ...). */
  public readonly resources: Record<string, pulumi.CustomResource>;
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<RouteOutput>;

  constructor(name: string, args: TlsRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:TlsRoute', name, {}, opts);
    ({ resources: this.resources, virtualService: this.virtualService, registration: this.registration } = place(this, 'TlsRoute', name, args, withConfigTarget(buildTlsRoute)));
    this.registerOutputs({ virtualService: this.virtualService });
  }
}
