/**
 * INTERIM, until the public `IstioInstallation` (src/cdk8s/istio-installation.ts,
 * src/pulumi/istio-installation.ts) is merged: the same props and accessors, joined from the pieces
 * on main (`buildIstioInstallation`, `resolveInstallationGateways`, `renderInstallationPlan`,
 * `registerInstallationPlan`). The examples import `IstioInstallation` from here only; once the
 * construct lands, the import moves to `../../src/cdk8s` / `../../src/pulumi` and this file goes.
 */
import * as pulumi from '@pulumi/pulumi';
import { Construct } from 'constructs';
import {
  InstallationGatewayProps, IstioAddonsProps, resolveAddons, IstioInstallationOutput, IstioInstallationProps, ManagedEgressGateway, ManagedIngressGateway,
  buildIstioInstallation, resolveInstallationGateways,
} from '../../src';
import { ChartSource } from '../../src/core/chart-source';
import { Ctx, ErrorCode } from '../../src/core/errors';
import type { InstallationPlan } from '../../src/core/installation-plan';
import { renderInstallationPlan } from '../../src/cdk8s/installation-render';
import { registerInstallationPlan } from '../../src/pulumi/installation-register';

/** The installation props with the gateways (what the public construct takes). */
export interface InstallationProps extends IstioInstallationProps {
  readonly gateways?: InstallationGatewayProps[];
  /** The profile's default gateways (istio-ingressgateway / istio-egressgateway). @default true */
  readonly defaultGateways?: boolean;
  /** Observability add-ons. @default - none */
  readonly addons?: IstioAddonsProps;
}

/** What the engines need: the plan and the gateway refs. */
export interface PlannedInstallation {
  readonly output: IstioInstallationOutput;
  readonly plan: InstallationPlan;
  readonly ingress: Readonly<Record<string, ManagedIngressGateway>>;
  readonly egress: Readonly<Record<string, ManagedEgressGateway>>;
}

/** The plan of an installation with its gateways (the profile's, then `gateways`). */
export function planInstallation(id: string, props: InstallationProps): PlannedInstallation {
  const { gateways = [], defaultGateways = true, addons, ...rest } = props;
  const ctx = new Ctx(`IstioInstallation ${JSON.stringify(id)}`);
  const istioNamespace = rest.namespace ?? 'istio-system';
  const resolvedAddons = resolveAddons(ctx.at('addons'), addons, { istioVersion: rest.version, istioNamespace, dependsOn: [] });
  const fragment = resolvedAddons.meshConfig as Record<string, any>;
  const mesh: Record<string, any> = { ...(rest.meshConfig ?? {}) };
  for (const [k, v] of Object.entries(fragment)) {
    mesh[k] = Array.isArray(v) ? [...(mesh[k] ?? []), ...v] : (v && typeof v === 'object' ? { ...(mesh[k] ?? {}), ...v } : v);
  }
  const output = buildIstioInstallation({ ...rest, ...(Object.keys(mesh).length ? { meshConfig: mesh } : {}) });
  const defaults: InstallationGatewayProps[] = defaultGateways
    ? output.gatewayRequests.map((r) => ({ name: r.name, kind: r.direction, namespace: r.namespace, service: { type: r.serviceType } }))
    : [];
  const control = output.plan.releases.filter((r) => r.role !== 'gateway' && r.role !== 'addon');
  const single = output.revisions.length === 1 && output.revisions[0].name ? output.revisions[0].name : undefined;
  const source = props.chartSource ?? ChartSource.istioRepository();
  const resolved = resolveInstallationGateways(ctx.at('gateways'), [...defaults, ...gateways], {
    locate: (chart) => source.locate(chart, output.version.text),
    dependsOn: control.length ? [control[control.length - 1].id] : [],
    revision: single,
  });
  const namespaces = [...output.plan.namespaces];
  for (const ns of resolved.namespaces) {
    if (!namespaces.some((n) => n.metadata.name === ns)) namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const ns of resolvedAddons.namespaces) if (!namespaces.some((n) => n.metadata.name === ns.metadata.name)) namespaces.push(ns);
  const last = control.length ? [control[control.length - 1].id] : [];
  const addonReleases = resolvedAddons.releases.map((r) => ({ ...r, dependsOn: last }));
  const addonSources = resolvedAddons.manifestSources.map((m) => ({ ...m, dependsOn: last }));
  return {
    output,
    plan: {
      ...output.plan, namespaces, releases: [...output.plan.releases, ...resolved.releases, ...addonReleases], gateways: resolved.plans,
      manifestSources: addonSources, manifests: [...output.plan.manifests, ...resolvedAddons.manifests],
    },
    ingress: resolved.ingress,
    egress: resolved.egress,
  };
}

function accessors(id: string, p: PlannedInstallation) {
  const named = <T>(all: Readonly<Record<string, T>>, name: string, what: string): T => {
    const g = all[name];
    if (!g) throw new Ctx(`IstioInstallation ${JSON.stringify(id)}`).at('gateways').fail(ErrorCode.INVALID_PROP, `no ${what} gateway ${JSON.stringify(name)}`, `use one of: ${Object.keys(all).join(', ')}`);
    return g;
  };
  return {
    gateway: (name: string) => named(p.ingress, name, 'ingress'),
    egressGateway: (name: string) => named(p.egress, name, 'egress'),
    ingressGateway: p.ingress['istio-ingressgateway'],
  };
}

/** cdk8s props: the installation plus how helm runs. */
export interface IstioInstallationConstructProps extends InstallationProps {
  readonly helmExecutable?: string;
  readonly helmFlags?: string[];
}

/** cdk8s (interim). */
export class IstioInstallation extends Construct {
  public readonly gateway: (name: string) => ManagedIngressGateway;
  public readonly egressGateway: (name: string) => ManagedEgressGateway;
  public readonly ingressGateway?: ManagedIngressGateway;
  public readonly istioNamespace: string;
  public readonly revisions: IstioInstallationOutput['revisions'];
  public readonly revisionTags: IstioInstallationOutput['revisionTags'];
  constructor(scope: Construct, id: string, props: IstioInstallationConstructProps) {
    super(scope, id);
    const { helmExecutable, helmFlags, ...rest } = props;
    const p = planInstallation(id, rest);
    renderInstallationPlan(this, p.plan, { helmExecutable, helmFlags });
    const a = accessors(id, p);
    this.gateway = a.gateway;
    this.egressGateway = a.egressGateway;
    this.ingressGateway = a.ingressGateway;
    this.istioNamespace = p.output.istioNamespace;
    this.revisions = p.output.revisions;
    this.revisionTags = p.output.revisionTags;
  }
}

/** Pulumi args: the installation plus how releases are registered. */
export interface IstioInstallationArgs extends InstallationProps {
  readonly release?: 'chart' | 'release';
}

/** Pulumi (interim). */
export class PulumiIstioInstallation extends pulumi.ComponentResource {
  public readonly gateway: (name: string) => ManagedIngressGateway;
  public readonly egressGateway: (name: string) => ManagedEgressGateway;
  public readonly ingressGateway?: ManagedIngressGateway;
  public readonly istioNamespace: string;
  constructor(name: string, args: IstioInstallationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:IstioInstallation', name, {}, opts);
    const { release, ...rest } = args;
    const p = planInstallation(name, rest);
    registerInstallationPlan(this, name, p.plan, { release });
    const a = accessors(name, p);
    this.gateway = a.gateway;
    this.egressGateway = a.egressGateway;
    this.ingressGateway = a.ingressGateway;
    this.istioNamespace = p.output.istioNamespace;
    this.registerOutputs({});
  }
}
