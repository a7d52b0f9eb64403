/**
 * Analyzers of the `sidecar` family.
 */
import { Analyzer } from '../types';

/** The `sidecar` analyzers, in the order they run. */
export const sidecarAnalyzers: readonly Analyzer[] = [];
