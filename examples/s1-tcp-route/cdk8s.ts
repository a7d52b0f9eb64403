import { App, Chart } from 'cdk8s';
import { IstioAnalysis, RoutingTargets, TcpIngress, WorkloadService } from '../../src/cdk8s';
import { existingGateway } from '../cluster';
import { gatewayApi, ingressGateway, tcpIngress, tcpService } from './props';

/** Adds the S1 Gateway API chart to an app. */
export function build(app: App): void {
  RoutingTargets.setDefault(app, gatewayApi);
  const chart = new Chart(app, 'tcp-route');
  const service = new WorkloadService(chart, 'tcp-service', tcpService);
  new TcpIngress(chart, 'tcp-ingress', tcpIngress(service.ref));
  IstioAnalysis.configure(app, { external: existingGateway(ingressGateway) });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s1-tcp-route' });
  build(app);
  app.synth();
}
