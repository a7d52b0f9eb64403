/**
 * The Istio labels, annotations and names the analyzers read on namespaces and workloads.
 * @see https://istio.io/latest/docs/reference/config/labels/
 * @internal
 */

/** Namespace label enabling (`enabled`) or disabling sidecar injection. */
export const INJECTION_LABEL = 'istio-injection';
/** The control plane revision label (on namespaces, pods and webhooks). */
export const REVISION_LABEL = 'istio.io/rev';
/** Namespace/pod label choosing the data plane mode (`ambient`, `none`). */
export { DATAPLANE_MODE_LABEL } from '../core/ambient';
/** Pod label (and deprecated annotation) forcing sidecar injection on (`"true"`) or off. */
export const SIDECAR_INJECT = 'sidecar.istio.io/inject';
/** The sidecar (and gateway) proxy container's name. */
export const PROXY_CONTAINER = 'istio-proxy';
/** Pod annotation the CNI node agent sets on a Pod it captured for ambient mode. */
export const AMBIENT_REDIRECTION_ANNOTATION = 'ambient.istio.io/redirection';
