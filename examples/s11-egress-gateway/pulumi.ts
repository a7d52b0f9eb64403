import { ComponentResource } from '@pulumi/pulumi';
import { ExternalEgress, Gateway, HttpRoute } from '../../src/pulumi';
import { Stage, echoGateway, echoRoute, httpbinEgress } from './props';

/** The S11 program: the echo ingress, or the httpbin egress. */
export function program(stage: Stage = 'httpbin-egress'): ComponentResource[] {
  if (stage === 'echo-ingress') {
    const gateway = new Gateway('echo-gateway', echoGateway);
    return [gateway, new HttpRoute('echo', echoRoute(gateway.ref), { dependsOn: [gateway] })];
  }
  return [new ExternalEgress('httpbin', httpbinEgress)];
}
