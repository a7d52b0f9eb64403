import { App, Chart } from 'cdk8s';
import { HardenedGateway, IstioAnalysis, ServiceRef } from '../../src/cdk8s';
import { existingGateway, existingService, existingTlsSecret } from '../cluster';
import { istioIngressGateway } from '../shared';
import { hygiene, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  const charts = stages.map((stage) => {
    const chart = new Chart(app, stage);
    new HardenedGateway(chart, 'shop', hygiene[stage]);
    return chart;
  });
  // Two alternative ways to remove the Server header: on the shared ingress gateway (its TLS Secret
  // in istio-system) or on a dedicated gateway deployed in shop (its Secret there).
  IstioAnalysis.configure(app, {
    stages: charts,
    external: [
      ...existingGateway(istioIngressGateway()), existingTlsSecret('istio-system', 'shop-example-com-tls'), existingTlsSecret('shop', 'shop-example-com-tls'),
      ...existingService(hygiene['envoy-filter'].backend as ServiceRef),
    ],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s2-server-header' });
  build(app);
  app.synth();
}
