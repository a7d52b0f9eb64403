import { ComponentResource } from '@pulumi/pulumi';
import { PulumiIstioInstallation as IstioInstallation } from '../installation/interim';
import { installation } from './props';

/** The S3/S6 installation Pulumi program. */
export function program(): ComponentResource[] {
  return [new IstioInstallation('istio', installation())];
}
