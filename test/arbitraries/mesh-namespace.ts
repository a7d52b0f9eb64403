/**
 * Props arbitraries of MeshNamespace for the fuzz table: each injection mode with the field it
 * needs (sometimes the wrong one, or a revision with dots), and extra labels and annotations that
 * sometimes set a second injection label (IST0123).
 */
import * as fc from 'fast-check';
import { edgy, enumOf, exoticString, label, labels, name, props } from './primitives';
import { waypointRef } from './waypoint';

const MODES = ['sidecar', 'revision', 'revisionTag', 'ambient', 'disabled'];
const revision = edgy(label, fc.constantFrom('1-31-0', 'canary', 'default', 'prod-stable', '1.31.0', 'Canary', '-a', ''), exoticString);
const injectionLabels = fc.constantFrom(
  { 'istio-injection': 'enabled' }, { 'istio.io/rev': 'canary' }, { 'istio.io/dataplane-mode': 'ambient' },
  { 'istio.io/dataplane-mode': 'none' }, { 'sidecar.istio.io/inject': 'true' }, { 'istio.io/use-waypoint': 'waypoint' },
);
const extraLabels = edgy(fc.oneof(labels, injectionLabels), fc.tuple(labels, injectionLabels).map(([a, b]) => ({ ...(a as object), ...b })));
const annotations = edgy(fc.dictionary(fc.oneof(label, label.map((l) => `example.com/${l}`)), exoticString, { maxKeys: 2 }), injectionLabels);

/** Valid-looking MeshNamespace props: mostly the revision field that fits the mode. */
export const meshNamespaceProps: fc.Arbitrary<unknown> = fc.tuple(enumOf(MODES), label).chain(([mode, ns]) => props({
  name: edgy(fc.constant(ns), name),
  injection: fc.constant(mode),
  ...(mode === 'revision' ? { revision } : {}),
  ...(mode === 'revisionTag' ? { revisionTag: revision } : {}),
  labels: extraLabels,
  annotations,
  // ambient: the namespace's waypoint (its own namespace's, or another's)
  waypoint: waypointRef(ns),
}, ['name', ...(mode === 'revision' ? ['revision' as const] : []), ...(mode === 'revisionTag' ? ['revisionTag' as const] : [])] as any));
