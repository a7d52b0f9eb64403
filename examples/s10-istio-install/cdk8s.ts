import { App, Chart } from 'cdk8s';
import { MeshNamespace } from '../../src/cdk8s';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { defaultNamespace, installation } from './props';

/** Adds the S10 install chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'install');
  new IstioInstallation(chart, 'istio', { ...installation(), helmExecutable: helmExecutable() });
  new MeshNamespace(chart, 'default', defaultNamespace);
}
