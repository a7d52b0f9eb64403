/**
 * WorkloadEgress: which external hosts (and in-cluster Services) a set of workloads (a namespace,
 * or the pods a label selector picks in it) may reach, at a chosen enforcement level: a scoped
 * `Sidecar` with `REGISTRY_ONLY` (best effort), or, in addition, an egress gateway that reserves
 * the hosts for the workloads' identities plus a Kubernetes `NetworkPolicy` that forces the pods'
 * traffic through it (enforced).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/#apply-kubernetes-network-policies
 * @see https://istio.io/latest/docs/ops/best-practices/security/#security-policies-and-egress-traffic
 */
import type { AuthorizationPolicySpec, SidecarSpec } from '../generated/istio-types';
import { checkLabelName, checkLabels, checkSubdomainName } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { EgressGateway, ExternalHost } from '../core/external';
import { ServiceAccountRef, renderSelector } from '../core/identity';
import { Manifest, compact, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput } from '../core/output';
import { Protocol } from '../core/ports';
import { checkProps, propsCtx } from '../core/props';
import { ServiceRef, requireServiceRef } from '../core/references';
import { AuthorizationAction, AuthorizationRule, AuthorizationSource, renderRules } from './authorization-policy';

/**
 * How strictly a WorkloadEgress holds its workloads to their allowed destinations. Each level
 * includes the one before it.
 *
 * Two further means are deliberately not levels of this enum:
 * - `exportTo` scoping: an ExternalEgress's `exportTo` limits which namespaces see its
 *   ServiceEntry. On its own it enforces nothing (with the mesh's `ALLOW_ANY` policy a namespace
 *   outside `exportTo` still reaches the host as passthrough traffic); combined with
 *   `REGISTRY_ONLY` (which every level here sets for the selected workloads) a namespace that
 *   does not see the ServiceEntry cannot route to the host. Set it on the ExternalEgress.
 * - ambient mode (an AuthorizationPolicy on a waypoint that targets the ServiceEntry): not
 *   supported yet; ambient workloads have no sidecar, so a WorkloadEgress does not apply to them.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/#security-policies-and-egress-traffic
 */
export enum EgressEnforcement {
  /**
   * Best effort. A `Sidecar` (networking.istio.io/v1) scopes the workloads' proxies to the
   * allowed hosts (`egress[].hosts`) with `outboundTrafficPolicy.mode: REGISTRY_ONLY`: the proxy
   * has no route to any other destination, and sends such traffic to its black hole (HTTP 502,
   * or a reset TCP connection).
   *
   * Does NOT stop traffic that does not go through the proxy: a pod without sidecar injection, a
   * container running as the proxy's UID (1337), ports or IP ranges excluded from interception
   * (`traffic.sidecar.istio.io/excludeOutbound*` annotations), `hostNetwork` pods. Anyone who can
   * edit the pods or the Sidecar can lift it.
   */
  SIDECAR = 'SIDECAR',
  /**
   * Enforced, outside the pod. The `Sidecar` of `SIDECAR`, plus:
   * - a Kubernetes `NetworkPolicy` (enforced by the cluster's CNI) that lets the selected pods
   *   open connections only to the egress gateway pods, istiod (TCP 15012, xDS and certificates),
   *   the cluster DNS (53, UDP and TCP) and the namespaces of the in-cluster destinations: a
   *   process that bypasses the proxy can reach no external address;
   * - a `DENY` AuthorizationPolicy on the egress gateway that refuses requests for the allowed
   *   hosts from every identity other than the workloads' (their service accounts, or their
   *   namespace): the hosts become reserved for these workloads at that gateway. A host is
   *   recognised by the SNI of the connection into the gateway (`connection.sni`) and, for HTTP,
   *   by the `Host` header on the gateway's HTTP ports. A DENY policy only narrows: other teams'
   *   routes on the shared gateway are untouched.
   *
   * Requires Istio mTLS from the workloads into the gateway (a DestinationRule for the gateway's
   * Service with `tls.mode: ISTIO_MUTUAL`, Gateway servers with `tls.mode: ISTIO_MUTUAL`): without
   * it the gateway sees no identity and denies these workloads too. Traffic that does not enter
   * on an HTTP port is only recognised when that DestinationRule sets `sni` to the host.
   *
   * Does NOT: work without a CNI that enforces NetworkPolicy; restrict hosts that other teams
   * route through the same gateway without a policy of their own (these workloads can still
   * reach them through the gateway); stop traffic when another NetworkPolicy selecting the same
   * pods allows more (NetworkPolicies add up); route the hosts through the gateway (the
   * ExternalEgress of each host must do that, or its traffic is dropped by the NetworkPolicy).
   * Two WorkloadEgress reserving one host at one gateway deny each other's workloads: list every
   * identity that needs a host in one WorkloadEgress.
   */
  EGRESS_GATEWAY = 'EGRESS_GATEWAY',
}

