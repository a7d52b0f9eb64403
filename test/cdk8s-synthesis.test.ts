/**
 * One preparation of the app per synthesis (src/cdk8s/app-checks.ts). cdk8s renders each chart
 * with `App._synthChart`, which resolves the dependencies of the whole app and validates the whole
 * app before rendering that one chart (cdk8s lib/app.ts), so a synthesis costs charts × objects. In
 * an app holding the library's constructs, the charts after the first one of a synthesis only
 * render their objects. What must hold: the output is byte for byte what cdk8s writes, for every
 * tree shape and output type, and the app is validated twice per synthesis, whatever the number of
 * charts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { MtlsMode } from '../src';
import { PeerAuthentication } from '../src/cdk8s';

/** A node of a random tree: where it goes (an index into the containers made so far) and what it is. */
interface Step {
  readonly kind: 'chart' | 'construct' | 'object';
  readonly parent: number;
  /** For an object: indexes into the earlier objects (kept only when they share its closest chart). */
  readonly deps: readonly number[];
}
interface Recipe {
  readonly topCharts: number;
  /** For each top-level chart: indexes of earlier top-level charts it depends on. */
  readonly chartDeps: readonly number[];
  readonly steps: readonly Step[];
}

const recipes: fc.Arbitrary<Recipe> = fc.record({
  topCharts: fc.integer({ min: 1, max: 5 }),
  chartDeps: fc.array(fc.nat(20), { maxLength: 5 }),
  steps: fc.array(fc.record({
    kind: fc.constantFrom<Step['kind']>('object', 'object', 'object', 'construct', 'chart'),
    parent: fc.nat(100),
    deps: fc.array(fc.nat(100), { maxLength: 2 }),
  }), { maxLength: 25 }),
});

/** Builds the tree of a recipe in a new App, with one library construct in the first chart. */
function build(recipe: Recipe, props: { outdir?: string; yamlOutputType?: YamlOutputType } = {}): { app: App; charts: Chart[]; validations: () => number } {
  const app = new App(props);
  let validations = 0;
  const charts: Chart[] = [];
  for (let i = 0; i < recipe.topCharts; i++) charts.push(new Chart(app, `top${i}`, i % 2 ? { namespace: `ns${i}` } : {}));
  recipe.chartDeps.forEach((d, i) => {
    const from = charts[(i + 1) % charts.length];
    const to = charts[d % charts.length];
    if (charts.indexOf(to) < charts.indexOf(from)) from.addDependency(to);
  });
  new PeerAuthentication(charts[0], 'mtls', { namespace: 'mesh-a', mode: MtlsMode.STRICT });
  charts[0].node.addValidation({ validate: () => { validations++; return []; } });
  const containers: Construct[] = [...charts];
  const objects: ApiObject[] = [];
  recipe.steps.forEach((s, i) => {
    const parent = containers[s.parent % containers.length];
    if (s.kind === 'chart') containers.push(new Chart(parent, `c${i}`));
    else if (s.kind === 'construct') containers.push(new Construct(parent, `k${i}`));
    else {
      const o = new ApiObject(parent, `o${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { step: String(i) } });
      for (const d of s.deps) {
        const target = objects[d % Math.max(objects.length, 1)];
        if (target && Chart.of(target) === Chart.of(o)) o.addDependency(target);
      }
      objects.push(o);
    }
  });
  return { app, charts, validations: () => validations };
}

/** Every file under `dir`, relative path → content. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-synthesis-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('cdk8s: the app is prepared once per synthesis', () => {
  test('property: synthYaml gives exactly the YAML of cdk8s\' own synthYaml, for random trees (nested charts, dependencies)', () => {
    fc.assert(fc.property(recipes, (recipe) => {
      const ours = build(recipe).app.synthYaml();
      // The same tree, synthesized by cdk8s' App.synthYaml itself (not the App instance's wrapper).
      const theirs = App.prototype.synthYaml.call(build(recipe).app);
      expect(ours).toBe(theirs);
    }), { numRuns: 150, seed: 4242 });
  });

  test.each(['FILE_PER_CHART', 'FILE_PER_APP', 'FILE_PER_RESOURCE', 'FOLDER_PER_CHART_FILE_PER_RESOURCE'] as const)(
    'property: synth writes exactly the files of cdk8s\' own synth (yamlOutputType %s)', (type) => {
    const yamlOutputType = YamlOutputType[type];
    let run = 0;
    fc.assert(fc.property(recipes, (recipe) => {
      const dir = path.join(tmp, `${yamlOutputType}-${run++}`);
      build(recipe, { outdir: path.join(dir, 'ours'), yamlOutputType }).app.synth();
      App.prototype.synth.call(build(recipe, { outdir: path.join(dir, 'theirs'), yamlOutputType }).app);
      expect(files(path.join(dir, 'ours'))).toEqual(files(path.join(dir, 'theirs')));
    }), { numRuns: 40, seed: 77 });
  });

  test('an app of 20 charts is validated twice per synth and per synthYaml (cdk8s alone: once per chart, plus once)', () => {
    const recipe: Recipe = { topCharts: 20, chartDeps: [], steps: [] };
    const ours = build(recipe, { outdir: path.join(tmp, 'count-ours') });
    ours.app.synth();
    expect(ours.validations()).toBe(2);
    ours.app.synthYaml();
    expect(ours.validations()).toBe(4);
    const theirs = build(recipe, { outdir: path.join(tmp, 'count-theirs') });
    App.prototype.synth.call(theirs.app);
    expect(theirs.validations()).toBe(21);
  });

  test('outside a synthesis a chart renders as cdk8s renders it: its toJson is the prototype\'s again, and validates the app', () => {
    const { app, charts, validations } = build({ topCharts: 3, chartDeps: [], steps: [{ kind: 'object', parent: 1, deps: [] }] });
    app.synthYaml();
    for (const c of charts) expect(Object.prototype.hasOwnProperty.call(c, 'toJson')).toBe(false);
    const before = validations();
    expect(charts[1].toJson()).toEqual([expect.objectContaining({ kind: 'ConfigMap', metadata: expect.objectContaining({ name: 'cm-0' }) })]);
    expect(validations()).toBe(before + 1);
  });

  test('a chart class with its own toJson is left alone (called, not bypassed)', () => {
    class Stamped extends Chart {
      public override toJson(): any[] {
        return super.toJson().map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { stamped: 'yes' } } }));
      }
    }
    const { app } = build({ topCharts: 2, chartDeps: [], steps: [] });
    new ApiObject(new Stamped(app, 'stamped'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stamped' } });
    expect(app.synthYaml()).toMatch(/name: stamped\n {2}annotations:\n {4}stamped: "yes"/);
  });

  test('an error still fails the synth, from the first chart rendered', () => {
    const { app, charts } = build({ topCharts: 4, chartDeps: [], steps: [] });
    charts[2].node.addValidation({ validate: () => ['broken on purpose'] });
    expect(() => app.synthYaml()).toThrow(/broken on purpose/);
    // and the charts are restored after the failed synthesis
    for (const c of charts) expect(Object.prototype.hasOwnProperty.call(c, 'toJson')).toBe(false);
  });
});
