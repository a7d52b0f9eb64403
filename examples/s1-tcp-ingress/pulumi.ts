import { TcpIngress, WorkloadService } from '../../src/pulumi';
import { tcpIngress, tcpService } from './props';

/** The S1 Pulumi program. */
export function program(): void {
  const service = new WorkloadService('tcp-service', tcpService);
  new TcpIngress('tcp-ingress', tcpIngress(service.ref), { dependsOn: [service] });
}
