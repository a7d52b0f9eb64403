import { ComponentResource } from '@pulumi/pulumi';
import { AuthorizationPolicy, PeerAuthentication, ServiceTrafficPolicy } from '../../src/pulumi';
import { mutualTls, strict, viewers } from './props';

/** The S12 security program. */
export function program(): ComponentResource[] {
  return [
    new PeerAuthentication('strict', strict),
    new ServiceTrafficPolicy('mutual-tls', mutualTls),
    ...viewers.map((v) => new AuthorizationPolicy(v.name, v)),
  ];
}
