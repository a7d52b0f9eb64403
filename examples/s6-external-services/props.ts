/**
 * S6: external services (seed 000, "ServiceEntry"; seed 001, "Managing External Access").
 * - `external-svc-redirect`: `wikipedia.org` and `*.wikipedia.org`, MESH_EXTERNAL, TLS on 443,
 *   resolution NONE (the client's own DNS answer is the destination; the hosts are matched by SNI).
 * - `coffee-website`: `a-cup-of.coffee` and `une-tasse-de.cafe`, TLS on 443, resolution DNS (the
 *   two hosts share the port and are told apart by SNI).
 * - Outbound traffic limited to exactly those hosts: the seed switches the whole mesh to
 *   `REGISTRY_ONLY` (`meshConfig.outboundTrafficPolicy.mode`, the installation's setting, given to
 *   the analysis here as `meshConfig`); `WorkloadEgress` does it where the workloads run, whatever
 *   the mesh's policy: a `Sidecar` for namespace `default` with REGISTRY_ONLY whose hosts are the
 *   namespace's own Services and these four hosts.
 * - What seed 001's author "had not yet found": limiting one application to one host. Sidecars
 *   with a workload selector override the namespace's for their pods: productpage may reach only
 *   `a-cup-of.coffee`, reviews only `une-tasse-de.cafe` (best effort: see `EgressEnforcement.SIDECAR`).
 *
 * Corrected seed mistakes: the ServiceEntries live in their own namespace `external` (the seeds
 * put them in `default`): a Sidecar that allows its own namespace (`./*`) would otherwise allow
 * every host any ServiceEntry of `default` declares, so the per-application limits would allow
 * both coffee hosts. `networking.istio.io/v1`, not the seeds' `v1beta1`.
 */
import {
  ExternalEgressProps, ExternalHost, Protocol, ServiceEntryLocation, ServiceEntryResolution, ServiceRef, WorkloadEgressProps,
} from '../../src';

export const stages = ['external-services'] as const;

/** The namespace of the ServiceEntries (exported to every namespace, Istio's default). */
const external = 'external';
const tls443 = [{ port: 443, protocol: Protocol.TLS, name: 'https' }];

export const wikipedia: ExternalEgressProps = {
  name: 'external-svc-redirect',
  namespace: external,
  hosts: ['wikipedia.org', '*.wikipedia.org'],
  ports: tls443,
  location: ServiceEntryLocation.MESH_EXTERNAL,
  resolution: ServiceEntryResolution.NONE,
};

export const coffee: ExternalEgressProps = {
  name: 'coffee-website',
  namespace: external,
  hosts: ['a-cup-of.coffee', 'une-tasse-de.cafe'],
  ports: tls443,
  location: ServiceEntryLocation.MESH_EXTERNAL,
  resolution: ServiceEntryResolution.DNS,
};

/** The mesh config of the seed: only registered destinations are reachable (the installation sets it). */
export const meshConfig = { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } };

/** Namespace `default`: its own Services and the four external hosts, nothing else. */
export const namespaceEgress = (hosts: ExternalHost[]): WorkloadEgressProps => ({ name: 'default', namespace: 'default', hosts });

/** productpage reaches a-cup-of.coffee only (besides the namespace's Services). */
export const productpageEgress = (coffeeHost: ExternalHost): WorkloadEgressProps => ({
  name: 'productpage', namespace: 'default', selector: { app: 'productpage' }, hosts: [coffeeHost],
});

/** reviews reaches une-tasse-de.cafe only (besides the namespace's Services). */
export const reviewsEgress = (cafeHost: ExternalHost): WorkloadEgressProps => ({
  name: 'reviews', namespace: 'default', selector: { app: 'reviews' }, hosts: [cafeHost],
});

/** The bookinfo Services the per-application Sidecars select (they exist in the cluster). */
const http9080 = [{ port: 9080, protocol: Protocol.HTTP }];
export const productpage = ServiceRef.fromName('productpage', { namespace: 'default', ports: http9080 });
export const reviews = ServiceRef.fromName('reviews', { namespace: 'default', ports: http9080 });
