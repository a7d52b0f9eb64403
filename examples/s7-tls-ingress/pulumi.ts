import { ComponentResource } from '@pulumi/pulumi';
import { HardenedGateway } from '../../src/pulumi';
import { httpsIngress } from './props';

/** The S7 ingress program. */
export function program(): ComponentResource[] {
  return [new HardenedGateway('https', httpsIngress)];
}
