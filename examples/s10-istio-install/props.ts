/**
 * S10 install (seed "bookinfo", step 1): Istio with the `demo` profile, and the `default`
 * namespace labelled for sidecar injection (`istio-injection=enabled`), where bookinfo runs.
 *
 * istioctl's `demo` profile also installs `istio-ingressgateway` and `istio-egressgateway`; here
 * the installation installs them with the `gateway` chart, selected by `istio: ingressgateway` /
 * `istio: egressgateway` as the bookinfo Gateway expects.
 */
import { MeshNamespaceProps } from '../../src';
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_VERSION, chartSource } from '../installation/settings';

export const stages = ['install'] as const;

export const installation = (): InstallationProps => ({ version: ISTIO_VERSION, profile: 'demo', chartSource: chartSource() });

/** `kubectl label namespace default istio-injection=enabled`. */
export const defaultNamespace: MeshNamespaceProps = { name: 'default', injection: 'sidecar' };
