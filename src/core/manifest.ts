import type {
  DestinationRuleSpec, GatewaySpec, VirtualServiceSpec,
} from '../generated/istio-types';

/** Kubernetes object metadata as the library writes it. */
export interface ManifestMetadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * One Kubernetes or Istio object, as plain JSON: what the pattern builders return and both front
 * ends emit unchanged. Keys are in a fixed order and maps are sorted, so output is deterministic.
 */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ManifestMetadata;
  readonly spec?: any;
}

/** A `networking.istio.io/v1` VirtualService. */
export interface VirtualServiceManifest extends Manifest {
  readonly apiVersion: 'networking.istio.io/v1';
  readonly kind: 'VirtualService';
  readonly spec: VirtualServiceSpec;
}

/** A `networking.istio.io/v1` DestinationRule. */
export interface DestinationRuleManifest extends Manifest {
  readonly apiVersion: 'networking.istio.io/v1';
  readonly kind: 'DestinationRule';
  readonly spec: DestinationRuleSpec;
}

/** A `networking.istio.io/v1` Gateway. */
export interface GatewayManifest extends Manifest {
  readonly apiVersion: 'networking.istio.io/v1';
  readonly kind: 'Gateway';
  readonly spec: GatewaySpec;
}

/** Builds metadata with the library's labels. @internal */
export function metadata(name: string, namespace: string, pattern: string, instance: string): ManifestMetadata {
  return {
    name,
    namespace,
    labels: {
      'app.kubernetes.io/managed-by': 'istio-constructs',
      'istio-constructs/instance': instance,
      'istio-constructs/pattern': pattern,
    },
  };
}

/** Removes `undefined` members recursively, so emitted JSON has no empty keys. @internal */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as any;
  if (value && typeof value === 'object') {
    const out: any = {};
    for (const k of Object.keys(value)) {
      const v = (value as any)[k];
      if (v === undefined) continue;
      out[k] = compact(v);
    }
    return out;
  }
  return value;
}

/** The `namespace/name` key of a manifest, used for ids and duplicate checks. */
export function manifestKey(m: Manifest): string {
  return `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
}
