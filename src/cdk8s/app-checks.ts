/**
 * The once-per-synth work of the cdk8s front end (DESIGN D5a), as ONE validation on the cdk8s
 * `App`, never one per construct: printing the constructs' warnings, validating every Istio object
 * of the app as the API server and Istio's webhook would admit it, and running the whole-program
 * analysis (`analyze`, src/analysis) once over every `ApiObject` of the app, whoever made it.
 * Each object is rendered (`toJson()`) once per synthesis, and that JSON feeds both checks.
 *
 * When cdk8s validates: `app.synth()` and `app.synthYaml()` validate the whole app once, then again
 * for every chart (`chart.toJson()` validates the whole app each time), i.e. N+1 times for N charts;
 * `chart.toJson()` / `Testing.synth(chart)` on their own validate the whole app once. So that the
 * work is done, and each warning printed, once per synthesis, the App's `synth` and `synthYaml` are
 * wrapped (on the App instance only) to mark a synthesis: inside one, the first validation does the
 * work and the later ones reuse its result. Outside one, every validation is its own synthesis.
 * Inside one, cdk8s' per-chart preparation (dependencies and validation of the whole app) is also
 * done once, by the first chart rendered (`renderChartsOnce`): without that, synthesizing an app
 * costs its charts times its objects.
 *
 * @internal
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { IConstruct } from 'constructs';
import { analyze } from '../analysis/analyze';
import { Diagnostic } from '../analysis/types';
import { Manifest } from '../core/manifest';
import { ValidationIssue, formatIssue, isAdmittedApiVersion, validateManifestDetailed } from '../core/validation';
import { PatternWarning } from '../core/output';
import { render } from './render';
import { ambiguousStrings, hasPlainScalar, toUnambiguousYaml } from './yaml';

/** Marks a construct whose pattern returned warnings (the value is the list). */
const WARNINGS = Symbol('istio-constructs.cdk8s.warnings');
/** Marks an ApiObject this library emitted (the value is its construct, whose path names it in messages). */
const EMITTED_BY = Symbol('istio-constructs.cdk8s.emitted-by');
/** The App-level checks of a construct tree, stored on its root. */
const CHECKS = Symbol('istio-constructs.cdk8s.app-checks');

/** Prefix of every warning line this library prints at synth. */
export const WARNING_PREFIX = '[istio-constructs] WARNING';
/** Prefix of every informational line this library prints at synth (analysis messages of level Info). */
export const INFO_PREFIX = '[istio-constructs] INFO';

/** The analysis settings of an App (validated by `IstioAnalysis.configure`). @internal */
export interface AppAnalysisSettings {
  readonly meshConfig?: Record<string, unknown>;
  readonly istioNamespace?: string;
  readonly external?: readonly Manifest[];
  readonly exclude?: readonly string[];
  /** Charts (or any constructs) whose objects are alternatives: each analyzed with the rest, never with another. */
  readonly stages?: readonly IConstruct[];
}

/**
 * Registers the output of one construct with the App-level checks of its tree (adding them to the
 * root on first use): its warnings are printed at synth, and its objects are named by its path in
 * the analysis' messages. Constant time: nothing is walked or checked here. @internal
 */
export function registerWithApp(
  scope: IConstruct, objects: readonly ApiObject[], warnings: readonly PatternWarning[], referenced: readonly Manifest[] = [],
): void {
  for (const o of objects) Object.defineProperty(o, EMITTED_BY, { value: scope });
  if (warnings.length) Object.defineProperty(scope, WARNINGS, { value: [...warnings] });
  AppChecks.of(scope.node.root).referenced.push(...referenced);
}

/** Sets the analysis settings of a tree (adding the App-level checks to its root if needed). @internal */
export function configureAppChecks(root: IConstruct, settings: AppAnalysisSettings): void {
  AppChecks.of(root).settings = settings;
}

/** The path of the library construct that emitted the i-th object of a validation (undefined for other objects). */
type EmittedBy = (i: number) => string | undefined;

