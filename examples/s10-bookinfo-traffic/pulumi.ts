import { CanaryService } from '../../src/pulumi';
import { Stage, bookinfo, detailsRoute, reviewsStages } from './props';

/** The S10 traffic program at one stage. */
export function program(stage: Stage = 'base'): void {
  if (stage === 'base') {
    new CanaryService('bookinfo', bookinfo);
    new CanaryService('details', detailsRoute);
  } else {
    new CanaryService('reviews', reviewsStages[stage]);
  }
}
