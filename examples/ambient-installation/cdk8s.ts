import { App, Chart } from 'cdk8s';
import { MeshNamespace } from '../../src/cdk8s';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { installation, shop } from './props';

/** Adds the ambient installation and the ambient namespace to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'ambient');
  new IstioInstallation(chart, 'istio', { ...installation(), helmExecutable: helmExecutable() });
  new MeshNamespace(chart, 'shop', shop);
}
