/**
 * What a program's typed references say exists in the cluster. A construct's props name existing
 * objects on purpose: `ServiceRef.fromName('reviews', ...)` says the Service exists, an
 * `IngressGateway.fromSelector(...)` says a gateway workload (and its Service) runs with those
 * labels, and a gateway server's `credentialName` says its TLS Secret is provisioned (by
 * cert-manager, say). The engines pass these to `analyze` as `external` objects, so the analysis
 * of a program reports what is wrong with it, not that the cluster's other objects are not part of
 * it. Objects the program itself declares take precedence over these.
 */
import { Manifest } from '../core/manifest';
import { IngressGateway, ServiceRef } from '../core/references';

const MAX_DEPTH = 12;

function serviceOf(ref: ServiceRef): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ref.name, namespace: ref.namespace },
    spec: { ports: ref.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })) },
  };
}

function gatewayWorkloadOf(gw: IngressGateway): Manifest[] {
  const name = gw.serviceName ?? 'istio-ingressgateway';
  const labels = { ...gw.selector };
  const out: Manifest[] = [{
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: gw.namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels, annotations: { 'inject.istio.io/templates': 'gateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } },
    },
  }];
  if (gw.serviceName !== undefined && gw.ports !== undefined) {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: gw.serviceName, namespace: gw.namespace },
      spec: { selector: labels, ports: gw.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })) },
    });
  }
  return out;
}

/**
 * The objects a construct's props and output assume exist in the cluster without declaring them:
 * a Service per `ServiceRef`, a gateway Deployment (and Service, when its name and ports are
 * known) per `IngressGateway`, and a TLS Secret per `credentialName` of the Gateways it emits (in
 * the Gateway's namespace and in each referenced gateway's namespace). Never throws; order is
 * deterministic.
 *
 * @param props the construct's props, as given (any shape)
 * @param emitted the objects the construct emits
 */
export function assumedObjects(props: unknown, emitted: readonly Manifest[]): Manifest[] {
  const out: Manifest[] = [];
  const seen = new Set<unknown>();
  const keys = new Set<string>();
  const add = (m: Manifest) => {
    const key = `${m.apiVersion}/${m.kind}/${m.metadata.namespace}/${m.metadata.name}`;
    if (!keys.has(key)) { keys.add(key); out.push(m); }
  };
  const gatewayNamespaces = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > MAX_DEPTH || seen.has(v)) return;
    seen.add(v);
    if (v instanceof ServiceRef) { add(serviceOf(v)); return; }
    if (v instanceof IngressGateway) {
      gatewayNamespaces.add(v.namespace);
      for (const m of gatewayWorkloadOf(v)) add(m);
      return;
    }
    try {
      for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
    } catch {
      // A getter that throws (a foreign object): nothing to learn from it.
    }
  };
  visit(props, 0);
  for (const m of emitted) {
    if (m.kind !== 'Gateway' || !String(m.apiVersion).startsWith('networking.istio.io/')) continue;
    const namespaces = new Set([...(m.metadata.namespace ? [m.metadata.namespace] : []), ...gatewayNamespaces]);
    const servers: any[] = Array.isArray(m.spec?.servers) ? m.spec.servers : [];
    for (const s of servers) {
      const name = s?.tls?.credentialName;
      if (typeof name !== 'string' || !name) continue;
      for (const namespace of [...namespaces].sort()) {
        add({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, spec: undefined } as Manifest);
      }
    }
  }
  return out;
}
