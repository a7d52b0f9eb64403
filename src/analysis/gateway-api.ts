/**
 * How Kubernetes Gateway API routes attach to listeners and reach their backends, as Istio decides
 * it (pilot/pkg/config/kube/gateway: `referenceAllowed`, `buildHostnameMatch`,
 * `namespacesFromSelector`, gatewaycommon `GenerateGatewaySupportedKinds`, `BackendAllowed`), over
 * plain objects: the analyzer (`analyzers/gateway-api.ts`) and the traffic graph share it. Facts
 * from Istio and the Gateway API specification; the code is the library's own. @internal
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.ParentReference
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway.networking.k8s.io/v1.Listener
 */
import { GATEWAY_API_GROUP } from '../core/ambient';
import { isRecord } from './util';

/** The Gateway API group (defined in core). */
export { GATEWAY_API_GROUP };

/** The route kinds Istio reads (it implements no UDPRoute). */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'] as const;

/** The label Kubernetes puts on every Namespace: its own name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A `group/Kind` reference with Gateway API defaulting: an absent group is `defaultGroup`, an absent kind `defaultKind`. */
export function groupKind(ref: any, defaultGroup: string, defaultKind: string): { group: string; kind: string } {
  return {
    group: typeof ref?.group === 'string' ? ref.group : defaultGroup,
    kind: typeof ref?.kind === 'string' ? ref.kind : defaultKind,
  };
}

/** One listener routes can attach to: a Gateway's or a ListenerSet's. */
export interface AttachListener {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly hostname?: string;
  /** `tls.mode` (Terminate when tls is set without a mode, as the CRD defaults it). */
  readonly tlsMode?: string;
  readonly allowedRoutes?: any;
}

/** The listeners of a Gateway or ListenerSet `spec`. */
export function listenersOf(spec: any): AttachListener[] {
  return arr(spec?.listeners).filter(isRecord).map((l) => ({
    name: String(l.name ?? ''),
    port: Number(l.port),
    protocol: String(l.protocol ?? ''),
    hostname: str(l.hostname),
    tlsMode: isRecord(l.tls) ? (str(l.tls.mode) ?? 'Terminate') : undefined,
    allowedRoutes: l.allowedRoutes,
  }));
}

/** `listener-name (PROTOCOL port)`, as messages name a listener. */
export function describeListener(l: AttachListener): string {
  return `${l.name} (${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''})`;
}

/**
 * The route kinds a listener takes, as `group/Kind` (Istio's `GenerateGatewaySupportedKinds`): by
 * protocol (HTTP and HTTPS carry HTTPRoute and GRPCRoute, TCP carries TCPRoute, TLS carries
 * TLSRoute, and TCPRoute too when it terminates TLS), narrowed to `allowedRoutes.kinds` when that
 * lists any (an absent group there is the Gateway API group).
 */
export function supportedKinds(l: AttachListener): string[] {
  const g = (k: string) => `${GATEWAY_API_GROUP}/${k}`;
  let kinds: string[] = [];
  switch (l.protocol) {
    case 'HTTP': case 'HTTPS': kinds = [g('HTTPRoute'), g('GRPCRoute')]; break;
    case 'TCP': kinds = [g('TCPRoute')]; break;
    case 'TLS': kinds = l.tlsMode === 'Terminate' ? [g('TLSRoute'), g('TCPRoute')] : [g('TLSRoute')]; break;
    default: kinds = [];
  }
  const allowed = arr(l.allowedRoutes?.kinds).filter(isRecord);
  if (!allowed.length) return kinds;
  const listed = new Set(allowed.map((k) => { const gk = groupKind(k, GATEWAY_API_GROUP, ''); return `${gk.group}/${gk.kind}`; }));
  return kinds.filter((k) => listed.has(k));
}

/**
 * Whether a label selector (`matchLabels`, `matchExpressions`) selects a namespace: true or false
 * when the answer is known, undefined when it is not (the Namespace object, hence its labels, is
 * not known, and the selector reads other labels than `kubernetes.io/metadata.name`, the one label
 * every Namespace has).
 */
