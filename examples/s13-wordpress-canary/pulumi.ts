import { ComponentResource } from '@pulumi/pulumi';
import { CanaryService, HardenedGateway, PeerAuthentication } from '../../src/pulumi';
import { gateway, meshMtls, wordpressCanary } from './props';

/** The S13 Pulumi program. */
export function program(): ComponentResource[] {
  const hardened = new HardenedGateway('gateway', gateway);
  return [hardened, new CanaryService('wordpress', wordpressCanary(hardened.ref), { dependsOn: [hardened] }), new PeerAuthentication('mesh-mtls', meshMtls)];
}
