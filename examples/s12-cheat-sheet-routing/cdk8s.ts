import { App, Chart } from 'cdk8s';
import { CanaryService, TcpIngress } from '../../src/cdk8s';
import { postgresqlRoute, recommendationStages, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  for (const stage of stages) {
    const chart = new Chart(app, stage);
    if (stage === 'postgresql-tcp') new TcpIngress(chart, 'postgresql', postgresqlRoute);
    else new CanaryService(chart, 'recommendation', recommendationStages[stage]);
  }
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s12-cheat-sheet-routing' });
  build(app);
  app.synth();
}
