/**
 * MeshNamespace: a Namespace that joins the mesh in exactly one way. Istio decides how a
 * namespace's pods join from three labels: `istio-injection` (sidecars from the default
 * revision's injector, or `disabled`), `istio.io/rev` (sidecars from one revision or revision
 * tag) and `istio.io/dataplane-mode` (ambient). A namespace carrying two of them is ambiguous:
 * istioctl reports IST0123 (NamespaceMultipleInjectionLabels) and which one wins depends on the
 * webhooks installed. The builder writes one label and refuses extra labels that add another.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0123/
 * @see https://istio.io/latest/docs/ambient/usage/add-workloads/
 */
import { DATAPLANE_MODE_LABEL, USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL, WaypointRef } from '../core/ambient';
import { checkLabelName, checkLabels } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { checkProps, propsCtx } from '../core/props';

/**
 * How the pods of a namespace join the mesh.
 * - `sidecar`: `istio-injection: enabled`, sidecars from the default revision (or the `default` tag);
 * - `revision`: `istio.io/rev: <revision>`, sidecars from that control plane revision;
 * - `revisionTag`: `istio.io/rev: <tag>`, sidecars from the revision the tag points at (canary
 *   upgrades move the tag, not the namespaces);
 * - `ambient`: `istio.io/dataplane-mode: ambient`, no sidecars, traffic captured by ztunnel;
 * - `disabled`: `istio-injection: disabled`, no injection even where the injector would inject by default.
 */
export type InjectionMode = 'sidecar' | 'revision' | 'revisionTag' | 'ambient' | 'disabled';

/** Props of a MeshNamespace. */
export interface MeshNamespaceProps {
  /** The namespace name, a DNS-1123 label. */
  readonly name: string;
  /** How its pods join the mesh. @default 'sidecar' */
  readonly injection?: InjectionMode;
  /** The control plane revision, with `injection: 'revision'` (e.g. `1-31-0`; no dots). */
  readonly revision?: string;
  /** The revision tag, with `injection: 'revisionTag'` (e.g. `prod-stable`, or `default`). */
  readonly revisionTag?: string;
  /**
   * More labels. A label that sets the injection mode (`istio-injection`, `istio.io/rev`,
   * `istio.io/dataplane-mode`) is refused: set it with `injection`.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /** Annotations. @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * The waypoint the namespace's traffic goes through (ambient only): the namespace gets
   * `istio.io/use-waypoint` (and `istio.io/use-waypoint-namespace` for a waypoint of another
   * namespace), so ztunnel hands the traffic to its Services (and, for a `workload`/`all`
   * waypoint, to its pods) to the waypoint, which applies L7 policies and routes. A single
   * Service or ServiceEntry can use one instead: put `waypoint.useLabels(namespace)` on it.
   * @default - none: ztunnel only (L4)
   * @see https://istio.io/latest/docs/ambient/usage/waypoint/#use-a-waypoint-proxy
   */
  readonly waypoint?: WaypointRef;
}

/** What `buildMeshNamespace` returns. */
export interface MeshNamespaceOutput extends PatternOutput {
  /** The Namespace. */
  readonly namespace: Manifest;
}

/** The labels that set how a namespace joins the mesh. */
const INJECTION_LABEL = 'istio-injection';
const REVISION_LABEL = 'istio.io/rev';
const MODE_LABELS = [INJECTION_LABEL, REVISION_LABEL, DATAPLANE_MODE_LABEL];
/** The labels that choose the namespace's waypoint: set by `waypoint`. */
const WAYPOINT_LABELS = [USE_WAYPOINT_LABEL, USE_WAYPOINT_NAMESPACE_LABEL];
/** A pod label and annotation that does nothing on a Namespace. */
const POD_ONLY = 'sidecar.istio.io/inject';

