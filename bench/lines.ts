/**
 * The lines `npm run bench` times: each takes a scenario's program (or the objects the builders
 * return for it, built before the clock starts) and does one engine's whole job on it. A library
 * line and its raw baseline hold the same objects, so their ratio is the library's own cost.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import {
  GatewayRef, Manifest, PatternOutput, analyze, buildAuthorizationPolicy, buildCanaryService, buildHardenedGateway,
  buildPeerAuthentication, manifestsOf,
} from '../src';
import * as lib from '../src/cdk8s';
import * as libPulumi from '../src/pulumi';
import { NamespaceProgram } from './scenarios';

/** One declaration's builder output, with the id the engines give it. */
export interface Built {
  readonly id: string;
  readonly output: PatternOutput;
  /** Whether the library wraps the objects in a construct / component (false for the program's own Services). */
  readonly component: boolean;
}

/** A namespace's built declarations. */
export interface BuiltNamespace {
  readonly namespace: string;
  readonly built: readonly Built[];
}

/** Runs the pure builders over a program (the namespace's gateway ref flows to its CanaryServices). */
export function buildProgram(program: readonly NamespaceProgram[]): BuiltNamespace[] {
  return program.map(({ namespace, declarations }) => {
    let gateway: GatewayRef | undefined;
    const built: Built[] = declarations.map((d) => {
      switch (d.pattern) {
        case 'Object': return { id: d.id, output: { objects: [{ role: 'service', manifest: d.manifest }] }, component: false };
        case 'CanaryService': return { id: d.id, output: buildCanaryService(d.props(gateway)), component: true };
        case 'PeerAuthentication': return { id: d.id, output: buildPeerAuthentication(d.props), component: true };
        case 'AuthorizationPolicy': return { id: d.id, output: buildAuthorizationPolicy(d.props), component: true };
        case 'HardenedGateway': {
          const output = buildHardenedGateway(d.props);
          gateway = output.ref;
          return { id: d.id, output, component: true };
        }
      }
    });
    return { namespace, built };
  });
}

/** Every object of a built program, in declaration order. */
export function allManifests(program: readonly BuiltNamespace[]): Manifest[] {
  return program.flatMap((ns) => ns.built.flatMap((b) => manifestsOf(b.output)));
}

function freshDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** cdk8s, library: one Chart per namespace, one construct per declaration, then `app.synth()` into `outdir`. */
export function cdk8sLibrary(program: readonly NamespaceProgram[], outdir: string): void {
  freshDir(outdir);
  const app = new App({ outdir });
  for (const { namespace, declarations } of program) {
    const chart = new Chart(app, namespace);
    let gateway: GatewayRef | undefined;
    for (const d of declarations) {
      switch (d.pattern) {
        case 'Object': new ApiObject(chart, d.id, d.manifest); break;
        case 'CanaryService': new lib.CanaryService(chart, d.id, d.props(gateway)); break;
        case 'PeerAuthentication': new lib.PeerAuthentication(chart, d.id, d.props); break;
        case 'AuthorizationPolicy': new lib.AuthorizationPolicy(chart, d.id, d.props); break;
        case 'HardenedGateway': gateway = new lib.HardenedGateway(chart, d.id, d.props).ref; break;
      }
    }
  }
  app.synth();
}

/**
 * cdk8s, raw: the same charts holding plain `ApiObject`s with the builders' objects (built
 * beforehand) and the same apply-order dependencies, then `app.synth()` into `outdir`.
 */
export function cdk8sRaw(program: readonly BuiltNamespace[], outdir: string): void {
  freshDir(outdir);
  const app = new App({ outdir });
  for (const { namespace, built } of program) {
    const chart = new Chart(app, namespace);
    for (const { id, output, component } of built) {
      const byRole: Record<string, ApiObject> = {};
      for (const o of output.objects) byRole[o.role] = new ApiObject(chart, component ? `${id}-${o.role}` : id, o.manifest);
      for (const o of output.objects) for (const d of o.dependsOn ?? []) byRole[o.role].addDependency(byRole[d]);
    }
  }
  app.synth();
}

/** The YAML of one namespace's objects, one document each, as `yaml.stringify` writes them. */
function namespaceYaml(manifests: readonly Manifest[]): string {
  return manifests.map((m) => stringify(m)).join('---\n');
}

/** Pure build + YAML, library: the builders over the program, then YAML per namespace. Returns the byte count (so nothing is optimised away). */
export function buildAndYaml(program: readonly NamespaceProgram[]): number {
  let bytes = 0;
  for (const ns of buildProgram(program)) bytes += namespaceYaml(ns.built.flatMap((b) => manifestsOf(b.output))).length;
  return bytes;
}

/** The YAML floor: `yaml.stringify` of the same objects, built beforehand. */
export function yamlFloor(program: readonly BuiltNamespace[]): number {
  let bytes = 0;
  for (const ns of program) bytes += namespaceYaml(ns.built.flatMap((b) => manifestsOf(b.output))).length;
  return bytes;
}

