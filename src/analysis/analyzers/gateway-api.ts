/**
 * The library's analyzers of Kubernetes Gateway API references (Istio reports these only as route
 * status conditions, which a program being written does not have): routes that attach to no
 * listener (ICA0007), hostnames that miss the listener's (ICA0008), cross-namespace references no
 * ReferenceGrant allows (ICA0009), and parents, backends and ports that do not exist (IST0101, as
 * the VirtualService analyzers report a destination host or gateway that does not exist). Facts
 * from Istio's `pilot/pkg/config/kube/gateway` (see `../gateway-api.ts`); the code is the
 * library's own. Objects the program does not declare are found in `options.external`, as for
 * VirtualServices. @internal
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/#attaching-to-gateways
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
import {
  GATEWAY_API_GROUP, ROUTE_KINDS, attach, describeListener, grantAllows, groupKind, listenersOf,
} from '../gateway-api';
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { ServiceRegistry, isRecord } from '../util';
import { isNamedExternalHost } from './egress';

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const show = (r: Resource) => (r.namespace ? `${r.namespace}/${r.name}` : r.name);

/** The gateway classes (and controllers) whose Gateways take no routes by parentRef: waypoints and east-west gateways. */
const MESH_CLASSES = new Set(['istio-waypoint', 'istio-east-west']);
const MESH_CONTROLLERS = new Set(['istio.io/mesh-controller', 'istio.io/eastwest-controller']);

/** The routes of the program Istio reads, every kind. */
function routes(ctx: AnalysisContext): Resource[] {
  return ROUTE_KINDS.flatMap((kind) => ctx.list(`${GATEWAY_API_GROUP}/${kind}`));
}

/** The labels of a Namespace the analysis knows (declared or external), else undefined. */
function namespaceLabels(ctx: AnalysisContext): (ns: string) => Record<string, string> | undefined {
  return (ns) => ctx.find(K.Namespace, '', ns)?.labels;
}

/** Whether a Gateway is a waypoint or east-west gateway (by class name, or its GatewayClass's controller). */
function isMeshInfrastructure(ctx: AnalysisContext, gw: Resource): boolean {
  const cls = typeof gw.spec.gatewayClassName === 'string' ? gw.spec.gatewayClassName : '';
  if (MESH_CLASSES.has(cls)) return true;
  const gatewayClass = ctx.find(K.GatewayClass, '', cls);
  return gatewayClass !== undefined && MESH_CONTROLLERS.has(gatewayClass.spec.controllerName);
}

/** `a, b and c` */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// Parents: Gateways and their listeners, ListenerSets, Services (GAMMA)

/**
 * `library.GatewayApiParentAnalyzer`: every parentRef of an HTTPRoute, GRPCRoute, TCPRoute or
 * TLSRoute must lead somewhere.
 *
 * - To a Gateway (the default kind) or ListenerSet: it must exist (IST0101), and one of its
 *   listeners selected by `sectionName`/`port` must take the route, as Istio decides it: a route
 *   hostname intersects the listener hostname (else ICA0008), the listener's `allowedRoutes`
 *   admit the route's namespace (From Same, the default; All; Selector, decided on the route's
 *   Namespace labels when the program declares it, else only on `kubernetes.io/metadata.name`) and
 *   its kind, and the listener's protocol carries that kind (HTTP and HTTPS: HTTPRoute, GRPCRoute;
 *   TCP: TCPRoute; TLS: TLSRoute, and TCPRoute when it terminates) (else ICA0007). Waypoint and
 *   east-west Gateways are not checked (Istio attaches no route to them by parentRef), nor a
 *   Gateway given without listeners (an external Gateway known by name only).
 * - To a Service (`group: ""`, GAMMA) or an Istio ServiceEntry: it must exist, with the `port`
 *   the parentRef names (IST0101): the route applies to traffic for that port only.
 * - A route without parentRefs attaches to nothing (ICA0007, Warning).
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.ParentReference
 * @see https://gateway-api.sigs.k8s.io/mesh/#connecting-routes-and-services
 */
