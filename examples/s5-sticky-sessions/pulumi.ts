import { ComponentResource } from '@pulumi/pulumi';
import { StickyService } from '../../src/pulumi';
import { sticky } from './props';

/** The S5 Pulumi program. */
export function program(): ComponentResource[] {
  return [new StickyService('bwce', sticky)];
}