/** The one validation on the root of a construct tree. */
class AppChecks {
  /** The checks of a tree, created (and attached to the root) on first use. */
  public static of(root: IConstruct): AppChecks {
    const existing = (root as unknown as Record<symbol, AppChecks | undefined>)[CHECKS];
    if (existing) return existing;
    const checks = new AppChecks(root);
    Object.defineProperty(root, CHECKS, { value: checks });
    return checks;
  }

  /** The analysis settings (`IstioAnalysis.configure`). */
  public settings: AppAnalysisSettings = {};
  /** The cluster objects the constructs' props reference (`assumedObjects`), in registration order. */
  public readonly referenced: Manifest[] = [];
  /** How many wrapped synth calls are running (nested: `synth` calls `toJson` per chart). */
  private depth = 0;
  /** The errors of the current synthesis, once computed. */
  private result?: string[];
  /** The objects whose rendering is kept for the current synthesis (`keepRenderings`). */
  private rendered: ApiObject[] = [];
  /** The YAML-ambiguous strings of the app's objects, found by the last validation (undefined: none ran). */
  private ambiguous?: Set<string>;
  /** The charts whose `toJson` is replaced for the current synthesis (`renderChartsOnce`). */
  private charts: Chart[] = [];
  /** Whether a chart of the current synthesis was rendered by cdk8s (which prepared the whole app). */
  private prepared = false;

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => this.validate() });
    for (const method of ['synth', 'synthYaml']) this.wrap(method);
  }

  /** Marks calls of `root[method]` (if the root has it: a cdk8s App) as one synthesis. */
  private wrap(method: string): void {
    const target = this.root as unknown as Record<string, unknown>;
    const original = target[method];
    if (typeof original !== 'function') return;
    const checks = this;
    Object.defineProperty(target, method, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        checks.depth++;
        const started = Date.now();
        let outermost = false;
        try {
          if (checks.depth === 1) checks.renderChartsOnce();
          const result = original.apply(this, args);
          outermost = checks.depth === 1;
          return result;
        } finally {
          if (--checks.depth === 0) {
            checks.result = undefined;
            checks.forgetRenderings();
            checks.forgetChartRenderers();
          }
          if (outermost && method === 'synth') quoteWrittenFiles(checks.root, started, checks.ambiguous);
        }
      },
    });
  }

  /** The validation: once per synthesis, over the whole tree. */
  private validate(): string[] {
    if (this.depth > 0 && this.result) return this.result;
    const all = this.root.node.findAll();
    this.printWarnings(all);
    const objects = all.filter((c): c is ApiObject => c instanceof ApiObject);
    const manifests = objects.map((o) => render(o) as Manifest);
    if (this.depth > 0) this.keepRenderings(objects, manifests);
    this.ambiguous = ambiguousStrings(manifests);
    // The path of the construct that emitted an object, computed only for the objects a message names.
    const emittedBy: EmittedBy = (i) => (objects[i] as unknown as Record<symbol, IConstruct | undefined>)[EMITTED_BY]?.node.path;
    const errors = [...admissionErrors(manifests, emittedBy), ...this.analysisErrors(objects, manifests, emittedBy)];
    if (this.depth > 0) this.result = errors;
    return errors;
  }

  /**
   * Inside a synthesis, each object's `toJson()` returns the rendering the validation just made
   * (cdk8s renders every object again to write it: the same JSON, computed twice). The objects
   * cannot change between the validation and the writing of one synthesis. Forgotten when the
   * synthesis ends.
   */
  private keepRenderings(objects: readonly ApiObject[], manifests: readonly Manifest[]): void {
    objects.forEach((o, i) => {
      const json = manifests[i];
      Object.defineProperty(o, 'toJson', { configurable: true, writable: true, value: () => json });
      this.rendered.push(o);
    });
  }

  /** Restores every kept object's own `toJson()` (the prototype's). */
  private forgetRenderings(): void {
    for (const o of this.rendered) delete (o as unknown as Record<string, unknown>).toJson;
    this.rendered = [];
  }

  /**
   * For one synthesis, replaces `toJson` on every chart of the tree (that does not override it):
   * the first chart rendered goes through cdk8s (`App._synthChart`: resolve the dependencies of the
   * whole app, validate the whole app, render the chart), the others only render their objects in
   * dependency order, as cdk8s does after preparing the app. cdk8s prepares the whole app again
   * for every chart, which makes a synthesis cost charts × objects; the app cannot change between
   * two charts of one synthesis, so preparing it once gives the same output. Restored when the
   * synthesis ends.
   */
  private renderChartsOnce(): void {
    for (const c of this.root.node.findAll()) {
      if (!Chart.isChart(c) || c.toJson !== Chart.prototype.toJson) continue;
      Object.defineProperty(c, 'toJson', {
        configurable: true,
        writable: true,
        value: (): unknown[] => {
          if (!this.prepared) {
            const out = Chart.prototype.toJson.call(c);
            this.prepared = true;
            return out;
          }
          return new DependencyGraph(c.node).topology()
            .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === c)
            .map((o) => o.toJson());
        },
      });
      this.charts.push(c);
    }
  }

  /** Restores every replaced chart's own `toJson()` (the prototype's). */
  private forgetChartRenderers(): void {
    for (const c of this.charts) delete (c as unknown as Record<string, unknown>).toJson;
    this.charts = [];
    this.prepared = false;
  }

  /** Prints every registered warning, in construct-tree order. */
  private printWarnings(all: readonly IConstruct[]): void {
    for (const c of all) {
      const warnings = (c as unknown as Record<symbol, PatternWarning[] | undefined>)[WARNINGS];
      for (const w of warnings ?? []) console.warn(`${WARNING_PREFIX} ${c.node.path} ${w.path} (${w.code}): ${w.message}`);
    }
  }

  /**
   * Runs the analysis: once over every object, or, when stages are configured, once per stage over
   * that stage's objects and the objects of no stage. Prints the warnings and infos (each once),
   * returns the errors (the synth fails on them), each line naming the construct that emitted the
   * object (the library's constructs) or the ApiObject's own path (other objects).
   */
  private analysisErrors(objects: readonly ApiObject[], manifests: readonly Manifest[], emittedBy: EmittedBy): string[] {
    if (objects.length === 0) return [];
    const { stages = [], exclude = [], meshConfig, istioNamespace, external } = this.settings;
    const groups = stageGroups(objects, manifests, stages);
    // External objects: the user's, then those the constructs reference that neither the app nor the user's declare.
    const identity = (m: Manifest) => `${m.kind}\u0000${m.metadata?.namespace ?? ''}\u0000${m.metadata?.name}`;
    const implied: Manifest[] = [];
    const known = new Set<string>();
    if (this.referenced.length) {
      for (const m of manifests) known.add(identity(m));
      for (const m of external ?? []) known.add(identity(m));
    }
    for (const m of this.referenced) {
      if (known.has(identity(m))) continue;
      known.add(identity(m));
      implied.push(m);
    }
    const options = { meshConfig, istioNamespace, external: [...(external ?? []), ...implied], exclude: ['schema.', ...exclude] };
    const lines = { Error: new Set<string>(), Warning: new Set<string>(), Info: new Set<string>() };
    for (const group of groups) {
      const diagnostics = analyze(group.map((i) => manifests[i]), options);
      if (diagnostics.length === 0) continue;
      const owners = new Map<string, string>();
      // Only objects with the name of a diagnosed resource can own a diagnostic: the others are not keyed.
      const names = new Set(diagnostics.map((d) => d.resourceName));
      for (const i of group) {
        const m = manifests[i];
        if (!names.has(String(m.metadata?.name))) continue;
        const where = emittedBy(i) ?? objects[i].node.path;
        const namespace = typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : '';
        // The analysis places an object without a namespace in 'default', unless its kind is cluster-scoped.
        for (const ns of namespace ? [namespace] : ['default', '']) {
          const key = `${m.kind}\u0000${ns}\u0000${m.metadata?.name}`;
          if (!owners.has(key)) owners.set(key, where);
        }
      }
      for (const d of diagnostics) {
        const where = owners.get(`${d.kind}\u0000${d.namespace ?? ''}\u0000${d.resourceName}`);
        lines[d.level].add(`${where ? where + ': ' : ''}${formatDiagnostic(d)}`);
      }
    }
    for (const line of lines.Warning) console.warn(`${WARNING_PREFIX} ${line}`);
    for (const line of lines.Info) console.info(`${INFO_PREFIX} ${line}`);
    return [...lines.Error];
  }
}

