import { App, Chart } from 'cdk8s';
import { HardenedGateway } from '../../src/cdk8s';
import { httpsIngress } from './props';

/** Adds the S7 ingress chart to an app. */
export function build(app: App): void {
  new HardenedGateway(new Chart(app, 'tls-ingress'), 'https', httpsIngress);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s7-tls-ingress' });
  build(app);
  app.synth();
}
