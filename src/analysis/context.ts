/**
 * The analysis context: the objects indexed once by kind and by kind/namespace/name, the resolved
 * options, and the diagnostics collected. Building it is one pass over the input (O(n)); every
 * analyzer then reads through the indexes. @internal
 */
import { Manifest } from '../core/manifest';
import { DiagnosticLevel, Messages, MessageName } from './messages';
import {
  AnalysisContext, AnalysisInput, AnalysisOptions, Diagnostic, Resource, ResolvedAnalysisOptions,
} from './types';
import { isRecord } from './util';

/** Namespaces Istio's analysis never looks at (Istio's `inject.IgnoredNamespaces`). */
export const IGNORED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** Kinds that have no namespace. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/Namespace', '/Node', '/PersistentVolume', 'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding', 'storage.k8s.io/StorageClass',
  'scheduling.k8s.io/PriorityClass', 'gateway.networking.k8s.io/GatewayClass', 'networking.k8s.io/IngressClass',
]);

/** The mesh config defaults the analyzers rely on (Istio's `mesh.DefaultMeshConfig`). */
export const DEFAULT_MESH_CONFIG: Readonly<Record<string, unknown>> = {
  ingressControllerMode: 'STRICT',
  ingressService: 'istio-ingressgateway',
  ingressClass: 'istio',
  ingressSelector: 'ingressgateway',
  enableAutoMtls: true,
  trustDomain: 'cluster.local',
  outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
  defaultConfig: {},
};

/** `apiVersion` → API group and version. */
export function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const slash = s.indexOf('/');
  return slash < 0 ? { group: '', version: s } : { group: s.slice(0, slash), version: s.slice(slash + 1) };
}

/** Resolves the options, with Istio's defaults. */
export function resolveOptions(options: AnalysisOptions = {}): ResolvedAnalysisOptions {
  const meshConfig: Record<string, any> = { ...DEFAULT_MESH_CONFIG, ...(options.meshConfig ?? {}) };
  const istioNamespace = options.istioNamespace ?? 'istio-system';
  return {
    meshConfig,
    meshNetworks: options.meshNetworks as Record<string, any> | undefined,
    istioNamespace,
    rootNamespace: typeof meshConfig.rootNamespace === 'string' && meshConfig.rootNamespace ? meshConfig.rootNamespace : istioNamespace,
    defaultNamespace: options.defaultNamespace ?? 'default',
  };
}

/** The labels or annotations of an object without any. */
const NONE: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Labels or annotations as a string map: the object itself when every value is a string (what the
 * API server stores, and what nearly every input holds), else a copy with the values stringified
 * and null members left out. Neither is written to.
 */
const stringMap = (v: unknown): Record<string, string> => {
  if (!isRecord(v)) return NONE;
  const keys = Object.keys(v);
  let i = 0;
  while (i < keys.length && typeof v[keys[i]] === 'string') i++;
  if (i === keys.length) return v as Record<string, string>;
  const out: Record<string, string> = {};
  for (const k of keys) {
    const x = v[k];
    if (x !== undefined && x !== null) out[k] = typeof x === 'string' ? x : String(x);
  }
  return out;
};

/** Makes the analyzers' view of one object, or undefined when it is not an object Istio would analyze. */
export function toResource(input: AnalysisInput, options: ResolvedAnalysisOptions, external: boolean): Resource | undefined {
  const m = input.manifest as Manifest | undefined;
  if (!isRecord(m) || typeof m.kind !== 'string' || !isRecord(m.metadata) || typeof m.metadata.name !== 'string') return undefined;
  const { group, version } = splitApiVersion(m.apiVersion);
  const key = `${group}/${m.kind}`;
  const written = typeof m.metadata.namespace === 'string' ? m.metadata.namespace : '';
  const namespace = CLUSTER_SCOPED.has(key) ? '' : (written || options.defaultNamespace);
  const scope = m.kind === 'Namespace' ? m.metadata.name : namespace;
  if (IGNORED_NAMESPACES.has(scope)) return undefined;
  return {
    manifest: m,
    group,
    version,
    kind: m.kind,
    name: m.metadata.name,
    namespace,
    friendlyName: namespace ? `${m.kind} ${namespace}/${m.metadata.name}` : `${m.kind} ${m.metadata.name}`,
    external,
    source: input.source,
    labels: stringMap(m.metadata.labels),
    annotations: stringMap(m.metadata.annotations),
    spec: isRecord((m as any).spec) ? (m as any).spec : {},
  };
}

/** The context one analysis run reads and reports through. @internal */
export class Context implements AnalysisContext {
  public readonly diagnostics: Diagnostic[] = [];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly byKey = new Map<string, Resource>();
  /** The analyzer now running (set by the runner). */
  public analyzer = '';

  public constructor(resources: readonly Resource[], public readonly options: ResolvedAnalysisOptions) {
    for (const r of resources) this.add(r, false);
  }

  /**
   * Adds an object after the program's: an external object, added only when no object of the same
   * kind, namespace and name is there already (the program's declaration wins).
   */
  public addExternal(r: Resource): void {
    this.add(r, true);
  }

  private add(r: Resource, unlessKnown: boolean): void {
    const kind = `${r.group}/${r.kind}`;
    const key = `${kind}\u0000${r.namespace}\u0000${r.name}`;
    const known = this.byKey.has(key);
    if (known && unlessKnown) return;
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, list = []);
    list.push(r);
    if (!known) this.byKey.set(key, r);
  }

  public list(groupKind: string): readonly Resource[] {
    return this.byKind.get(groupKind) ?? [];
  }

  public find(groupKind: string, namespace: string, name: string): Resource | undefined {
    return this.byKey.get(`${groupKind}\u0000${namespace}\u0000${name}`);
  }

  public report(resource: Resource, message: MessageName, text: string, path?: string, level?: DiagnosticLevel): void {
    if (resource.external) return;
    const type = Messages[message];
    const m = resource.manifest;
    this.diagnostics.push({
      code: type.code,
      name: message,
      level: level ?? type.level,
      resource: resource.friendlyName,
      kind: resource.kind,
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      resourceName: m.metadata.name,
      message: text,
      analyzer: this.analyzer,
      ...(path ? { path } : {}),
      ...(resource.source ? { source: resource.source } : {}),
    });
  }
}
