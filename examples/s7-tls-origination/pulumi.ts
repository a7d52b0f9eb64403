import { ComponentResource } from '@pulumi/pulumi';
import { ExternalEgress } from '../../src/pulumi';
import { tlsOrigination } from './props';

/** The S7 egress program. */
export function program(): ComponentResource[] {
  return [new ExternalEgress('wikipedia', tlsOrigination)];
}
