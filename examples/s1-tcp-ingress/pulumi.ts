import { ComponentResource } from '@pulumi/pulumi';
import { TcpIngress, WorkloadService } from '../../src/pulumi';
import { tcpIngress, tcpService } from './props';

/** The S1 Pulumi program. */
export function program(): ComponentResource[] {
  const service = new WorkloadService('tcp-service', tcpService);
  return [service, new TcpIngress('tcp-ingress', tcpIngress(service.ref), { dependsOn: [service] })];
}
