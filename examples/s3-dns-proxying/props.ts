/**
 * S3: DNS proxying (seed 000, "Istio Proxy DNS"). The workload `inventory` (namespace `shop`, an
 * application Deployment the program owns, written by hand) gets the pod annotation
 * `proxy.istio.io/config` with `proxyMetadata` `ISTIO_META_DNS_CAPTURE: "true"` and
 * `ISTIO_META_DNS_AUTO_ALLOCATE: "true"`, through the library's DNS proxying helper (cdk8s
 * `DnsProxying.enable`, Pulumi `withDnsProxying`), which merges them into any proxy configuration
 * the annotation already holds.
 *
 * What it is for: `inventory` talks to two PostgreSQL databases outside the cluster,
 * `orders-db.example.com` and `billing-db.example.com`, both on TCP 5432, declared as
 * ServiceEntries without addresses (`ExternalEgress`). Plain TCP carries no host name, so a
 * sidecar can only tell the two apart by destination IP: each host needs a virtual IP of its own
 * (auto-allocated), and the application must be handed that IP when it resolves the name (DNS
 * capture: the sidecar answers the pod's DNS queries for ServiceEntry hosts). Without both,
 * the two ServiceEntries share one listener on 0.0.0.0:5432. istioctl's IST0134 (and the
 * builder's warning) say so for every client: it reads only the mesh-wide proxy metadata, not pod
 * annotations, so the warning stays true for any other workload of the mesh, which gets no DNS
 * proxying here.
 *
 * Which Istio versions need `ISTIO_META_DNS_AUTO_ALLOCATE` (istio/istio
 * pilot/pkg/features/pilot.go, pkg/config/validation/agent/validation.go):
 * - up to 1.22: the proxy allocates the addresses itself, only with this metadata: it is required;
 * - 1.23 and 1.24: istiod can allocate them into the ServiceEntry's status
 *   (`PILOT_ENABLE_IP_AUTOALLOCATE`), but that is off by default: still required unless istiod
 *   has it on;
 * - 1.25 and later (every version the library supports, 1.29+): istiod allocates by default, and
 *   reports the metadata as deprecated. DNS capture is still needed, so clients resolve the hosts
 *   to the allocated addresses. Stage `dns-capture-only` writes that (`autoAllocate: false`).
 * Stage `dns-proxying` writes what the seed asks for, both keys.
 *
 * Mesh-wide, the same metadata goes in the installation's `meshConfig.defaultConfig.proxyMetadata`
 * (not part of this program).
 */
import { DnsProxyingOptions, ExternalEgressProps, Manifest, Protocol } from '../../src';

export const stages = ['dns-proxying', 'dns-capture-only'] as const;
export type Stage = typeof stages[number];

/** The DNS proxying options per stage: the seed's two keys (any Istio), or DNS capture only (Istio 1.25+). */
export const dnsProxying: Record<Stage, DnsProxyingOptions> = {
  'dns-proxying': {},
  'dns-capture-only': { autoAllocate: false },
};

const labels = { app: 'inventory' };

/** The application's Deployment, as the program writes it (before DNS proxying is merged in). */
export const inventory = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'inventory', namespace: 'shop', labels },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    template: {
      metadata: {
        labels,
        // DNS proxying is done by the sidecar: the pod must have one.
        annotations: { 'sidecar.istio.io/inject': 'true' },
      },
      spec: { containers: [{ name: 'inventory', image: 'example/inventory:1.0', ports: [{ containerPort: 8080 }] }] },
    },
  },
} satisfies Manifest;

/** One external PostgreSQL host: TCP 5432, resolution DNS, no addresses; visible in `shop` only. */
const database = (name: string): ExternalEgressProps => ({
  name,
  namespace: 'shop',
  hosts: [`${name}.example.com`],
  ports: [{ port: 5432, protocol: Protocol.TCP, name: 'tcp-postgres' }],
  exportTo: ['.'],
});

export const ordersDb = database('orders-db');
export const billingDb = database('billing-db');
