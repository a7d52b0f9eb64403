import { App, Chart } from 'cdk8s';
import { IstioAnalysis, ServiceRef, StickyService } from '../../src/cdk8s';
import { existingGateway, existingService } from '../cluster';
import { istioIngressGateway } from '../shared';
import { sticky } from './props';

/** Adds the S5 chart to an app. */
export function build(app: App): void {
  new StickyService(new Chart(app, 'sticky'), 'bwce', sticky);
  IstioAnalysis.configure(app, { external: [...existingGateway(istioIngressGateway()), ...existingService(sticky.service as ServiceRef)] });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s5-sticky-sessions' });
  build(app);
  app.synth();
}
