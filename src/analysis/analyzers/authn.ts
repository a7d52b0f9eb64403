/**
 * Analyzers of the `authn` family.
 */
import { Analyzer } from '../types';

/** The `authn` analyzers, in the order they run. */
export const authnAnalyzers: readonly Analyzer[] = [];
