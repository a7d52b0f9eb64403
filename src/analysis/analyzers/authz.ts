/**
 * Analyzers of the `authz` family.
 */
import { Analyzer } from '../types';

/** The `authz` analyzers, in the order they run. */
export const authzAnalyzers: readonly Analyzer[] = [];
