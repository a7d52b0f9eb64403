/**
 * An ambient installation: profile `ambient` (base, istiod, the CNI node agent and ztunnel, in
 * that order), and a namespace `shop` whose pods are captured by ztunnel
 * (`istio.io/dataplane-mode=ambient`), with no sidecars.
 */
import { MeshNamespaceProps } from '../../src';
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_VERSION, chartSource } from '../installation/settings';

export const stages = ['ambient'] as const;

export const installation = (): InstallationProps => ({ version: ISTIO_VERSION, profile: 'ambient', chartSource: chartSource() });

export const shop: MeshNamespaceProps = { name: 'shop', injection: 'ambient' };
