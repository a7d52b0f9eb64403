/**
 * Analyzers of the `gateway` family.
 */
import { Analyzer } from '../types';

/** The `gateway` analyzers, in the order they run. */
export const gatewayAnalyzers: readonly Analyzer[] = [];
