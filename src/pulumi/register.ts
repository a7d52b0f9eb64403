import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { admissionError, formatIssue, isAdmittedApiVersion, validateManifestsDetailed } from '../core/validation';
import { resolveArgs } from './inputs';

/** Pulumi resource classes for the core Kubernetes kinds the patterns emit; every other kind is a CustomResource. */
const CORE_KINDS: Record<string, new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Namespace': k8s.core.v1.Namespace,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
};

/**
 * Validates the Istio objects a component built, as the API server and Istio's webhook would admit
 * them: prints the warnings, throws one `IstioConstructError` (INVALID_OBJECT) for the errors.
 */
function admit(parent: pulumi.ComponentResource, construct: string, manifests: Manifest[]): void {
  const { errors, warnings } = validateManifestsDetailed(manifests.filter((m) => isAdmittedApiVersion(m.apiVersion)));
  for (const w of warnings) void pulumi.log.warn(formatIssue(w), parent);
  const error = admissionError(errors, construct);
  if (error) throw error;
}

/** What `register` returns: the children by role, and the pattern's output. @internal */
export interface Registration<O extends PatternOutput> {
  /** The child resources, by the role of the object they hold. */
  readonly children: Record<string, pulumi.CustomResource>;
  /**
   * The pattern's output, built from the args with every input known. Without inputs it is made on
   * first read: an Output costs the Pulumi runtime a Proxy and several promises, and most
   * components never read it.
   */
  readonly output: pulumi.Output<O>;
  /** The objects registered, as plain JSON, once the inputs are known (made on first read). */
  readonly manifests: pulumi.Output<Manifest[]>;
  /** The pattern's output built before the inputs are known: placeholders where the args hold inputs. */
  readonly preview: O;
  /** Whether the args held any `pulumi.Input`. */
  readonly hasInputs: boolean;
}

/**
 * Registers a pattern's objects as children of a component: `${name}-${role}`, `parent`, and
 * `dependsOn` for apply order. The children are registered synchronously: the pattern is built
 * once with placeholders for the args' inputs (which fixes the roles and kinds, and throws for
 * every plain value that is invalid), and once more when the inputs are known; each child's spec
 * comes from that second build, and a value that fails validation then fails the deployment with
 * the same `IstioConstructError`. The Istio objects of the real build (at construction without
 * inputs, else once they are known) are validated as the API server and Istio's webhook would
 * admit them (`admit`). Nothing is checked across components here, and nothing is kept between
 * registrations: the whole-stack analysis is the CrossGuard policy pack's job
 * (`istio-constructs/policy`), run once over the stack. Holds no Istio knowledge. @internal
 */
export function register<P, O extends PatternOutput>(
  parent: pulumi.ComponentResource, name: string, construct: string, args: unknown, build: (props: P) => O,
): Registration<O> {
  const resolved = resolveArgs<P>(construct, args);
  const preview = build(resolved.placeholders);
  const hasInputs = resolved.inputs.length > 0;
  if (!hasInputs) admit(parent, construct, preview.objects.map((o) => o.manifest));
  const roles = preview.objects.map((o) => o.role).join(',');
  let output: pulumi.Output<O> | undefined = hasInputs
    ? pulumi.all(resolved.inputs as pulumi.Input<unknown>[]).apply((values) => {
      const built = build(resolved.withValues(values));
      if (built.objects.map((o) => o.role).join(',') !== roles) {
        throw new Error(`${construct}: the objects built once the inputs are known (${built.objects.map((o) => o.role).join(', ')}) differ from those registered (${roles.split(',').join(', ')}); please report this as a bug`);
      }
      admit(parent, construct, built.objects.map((o) => o.manifest));
      for (const w of built.warnings ?? []) void pulumi.log.warn(`${w.path} (${w.code}): ${w.message}`, parent);
      return built;
    })
    : undefined;

  const children: Record<string, pulumi.CustomResource> = {};
  preview.objects.forEach((o, index) => {
    const opts: pulumi.CustomResourceOptions = { parent, dependsOn: (o.dependsOn ?? []).map((d) => children[d]) };
    const { apiVersion, kind } = o.manifest;
    let childArgs: Record<string, unknown> = o.manifest as unknown as Record<string, unknown>;
    if (hasInputs) {
      childArgs = { apiVersion, kind };
      for (const key of Object.keys(o.manifest)) {
        if (key !== 'apiVersion' && key !== 'kind') childArgs[key] = output!.apply((b) => (b.objects[index].manifest as unknown as Record<string, unknown>)[key]);
      }
    }
    const Core = CORE_KINDS[`${apiVersion}/${kind}`];
    children[o.role] = Core
      ? new Core(`${name}-${o.role}`, childArgs, opts)
      : new k8s.apiextensions.CustomResource(`${name}-${o.role}`, childArgs as k8s.apiextensions.CustomResourceArgs, opts);
  });
  if (!hasInputs) {
    for (const w of preview.warnings ?? []) void pulumi.log.warn(`${w.path} (${w.code}): ${w.message}`, parent);
  }
  let manifests: pulumi.Output<Manifest[]> | undefined;
  return {
    children,
    preview,
    hasInputs,
    get output() {
      return (output ??= pulumi.output(undefined).apply(() => preview));
    },
    get manifests() {
      return (manifests ??= this.output.apply((o) => o.objects.map((x) => x.manifest)));
    },
  };
}
