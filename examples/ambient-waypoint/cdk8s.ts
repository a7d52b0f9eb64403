import { App, Chart } from 'cdk8s';
import { AuthorizationPolicy, ExternalEgress, IstioAnalysis, IstioAnalysisOptions, MeshNamespace, Waypoint } from '../../src/cdk8s';
import { existingService } from '../cluster';
import {
  egressWaypoint, generatedWaypointDeployment, httpbin, httpbinFromBookinfo, namespace, noDelete, productpage, productpageViewer, productpageZtunnel, waypoint,
} from './props';

/**
 * What the analysis is told: the bookinfo productpage Service and its pods exist in the cluster,
 * and so do the waypoints' pods Istio deploys.
 */
export const analysis: IstioAnalysisOptions = {
  external: [...existingService(productpage), generatedWaypointDeployment(waypoint), generatedWaypointDeployment(egressWaypoint)],
};

/** Adds the ambient chart to an app. */
export function build(app: App): void {
  const chart = new Chart(app, 'ambient-waypoint');
  const bookinfoWaypoint = new Waypoint(chart, 'waypoint', waypoint);
  new MeshNamespace(chart, 'bookinfo', namespace(bookinfoWaypoint.ref));
  new AuthorizationPolicy(chart, 'productpage-ztunnel', productpageZtunnel);
  new AuthorizationPolicy(chart, 'productpage-viewer', productpageViewer);
  new AuthorizationPolicy(chart, 'no-delete', noDelete(bookinfoWaypoint.ref));
  const egress = new Waypoint(chart, 'egress-waypoint', egressWaypoint);
  const external = new ExternalEgress(chart, 'httpbin', httpbin(egress.ref));
  new AuthorizationPolicy(chart, 'httpbin-from-bookinfo', httpbinFromBookinfo(external.hosts[0]));
  IstioAnalysis.configure(app, analysis);
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/ambient-waypoint' });
  build(app);
  app.synth();
}
