/**
 * Analyzers of the `virtualservice` family.
 */
import { Analyzer } from '../types';

/** The `virtualservice` analyzers, in the order they run. */
export const virtualserviceAnalyzers: readonly Analyzer[] = [];
