/**
 * Analyzers of the `destinationrule` family.
 */
import { Analyzer } from '../types';

/** The `destinationrule` analyzers, in the order they run. */
export const destinationruleAnalyzers: readonly Analyzer[] = [];
