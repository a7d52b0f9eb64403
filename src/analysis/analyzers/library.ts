/**
 * Analyzers of the `library` family.
 */
import { Analyzer } from '../types';

/** The `library` analyzers, in the order they run. */
export const libraryAnalyzers: readonly Analyzer[] = [];
