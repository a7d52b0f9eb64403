import { ComponentResource } from '@pulumi/pulumi';
import { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from '../../src/pulumi';
import { allowLists, allowNothingNamespace, productpageJwt, requireIssuer, strictMesh, strictNamespace } from './props';

/** The S10 security program. */
export function program(): ComponentResource[] {
  return [
    new PeerAuthentication('mtls-namespace', strictNamespace),
    new PeerAuthentication('mtls-mesh', strictMesh),
    AuthorizationPolicy.allowNothing('allow-nothing', allowNothingNamespace),
    ...allowLists.map((p) => new AuthorizationPolicy(p.name, p)),
    new RequestAuthentication('productpage-jwt', productpageJwt),
    new AuthorizationPolicy('require-issuer', requireIssuer),
  ];
}
