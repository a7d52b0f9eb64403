import { ComponentResource } from '@pulumi/pulumi';
import { AuthorizationPolicy, PeerAuthentication, RequestAuthentication, ZeroTrustNamespace } from '../../src/pulumi';
import { productpageJwt, requireIssuer, strictMesh, strictNamespace, zeroTrust } from './props';

/** The S10 security program. */
export function program(): ComponentResource[] {
  return [
    new PeerAuthentication('mtls-namespace', strictNamespace),
    new PeerAuthentication('mtls-mesh', strictMesh),
    new ZeroTrustNamespace('zero-trust', zeroTrust),
    new RequestAuthentication('productpage-jwt', productpageJwt),
    new AuthorizationPolicy('require-issuer', requireIssuer),
  ];
}
