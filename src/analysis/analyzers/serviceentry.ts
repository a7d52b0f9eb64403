/**
 * Analyzers of the `serviceentry` family.
 */
import { Analyzer } from '../types';

/** The `serviceentry` analyzers, in the order they run. */
export const serviceentryAnalyzers: readonly Analyzer[] = [];
