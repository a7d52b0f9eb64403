import { ComponentResource } from '@pulumi/pulumi';
import { AuthorizationPolicy, ExternalEgress, MeshNamespace, Waypoint } from '../../src/pulumi';
import { egressWaypoint, httpbin, httpbinFromBookinfo, namespace, noDelete, productpageViewer, productpageZtunnel, waypoint } from './props';

/** The ambient Pulumi program. */
export function program(): ComponentResource[] {
  const bookinfoWaypoint = new Waypoint('waypoint', waypoint);
  const egress = new Waypoint('egress-waypoint', egressWaypoint);
  const external = new ExternalEgress('httpbin', httpbin(egress.ref));
  return [
    bookinfoWaypoint,
    new MeshNamespace('bookinfo', namespace(bookinfoWaypoint.ref)),
    new AuthorizationPolicy('productpage-ztunnel', productpageZtunnel),
    new AuthorizationPolicy('productpage-viewer', productpageViewer),
    new AuthorizationPolicy('no-delete', noDelete(bookinfoWaypoint.ref)),
    egress,
    external,
    new AuthorizationPolicy('httpbin-from-bookinfo', httpbinFromBookinfo(external.hosts[0])),
  ];
}
