import { App, Chart } from 'cdk8s';
import { ExternalEgress, Gateway, HttpRoute, IstioAnalysis, IstioAnalysisOptions } from '../../src/cdk8s';
import { existingGateway, existingService } from '../cluster';
import { echo, echoGateway, echoIngressGateway, echoRoute, egressGateway, httpbinEgress, meshConfig } from './props';

/**
 * What the analysis is told: the seed's REGISTRY_ONLY mesh, the two gateway workloads (the seed's
 * MeshGateways: a LoadBalancer and a ClusterIP Service) and the echo application.
 */
export const analysis: IstioAnalysisOptions = {
  meshConfig,
  external: [...existingGateway(echoIngressGateway), ...existingGateway(egressGateway, 'ClusterIP'), ...existingService(echo)],
};

/** Adds the S11 charts to an app: the echo ingress and the httpbin egress, applied together. */
export function build(app: App): void {
  const ingress = new Chart(app, 'echo-ingress');
  const gateway = new Gateway(ingress, 'echo-gateway', echoGateway);
  new HttpRoute(ingress, 'echo', echoRoute(gateway.ref));
  new ExternalEgress(new Chart(app, 'httpbin-egress'), 'httpbin', httpbinEgress);
  IstioAnalysis.configure(app, analysis);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s11-egress-gateway' });
  build(app);
  app.synth();
}
