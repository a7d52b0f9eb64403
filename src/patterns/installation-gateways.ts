/**
 * The gateways an `IstioInstallation` installs: one release of Istio's `gateway` Helm chart per
 * gateway, and a typed reference (`ManagedIngressGateway` / `ManagedEgressGateway`) whose selector
 * is the set of labels the chart really puts on the pods, so a Gateway bound to it always selects
 * them. Constructs bound to the reference add their ports to the gateway's Service.
 *
 * How the chart labels the pods (`manifests/charts/gateway/templates/_helpers.tpl`): `app: <name>`
 * and `istio: <name without a leading "istio-">`, where `<name>` is the chart's `name` value or
 * else the release name; `labels.app` / `labels.istio` override them, and the other `labels` are
 * added. Release `istio-ingress` is therefore selected by `istio: ingress`, not by the
 * `istio: ingressgateway` most docs show.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 * @see https://istio.io/latest/docs/setup/install/helm/
 */
import Ajv, { ValidateFunction } from 'ajv';
import { checkLabelName, checkLabels, checkPlainJson } from '../core/checks';
import { cloneJson, isJsonObject, mergeJson } from '../core/json';
import { Ctx, ErrorCode, show } from '../core/errors';
import * as gatewayValuesSchema from '../generated/gateway-values-schema.json';
import { GATEWAY_CHART_DEFAULT_PORTS } from '../core/gateway-service-values';
import type { ChartLocation, HelmReleasePlan, IstioChartName, ManagedGatewayPlan } from '../core/installation-plan';
import { ManagedEgressGateway, ManagedIngressGateway, chartServicePort } from '../core/managed-gateway';
import { Protocol, ResolvedPort, resolvePorts } from '../core/ports';
import { checkProps } from '../core/props';
import { GatewayPort } from '../core/references';
import {
  GatewayResources, checkGatewayReplicas, gatewayResources, gatewayTopologySpread, hardenedContainerSecurityContext, hardenedPodSecurityContext,
} from './gateway-workload';

/** Whether a gateway takes traffic into the mesh or out of it. */
export type InstallationGatewayKind = 'ingress' | 'egress';

/** The Kubernetes Service of an installation gateway. */
export interface InstallationGatewayService {
  /**
   * The Service type. An egress gateway is only reached from inside the cluster, so it defaults
   * to `ClusterIP` (as Istio's egress gateway docs install it).
   * @default - 'LoadBalancer' for an ingress gateway, 'ClusterIP' for an egress gateway
   */
  readonly type?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  /**
   * The Service ports, each named `<protocol>[-suffix]` so Istio reads its protocol. They replace
   * the chart's `http2` 80 and `https` 443; the chart's `status-port` 15021 (the health check
   * port cloud load balancers probe) is always kept. Ports that constructs bound to the gateway
   * need are added to these.
   * @default - the chart's: status-port 15021, http2 80, https 443
   */
  readonly ports?: GatewayPort[];
  /** Annotations of the Service (e.g. a cloud load balancer's settings). @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * Whether the load balancer keeps the client's IP (`Local`, needed by source-IP rules) or may
   * forward through any node (`Cluster`). Only for `LoadBalancer` and `NodePort` Services.
   * @default - 'Local' for a hardened gateway (as HardenedGateway's workload), else Kubernetes' default, 'Cluster'
   */
  readonly externalTrafficPolicy?: 'Local' | 'Cluster';
}

/** The HorizontalPodAutoscaler of an installation gateway. */
export interface InstallationGatewayAutoscaling {
  /**
   * @default - 1 (the chart's), 2 for a hardened gateway
   * @asType integer
   * @minimum 1
   * @maximum 2147483647
   */
  readonly minReplicas?: number;
  /**
   * @default 5
   * @asType integer
   * @minimum 1
   * @maximum 2147483647
   */
  readonly maxReplicas?: number;
  /**
   * The average CPU use, in percent of the request, the autoscaler keeps the pods at.
   * @default 80
   * @asType integer
   * @minimum 1
   * @maximum 100
   */
  readonly targetCpuUtilizationPercentage?: number;
}

/**
 * One gateway an installation installs with Istio's `gateway` chart.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/gateway/
 */
