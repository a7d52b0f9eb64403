/**
 * The whole-program analysis: `analyze(manifests, options)` → diagnostics with Istio's codes.
 * @internal
 */
export * from './types';
export * from './messages';
export { analyze, analyzerNames } from './analyze';
export { parseManifests } from './load';
export { assumedObjects, EXTERNAL_HOST_REFERENCE, externalHostReference } from './assumed';
export * from './mtls';
