/**
 * Helpers the analyzers share: host names, exportTo visibility, label selectors, the workloads of
 * a program (Pods, and the pod templates of workload controllers), and the service registry
 * (Services and ServiceEntries by host). Facts from Istio's analyzer utilities
 * (`pkg/config/analysis/analyzers/util`). @internal
 */
import { isJsonObject } from '../core/json';
import { K } from './kinds';
import { AnalysisContext, Resource } from './types';

/** Whether a value is a JSON object (`isJsonObject`), typed for reading fields of an object of unknown shape. */
export const isRecord = isJsonObject as (v: unknown) => v is Record<string, any>;

/** The cluster DNS suffix Istio's analyzers assume. */
export const CLUSTER_LOCAL = 'svc.cluster.local';

/**
 * A short host (no dot, not a wildcard) made fully qualified in a namespace:
 * `reviews` in `bookinfo` → `reviews.bookinfo.svc.cluster.local`. Other hosts are returned as is.
 */
export function toFqdn(namespace: string, host: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${namespace}.${CLUSTER_LOCAL}`;
}

/** `name.namespace.svc.cluster.local` → `{ name, namespace }`; anything else → undefined. */
export function fullNameOfFqdn(host: string): { name: string; namespace: string } | undefined {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  return m ? { name: m[1], namespace: m[2] } : undefined;
}

/** The Service a host names: an FQDN's name/namespace, else the host in `namespace`. */
export function serviceNameOfHost(namespace: string, host: string): { name: string; namespace: string } {
  return fullNameOfFqdn(host) ?? { name: host, namespace };
}

/** Whether `exportTo` (absent or empty = everywhere) makes an object visible in every namespace. */
export function exportsToAll(exportTo: unknown): boolean {
  return !Array.isArray(exportTo) || exportTo.length === 0 || exportTo.includes('*');
}

/**
 * The namespaces an object is visible in: `['*']` for all, else the listed ones (`.` → its own).
 */
export function visibleNamespaces(exportTo: unknown, ownNamespace: string): string[] {
  if (exportsToAll(exportTo)) return ['*'];
  return (exportTo as unknown[]).map((e) => (e === '.' ? ownNamespace : String(e)));
}

/** Whether an object with this exportTo (in `ownNamespace`) is visible from `namespace`. */
export function isVisibleFrom(exportTo: unknown, ownNamespace: string, namespace: string): boolean {
  if (exportsToAll(exportTo)) return true;
  for (const e of exportTo as unknown[]) {
    const scope = e === '.' ? ownNamespace : String(e);
    if (scope === '*' || scope === namespace) return true;
  }
  return false;
}

/** Whether every `key: value` of `selector` is in `labels` (an empty or absent selector matches everything). */
export function selectorMatches(selector: Record<string, string> | undefined | null, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== String(v)) return false;
  return true;
}

/** One workload the program declares: a Pod, or the pod template of a controller. */
export interface Workload {
  /** The Pod, or the controller holding the template. */
  readonly resource: Resource;
  readonly namespace: string;
  /** The pod's labels (the template's for a controller). */
  readonly labels: Record<string, string>;
  /** The pod's annotations. */
  readonly annotations: Record<string, string>;
  /** The pod spec. */
  readonly podSpec: any;
  /** Whether it is a live Pod (true) or a template (false). */
  readonly isPod: boolean;
}

const CONTROLLERS = [K.Deployment, K.StatefulSet, K.DaemonSet, K.ReplicaSet, K.Job];

const cache = new WeakMap<AnalysisContext, { pods: Workload[]; all: Workload[] }>();

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (x != null) out[k] = String(x);
  return out;
}

function workloadsOf(ctx: AnalysisContext): { pods: Workload[]; all: Workload[] } {
  let w = cache.get(ctx);
  if (w) return w;
  const pods: Workload[] = ctx.list(K.Pod).map((r) => ({
    resource: r, namespace: r.namespace, labels: r.labels, annotations: r.annotations, podSpec: r.spec, isPod: true,
  }));
  const templates: Workload[] = [];
  for (const kind of CONTROLLERS) {
    for (const r of ctx.list(kind)) {
      const t = r.spec?.template;
      templates.push({
        resource: r, namespace: r.namespace, labels: stringMap(t?.metadata?.labels), annotations: stringMap(t?.metadata?.annotations), podSpec: t?.spec ?? {}, isPod: false,
      });
    }
  }
  for (const r of ctx.list(K.CronJob)) {
    const t = r.spec?.jobTemplate?.spec?.template;
    templates.push({
      resource: r, namespace: r.namespace, labels: stringMap(t?.metadata?.labels), annotations: stringMap(t?.metadata?.annotations), podSpec: t?.spec ?? {}, isPod: false,
    });
  }
  w = { pods, all: [...pods, ...templates] };
  cache.set(ctx, w);
  return w;
}

/** The live Pods of the input (what Istio's analyzers match selectors against). */
export function pods(ctx: AnalysisContext): readonly Workload[] {
  return workloadsOf(ctx).pods;
}

/** Pods and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs. */
export function workloads(ctx: AnalysisContext): readonly Workload[] {
  return workloadsOf(ctx).all;
}

/**
 * Whether the input declares a workload (Pod or pod template): one of the program's, or an
 * external one outside the Istio namespace. The external ones there (the default ingress gateway
 * `analyze` assumes, the control plane) say nothing about where the program's workloads run. When
 * the input declares none, its workloads are deployed elsewhere, and "this selector selects
 * nothing" cannot be decided: the analyzers do not report it (`istioctl analyze` on files likewise
 * skips the analyzers that need Pods).
 */
export function declaresWorkloads(ctx: AnalysisContext, of: readonly Workload[] = workloads(ctx)): boolean {
  return of.some((w) => !w.resource.external || w.namespace !== ctx.options.istioNamespace);
}

/** One port of a service in the registry. */
export interface RegistryPort {
  readonly number: number;
  readonly name?: string;
  readonly protocol?: string;
}

/** A service as route destinations see it: a Kubernetes Service or a ServiceEntry. */
export interface RegistryService {
  readonly resource: Resource;
  /** Its ports. */
  readonly ports: readonly RegistryPort[];
}

/**
 * The service registry of a program: every Service and ServiceEntry host, scoped by the
 * namespaces it is visible in (Istio's `InitServiceEntryHostMap`), with the lookup Istio's
 * analyzers do for a route destination (`GetDestinationHost`): exact host visible everywhere, then
 * visible in the caller's namespace or exportTo, then wildcard ServiceEntry hosts.
 */
export class ServiceRegistry {
  /** Cached per analysis. */
  public static of(ctx: AnalysisContext): ServiceRegistry {
    let r = registries.get(ctx);
    if (!r) registries.set(ctx, r = new ServiceRegistry(ctx));
    return r;
  }

  /** `scope/fqdn` → service. */
  private readonly byScopedHost = new Map<string, RegistryService>();
  /** Wildcard hosts: [scope, host without '*', service]. */
  private readonly wildcards: Array<[string, string, RegistryService]> = [];

  private constructor(ctx: AnalysisContext) {
    for (const r of ctx.list(K.ServiceEntry)) {
      const ports = (Array.isArray(r.spec.ports) ? r.spec.ports : []).map((p: any) => ({ number: Number(p?.number), name: p?.name, protocol: p?.protocol }));
      const svc: RegistryService = { resource: r, ports };
      const scopes = visibleNamespaces(r.spec.exportTo, r.namespace);
      for (const h of Array.isArray(r.spec.hosts) ? r.spec.hosts : []) {
        if (typeof h !== 'string') continue;
        for (const scope of scopes.includes('*') ? ['*'] : scopes) this.add(scope, toFqdn(r.namespace, h), svc);
      }
    }
    for (const r of ctx.list(K.Service)) {
      const ports = (Array.isArray(r.spec.ports) ? r.spec.ports : []).map((p: any) => ({ number: Number(p?.port), name: p?.name, protocol: p?.protocol }));
      const svc: RegistryService = { resource: r, ports };
      const anno = r.annotations['networking.istio.io/exportTo'];
      const scopes = anno ? anno.split(',').map((s) => s.trim()).map((s) => (s === '.' ? r.namespace : s)) : ['*'];
      for (const scope of scopes) this.add(scope, toFqdn(r.namespace, r.name), svc);
    }
  }

  private add(scope: string, fqdn: string, svc: RegistryService): void {
    this.byScopedHost.set(`${scope}/${fqdn}`, svc);
    if (fqdn.startsWith('*')) this.wildcards.push([scope, fqdn.slice(1), svc]);
  }

  /**
   * The service a destination host resolves to, seen from `namespace` by an object with `exportTo`,
   * or undefined (Istio's `GetDestinationHost`).
   */
  public lookup(namespace: string, exportTo: unknown, host: string): RegistryService | undefined {
    const fqdn = toFqdn(namespace, host);
    const all = this.byScopedHost.get(`*/${fqdn}`);
    if (all) return all;
    if (!Array.isArray(exportTo) || exportTo.length === 0) {
      const local = this.byScopedHost.get(`${namespace}/${fqdn}`);
      if (local) return local;
    } else {
      for (const e of exportTo) {
        const found = this.byScopedHost.get(`${e === '.' ? namespace : e}/${fqdn}`);
        if (found) return found;
      }
    }
    const bare = fqdn.startsWith('*') ? fqdn.slice(1) : fqdn;
    for (const [scope, suffix, svc] of this.wildcards) {
      if (scope !== '*' && scope !== namespace) continue;
      if (bare.endsWith(suffix)) return svc;
    }
    return undefined;
  }
}

const registries = new WeakMap<AnalysisContext, ServiceRegistry>();

/**
 * An inverted index of labelled items by `key=value`, so the items a label selector matches are
 * found without scanning every item: the selector's rarest `key=value` pair gives the candidates,
 * which are then checked against the whole selector. Building is O(total labels); a lookup costs
 * the size of the smallest candidate list.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, T[]>();
  private readonly all: T[] = [];

  /**
   * @param items the items to index
   * @param labelsOf the labels of an item
   * @param scopeOf an optional scope (e.g. the namespace) a lookup is restricted to; `''` when absent
   */
  public constructor(items: Iterable<T>, private readonly labelsOf: (item: T) => Record<string, string>, private readonly scopeOf: (item: T) => string = () => '') {
    for (const item of items) {
      const scope = this.scopeOf(item);
      this.push(`${scope}\u0000`, item);
      for (const [k, v] of Object.entries(this.labelsOf(item))) this.push(`${scope}\u0000${k}\u0000${v}`, item);
      this.all.push(item);
    }
  }

  /** Whether the index holds no item at all (in any scope). */
  public get empty(): boolean {
    return this.all.length === 0;
  }

  /** The items of `scope` whose labels hold every `key: value` of `selector` (every item of the scope for an empty selector). */
  public matching(selector: Record<string, string>, scope = ''): T[] {
    let candidates = this.byPair.get(`${scope}\u0000`) ?? [];
    const pairs = Object.entries(selector);
    for (const [k, v] of pairs) {
      const list = this.byPair.get(`${scope}\u0000${k}\u0000${v}`) ?? [];
      if (list.length < candidates.length) candidates = list;
      if (candidates.length === 0) return [];
    }
    return pairs.length === 0 ? candidates : candidates.filter((item) => selectorMatches(selector, this.labelsOf(item)));
  }

  /** Whether at least one item of `scope` matches `selector`. */
  public some(selector: Record<string, string>, scope = ''): boolean {
    let candidates = this.byPair.get(`${scope}\u0000`) ?? [];
    for (const [k, v] of Object.entries(selector)) {
      const list = this.byPair.get(`${scope}\u0000${k}\u0000${v}`) ?? [];
      if (list.length < candidates.length) candidates = list;
    }
    return candidates.some((item) => selectorMatches(selector, this.labelsOf(item)));
  }

  private push(key: string, item: T): void {
    let list = this.byPair.get(key);
    if (!list) this.byPair.set(key, list = []);
    list.push(item);
  }
}
