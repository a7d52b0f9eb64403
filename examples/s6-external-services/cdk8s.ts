import { App, Chart } from 'cdk8s';
import { ExternalEgress, IstioAnalysis, IstioAnalysisOptions, WorkloadEgress } from '../../src/cdk8s';
import { existingService } from '../cluster';
import { coffee, meshConfig, namespaceEgress, productpage, productpageEgress, reviews, reviewsEgress, wikipedia } from './props';

/**
 * What the analysis is told: the seed's REGISTRY_ONLY mesh, and the bookinfo workloads the
 * per-application Sidecars select.
 */
export const analysis: IstioAnalysisOptions = { meshConfig, external: [...existingService(productpage), ...existingService(reviews, ['v1', 'v2', 'v3'])] };

/** Adds the S6 chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'external-services');
  const wiki = new ExternalEgress(chart, 'wikipedia', wikipedia);
  const cafes = new ExternalEgress(chart, 'coffee', coffee);
  new WorkloadEgress(chart, 'default-egress', namespaceEgress([...wiki.hosts, ...cafes.hosts]));
  new WorkloadEgress(chart, 'productpage-egress', productpageEgress(cafes.host('a-cup-of.coffee')));
  new WorkloadEgress(chart, 'reviews-egress', reviewsEgress(cafes.host('une-tasse-de.cafe')));
  IstioAnalysis.configure(app, analysis);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s6-external-services' });
  build(app);
  app.synth();
}
