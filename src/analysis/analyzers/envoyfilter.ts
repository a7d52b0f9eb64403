/**
 * Analyzers of the `envoyfilter` family.
 */
import { Analyzer } from '../types';

/** The `envoyfilter` analyzers, in the order they run. */
export const envoyfilterAnalyzers: readonly Analyzer[] = [];