/** Pods of another namespace that the workloads' NetworkPolicy lets them reach. */
export interface SelectedPods {
  /** The pods' namespace (matched by its `kubernetes.io/metadata.name` label). */
  readonly namespace: string;
  /** The pods' labels. */
  readonly selector: Record<string, string>;
}

/** Props of a WorkloadEgress. */
export interface WorkloadEgressProps {
  /** Name of the Sidecar and NetworkPolicy (a DNS-1123 label). */
  readonly name: string;
  /** The workloads' namespace. */
  readonly namespace: string;
  /**
   * Pod labels of the workloads. Without it the objects apply to every workload of the namespace;
   * Istio allows only one Sidecar without a `workloadSelector` per namespace (istioctl IST0111),
   * and two Sidecars must not select the same pod (IST0110).
   * @default - every workload of the namespace
   */
  readonly selector?: Record<string, string>;
  /** How strictly the destinations are enforced. @default EgressEnforcement.SIDECAR */
  readonly enforcement?: EgressEnforcement;
  /**
   * The external hosts the workloads may reach. A host an ExternalEgress declares is imported
   * from its ServiceEntry's namespace (`<namespace>/<host>`); an `ExternalHost.fromName` host from
   * whichever namespace declares it (`*\/<host>`). The ServiceEntry must be exported to the
   * workloads' namespace (`exportTo`).
   * @default - no external host
   */
  readonly hosts?: ExternalHost[];
  /**
   * In-cluster Services the workloads still need outside the namespaces allowed as a whole
   * (`<namespace>/<fqdn>` in the Sidecar; their namespace in the NetworkPolicy).
   * @default - none
   */
  readonly services?: ServiceRef[];
  /**
   * Namespaces every Service of which the workloads may reach (`<namespace>/*` in the Sidecar;
   * the whole namespace in the NetworkPolicy), e.g. a telemetry collector's namespace. The
   * `istio-system/*` of Istio's Sidecar examples is not needed: the proxies reach istiod outside
   * the Sidecar's listeners (the agent's own connection), and the egress gateway's Service is
   * added by itself.
   * @default - none
   */
  readonly allowedNamespaces?: string[];
  /**
   * Whether the workloads may reach every Service of their own namespace (`./*`). Note that a
   * ServiceEntry created in that namespace is then reachable too.
   * @default true
   */
  readonly allowOwnNamespace?: boolean;
  /**
   * The egress gateway the hosts are routed through. Required at `EGRESS_GATEWAY`; at `SIDECAR`,
   * only its Service is added to the Sidecar's hosts.
   * @default - none
   */
  readonly egressGateway?: EgressGateway;
  /**
   * The service accounts the workloads run as: the identities the egress gateway lets through
   * (`notPrincipals`). Only at `EGRESS_GATEWAY`; required there with a `selector` (the gateway
   * sees identities, not pod labels). Without it the gateway lets the whole namespace through
   * (`notNamespaces`).
   * @default - the workloads' namespace as a whole
   */
  readonly serviceAccounts?: ServiceAccountRef[];
  /**
   * The istiod pods, which the proxies must reach (TCP 15012). Only at `EGRESS_GATEWAY`.
   * @default { namespace: 'istio-system', selector: { app: 'istiod' } }
   */
  readonly istiod?: SelectedPods;
  /**
   * The cluster DNS pods (UDP and TCP 53). Only at `EGRESS_GATEWAY`. A node-local DNS cache
   * listening on a link-local address is not reached this way.
   * @default { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } }
   */
  readonly dns?: SelectedPods;
  /**
   * The mesh's root namespace (mesh config `rootNamespace`): a Sidecar without a selector there
   * would apply to every namespace, so one is refused.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
}

/** What `buildWorkloadEgress` returns. */
export interface WorkloadEgressOutput extends PatternOutput {
  /** The Sidecar that scopes the workloads' proxies (every level). */
  readonly sidecar: Manifest;
  /** The NetworkPolicy on the workloads' pods (`EGRESS_GATEWAY`). */
  readonly networkPolicy?: Manifest;
  /** The DENY AuthorizationPolicy on the egress gateway (`EGRESS_GATEWAY`). */
  readonly authorizationPolicy?: Manifest;
}

/** The port the proxies reach istiod on (xDS and certificate signing, mTLS). */
const ISTIOD_PORT = 15012;
const DEFAULT_ISTIOD: SelectedPods = { namespace: 'istio-system', selector: { app: 'istiod' } };
const DEFAULT_DNS: SelectedPods = { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } };
/** Protocols whose traffic reaches the egress gateway as HTTP: the `Host` header names the host. */
const HTTP_PROTOCOLS: readonly Protocol[] = [Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC, Protocol.GRPC_WEB];

