import { App, Chart } from 'cdk8s';
import { CanaryService } from '../../src/cdk8s';
import { providerCanary, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  for (const stage of stages) {
    new CanaryService(new Chart(app, stage), 'provider', providerCanary[stage]);
  }
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s9-provider-canary' });
  build(app);
  app.synth();
}
