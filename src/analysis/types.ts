/**
 * The analyzer's public types: what goes in (manifests and options), what comes out
 * (diagnostics), and the interface one analyzer implements.
 */
import { Manifest } from '../core/manifest';
import { DiagnosticLevel, MessageName } from './messages';

/** Where an object came from, when it was read from a file. */
export interface SourceLocation {
  /** The file (or `-` for standard input). */
  readonly file: string;
  /** The 1-based line of the object's first line in the file. */
  readonly line?: number;
}

/**
 * One finding of the analysis, in `istioctl analyze`'s terms.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */
export interface Diagnostic {
  /** The message code: `IST0101` (Istio's) or `ICA0001` (the library's). */
  readonly code: string;
  /** The message type's name, e.g. `ReferencedResourceNotFound`. */
  readonly name: MessageName;
  readonly level: DiagnosticLevel;
  /**
   * The object the message is about, named as `istioctl analyze` names it: `Kind namespace/name`,
   * or `Kind name` for an object with no namespace.
   */
  readonly resource: string;
  readonly kind: string;
  /** The object's namespace; absent for a cluster-scoped object or one with no namespace. */
  readonly namespace?: string;
  /** The object's `metadata.name`. */
  readonly resourceName: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The analyzer that reported it, by Istio's name (`virtualservice.GatewayAnalyzer`) or the library's. */
  readonly analyzer: string;
  /** The field the message is about, as a JSON path-like string (`spec.http[0].route[1]`), when known. */
  readonly path?: string;
  /** Where the object was read from, when it was read from a file. */
  readonly source?: SourceLocation;
}

/** The input of `analyze`: a manifest, optionally with where it was read from. */
export interface AnalysisInput {
  readonly manifest: Manifest;
  readonly source?: SourceLocation;
}

/** Options of `analyze`: what the analysis needs to know that is not in the manifests. */
export interface AnalysisOptions {
  /**
   * The mesh config (the `mesh` key of the `istio` ConfigMap, as an object): root namespace,
   * default providers, extension providers, ingress controller mode, default proxy config...
   * @default Istio's defaults
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
   */
  readonly meshConfig?: Record<string, unknown>;
  /** The mesh networks config (`meshNetworks`), for multicluster checks. */
  readonly meshNetworks?: Record<string, unknown>;
  /** The namespace the control plane runs in. @default 'istio-system' */
  readonly istioNamespace?: string;
  /**
   * The namespace an object without `metadata.namespace` is placed in (what `kubectl apply`
   * would do). `''` keeps such objects without a namespace, as Istio's analyzer tests do.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Objects that exist in the cluster but are not part of the program (Services, Secrets, gateway
   * Deployments managed elsewhere): references to them resolve, and nothing is reported about them.
   */
  readonly external?: readonly Manifest[];
  /**
   * Assume Istio's default ingress gateway exists, as `istioctl analyze` does for files: a workload
   * labelled `istio: ingressgateway` (meshConfig.ingressSelector) and the `istio-ingressgateway`
   * Service (meshConfig.ingressService, ports 80, 443, 31400, 15443) in the Istio namespace, as
   * external objects. Never assumed when meshConfig.ingressControllerMode is OFF.
   * @default true
   */
  readonly defaultIngressGateway?: boolean;
  /** Run only these analyzers (by name, e.g. `virtualservice.GatewayAnalyzer`). @default every analyzer of the default set */
  readonly analyzers?: readonly string[];
  /**
   * Leave out these analyzers, by name or by name prefix ending in `.` or `*` (`schema.*` leaves
   * out every `schema.ValidationAnalyzer.<Kind>`, e.g. when each object was already validated).
   */
  readonly exclude?: readonly string[];
}

/** One object as the analyzers see it. */
export interface Resource {
  readonly manifest: Manifest;
  /** The API group (`''` for the core group). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  /** The effective namespace (`''` for cluster-scoped objects, or none when the default namespace is `''`). */
  readonly namespace: string;
  /** `Kind namespace/name` or `Kind name`. */
  readonly friendlyName: string;
  /** Whether it came from `options.external` (never reported on). */
  readonly external: boolean;
  readonly source?: SourceLocation;
  /** `metadata.labels` (never undefined). */
  readonly labels: Record<string, string>;
  /** `metadata.annotations` (never undefined). */
  readonly annotations: Record<string, string>;
  /** `spec`, or `{}`. */
  readonly spec: any;
}

/** What an analyzer reads and reports through. */
export interface AnalysisContext {
  /** The resolved options. */
  readonly options: ResolvedAnalysisOptions;
  /** The objects of one kind (`'networking.istio.io/VirtualService'`, `'/Service'`, `'apps/Deployment'`), in input order. */
  list(groupKind: string): readonly Resource[];
  /** One object by kind, namespace and name. */
  find(groupKind: string, namespace: string, name: string): Resource | undefined;
  /**
   * Reports a message about an object (ignored for external objects), at the message type's level
   * unless `level` says otherwise (a message whose seriousness depends on the context, e.g. ICA0004).
   */
  report(resource: Resource, message: MessageName, text: string, path?: string, level?: DiagnosticLevel): void;
}

/** The options every analyzer sees, with defaults applied. */
export interface ResolvedAnalysisOptions {
  readonly meshConfig: Record<string, any>;
  readonly meshNetworks?: Record<string, any>;
  readonly istioNamespace: string;
  /** `meshConfig.rootNamespace`, else the Istio namespace. */
  readonly rootNamespace: string;
  readonly defaultNamespace: string;
}

/** One analyzer: a named check over the whole set of objects. */
export interface Analyzer {
  /** Istio's analyzer name where it mirrors one (`virtualservice.GatewayAnalyzer`), else `library.<Name>`. */
  readonly name: string;
  /** Whether it is left out of the default set (as Istio leaves out `maturity.AlphaAnalyzer`). */
  readonly optIn?: boolean;
  analyze(ctx: AnalysisContext): void;
}
