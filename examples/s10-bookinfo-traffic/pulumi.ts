import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService } from '../../src/pulumi';
import { Stage, bookinfo, detailsRoute, reviewsStages } from './props';

/** The S10 traffic program at one stage. */
export function program(stage: Stage = 'base'): ComponentResource[] {
  if (stage === 'base') {
    return [new CanaryService('bookinfo', bookinfo), new CanaryService('details', detailsRoute)];
  }
  return [new CanaryService('reviews', reviewsStages[stage])];
}