export interface InstallationGatewayProps {
  /**
   * The Helm release name, which is also the name of the Deployment and Service and sets the pod
   * labels: `app: <name>`, `istio: <name without "istio-">`. A DNS-1123 label.
   */
  readonly name: string;
  /** @default 'ingress' */
  readonly kind?: InstallationGatewayKind;
  /**
   * The namespace of the release. Istio's Helm install docs put the ingress gateway in its own
   * namespace, apart from istiod (`istio-ingress`); egress gateways get theirs likewise. The
   * namespace must not carry `istio-injection: disabled` (the chart's pods are filled in by the
   * injector); the installation creates it.
   * @default - 'istio-ingress' for an ingress gateway, 'istio-egress' for an egress gateway
   */
  readonly namespace?: string;
  /** The gateway's Service. @default - see InstallationGatewayService */
  readonly service?: InstallationGatewayService;
  /**
   * Extra pod labels (e.g. `gateway-name`, `gateway-type`); they become part of the reference's
   * selector. `app` and `istio` replace the chart's own selector labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * A fixed number of replicas (turns the chart's autoscaler off). Give this or `autoscaling`.
   * @default - autoscaled
   * @asType integer
   * @minimum 0
   * @maximum 2147483647
   */
  readonly replicas?: number;
  /** The autoscaler's range. Give this or `replicas`. @default - the chart's: 1 to 5 at 80% CPU (2 to 5 when hardened) */
  readonly autoscaling?: InstallationGatewayAutoscaling;
  /**
   * The control plane revision whose injector fills in the gateway pods (`istio.io/rev`).
   * @default - the installation's revision, if any
   */
  readonly revision?: string;
  /**
   * The pod settings a HardenedGateway's dedicated workload has: non-root 1337 with the
   * RuntimeDefault seccomp profile, read-only root filesystem, every capability dropped, at least
   * 2 replicas, a PodDisruptionBudget keeping one, pods spread over nodes and zones, requests and
   * limits, and (LoadBalancer, NodePort) `externalTrafficPolicy: Local`, which keeps client IPs.
   * @default false
   */
  readonly hardened?: boolean;
  /** CPU and memory of the gateway container. @default - the chart's (100m / 128Mi requests, 2 / 1Gi limits) */
  readonly resources?: GatewayResources;
  /**
   * More values of the `gateway` chart, merged over the ones these props produce (objects merged,
   * lists replaced) and checked against the chart's values schema. `service.ports` is refused
   * here (use `service.ports`, so bound constructs can add theirs), and so is `networkGateway`.
   * @default - none
   * @see https://github.com/istio/istio/blob/master/manifests/charts/gateway/values.yaml
   */
  readonly values?: Record<string, unknown>;
}

