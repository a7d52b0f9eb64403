import { App, Chart } from 'cdk8s';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { installation } from './props';

/** Adds the S3/S6 installation to an app. */
export function build(app: App): void {
  new IstioInstallation(new Chart(app, 'mesh-settings'), 'istio', { ...installation(), helmExecutable: helmExecutable() });
}
