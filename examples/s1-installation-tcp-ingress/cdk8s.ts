import { App, Chart } from 'cdk8s';
import { TcpIngress, WorkloadService } from '../../src/cdk8s';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { installation, tcpIngress, tcpService } from './props';

/** Adds the S1 installation and TCP ingress to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'tcp-ingress');
  const istio = new IstioInstallation(chart, 'istio', { ...installation(), helmExecutable: helmExecutable() });
  const service = new WorkloadService(chart, 'tcp-service', tcpService);
  // Bound to the installation's gateway: 31400 is added to the istio-ingressgateway Service.
  new TcpIngress(chart, 'tcp-ingress', tcpIngress(service.ref, istio.ingressGateway!));
}
