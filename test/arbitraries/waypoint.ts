/**
 * Arbitraries of ambient mode: Waypoint props (the fuzz table), WaypointRefs (a declared
 * waypoint's ref, `WaypointRef.fromName`, or a forged one) and PolicyTargetRefs, for the props of
 * MeshNamespace, AuthorizationPolicy and ExternalEgress that take them.
 */
import * as fc from 'fast-check';
import {
  DataplaneMode, ExternalHost, PolicyTargetRef, ServiceRef, WaypointNamespaces, WaypointRef, WaypointTrafficType, buildWaypoint,
} from '../../src';
import { edgy, enumOf, exoticString, label, labels, name, props } from './primitives';
import { Call, Leaf } from './recipe';

const TRAFFIC_TYPES = Object.values(WaypointTrafficType) as string[];
const NAMESPACES = Object.values(WaypointNamespaces) as string[];

/** Keys of the Gateway API infrastructure maps: plain, prefixed, reserved by Istio, or bad. */
const infraKey = edgy(fc.oneof(label, label.map((l) => `example.com/${l}`)),
  fc.constantFrom('gateway.networking.k8s.io/x', `${'a'.repeat(253)}/x`, 'a b', ''), exoticString);
const infraMap = (values: fc.Arbitrary<unknown>, max: number) => edgy(
  fc.dictionary(infraKey as fc.Arbitrary<string>, values, { minKeys: 1, maxKeys: 3 }),
  fc.constant({}), fc.dictionary(label, values, { minKeys: max + 1, maxKeys: max + 2 }),
);

/** Valid-looking Waypoint props. */
export const waypointProps: fc.Arbitrary<unknown> = enumOf(NAMESPACES).chain((allowed) => props({
  name: edgy(name, fc.constantFrom('none', 'waypoint', 'egress-waypoint')),
  namespace: name,
  waypointFor: enumOf(TRAFFIC_TYPES),
  revision: edgy(fc.constantFrom('1-31-0', 'canary', 'prod-stable'), fc.constantFrom('1.31.0', 'Canary', ''), exoticString),
  allowedNamespaces: fc.constant(allowed),
  namespaceSelector: allowed === 'Selector' ? edgy(labels, fc.constant({})) : edgy(fc.constant(undefined), labels),
  infrastructure: props({
    labels: infraMap(edgy(label, exoticString), 8),
    annotations: infraMap(edgy(exoticString, fc.constant('x'.repeat(4097))), 16),
    parametersRef: edgy(fc.constantFrom('waypoint-params', 'params.v1'), exoticString),
  }),
}, ['namespace', ...(allowed === 'Selector' ? ['namespaceSelector' as const] : [])]));

const fromName = (n: unknown, ns: unknown) => new Call('WaypointRef.fromName', WaypointRef.fromName as any, [n, ns]);
/** The ref of a waypoint the program declares. */
const declared = (n: unknown, ns: unknown, waypointFor: unknown, allowed: unknown) => new Call('buildWaypoint(...).ref',
  (nn: any, nns: any, wf: any, al: any) => buildWaypoint({
    name: nn, namespace: nns, waypointFor: wf, allowedNamespaces: al, ...(al === WaypointNamespaces.SELECTOR ? { namespaceSelector: { mesh: 'yes' } } : {}),
  }).ref, [n, ns, waypointFor, allowed]);

/**
 * A WaypointRef in (mostly) `namespace` (a valid namespace name): declared (of each traffic type
 * and namespace policy), from a name, or a forged object. The factories are called with valid
 * arguments, so realizing never throws (bad waypoint props are the Waypoint target's job).
 */
export function waypointRef(namespace: string): fc.Arbitrary<unknown> {
  return edgy(
    fc.oneof(
      fc.tuple(fc.constantFrom('waypoint', 'wp', 'egress'), fc.constantFrom(...TRAFFIC_TYPES), fc.constantFrom(...NAMESPACES))
        .map(([n, t, a]) => declared(n, namespace, t, a)),
      label.map((n) => fromName(n, namespace)),
    ),
    fc.tuple(label, label).map(([n, ns]) => fromName(n, ns)),
    fc.constantFrom(
      new Leaf('Object.create(WaypointRef.prototype)', () => Object.create(WaypointRef.prototype)),
      new Leaf('{ name: "waypoint", namespace: "a" }', () => ({ name: 'waypoint', namespace: 'a' })),
    ),
  );
}

/** PolicyTargetRefs, mostly in `namespace`. */
export function policyTargetRefs(namespace: string): fc.Arbitrary<unknown> {
  const target = fc.oneof(
    waypointRef(namespace).map((w) => new Call('PolicyTargetRef.waypoint', PolicyTargetRef.waypoint as any, [w])),
    edgy(label, name).map((n) => new Call('PolicyTargetRef.service', (nn: any, ns: any) => PolicyTargetRef.service(ServiceRef.fromName(nn, { namespace: ns })), [n, namespace])),
    edgy(label, name).map((n) => new Call('PolicyTargetRef.serviceEntryNamed', PolicyTargetRef.serviceEntryNamed as any, [n, namespace])),
    fc.constant(new Call('PolicyTargetRef.serviceEntry(ExternalHost.fromName)', () => PolicyTargetRef.serviceEntry(ExternalHost.fromName('a.example.com')), [])),
    fc.constant(new Leaf('Object.create(PolicyTargetRef.prototype)', () => Object.create(PolicyTargetRef.prototype))),
  );
  return edgy(fc.array(target, { minLength: 1, maxLength: 3 }), fc.constant([]), fc.array(target, { minLength: 17, maxLength: 17 }));
}

/** A dataplane mode. */
export const dataplaneMode: fc.Arbitrary<unknown> = enumOf(Object.values(DataplaneMode) as string[]);

