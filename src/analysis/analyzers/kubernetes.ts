/**
 * Analyzers of the `kubernetes` family: Istio's checks of Kubernetes objects (annotations,
 * Service port names, Deployments and their Services, application UIDs, sidecar injection,
 * webhooks, status conditions, mesh networks) and of deprecated Istio fields. Each mirrors the
 * Istio analyzer of the same name (`pkg/config/analysis/analyzers/...`).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */
import { K } from '../kinds';
import { AnalysisContext, Analyzer, Resource } from '../types';
import { alphaAnalyzer, annotationsAnalyzer } from './kubernetes-annotations';
import {
  externalControlPlaneAnalyzer, imageAnalyzer, imageAutoAnalyzer, injectionAnalyzer, webhookAnalyzer,
} from './kubernetes-injection';

const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** Whether an object belongs to Istio's control plane (an `istio` label, or `release: istio`). */
function isControlPlane(r: Resource): boolean {
  return 'istio' in r.labels || r.labels.release === 'istio';
}

/** The label gateway controllers put on the Deployments and Services they manage. */
const GATEWAY_MANAGED = 'gateway.istio.io/managed';
const MANAGED_BY_CONTROLLER = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

/** Ports Istio treats as TCP when their name names no protocol (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);
const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);

/**
 * Whether Istio can tell a Service port's protocol (Istio's `kube.ConvertProtocol`): UDP, an
 * `appProtocol` (or else the port name) whose prefix before `-` is a known protocol, a
 * `kubernetes.io/h2c|ws|wss` appProtocol, a `grpc-web` prefix, or a well-known TCP port.
 */
export function portProtocolKnown(port: any): boolean {
  if (port?.protocol === 'UDP') return true;
  const appProtocol = port?.appProtocol;
  const name = String(appProtocol ?? port?.name ?? '');
  if (appProtocol != null && ['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss'].includes(name)) return true;
  if (name.toLowerCase().startsWith('grpc-web')) return true;
  const prefix = name.split('-')[0].toLowerCase();
  return PROTOCOLS.has(prefix) || WELL_KNOWN_TCP_PORTS.has(Number(port?.port));
}

/** A Service port's targetPort as Kubernetes prints it, defaulting to the port. */
function targetPortOf(port: any): string {
  const t = port?.targetPort;
  const s = t === undefined || t === null ? '' : String(t);
  return s === '' || s === '0' ? String(port?.port) : s;
}

/**
 * `service.PortNameAnalyzer`: Service ports whose protocol Istio cannot tell from the name or
 * appProtocol (IST0118; IST0150 on an ExternalName Service, where a `tcp` name is reported too).
 * Control plane Services and gateway-managed Services are left out.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
const portNameAnalyzer: Analyzer = {
  name: 'service.PortNameAnalyzer',
  analyze(ctx) {
    for (const svc of ctx.list(K.Service)) {
      if (isControlPlane(svc) || MANAGED_BY_CONTROLLER.has(svc.labels[GATEWAY_MANAGED] ?? '')) continue;
      const externalName = svc.spec.type === 'ExternalName';
      asArray(svc.spec.ports).forEach((p, i) => {
        if (portProtocolKnown(p) && !(externalName && p?.name === 'tcp')) return;
        const path = `spec.ports[${i}]`;
        if (externalName) {
          ctx.report(svc, 'ExternalNameServiceTypeInvalidPortName',
            `Port ${p?.port} of ExternalName Service ${svc.name} is named ${JSON.stringify(p?.name ?? '')}, so its traffic is handled as plain TCP and may fail; name it <protocol>[-suffix] with an application protocol such as http or https.`, path);
        } else {
          ctx.report(svc, 'PortNameIsNotUnderNamingConvention',
            `Port ${p?.port} (targetPort ${targetPortOf(p)}) of Service ${svc.name} is named ${JSON.stringify(p?.name ?? '')}, which names no protocol, so Istio has to sniff it; name it <protocol>[-suffix] (http, grpc, tcp...) or set appProtocol.`, path);
        }
      });
    }
  },
};

/**
 * Whether a Deployment's pods are in the mesh (Istio's `DeploymentInMesh`): an `istio-proxy`
 * container, else the template's `sidecar.istio.io/inject` label, then annotation, then the
 * namespace's `istio-injection` label.
 */
function deploymentInMesh(ctx: AnalysisContext, d: Resource): boolean {
  const t = d.spec.template ?? {};
  if (asArray(t.spec?.containers).some((c) => c?.name === 'istio-proxy' && c?.image)) return true;
  for (const m of [t.metadata?.labels, t.metadata?.annotations]) {
    if (m && typeof m === 'object' && 'sidecar.istio.io/inject' in m) return String(m['sidecar.istio.io/inject']) === 'true';
  }
  const ns = ctx.find(K.Namespace, '', d.namespace);
  return ns ? ns.labels['istio-injection'] === 'enabled' : false;
}

