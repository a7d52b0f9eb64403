/**
 * Analyzers of the `schema` family.
 */
import { Analyzer } from '../types';

/** The `schema` analyzers, in the order they run. */
export const schemaAnalyzers: readonly Analyzer[] = [];
