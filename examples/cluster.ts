/**
 * What the examples' cluster already holds and their programs only reference: the ingress gateway
 * an istioctl-profile installation deploys, the applications' Services and workloads
 * (`ServiceRef.fromName`), and TLS Secrets. They are not part of the programs (nothing is emitted
 * for them): the examples pass them to the App-level analysis as `external` objects
 * (`IstioAnalysis.configure`), so references to them resolve, as they would in the cluster.
 */
import { IngressGateway, Manifest, ServiceRef } from '../src';

/**
 * The Deployment and Service of an existing gateway (its pods carry the gateway's selector
 * labels). An ingress gateway's Service is a LoadBalancer; an egress gateway's is usually a
 * ClusterIP (`serviceType`).
 */
export function existingGateway(gateway: IngressGateway, serviceType: 'LoadBalancer' | 'ClusterIP' = 'LoadBalancer'): Manifest[] {
  const name = gateway.serviceName ?? 'istio-ingressgateway';
  const labels = { ...gateway.selector };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: gateway.namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels, annotations: { 'sidecar.istio.io/inject': 'false' } }, spec: { containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.31.0' }] } },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: gateway.namespace, labels },
      spec: { type: serviceType, selector: labels, ports: (gateway.ports ?? []).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })) },
    },
  ];
}

/**
 * The Service of an existing application (selector `app: <name>`), and one Deployment per version
 * (labels `app` and `version`), as the bookinfo sample deploys them: sidecar-injected, or, with
 * `dataplane: 'ambient'`, without a sidecar (an ambient namespace's pods, which ztunnel captures).
 */
export function existingService(service: ServiceRef, versions: readonly string[] = ['v1'], dataplane: 'sidecar' | 'ambient' = 'sidecar'): Manifest[] {
  const app = { app: service.name };
  return [
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: service.name, namespace: service.namespace, labels: app },
      spec: { selector: app, ports: service.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })) },
    },
    ...versions.map((version): Manifest => {
      const labels = { ...app, version };
      return {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${service.name}-${version}`, namespace: service.namespace, labels },
        spec: {
          selector: { matchLabels: labels },
          template: { metadata: { labels, ...(dataplane === 'sidecar' ? { annotations: { 'sidecar.istio.io/inject': 'true' } } : {}) }, spec: { containers: [{ name: service.name, image: `example/${service.name}:${version}` }] } },
        },
      };
    }),
  ];
}

/** An existing TLS Secret (its contents are not known to the program, only that it exists). */
export function existingTlsSecret(namespace: string, name: string): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls' } as Manifest;
}