/**
 * Builds the objects of a WorkloadEgress. Pure: no cdk8s or Pulumi.
 *
 * @throws IstioConstructError INVALID_NAME, INVALID_LABEL, INVALID_PRINCIPAL, INVALID_PROP, UNKNOWN_PROP;
 *   CONFLICTING_PROPS (a prop of `EGRESS_GATEWAY` at `SIDECAR`, `EGRESS_GATEWAY` without
 *   `egressGateway` or without hosts, a `selector` without `serviceAccounts` there, a service
 *   account of another namespace, a namespace-wide Sidecar in the root namespace, no destination
 *   at all).
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export function buildWorkloadEgress(props: WorkloadEgressProps): WorkloadEgressOutput {
  checkProps(propsCtx('WorkloadEgress', props, 'name'), 'WorkloadEgressProps', props);
  const ctx = new Ctx(`WorkloadEgress ${show(props.name)}`);
  const name = checkLabelName(ctx.at('name'), props.name, 'name');
  const namespace = checkLabelName(ctx.at('namespace'), props.namespace, 'namespace');
  const selector = props.selector ? renderSelector(ctx.at('selector'), props.selector).matchLabels : undefined;
  const enforcement = props.enforcement ?? EgressEnforcement.SIDECAR;
  const rootNamespace = checkLabelName(ctx.at('rootNamespace'), props.rootNamespace ?? 'istio-system', 'namespace');
  if (!selector && namespace === rootNamespace) {
    ctx.at('selector').fail(ErrorCode.CONFLICTING_PROPS,
      `a Sidecar without workloadSelector in the root namespace ${show(rootNamespace)} would apply to the workloads of every namespace`,
      'set selector to the pod labels of the workloads, or set rootNamespace if the mesh has another root namespace');
  }
  const services = (props.services ?? []).map((s, i) => requireServiceRef(ctx.at('services', i), s));
  const allowedNamespaces = (props.allowedNamespaces ?? []).map((ns, i) => checkLabelName(ctx.at('allowedNamespaces', i), ns, 'namespace'));
  const allowOwnNamespace = props.allowOwnNamespace ?? true;
  const hosts = props.hosts ?? [];
  const gateway = props.egressGateway;

  const gatewayOnly: Array<keyof WorkloadEgressProps> = ['serviceAccounts', 'istiod', 'dns'];
  if (enforcement === EgressEnforcement.SIDECAR) {
    for (const key of gatewayOnly) {
      if (props[key] !== undefined) {
        ctx.at(key).fail(ErrorCode.CONFLICTING_PROPS, `${key} is only used at enforcement EGRESS_GATEWAY`,
          `remove ${key}, or set enforcement: EgressEnforcement.EGRESS_GATEWAY`);
      }
    }
  }

  if (!allowOwnNamespace && !allowedNamespaces.length && !services.length && !hosts.length && !gateway) {
    ctx.at('allowOwnNamespace').fail(ErrorCode.CONFLICTING_PROPS,
      'the workloads would be allowed no destination at all, and a Sidecar egress listener needs at least one host',
      'allow the own namespace, or list hosts, services or allowedNamespaces');
  }

  const objects: EmittedObject[] = [];
  const sidecar = sidecarManifest(name, namespace, selector, {
    ownNamespace: allowOwnNamespace, namespaces: allowedNamespaces, services, hosts, gateway,
  });
  objects.push({ role: 'sidecar', manifest: sidecar });
  if (enforcement === EgressEnforcement.SIDECAR) return { objects, sidecar };

  const egressGateway: EgressGateway = gateway ?? ctx.at('egressGateway').fail(ErrorCode.CONFLICTING_PROPS,
    'enforcement EGRESS_GATEWAY needs the egress gateway the hosts are routed through',
    'set egressGateway: EgressGateway.fromSelector(selector, { namespace, serviceName, ports }), or use enforcement SIDECAR');
  if (hosts.length === 0) {
    ctx.at('hosts').fail(ErrorCode.CONFLICTING_PROPS, 'enforcement EGRESS_GATEWAY without hosts has nothing to reserve at the gateway',
      'list the external hosts the workloads may reach, or use enforcement SIDECAR to allow no external host');
  }
  const serviceAccounts = props.serviceAccounts?.map((sa, i) => {
    if (sa.namespace !== namespace) {
      ctx.at('serviceAccounts', i).fail(ErrorCode.CONFLICTING_PROPS,
        `service account ${sa.namespace}/${sa.name} is not in the workloads' namespace ${show(namespace)}; pods only run as service accounts of their own namespace`,
        `reference the service account with ServiceAccountRef.of(${JSON.stringify(namespace)}, name)`);
    }
    return sa;
  });
  if (selector && !serviceAccounts?.length) {
    ctx.at('serviceAccounts').fail(ErrorCode.CONFLICTING_PROPS,
      'with a selector, the egress gateway cannot tell the selected workloads from the rest of the namespace: it sees identities, not pod labels',
      'list the service accounts the selected workloads run as (ServiceAccountRef.of(namespace, name)), or drop selector to admit the whole namespace');
  }
  const istiod = checkPods(ctx.at('istiod'), props.istiod ?? DEFAULT_ISTIOD);
  const dns = checkPods(ctx.at('dns'), props.dns ?? DEFAULT_DNS);

  const networkPolicy = networkPolicyManifest(name, namespace, selector, {
    gateway: egressGateway, istiod, dns,
    namespaces: [...(allowOwnNamespace ? [namespace] : []), ...allowedNamespaces, ...services.map((s) => s.namespace)],
  });
  objects.push({ role: 'network-policy', manifest: networkPolicy });

  const source: AuthorizationSource = serviceAccounts?.length ? { notPrincipals: serviceAccounts } : { notNamespaces: [namespace] };
  const rules = gatewayRules(hosts, egressGateway, source);
  const policyName = checkSubdomainName(ctx.at('name'), `${namespace}-${name}`, 'AuthorizationPolicy name');
  const spec: AuthorizationPolicySpec = {
    selector: { matchLabels: { ...egressGateway.selector } },
    action: AuthorizationAction.DENY,
    rules: renderRules(ctx.at('hosts'), rules, AuthorizationAction.DENY),
  };
  const authorizationPolicy: Manifest = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: metadata(policyName, egressGateway.namespace, 'workload-egress', name),
    spec,
  };
  objects.push({ role: 'authorization-policy', manifest: authorizationPolicy });
  return { objects, sidecar, networkPolicy, authorizationPolicy };
}

function checkPods(ctx: Ctx, pods: SelectedPods): SelectedPods {
  return {
    namespace: checkLabelName(ctx.at('namespace'), pods.namespace, 'namespace'),
    selector: checkLabels(ctx.at('selector'), pods.selector, { nonEmpty: true }),
  };
}

interface SidecarScope {
  readonly ownNamespace: boolean;
  readonly namespaces: readonly string[];
  readonly services: readonly ServiceRef[];
  readonly hosts: readonly ExternalHost[];
  readonly gateway?: EgressGateway;
}

/**
 * The Sidecar: one egress listener without a port (it applies to every port) importing
 * `./*` and `<ns>/*` for the namespaces allowed as a whole, then `<ns>/<host>` for each Service,
 * external host and the egress gateway's Service (skipping those a namespace entry covers), and
 * `REGISTRY_ONLY`. The proxy also gets the destinations of VirtualServices it imports (Istio adds
 * them to the scope, pilot/pkg/model/sidecar.go), so the gateway's Service is listed for clarity,
 * not of necessity. An egress listener does not affect the proxy's own connection to istiod (a
 * bootstrap cluster, `xds-grpc`), so `istio-system/*` is not needed.
 */
