import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService } from '../../src/pulumi';
import { wordpressCanary } from './props';

/** The S13 canary program. */
export function program(): ComponentResource[] {
  return [new CanaryService('wordpress', wordpressCanary)];
}
