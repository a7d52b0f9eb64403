/**
 * Analyzers of the `k8sgateway` family.
 */
import { Analyzer } from '../types';

/** The `k8sgateway` analyzers, in the order they run. */
export const k8sGatewayAnalyzers: readonly Analyzer[] = [];
