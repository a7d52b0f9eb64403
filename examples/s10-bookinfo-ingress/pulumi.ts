import { ComponentResource } from '@pulumi/pulumi';
import { Gateway, HttpRoute } from '../../src/pulumi';
import { bookinfoGateway, bookinfoRoute } from './props';

/** The S10 plain-ingress program. */
export function program(): ComponentResource[] {
  const gateway = new Gateway('bookinfo-gateway', bookinfoGateway);
  return [gateway, new HttpRoute('bookinfo', bookinfoRoute(gateway.ref), { dependsOn: [gateway] })];
}
