/**
 * The whole-program analysis: `analyze(manifests, options)` → diagnostics with Istio's codes.
 * @internal
 */
export * from './types';
export * from './messages';
export { analyze, analyzerNames } from './analyze';
export { parseManifests } from './load';
export { assumedObjects } from './assumed';
export * from './mtls';