/** `Error IST0101 (VirtualService ns/name) <message>`: a diagnostic as one line, as istioctl prints it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.level} ${d.code} (${d.resource}) ${d.message}`;
}

/**
 * The sets of objects analyzed together, as indexes into `objects`: all of them without stages;
 * with stages, per stage its own objects plus those of no stage (an object belongs to the nearest
 * stage among its ancestors). A stage is applied on top of the rest, so a stage object with the
 * same kind, namespace and name as an object of no stage replaces it. Linear in the objects times
 * the depth of the tree.
 */
function stageGroups(objects: readonly ApiObject[], manifests: readonly Manifest[], stages: readonly IConstruct[]): number[][] {
  if (stages.length === 0) return [objects.map((_, i) => i)];
  const stageIndex = new Map<IConstruct, number>(stages.map((s, i) => [s, i]));
  const common: number[] = [];
  const perStage: number[][] = stages.map(() => []);
  objects.forEach((o, i) => {
    const scopes = o.node.scopes;
    let stage: number | undefined;
    for (let j = scopes.length - 1; j >= 0 && stage === undefined; j--) stage = stageIndex.get(scopes[j]);
    (stage === undefined ? common : perStage[stage]).push(i);
  });
  const identity = (i: number) => {
    const m = manifests[i];
    return `${String(m.apiVersion).split('/').slice(0, -1).join('/')}/${m.kind}\u0000${m.metadata?.namespace ?? ''}\u0000${m.metadata?.name}`;
  };
  return perStage.map((own) => {
    const replaced = new Set(own.map(identity));
    return [...common.filter((i) => !replaced.has(identity(i))), ...own];
  });
}