/**
 * Services with a non-empty selector, indexed by namespace and by the rarest `key=value` of their
 * selector (the pair fewest Services select on), so the Services selecting a pod template are
 * found from the template's labels without scanning every Service of the namespace, even when
 * many Services share some selector label.
 */
class ServiceSelectorIndex {
  private readonly byKey = new Map<string, Resource[]>();

  public constructor(ctx: AnalysisContext) {
    const withSelector: Array<[Resource, string[]]> = [];
    const frequency = new Map<string, number>();
    for (const svc of ctx.list(K.Service)) {
      const sel = svc.spec.selector;
      if (!sel || typeof sel !== 'object') continue;
      const pairs = Object.entries(sel).map(([k, v]) => `${svc.namespace}\u0000${k}=${String(v)}`);
      if (!pairs.length) continue;
      withSelector.push([svc, pairs]);
      for (const p of pairs) frequency.set(p, (frequency.get(p) ?? 0) + 1);
    }
    for (const [svc, pairs] of withSelector) {
      const rarest = pairs.reduce((a, b) => ((frequency.get(b) ?? 0) < (frequency.get(a) ?? 0) || ((frequency.get(b) ?? 0) === (frequency.get(a) ?? 0) && b < a) ? b : a));
      let list = this.byKey.get(rarest);
      if (!list) this.byKey.set(rarest, list = []);
      list.push(svc);
    }
  }

  /** The Services of `namespace` whose selector selects `labels`. */
  public selecting(namespace: string, labels: Record<string, any>): Resource[] {
    const out = new Set<Resource>();
    for (const [k, v] of Object.entries(labels)) {
      for (const svc of this.byKey.get(`${namespace}\u0000${k}=${String(v)}`) ?? []) {
        if (Object.entries(svc.spec.selector).every(([sk, sv]) => Object.prototype.hasOwnProperty.call(labels, sk) && String(labels[sk]) === String(sv))) out.add(svc);
      }
    }
    return [...out];
  }
}

/**
 * `deployment.ServiceAssociationAnalyzer`: for each Deployment in the mesh, the Services (of its
 * namespace) that select its pods must not use one port number with different protocols
 * (IST0116), nor route different ports to one targetPort (IST0137). Waypoint Deployments are
 * left out.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0116/
 */
const serviceAssociationAnalyzer: Analyzer = {
  name: 'deployment.ServiceAssociationAnalyzer',
  analyze(ctx) {
    const index = new ServiceSelectorIndex(ctx);
    for (const d of ctx.list(K.Deployment)) {
      if (d.labels[GATEWAY_MANAGED] === 'istio.io-mesh-controller' || !deploymentInMesh(ctx, d)) continue;
      const labels = d.spec.template?.metadata?.labels;
      if (!labels || typeof labels !== 'object') continue;
      const services = index.selecting(d.namespace, labels);
      const byPort = new Map<number, Map<string, string[]>>();
      const byTarget = new Map<string, Map<number, string>>();
      for (const svc of services) {
        const full = svc.namespace ? `${svc.namespace}/${svc.name}` : svc.name;
        for (const p of asArray(svc.spec.ports)) {
          const port = Number(p?.port);
          const protocol = String(p?.protocol || 'TCP');
          let protocols = byPort.get(port);
          if (!protocols) byPort.set(port, protocols = new Map());
          protocols.set(protocol, [...(protocols.get(protocol) ?? []), full]);
          const target = targetPortOf(p);
          let ports = byTarget.get(target);
          if (!ports) byTarget.set(target, ports = new Map());
          ports.set(port, full);
        }
      }
      for (const [port, protocols] of byPort) {
        if (protocols.size < 2) continue;
        const names = [...protocols.values()].flat().sort();
        ctx.report(d, 'DeploymentAssociatedToMultipleServices',
          `The pods of Deployment ${d.name} are selected by Services that use port ${port} with different protocols (${names.join(', ')}); Istio can give a port only one protocol, so use one protocol or different port numbers.`,
          'metadata.name');
      }
      for (const [target, ports] of byTarget) {
        if (ports.size < 2) continue;
        const names = [...ports.values()].sort();
        const numbers = [...ports.keys()].sort((a, b) => a - b);
        ctx.report(d, 'DeploymentConflictingPorts',
          `Services ${names.join(', ')} select the pods of Deployment ${d.name} and send ports ${numbers.join(', ')} to one targetPort ${target}; Istio needs one port per targetPort, so make the Services use the same port.`,
          'metadata.name');
      }
    }
  },
};

