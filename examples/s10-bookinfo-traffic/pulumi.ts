import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService } from '../../src/pulumi';
import { Stage, bookinfo, detailsFault, detailsRoute, productpageCircuitBreaker, ratingsFault, reviewsStages } from './props';

/** The S10 traffic program at one stage. */
export function program(stage: Stage = 'base'): ComponentResource[] {
  if (stage === 'base') {
    return [new CanaryService('bookinfo', bookinfo), new CanaryService('details', detailsRoute)];
  }
  if (stage === 'productpage-circuit-breaker') return [new CanaryService('bookinfo', productpageCircuitBreaker)];
  if (stage === 'faults') return [new CanaryService('ratings', ratingsFault), new CanaryService('details', detailsFault)];
  return [new CanaryService('reviews', reviewsStages[stage])];
}
