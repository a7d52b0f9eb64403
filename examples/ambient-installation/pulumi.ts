import { ComponentResource } from '@pulumi/pulumi';
import { MeshNamespace } from '../../src/pulumi';
import { PulumiIstioInstallation as IstioInstallation } from '../installation/interim';
import { installation, shop } from './props';

/** The ambient installation Pulumi program. */
export function program(): ComponentResource[] {
  return [new IstioInstallation('istio', installation()), new MeshNamespace('shop', shop)];
}
