import { ComponentResource } from '@pulumi/pulumi';
import { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from '../../src/pulumi';
import { jwt, permissive, rbac } from './props';

/** The S4 Pulumi program. */
export function program(): ComponentResource[] {
  return [new PeerAuthentication('foo-mtls', permissive), new RequestAuthentication('jwt', jwt), new AuthorizationPolicy('rbac', rbac)];
}
