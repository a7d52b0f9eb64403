/**
 * Analyzers of the `gateway` family: Istio `Gateway` objects checked against the gateway workloads
 * they select, the Services in front of those workloads, the TLS Secrets they name, and each other.
 * Facts from Istio's `pkg/config/analysis/analyzers/gateway`; the code is the library's own.
 *
 * Istio resolves a Gateway's `selector` against the Pods it sees. A program usually declares the
 * gateway as a Deployment (or installs it with Helm), not as Pods, so the workloads here are the
 * Pods AND the pod templates of workload controllers (`workloads(ctx)`), Pods first.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
import { X509Certificate } from 'crypto';
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { LabelIndex, Workload, declaresWorkloads, selectorMatches, workloads } from '../util';

const isRecord = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `{ key: value }` label selector with every value a string; anything else → `{}`. */
export function labelSelector(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = String(x);
  return out;
}

/**
 * A selector written as Kubernetes prints it (`labels.SelectorFromSet(...).String()`): pairs
 * `key=value` sorted by key, joined by commas; `''` for the empty selector (which matches every
 * workload).
 */
export function selectorString(selector: Record<string, string>): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}

/** The servers of a Gateway spec (non-objects dropped, indexes kept). */
function servers(gw: Resource): Array<{ server: any; index: number }> {
  const list = Array.isArray(gw.spec.servers) ? gw.spec.servers : [];
  const out: Array<{ server: any; index: number }> = [];
  list.forEach((server: unknown, index: number) => { if (isRecord(server)) out.push({ server, index }); });
  return out;
}

/** A server's port number as Istio reads it (`0` when absent). */
function serverPort(server: any): number {
  const n = Number(server?.port?.number);
  return Number.isFinite(n) ? n : 0;
}

/** `namespace/name`, as Istio's `FullName.String()` prints it. */
const fullName = (r: Resource) => `${r.namespace}/${r.name}`;

/**
 * The workloads of a program indexed by label, so that a selector is resolved by reading the
 * shortest posting list of its pairs instead of scanning every workload. Cached per analysis.
 * @internal
 */
export class WorkloadIndex {
  /** The index of one analysis. */
  public static of(ctx: AnalysisContext): WorkloadIndex {
    let w = indexes.get(ctx);
    if (!w) indexes.set(ctx, w = new WorkloadIndex(workloads(ctx)));
    return w;
  }

  private readonly labels: LabelIndex<Workload>;
  private readonly cache = new Map<string, readonly Workload[]>();

  private constructor(all: readonly Workload[]) {
    this.labels = new LabelIndex(all, (w) => w.labels);
  }

  /** The workloads (Pods first, then pod templates, each in input order) whose labels `selector` matches; `{}` matches all. */
  public select(selector: Record<string, string>): readonly Workload[] {
    const key = selectorString(selector);
    let hit = this.cache.get(key);
    if (!hit) this.cache.set(key, hit = this.labels.matching(selector));
    return hit;
  }
}

const indexes = new WeakMap<AnalysisContext, WorkloadIndex>();

/** The sentence that says how to make a gateway selector resolve. */
function selectorFix(selector: string): string {
  return `no Pod or workload pod template of the program has the labels ${selector ? `'${selector}'` : '(any)'}; `
    + 'set the selector to the labels of the gateway pods (e.g. istio: ingressgateway for the default ingress gateway), '
    + 'declare the gateway Deployment in the program, or pass it in options.external when it is installed elsewhere';
}

// ---------------------------------------------------------------------------------------------
// gateway.IngressGatewayPortAnalyzer

/** The ports a gateway workload is reachable on through the Services that select it. */
interface WorkloadPorts {
  /** Target ports (or service ports when the target port is not a number) of TCP Service ports. */
  readonly targets: Set<number>;
  /** Service ports whose target port is a number. */
  readonly mapped: Set<number>;
}

