/**
 * Analyzers of the `telemetry` family.
 */
import { Analyzer } from '../types';

/** The `telemetry` analyzers, in the order they run. */
export const telemetryAnalyzers: readonly Analyzer[] = [];
