import { ApiObject, App, Chart } from 'cdk8s';
import { DnsProxying, ExternalEgress, IstioAnalysis } from '../../src/cdk8s';
import { billingDb, dnsProxying, inventory, ordersDb, stages } from './props';

/** Adds one chart per stage to an app (alternatives: one is applied). */
export function build(app: App): void {
  const charts = stages.map((stage) => {
    const chart = new Chart(app, stage);
    // The application's own Deployment, written as a raw object; the helper patches its pod template.
    const deployment = new ApiObject(chart, 'inventory', inventory);
    DnsProxying.enable(deployment, dnsProxying[stage]);
    new ExternalEgress(chart, 'orders-db', ordersDb);
    new ExternalEgress(chart, 'billing-db', billingDb);
    return chart;
  });
  // The two stages are alternatives; the analysis needs nothing else (every object is the program's).
  IstioAnalysis.configure(app, { stages: charts });
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/s3-dns-proxying' });
  build(app);
  app.synth();
}
