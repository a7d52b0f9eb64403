import { App, Chart } from 'cdk8s';
import { HardenedGateway, IstioAnalysis, ServiceRef } from '../../src/cdk8s';
import { existingGateway, existingService, existingTlsSecret } from '../cluster';
import { istioIngressGateway } from '../shared';
import { httpsIngress } from './props';

/** Adds the S7 ingress chart to an app. */
export function build(app: App): void {
  new HardenedGateway(new Chart(app, 'tls-ingress'), 'https', httpsIngress);
  IstioAnalysis.configure(app, {
    external: [...existingGateway(istioIngressGateway()), existingTlsSecret('istio-system', 'httpbin-credential'), ...existingService(httpsIngress.backend as ServiceRef)],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s7-tls-ingress' });
  build(app);
  app.synth();
}