function sidecarManifest(name: string, namespace: string, selector: Record<string, string> | undefined, scope: SidecarScope): Manifest {
  const wholeNamespaces = new Set<string>(scope.namespaces);
  if (scope.ownNamespace) wholeNamespaces.delete(namespace);
  const covered = (ns: string) => wholeNamespaces.has(ns) || (scope.ownNamespace && ns === namespace);
  const specific = new Set<string>();
  for (const s of scope.services) if (!covered(s.namespace)) specific.add(`${s.namespace}/${s.fqdn}`);
  if (scope.gateway && !covered(scope.gateway.namespace)) specific.add(`${scope.gateway.namespace}/${scope.gateway.fqdn}`);
  for (const h of scope.hosts) {
    const ns = h.serviceEntry?.namespace;
    if (ns === undefined) specific.add(`*/${h.host}`);
    else if (!covered(ns)) specific.add(`${ns}/${h.host}`);
  }
  const hosts = [
    ...(scope.ownNamespace ? ['./*'] : []),
    ...[...wholeNamespaces].sort().map((ns) => `${ns}/*`),
    ...[...specific].sort(),
  ];
  const spec: SidecarSpec = compact({
    workloadSelector: selector ? { labels: selector } : undefined,
    egress: [{ hosts }],
    outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
  });
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: metadata(name, namespace, 'workload-egress', name),
    spec,
  };
}

