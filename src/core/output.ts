import { Manifest } from './manifest';

/** One object a pattern emits, with its role (the child's id suffix) and apply-order dependencies. */
export interface EmittedObject {
  /** The role of the object in its pattern, e.g. `virtual-service`; unique within one pattern. */
  readonly role: string;
  /** The object itself. */
  readonly manifest: Manifest;
  /** Roles of objects that must be applied before this one. */
  readonly dependsOn?: string[];
}

/** What a pattern builder returns: its objects in a deterministic order. */
export interface PatternOutput {
  /** The pattern's objects, in emission order. */
  readonly objects: EmittedObject[];
}

/** The manifests of an output. */
export function manifestsOf(output: PatternOutput): Manifest[] {
  return output.objects.map((o) => o.manifest);
}
