import { App, Chart } from 'cdk8s';
import { CanaryService, Gateway, HttpRoute, IstioAnalysis, MeshNamespace, RoutingTargets, Waypoint } from '../../src/cdk8s';
import { generatedWaypointDeployment } from '../ambient-waypoint/props';
import { existingService } from '../cluster';
import { bookinfoGateway, bookinfoNamespace, bookinfoRoute, gatewayApi, productpage, reviews, reviews9010, waypoint } from './props';

/** Adds the S10 ambient chart to an app; its routing constructs are on the Gateway API. */
export function build(app: App): void {
  RoutingTargets.setDefault(app, gatewayApi);
  const chart = new Chart(app, 'ambient');
  const defaultWaypoint = new Waypoint(chart, 'waypoint', waypoint);
  new MeshNamespace(chart, 'default', bookinfoNamespace(defaultWaypoint.ref));
  const gateway = new Gateway(chart, 'bookinfo-gateway', bookinfoGateway);
  new HttpRoute(chart, 'bookinfo', bookinfoRoute(gateway.ref));
  new CanaryService(chart, 'reviews', reviews9010);
  // The cluster runs bookinfo, its pods without sidecars, and the waypoint's pods Istio deploys.
  IstioAnalysis.configure(app, {
    external: [...existingService(productpage, ['v1'], 'ambient'), ...existingService(reviews, ['v1', 'v2'], 'ambient'), generatedWaypointDeployment(waypoint)],
  });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s10-ambient' });
  build(app);
  app.synth();
}
