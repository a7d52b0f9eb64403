import { App, Chart } from 'cdk8s';
import { CanaryService, HardenedGateway, IstioAnalysis, PeerAuthentication, ServiceRef } from '../../src/cdk8s';
import { existingGateway, existingService, existingTlsSecret } from '../cluster';
import { istioIngressGateway } from '../shared';
import { gateway, meshMtls, wordpressCanary } from './props';

/** Adds the S13 chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'wordpress');
  const hardened = new HardenedGateway(chart, 'gateway', gateway);
  new CanaryService(chart, 'wordpress', wordpressCanary(hardened.ref));
  new PeerAuthentication(chart, 'mesh-mtls', meshMtls);
  IstioAnalysis.configure(app, {
    external: [
      ...existingGateway(istioIngressGateway()), existingTlsSecret('istio-system', 'blog-datadoc-info-tls'),
      ...existingService(wordpressCanary(hardened.ref).service as ServiceRef, ['v1', 'v2']),
    ],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s13-wordpress-canary' });
  build(app);
  app.synth();
}