/** What `resolveInstallationGateways` needs from the installation. */
export interface InstallationGatewaysContext {
  /** Where the `gateway` chart is read from. */
  readonly locate: (chart: IstioChartName) => ChartLocation;
  /** The release `id`s every gateway release depends on (istiod, cni, ztunnel). */
  readonly dependsOn: readonly string[];
  /** The installation's revision, the default of each gateway's `revision`. @default - none */
  readonly revision?: string;
  /** The cluster DNS domain of egress gateway FQDNs. @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/** One resolved gateway. */
export interface InstallationGateway {
  readonly name: string;
  readonly namespace: string;
  readonly kind: InstallationGatewayKind;
  /** Its release (role `gateway`, `gateway` = its name). */
  readonly release: HelmReleasePlan;
  /** What the engines see (`InstallationPlan.gateways[name]`). */
  readonly plan: ManagedGatewayPlan;
  /** The typed reference constructs bind to. */
  readonly ref: ManagedIngressGateway | ManagedEgressGateway;
}

/** What `resolveInstallationGateways` returns. */
export interface InstallationGateways {
  /** The gateways, in the order given. */
  readonly gateways: readonly InstallationGateway[];
  /** Their releases, in the order given. */
  readonly releases: readonly HelmReleasePlan[];
  /** `InstallationPlan.gateways`: by gateway name. */
  readonly plans: Readonly<Record<string, ManagedGatewayPlan>>;
  /** The ingress gateways' references, by name. */
  readonly ingress: Readonly<Record<string, ManagedIngressGateway>>;
  /** The egress gateways' references, by name. */
  readonly egress: Readonly<Record<string, ManagedEgressGateway>>;
  /** The namespaces the gateways are installed into (sorted, once each): the installation creates them. */
  readonly namespaces: readonly string[];
}

/** The chart's own default `labels` (values.yaml): on every pod, but not specific to one gateway. */
const CHART_DEFAULT_LABELS: Readonly<Record<string, string>> = { 'istio.io/dataplane-mode': 'none' };

/** DNS-1123 label of a revision: Istio refuses dots (`1-31-0`, not `1.31.0`). */
const REVISION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Resolves the gateways of an installation into `gateway` chart releases and typed references.
 * Pure; the references are new objects on each call.
 *
 * @param ctx where errors are reported (e.g. `IstioInstallation "mesh"`.at('gateways')).
 * @throws IstioConstructError INVALID_PROP / UNKNOWN_PROP for props of the wrong shape or chart
 *   values the chart's schema refuses; INVALID_NAME for a bad name, namespace or revision;
 *   INVALID_LABEL; INVALID_PORT / PORT_OUT_OF_RANGE for bad ports; DUPLICATE_NAME for two
 *   gateways with one name; CONFLICTING_PROPS for two gateways a Gateway selector would both
 *   match, `replicas` with `autoscaling`, fewer than 2 replicas when hardened,
 *   `externalTrafficPolicy` on a ClusterIP Service, or values that replace what props decide.
 * @internal The installation builder calls it: use the `gateways` prop of `IstioInstallation`.
 */
export function resolveInstallationGateways(ctx: Ctx, gateways: readonly InstallationGatewayProps[], context: InstallationGatewaysContext): InstallationGateways {
  const resolved = gateways.map((g, i) => resolveOne(ctx.at(i), g, context));
  const byName = new Map<string, number>();
  resolved.forEach((r, i) => {
    const prior = byName.get(r.name);
    if (prior !== undefined) {
      ctx.at(i, 'name').fail(ErrorCode.DUPLICATE_NAME,
        `gateways ${prior} and ${i} are both named ${show(r.name)} (the release name sets the Service name and the pod labels)`,
        'give each gateway its own name');
    }
    byName.set(r.name, i);
  });
  // Istio matches a Gateway's selector against gateway pods in every namespace (unless
  // PILOT_SCOPE_GATEWAY_TO_NAMESPACE is on): a selector that also matches another gateway's pods binds both.
  resolved.forEach((a, i) => resolved.forEach((b, j) => {
    if (i !== j && Object.entries(a.ref.selector).every(([k, v]) => b.podLabels[k] === v)) {
      ctx.at(i, 'labels').fail(ErrorCode.CONFLICTING_PROPS,
        `the selector of gateway ${show(a.name)} (${showLabels(a.ref.selector)}) also matches the pods of gateway ${show(b.name)} in ${b.namespace}: a Gateway selecting one would bind both`,
        'give the gateways distinct app/istio labels (their names set them) or a distinguishing label');
    }
  }));
  const ingress: Record<string, ManagedIngressGateway> = {};
  const egress: Record<string, ManagedEgressGateway> = {};
  const plans: Record<string, ManagedGatewayPlan> = {};
  const out: InstallationGateway[] = resolved.map((r) => {
    if (r.ref instanceof ManagedEgressGateway) egress[r.name] = r.ref;
    else ingress[r.name] = r.ref;
    plans[r.name] = r.plan;
    return { name: r.name, namespace: r.namespace, kind: r.kind, release: r.release, plan: r.plan, ref: r.ref };
  });
  return {
    gateways: out,
    releases: out.map((g) => g.release),
    plans,
    ingress,
    egress,
    namespaces: [...new Set(out.map((g) => g.namespace))].sort(),
  };
}

interface Resolved extends InstallationGateway {
  /** Every label the chart's pods get that identifies this gateway (selector labels plus `labels`). */
  readonly podLabels: Readonly<Record<string, string>>;
}

function resolveOne(ctx: Ctx, g: InstallationGatewayProps, context: InstallationGatewaysContext): Resolved {
  checkProps(ctx, 'InstallationGatewayProps', g);
  const name = checkLabelName(ctx.at('name'), g.name, 'gateway name');
  const id = `gateway-${name}`;
  if (id.length > 63) {
    ctx.at('name').fail(ErrorCode.INVALID_NAME, `the gateway name ${show(name)} is too long for its release id ${show(id)} (63 characters at most)`, 'use a name of at most 55 characters');
  }
  const kind = g.kind ?? 'ingress';
  const namespace = checkLabelName(ctx.at('namespace'), g.namespace ?? (kind === 'egress' ? 'istio-egress' : 'istio-ingress'), 'namespace');
  const labels = checkLabels(ctx.at('labels'), g.labels ?? {}, {});
  const revision = g.revision ?? context.revision;
  if (revision !== undefined && (!REVISION.test(revision) || revision.length > 63)) {
    ctx.at('revision').fail(ErrorCode.INVALID_NAME, `revision ${show(revision)} is not a DNS-1123 label (Istio refuses dots and capitals)`,
      'write the revision like "1-31-0" or "canary"');
  }
  const values = chartValues(ctx, g, kind, labels, revision);
  if (g.values !== undefined) checkPlainJson(ctx.at('values'), g.values);
  const merged = mergeValues(ctx, values, g.values);

  // What the chart derives from the values (templates/_helpers.tpl): the name, then the selector
  // labels; every other `labels` entry is added to the pods as well.
  const chartName = typeof merged.name === 'string' && merged.name !== '' ? merged.name : name;
  const mergedLabels: Record<string, string> = isJsonObject(merged.labels)
    ? Object.fromEntries(Object.entries(merged.labels).filter(([k, v]) => typeof v === 'string' && !(k in CHART_DEFAULT_LABELS)) as [string, string][])
    : {};
  const selectorLabels = {
    app: mergedLabels.app ?? chartName,
    istio: mergedLabels.istio ?? chartName.replace(/^istio-/, ''),
  };
  const podLabels = checkLabels(ctx.at('labels'), { ...mergedLabels, ...selectorLabels }, { nonEmpty: true });
  if (g.hardened === true && merged.topologySpreadConstraints === undefined) {
    merged.topologySpreadConstraints = gatewayTopologySpread(selectorLabels);
  }
  validateChartValues(ctx, merged);
  const refSelector = podLabels;
  const declared = declaredPorts(ctx.at('service', 'ports'), g.service?.ports);
  const spec = { selector: refSelector, namespace, serviceName: chartName, ports: declared };
  const ref = kind === 'egress' ? ManagedEgressGateway.of({ ...spec, clusterDomain: context.clusterDomain }) : ManagedIngressGateway.of(spec);
  const release: HelmReleasePlan = {
    id,
    role: 'gateway',
    releaseName: name,
    namespace,
    location: context.locate('gateway'),
    values: merged,
    dependsOn: [...context.dependsOn],
    gateway: name,
  };
  const plan: ManagedGatewayPlan = { releaseId: id, serviceName: chartName, namespace, servicePorts: ref.servicePorts };
  return { name, namespace, kind, release, plan, ref, podLabels };
}

/** The chart values the props produce (before `values` is merged over them). */
function chartValues(ctx: Ctx, g: InstallationGatewayProps, kind: InstallationGatewayKind, labels: Record<string, string>,
  revision: string | undefined): Record<string, unknown> {
  const svc = g.service ?? {};
  const type = svc.type ?? (kind === 'egress' ? 'ClusterIP' : 'LoadBalancer');
  if (svc.externalTrafficPolicy !== undefined && type === 'ClusterIP') {
    ctx.at('service', 'externalTrafficPolicy').fail(ErrorCode.CONFLICTING_PROPS,
      'externalTrafficPolicy only applies to LoadBalancer and NodePort Services (Kubernetes refuses it on a ClusterIP Service)',
      'remove externalTrafficPolicy, or use service.type LoadBalancer or NodePort');
  }
  const ports = declaredPorts(ctx.at('service', 'ports'), svc.ports);
  const hardened = g.hardened === true;
  if (g.replicas !== undefined && g.autoscaling !== undefined) {
    ctx.at('replicas').fail(ErrorCode.CONFLICTING_PROPS, 'replicas (a fixed count) and autoscaling were both given', 'give replicas or autoscaling, not both');
  }
  let scaling: Record<string, unknown>;
  if (g.replicas !== undefined) {
    if (hardened && g.replicas < 2) {
      ctx.at('replicas').fail(ErrorCode.CONFLICTING_PROPS, `replicas ${g.replicas} leaves a hardened gateway without redundancy`, 'run at least 2 replicas');
    }
    scaling = { replicaCount: g.replicas, autoscaling: { enabled: false } };
  } else {
    const a = g.autoscaling ?? {};
    let range: { minReplicas?: number; maxReplicas?: number } = { minReplicas: a.minReplicas, maxReplicas: a.maxReplicas };
    if (hardened) {
      range = checkGatewayReplicas(ctx.at('autoscaling'), a.minReplicas, a.maxReplicas);
    } else if ((a.maxReplicas ?? 5) < (a.minReplicas ?? 1)) {
      ctx.at('autoscaling', 'maxReplicas').fail(ErrorCode.CONFLICTING_PROPS, `maxReplicas ${a.maxReplicas ?? 5} is below minReplicas ${a.minReplicas ?? 1}`, 'give maxReplicas >= minReplicas');
    }
    scaling = {
      autoscaling: compactObject({
        enabled: true,
        minReplicas: range.minReplicas,
        maxReplicas: range.maxReplicas,
        targetCPUUtilizationPercentage: a.targetCpuUtilizationPercentage,
      }),
    };
  }
  const resources = g.resources !== undefined || hardened ? gatewayResources(ctx.at('resources'), g.resources) : undefined;
  return compactObject({
    revision,
    labels: Object.keys(labels).length ? { ...labels } : undefined,
    service: compactObject({
      type,
      ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort })),
      annotations: svc.annotations && Object.keys(svc.annotations).length ? { ...svc.annotations } : undefined,
      externalTrafficPolicy: svc.externalTrafficPolicy ?? (hardened && type !== 'ClusterIP' ? 'Local' : undefined),
    }),
    ...scaling,
    resources,
    ...(hardened ? {
      securityContext: hardenedPodSecurityContext(),
      containerSecurityContext: hardenedContainerSecurityContext(),
      podDisruptionBudget: { minAvailable: 1 },
    } : {}),
  });
}