/** A Service port's `targetPort` as a number (Kubernetes' `IntValue`: `0` for a port name). */
function targetPortNumber(tp: unknown): number {
  if (typeof tp === 'number') return Number.isInteger(tp) ? tp : 0;
  if (typeof tp === 'string' && /^-?\d+$/.test(tp)) return Number(tp);
  return 0;
}

/**
 * Services by namespace: the ones without a selector (Istio's analyzer treats them as selecting
 * every pod of the namespace) and the others filed under the first pair of their selector.
 */
class ServiceSelectorIndex {
  private readonly byNamespace = new Map<string, { any: Resource[]; byPair: Map<string, Resource[]> }>();
  private readonly portsOf = new Map<Workload, WorkloadPorts>();

  public constructor(ctx: AnalysisContext) {
    for (const svc of ctx.list(K.Service)) {
      let ns = this.byNamespace.get(svc.namespace);
      if (!ns) this.byNamespace.set(svc.namespace, ns = { any: [], byPair: new Map() });
      const sel = labelSelector(svc.spec.selector);
      const first = Object.keys(sel).sort()[0];
      if (first === undefined) {
        ns.any.push(svc);
      } else {
        const key = `${first}\u0000${sel[first]}`;
        let list = ns.byPair.get(key);
        if (!list) ns.byPair.set(key, list = []);
        list.push(svc);
      }
    }
  }

  /** The ports of the Services (in the workload's namespace) that select a workload; cached. */
  public ports(w: Workload): WorkloadPorts {
    let p = this.portsOf.get(w);
    if (p) return p;
    p = { targets: new Set(), mapped: new Set() };
    const ns = this.byNamespace.get(w.namespace);
    if (ns) {
      const candidates = [...ns.any];
      for (const [k, v] of Object.entries(w.labels)) candidates.push(...(ns.byPair.get(`${k}\u0000${v}`) ?? []));
      for (const svc of candidates) {
        if (!selectorMatches(labelSelector(svc.spec.selector), w.labels)) continue;
        for (const port of Array.isArray(svc.spec.ports) ? svc.spec.ports : []) {
          if (!isRecord(port)) continue;
          // Kubernetes defaults a Service port's protocol to TCP.
          if ((port.protocol ?? 'TCP') !== 'TCP') continue;
          const number = Number(port.port);
          const tp = targetPortNumber(port.targetPort);
          if (tp !== 0) {
            p.targets.add(tp);
            p.mapped.add(number);
          } else {
            p.targets.add(number);
          }
        }
      }
    }
    this.portsOf.set(w, p);
    return p;
  }
}

/**
 * `gateway.IngressGatewayPortAnalyzer`: every Gateway selects at least one gateway workload
 * (else IST0101 ReferencedResourceNotFound on `spec.selector`), and every server port is exposed
 * by a Service in front of those workloads, as its target port or its service port (else IST0162
 * GatewayPortNotDefinedOnService). Only TCP Service ports count; any one selecting Service exposing
 * the port is enough.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0162/
 */
