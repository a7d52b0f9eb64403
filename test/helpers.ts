/** Shared test helpers: synthesize with cdk8s, run under Pulumi mocks, validate. */
import * as pulumi from '@pulumi/pulumi';
import { App, Chart, Testing } from 'cdk8s';
import { IstioConstructError, Manifest, PatternOutput, manifestsOf, validateManifests } from '../src';

/** Synthesizes a chart built by `fn` and returns its objects as JSON. */
export function synth(fn: (chart: Chart) => void): Manifest[] {
  const chart = Testing.chart();
  fn(chart);
  return Testing.synth(chart) as Manifest[];
}

/** Synthesizes every chart of an app built by `fn`, by chart id. */
export function synthApp(fn: (app: App) => void): Record<string, Manifest[]> {
  const app = Testing.app();
  fn(app);
  const out: Record<string, Manifest[]> = {};
  for (const chart of app.charts) out[chart.node.id] = Testing.synth(chart) as Manifest[];
  return out;
}

/** Fails with the validator's findings unless every object is schema-valid. */
export function expectValid(manifests: readonly Manifest[]): void {
  expect(validateManifests(manifests)).toEqual([]);
}

/** Finds one object by kind (and name). */
export function find(manifests: readonly Manifest[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

/** Runs `fn` and returns the IstioConstructError it throws (failing if it throws anything else or nothing). */
export function errorOf(fn: () => unknown): IstioConstructError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IstioConstructError) return e;
    throw new Error(`expected an IstioConstructError, got ${(e as Error)?.stack ?? e}`);
  }
  throw new Error('expected an IstioConstructError, nothing was thrown');
}

/** A resource registered with the Pulumi mock monitor. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  readonly urn: string;
}

let mocksSet: Promise<void> | undefined;
/** Names of every custom resource the mock monitor was asked to create since the last run. */
const mockCreated: string[] = [];

/** Installs the Pulumi mocks once per test file. */
export function setPulumiMocks(): Promise<void> {
  mocksSet ??= pulumi.runtime.setMocks({
    newResource: (args) => {
      if (args.custom !== false) mockCreated.push(args.name);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'project', 'stack', false);
  return mocksSet;
}

/**
 * Runs a Pulumi program under mocks and returns every custom resource it registered (components
 * excluded), after all registrations have completed.
 */
export async function runPulumi(program: () => pulumi.ComponentResource[]): Promise<Registered[]> {
  await setPulumiMocks();
  mockCreated.length = 0;
  const components = program();
  const children: pulumi.CustomResource[] = [];
  for (const c of components) {
    for (const v of Object.values(c)) {
      if (v instanceof pulumi.CustomResource) children.push(v);
      else if (v && typeof v === 'object' && !(v instanceof pulumi.Resource)) {
        for (const inner of Object.values(v)) if (inner instanceof pulumi.CustomResource) children.push(inner);
      }
    }
  }
  const out: Registered[] = [];
  // A child may be exposed twice (a named field and the `resources` record).
  for (const child of new Set(children)) {
    const [urn, inputs] = await Promise.all([
      (child.urn as any).promise() as Promise<string>,
      Promise.all(['apiVersion', 'kind', 'metadata', 'spec'].map((k) => (pulumi.output((child as any)[k]) as any).promise())),
    ]);
    const [apiVersion, kind, metadata, spec] = inputs;
    out.push({ type: urn.split('::')[2].split('$').pop()!, name: urn.split('::')[3], urn, inputs: { apiVersion, kind, metadata, spec } });
  }
  await Promise.all(components.map((c) => (c.urn as any).promise()));
  // Nothing registered that the components do not expose.
  expect([...mockCreated].sort()).toEqual(out.map((r) => r.name).sort());
  return out;
}

/** Drops undefined members, as YAML serialization does. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}


/** Runs a build: it must either throw IstioConstructError or return admission-valid objects. */
export function refusedOrValid(build: () => PatternOutput): void {
  let out: PatternOutput;
  try {
    out = build();
  } catch (e) {
    expect(e).toBeInstanceOf(IstioConstructError);
    return;
  }
  expect(validateManifests(manifestsOf(out))).toEqual([]);
}
