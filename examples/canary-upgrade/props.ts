/**
 * A canary upgrade of the control plane, from 1.31.0 (revision `1-31-0`) to 1.32.0 (`1-32-0`),
 * with revision tags, as Istio's canary-upgrade docs run it:
 * - stage `canary`: both revisions side by side; `prod-stable` points at 1-31-0, `prod-canary` at
 *   1-32-0. Namespace `shop` follows `prod-stable`, namespace `shop-canary` follows `prod-canary`
 *   (`istio.io/rev=<tag>`), so a restart of `shop-canary`'s pods moves them to the new revision;
 * - stage `promoted`: `prod-stable` moves to 1-32-0 too; the namespaces keep their labels (the
 *   tag moved, not them), and restarting `shop`'s pods finishes the upgrade. 1-31-0 can then be
 *   removed from `revisions`.
 * The CRDs (`base`) follow the newest revision: CRDs are upgraded first and stay backward compatible.
 */
import { MeshNamespaceProps } from '../../src';
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_VERSION, PREVIOUS_ISTIO_VERSION, chartSource } from '../installation/settings';

export const stages = ['canary', 'promoted'] as const;
export type Stage = typeof stages[number];

const OLD = '1-31-0';
const NEW = '1-32-0';

export const installation = (stage: Stage): InstallationProps => ({
  version: ISTIO_VERSION,
  chartSource: chartSource(),
  profile: 'minimal',
  revisions: [{ name: OLD, version: PREVIOUS_ISTIO_VERSION }, { name: NEW, version: ISTIO_VERSION }],
  revisionTags: stage === 'canary' ? { 'prod-stable': OLD, 'prod-canary': NEW } : { 'prod-stable': NEW, 'prod-canary': NEW },
  defaultRevision: 'prod-stable',
});

export const namespaces: MeshNamespaceProps[] = [
  { name: 'shop', injection: 'revisionTag', revisionTag: 'prod-stable' },
  { name: 'shop-canary', injection: 'revisionTag', revisionTag: 'prod-canary' },
];