/** The analysis over a program's objects (what the synth writes). Returns the diagnostic count. */
export function analysis(manifests: readonly Manifest[]): number {
  return analyze(manifests).length;
}

/**
 * Sets fresh Pulumi mocks (a new monitor: nothing is kept from a previous run); `finish` waits
 * until the program's RPCs have drained (every registration and `registerOutputs` answered, as at
 * the end of a real program), disconnects, and fails unless `expected` resources were registered.
 */
async function mockRun(expected: number): Promise<{ readonly finish: () => Promise<void> }> {
  let registered = 0;
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered++;
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'bench', 'bench', false);
  return {
    finish: async () => {
      await pulumi.runtime.disconnect();
      if (registered !== expected) throw new Error(`expected ${expected} resources to be registered, got ${registered}`);
    },
  };
}

/** How many resources a built program registers in Pulumi: one component per declaration plus its objects. */
export function resourceCount(program: readonly BuiltNamespace[]): number {
  return program.reduce((n, ns) => n + ns.built.reduce((m, b) => m + (b.component ? 1 : 0) + b.output.objects.length, 0), 0);
}

function whenKnown<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

/** Pulumi, library: one component per declaration under mocks; resolves when every resource is registered. */
export async function pulumiLibrary(program: readonly NamespaceProgram[], expected: number): Promise<void> {
  const { finish } = await mockRun(expected);
  let last: pulumi.ComponentResource | undefined;
  for (const { namespace, declarations } of program) {
    let gateway: GatewayRef | undefined;
    for (const d of declarations) {
      const name = `${namespace}-${d.id}`;
      switch (d.pattern) {
        case 'Object': coreResource(name, d.manifest); break;
        case 'CanaryService': last = new libPulumi.CanaryService(name, d.props(gateway)); break;
        case 'PeerAuthentication': last = new libPulumi.PeerAuthentication(name, d.props); break;
        case 'AuthorizationPolicy': last = new libPulumi.AuthorizationPolicy(name, d.props); break;
        case 'HardenedGateway': {
          const g = new libPulumi.HardenedGateway(name, d.props);
          gateway = g.ref;
          last = g;
          break;
        }
      }
    }
  }
  if (last) await whenKnown(last.urn);
  await finish();
}

/** The Kubernetes resource classes of the core kinds the scenarios emit; the rest are CustomResources. */
const CORE: Record<string, new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/Secret': k8s.core.v1.Secret,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
};

/** The component a raw declaration's objects are registered under (what a hand-written component costs). */
class RawComponent extends pulumi.ComponentResource {
  constructor(name: string) {
    super('bench:index:Raw', name, {});
  }

  /** Registers the component's outputs: its children. */
  public done(children: Record<string, pulumi.CustomResource>): void {
    this.registerOutputs(children);
  }
}

/** Registers one of the program's own Kubernetes objects with its `@pulumi/kubernetes` class. */
function coreResource(name: string, manifest: Manifest): pulumi.CustomResource {
  const Core = CORE[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Core) throw new Error(`bench: no @pulumi/kubernetes class for ${manifest.apiVersion} ${manifest.kind}`);
  return new Core(name, manifest);
}

/**
 * Pulumi, raw: per declaration one plain `ComponentResource` and its objects (built beforehand) as
 * `CustomResource`s (core kinds as their `@pulumi/kubernetes` classes) with the same parent and
 * dependencies, under mocks; resolves when every resource is registered.
 */
export async function pulumiRaw(program: readonly BuiltNamespace[], expected: number): Promise<void> {
  const { finish } = await mockRun(expected);
  let last: pulumi.ComponentResource | undefined;
  for (const { namespace, built } of program) {
    for (const { id, output, component } of built) {
      const name = `${namespace}-${id}`;
      if (!component) {
        coreResource(name, output.objects[0].manifest);
        continue;
      }
      const parent = new RawComponent(name);
      const children: Record<string, pulumi.CustomResource> = {};
      for (const o of output.objects) {
        const opts = { parent, dependsOn: (o.dependsOn ?? []).map((d) => children[d]) };
        const Core = CORE[`${o.manifest.apiVersion}/${o.manifest.kind}`];
        children[o.role] = Core
          ? new Core(`${name}-${o.role}`, o.manifest, opts)
          : new k8s.apiextensions.CustomResource(`${name}-${o.role}`, o.manifest as k8s.apiextensions.CustomResourceArgs, opts);
      }
      parent.done(children);
      last = parent;
    }
  }
  if (last) await whenKnown(last.urn);
  await finish();
}

/** Every `.k8s.yaml` file under a directory, by relative path, as parsed documents (to compare two synths). */
export function readSynth(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.k8s.yaml')).sort()) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}
