import { App, Chart } from 'cdk8s';
import { CanaryService, ServiceTrafficPolicy } from '../../src/cdk8s';
import { bookinfo, detailsFault, detailsRoute, productpageCircuitBreaker, ratingsFault, reviewsStages, stages } from './props';

/** Adds one chart per stage to an app. */
export function build(app: App): void {
  for (const stage of stages) {
    const chart = new Chart(app, stage);
    if (stage === 'base') {
      new CanaryService(chart, 'bookinfo', bookinfo);
      new CanaryService(chart, 'details', detailsRoute);
    } else if (stage === 'productpage-circuit-breaker') {
      new ServiceTrafficPolicy(chart, 'productpage', productpageCircuitBreaker);
    } else if (stage === 'faults') {
      new CanaryService(chart, 'ratings', ratingsFault);
      new CanaryService(chart, 'details', detailsFault);
    } else {
      new CanaryService(chart, 'reviews', reviewsStages[stage]);
    }
  }
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s10-bookinfo-traffic' });
  build(app);
  app.synth();
}
