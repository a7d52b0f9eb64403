import { App, Chart } from 'cdk8s';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { installation } from './props';

/** Adds the S8 installation with its add-ons to an app. */
export function build(app: App): void {
  new IstioInstallation(new Chart(app, 'addons'), 'istio', { ...installation(), helmExecutable: helmExecutable() });
}
