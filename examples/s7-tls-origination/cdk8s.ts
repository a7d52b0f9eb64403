import { App, Chart } from 'cdk8s';
import { ExternalEgress, IstioAnalysis, IstioAnalysisOptions } from '../../src/cdk8s';
import { tlsOrigination } from './props';

/** What the analysis is told: nothing beyond Istio's defaults (the ServiceEntry is the program's). */
export const analysis: IstioAnalysisOptions = {};

/** Adds the S7 egress chart to an app. */
export function build(app: App): void {
  new ExternalEgress(new Chart(app, 'tls-origination'), 'wikipedia', tlsOrigination);
  IstioAnalysis.configure(app, analysis);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s7-tls-origination' });
  build(app);
  app.synth();
}
