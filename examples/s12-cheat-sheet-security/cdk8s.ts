import { App, Chart } from 'cdk8s';
import { AuthorizationPolicy, PeerAuthentication, ServiceTrafficPolicy } from '../../src/cdk8s';
import { mutualTls, strict, viewers } from './props';

/** Adds the S12 security chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'security');
  new PeerAuthentication(chart, 'strict', strict);
  new ServiceTrafficPolicy(chart, 'mutual-tls', mutualTls);
  for (const v of viewers) new AuthorizationPolicy(chart, v.name, v);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s12-cheat-sheet-security' });
  build(app);
  app.synth();
}
