import { App, Chart } from 'cdk8s';
import { AuthorizationPolicy, CanaryService, IstioAnalysis, ServiceRef, TcpIngress } from '../../src/cdk8s';
import { existingService } from '../cluster';
import { postgresqlRoute, postgresqlSubnetOnly, recommendationStages, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  const recommendationCharts: Chart[] = [];
  for (const stage of stages) {
    const chart = new Chart(app, stage);
    if (stage === 'postgresql-tcp') {
      new TcpIngress(chart, 'postgresql', postgresqlRoute);
      new AuthorizationPolicy(chart, 'postgresql-subnet-only', postgresqlSubnetOnly);
    } else {
      new CanaryService(chart, 'recommendation', recommendationStages[stage]);
      recommendationCharts.push(chart);
    }
  }
  // The recommendation charts are alternative steps of the cheat sheet, applied one at a time.
  IstioAnalysis.configure(app, {
    stages: recommendationCharts,
    external: [
      ...existingService(recommendationStages['split-90-10'].service as ServiceRef, ['v1', 'v2']),
      ...existingService(postgresqlRoute.backend as ServiceRef),
    ],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s12-cheat-sheet-routing' });
  build(app);
  app.synth();
}
