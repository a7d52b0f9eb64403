import * as k8s from '@pulumi/kubernetes';
import { Resource } from '@pulumi/pulumi';
import { ExternalEgress, withDnsProxying } from '../../src/pulumi';
import { Stage, billingDb, dnsProxying, inventory, ordersDb } from './props';

/**
 * The S3 program at one stage: the application's Deployment (a resource of the program itself,
 * not of a library component), with DNS proxying merged into its args, and the two databases.
 */
export function program(stage: Stage = 'dns-capture-only'): Resource[] {
  const { metadata, spec } = inventory;
  const deployment = new k8s.apps.v1.Deployment('inventory', withDnsProxying({ metadata, spec }, dnsProxying[stage]));
  return [deployment, new ExternalEgress('orders-db', ordersDb), new ExternalEgress('billing-db', billingDb)];
}
