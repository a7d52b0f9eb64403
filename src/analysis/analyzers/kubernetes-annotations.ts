/**
 * The annotation checks of the `kubernetes` family: Istio annotations on Namespaces, Services, Pods
 * and Deployments that are unknown, misplaced, malformed, deprecated (`annotations.K8sAnalyzer`)
 * or alpha (`maturity.AlphaAnalyzer`, opt-in). Semantics follow Istio's
 * `pkg/config/analysis/analyzers/annotations` and `maturity`. @internal
 */
import { parse as parseYaml } from 'yaml';
import { isCidr } from '../../core/checks';
import {
  ALWAYS_IGNORED_ANNOTATIONS, AnnotationInfo, CNI_DEFAULT_ANNOTATIONS, ISTIO_ANNOTATIONS, isIstioAnnotation,
} from '../annotations-data';
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';

/** The kinds whose own `metadata.annotations` the annotation checks read, with the catalogue's name for each. */
const ANNOTATED_KINDS: ReadonlyArray<[string, string]> = [
  [K.Namespace, 'Namespace'], [K.Service, 'Service'], [K.Pod, 'Pod'], [K.Deployment, 'Deployment'],
];

/** The path of an annotation, for diagnostics. */
const annotationPath = (key: string) => `metadata.annotations[${JSON.stringify(key)}]`;

/** Go's `strconv.ParseUint(s, 10, bits)`: decimal digits only, within range. */
function parseUint(s: string, bits: number): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 2 ** bits - 1 ? n : undefined;
}

/** A comma-separated port list as the injector reads it (the whole list and each entry trimmed). */
function portListError(what: string, value: string): string | undefined {
  const list = value.trim();
  if (!list) return undefined;
  for (const p of list.split(',')) {
    if (parseUint(p.trim(), 16) === undefined) return `${what} has ${JSON.stringify(p)}, which is not a port number (0-65535)`;
  }
  return undefined;
}

/** A comma-separated CIDR list (each `address/bits`, no spaces). */
function cidrListError(what: string, value: string): string | undefined {
  if (!value) return undefined;
  for (const c of value.split(',')) if (!isCidr(c)) return `${what} has ${JSON.stringify(c)}, which is not a CIDR block such as 10.0.0.0/8`;
  return undefined;
}

/** A comma-separated list of Linux interface names. */
function interfaceListError(value: string): string | undefined {
  if (!value) return undefined;
  for (const raw of value.split(',')) {
    const i = raw.trim();
    if (!i) return 'the list has an empty interface name';
    if (i.length > 15) return `interface name ${JSON.stringify(i)} is longer than 15 characters`;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(i)) return `interface name ${JSON.stringify(i)} has characters an interface name cannot have`;
  }
  return undefined;
}

/** A Kubernetes resource quantity (`100m`, `1Gi`, `0.5`, `1e3`). */
function quantityError(value: string): string | undefined {
  return /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$/.test(value)
    ? undefined : `${JSON.stringify(value)} is not a resource quantity such as 100m or 128Mi`;
}

/**
 * The value checks the sidecar injector applies to its annotations (Istio's
 * `inject.AnnotationValidation`): each returns why a value is malformed, or undefined.
 */