/**
 * Validates every Istio object of the app (whoever made it) as the API server and Istio's webhook
 * would admit it: prints the warnings, returns the errors (the synth fails on them). Each object on
 * its own: the charts of one app may be alternatives (one file per stage), so one object in two
 * charts is not "declared twice".
 */
function admissionErrors(manifests: readonly Manifest[], emittedBy: EmittedBy): string[] {
  const errors: string[] = [];
  manifests.forEach((m, i) => {
    if (!isAdmittedApiVersion(m.apiVersion)) return;
    const line = (issue: ValidationIssue) => {
      const where = emittedBy(i);
      return `${where !== undefined ? where + ': ' : ''}${formatIssue(issue)}`;
    };
    const result = validateManifestDetailed(m);
    for (const w of result.warnings) console.warn(`${WARNING_PREFIX} ${line(w)}`);
    errors.push(...result.errors.map(line));
  });
  return errors;
}

/**
 * Rewrites the YAML files an `app.synth()` just wrote (in the App's outdir, with its output file
 * extension, modified since `since`) with every YAML-ambiguous string quoted: cdk8s' own writer
 * leaves `0o674` plain, which Go's readers (kubectl) take for the integer 444. See yaml.ts.
 */
function quoteWrittenFiles(root: IConstruct, since: number, ambiguous: ReadonlySet<string> | undefined): void {
  // The objects hold no ambiguous string: cdk8s' files are already unambiguous.
  if (ambiguous !== undefined && ambiguous.size === 0) return;
  const app = root as unknown as { outdir?: unknown; outputFileExtension?: unknown };
  if (typeof app.outdir !== 'string' || !fs.existsSync(app.outdir)) return;
  const extension = typeof app.outputFileExtension === 'string' ? app.outputFileExtension : '.k8s.yaml';
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith(extension) && fs.statSync(file).mtimeMs >= since - 1000) {
        const text = fs.readFileSync(file, 'utf8');
        // Only a file with one of them written plain needs the (slower) parse and rewrite.
        if (ambiguous !== undefined && !hasPlainScalar(text, ambiguous)) continue;
        const docs = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
        fs.writeFileSync(file, toUnambiguousYaml(docs));
      }
    }
  };
  visit(app.outdir);
}
