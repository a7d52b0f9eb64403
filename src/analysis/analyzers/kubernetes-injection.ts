/**
 * The sidecar-injection checks of the `kubernetes` family: namespace injection labels
 * (`injection.Analyzer`), `image: auto` gateways nothing injects (`injection.ImageAutoAnalyzer`),
 * proxies older than the injector's image (`injection.ImageAnalyzer`), overlapping injector
 * webhooks (`webhook.Analyzer`) and external control plane webhook addresses
 * (`externalcontrolplane.ExternalControlPlaneAnalyzer`). Semantics follow Istio's
 * `pkg/config/analysis/analyzers/{injection,webhook,externalcontrolplane}`. @internal
 */
import { parse as parseYaml } from 'yaml';
import { isIp } from '../../core/checks';
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { selectorMatches } from '../util';
import { DATAPLANE_MODE_LABEL, INJECTION_LABEL, PROXY_CONTAINER, REVISION_LABEL, SIDECAR_INJECT } from '../istio-labels';

/** The name of the injector's ConfigMap (a revision adds `-<revision>`). */
const INJECTOR_CONFIG_MAP = 'istio-sidecar-injector';

const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** The name of the injector ConfigMap of a revision (`''` and `default` share the plain name). */
export function injectorConfigMapName(revision: string | undefined): string {
  return !revision || revision === 'default' ? INJECTOR_CONFIG_MAP : `${INJECTOR_CONFIG_MAP}-${revision}`;
}

