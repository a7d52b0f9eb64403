import { App, Chart } from 'cdk8s';
import { CanaryService, Gateway, HttpRoute, IstioAnalysis, IstioAnalysisOptions, RoutingTargets } from '../../src/cdk8s';
import { existingService } from '../cluster';
import { bookinfoGateway, bookinfoRoute, detailsV1, gatewayApi, productpage, productpageV1, ratingsV1, details, ratings, reviews, reviewsStages, stages } from './props';

/** What the analysis is told: the cluster runs bookinfo (reviews in three versions). */
export const external = [
  ...existingService(productpage), ...existingService(details), ...existingService(ratings), ...existingService(reviews, ['v1', 'v2', 'v3']),
];

/** Adds one chart per stage to an app; every routing construct of the app is on the Gateway API. */
export function build(app: App): void {
  RoutingTargets.setDefault(app, gatewayApi);
  const charts: Chart[] = [];
  for (const stage of stages) {
    const chart = new Chart(app, stage);
    charts.push(chart);
    if (stage === 'bookinfo') {
      const gateway = new Gateway(chart, 'bookinfo-gateway', bookinfoGateway);
      new HttpRoute(chart, 'bookinfo', bookinfoRoute(gateway.ref));
      new CanaryService(chart, 'productpage', productpageV1);
      new CanaryService(chart, 'details', detailsV1);
      new CanaryService(chart, 'ratings', ratingsV1);
    }
    new CanaryService(chart, 'reviews', reviewsStages[stage]);
  }
  // Every later stage is applied on top of the first, one at a time.
  const analysis: IstioAnalysisOptions = { stages: charts.slice(1), external };
  IstioAnalysis.configure(app, analysis);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s10-gateway-api' });
  build(app);
  app.synth();
}
