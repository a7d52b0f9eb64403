import { ComponentResource } from '@pulumi/pulumi';
import { HardenedGateway } from '../../src/pulumi';
import { Stage, hygiene } from './props';

/** The S2 program at one stage. */
export function program(stage: Stage = 'proxy-config'): ComponentResource[] {
  return [new HardenedGateway('shop', hygiene[stage])];
}
