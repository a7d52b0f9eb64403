/**
 * S9: canary of a provider service (seed 000, "Integrating Istio with TIBCO BWCE"):
 * first every request to v1 while v2 is deployed, then 90/10.
 */
import { CanaryServiceProps, Protocol, ServiceRef } from '../../src';

export const stages = ['all-to-v1', 'split-90-10'] as const;
export type Stage = typeof stages[number];

const provider = ServiceRef.fromName('provider', { namespace: 'default', ports: [{ port: 8080, protocol: Protocol.HTTP }] });

export const providerCanary: Record<Stage, CanaryServiceProps<'v1' | 'v2'>> = {
  'all-to-v1': { service: provider, versions: [{ name: 'v1', percent: 100 }, { name: 'v2', percent: 0 }] },
  'split-90-10': { service: provider, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }] },
};
