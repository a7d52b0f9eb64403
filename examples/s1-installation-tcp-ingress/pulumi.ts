import { ComponentResource } from '@pulumi/pulumi';
import { TcpIngress, WorkloadService } from '../../src/pulumi';
import { IstioInstallation } from '../../src/pulumi';
import { installation, tcpIngress, tcpService } from './props';

/**
 * The S1 installation Pulumi program. The TcpIngress is declared in the program's synchronous
 * code, so 31400 is in the gateway release's `service.ports` when the values are sent.
 */
export function program(): ComponentResource[] {
  const istio = new IstioInstallation('istio', installation());
  const service = new WorkloadService('tcp-service', tcpService);
  const tcp = new TcpIngress('tcp-ingress', tcpIngress(service.ref, istio.ingressGateway!), { dependsOn: [istio, service] });
  return [istio, service, tcp];
}
