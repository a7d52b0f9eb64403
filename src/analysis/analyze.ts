/**
 * `analyze`: the whole-program analysis. One pass builds the indexes, then every analyzer reads
 * through them once; the cost grows as O(n log n) in the number of objects.
 */
import { ErrorCode, IstioConstructError } from '../core/errors';
import { Manifest } from '../core/manifest';
import { ALL_ANALYZERS } from './analyzers';
import { Context, resolveOptions, toResource } from './context';
import { AnalysisInput, AnalysisOptions, Diagnostic, ResolvedAnalysisOptions, Resource } from './types';

const LEVEL_ORDER = { Error: 0, Warning: 1, Info: 2 } as const;

function isInput(x: Manifest | AnalysisInput): x is AnalysisInput {
  return typeof x === 'object' && x !== null && 'manifest' in x && !('kind' in x);
}

/**
 * The names of the analyzers `analyze` can run (Istio's names, e.g. `virtualservice.GatewayAnalyzer`,
 * and the library's, `library.*`), with whether each runs by default.
 */
export function analyzerNames(): Array<{ name: string; default: boolean }> {
  return ALL_ANALYZERS.map((a) => ({ name: a.name, default: !a.optIn }));
}

/**
 * Analyzes a whole program's objects together, as `istioctl analyze` would before they are
 * applied: references that do not resolve, hosts a gateway does not serve, conflicting policies...
 * Objects are plain manifests (what the builders return, or YAML read by `parseManifests`).
 *
 * @param manifests every object of the program (or `{ manifest, source }` pairs, to name files in the diagnostics)
 * @param options what the manifests do not say: mesh config, Istio namespace, objects that exist elsewhere
 * @returns the diagnostics, errors first, each once, ordered by resource then code
 * @throws IstioConstructError (UNKNOWN_PROP) when `options.analyzers` names an analyzer that does not exist
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */
export function analyze(manifests: readonly (Manifest | AnalysisInput)[], options: AnalysisOptions = {}): Diagnostic[] {
  const resolved = resolveOptions(options);
  const resources: Resource[] = [];
  for (const x of manifests) {
    const r = toResource(isInput(x) ? x : { manifest: x }, resolved, false);
    if (r) resources.push(r);
  }
  const ctx = new Context(resources, resolved);
  // An external object the program also declares is the program's.
  const external = [...(options.external ?? []), ...(defaultIngress(options, resolved) ? defaultIngressObjects(resolved) : [])];
  for (const m of external) {
    const r = toResource({ manifest: m }, resolved, true);
    if (r) ctx.addExternal(r);
  }
  const wanted = options.analyzers ? new Set(options.analyzers) : undefined;
  if (wanted) {
    const known = new Set(ALL_ANALYZERS.map((a) => a.name));
    const unknown = [...wanted].filter((n) => !known.has(n));
    if (unknown.length) {
      throw new IstioConstructError(ErrorCode.UNKNOWN_PROP, 'analyzers', `unknown analyzer(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
        `use one of the names analyzerNames() returns, e.g. ${ALL_ANALYZERS[0]?.name ?? 'virtualservice.GatewayAnalyzer'}`, 'analyze');
    }
  }
  const excluded = (name: string) => (options.exclude ?? []).some((e) => (/[.*]$/.test(e) ? name.startsWith(e.replace(/\*$/, '')) : name === e));
  for (const a of ALL_ANALYZERS) {
    if (wanted ? !wanted.has(a.name) : a.optIn) continue;
    if (excluded(a.name)) continue;
    ctx.analyzer = a.name;
    a.analyze(ctx);
  }
  return sortAndDedupe(ctx.diagnostics);
}

function defaultIngress(options: AnalysisOptions, resolved: ResolvedAnalysisOptions): boolean {
  return (options.defaultIngressGateway ?? true) && resolved.meshConfig.ingressControllerMode !== 'OFF';
}

/**
 * Istio's default ingress gateway as `istioctl analyze` assumes it for files: a workload labelled
 * `istio: ingressgateway` and the `istio-ingressgateway` Service (ports 80, 443, 31400, 15443) in
 * the Istio namespace.
 */
function defaultIngressObjects(resolved: ResolvedAnalysisOptions): Manifest[] {
  const namespace = resolved.istioNamespace;
  const labels = { istio: resolved.meshConfig.ingressSelector ?? 'ingressgateway' };
  const port = (name: string, n: number) => ({ name, port: n, protocol: 'TCP', targetPort: n });
  return [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'istio-ingressgateway-dummypod', namespace, labels }, spec: { containers: [{ name: 'istio-proxy' }] } },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: String(resolved.meshConfig.ingressService ?? 'istio-ingressgateway'), namespace },
      spec: { selector: labels, ports: [port('http2', 80), port('https', 443), port('tcp', 31400), port('tls', 15443)] },
    },
  ];
}

/** Errors first, then by resource, code and message; identical diagnostics once. */
export function sortAndDedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.code}\u0000${d.resource}\u0000${d.message}\u0000${d.path ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]
    || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0)
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
