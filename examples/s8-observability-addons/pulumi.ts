import { ComponentResource } from '@pulumi/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { installation } from './props';

/** The S8 Pulumi program: the Kiali operator chart and the add-on manifests after istiod. */
export function program(): ComponentResource[] {
  return [new IstioInstallation('istio', installation())];
}
