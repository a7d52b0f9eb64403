import { ComponentResource } from '@pulumi/pulumi';
import { AuthorizationPolicy, CanaryService, TcpIngress } from '../../src/pulumi';
import { Stage, postgresqlRoute, postgresqlSubnetOnly, recommendationStages } from './props';

/** The S12 routing program at one stage. */
export function program(stage: Stage = 'split-90-10'): ComponentResource[] {
  if (stage === 'postgresql-tcp') return [new TcpIngress('postgresql', postgresqlRoute), new AuthorizationPolicy('postgresql-subnet-only', postgresqlSubnetOnly)];
  return [new CanaryService('recommendation', recommendationStages[stage])];
}
