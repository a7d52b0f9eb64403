import { ComponentResource } from '@pulumi/pulumi';
import { MeshNamespace } from '../../src/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { defaultNamespace, installation } from './props';

/** The S10 install Pulumi program (no helm binary needed: Pulumi renders the charts). */
export function program(): ComponentResource[] {
  const istio = new IstioInstallation('istio', installation());
  return [istio, new MeshNamespace('default', defaultNamespace)];
}
