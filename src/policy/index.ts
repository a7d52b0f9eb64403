/**
 * istio-constructs/policy: the whole-program analysis as a Pulumi CrossGuard policy pack. It runs
 * `analyze` once over every Kubernetes object of a stack (this library's components, raw
 * `CustomResource`s, `k8s.core.v1.Service`s, Deployments, Helm-rendered objects...) and reports
 * each finding against the resource's URN: errors through a mandatory policy, warnings through an
 * advisory one.
 *
 * ```ts
 * // index.ts of a policy pack directory (PulumiPolicy.yaml: `runtime: nodejs`)
 * import { IstioPolicyPack } from 'istio-constructs/policy';
 * new IstioPolicyPack('istio');
 * ```
 * then `pulumi preview --policy-pack <that directory>`.
 *
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/
 * @see https://istio.io/latest/docs/reference/config/analysis/
 * @packageDocumentation
 */
import { assertPeersInstalled } from '../core/peers';

assertPeersInstalled('istio-constructs/policy', ['@pulumi/policy'], require.resolve);

import { PolicyPack, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { analyze } from '../analysis/analyze';
import { AnalysisInput, Diagnostic } from '../analysis/types';
import { ErrorCode, IstioConstructError, show } from '../core/errors';
import { Manifest } from '../core/manifest';
import { isRecord } from '../analysis/util';

/** Options of the policies: what the stack's objects do not say, and analyzers to leave out. */
export interface IstioPolicyOptions {
  /**
   * The mesh config the stack runs under (the `mesh` key of the `istio` ConfigMap, as an object).
   * @default Istio's defaults
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
   */
  readonly meshConfig?: Record<string, unknown>;
  /** The namespace the control plane runs in. @default 'istio-system' */
  readonly istioNamespace?: string;
  /**
   * Objects that exist in the cluster but are not in the stack (Services, Secrets, gateways
   * managed elsewhere), as plain manifests: references to them resolve, nothing is reported on them.
   * @default - none
   */
  readonly external?: readonly Manifest[];
  /**
   * Analyzers to leave out, by name (`virtualservice.GatewayAnalyzer`) or by name prefix ending in
   * `.` or `*` (`schema.*`).
   * @default - none: every analyzer of the default set runs, including the schema checks of objects
   *   this library did not build
   */
  readonly exclude?: readonly string[];
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['meshConfig', 'istioNamespace', 'external', 'exclude']);

/** The name of the mandatory policy (Error diagnostics). */
export const ISTIO_ERRORS_POLICY = 'istio-analysis-errors';
/** The name of the advisory policy (Warning diagnostics). */
export const ISTIO_WARNINGS_POLICY = 'istio-analysis-warnings';

/** One Kubernetes object of a stack, as the analysis sees it. */
export interface StackObject {
  /** The object (the resource's properties; server-populated metadata and `status` left out). */
  readonly manifest: Manifest;
  /** The URN of the Pulumi resource that holds it. */
  readonly urn: string;
  /**
   * Whether some of its values are not known yet (during `pulumi preview`): the known part is
   * analyzed as an external object, so references to it resolve and nothing is reported about it.
   */
  readonly incomplete: boolean;
}

/**
 * The Kubernetes objects of a stack: every resource whose type is `kubernetes:<group>/<version>:<Kind>`
 * (CustomResources and the core kinds, `kubernetes:core/v1:Service`) and whose properties name
 * the object (`metadata.name`). Component resources (Helm charts, YAML groups), Patch resources,
 * Lists and providers are left out. Values not known yet are left out of the object, which is then
 * marked `incomplete`. Linear in the size of the properties.
 *
 * @param resources the stack's resources (`args.resources` of a stack validation)
 */
export function stackObjects(resources: readonly Pick<PolicyResource, 'type' | 'props' | 'urn'>[]): StackObject[] {
  const out: StackObject[] = [];
  for (const r of resources) {
    const match = /^kubernetes:([^:]+)\/([^/:]+):([A-Za-z0-9]+)$/.exec(r.type ?? '');
    if (!match || match[3].endsWith('Patch') || match[3].endsWith('List') || /^(helm\.sh|yaml|kustomize)$/.test(match[1])) continue;
    const state = { unknown: false };
    const props = plain(r.props, state, 0);
    if (!isRecord(props) || !isRecord(props.metadata) || typeof props.metadata.name !== 'string') continue;
    const [, group, version, kind] = match;
    const { status: _status, ...rest } = props;
    const { managedFields: _m, uid: _u, resourceVersion: _r, generation: _g, creationTimestamp: _c, selfLink: _s, ...metadata } = props.metadata;
    const manifest = {
      ...rest,
      apiVersion: typeof props.apiVersion === 'string' ? props.apiVersion : group === 'core' ? version : `${group}/${version}`,
      kind: typeof props.kind === 'string' ? props.kind : kind,
      metadata,
    } as Manifest;
    out.push({ manifest, urn: r.urn, incomplete: state.unknown });
  }
  return out;
}

/**
 * Runs the analysis over a stack's resources: `analyze` once over their Kubernetes objects
 * (`stackObjects`), each diagnostic paired with the URN of the resource it is about.
 *
 * @param resources the stack's resources (`args.resources` of a stack validation)
 * @param options see `IstioPolicyOptions`
 * @returns the diagnostics (errors first), each with the URN of its resource when the stack holds it
 */
export function analyzeStack(
  resources: readonly Pick<PolicyResource, 'type' | 'props' | 'urn'>[], options: IstioPolicyOptions = {},
): StackFinding[] {
  return analyzeObjects(stackObjects(resources), options);
}

/** One diagnostic of the analysis of a stack, with the URN of the resource it is about. */
export interface StackFinding {
  readonly diagnostic: Diagnostic;
  /** The URN of the resource holding the object the diagnostic is about. */
  readonly urn?: string;
}

/** `analyze` over a stack's objects; the incomplete ones (preview) are external. */
function analyzeObjects(objects: readonly StackObject[], options: IstioPolicyOptions): StackFinding[] {
  const urns = new Map<string, string>();
  const inputs: AnalysisInput[] = [];
  const partial: Manifest[] = [...(options.external ?? [])];
  for (const o of objects) {
    if (o.incomplete) {
      partial.push(o.manifest);
      continue;
    }
    inputs.push({ manifest: o.manifest });
    const namespace = typeof o.manifest.metadata.namespace === 'string' ? o.manifest.metadata.namespace : '';
    // The analysis places an object without a namespace in 'default', unless its kind is cluster-scoped.
    for (const ns of namespace ? [namespace] : ['default', '']) {
      const key = `${o.manifest.kind}\u0000${ns}\u0000${o.manifest.metadata.name}`;
      if (!urns.has(key)) urns.set(key, o.urn);
    }
  }
  const diagnostics = analyze(inputs, {
    meshConfig: options.meshConfig, istioNamespace: options.istioNamespace, external: partial, exclude: options.exclude,
  });
  return diagnostics.map((d) => ({ diagnostic: d, urn: urns.get(`${d.kind}\u0000${d.namespace ?? ''}\u0000${d.resourceName}`) }));
}

/**
 * The two stack policies of the analysis: `istio-analysis-errors` (mandatory: an Error diagnostic,
 * e.g. IST0101 for a route to a subset no DestinationRule defines, fails the preview or update)
 * and `istio-analysis-warnings` (advisory). Each violation is `Error IST0101 (VirtualService
 * ns/name) <message>`, reported against the resource's URN. When both policies run over the same
 * stack, the analysis runs once.
 *
 * @param options see `IstioPolicyOptions`
 * @throws IstioConstructError INVALID_PROP / UNKNOWN_PROP for options of the wrong shape
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/core-concepts/
 */
export function istioAnalysisPolicies(options: IstioPolicyOptions = {}): StackValidationPolicy[] {
  checkOptions(options);
  // Both policies see the same stack in one analysis request: the result is kept for the last
  // stack seen (compared by its objects, so a later preview or update is analyzed anew).
  let last: { key: string; findings: StackFinding[] } | undefined;
  const findings = (resources: readonly PolicyResource[]) => {
    const objects = stackObjects(resources);
    const key = JSON.stringify(objects);
    if (last?.key !== key) last = { key, findings: analyzeObjects(objects, options) };
    return last.findings;
  };
  const report = (level: Diagnostic['level']) => (args: StackValidationArgs, reportViolation: ReportViolation) => {
    for (const { diagnostic: d, urn } of findings(args.resources)) {
      if (d.level === level) reportViolation(`${d.level} ${d.code} (${d.resource}) ${d.message}`, urn);
    }
  };
  return [
    {
      name: ISTIO_ERRORS_POLICY,
      description: 'Istio objects that would not work together (istioctl analyze errors: IST codes, and the library\'s ICA codes).',
      enforcementLevel: 'mandatory',
      severity: 'high',
      url: 'https://istio.io/latest/docs/reference/config/analysis/',
      validateStack: report('Error'),
    },
    {
      name: ISTIO_WARNINGS_POLICY,
      description: 'Istio objects that are valid but risky (istioctl analyze warnings).',
      enforcementLevel: 'advisory',
      severity: 'medium',
      url: 'https://istio.io/latest/docs/reference/config/analysis/',
      validateStack: report('Warning'),
    },
  ];
}

/**
 * A CrossGuard policy pack with the analysis' policies (`istioAnalysisPolicies`). Constructing it
 * serves the pack to the Pulumi CLI: do it in the program of a policy pack directory, run by
 * `pulumi preview --policy-pack <dir>`, not in a stack's program.
 *
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/get-started/
 */
export class IstioPolicyPack extends PolicyPack {
  /**
   * @param name the pack's name @default 'istio-constructs'
   * @param options see `IstioPolicyOptions`
   * @throws IstioConstructError for options of the wrong shape
   */
  constructor(name: string = 'istio-constructs', options: IstioPolicyOptions = {}) {
    super(name, { policies: istioAnalysisPolicies(options), description: 'Whole-stack Istio analysis (istioctl analyze codes) by istio-constructs.' });
  }
}

/** Checks the options' shape, as an untyped caller may send them. */
function checkOptions(options: IstioPolicyOptions): void {
  const fail = (code: ErrorCode, path: string, problem: string, hint: string): never => {
    throw new IstioConstructError(code, path, problem, hint, 'istioAnalysisPolicies');
  };
  if (!isRecord(options)) fail(ErrorCode.INVALID_PROP, '', `expected an options object, got ${show(options)}`, 'pass { meshConfig?, istioNamespace?, external?, exclude? }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) fail(ErrorCode.UNKNOWN_PROP, key, `unknown option ${JSON.stringify(key)}`, `use one of ${[...OPTION_KEYS].join(', ')}`);
  }
  if (options.meshConfig !== undefined && !isRecord(options.meshConfig)) {
    fail(ErrorCode.INVALID_PROP, 'meshConfig', `expected an object, got ${show(options.meshConfig)}`, 'pass the mesh config as an object, e.g. { rootNamespace: "istio-system" }');
  }
  if (options.istioNamespace !== undefined && (typeof options.istioNamespace !== 'string' || options.istioNamespace === '')) {
    fail(ErrorCode.INVALID_PROP, 'istioNamespace', `expected a namespace name, got ${show(options.istioNamespace)}`, 'pass the namespace istiod runs in, e.g. "istio-system"');
  }
  if (options.external !== undefined) {
    if (!Array.isArray(options.external)) fail(ErrorCode.INVALID_PROP, 'external', `expected an array of manifests, got ${show(options.external)}`, 'pass [{ apiVersion, kind, metadata: { name, namespace }, ... }]');
    options.external.forEach((m, i) => {
      if (!isRecord(m) || typeof m.kind !== 'string' || !isRecord(m.metadata) || typeof m.metadata.name !== 'string') {
        fail(ErrorCode.INVALID_PROP, `external[${i}]`, `expected a manifest with kind and metadata.name, got ${show(m)}`, 'pass a Kubernetes object as plain JSON');
      }
    });
  }
  if (options.exclude !== undefined && (!Array.isArray(options.exclude) || options.exclude.some((e) => typeof e !== 'string' || e === ''))) {
    fail(ErrorCode.INVALID_PROP, 'exclude', `expected analyzer names, got ${show(options.exclude)}`, 'pass names such as "virtualservice.GatewayAnalyzer" or prefixes such as "schema.*"');
  }
}

/**
 * The strings Pulumi's engine puts in place of values it does not know yet (one per type: boolean,
 * number, string, array, asset, archive, object), as `@pulumi/policy` deserializes them.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7', '3eeb2bf0-c639-47a8-9e75-3b44932eb421', '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2', '030794c1-ac77-496b-92df-f27374a8bd58', 'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

/**
 * A plain JSON copy of resource properties. Reading a value Pulumi does not know yet (during a
 * preview the properties are a proxy that throws on it) leaves that value out and sets
 * `state.unknown`; so do Pulumi's unknown markers, assets and anything that is not JSON.
 */
function plain(value: unknown, state: { unknown: boolean }, depth: number): unknown {
  if (typeof value === 'string' && UNKNOWN_SENTINELS.has(value)) {
    state.unknown = true;
    return undefined;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'object' || depth > 64) {
    if (value !== undefined) state.unknown = true;
    return undefined;
  }
  const read = (key: string | number): unknown => {
    try {
      return plain((value as Record<string | number, unknown>)[key], state, depth + 1);
    } catch {
      state.unknown = true;
      return undefined;
    }
  };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v = read(i);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    state.unknown = true; // an unknown marker, an asset, a secret wrapper...
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = read(key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
