/**
 * Analyzers of the `kubernetes` family.
 */
import { Analyzer } from '../types';

/** The `kubernetes` analyzers, in the order they run. */
export const kubernetesAnalyzers: readonly Analyzer[] = [];
