import { CanaryService, TcpIngress } from '../../src/pulumi';
import { Stage, postgresqlRoute, recommendationStages } from './props';

/** The S12 routing program at one stage. */
export function program(stage: Stage = 'split-90-10'): void {
  if (stage === 'postgresql-tcp') new TcpIngress('postgresql', postgresqlRoute);
  else new CanaryService('recommendation', recommendationStages[stage]);
}
