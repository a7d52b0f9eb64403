/**
 * S3 and S6 mesh-wide, set where they belong, in the installation's mesh config:
 * - S3 (seed "DNS proxying"): every sidecar captures DNS (`ISTIO_META_DNS_CAPTURE`). Auto-allocation
 *   of ServiceEntry addresses is done by istiod itself from Istio 1.25 (`dnsAutoAllocation` says so
 *   for the version), so `ISTIO_META_DNS_AUTO_ALLOCATE` is not set on 1.32 (the model warns if it is);
 * - S6 (seed "external services"): outbound traffic to unregistered hosts is refused
 *   (`outboundTrafficPolicy.mode: REGISTRY_ONLY`), so every external host needs a ServiceEntry.
 * Both end up in istiod's `istio` ConfigMap (`mesh`).
 */
import { IstioMeshConfig } from '../../src';
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_VERSION, chartSource } from '../installation/settings';

export const stages = ['mesh-settings'] as const;

export const meshConfig: IstioMeshConfig = {
  outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
  defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
};

export const installation = (): InstallationProps => ({ version: ISTIO_VERSION, profile: 'minimal', chartSource: chartSource(), meshConfig });