/** The Service's declared ports: the chart's, or the status port and the given ones. */
function declaredPorts(ctx: Ctx, given: readonly GatewayPort[] | undefined): ResolvedPort[] {
  const status = chartServicePort(GATEWAY_CHART_DEFAULT_PORTS[0]);
  if (given === undefined) return GATEWAY_CHART_DEFAULT_PORTS.map(chartServicePort);
  const resolved = resolvePorts(ctx, given.map((p) => ({ ...p, protocol: p.protocol ?? Protocol.TCP })));
  resolved.forEach((p, i) => {
    if (p.port === status.port) {
      ctx.at(i, 'port').fail(ErrorCode.INVALID_PORT, `port ${p.port} is the gateway's status port, which the chart always exposes for health checks`, 'use another port');
    }
    if (p.protocol === Protocol.UDP) {
      ctx.at(i, 'protocol').fail(ErrorCode.INVALID_PORT, 'a gateway Service port cannot be UDP (a Gateway has no UDP servers)', 'use a TCP-based protocol');
    }
  });
  return [status, ...resolved];
}

/** Merges the user's `values` over the generated ones: objects merged key by key, anything else replaced. */
function mergeValues(ctx: Ctx, base: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, any> {
  if (extra === undefined) return base;
  const service = extra.service;
  if (service !== null && typeof service === 'object' && 'ports' in service) {
    ctx.at('values', 'service', 'ports').fail(ErrorCode.CONFLICTING_PROPS, 'the gateway Service ports are set here, where bound constructs cannot add theirs',
      'declare them in service.ports');
  }
  if (extra.networkGateway !== undefined && extra.networkGateway !== '') {
    ctx.at('values', 'networkGateway').fail(ErrorCode.CONFLICTING_PROPS, 'an east-west (network) gateway replaces the Service ports with the multi-network ones, which this gateway does not model',
      'install the east-west gateway with its own gateway chart release outside the installation');
  }
  return mergeJson(base, extra);
}




function compactObject(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function showLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

let validator: ValidateFunction | undefined;

/**
 * Checks values against the `gateway` chart's own values schema (generated into
 * src/generated/gateway-values-schema.json by scripts/gateway-values-schema.ts), as `helm
 * template` would before rendering.
 */
function validateChartValues(ctx: Ctx, values: Record<string, unknown>): void {
  if (validator === undefined) {
    const schema = (gatewayValuesSchema as any).default ?? gatewayValuesSchema;
    validator = new Ajv({ strict: false, allErrors: false }).compile(schema);
  }
  if (validator(values)) return;
  const err = validator.errors![0];
  const segments = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = err.keyword === 'additionalProperties' ? ` (${show((err.params as { additionalProperty: string }).additionalProperty)})` : '';
  ctx.at('values', ...segments).fail(ErrorCode.INVALID_PROP,
    `the gateway chart's values schema refuses ${err.instancePath ? `values${err.instancePath.replace(/\//g, '.')}` : 'the values'}: ${err.message}${extra}`,
    'fix the value as the gateway chart\'s values.schema.json describes it, or use the typed props');
}