const ingressGatewayPortAnalyzer: Analyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  analyze(ctx) {
    const index = WorkloadIndex.of(ctx);
    const services = new ServiceSelectorIndex(ctx);
    const bySelector = new Map<string, { matched: number; ports: WorkloadPorts }>();
    for (const gw of ctx.list(K.Gateway)) {
      const selector = labelSelector(gw.spec.selector);
      const sel = selectorString(selector);
      let info = bySelector.get(sel);
      if (!info) {
        const selected = index.select(selector);
        const ports: WorkloadPorts = { targets: new Set(), mapped: new Set() };
        for (const w of selected) {
          const p = services.ports(w);
          p.targets.forEach((n) => ports.targets.add(n));
          p.mapped.forEach((n) => ports.mapped.add(n));
        }
        bySelector.set(sel, info = { matched: selected.length, ports });
      }
      if (info.matched === 0) {
        if (!declaresWorkloads(ctx)) continue;
        ctx.report(gw, 'ReferencedResourceNotFound', `The Gateway's selector '${sel}' selects no gateway workload: ${selectorFix(sel)}.`, 'spec.selector');
        continue;
      }
      for (const { server, index: i } of servers(gw)) {
        if (!isRecord(server.port)) continue;
        const port = serverPort(server);
        if (info.ports.targets.has(port) || info.ports.mapped.has(port)) continue;
        ctx.report(gw, 'GatewayPortNotDefinedOnService',
          `Server port ${port} is not exposed by any Service in front of the gateway workloads selected by '${sel}': `
          + `add a TCP port with port or targetPort ${port} to the gateway's Service (for the Helm chart: service.ports), or use a port it already exposes.`,
          `spec.servers[${i}].port`);
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// gateway.SecretAnalyzer

/** A Secret's data as strings: `data` decoded from base64, then `stringData` (which the API server merges over it). */
function secretData(secret: Resource): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const m = secret.manifest as any;
  if (isRecord(m.data)) for (const [k, v] of Object.entries(m.data)) if (typeof v === 'string') out.set(k, Buffer.from(v, 'base64'));
  if (isRecord(m.stringData)) for (const [k, v] of Object.entries(m.stringData)) if (typeof v === 'string') out.set(k, Buffer.from(v, 'utf8'));
  return out;
}

/**
 * Why a TLS Secret cannot serve a gateway, or undefined when it can: the certificate and key must
 * be under `cert`/`key` or `tls.crt`/`tls.key` (both non-empty), and the first PEM block of the
 * certificate must parse as an X.509 certificate valid now.
 */
export function gatewayCredentialProblem(secret: Resource, now: number = Date.now(), certificates?: Map<string, ParsedCertificate>): string | undefined {
  const data = secretData(secret);
  const has = (a: string, b: string) => (data.get(a)?.length ?? 0) > 0 && (data.get(b)?.length ?? 0) > 0;
  const cert = has('cert', 'key') ? data.get('cert')! : has('tls.crt', 'tls.key') ? data.get('tls.crt')! : undefined;
  if (!cert) {
    const keys = [...data.keys()].sort();
    return `it has no non-empty certificate and key under 'tls.crt' and 'tls.key' (or 'cert' and 'key'); its keys are ${keys.length ? keys.map((k) => `'${k}'`).join(', ') : 'none'}`;
  }
  const pem = /-----BEGIN ([^\n-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(cert.toString('latin1'));
  if (!pem) return 'its certificate is not PEM encoded';
  const body = pem[2].split(/\r?\n/).filter((l) => !l.includes(':')).join('');
  let x509 = certificates?.get(body);
  if (!x509) {
    x509 = parseCertificate(body);
    certificates?.set(body, x509);
  }
  if ('error' in x509) return `its certificate does not parse as X.509 (${x509.error})`;
  const from = Date.parse(x509.validFrom);
  const to = Date.parse(x509.validTo);
  if (!(now >= from && now <= to)) return `its certificate is expired or not yet valid (valid from ${x509.validFrom} to ${x509.validTo})`;
  return undefined;
}

/** What the analysis reads from a certificate: its validity period, or why it does not parse. @internal */
export type ParsedCertificate = { readonly validFrom: string; readonly validTo: string } | { readonly error: string };

/** Parses a PEM body (base64 DER) as an X.509 certificate. */
function parseCertificate(body: string): ParsedCertificate {
  try {
    const x509 = new X509Certificate(Buffer.from(body, 'base64'));
    return { validFrom: x509.validFrom, validTo: x509.validTo };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/** The namespace and name a credentialName refers to, from the gateway workload's namespace. */
function credentialRef(namespace: string, credentialName: string): { namespace: string; name: string } {
  const slash = credentialName.indexOf('/');
  return slash < 0 ? { namespace, name: credentialName } : { namespace: credentialName.slice(0, slash), name: credentialName.slice(slash + 1) };
}

/**
 * `gateway.SecretAnalyzer`: every TLS `credentialName` of a Gateway names a Secret in the
 * namespace of the gateway workload (not of the Gateway object), else IST0101
 * ReferencedResourceNotFound; that Secret holds a usable certificate and key, else IST0161
 * InvalidGatewayCredential (reported on the Gateway). A Gateway whose selector matches no workload
 * gets one IST0101 on `spec.selector` instead. Secrets created outside the program (cert-manager,
 * another team) are declared with `options.external`, as Istio's analyzer would otherwise report
 * them missing; their contents are not checked (they only declare that the Secret exists, e.g. with
 * no `data`). Servers' `credentialNames` lists are checked the same way. The validity check reads
 * the clock: a certificate that expires makes a later analysis report it.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0161/
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
const secretAnalyzer: Analyzer = {
  name: 'gateway.SecretAnalyzer',
  analyze(ctx) {
    const index = WorkloadIndex.of(ctx);
    const problems = new Map<Resource, string | undefined>();
    // Gateways often share one certificate: each distinct one is parsed once per analysis.
    const certificates = new Map<string, ParsedCertificate>();
    for (const gw of ctx.list(K.Gateway)) {
      const selector = labelSelector(gw.spec.selector);
      const first = index.select(selector)[0];
      const gwNs = first?.namespace ?? '';
      if (!gwNs) {
        if (!declaresWorkloads(ctx)) continue;
        const sel = selectorString(selector);
        ctx.report(gw, 'ReferencedResourceNotFound',
          `The Gateway's selector '${sel}' selects no gateway workload in a namespace, so the namespace its credentialName Secrets must be in is unknown: ${selectorFix(sel)}.`,
          'spec.selector');
        continue;
      }
      for (const { server, index: i } of servers(gw)) {
        const tls = server.tls;
        if (!isRecord(tls)) continue;
        const names: Array<[string, string]> = [];
        if (typeof tls.credentialName === 'string' && tls.credentialName) names.push([tls.credentialName, `spec.servers[${i}].tls.credentialName`]);
        if (Array.isArray(tls.credentialNames)) {
          tls.credentialNames.forEach((n: unknown, j: number) => { if (typeof n === 'string' && n) names.push([n, `spec.servers[${i}].tls.credentialNames[${j}]`]); });
        }
        for (const [cn, path] of names) {
          const ref = credentialRef(gwNs, cn);
          const secret = ctx.find(K.Secret, ref.namespace, ref.name);
          if (!secret) {
            ctx.report(gw, 'ReferencedResourceNotFound',
              `credentialName '${cn}' names no Secret ${ref.namespace}/${ref.name}: the gateway workload runs in namespace '${gwNs}' and reads its TLS Secret there; `
              + 'create the Secret in that namespace (or fix the name), or pass it in options.external when it is created outside the program.',
              path);
            continue;
          }
          // An external Secret only says that it exists: its contents are not known at synth time.
          if (secret.external) continue;
          if (!problems.has(secret)) problems.set(secret, gatewayCredentialProblem(secret, Date.now(), certificates));
          const problem = problems.get(secret);
          if (problem) {
            ctx.report(gw, 'InvalidGatewayCredential',
              `The TLS Secret ${ref.namespace}/${ref.name} named by credentialName '${cn}' cannot serve this gateway: ${problem}; `
              + "put a valid PEM certificate chain and its private key under 'tls.crt' and 'tls.key' (a kubernetes.io/tls Secret).",
              path);
          }
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// gateway.ConflictingGatewayAnalyzer

/**
 * `gateway.ConflictingGatewayAnalyzer`: two Gateways whose selectors pick the same gateway workload
 * (the same selector, or one selector containing the other with a workload both match) may not
 * declare the same port with the same host and bind address: IST0145 ConflictingGateways on each
 * server of each Gateway involved. A Gateway with a selector whose selector is used by no Gateway
 * server at all gets IST0101 on `spec.selector`.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0145/
 */
const conflictingGatewayAnalyzer: Analyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  analyze(ctx) {
    const index = WorkloadIndex.of(ctx);
    const gateways = ctx.list(K.Gateway);
    // selector → port → gateway full name → host → bind (the last server of a gateway on a port wins, as in Istio)
    const hostsOf = new Map<string, Map<number, Map<string, Map<string, string>>>>();
    const selectorOf = new Map<Resource, Record<string, string>>();
    for (const gw of gateways) {
      const selector = labelSelector(gw.spec.selector);
      selectorOf.set(gw, selector);
      const sel = selectorString(selector);
      for (const { server } of servers(gw)) {
        let byPort = hostsOf.get(sel);
        if (!byPort) hostsOf.set(sel, byPort = new Map());
        const port = serverPort(server);
        let byGw = byPort.get(port);
        if (!byGw) byPort.set(port, byGw = new Map());
        const hb = new Map<string, string>();
        for (const h of Array.isArray(server.hosts) ? server.hosts : []) hb.set(String(h), typeof server.bind === 'string' ? server.bind : '');
        byGw.set(fullName(gw), hb);
      }
    }
    // selector → port → `host\0bind` → gateway full names
    const hostIndex = new Map<string, Map<number, Map<string, string[]>>>();
    for (const [sel, byPort] of hostsOf) {
      const ports = new Map<number, Map<string, string[]>>();
      hostIndex.set(sel, ports);
      for (const [port, byGw] of byPort) {
        const hosts = new Map<string, string[]>();
        ports.set(port, hosts);
        for (const [gwName, hb] of byGw) {
          for (const [h, bind] of hb) {
            const key = `${h}\u0000${bind}`;
            let list = hosts.get(key);
            if (!list) hosts.set(key, list = []);
            list.push(gwName);
          }
        }
      }
    }
    // The selectors (of gateways with servers) that match each workload.
    const selectorsOfWorkload = new Map<Workload, string[]>();
    for (const sel of hostsOf.keys()) {
      for (const w of index.select(parseSelector(sel))) {
        let list = selectorsOfWorkload.get(w);
        if (!list) selectorsOfWorkload.set(w, list = []);
        list.push(sel);
      }
    }
    const relatedCache = new Map<string, string[]>();
    const related = (sel: string, selector: Record<string, string>): string[] => {
      let r = relatedCache.get(sel);
      if (r) return r;
      const out = new Set<string>();
      if (hostsOf.has(sel)) out.add(sel);
      for (const w of index.select(selector)) {
        for (const x of selectorsOfWorkload.get(w) ?? []) if (x.includes(sel) || sel.includes(x)) out.add(x);
      }
      relatedCache.set(sel, r = [...out]);
      return r;
    };
    for (const gw of gateways) {
      const selector = selectorOf.get(gw)!;
      const sel = selectorString(selector);
      const rel = related(sel, selector);
      if (sel !== '' && rel.length === 0) {
        ctx.report(gw, 'ReferencedResourceNotFound',
          `The Gateway's selector '${sel}' is used by no Gateway server that could share a workload with it (this Gateway declares no servers): add servers, or remove the Gateway.`,
          'spec.selector');
        continue;
      }
      const self = fullName(gw);
      for (const { server, index: i } of servers(gw)) {
        const port = serverPort(server);
        const bind = typeof server.bind === 'string' ? server.bind : '';
        const hosts: string[] = (Array.isArray(server.hosts) ? server.hosts : []).map(String);
        const conflicts = new Set<string>();
        for (const x of rel) {
          const byHost = hostIndex.get(x)?.get(port);
          if (!byHost) continue;
          for (const h of hosts) for (const other of byHost.get(`${h}\u0000${bind}`) ?? []) if (other !== self) conflicts.add(other);
        }
        if (conflicts.size === 0) continue;
        const names = [...conflicts].sort();
        ctx.report(gw, 'ConflictingGateways',
          `Server port ${port} with hosts ${hosts.join(',')} is also declared by Gateway(s) ${names.join(', ')} on the same gateway workload (selector '${sel}'); `
          + 'Istio keeps only one of them, so the other routes stop working: merge the servers into one Gateway, or use different hosts or ports.',
          `spec.servers[${i}]`);
      }
    }
  },
};

/** `k=v,k2=v2` → `{ k: 'v', k2: 'v2' }` (pairs that do not split in two on `=` are dropped, as Istio does). */
function parseSelector(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of s.split(',')) {
    const kv = pair.split('=');
    if (kv.length === 2) out[kv[0]] = kv[1];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// gateway.CertificateAnalyzer

/** A key that is equal for two server TLS settings exactly when Istio counts them as the same certificate. */
function certificateKey(tls: unknown): string | undefined {
  if (!isRecord(tls)) return undefined;
  if (typeof tls.credentialName === 'string' && tls.credentialName) return `secret\u0000${tls.credentialName}`;
  if (typeof tls.serverCertificate === 'string' && tls.serverCertificate && typeof tls.privateKey === 'string' && tls.privateKey) {
    return `file\u0000${tls.serverCertificate}\u0000${tls.privateKey}`;
  }
  return undefined;
}

/** Whether every pair of `x` is in `y` (Istio's `selectorSubset`). */
function isSubset(x: Record<string, string>, y: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(x)) if (y[k] !== v) return false;
  return true;
}

/**
 * `gateway.CertificateAnalyzer`: a TLS certificate (the same `credentialName`, or the same
 * `serverCertificate` and `privateKey` files) used by servers of two Gateways where the other
 * Gateway's selector includes this one's (so both configure one gateway workload): IST0138
 * GatewayDuplicateCertificate on this Gateway, once per other Gateway. Browsers reuse an HTTP/2
 * connection for every host a certificate covers, and the gateway may answer 404 for hosts of the
 * other Gateway.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0138/
 * @see https://istio.io/latest/docs/ops/common-problems/network-issues/#404-errors-occur-when-multiple-gateways-configured-with-same-tls-certificate
 */
const certificateAnalyzer: Analyzer = {
  name: 'gateway.CertificateAnalyzer',
  analyze(ctx) {
    const gateways = ctx.list(K.Gateway);
    const byCert = new Map<string, Resource[]>();
    const certsOf = new Map<Resource, Array<[string, number]>>();
    for (const gw of gateways) {
      const certs: Array<[string, number]> = [];
      for (const { server, index: i } of servers(gw)) {
        const key = certificateKey(server.tls);
        if (!key) continue;
        certs.push([key, i]);
        let list = byCert.get(key);
        if (!list) byCert.set(key, list = []);
        if (list[list.length - 1] !== gw) list.push(gw);
      }
      certsOf.set(gw, certs);
    }
    for (const gw of gateways) {
      const selector = labelSelector(gw.spec.selector);
      const self = fullName(gw);
      const reported = new Set<string>();
      for (const [key, i] of certsOf.get(gw) ?? []) {
        for (const other of byCert.get(key) ?? []) {
          const name = fullName(other);
          if (name === self || reported.has(name)) continue;
          if (!isSubset(selector, labelSelector(other.spec.selector))) continue;
          reported.add(name);
          ctx.report(gw, 'GatewayDuplicateCertificate',
            `Server ${i} uses the same TLS certificate as Gateway ${name} on the same gateway workload: clients reuse one HTTP/2 connection for the hosts of both `
            + 'and may get 404s; give each Gateway its own certificate, or merge the servers into one Gateway.',
            `spec.servers[${i}].tls`);
        }
      }
    }
  },
};

/** The `gateway` analyzers, in the order they run. */
export const gatewayAnalyzers: readonly Analyzer[] = [
  ingressGatewayPortAnalyzer,
  secretAnalyzer,
  conflictingGatewayAnalyzer,
  certificateAnalyzer,
];
