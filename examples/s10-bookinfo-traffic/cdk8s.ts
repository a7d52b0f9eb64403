import { App, Chart } from 'cdk8s';
import { CanaryService, IstioAnalysis, ServiceRef } from '../../src/cdk8s';
import { existingGateway, existingService } from '../cluster';
import { istioIngressGateway } from '../shared';
import { bookinfo, detailsFault, detailsRoute, productpageCircuitBreaker, ratingsFault, reviewsStages, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  const charts: Chart[] = [];
  for (const stage of stages) {
    const chart = new Chart(app, stage);
    charts.push(chart);
    if (stage === 'base') {
      new CanaryService(chart, 'bookinfo', bookinfo);
      new CanaryService(chart, 'details', detailsRoute);
    } else if (stage === 'productpage-circuit-breaker') {
      new CanaryService(chart, 'bookinfo', productpageCircuitBreaker);
    } else if (stage === 'faults') {
      new CanaryService(chart, 'ratings', ratingsFault);
      new CanaryService(chart, 'details', detailsFault);
    } else {
      new CanaryService(chart, 'reviews', reviewsStages[stage]);
    }
  }
  // Every stage is applied on top of base, one at a time; the cluster runs bookinfo and the ingress gateway.
  const service = (props: { service: unknown }) => props.service as ServiceRef;
  IstioAnalysis.configure(app, {
    stages: charts.filter((c) => c.node.id !== 'base'),
    external: [
      ...existingGateway(istioIngressGateway()),
      ...existingService(service(bookinfo)), ...existingService(service(detailsRoute)), ...existingService(service(ratingsFault)),
      ...existingService(service(reviewsStages['reviews-shifting']), ['v1', 'v2', 'v3']),
    ],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s10-bookinfo-traffic' });
  build(app);
  app.synth();
}
