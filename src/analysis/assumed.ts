/**
 * What a program's typed references say exists in the cluster. A construct's props name existing
 * objects on purpose: `ServiceRef.fromName('reviews', ...)` says the Service exists, an
 * `IngressGateway.fromSelector(...)` says a gateway workload (and its Service) runs with those
 * labels, and a gateway server's `credentialName` says its TLS Secret is provisioned (by
 * cert-manager, say). The engines pass these to `analyze` as external objects, so the analysis of
 * a program reports what is wrong with it, not that the cluster's other objects are not part of it.
 */
import { Manifest } from '../core/manifest';
import { IngressGateway, ServiceRef } from '../core/references';

/**
 * The cluster objects a construct's props declare by typed reference (DESIGN D4): the Service of
 * every `ServiceRef` (name, namespace, ports) and the workload and Service of every
 * `IngressGateway` (its selector labels, in its namespace), and the TLS Secrets a gateway's
 * `servers[].credentialName` (or `servers[].tls.credentialName`) names (in the gateway workload's namespace). The cdk8s App-level
 * analysis takes them as external objects when the app itself holds no object of that kind,
 * namespace and name, so a route to `ServiceRef.fromName('reviews', ...)` resolves as it does in the cluster. Walks plain
 * objects and arrays of the props, a few levels deep; linear in their size. Never throws.
 *
 * @param props the construct's props, as given (any shape)
 */
export function assumedObjects(props: unknown): Manifest[] {
  const out: Manifest[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 6) return;
    seen.add(value);
    if (value instanceof ServiceRef) {
      out.push({
        apiVersion: 'v1', kind: 'Service', metadata: { name: value.name, namespace: value.namespace },
        spec: { ports: value.portsUnknown ? [] : value.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })) },
      });
      return;
    }
    if (value instanceof IngressGateway) {
      const labels = { ...value.selector };
      const name = value.serviceName ?? `gateway-${Object.values(labels).join('-')}`.slice(0, 63);
      out.push({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: value.namespace, labels },
        spec: {
          selector: { matchLabels: labels },
          template: { metadata: { labels, annotations: { 'sidecar.istio.io/inject': 'false' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } },
        },
      });
      if (value.serviceName) {
        out.push({
          apiVersion: 'v1', kind: 'Service', metadata: { name: value.serviceName, namespace: value.namespace, labels },
          spec: { selector: labels, ports: (value.ports ?? []).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })) },
        });
      }
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value)) for (const v of value) visit(v, depth + 1);
    else if (proto === Object.prototype || proto === null) for (const v of Object.values(value)) visit(v, depth + 1);
  };
  visit(props, 0);
  // TLS Secrets a gateway's servers name (`credentialName`, read in the gateway workload's namespace).
  const p = props as { servers?: unknown; gateway?: unknown; workload?: { namespace?: unknown } } | undefined;
  const workloadNamespace = p?.gateway instanceof IngressGateway ? p.gateway.namespace
    : p?.workload instanceof IngressGateway ? p.workload.namespace
      : typeof p?.workload?.namespace === 'string' ? p.workload.namespace : undefined;
  if (workloadNamespace && Array.isArray(p?.servers)) {
    for (const server of p.servers as Array<{ credentialName?: unknown; tls?: { credentialName?: unknown } } | undefined>) {
      const credential = server?.credentialName ?? server?.tls?.credentialName;
      if (typeof credential !== 'string' || !credential) continue;
      const [namespace, name] = credential.includes('/') ? credential.split('/', 2) : [workloadNamespace, credential];
      out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace } } as Manifest);
    }
  }
  return out;
}
