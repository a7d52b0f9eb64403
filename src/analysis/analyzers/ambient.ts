/**
 * The library's ambient-mode analyzers: policies and labels that Istio admits in ambient mode but
 * that do not do what they say. Istio's own messages are reused (IST0167 IneffectivePolicy, which
 * Istio also reports for Sidecars in ambient namespaces; IST0101 ReferencedResourceNotFound).
 * Facts from Istio's source: `pilot/pkg/serviceregistry/ambient/authorization.go` (what ztunnel
 * enforces), `waypoints.go` (how `istio.io/use-waypoint` is resolved),
 * `pilot/pkg/model/policyattachment.go` (which policies a waypoint applies),
 * `pkg/config/analysis/analyzers/util/in_mesh.go` (`NamespaceInAmbientMode`). @internal
 *
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 */
import { K } from '../kinds';
import { Analyzer, Resource } from '../types';
import { workloads } from '../util';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

const DATAPLANE_MODE = 'istio.io/dataplane-mode';
const USE_WAYPOINT = 'istio.io/use-waypoint';
const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
const WAYPOINT_CLASS = 'istio-waypoint';

/**
 * Istio's `NamespaceInAmbientMode`: `istio.io/dataplane-mode=ambient`, and no sidecar injection
 * label (`istio-injection=enabled`, or a non-empty `istio.io/rev`), which would win.
 */
export function isAmbientNamespace(ns: Resource | undefined): boolean {
  if (!ns) return false;
  if (ns.labels['istio-injection'] === 'enabled') return false;
  if ((ns.labels['istio.io/rev'] ?? '') !== '') return false;
  return ns.labels[DATAPLANE_MODE] === 'ambient';
}

/** Whether a policy attaches by `targetRef`/`targetRefs` (enforced by waypoints and gateways, never by ztunnel). */
function hasTargetRefs(spec: Record<string, any>): boolean {
  return isRecord(spec.targetRef) || list(spec.targetRefs).length > 0;
}

/** The `when` keys ztunnel evaluates (Go: `l4WhenAttributes`). */
const ZTUNNEL_WHEN_KEYS: ReadonlySet<string> = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);
/** Source and operation fields ztunnel cannot evaluate (Go: `httpSources`, `httpOperations`). */
const HTTP_SOURCE = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/** The HTTP attributes of a policy's rules that ztunnel cannot see, sorted and unique (Go: `handleRule`'s `httpMatch`). */
export function ztunnelHttpAttributes(spec: Record<string, any>): string[] {
  const found = new Set<string>();
  for (const rule of list(spec.rules)) {
    if (!isRecord(rule)) continue;
    for (const f of list(rule.from)) {
      const src = isRecord(f) && isRecord(f.source) ? f.source : {};
      for (const k of HTTP_SOURCE) if (list(src[k]).length > 0) found.add(k);
    }
    for (const t of list(rule.to)) {
      const op = isRecord(t) && isRecord(t.operation) ? t.operation : {};
      for (const k of HTTP_OPERATION) if (list(op[k]).length > 0) found.add(k);
    }
    for (const w of list(rule.when)) {
      if (isRecord(w) && typeof w.key === 'string' && !ZTUNNEL_WHEN_KEYS.has(w.key)) found.add(w.key);
    }
  }
  return [...found].sort();
}

/**
 * `library.AmbientPolicyAnalyzer`: an AuthorizationPolicy without `targetRef`/`targetRefs` in a
 * namespace the program enrols in ambient mode is enforced by ztunnel (waypoints never apply
 * selector-based policies), which runs ALLOW and DENY on L4 attributes only. Reported, as IST0167
 * IneffectivePolicy:
 * - a CUSTOM or AUDIT policy (ztunnel does not apply it at all);
 * - a policy with HTTP attributes (methods, paths, hosts, request principals, remote IP blocks,
 *   `when` keys other than source.ip/namespace/principal and destination.ip/port): in an ALLOW
 *   policy Istio drops the rules that have them (their requests are denied); in a DENY policy it
 *   drops the attributes and denies on the rest of the rule (or, with nothing left, not at all).
 */
const ambientPolicyAnalyzer: Analyzer = {
  name: 'library.AmbientPolicyAnalyzer',
  analyze(ctx) {
    for (const policy of ctx.list(K.AuthorizationPolicy)) {
      if (hasTargetRefs(policy.spec)) continue;
      if (!isAmbientNamespace(ctx.find(K.Namespace, '', policy.namespace))) continue;
      const action = typeof policy.spec.action === 'string' && policy.spec.action ? policy.spec.action : 'ALLOW';
      const fix = 'attach the policy to a waypoint instead: targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: <waypoint> }] '
        + '(or kind: Service for the waypoint of one Service), without selector';
      if (action === 'CUSTOM' || action === 'AUDIT') {
        ctx.report(policy, 'IneffectivePolicy',
          `The policy has no impact: namespace ${policy.namespace} is in ambient mode, where ztunnel enforces this selector-based policy and does not support the ${action} action; ${fix}.`,
          'spec.action');
        continue;
      }
      const http = ztunnelHttpAttributes(policy.spec);
      if (http.length === 0) continue;
      const effect = action === 'DENY'
        ? 'ztunnel drops them and denies on the rest of each rule (more than the rule says, or nothing when no condition is left)'
        : 'ztunnel drops every ALLOW rule that has them, so the requests those rules allow are denied';
      ctx.report(policy, 'IneffectivePolicy',
        `The policy has no impact as written: namespace ${policy.namespace} is in ambient mode and ztunnel, which enforces this selector-based policy, cannot see HTTP attributes (${http.join(', ')}): ${effect}; ${fix}.`,
        'spec.rules');
    }
  },
};

