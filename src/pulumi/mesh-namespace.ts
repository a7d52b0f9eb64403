import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { MeshNamespaceProps, buildMeshNamespace } from '../patterns/mesh-namespace';
import { Args } from './inputs';
import { register } from './register';

/** The args of the Pulumi `MeshNamespace`: `MeshNamespaceProps` with `pulumi.Input` leaves (see `Args`). */
export type MeshNamespaceArgs = Args<MeshNamespaceProps>;

/**
 * A Namespace that joins the mesh in exactly one way (sidecar injection, a revision or revision
 * tag, ambient, or injection disabled), as a Pulumi component
 * (`istio-constructs:index:MeshNamespace`, child `<name>-namespace`, a `kubernetes:core/v1:Namespace`).
 * Two injection labels on one namespace (istioctl IST0123) are refused.
 *
 * @throws IstioConstructError for invalid args (see `buildMeshNamespace`).
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 * @example
 * ```ts
 * import { MeshNamespace } from 'istio-constructs/pulumi';
 *
 * // Pods of `shop` are captured by ztunnel (ambient), without sidecars.
 * const shop = new MeshNamespace('shop', { name: 'shop', injection: 'ambient' });
 * ```
 */
export class MeshNamespace extends pulumi.ComponentResource {
  /** The v1 Namespace. */
  public readonly namespace: k8s.core.v1.Namespace;

  constructor(name: string, args: MeshNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:MeshNamespace', name, {}, opts);
    this.namespace = register(this, name, `MeshNamespace ${JSON.stringify(name)}`, args, buildMeshNamespace).children.namespace as k8s.core.v1.Namespace;
    this.registerOutputs({ namespace: this.namespace });
  }
}