export function namespaceSelected(selector: any, namespace: string, labels: Record<string, string> | undefined): boolean | undefined {
  if (!isRecord(selector)) return true;
  const known: Record<string, string> = { ...(labels ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  const complete = labels !== undefined;
  const decidable = (key: string) => complete || key === NAMESPACE_NAME_LABEL;
  let undecided = false;
  for (const [k, v] of Object.entries(isRecord(selector.matchLabels) ? selector.matchLabels : {})) {
    if (!decidable(k)) { undecided = true; continue; }
    if (known[k] !== String(v)) return false;
  }
  for (const e of arr(selector.matchExpressions)) {
    const key = String(e?.key ?? '');
    if (!decidable(key)) { undecided = true; continue; }
    const values = arr(e?.values).map(String);
    const has = key in known;
    const ok = e?.operator === 'In' ? has && values.includes(known[key])
      : e?.operator === 'NotIn' ? !has || !values.includes(known[key])
        : e?.operator === 'Exists' ? has
          : e?.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return undecided ? undefined : true;
}

/**
 * Whether a listener's `allowedRoutes.namespaces` admits routes of `routeNamespace` (From Same, the
 * default: the listener owner's namespace; All; Selector: the label selector on the route's
 * Namespace; None): true, false, or undefined when a selector cannot be decided.
 */
export function namespaceAllowed(l: AttachListener, ownerNamespace: string, routeNamespace: string, namespaceLabels: (ns: string) => Record<string, string> | undefined): boolean | undefined {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'None') return false;
  if (from === 'Selector') return namespaceSelected(l.allowedRoutes?.namespaces?.selector, routeNamespace, namespaceLabels(routeNamespace));
  return routeNamespace === ownerNamespace;
}

/**
 * Whether a listener hostname and a route hostname intersect, with the Gateway API's wildcard rule
 * (`*.example.com` stands for one or more labels before `.example.com`, never `example.com`
 * itself): two exact names must be equal, a wildcard matches the names under its suffix, and two
 * wildcards intersect when one suffix ends the other. An absent listener hostname takes every host.
 */
export function hostnamesIntersect(listenerHostname: string | undefined, routeHostname: string): boolean {
  if (!listenerHostname || listenerHostname === '*' || routeHostname === '*') return true;
  const a = listenerHostname.toLowerCase();
  const b = routeHostname.toLowerCase();
  const aw = a.startsWith('*.');
  const bw = b.startsWith('*.');
  if (aw && bw) return a.slice(1).endsWith(b.slice(1)) || b.slice(1).endsWith(a.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** Why one listener refuses a route. */
export type ListenerRefusal =
  /** `allowedRoutes.namespaces` does not admit the route's namespace. */
  | { readonly reason: 'namespace'; readonly listener: AttachListener; readonly text: string }
  /** The listener's protocol or `allowedRoutes.kinds` does not take the route's kind. */
  | { readonly reason: 'kind'; readonly listener: AttachListener; readonly text: string }
  /** None of the route's hostnames intersects the listener's hostname. */
  | { readonly reason: 'hostname'; readonly listener: AttachListener; readonly text: string };

/** The route as attachment sees it. */
export interface AttachRoute {
  readonly kind: string;
  readonly namespace: string;
  readonly hostnames: readonly string[];
}

/** The outcome of one parentRef to a Gateway or ListenerSet. */
export interface Attachment {
  /** The listeners the parentRef's `sectionName`/`port` select (every listener when it names neither). */
  readonly candidates: readonly AttachListener[];
  /** The candidates that take the route (or may: a namespace selector that cannot be decided counts as admitting). */
  readonly attached: readonly AttachListener[];
  /** Why each other candidate refuses the route. */
  readonly refusals: readonly ListenerRefusal[];
}

/**
 * Which listeners of a Gateway (or ListenerSet) in `ownerNamespace` a route's parentRef attaches
 * to, as Istio's `referenceAllowed` decides per listener: `port` and `sectionName` select the
 * listeners; then a route hostname must intersect the listener hostname, in a namespace the
 * listener admits; then the listener must take the route's kind.
 */
export function attach(route: AttachRoute, parentRef: any, listeners: readonly AttachListener[], ownerNamespace: string,
  namespaceLabels: (ns: string) => Record<string, string> | undefined): Attachment {
  const sectionName = str(parentRef?.sectionName);
  const port = typeof parentRef?.port === 'number' && parentRef.port !== 0 ? parentRef.port : undefined;
  const candidates = listeners.filter((l) => (sectionName === undefined || l.name === sectionName) && (port === undefined || l.port === port));
  const attached: AttachListener[] = [];
  const refusals: ListenerRefusal[] = [];
  const routeKind = `${GATEWAY_API_GROUP}/${route.kind}`;
  const hosts = route.hostnames.length ? route.hostnames : ['*'];
  for (const l of candidates) {
    const ns = namespaceAllowed(l, ownerNamespace, route.namespace, namespaceLabels);
    const hostMatch = hosts.some((h) => hostnamesIntersect(l.hostname, h));
    if (!hostMatch) {
      refusals.push({ reason: 'hostname', listener: l, text: `no hostname of the route (${hosts.join(', ')}) matches its hostname ${l.hostname}` });
      continue;
    }
    if (ns === false) {
      const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
      refusals.push({
        reason: 'namespace', listener: l,
        text: from === 'Selector' ? `its allowedRoutes namespace selector does not select namespace ${route.namespace}`
          : from === 'None' ? 'its allowedRoutes admit no namespace (from: None)'
            : `it admits routes from its own namespace ${ownerNamespace} only (allowedRoutes.namespaces.from: Same${l.allowedRoutes?.namespaces?.from ? '' : ', the default'})`,
      });
      continue;
    }
    const kinds = supportedKinds(l);
    if (!kinds.includes(routeKind)) {
      const names = kinds.map((k) => k.slice(k.indexOf('/') + 1));
      refusals.push({
        reason: 'kind', listener: l,
        text: arr(l.allowedRoutes?.kinds).length
          ? `its allowedRoutes.kinds take ${names.length ? names.join(', ') : 'no kind its protocol carries'}, not ${route.kind}`
          : `a ${l.protocol} listener carries ${names.length ? names.join(' and ') : 'no route kind Istio implements'}, not ${route.kind}`,
      });
      continue;
    }
    attached.push(l);
  }
  return { candidates, attached, refusals };
}

/**
 * Whether a ReferenceGrant spec lets objects of `from` (group, kind, namespace) refer to the object
 * `to` (group, kind, name) in the grant's namespace (Istio's `BackendAllowed`/`SecretAllowed`: a
 * `to` entry without a name admits every object of its kind).
 */
export function grantAllows(grantSpec: any, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; name: string }): boolean {
  const fromOk = arr(grantSpec?.from).some((f) => isRecord(f) && (f.group ?? '') === from.group && f.kind === from.kind && f.namespace === from.namespace);
  if (!fromOk) return false;
  return arr(grantSpec?.to).some((t) => isRecord(t) && (t.group ?? '') === to.group && t.kind === to.kind && (str(t.name) === undefined || t.name === to.name));
}