/** A revision or tag: a DNS-1123 label (Istio refuses dots: `1-31-0`, not `1.31.0`). */
const REVISION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Builds a Namespace with exactly one injection mode. Pure.
 *
 * @throws IstioConstructError INVALID_NAME for a bad name, revision or tag; CONFLICTING_PROPS for
 *   a revision without `injection: 'revision'` (or a tag without `'revisionTag'`), a missing one,
 *   or an injection key set as an annotation or `sidecar.istio.io/inject` on the namespace;
 *   MULTIPLE_INJECTION_LABELS when `labels` sets an injection label (IST0123); INVALID_LABEL;
 *   AMBIENT_UNSUPPORTED for a `waypoint` without `injection: 'ambient'` (or one that would not take
 *   the namespace's traffic, see `WaypointRef.useLabels`), or a waypoint label in `labels` without
 *   it; CONFLICTING_PROPS for a waypoint label in `labels` next to `waypoint`, or in `annotations`.
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0123/
 */
export function buildMeshNamespace(props: MeshNamespaceProps): MeshNamespaceOutput {
  checkProps(propsCtx('MeshNamespace', props, 'name'), 'MeshNamespaceProps', props);
  const ctx = new Ctx(`MeshNamespace ${show(props.name)}`);
  const name = checkLabelName(ctx.at('name'), props.name, 'namespace name');
  const injection = props.injection ?? 'sidecar';
  const modeLabels = injectionLabels(ctx, injection, props);
  const extra = checkLabels(ctx.at('labels'), props.labels ?? {});
  const [modeKey] = Object.keys(modeLabels);
  for (const key of Object.keys(extra)) {
    if (key === POD_ONLY) {
      ctx.at('labels', key).fail(ErrorCode.CONFLICTING_PROPS, `${key} is a pod label: on a namespace Istio ignores it`,
        'set injection instead (or put the label on the pods)');
    }
    if (MODE_LABELS.includes(key)) {
      const same = key === modeKey;
      ctx.at('labels', key).fail(same ? ErrorCode.CONFLICTING_PROPS : ErrorCode.MULTIPLE_INJECTION_LABELS,
        same
          ? `the label ${key} is set by injection ${show(injection)} (${key}=${modeLabels[key]})`
          : `the label ${key}=${extra[key]} would give the namespace a second injection mode next to ${modeKey}=${modeLabels[modeKey]} (IST0123 NamespaceMultipleInjectionLabels)`,
        'choose the mode with injection only, and remove the label');
    }
  }
  // The waypoint labels: from `waypoint` (checked), or written by hand in `labels` (ambient only).
  for (const key of Object.keys(extra)) {
    if (!WAYPOINT_LABELS.includes(key)) continue;
    if (props.waypoint !== undefined) {
      ctx.at('labels', key).fail(ErrorCode.CONFLICTING_PROPS, `the label ${key} is set by waypoint`, 'remove the label, or remove waypoint');
    }
    if (injection !== 'ambient') {
      ctx.at('labels', key).fail(ErrorCode.AMBIENT_UNSUPPORTED,
        `${key} is read in ambient mode only; with injection ${show(injection)} the pods' sidecars handle the traffic`,
        'set injection: "ambient", or remove the label');
    }
  }
  let waypointLabels: Record<string, string> = {};
  if (props.waypoint !== undefined) {
    if (injection !== 'ambient') {
      ctx.at('waypoint').fail(ErrorCode.AMBIENT_UNSUPPORTED,
        `a waypoint takes traffic from ztunnel, in ambient mode only; with injection ${show(injection)} the pods' sidecars handle the traffic and the label does nothing for them`,
        'set injection: "ambient", or remove waypoint');
    }
    waypointLabels = props.waypoint.useLabelsAt(ctx.at('waypoint'), name, 'Namespace');
  }
  const annotations = checkAnnotations(ctx.at('annotations'), props.annotations ?? {});
  const namespace: Manifest = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { ...extra, ...modeLabels, ...waypointLabels },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
  };
  return { objects: [{ role: 'namespace', manifest: namespace }], namespace };
}

/** The one label of the mode. */
function injectionLabels(ctx: Ctx, injection: InjectionMode, props: MeshNamespaceProps): Record<string, string> {
  if (props.revision !== undefined && injection !== 'revision') {
    ctx.at('revision').fail(ErrorCode.CONFLICTING_PROPS, `revision is only read with injection "revision", not ${show(injection)}`,
      'set injection: "revision", or remove revision');
  }
  if (props.revisionTag !== undefined && injection !== 'revisionTag') {
    ctx.at('revisionTag').fail(ErrorCode.CONFLICTING_PROPS, `revisionTag is only read with injection "revisionTag", not ${show(injection)}`,
      'set injection: "revisionTag", or remove revisionTag');
  }
  switch (injection) {
    case 'sidecar': return { [INJECTION_LABEL]: 'enabled' };
    case 'disabled': return { [INJECTION_LABEL]: 'disabled' };
    case 'ambient': return { [DATAPLANE_MODE_LABEL]: 'ambient' };
    case 'revision': return { [REVISION_LABEL]: revisionValue(ctx.at('revision'), props.revision, 'revision', '1-31-0') };
    case 'revisionTag': return { [REVISION_LABEL]: revisionValue(ctx.at('revisionTag'), props.revisionTag, 'revision tag', 'prod-stable') };
  }
}

function revisionValue(ctx: Ctx, value: string | undefined, what: string, example: string): string {
  if (value === undefined) {
    return ctx.fail(ErrorCode.CONFLICTING_PROPS, `injection by ${what} needs the ${what}`, `give the ${what}, e.g. ${show(example)}`);
  }
  if (!REVISION.test(value) || value.length > 63) {
    ctx.fail(ErrorCode.INVALID_NAME, `${what} ${show(value)} is not a DNS-1123 label (Istio refuses dots and capitals)`, `write it like ${show(example)}`);
  }
  return value;
}

/** Annotation keys are qualified names like label keys; the injection keys are labels, not annotations. */
function checkAnnotations(ctx: Ctx, annotations: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(annotations).sort()) {
    if (MODE_LABELS.includes(key) || WAYPOINT_LABELS.includes(key) || key === POD_ONLY) {
      ctx.at(key).fail(ErrorCode.CONFLICTING_PROPS, `${key} is read by Istio as a label; as a namespace annotation it does nothing`,
        WAYPOINT_LABELS.includes(key) ? 'choose the waypoint with waypoint' : 'choose the mode with injection');
    }
    // Keys follow the label key syntax; values are free text.
    checkLabels(ctx, { [key]: 'x' });
    out[key] = annotations[key];
  }
  return out;
}
