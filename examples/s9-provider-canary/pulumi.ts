import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService } from '../../src/pulumi';
import { Stage, providerCanary } from './props';

/** The S9 Pulumi program at one stage (deploy `all-to-v1`, then `split-90-10`). */
export function program(stage: Stage = 'split-90-10'): ComponentResource[] {
  return [new CanaryService('provider', providerCanary[stage])];
}