/** The injector ConfigMap's `values` key, parsed as JSON, or undefined. */
function injectorValues(cm: Resource): any {
  const text = (cm.manifest as any).data?.values;
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** ConfigMaps by name (the first of each name, in input order). */
function configMapsByName(ctx: AnalysisContext): Map<string, Resource> {
  const byName = new Map<string, Resource>();
  for (const cm of ctx.list(K.ConfigMap)) if (!byName.has(cm.name)) byName.set(cm.name, cm);
  return byName;
}

/**
 * A Kubernetes `LabelSelector` (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist) against a label set; an absent selector matches everything, a malformed one nothing.
 */
export function labelSelectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined || selector === null) return true;
  if (typeof selector !== 'object') return false;
  const set = labels ?? {};
  const ml = selector.matchLabels;
  if (ml && typeof ml === 'object' && !selectorMatches(ml, set)) return false;
  for (const e of asArray(selector.matchExpressions)) {
    const key = e?.key;
    const values = asArray(e?.values).map(String);
    const has = typeof key === 'string' && Object.prototype.hasOwnProperty.call(set, key);
    switch (e?.operator) {
      case 'In': if (!values.length || !has || !values.includes(set[key])) return false; break;
      case 'NotIn': if (!values.length || (has && values.includes(set[key]))) return false; break;
      case 'Exists': if (values.length || !has) return false; break;
      case 'DoesNotExist': if (values.length || has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** The containers and init containers of a pod spec. */
const allContainers = (podSpec: any): any[] => [...asArray(podSpec?.containers), ...asArray(podSpec?.initContainers)];

/**
 * `injection.Analyzer`: namespaces with more than one kind of injection label (IST0123), user
 * namespaces with no injection label (IST0102; IST0148 when the injector enables namespaces by
 * default), and pods without a proxy in an `istio-injection=enabled` namespace (IST0103).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0102/
 */
export const injectionAnalyzer: Analyzer = {
  name: 'injection.Analyzer',
  analyze(ctx) {
    const configMaps = configMapsByName(ctx);
    // As in Istio, the injector's enableNamespacesByDefault, once read, carries over to the
    // namespaces that follow when their revision has no injector ConfigMap.
    let enableByDefault = false;
    const injected = new Set<string>();
    for (const ns of ctx.list(K.Namespace)) {
      if (ns.name === ctx.options.istioNamespace) continue;
      const labels = ns.labels;
      const hasInjection = INJECTION_LABEL in labels;
      const injection = labels[INJECTION_LABEL] ?? '';
      const hasRev = REVISION_LABEL in labels;
      const found: string[] = hasInjection ? [`${INJECTION_LABEL}=${injection}`] : [];
      for (const l of [REVISION_LABEL, DATAPLANE_MODE_LABEL]) {
        if (l in labels && (!hasInjection || injection === 'enabled')) found.push(`${l}=${labels[l]}`);
      }
      if (found.length > 1) {
        ctx.report(ns, 'NamespaceMultipleInjectionLabels',
          `Namespace ${ns.name} has several injection labels (${found.join(', ')}), which select different proxies; keep only one of them.`, 'metadata.labels');
      }
      if (labels[DATAPLANE_MODE_LABEL] === 'ambient') continue;
      const cm = configMaps.get(injectorConfigMapName(labels[REVISION_LABEL]));
      if (cm) {
        const byDefault = injectorValues(cm)?.sidecarInjectorWebhook?.enableNamespacesByDefault;
        enableByDefault = byDefault === true;
      }
      if (injection === '' && !hasRev) {
        if (enableByDefault) {
          ctx.report(ns, 'NamespaceInjectionEnabledByDefault',
            `Namespace ${ns.name} has no injection label, and the injector enables every such namespace by default: its pods get sidecars; label it istio-injection=disabled to opt out.`);
        } else {
          ctx.report(ns, 'NamespaceNotInjected',
            `Namespace ${ns.name} has no injection label, so its pods get no sidecar; label it istio-injection=enabled (or istio.io/rev=<revision>), or istio-injection=disabled to say it stays out of the mesh.`, 'metadata.labels');
        }
        continue;
      }
      if (injection === 'enabled') injected.add(ns.name);
    }
    for (const pod of ctx.list(K.Pod)) {
      if (!injected.has(pod.namespace)) continue;
      const inject = SIDECAR_INJECT in pod.labels ? pod.labels[SIDECAR_INJECT] : (pod.annotations[SIDECAR_INJECT] ?? '');
      if (inject.toLowerCase() === 'false' || pod.spec.hostNetwork === true) continue;
      const proxy = allContainers(pod.spec).find((c) => c?.name === PROXY_CONTAINER);
      if (!proxy?.image) {
        ctx.report(pod, 'PodMissingProxy',
          `Pod ${pod.namespace ? `${pod.namespace}/` : ''}${pod.name} runs without the istio-proxy sidecar although its namespace enables injection; restart it so the injector adds the proxy.`);
      }
    }
  },
};

/** Whether a pod spec asks for gateway injection (`istio-proxy` container with `image: auto`). */
const hasAutoImage = (podSpec: any) => asArray(podSpec?.containers).some((c) => c?.name === PROXY_CONTAINER && c?.image === 'auto');

/**
 * `injection.ImageAutoAnalyzer`: a Pod with `image: auto` on its `istio-proxy` container was not
 * injected (IST0147); a Deployment with it matches no Istio injector webhook (IST0146). The
 * Deployment check needs the injector's MutatingWebhookConfiguration (in the program or in
 * `options.external`); without one it reports nothing.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0146/
 */
export const imageAutoAnalyzer: Analyzer = {
  name: 'injection.ImageAutoAnalyzer',
  analyze(ctx) {
    const hooks = ctx.list(K.MutatingWebhookConfiguration)
      .flatMap((c) => asArray((c.manifest as any).webhooks))
      .filter((w) => typeof w?.name === 'string' && w.name.endsWith('istio.io'));
    for (const pod of ctx.list(K.Pod)) {
      if (!hasAutoImage(pod.spec)) continue;
      ctx.report(pod, 'ImageAutoWithoutInjectionError',
        `Pod ${pod.name} uses image: auto for istio-proxy but was not injected, so the container cannot start; enable injection for it (namespace or pod label) and recreate it.`,
        'spec.containers');
    }
    // With no Istio injector webhook in the program or its external objects, the install's
    // selectors are unknown: a Deployment cannot be judged (Istio would report every one).
    if (!hooks.length) return;
    for (const d of ctx.list(K.Deployment)) {
      const template = d.spec.template;
      if (!hasAutoImage(template?.spec)) continue;
      const ns = ctx.find(K.Namespace, '', d.namespace || 'default');
      const podLabels = template?.metadata?.labels ?? {};
      const matched = hooks.some((w) => labelSelectorMatches(w.namespaceSelector, ns?.labels) && labelSelectorMatches(w.objectSelector, podLabels));
      if (!matched) {
        ctx.report(d, 'ImageAutoWithoutInjectionWarning',
          `Deployment ${d.name} uses image: auto for istio-proxy but no Istio injector webhook selects its pods, so they will not start; label the namespace or the pod template for injection.`,
          'spec.template.spec.containers');
      }
    }
  },
};

/** The proxy image an injector ConfigMap injects (`hub/image:tag`, or `image` when it has a `/`). */
function injectorProxyImage(cm: Resource): string {
  const global = injectorValues(cm)?.global ?? {};
  const image = typeof global.proxy?.image === 'string' ? global.proxy.image : '';
  return image.includes('/') ? image : `${global.hub ?? ''}/${image}:${global.tag ?? ''}`;
}

/** `image.imageType` of a ProxyConfig-shaped object, or ''. */
const imageTypeOf = (pc: any): string => (typeof pc?.image?.imageType === 'string' ? pc.image.imageType : '');

/**
 * The image variant (`distroless`, ...) the injector gives a pod: mesh config default, then the
 * root namespace's ProxyConfig, the pod namespace's, a workload ProxyConfig selecting it, and the
 * pod's `proxy.istio.io/config` annotation, the last set one winning (Istio's
 * `EffectiveProxyConfigResolver.ImageType`).
 */
class ImageTypeResolver {
  private readonly root: string;
  private readonly namespaced = new Map<string, string>();
  private readonly workloads = new Map<string, Array<{ selector: Record<string, string>; type: string }>>();

  public constructor(private readonly ctx: AnalysisContext) {
    let root = imageTypeOf(ctx.options.meshConfig.defaultConfig);
    for (const pc of ctx.list(K.ProxyConfig)) {
      const type = imageTypeOf(pc.spec);
      if (pc.namespace === ctx.options.rootNamespace) {
        root = type || root;
      } else if (pc.spec.selector == null) {
        this.namespaced.set(pc.namespace, type);
      } else {
        let list = this.workloads.get(pc.namespace);
        if (!list) this.workloads.set(pc.namespace, list = []);
        list.push({ selector: pc.spec.selector?.matchLabels ?? {}, type });
      }
    }
    this.root = root;
  }

  public imageType(pod: Resource): string {
    let variant = this.root;
    variant = this.namespaced.get(pod.namespace) || variant;
    for (const w of this.workloads.get(pod.namespace) ?? []) if (w.type && selectorMatches(w.selector, pod.labels)) variant = w.type;
    const anno = pod.annotations['proxy.istio.io/config'];
    if (anno !== undefined) {
      try {
        variant = imageTypeOf(parseYaml(anno)) || variant;
      } catch {
        // an unparsable annotation leaves the variant as it is
      }
    }
    return variant === 'default' ? '' : variant;
  }
}

/**
 * `injection.ImageAnalyzer`: in namespaces with injection enabled, pods whose `istio-proxy`
 * image differs from the one their injector ConfigMap injects now (IST0158, one message per
 * namespace listing the pods). Pods with `sidecar.istio.io/proxyImage` are left out.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0158/
 */
export const imageAnalyzer: Analyzer = {
  name: 'injection.ImageAnalyzer',
  analyze(ctx) {
    const images = new Map<string, string>();
    for (const cm of ctx.list(K.ConfigMap)) if (cm.name.startsWith(INJECTOR_CONFIG_MAP)) images.set(cm.name, injectorProxyImage(cm));
    if (!images.size) return;
    const revisions = new Map<string, string>();
    const namespaces = new Map<string, Resource>();
    for (const ns of ctx.list(K.Namespace)) {
      namespaces.set(ns.name, ns);
      if (REVISION_LABEL in ns.labels) revisions.set(ns.name, ns.labels[REVISION_LABEL]);
      else if (ns.labels[INJECTION_LABEL] === 'enabled') revisions.set(ns.name, 'default');
    }
    const resolver = new ImageTypeResolver(ctx);
    const mismatched = new Map<string, string[]>();
    for (const pod of ctx.list(K.Pod)) {
      const rev = revisions.get(pod.namespace);
      if (rev === undefined || pod.annotations['sidecar.istio.io/proxyImage']) continue;
      const want = images.get(injectorConfigMapName(rev));
      if (want === undefined) continue;
      const variant = resolver.imageType(pod);
      for (const c of allContainers(pod.spec)) {
        if (c?.name !== PROXY_CONTAINER) continue;
        if (c.image !== want && c.image !== `${want}-${variant}`) {
          let list = mismatched.get(pod.namespace);
          if (!list) mismatched.set(pod.namespace, list = []);
          list.push(pod.name);
        }
      }
    }
    for (const [ns, podNames] of mismatched) {
      const r = namespaces.get(ns);
      if (!r) continue;
      podNames.sort();
      ctx.report(r, 'PodsIstioProxyImageMismatchInNamespace',
        `Pods in namespace ${ns} run a proxy image other than the one the injector now injects (${podNames.join(', ')}); restart them to pick up the current proxy.`);
    }
  },
};

/** The revisions a webhook configuration names (its label, and its webhooks' selectors). */
function revisionsOf(cfg: Resource): string[] {
  const revs = new Set<string>();
  if (REVISION_LABEL in cfg.labels) revs.add(cfg.labels[REVISION_LABEL]);
  for (const w of asArray((cfg.manifest as any).webhooks)) {
    for (const sel of [w?.namespaceSelector, w?.objectSelector]) {
      if (!sel || typeof sel !== 'object') continue;
      const ml = sel.matchLabels;
      if (ml && typeof ml === 'object' && REVISION_LABEL in ml) revs.add(String(ml[REVISION_LABEL]));
      for (const e of asArray(sel.matchExpressions)) if (e?.key === REVISION_LABEL) for (const v of asArray(e.values)) revs.add(String(v));
    }
  }
  return [...revs];
}

/** The label sets of namespaces (or objects) the webhook check tries, for each revision too. */
function labelSets(key: string, revisions: readonly string[]): Array<Record<string, string>> {
  const base = (): Array<Record<string, string>> => [{}, { [key]: key === INJECTION_LABEL ? 'enabled' : 'true' }, { [key]: key === INJECTION_LABEL ? 'disabled' : 'false' }];
  return [...base(), ...revisions.flatMap((rev) => base().map((s) => ({ ...s, [REVISION_LABEL]: rev })))];
}

/**
 * `webhook.Analyzer`: Istio's injector webhooks must not overlap (a namespace/pod label
 * combination selected by two webhooks is injected twice), and each must call a Service that
 * exists (IST0139).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0139/
 */
export const webhookAnalyzer: Analyzer = {
  name: 'webhook.Analyzer',
  analyze(ctx) {
    const hooks: Array<{ id: string; cfg: Resource; hook: any; index: number }> = [];
    const revisions = new Set<string>();
    for (const cfg of ctx.list(K.MutatingWebhookConfiguration)) {
      const revs = revisionsOf(cfg);
      const list = asArray((cfg.manifest as any).webhooks);
      if (!revs.length && !list.some((w) => typeof w?.name === 'string' && w.name.endsWith('istio.io'))) continue;
      list.forEach((hook, index) => hooks.push({ id: `${cfg.name}/${hook?.name}`, cfg, hook, index }));
      for (const r of revs) revisions.add(r);
    }
    const revs = [...revisions].sort();
    const reported = new Set<string>();
    for (const nsLabels of labelSets(INJECTION_LABEL, revs)) {
      for (const objLabels of labelSets(SIDECAR_INJECT, revs)) {
        const matches = hooks.filter((h) => labelSelectorMatches(h.hook?.namespaceSelector, nsLabels) && labelSelectorMatches(h.hook?.objectSelector, objLabels));
        const ids = [...new Set(matches.map((m) => m.id))].sort();
        if (ids.length < 2) continue;
        for (const m of matches) {
          const others = ids.filter((id) => id !== m.id);
          const key = `${m.id}\u0000${others.join(',')}`;
          if (reported.has(key)) continue;
          reported.add(key);
          ctx.report(m.cfg, 'InvalidWebhook',
            `Webhook ${m.id} selects the same namespaces and pods as ${others.join(', ')}, so pods would be injected twice; narrow the namespaceSelector/objectSelector of one of them, or remove it.`,
            `webhooks[${m.index}]`);
        }
      }
    }
    for (const h of hooks) {
      const svc = h.hook?.clientConfig?.service;
      if (!svc) continue;
      if (!ctx.find(K.Service, String(svc.namespace ?? ''), String(svc.name ?? ''))) {
        ctx.report(h.cfg, 'InvalidWebhook',
          `Webhook ${h.id} calls the control plane Service ${svc.namespace}/${svc.name}, which does not exist; point clientConfig.service at istiod's Service.`,
          `webhooks[${h.index}].clientConfig.service`);
      }
    }
  },
};

/**
 * The host of a webhook URL, or an error sentence when the URL cannot be parsed (an approximation
 * of Go's lenient `url.Parse`: control characters, bad `%` escapes, a missing scheme before `:`,
 * a non-numeric port).
 */
function urlHost(url: string): { host: string } | { error: string } {
  if (/[\x00-\x1f\x7f]/.test(url) || /%(?![0-9a-fA-F]{2})/.test(url)) return { error: 'is not a valid URL' };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (!scheme && /^[^/?#]*:/.test(url)) return { error: 'is not a valid URL (missing scheme)' };
  const rest = scheme ? url.slice(scheme[0].length) : url;
  if (!rest.startsWith('//')) return { host: '' };
  let authority = rest.slice(2).split(/[/?#]/)[0];
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    if (end < 0) return { error: 'is not a valid URL (unclosed IPv6 bracket)' };
    const port = authority.slice(end + 1);
    if (port && !/^:[0-9]*$/.test(port)) return { error: 'is not a valid URL (bad port)' };
    return { host: authority.slice(1, end) };
  }
  const colon = authority.lastIndexOf(':');
  if (colon >= 0 && !/^[0-9]*$/.test(authority.slice(colon + 1))) return { error: 'is not a valid URL (bad port)' };
  return { host: colon >= 0 ? authority.slice(0, colon) : authority };
}

/**
 * `externalcontrolplane.ExternalControlPlaneAnalyzer`: Istio's validating (`istio-validator*`,
 * `istiod-default-validator`) and injecting (`istio-sidecar-injector*`) webhooks must call either
 * a Service or a URL (IST0163 when neither, or when the URL is malformed); a URL whose host is an
 * IP address is reported too (IST0164).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0163/
 */
export const externalControlPlaneAnalyzer: Analyzer = {
  name: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
  analyze(ctx) {
    const check = (cfg: Resource) => {
      asArray((cfg.manifest as any).webhooks).forEach((hook, i) => {
        const name = hook?.name;
        const client = hook?.clientConfig ?? {};
        const path = `webhooks[${i}].clientConfig`;
        if (client.url !== undefined && client.url !== null) {
          const url = String(client.url);
          const parsed = urlHost(url);
          if ('error' in parsed) {
            ctx.report(cfg, 'InvalidExternalControlPlaneConfig', `The URL ${JSON.stringify(url)} of webhook ${name} ${parsed.error}; give the external istiod's https URL.`, `${path}.url`);
          } else if (isIp(parsed.host)) {
            ctx.report(cfg, 'ExternalControlPlaneAddressIsNotAHostname',
              `Webhook ${name} calls the external control plane at the IP address ${parsed.host}; use a hostname, so its certificate can be verified and the address can change.`, `${path}.url`);
          }
        } else if (!client.service) {
          ctx.report(cfg, 'InvalidExternalControlPlaneConfig', `Webhook ${name} has neither clientConfig.url nor clientConfig.service; set the URL of the external istiod.`, path);
        }
      });
    };
    for (const cfg of ctx.list(K.ValidatingWebhookConfiguration)) {
      if (cfg.name === 'istiod-default-validator' || cfg.name.startsWith('istio-validator')) check(cfg);
    }
    for (const cfg of ctx.list(K.MutatingWebhookConfiguration)) if (cfg.name.startsWith(INJECTOR_CONFIG_MAP)) check(cfg);
  },
};