/** The waypoint an object's labels name, `namespace/name`; undefined without the label or for `none`. */
function waypointOf(labels: Record<string, string>, ownNamespace: string): string | undefined {
  const name = labels[USE_WAYPOINT];
  if (name === undefined || name === '' || name === 'none') return undefined;
  return `${labels[USE_WAYPOINT_NAMESPACE] ?? ownNamespace}/${name}`;
}

/**
 * `library.WaypointReferenceAnalyzer`: when the program declares waypoints (Gateways of class
 * `istio-waypoint`, its own or external ones), an `istio.io/use-waypoint` label (on a Namespace,
 * Service, ServiceEntry, WorkloadEntry, Pod or pod template) that names a waypoint it does not
 * declare is reported as IST0101 ReferencedResourceNotFound, at level Warning (the waypoint may be
 * deployed by another program): Istio reports the waypoint as not ready and the traffic bypasses
 * it (no L7 policy applies). A program that declares no waypoint is taken to use waypoints
 * deployed elsewhere, and nothing is reported.
 */
const waypointReferenceAnalyzer: Analyzer = {
  name: 'library.WaypointReferenceAnalyzer',
  analyze(ctx) {
    const waypoints = new Set<string>();
    for (const gw of ctx.list(K.KubernetesGateway)) {
      if (gw.spec.gatewayClassName === WAYPOINT_CLASS) waypoints.add(`${gw.namespace}/${gw.name}`);
    }
    if (waypoints.size === 0) return;
    const check = (resource: Resource, labels: Record<string, string>, ownNamespace: string, path: string) => {
      const ref = waypointOf(labels, ownNamespace);
      if (ref === undefined || waypoints.has(ref)) return;
      ctx.report(resource, 'ReferencedResourceNotFound',
        `Referenced waypoint not found: "${ref}" (the ${USE_WAYPOINT} label names no Gateway of class ${WAYPOINT_CLASS} of the program, so the traffic bypasses the waypoint and its L7 policies).`,
        path, 'Warning');
    };
    for (const ns of ctx.list(K.Namespace)) check(ns, ns.labels, ns.name, 'metadata.labels');
    for (const kind of [K.Service, K.ServiceEntry, K.WorkloadEntry]) {
      for (const r of ctx.list(kind)) check(r, r.labels, r.namespace, 'metadata.labels');
    }
    for (const w of workloads(ctx)) check(w.resource, w.labels, w.namespace, w.isPod ? 'metadata.labels' : 'spec.template.metadata.labels');
  },
};

/**
 * Whether an object (a Service or ServiceEntry) uses a waypoint, as Istio resolves it: its own
 * `istio.io/use-waypoint` label wins (`none` opts out), else its namespace's (Go: `fetchWaypointForTarget`).
 */
function usesWaypoint(object: Resource, ns: Resource): boolean {
  const own = object.labels[USE_WAYPOINT];
  if (own !== undefined) return own !== '' && own !== 'none';
  return waypointOf(ns.labels, ns.name) !== undefined;
}

/**
 * `library.WaypointTargetAnalyzer`: an AuthorizationPolicy that targets a Service or ServiceEntry
 * (`targetRefs` kind Service or ServiceEntry) is enforced by the waypoint that object uses; when
 * the program declares the object and its Namespace and neither chooses a waypoint (or the object
 * opts out with `istio.io/use-waypoint: none`), nothing enforces the policy (sidecars and ztunnel
 * ignore policies with `targetRefs`): IST0167 IneffectivePolicy.
 */
const waypointTargetAnalyzer: Analyzer = {
  name: 'library.WaypointTargetAnalyzer',
  analyze(ctx) {
    const kinds: Record<string, string> = { 'Service': K.Service, 'networking.istio.io/ServiceEntry': K.ServiceEntry };
    for (const policy of ctx.list(K.AuthorizationPolicy)) {
      list(policy.spec.targetRefs).forEach((ref, i) => {
        if (!isRecord(ref) || typeof ref.name !== 'string') return;
        const group = typeof ref.group === 'string' ? ref.group : '';
        const kind = kinds[group === '' ? String(ref.kind) : `${group}/${String(ref.kind)}`];
        if (kind === undefined) return;
        const target = ctx.find(kind, policy.namespace, ref.name);
        const ns = ctx.find(K.Namespace, '', policy.namespace);
        if (!target || target.external || !ns || ns.external || usesWaypoint(target, ns)) return;
        ctx.report(policy, 'IneffectivePolicy',
          `The policy has no impact: it targets ${target.kind} ${policy.namespace}/${ref.name}, which uses no waypoint (${USE_WAYPOINT} is not set on it nor on namespace ${policy.namespace}, or is "none"), `
          + `and only waypoints apply policies with targetRefs; label the ${target.kind} or its namespace to use a waypoint.`,
          `spec.targetRefs[${i}]`);
      });
    }
  },
};

/** The ambient-mode analyzers, in the order they run. */
export const ambientAnalyzers: readonly Analyzer[] = [ambientPolicyAnalyzer, waypointReferenceAnalyzer, waypointTargetAnalyzer];