const parentAnalyzer: Analyzer = {
  name: 'library.GatewayApiParentAnalyzer',
  analyze(ctx) {
    const labels = namespaceLabels(ctx);
    for (const route of routes(ctx)) {
      const parents = arr(route.spec.parentRefs);
      if (!parents.length) {
        ctx.report(route, 'RouteNotAttached', `The ${route.kind} has no parentRefs, so it attaches to no Gateway or Service and routes nothing: `
          + 'name the Gateway (and listener, with sectionName) or the Service (group: "", kind: Service) it configures in spec.parentRefs.', 'spec.parentRefs', 'Warning');
        continue;
      }
      const hostnames = arr(route.spec.hostnames).filter((h): h is string => typeof h === 'string');
      parents.forEach((ref: any, i: number) => {
        if (!isRecord(ref) || typeof ref.name !== 'string') return;
        const path = `spec.parentRefs[${i}]`;
        const { group, kind } = groupKind(ref, GATEWAY_API_GROUP, 'Gateway');
        const namespace = typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : route.namespace;
        if (group === GATEWAY_API_GROUP && (kind === 'Gateway' || kind === 'ListenerSet')) {
          checkGatewayParent(ctx, route, ref, kind, namespace, hostnames, path, labels);
        } else if ((group === '' && kind === 'Service') || (group === 'networking.istio.io' && kind === 'ServiceEntry')) {
          checkServiceParent(ctx, route, ref, kind, namespace, path);
        }
        // Other parent kinds belong to other controllers: Istio ignores them.
      });
    }
  },
};

