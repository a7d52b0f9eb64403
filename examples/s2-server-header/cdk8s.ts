import { App, Chart } from 'cdk8s';
import { HardenedGateway } from '../../src/cdk8s';
import { hygiene, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  for (const stage of stages) new HardenedGateway(new Chart(app, stage), 'shop', hygiene[stage]);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s2-server-header' });
  build(app);
  app.synth();
}
