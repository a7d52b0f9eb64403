import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshNamespaceProps, buildMeshNamespace } from '../patterns/mesh-namespace';
import { emit } from './emit';

/**
 * A Namespace that joins the mesh in exactly one way (sidecar injection, a revision or revision
 * tag, ambient, or injection disabled), as a cdk8s construct. Two injection labels on one
 * namespace (istioctl IST0123) are refused.
 *
 * @throws IstioConstructError for invalid props (see `buildMeshNamespace`).
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { MeshNamespace } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'mesh');
 * // Pods of `shop` get sidecars from the revision the `prod-stable` tag points at.
 * new MeshNamespace(chart, 'shop', { name: 'shop', injection: 'revisionTag', revisionTag: 'prod-stable' });
 * ```
 */
export class MeshNamespace extends Construct {
  /** The v1 Namespace. */
  public readonly namespace: ApiObject;
  /** The namespace name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    const output = buildMeshNamespace(props);
    this.namespace = emit(this, output, props).namespace;
    this.name = output.namespace.metadata.name;
  }
}
