/**
 * Props arbitraries of WorkloadEgress: external hosts (declared by a ServiceEntry, or by name),
 * in-cluster Services, an egress gateway and the workloads' service accounts, built through the
 * public factories at realize time. Mostly consistent (service accounts of the workloads'
 * namespace, a gateway at EGRESS_GATEWAY), each field sometimes an edge value.
 */
import * as fc from 'fast-check';
import { EgressEnforcement, EgressGateway, ExternalHost, Protocol } from '../../src';
import { bool, edgy, enumOf, exoticString, hostname, label, labels, name, props } from './primitives';
import { Call, Leaf } from './recipe';
import { call, fakeInstance, serviceRef, tampered } from './values';

const PROTOCOLS = Object.values(Protocol) as string[];

/** Calls of the external-reference factories. */
export const externalCall = {
  host: (...args: unknown[]) => new Call('ExternalHost.fromName', ExternalHost.fromName as any, args),
  /**
   * A host as ExternalEgress declares it. `declaredBy` is internal and trusts its caller, so the
   * call is a leaf: the hostile transforms do not reach into its arguments.
   */
  declared: (...args: Parameters<typeof ExternalHost.declaredBy>) =>
    new Leaf(`ExternalHost.declaredBy(${args.map((a) => fc.stringify(a)).join(', ')})`, () => ExternalHost.declaredBy(...args)),
  egressGateway: (...args: unknown[]) => new Call('EgressGateway.fromSelector', EgressGateway.fromSelector as any, args),
};

/** An external host's ports: none (unknown), or one or two with a protocol. */
const hostPorts: fc.Arbitrary<Array<{ port: number; protocol: string }> | undefined> = fc.option(
  fc.uniqueArray(fc.constantFrom(80, 443, 8080, 5432), { minLength: 1, maxLength: 2 }).chain((ports) =>
    fc.tuple(...ports.map((port) => fc.constantFrom(...PROTOCOLS.filter((p) => p !== 'UDP')).map((protocol) => ({ port, protocol }))))),
  { nil: undefined, freq: 4 },
);

/** An ExternalHost recipe: by name (sometimes a wildcard or a bad name), or declared by a ServiceEntry. */
export const externalHost: fc.Arbitrary<unknown> = fc.tuple(
  edgy(fc.oneof(hostname, label.map((l) => `*.${l}.org`)), exoticString, fc.constantFrom('*', '1.2.3.4', 'reviews', 'db.prod.svc.cluster.local')),
  hostPorts,
  fc.option(label, { nil: undefined }),
).chain(([host, ports, seNamespace]) => {
  // declaredBy trusts its caller (ExternalEgress, which has checked the host): only realistic hosts
  const checked = typeof host === 'string' && /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.(com|org)$/.test(host);
  const recipe = seNamespace === undefined || !checked
    ? externalCall.host(host, ports ? { ports } : {})
    // what ExternalEgress passes: a checked host and resolved ports
    : externalCall.declared({ name: seNamespace, namespace: seNamespace }, host, (ports ?? []).map((p) => ({ ...p, protocol: p.protocol as Protocol, name: p.protocol.toLowerCase(), targetPort: p.port })));
  return edgy(fc.constant<unknown>(recipe), fakeInstance, tampered(fc.constant(recipe)));
});

/** An EgressGateway recipe, with HTTP and/or TLS ports (sometimes none). */
export const egressGateway: fc.Arbitrary<unknown> = fc.record({
  selector: edgy(fc.constantFrom({ istio: 'egressgateway' }, { app: 'istio-egressgateway', istio: 'egressgateway' }), labels),
  namespace: edgy(fc.constantFrom('istio-system', 'istio-egress'), exoticString),
  serviceName: edgy(fc.constantFrom('istio-egressgateway', 'egress'), exoticString),
  ports: fc.option(fc.subarray([
    { port: 80, protocol: 'HTTP2', name: 'http2' }, { port: 443, protocol: 'HTTPS', name: 'https' }, { port: 8080, protocol: 'HTTP', targetPort: 8081 },
  ]), { nil: undefined, freq: 5 }),
}).chain((r) => {
  const options: Record<string, unknown> = { namespace: r.namespace, serviceName: r.serviceName };
  if (r.ports !== undefined) options.ports = r.ports;
  const recipe = externalCall.egressGateway(r.selector, options);
  return edgy(fc.constant<unknown>(recipe), fakeInstance, tampered(fc.constant(recipe)));
});

const pods = props({ namespace: name, selector: labels }, ['namespace', 'selector']);

/** Valid-looking WorkloadEgress props. */
export const workloadEgressProps: fc.Arbitrary<unknown> = fc.tuple(label, fc.boolean(), fc.boolean()).chain(([namespace, enforced, selected]) => props({
  name,
  namespace: edgy(fc.constant(namespace), name, fc.constant('istio-system')),
  selector: selected ? labels : edgy(fc.constant(undefined), labels),
  enforcement: enforced ? edgy(fc.constant(EgressEnforcement.EGRESS_GATEWAY), enumOf(Object.values(EgressEnforcement))) : enumOf(Object.values(EgressEnforcement)),
  hosts: fc.array(externalHost, { minLength: enforced ? 1 : 0, maxLength: 3 }),
  services: fc.array(serviceRef.map((s) => s.recipe), { maxLength: 2 }),
  allowedNamespaces: fc.array(name, { maxLength: 2 }),
  allowOwnNamespace: bool,
  egressGateway: egressGateway,
  serviceAccounts: fc.array(edgy(label.map((sa) => call.serviceAccount(namespace, sa)), label.map((sa) => call.serviceAccount(`${namespace}x`, sa))), { minLength: selected ? 1 : 0, maxLength: 2 }),
  istiod: pods,
  dns: pods,
  rootNamespace: name,
}, ['name', 'namespace', ...(selected ? ['selector' as const] : []), ...(enforced ? ['enforcement' as const, 'hosts' as const, 'egressGateway' as const, ...(selected ? ['serviceAccounts' as const] : [])] : [])]));
