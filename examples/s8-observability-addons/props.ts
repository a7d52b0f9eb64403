/**
 * S8 (seed "observability add-ons"): Istio with Kiali, installed by the Kiali operator's Helm chart
 * with `cr.create=true` (the chart also creates the `Kiali` resource), and Prometheus, Grafana and
 * Jaeger from the manifests Istio ships in `samples/addons/`. Jaeger becomes the mesh's tracing
 * provider (an extension provider in the mesh config, enabled by a `Telemetry` in the root
 * namespace), and the Kiali resource points at Prometheus, Grafana and Jaeger.
 *
 * Sources are local (`../shared/kiali/kiali-operator`, `../shared/istio/samples/addons`) so synth
 * runs offline; a user leaves them unset to read Kiali's Helm repository and Istio's release branch.
 */
import type { IstioInstallationProps as InstallationProps } from '../../src';
import { ISTIO_ADDONS_DIR, ISTIO_VERSION, KIALI_OPERATOR_CHART_DIR, chartSource } from '../installation/settings';

export const stages = ['addons'] as const;

export const installation = (): InstallationProps => ({
  version: ISTIO_VERSION,
  profile: 'default',
  chartSource: chartSource(),
  addons: {
    manifests: { directory: ISTIO_ADDONS_DIR },
    prometheus: true,
    grafana: true,
    jaeger: true,
    kiali: { chart: { directory: KIALI_OPERATOR_CHART_DIR } },
  },
});
