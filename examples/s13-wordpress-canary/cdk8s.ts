import { App, Chart } from 'cdk8s';
import { CanaryService, HardenedGateway, PeerAuthentication } from '../../src/cdk8s';
import { gateway, meshMtls, wordpressCanary } from './props';

/** Adds the S13 chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'wordpress');
  const hardened = new HardenedGateway(chart, 'gateway', gateway);
  new CanaryService(chart, 'wordpress', wordpressCanary(hardened.ref));
  new PeerAuthentication(chart, 'mesh-mtls', meshMtls);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s13-wordpress-canary' });
  build(app);
  app.synth();
}
