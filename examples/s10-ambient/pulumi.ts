import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService, Gateway, HttpRoute, MeshNamespace, Waypoint } from '../../src/pulumi';
import { bookinfoGateway, bookinfoNamespace, bookinfoRoute, gatewayApi, reviews9010, waypoint } from './props';

/** The S10 ambient program (the target per construct; a stack can set it with `istio-constructs:routingApi`). */
export function program(): ComponentResource[] {
  const defaultWaypoint = new Waypoint('waypoint', waypoint);
  const namespace = new MeshNamespace('default', bookinfoNamespace(defaultWaypoint.ref));
  const gateway = new Gateway('bookinfo-gateway', { ...bookinfoGateway, target: gatewayApi }, { dependsOn: [namespace] });
  return [
    defaultWaypoint,
    namespace,
    gateway,
    new HttpRoute('bookinfo', { ...bookinfoRoute(gateway.ref), target: gatewayApi }, { dependsOn: [gateway] }),
    new CanaryService('reviews', { ...reviews9010, target: gatewayApi }, { dependsOn: [namespace] }),
  ];
}
