import { App, Chart } from 'cdk8s';
import { MeshNamespace } from '../../src/cdk8s';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { installation, namespaces, stages } from './props';

/** Adds one chart per stage of the canary upgrade to an app. */
export function build(app: App): void {
  for (const stage of stages) {
    const chart = new Chart(app, stage);
    new IstioInstallation(chart, 'istio', { ...installation(stage), helmExecutable: helmExecutable() });
    for (const ns of namespaces) new MeshNamespace(chart, ns.name, ns);
  }
}
