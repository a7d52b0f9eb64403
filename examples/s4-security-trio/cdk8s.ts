import { App, Chart } from 'cdk8s';
import { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from '../../src/cdk8s';
import { jwt, permissive, rbac } from './props';

/** Adds the S4 chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'security');
  new PeerAuthentication(chart, 'foo-mtls', permissive);
  new RequestAuthentication(chart, 'jwt', jwt);
  new AuthorizationPolicy(chart, 'rbac', rbac);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s4-security-trio' });
  build(app);
  app.synth();
}