function checkGatewayParent(ctx: AnalysisContext, route: Resource, ref: any, kind: 'Gateway' | 'ListenerSet', namespace: string,
  hostnames: string[], path: string, labels: (ns: string) => Record<string, string> | undefined): void {
  const parent = ctx.find(kind === 'Gateway' ? K.KubernetesGateway : K.ListenerSet, namespace, ref.name);
  if (!parent) {
    ctx.report(route, 'ReferencedResourceNotFound',
      `${path} names ${kind} ${namespace}/${ref.name}, which neither the program nor options.external declares, so the ${route.kind} attaches to nothing there: `
      + `fix the name${ref.namespace ? ' or namespace' : ` (without namespace, the ${kind} is looked up in the route's namespace ${route.namespace})`}, declare the ${kind}, `
      + 'or, when it is deployed outside this program, pass it to the analysis as an external object (options.external).', path);
    return;
  }
  if (kind === 'Gateway' && isMeshInfrastructure(ctx, parent)) return;
  if (kind === 'ListenerSet') {
    // A ListenerSet of a waypoint or east-west Gateway: not checked either.
    const owner = isRecord(parent.spec.parentRef) ? ctx.find(K.KubernetesGateway, parent.spec.parentRef.namespace ?? parent.namespace, parent.spec.parentRef.name) : undefined;
    if (owner && isMeshInfrastructure(ctx, owner)) return;
  }
  const listeners = listenersOf(parent.spec);
  // A Gateway needs at least one listener (the CRD refuses it otherwise): one without any stands for
  // a Gateway whose listeners are not known (an external object named by reference only).
  if (!listeners.length) return;
  const result = attach({ kind: route.kind, namespace: route.namespace, hostnames }, ref, listeners, parent.namespace, labels);
  if (result.attached.length) return;
  const parentName = `${kind} ${show(parent)}`;
  const all = listeners.length ? listText(listeners.map(describeListener)) : 'none';
  if (!result.candidates.length) {
    const selectedBy = [
      typeof ref.sectionName === 'string' && ref.sectionName ? `sectionName ${JSON.stringify(ref.sectionName)}` : '',
      typeof ref.port === 'number' && ref.port ? `port ${ref.port}` : '',
    ].filter(Boolean).join(' and ');
    ctx.report(route, 'RouteNotAttached',
      `${path} names ${selectedBy ? `${selectedBy} of ` : ''}${parentName}, but it has no such listener (its listeners: ${all}), so the ${route.kind} attaches to nothing there: `
      + 'name an existing listener (sectionName is the listener name, port its port), or add the listener.', path);
    return;
  }
  const why = result.refusals.map((r) => `listener ${describeListener(r.listener)}: ${r.text}`).join('; ');
  if (result.refusals.every((r) => r.reason === 'hostname')) {
    ctx.report(route, 'RouteHostnameNotOnListener',
      `No hostname of the ${route.kind} (${hostnames.join(', ')}) intersects the hostname of the listener(s) of ${parentName} that ${path} selects (${why}), `
      + 'so the route does not attach and its requests get 404: use a hostname the listener serves (a listener *.example.com takes a.example.com and a.b.example.com, not example.com), '
      + 'or attach the route to another listener.', 'spec.hostnames');
    return;
  }
  ctx.report(route, 'RouteNotAttached',
    `${parentName} takes the ${route.kind} on none of the listener(s) ${path} selects (${why}), so the route attaches to nothing there: `
    + 'name a listener whose protocol carries this route kind and whose allowedRoutes admit it (namespaces From Same is the default: set From All, or a Selector '
    + 'that selects this namespace, to take routes of other namespaces), or change the listener.', path);
}

function checkServiceParent(ctx: AnalysisContext, route: Resource, ref: any, kind: 'Service' | 'ServiceEntry', namespace: string, path: string): void {
  const parent = ctx.find(kind === 'Service' ? K.Service : K.ServiceEntry, namespace, ref.name);
  if (!parent) {
    ctx.report(route, 'ReferencedResourceNotFound',
      `${path} names ${kind} ${namespace}/${ref.name}, which neither the program nor options.external declares, so the ${route.kind} configures no mesh traffic: `
      + `fix the name or namespace, declare the ${kind}, or, when it is deployed outside this program, pass it to the analysis as an external object (options.external).`, path);
    return;
  }
  if (typeof ref.port !== 'number') return;
  const ports = arr(parent.spec.ports).map((p: any) => Number(kind === 'Service' ? p?.port : p?.number));
  if (ports.includes(ref.port)) return;
  ctx.report(route, 'ReferencedResourceNotFound',
    `${path} names port ${ref.port} of ${kind} ${show(parent)}, which ${ports.length ? `exposes ${ports.join(', ')}` : 'declares no ports'}: the ${route.kind} applies to traffic for that port only, `
    + `so it never applies; name a port of the ${kind} (the Service port, not the container targetPort), or leave port out to configure every port.`, `${path}.port`);
}

// ---------------------------------------------------------------------------------------------
// Backends and ReferenceGrants

/** One backend reference of a route: a `backendRefs` entry or a RequestMirror filter's `backendRef`. */
interface BackendUse {
  readonly ref: any;
  readonly path: string;
  readonly mirror: boolean;
}

/** Every backend a route names: its rules' backendRefs, and the RequestMirror filters of its rules and of those backendRefs. */
function backendUses(route: Resource): BackendUse[] {
  const out: BackendUse[] = [];
  const mirrors = (filters: unknown, at: string) => arr(filters).forEach((f: any, k: number) => {
    if (f?.type === 'RequestMirror' && isRecord(f.requestMirror?.backendRef)) {
      out.push({ ref: f.requestMirror.backendRef, path: `${at}.filters[${k}].requestMirror.backendRef`, mirror: true });
    }
  });
  arr(route.spec.rules).forEach((rule: any, i: number) => {
    const at = `spec.rules[${i}]`;
    arr(rule?.backendRefs).forEach((b: any, j: number) => {
      if (!isRecord(b)) return;
      out.push({ ref: b, path: `${at}.backendRefs[${j}]`, mirror: false });
      mirrors(b.filters, `${at}.backendRefs[${j}]`);
    });
    mirrors(rule?.filters, at);
  });
  return out;
}

/** Whether a ReferenceGrant in `namespace` (declared or external) lets `from` refer to `to`. */
function granted(ctx: AnalysisContext, namespace: string, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; name: string }): boolean {
  return ctx.list(K.ReferenceGrant).some((g) => g.namespace === namespace && grantAllows(g.spec, from, to));
}

