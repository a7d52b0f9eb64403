/**
 * The once-per-synth work of the cdk8s front end: printing the constructs' warnings, validating
 * every Istio object of the app as the API server and Istio's webhook would admit it, and running
 * the cross-object checks (DESIGN D5a), as ONE validation on the cdk8s `App`, not one per construct.
 *
 * When cdk8s validates: `app.synth()` and `app.synthYaml()` validate the whole app once, then again
 * for every chart (`chart.toJson()` validates the whole app each time), i.e. N+1 times for N charts;
 * `chart.toJson()` / `Testing.synth(chart)` on their own validate the whole app once. So that each
 * warning is printed once per synthesis, the App's `synth` and `synthYaml` are wrapped (on the App
 * instance only) to mark a synthesis: inside one, the first validation does the work and the later
 * ones reuse its result. Outside one, every validation is its own synthesis.
 *
 * @internal
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { IConstruct } from 'constructs';
import { affectsMtls, findMtlsConflicts } from '../analysis/mtls';
import { Manifest } from '../core/manifest';
import { ValidationIssue, formatIssue, isIstioApiVersion, objectId, validateManifestDetailed } from '../core/validation';
import { PatternWarning } from '../core/output';
import { toUnambiguousYaml } from './yaml';

/** Marks a construct whose pattern returned warnings (the value is the list). */
const WARNINGS = Symbol('istio-constructs.cdk8s.warnings');
/** Marks an ApiObject this library emitted (the value is the path of its construct). */
const EMITTED_BY = Symbol('istio-constructs.cdk8s.emitted-by');
/** The App-level checks of a construct tree, stored on its root. */
const CHECKS = Symbol('istio-constructs.cdk8s.app-checks');

/** Prefix of every line this library prints at synth. */
export const WARNING_PREFIX = '[istio-constructs] WARNING';

/**
 * Registers the output of one construct with the App-level checks of its tree (adding them to the
 * root on first use): its warnings are printed at synth, and its objects take part in the
 * cross-object checks. @internal
 */
export function registerWithApp(scope: IConstruct, objects: readonly ApiObject[], warnings: readonly PatternWarning[]): void {
  for (const o of objects) Object.defineProperty(o, EMITTED_BY, { value: scope.node.path });
  if (warnings.length) Object.defineProperty(scope, WARNINGS, { value: [...warnings] });
  AppChecks.of(scope.node.root);
}

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

  /** How many wrapped synth calls are running (nested: `synth` calls `toJson` per chart). */
  private depth = 0;
  /** The errors of the current synthesis, once computed. */
  private result?: string[];

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
          const result = original.apply(this, args);
          outermost = checks.depth === 1;
          return result;
        } finally {
          if (--checks.depth === 0) checks.result = undefined;
          if (outermost && method === 'synth') quoteWrittenFiles(checks.root, started);
        }
      },
    });
  }

  private validate(): string[] {
    if (this.depth > 0 && this.result) return this.result;
    const all = this.root.node.findAll();
    this.printWarnings(all);
    const errors = [...this.admissionErrors(all), ...this.crossObjectErrors(all)];
    if (this.depth > 0) this.result = errors;
    return errors;
  }

  /** Prints every registered warning, in construct-tree order. */
  private printWarnings(all: readonly IConstruct[]): void {
    for (const c of all) {
      const warnings = (c as unknown as Record<symbol, PatternWarning[] | undefined>)[WARNINGS];
      for (const w of warnings ?? []) console.warn(`${WARNING_PREFIX} ${c.node.path} ${w.path} (${w.code}): ${w.message}`);
    }
  }

  /**
   * Validates every Istio object of the app (whoever made it) as the API server and Istio's webhook
   * would admit it: prints the warnings, returns the errors (the synth fails on them).
   */
  private admissionErrors(all: readonly IConstruct[]): string[] {
    const objects = all.filter((c): c is ApiObject => c instanceof ApiObject && isIstioApiVersion(c.apiVersion));
    if (objects.length === 0) return [];
    const manifests = objects.map((o) => o.toJson() as Manifest);
    const owner = new Map<string, string>();
    manifests.forEach((m, i) => {
      const by = (objects[i] as unknown as Record<symbol, string | undefined>)[EMITTED_BY];
      if (by !== undefined) owner.set(objectId(m), by);
    });
    const line = (issue: ValidationIssue) => `${owner.has(issue.object) ? owner.get(issue.object) + ': ' : ''}${formatIssue(issue)}`;
    // Each object on its own: the charts of one app may be alternatives (one file per stage), so
    // one object in two charts is not "declared twice".
    const results = manifests.map(validateManifestDetailed);
    const errors = results.flatMap((r) => r.errors);
    const warnings = results.flatMap((r) => r.warnings);
    for (const w of warnings) console.warn(`${WARNING_PREFIX} ${line(w)}`);
    return errors.map(line);
  }

  /**
   * The mTLS check over every object of the app that takes part in it, reported for the objects
   * this library emitted (a synth fails on them). Objects are rendered only when their kind matters.
   */
  private crossObjectErrors(all: readonly IConstruct[]): string[] {
    const relevant = all.filter((c): c is ApiObject => c instanceof ApiObject && affectsMtls({ kind: c.kind } as Manifest));
    const owner = new Map<string, string>();
    for (const o of relevant) {
      const by = (o as unknown as Record<symbol, string | undefined>)[EMITTED_BY];
      if (by !== undefined) owner.set(`${o.kind} ${o.metadata.namespace}/${o.name}`, by);
    }
    if (owner.size === 0) return [];
    return findMtlsConflicts(relevant.map((o) => o.toJson() as Manifest))
      .filter((d) => owner.has(d.object))
      .map((d) => `${owner.get(d.object)}: ${d.object}: ${d.message} (${d.code})`);
  }
}

/**
 * Rewrites the YAML files an `app.synth()` just wrote (in the App's outdir, with its output file
 * extension, modified since `since`) with every YAML-ambiguous string quoted: cdk8s' own writer
 * leaves `0o674` plain, which Go's readers (kubectl) take for the integer 444. See yaml.ts.
 */
function quoteWrittenFiles(root: IConstruct, since: number): void {
  const app = root as unknown as { outdir?: unknown; outputFileExtension?: unknown };
  if (typeof app.outdir !== 'string' || !fs.existsSync(app.outdir)) return;
  const extension = typeof app.outputFileExtension === 'string' ? app.outputFileExtension : '.k8s.yaml';
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith(extension) && fs.statSync(file).mtimeMs >= since - 1000) {
        const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map((d) => d.toJS());
        fs.writeFileSync(file, toUnambiguousYaml(docs));
      }
    }
  };
  visit(app.outdir);
}
