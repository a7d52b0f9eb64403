import { ComponentResource } from '@pulumi/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { installation } from './props';

/** The S3/S6 installation Pulumi program. */
export function program(): ComponentResource[] {
  return [new IstioInstallation('istio', installation())];
}