const VALUE_CHECKS: Readonly<Record<string, (value: string) => string | undefined>> = {
  'sidecar.istio.io/interceptionMode': (v) => (['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `${JSON.stringify(v)} is not REDIRECT, TPROXY or NONE`),
  'status.sidecar.istio.io/port': (v) => (parseUint(v.trim(), 16) === undefined ? `${JSON.stringify(v)} is not a port number (0-65535)` : undefined),
  'readiness.status.sidecar.istio.io/initialDelaySeconds': (v) => (parseUint(v, 32) === undefined ? `${JSON.stringify(v)} is not a non-negative whole number of seconds` : undefined),
  'readiness.status.sidecar.istio.io/periodSeconds': (v) => (parseUint(v, 32) === undefined ? `${JSON.stringify(v)} is not a non-negative whole number of seconds` : undefined),
  'readiness.status.sidecar.istio.io/failureThreshold': (v) => (parseUint(v, 32) === undefined ? `${JSON.stringify(v)} is not a non-negative whole number` : undefined),
  'traffic.sidecar.istio.io/includeOutboundIPRanges': (v) => (v === '*' ? undefined : cidrListError('includeOutboundIPRanges', v)),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': (v) => cidrListError('excludeOutboundIPRanges', v),
  'traffic.sidecar.istio.io/includeInboundPorts': (v) => (v === '*' ? undefined : portListError('includeInboundPorts', v)),
  'traffic.sidecar.istio.io/excludeInboundPorts': (v) => portListError('excludeInboundPorts', v),
  'traffic.sidecar.istio.io/excludeOutboundPorts': (v) => portListError('excludeOutboundPorts', v),
  'traffic.sidecar.istio.io/excludeInterfaces': interfaceListError,
  'traffic.sidecar.istio.io/kubevirtInterfaces': interfaceListError,
  'istio.io/reroute-virtual-interfaces': interfaceListError,
  'prometheus.istio.io/merge-metrics': (v) => (['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)
    ? undefined : `${JSON.stringify(v)} is not a boolean (true or false)`),
  'proxy.istio.io/config': (v) => {
    let doc: unknown;
    try {
      doc = parseYaml(v);
    } catch (e) {
      return `it is not valid YAML (${(e as Error).message.split('\n')[0]})`;
    }
    return doc === null || doc === undefined || (typeof doc === 'object' && !Array.isArray(doc)) ? undefined : 'it is not a ProxyConfig object';
  },
  'sidecar.istio.io/proxyCPU': quantityError,
  'sidecar.istio.io/proxyMemory': quantityError,
  'sidecar.istio.io/proxyCPULimit': quantityError,
  'sidecar.istio.io/proxyMemoryLimit': quantityError,
};

/** The kinds an annotation may be set on, for messages (`Any` omitted). */
const placesOf = (info: AnnotationInfo) => info.resources.filter((r) => r !== 'Any').join(', ');

function checkAnnotations(ctx: AnalysisContext, r: Resource, kind: string): void {
  for (const [key, value] of Object.entries(r.annotations)) {
    if (!isIstioAnnotation(key) || ALWAYS_IGNORED_ANNOTATIONS.has(key)) continue;
    const path = annotationPath(key);
    const info = ISTIO_ANNOTATIONS.get(key);
    if (!info) {
      ctx.report(r, 'UnknownAnnotation', `${key} is not an annotation Istio knows; check its spelling against Istio's annotation reference, or remove it.`, path);
      continue;
    }
    if (info.deprecated && !(key === 'sidecar.istio.io/inject' && 'sidecar.istio.io/inject' in r.labels)) {
      const instead = key === 'sidecar.istio.io/inject' ? ' use the sidecar.istio.io/inject label instead' : ' move to its replacement (see Istio\'s annotation reference)';
      ctx.report(r, 'DeprecatedAnnotation', `The annotation ${key} is deprecated;${instead}.`, path);
    }
    if (info.resources.includes('Any')) continue;
    if (!info.resources.includes(kind)) {
      const hint = kind === 'Deployment' && info.resources.includes('Pod') ? ' (on a Deployment, set it on spec.template.metadata.annotations)' : '';
      ctx.report(r, 'MisplacedAnnotation', `The annotation ${key} has no effect on a ${kind}: it applies to ${placesOf(info)} only; move it there${hint}.`, path);
      continue;
    }
    const problem = VALUE_CHECKS[key]?.(value);
    if (problem) ctx.report(r, 'InvalidAnnotation', `The value of the annotation ${key} is invalid: ${problem}; fix the value or remove the annotation.`, path);
  }
}

/** Whether a pod spec has no `istio-init` init container (the CNI plugin set its traffic annotations). */
function cniEnabled(podSpec: any): boolean {
  const inits = Array.isArray(podSpec?.initContainers) ? podSpec.initContainers : [];
  return !inits.some((c: any) => c?.name === 'istio-init');
}

function checkAlpha(ctx: AnalysisContext, r: Resource, kind: string): void {
  const skipCniDefaults = kind === 'Pod' && cniEnabled(r.spec);
  for (const key of Object.keys(r.annotations)) {
    if (!isIstioAnnotation(key)) continue;
    const info = ISTIO_ANNOTATIONS.get(key);
    if (!info || info.featureStatus !== 'Alpha' || ALWAYS_IGNORED_ANNOTATIONS.has(key)) continue;
    if (skipCniDefaults && CNI_DEFAULT_ANNOTATIONS.has(key)) continue;
    ctx.report(r, 'AlphaAnnotation', `The annotation ${key} belongs to an alpha feature: its behaviour may change or be removed in a later Istio release; use it knowingly.`, annotationPath(key));
  }
}

/**
 * `annotations.K8sAnalyzer`: Istio annotations (keys whose prefix ends in `istio.io`, and
 * `kubernetes.io/ingress.class`) on Namespaces, Services, Pods and Deployments that Istio does not
 * know (IST0108), that are deprecated (IST0135), set on a kind they do not apply to (IST0107), or
 * whose value the injector would refuse (IST0125).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0107/
 */
export const annotationsAnalyzer: Analyzer = {
  name: 'annotations.K8sAnalyzer',
  analyze(ctx) {
    for (const [key, kind] of ANNOTATED_KINDS) for (const r of ctx.list(key)) checkAnnotations(ctx, r, kind);
  },
};

/**
 * `maturity.AlphaAnalyzer` (opt-in, as in Istio): every annotation of an alpha feature (IST0136),
 * except those Istio's components set themselves, and the CNI plugin's defaults on a pod without
 * an `istio-init` init container.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0136/
 */
export const alphaAnalyzer: Analyzer = {
  name: 'maturity.AlphaAnalyzer',
  optIn: true,
  analyze(ctx) {
    for (const [key, kind] of ANNOTATED_KINDS) for (const r of ctx.list(key)) checkAlpha(ctx, r, kind);
  },
};