interface NetworkScope {
  readonly gateway: EgressGateway;
  readonly istiod: SelectedPods;
  readonly dns: SelectedPods;
  /** Namespaces reachable as a whole (own, allowed, those of the Services). */
  readonly namespaces: readonly string[];
}

const namespaceSelector = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

/**
 * The NetworkPolicy: the selected pods become isolated for egress (`policyTypes: [Egress]`;
 * ingress is untouched), then allowed to the cluster DNS on 53 (UDP and TCP), to istiod on 15012,
 * to the egress gateway pods on any port (the proxies connect to pod IPs, on the gateway's
 * container ports), and to the namespaces of the in-cluster destinations.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
function networkPolicyManifest(name: string, namespace: string, selector: Record<string, string> | undefined, scope: NetworkScope): Manifest {
  const pods = (p: SelectedPods) => ({ namespaceSelector: namespaceSelector(p.namespace), podSelector: { matchLabels: { ...p.selector } } });
  const namespaces = [...new Set(scope.namespaces)].sort();
  const egress: unknown[] = [
    { to: [pods(scope.dns)], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
    { to: [pods(scope.istiod)], ports: [{ protocol: 'TCP', port: ISTIOD_PORT }] },
    { to: [pods({ namespace: scope.gateway.namespace, selector: { ...scope.gateway.selector } })] },
  ];
  if (namespaces.length) egress.push({ to: namespaces.map((ns) => ({ namespaceSelector: namespaceSelector(ns) })) });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(name, namespace, 'workload-egress', name),
    spec: {
      podSelector: selector ? { matchLabels: selector } : {},
      policyTypes: ['Egress'],
      egress,
    },
  };
}

/**
 * The DENY rules on the egress gateway, both from every identity but the workloads':
 * - for each host, a rule on the SNI of the connection into the gateway (`connection.sni`), which
 *   Istio checks on TCP and HTTP filter chains alike: it matches when the proxies send the host as
 *   SNI (a DestinationRule toward the gateway with `tls.mode: ISTIO_MUTUAL` and `sni: <host>`, as
 *   Istio's egress gateway tasks write it);
 * - for the hosts that may speak HTTP (an HTTP port, or ports unknown), a rule on the `Host`
 *   header (`to.operation.hosts`), confined to the gateway's HTTP ports (`to.operation.ports`, the
 *   container ports its listeners bind). Istio checks `hosts` only on an HTTP filter chain: on a
 *   TCP chain a DENY rule loses that condition and matches every connection
 *   (pilot/pkg/security/authz/model/generator.go, `hostGenerator.permission` returns "is HTTP
 *   only" for TCP; model.go `checkError` ignores the error for DENY), which would cut off other
 *   teams' TLS egress on a shared gateway. Without an HTTP port on the gateway, no such rule.
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 * @see https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/
 */
function gatewayRules(hosts: readonly ExternalHost[], gateway: EgressGateway, source: AuthorizationSource): AuthorizationRule[] {
  const names = [...new Set(hosts.map((h) => h.host))].sort();
  const httpHosts = [...new Set(hosts.filter((h) => h.portsUnknown || h.ports.some((p) => HTTP_PROTOCOLS.includes(p.protocol))).map((h) => h.host))].sort();
  const httpPorts = [...new Set((gateway.ports ?? []).filter((p) => HTTP_PROTOCOLS.includes(p.protocol)).map((p) => p.targetPort))].sort((a, b) => a - b);
  const rules: AuthorizationRule[] = [];
  if (httpHosts.length && httpPorts.length) {
    // A Host header may carry a port (`httpbin.org:80`): `<host>:*` matches it. A wildcard host
    // is a suffix match and cannot be combined with a port.
    const values = httpHosts.flatMap((h) => (h.startsWith('*.') ? [h] : [h, `${h}:*`]));
    rules.push({ from: [source], to: [{ ports: httpPorts, hosts: values }] });
  }
  rules.push({ from: [source], when: [{ key: 'connection.sni', values: names }] });
  return rules;
}