/** Whether a container is Istio's own (the proxy or the operator), which may run as UID 1337. */
const isIstioContainer = (c: any) => c?.name === 'istio-proxy' || c?.name === 'istio-operator';

/**
 * The path of the first UID-1337 security context in a pod spec (`prefix` = path of the spec), or
 * undefined. Unlike Istio, a pod-level UID is not reported when every container is Istio's own
 * (an injected gateway, whose only container is `istio-proxy`, must run as 1337).
 */
function uid1337Path(podSpec: any, prefix: string): string | undefined {
  const containers = asArray(podSpec?.containers);
  const appContainers = containers.length === 0 || containers.some((c) => !isIstioContainer(c));
  if (appContainers && Number(podSpec?.securityContext?.runAsUser) === 1337) return `${prefix}.securityContext.runAsUser`;
  const i = containers.findIndex((c) => !isIstioContainer(c) && Number(c?.securityContext?.runAsUser) === 1337);
  return i >= 0 ? `${prefix}.containers[${i}].securityContext.runAsUser` : undefined;
}

/**
 * `deployment.ApplicationUIDAnalyzer`: Pods and Deployments (other than the control plane's)
 * whose pod or application containers run as UID 1337, the sidecar's UID, whose traffic the
 * sidecar does not intercept (IST0144). A pod whose only containers are Istio's own (an injected
 * gateway) may set 1337 at pod level.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0144/
 */
const applicationUidAnalyzer: Analyzer = {
  name: 'deployment.ApplicationUIDAnalyzer',
  analyze(ctx) {
    const text = (r: Resource) => `${r.kind} ${r.name} runs application code as UID 1337, the UID reserved for the Istio sidecar, so its traffic bypasses the proxy; use another runAsUser.`;
    for (const pod of ctx.list(K.Pod)) {
      if (isControlPlane(pod)) continue;
      const path = uid1337Path(pod.spec, 'spec');
      if (path) ctx.report(pod, 'InvalidApplicationUID', text(pod), path);
    }
    for (const d of ctx.list(K.Deployment)) {
      if (isControlPlane(d)) continue;
      const path = uid1337Path(d.spec.template?.spec, 'spec.template.spec');
      if (path) ctx.report(d, 'InvalidApplicationUID', text(d), path);
    }
  },
};

/** Istio CRD kinds that were removed (`rbac.istio.io`). */
const REMOVED_CRDS = new Set(['ClusterRbacConfig', 'RbacConfig', 'ServiceRole', 'ServiceRoleBinding']);

/**
 * `deprecation.FieldAnalyzer`: deprecated or removed Istio fields and kinds (IST0002):
 * VirtualService `fault.delay.percent`, Sidecar `outboundTrafficPolicy.egressProxy`, and CRDs of
 * the removed `rbac.istio.io` kinds.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0002/
 */
const deprecationAnalyzer: Analyzer = {
  name: 'deprecation.FieldAnalyzer',
  analyze(ctx) {
    for (const vs of ctx.list(K.VirtualService)) {
      const i = asArray(vs.spec.http).findIndex((h) => Number(h?.fault?.delay?.percent) > 0);
      if (i >= 0) {
        ctx.report(vs, 'Deprecated', `fault.delay.percent is deprecated; use fault.delay.percentage.value (a percentage that may have decimals) instead.`,
          `spec.http[${i}].fault.delay.percent`);
      }
    }
    for (const sc of ctx.list(K.Sidecar)) {
      const egress = sc.spec.outboundTrafficPolicy?.egressProxy;
      if (egress !== undefined && egress !== null) {
        ctx.report(sc, 'Deprecated', 'outboundTrafficPolicy.egressProxy is ignored by Istio; remove it and route egress traffic with a ServiceEntry and an egress gateway.',
          'spec.outboundTrafficPolicy.egressProxy');
      }
    }
    for (const crd of ctx.list(K.CustomResourceDefinition)) {
      const kind = crd.spec.names?.kind;
      if (crd.spec.group === 'rbac.istio.io' && REMOVED_CRDS.has(kind)) {
        ctx.report(crd, 'Deprecated', `The custom resource type rbac.istio.io ${kind} was removed from Istio; delete the CRD and use AuthorizationPolicy.`, 'spec.names.kind');
      }
    }
  },
};

