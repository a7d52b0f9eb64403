import { ComponentResource } from '@pulumi/pulumi';
import { MeshNamespace } from '../../src/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { Stage, installation, namespaces } from './props';

/** The canary upgrade Pulumi program of a stage (`pulumi up` once per stage). */
export function program(stage: Stage): ComponentResource[] {
  return [new IstioInstallation('istio', installation(stage)), ...namespaces.map((ns) => new MeshNamespace(ns.name, ns))];
}
