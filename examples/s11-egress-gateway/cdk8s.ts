import { App, Chart } from 'cdk8s';
import { ExternalEgress, Gateway, HttpRoute, IstioAnalysis } from '../../src/cdk8s';
import { existingGateway, existingService } from '../cluster';
import { echo, echoGateway, echoIngressGateway, echoRoute, egressGateway, httpbinEgress, meshConfig } from './props';

/** Adds the S11 charts to an app: the echo ingress and the httpbin egress, applied together. */
export function build(app: App): void {
  const ingress = new Chart(app, 'echo-ingress');
  const gateway = new Gateway(ingress, 'echo-gateway', echoGateway);
  new HttpRoute(ingress, 'echo', echoRoute(gateway.ref));
  new ExternalEgress(new Chart(app, 'httpbin-egress'), 'httpbin', httpbinEgress);
  IstioAnalysis.configure(app, {
    meshConfig,
    external: [...existingGateway(echoIngressGateway), ...existingGateway(egressGateway, 'ClusterIP'), ...existingService(echo)],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s11-egress-gateway' });
  build(app);
  app.synth();
}
