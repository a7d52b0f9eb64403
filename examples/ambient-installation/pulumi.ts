import { ComponentResource } from '@pulumi/pulumi';
import { MeshNamespace } from '../../src/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { installation, shop } from './props';

/** The ambient installation Pulumi program. */
export function program(): ComponentResource[] {
  return [new IstioInstallation('istio', installation()), new MeshNamespace('shop', shop)];
}
