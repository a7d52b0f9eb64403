/**
 * What a program's typed references say exists in the cluster. A construct's props name existing
 * objects on purpose: `ServiceRef.fromName('reviews', ...)` says the Service exists, an
 * `IngressGateway.fromSelector(...)` says a gateway workload (and its Service) runs with those
 * labels, and a gateway server's `credentialName` says its TLS Secret is provisioned (by
 * cert-manager, say). An `ExternalHost.fromName(...)` says the program routes to a host outside the
 * registry on purpose (a marker object, `EXTERNAL_HOST_REFERENCE`). The engines pass these to
 * `analyze` as external objects, so the analysis of a program reports what is wrong with it, not
 * that the cluster's other objects are not part of it.
 */
import { isWaypointRef } from '../core/ambient';
import { isExternalHost } from '../core/external';
import { Manifest } from '../core/manifest';
import { isManagedGateway } from '../core/managed-gateway';
import { IngressGateway, ServiceRef } from '../core/references';

/**
 * The marker object that says "the program routes to this external host on purpose, knowing no
 * ServiceEntry of the program declares it" (an `ExternalHost.fromName`). It is no Kubernetes
 * kind: `analyze` reads it from the external objects (the engines pass `assumedObjects` there) and
 * reports a route to such a host with the library's ICA0004 instead of Istio's IST0101; nothing
 * else reads it, and it never reaches a cluster.
 */
export const EXTERNAL_HOST_REFERENCE = { apiVersion: 'analysis.istio-constructs/v1', kind: 'ExternalHostReference' } as const;

/**
 * The marker of an external host named on purpose (see `EXTERNAL_HOST_REFERENCE`): `spec.host` is
 * the host as routes write it, `spec.ports` the ports the reference declares (numbers and protocols).
 */
export function externalHostReference(host: string, ports: ReadonlyArray<{ port: number; protocol: string }> = []): Manifest {
  return {
    ...EXTERNAL_HOST_REFERENCE,
    metadata: { name: host },
    spec: { host, ports: ports.map((p) => ({ number: p.port, protocol: p.protocol })) },
  };
}

/** Whether a props value is a Gateway reference: a plain object with exactly `name`, `namespace` and `hosts`. */
function isGatewayRef(value: object): value is { name: string; namespace: string; hosts: string[] } {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  // Most objects of props have no `hosts`: refused before their keys are listed.
  if (!('hosts' in value)) return false;
  const keys = Object.keys(value);
  const v = value as { name?: unknown; namespace?: unknown; hosts?: unknown };
  return keys.length === 3 && typeof v.name === 'string' && typeof v.namespace === 'string'
    && Array.isArray(v.hosts) && v.hosts.length > 0 && v.hosts.every((h) => typeof h === 'string');
}

/**
 * The cluster objects a construct's props declare by typed reference (DESIGN D4): the Service of
 * every `ServiceRef` (name, namespace, ports) and the workload and Service of every
 * `IngressGateway` or `EgressGateway` (its selector labels, in its namespace), a marker for every
 * `ExternalHost.fromName` (an external host no ServiceEntry of the program declares), the Gateway
 * object of every Gateway reference (`{ name, namespace, hosts }`, e.g. `existingGateway` or a
 * route's `gateways`), and the TLS Secrets a gateway's `servers[].credentialName` (or
 * `servers[].tls.credentialName`) names (in the gateway workload's namespace). The cdk8s App-level
 * analysis takes them as external objects when the app itself holds no object of that kind,
 * namespace and name, so a route to `ServiceRef.fromName('reviews', ...)` resolves as it does in the cluster. Walks plain
 * objects and arrays of the props, a few levels deep; linear in their size. A `WaypointRef.fromName`
 * stands for its Gateway (class `istio-waypoint`). Never throws.
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
    if (isExternalHost(value)) {
      // A host a ServiceEntry of the program declares needs nothing; one named on purpose is marked.
      if (!value.serviceEntry) out.push(externalHostReference(value.host, value.ports));
      return;
    }
    // An EgressGateway is an IngressGateway with a Service: its workload and Service are assumed alike.
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
        const servicePort = (p: { name: string; port: number; targetPort: number }) => ({ name: p.name, port: p.port, targetPort: p.targetPort });
        const ports = (value.ports ?? []).map(servicePort);
        // A gateway the program installs gets the ports bound constructs require, also after this
        // call (its listener is told of past and future ones): the assumed Service follows them.
        if (isManagedGateway(value)) value.servicePorts.onPortAdded((p) => ports.push(servicePort(p)));
        out.push({
          apiVersion: 'v1', kind: 'Service', metadata: { name: value.serviceName, namespace: value.namespace, labels },
          spec: { selector: labels, ports },
        });
      }
      return;
    }
    if (isWaypointRef(value)) {
      // A waypoint named on purpose (`WaypointRef.fromName`) exists elsewhere; a Waypoint of the program is in it.
      if (value.trafficType === undefined) {
        out.push({
          apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: value.name, namespace: value.namespace },
          spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
        });
      }
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (depth > 0 && isGatewayRef(value)) {
      // A Gateway object bound by reference (`{ name, namespace, hosts }`, or a construct's `ref`):
      // assumed with the hosts it serves. Its selector matches no workload of the program, so it
      // cannot conflict with the program's own Gateways; external objects are never reported on.
      out.push({
        apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: value.name, namespace: value.namespace },
        spec: {
          selector: { 'analysis.istio-constructs/assumed-gateway': value.name },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...value.hosts] }],
        },
      });
      return;
    }
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
