/**
 * The dedicated gateway workload of a HardenedGateway: a Deployment injected with Istio's
 * `gateway` template (`image: auto`), its Service, ServiceAccount, PodDisruptionBudget and
 * HorizontalPodAutoscaler (at least 2 replicas), with pod hardening: non-root, read-only root
 * filesystem, all capabilities dropped, no privilege escalation, requests and limits, and spread
 * across nodes and zones.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/#deploying-a-gateway
 */
import { checkLabelName, checkLabels } from '../core/checks';
import { Ctx, ErrorCode } from '../core/errors';
import { Manifest, metadata } from '../core/manifest';
import { EmittedObject } from '../core/output';
import { GatewayPort, IngressGateway } from '../core/references';

/** CPU and memory of the gateway container, in Kubernetes quantities. */
export interface GatewayResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** @default '2' */
  readonly cpuLimit?: string;
  /** @default '1Gi' */
  readonly memoryLimit?: string;
}

/** Options of a dedicated gateway workload. */
export interface GatewayWorkloadOptions {
  /** Name of the Deployment, Service, ServiceAccount, PDB and HPA. */
  readonly name: string;
  /** Its namespace (must have sidecar injection enabled for the gateway template). */
  readonly namespace: string;
  /** Pod labels (the Gateway selects them). @default { istio: <name> } */
  readonly labels?: Record<string, string>;
  /**
   * Minimum replicas, at least 2. @default 2
   * @asType integer
   * @minimum 1
   * @maximum 2147483647
   */
  readonly minReplicas?: number;
  /**
   * Maximum replicas. @default 5
   * @asType integer
   * @minimum 1
   * @maximum 2147483647
   */
  readonly maxReplicas?: number;
  /** @default - see GatewayResources */
  readonly resources?: GatewayResources;
  /** The Service type. @default 'LoadBalancer' */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  /**
   * The client IP seen by the gateway: `Local` keeps it (needed for source-IP rules and affinity).
   * @default 'Local'
   */
  readonly externalTrafficPolicy?: 'Local' | 'Cluster';
}

/** The roles of the workload's objects in a pattern's output. @internal */
export const GATEWAY_WORKLOAD_ROLES = ['service-account', 'deployment', 'service', 'pod-disruption-budget', 'autoscaler'];

/** @internal */
export interface BuiltGatewayWorkload {
  readonly gateway: IngressGateway;
  readonly objects: EmittedObject[];
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/**
 * Builds the workload objects. `proxyConfig` (JSON) goes to the `proxy.istio.io/config` annotation.
 * @internal
 */
export function buildGatewayWorkload(ctx: Ctx, o: GatewayWorkloadOptions, ports: GatewayPort[], proxyConfig: string | undefined, pattern: string, instance: string): BuiltGatewayWorkload {
  const name = checkLabelName(ctx.at('name'), o.name, 'name');
  const namespace = checkLabelName(ctx.at('namespace'), o.namespace, 'namespace');
  const labels = checkLabels(ctx.at('labels'), o.labels ?? { istio: name }, { nonEmpty: true });
  const { minReplicas, maxReplicas } = checkGatewayReplicas(ctx, o.minReplicas, o.maxReplicas);
  const resources = gatewayResources(ctx.at('resources'), o.resources);
  const gateway = IngressGateway.fromSelector(labels, { namespace, serviceName: name, ports });
  const meta = () => metadata(name, namespace, pattern, instance);
  const podLabels = { ...labels, 'sidecar.istio.io/inject': 'true' };
  const deployment: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(),
    spec: {
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: {
          labels: podLabels,
          annotations: {
            'inject.istio.io/templates': 'gateway',
            ...(proxyConfig ? { 'proxy.istio.io/config': proxyConfig } : {}),
          },
        },
        spec: {
          serviceAccountName: name,
          securityContext: hardenedPodSecurityContext(),
          containers: [{
            name: 'istio-proxy',
            image: 'auto',
            securityContext: hardenedContainerSecurityContext(),
            resources,
          }],
          topologySpreadConstraints: gatewayTopologySpread(labels),
        },
      },
    },
  };
  const serviceType = o.serviceType ?? 'LoadBalancer';
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(),
    spec: {
      type: serviceType,
      ...(serviceType === 'ClusterIP' ? {} : { externalTrafficPolicy: o.externalTrafficPolicy ?? 'Local' }),
      selector: { ...labels },
      ports: gateway.ports!.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })),
    },
  };
  const serviceAccount: Manifest = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta() };
  const pdb: Manifest = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(),
    spec: { minAvailable: 1, selector: { matchLabels: { ...labels } } },
  };
  const hpa: Manifest = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  };
  return {
    gateway,
    objects: [
      { role: 'service-account', manifest: serviceAccount },
      { role: 'deployment', manifest: deployment, dependsOn: ['service-account'] },
      { role: 'service', manifest: service },
      { role: 'pod-disruption-budget', manifest: pdb },
      { role: 'autoscaler', manifest: hpa, dependsOn: ['deployment'] },
    ],
  };
}

/**
 * The replica range of a hardened gateway: at least 2 (one pod down leaves one serving), and
 * `maxReplicas >= minReplicas`. @internal
 */
export function checkGatewayReplicas(ctx: Ctx, min: number | undefined, max: number | undefined): { minReplicas: number; maxReplicas: number } {
  const minReplicas = min ?? 2;
  const maxReplicas = max ?? Math.max(5, minReplicas);
  if (!Number.isInteger(minReplicas) || minReplicas < 2) {
    ctx.at('minReplicas').fail(ErrorCode.CONFLICTING_PROPS, `minReplicas ${minReplicas} leaves the gateway without redundancy`, 'run at least 2 replicas');
  }
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    ctx.at('maxReplicas').fail(ErrorCode.CONFLICTING_PROPS, `maxReplicas ${maxReplicas} is below minReplicas ${minReplicas}`, 'give maxReplicas >= minReplicas');
  }
  return { minReplicas, maxReplicas };
}

/** The gateway container's requests and limits, each a Kubernetes quantity (defaults: see GatewayResources). @internal */
export function gatewayResources(ctx: Ctx, r: GatewayResources = {}): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
  const q = (k: keyof GatewayResources, d: string) => {
    const v = r[k] ?? d;
    if (!QUANTITY.test(v)) ctx.at(k).fail(ErrorCode.CONFLICTING_PROPS, `${v} is not a Kubernetes quantity`, 'write e.g. "500m" or "256Mi"');
    return v;
  };
  return {
    requests: { cpu: q('cpuRequest', '100m'), memory: q('memoryRequest', '128Mi') },
    limits: { cpu: q('cpuLimit', '2'), memory: q('memoryLimit', '1Gi') },
  };
}

/** The pod security context of a hardened gateway: non-root 1337, RuntimeDefault seccomp, and the sysctl that lets it bind 80 and 443. @internal */
export function hardenedPodSecurityContext(): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: 1337,
    runAsGroup: 1337,
    // lets the non-root proxy bind 80 and 443
    sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The container security context of a hardened gateway: no privilege, read-only root, every capability dropped. @internal */
export function hardenedContainerSecurityContext(): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
  };
}

/** Spreads gateway pods across nodes and zones (best effort). @internal */
export function gatewayTopologySpread(labels: Readonly<Record<string, string>>): Record<string, unknown>[] {
  return [
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...labels } } },
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...labels } } },
  ];
}
