import { ComponentResource } from '@pulumi/pulumi';
import { TcpIngress, WorkloadService } from '../../src/pulumi';
import { gatewayApi, tcpIngress, tcpService } from './props';

/** The S1 Gateway API program (the target per construct; a stack can set it with `istio-constructs:routingApi`). */
export function program(): ComponentResource[] {
  const service = new WorkloadService('tcp-service', tcpService);
  return [service, new TcpIngress('tcp-ingress', { ...tcpIngress(service.ref), target: gatewayApi }, { dependsOn: [service] })];
}