/** The status conditions each kind reports, with the status that is negative. */
const NEGATIVE_CONDITIONS: ReadonlyArray<[string, Readonly<Record<string, string>>, 'conditions' | 'parents']> = [
  [K.Service, { 'istio.io/WaypointBound': 'False' }, 'conditions'],
  [K.ServiceEntry, { 'istio.io/WaypointBound': 'False' }, 'conditions'],
  [K.WorkloadEntry, { 'istio.io/WaypointBound': 'False' }, 'conditions'],
  [K.AuthorizationPolicy, { ZtunnelAccepted: 'False', WaypointAccepted: 'False' }, 'conditions'],
  [K.KubernetesGateway, { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' }, 'conditions'],
  [K.HTTPRoute, { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' }, 'parents'],
  [K.GRPCRoute, { Accepted: 'False', Programmed: 'False', ResolvedRefs: 'False' }, 'parents'],
];

/**
 * `conditions.ConditionAnalyzer`: objects whose `status` carries a negative condition (a waypoint
 * not bound, a policy not accepted, a Gateway API object not accepted or programmed), IST0171.
 * Only meaningful for objects read back from a cluster.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0171/
 */
const conditionAnalyzer: Analyzer = {
  name: 'conditions.ConditionAnalyzer',
  analyze(ctx) {
    for (const [kind, negative, where] of NEGATIVE_CONDITIONS) {
      for (const r of ctx.list(kind)) {
        const status = (r.manifest as any).status;
        if (!status || typeof status !== 'object') continue;
        const conditions = where === 'parents'
          ? asArray(status.parents).flatMap((p) => asArray(p?.conditions))
          : asArray(status.conditions);
        for (const c of conditions) {
          const partial = kind === K.AuthorizationPolicy && c?.type === 'WaypointAccepted' && c?.reason === 'PartiallyInvalid';
          const negativeStatus = typeof c?.type === 'string' && Object.prototype.hasOwnProperty.call(negative, c.type) && negative[c.type] === c?.status;
          if (!negativeStatus && !partial) continue;
          ctx.report(r, 'NegativeConditionStatus',
            `${r.kind} ${r.name} has status condition ${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}; fix what the condition reports.`,
            'status.conditions');
        }
      }
    }
  },
};

/** The service registries Istio always knows. */
const BUILTIN_REGISTRIES = ['Mock', 'Kubernetes', 'External'];

/**
 * `multicluster.MeshNetworksAnalyzer`: `meshNetworks` endpoints `fromRegistry` must name a known
 * registry: Kubernetes, External, or a cluster of a remote secret (a Secret labelled
 * `istio/multiCluster: "true"`, one cluster per data key) (IST0126).
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0126/
 */
const meshNetworksAnalyzer: Analyzer = {
  name: 'multicluster.MeshNetworksAnalyzer',
  analyze(ctx) {
    const networks = ctx.options.meshNetworks?.networks;
    if (!networks || typeof networks !== 'object') return;
    const known = new Set(BUILTIN_REGISTRIES);
    for (const s of ctx.list(K.Secret)) {
      if (s.labels['istio/multiCluster'] !== 'true') continue;
      const m = s.manifest as any;
      for (const k of [...Object.keys(m.data ?? {}), ...Object.keys(m.stringData ?? {})]) known.add(k);
    }
    const ns = ctx.options.istioNamespace;
    const resource: Resource = {
      manifest: { apiVersion: 'v1alpha1', kind: 'MeshNetworks', metadata: { name: 'meshnetworks', namespace: ns } } as any,
      group: '', version: 'v1alpha1', kind: 'MeshNetworks', name: 'meshnetworks', namespace: ns,
      friendlyName: `MeshNetworks ${ns}/meshnetworks`, external: false, labels: {}, annotations: {}, spec: networks,
    };
    for (const [network, def] of Object.entries(networks as Record<string, any>)) {
      asArray(def?.endpoints).forEach((e, j) => {
        const registry = e?.fromRegistry;
        if (typeof registry !== 'string' || known.has(registry)) return;
        ctx.report(resource, 'UnknownMeshNetworksServiceRegistry',
          `meshNetworks network ${network} takes endpoints fromRegistry ${JSON.stringify(registry)}, which is not a known registry (Kubernetes, External, or a cluster of a remote secret); use the cluster's name as its remote secret gives it (registries are case-sensitive).`,
          `networks.${network}.endpoints[${j}].fromRegistry`);
      });
    }
  },
};

/** The `kubernetes` analyzers, in the order they run. */
export const kubernetesAnalyzers: readonly Analyzer[] = [
  annotationsAnalyzer,
  alphaAnalyzer,
  deprecationAnalyzer,
  portNameAnalyzer,
  serviceAssociationAnalyzer,
  applicationUidAnalyzer,
  injectionAnalyzer,
  imageAutoAnalyzer,
  imageAnalyzer,
  webhookAnalyzer,
  externalControlPlaneAnalyzer,
  conditionAnalyzer,
  meshNetworksAnalyzer,
];