function grantFix(from: { kind: string; namespace: string }, to: { kind: string; namespace: string; name: string }, group: string): string {
  return `add a ReferenceGrant in namespace ${to.namespace} with from: [{ group: ${GATEWAY_API_GROUP}, kind: ${from.kind}, namespace: ${from.namespace} }] `
    + `and to: [{ group: "${group}", kind: ${to.kind}, name: ${to.name} }] (leave name out to allow every ${to.kind} there)`;
}

/**
 * `library.GatewayApiBackendAnalyzer`: every backendRef of an HTTPRoute, GRPCRoute, TCPRoute or
 * TLSRoute, and every RequestMirror filter's backendRef, must resolve as Istio resolves it.
 *
 * - A Service (the default kind) in another namespace needs a ReferenceGrant there that allows
 *   the route's kind and namespace to refer to it (ICA0009) when the route has a Gateway (or
 *   ListenerSet) parent: Istio drops the backend there otherwise. Istio does not ask for one on
 *   mesh (GAMMA) routes, whose parents are all Services (`convertHTTPRoute(..., enforceRefGrant: !mesh)`).
 * - The Service must exist (IST0101; a name with dots is a host name, which Istio refuses: the
 *   name of the Service goes there), with the port the backendRef names (IST0101).
 * - An Istio `Hostname` backend (`group: networking.istio.io`) must be a host of the service
 *   registry (a Service or ServiceEntry visible from the route's namespace) (IST0101).
 * - Other backend kinds (ServiceImport, InferencePool, ...) are not checked.
 *
 * It also checks that a Gateway listener's `tls.certificateRefs` to a Secret in another namespace
 * has a ReferenceGrant there (ICA0009); Istio refuses the listener otherwise.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.BackendRef
 */
const backendAnalyzer: Analyzer = {
  name: 'library.GatewayApiBackendAnalyzer',
  analyze(ctx) {
    for (const route of routes(ctx)) {
      for (const use of backendUses(route)) checkBackend(ctx, route, use);
    }
    for (const gw of ctx.list(K.KubernetesGateway)) {
      arr(gw.spec.listeners).forEach((l: any, i: number) => {
        arr(l?.tls?.certificateRefs).forEach((c: any, j: number) => {
          if (!isRecord(c) || typeof c.name !== 'string') return;
          const { group, kind } = groupKind(c, '', 'Secret');
          const namespace = typeof c.namespace === 'string' && c.namespace ? c.namespace : gw.namespace;
          if (namespace === gw.namespace || group !== '' || kind !== 'Secret') return;
          if (granted(ctx, namespace, { group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: gw.namespace }, { group, kind, name: c.name })) return;
          ctx.report(gw, 'ReferenceNotPermitted',
            `listener ${JSON.stringify(l?.name ?? '')} refers to Secret ${namespace}/${c.name} in another namespace, and no ReferenceGrant in ${namespace} allows it, `
            + `so Istio refuses the certificate and the listener serves no TLS: ${grantFix({ kind: 'Gateway', namespace: gw.namespace }, { kind: 'Secret', namespace, name: c.name }, '')}, `
            + 'or keep the Secret in the Gateway\'s namespace.', `spec.listeners[${i}].tls.certificateRefs[${j}]`);
        });
      });
    }
  },
};

