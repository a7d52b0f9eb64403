import { App, Chart } from 'cdk8s';
import { CanaryService, IstioAnalysis, ServiceRef } from '../../src/cdk8s';
import { existingService } from '../cluster';
import { providerCanary, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  const charts = stages.map((stage) => {
    const chart = new Chart(app, stage);
    new CanaryService(chart, 'provider', providerCanary[stage]);
    return chart;
  });
  // The two charts are alternative steps of the canary, applied one at a time.
  IstioAnalysis.configure(app, { stages: charts, external: existingService(providerCanary['all-to-v1'].service as ServiceRef, ['v1', 'v2']) });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s9-provider-canary' });
  build(app);
  app.synth();
}
