import { ComponentResource } from '@pulumi/pulumi';
import { ExternalEgress, Gateway, HttpRoute } from '../../src/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { echoRoute, egressThrough, gatewayOn, installation } from './props';

/** The S11 installation Pulumi program: the Istio objects wait for the installation (its CRDs and webhook). */
export function program(): ComponentResource[] {
  const istio = new IstioInstallation('istio', installation());
  const gateway = new Gateway('echo-gateway', gatewayOn(istio.gateway('echo-ingress')), { dependsOn: [istio] });
  const route = new HttpRoute('echo', echoRoute(gateway.ref), { dependsOn: [gateway] });
  const egress = new ExternalEgress('httpbin', egressThrough(istio.egressGateway('egress')), { dependsOn: [istio] });
  return [istio, gateway, route, egress];
}
