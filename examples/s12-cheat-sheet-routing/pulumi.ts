import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService, TcpIngress } from '../../src/pulumi';
import { Stage, postgresqlRoute, recommendationStages } from './props';

/** The S12 routing program at one stage. */
export function program(stage: Stage = 'split-90-10'): ComponentResource[] {
  if (stage === 'postgresql-tcp') return [new TcpIngress('postgresql', postgresqlRoute)];
  return [new CanaryService('recommendation', recommendationStages[stage])];
}
