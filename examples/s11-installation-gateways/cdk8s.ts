import { App, Chart } from 'cdk8s';
import { ExternalEgress, Gateway, HttpRoute, IstioAnalysis } from '../../src/cdk8s';
import { existingService } from '../cluster';
import { IstioInstallation } from '../../src/cdk8s';
import { helmExecutable } from '../installation/settings';
import { echo, echoRoute, egressThrough, gatewayOn, installation } from './props';

/** Adds the S11 installation, its gateways and the routes bound to them to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'gateways');
  const istio = new IstioInstallation(chart, 'istio', { ...installation(), helmExecutable: helmExecutable() });
  const gateway = new Gateway(chart, 'echo-gateway', gatewayOn(istio.gateway('echo-ingress')));
  new HttpRoute(chart, 'echo', echoRoute(gateway.ref));
  new ExternalEgress(chart, 'httpbin', egressThrough(istio.egressGateway('egress')));
  // The echo application is deployed elsewhere; the gateways are the installation's own.
  IstioAnalysis.configure(app, { meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }, external: existingService(echo) });
}
