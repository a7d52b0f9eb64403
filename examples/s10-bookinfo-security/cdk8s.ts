import { App, Chart } from 'cdk8s';
import { AuthorizationPolicy, PeerAuthentication, RequestAuthentication, ZeroTrustNamespace } from '../../src/cdk8s';
import { productpageJwt, requireIssuer, strictMesh, strictNamespace, zeroTrust } from './props';

/** Adds the S10 security chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'security');
  new PeerAuthentication(chart, 'mtls-namespace', strictNamespace);
  new PeerAuthentication(chart, 'mtls-mesh', strictMesh);
  new ZeroTrustNamespace(chart, 'zero-trust', zeroTrust);
  new RequestAuthentication(chart, 'productpage-jwt', productpageJwt);
  new AuthorizationPolicy(chart, 'require-issuer', requireIssuer);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s10-bookinfo-security' });
  build(app);
  app.synth();
}
