import { App, Chart } from 'cdk8s';
import { StickyService } from '../../src/cdk8s';
import { sticky } from './props';

/** Adds the S5 chart to an app. */
export function build(app: App): void {
  new StickyService(new Chart(app, 'sticky'), 'bwce', sticky);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s5-sticky-sessions' });
  build(app);
  app.synth();
}
