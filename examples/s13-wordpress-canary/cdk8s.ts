import { App, Chart } from 'cdk8s';
import { CanaryService } from '../../src/cdk8s';
import { wordpressCanary } from './props';

/** Adds the S13 canary chart to an app. */
export function build(app: App): void {
  new CanaryService(new Chart(app, 'canary'), 'wordpress', wordpressCanary);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s13-wordpress-canary' });
  build(app);
  app.synth();
}