/** Whether a route has a Gateway or ListenerSet parent (not only Services: Istio checks ReferenceGrants for those only). */
function hasGatewayParent(route: Resource): boolean {
  return arr(route.spec.parentRefs).some((ref) => {
    const { group, kind } = groupKind(ref, GATEWAY_API_GROUP, 'Gateway');
    return group === GATEWAY_API_GROUP && (kind === 'Gateway' || kind === 'ListenerSet');
  });
}

function checkBackend(ctx: AnalysisContext, route: Resource, use: BackendUse): void {
  const { ref, path } = use;
  if (typeof ref.name !== 'string') return;
  const { group, kind } = groupKind(ref, '', 'Service');
  const effect = use.mirror ? 'so no request is mirrored to it' : 'so the requests the rule sends to it fail (HTTP 500, or a reset connection)';
  if (group === 'networking.istio.io' && kind === 'Hostname') {
    if (ServiceRegistry.of(ctx).lookup(route.namespace, undefined, ref.name) || isNamedExternalHost(ctx, ref.name)) return;
    ctx.report(route, 'ReferencedResourceNotFound',
      `${path} names host ${JSON.stringify(ref.name)}, which matches no Service or ServiceEntry host visible from namespace ${route.namespace}, ${effect}: `
      + 'fix the host, declare a ServiceEntry for it, or pass it to the analysis as an external object (options.external).', path);
    return;
  }
  if (group !== '' || kind !== 'Service') return;
  const namespace = typeof ref.namespace === 'string' && ref.namespace ? ref.namespace : route.namespace;
  // Istio enforces ReferenceGrants on what it builds for Gateway parents; mesh (GAMMA) parents are exempt.
  if (namespace !== route.namespace && hasGatewayParent(route)
    && !granted(ctx, namespace, { group: GATEWAY_API_GROUP, kind: route.kind, namespace: route.namespace }, { group: '', kind: 'Service', name: ref.name })) {
    ctx.report(route, 'ReferenceNotPermitted',
      `${path} refers to Service ${namespace}/${ref.name} in another namespace, and no ReferenceGrant in ${namespace} allows ${route.kind}s of namespace ${route.namespace} to, `
      + `${effect}: ${grantFix({ kind: route.kind, namespace: route.namespace }, { kind: 'Service', namespace, name: ref.name }, '')}.`, path);
  }
  if (ref.name.includes('.')) {
    ctx.report(route, 'ReferencedResourceNotFound',
      `${path} names Service ${JSON.stringify(ref.name)}: a backendRef takes the Service's name, not a host name, and Istio refuses the backend, ${effect}: `
      + 'write the name (and the namespace in backendRef.namespace), or use group: networking.istio.io, kind: Hostname for a host.', `${path}.name`);
    return;
  }
  const service = ctx.find(K.Service, namespace, ref.name);
  if (!service) {
    ctx.report(route, 'ReferencedResourceNotFound',
      `${path} names Service ${namespace}/${ref.name}, which neither the program nor options.external declares, ${effect}: `
      + `fix the name${ref.namespace ? ' or namespace' : ` (without namespace, the Service is looked up in the route's namespace ${route.namespace})`}, declare the Service `
      + '(Gateway API has no subsets: a version is a Service of its own), or, when it is deployed outside this program, pass it to the analysis as an external object (options.external).', path);
    return;
  }
  if (typeof ref.port !== 'number') return;
  const ports = arr(service.spec.ports).map((p: any) => Number(p?.port));
  if (ports.includes(ref.port)) return;
  ctx.report(route, 'ReferencedResourceNotFound',
    `${path} names port ${ref.port} of Service ${show(service)}, which ${ports.length ? `exposes ${ports.join(', ')}` : 'declares no ports'}, ${effect}: `
    + 'name a port of the Service (the Service port, not the container targetPort), or add the port to the Service.', `${path}.port`);
}

/** The Gateway API analyzers, in the order they run. */
export const gatewayApiAnalyzers: readonly Analyzer[] = [parentAnalyzer, backendAnalyzer];
