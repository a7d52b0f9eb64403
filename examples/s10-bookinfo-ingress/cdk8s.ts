import { App, Chart } from 'cdk8s';
import { Gateway, HttpRoute, IstioAnalysis, IstioAnalysisOptions } from '../../src/cdk8s';
import { existingGateway, existingService } from '../cluster';
import { istioIngressGateway } from '../shared';
import { bookinfoGateway, bookinfoRoute, productpage } from './props';

/** What the analysis is told: the cluster runs the ingress gateway and productpage. */
export const analysis: IstioAnalysisOptions = { external: [...existingGateway(istioIngressGateway()), ...existingService(productpage)] };

/** Adds the S10 plain-ingress chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo-ingress');
  const gateway = new Gateway(chart, 'bookinfo-gateway', bookinfoGateway);
  new HttpRoute(chart, 'bookinfo', bookinfoRoute(gateway.ref));
  IstioAnalysis.configure(app, analysis);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s10-bookinfo-ingress' });
  build(app);
  app.synth();
}
