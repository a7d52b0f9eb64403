import { App, Chart } from 'cdk8s';
import { IstioAnalysis, TcpIngress, WorkloadService } from '../../src/cdk8s';
import { existingGateway } from '../cluster';
import { ingressGateway, tcpIngress, tcpService } from './props';

/** Adds the S1 chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'tcp-ingress');
  const service = new WorkloadService(chart, 'tcp-service', tcpService);
  new TcpIngress(chart, 'tcp-ingress', tcpIngress(service.ref));
  IstioAnalysis.configure(app, { external: existingGateway(ingressGateway) });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s1-tcp-ingress' });
  build(app);
  app.synth();
}
