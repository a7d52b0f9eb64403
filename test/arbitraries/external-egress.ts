/**
 * Arbitraries of ExternalEgress props: `egressProps` (valid-looking recipes with edge values, for
 * the fuzz table), `validEgressProps` (strictly valid props: the build must succeed) and
 * `invalidEgressProps` (valid props with one rule broken: the build must refuse them).
 */
import * as fc from 'fast-check';
import { EgressGateway, Protocol, ServiceEntryResolution, TlsOriginationMode } from '../../src';
import { bool, edgy, enumOf, exoticString, host, label, labels, name, props } from './primitives';
import { Call } from './recipe';
import { fakeInstance, portNumber } from './values';
import { waypointRef } from './waypoint';

const egressGatewayCall = (...args: unknown[]) => new Call('EgressGateway.fromSelector', EgressGateway.fromSelector as any, args);

const exactHost = fc.tuple(label, label).map(([a, b]) => `${a}.${b}.example.com`);
const wildcardHost = label.map((l) => `*.${l}.wild.example`);
const PROTOCOLS = Object.values(Protocol) as string[];

/** An egress gateway exposing `ports` (sometimes not, or forged). */
function egressGateway(ports: number[]): fc.Arbitrary<unknown> {
  return fc.record({
    selector: edgy(fc.constantFrom({ istio: 'egressgateway' }, { 'gateway-name': 'egress', 'gateway-type': 'egress' }), labels),
    namespace: edgy(fc.constantFrom('istio-system', 'default', 'egress'), exoticString),
    serviceName: edgy(fc.constantFrom('istio-egressgateway', 'egress'), name),
    known: edgy(fc.constant(true), fc.constant(false)),
  }).chain((r) => edgy(fc.constant<unknown>(egressGatewayCall(r.selector, {
    namespace: r.namespace, serviceName: r.serviceName, ...(r.known ? { ports: ports.map((port) => ({ port, protocol: Protocol.HTTP })) } : {}),
  })), fakeInstance));
}

const endpoint = props({
  address: edgy(fc.constantFrom('10.0.0.1', '192.168.1.7', '2001:db8::1', 'backend.example.com'), host),
  ports: edgy(fc.constantFrom({ 443: 8443 }, { 80: 8080 }), fc.constantFrom({}, { 1: 0 }, { 70000: 1 })),
  weight: edgy(fc.integer({ min: 1, max: 100 }), fc.constantFrom(0, -1, 1.5, 4294967296)),
  locality: edgy(fc.constantFrom('us-east1', 'us-east1/us-east1-b', 'eu/west/1'), exoticString, fc.constantFrom('a//b', 'a/b/c/d')),
  network: edgy(fc.constantFrom('network1', 'vpc-2'), exoticString),
  labels,
}, ['address']);

/** Valid-looking ExternalEgress props recipes (fuzz table). */
export const egressProps: fc.Arbitrary<unknown> = fc.tuple(
  fc.uniqueArray(fc.constantFrom(80, 443, 3306, 8080, 9000), { minLength: 1, maxLength: 3 }),
  fc.boolean(),
  label,
).chain(([ports, viaGateway, ns]) => props({
  name,
  namespace: edgy(fc.constant(ns), name),
  hosts: edgy(fc.uniqueArray(fc.oneof(exactHost, wildcardHost), { minLength: 1, maxLength: 3 }), fc.array(host, { maxLength: 3 })),
  ports: fc.tuple(...ports.map((port) => props({
    port: edgy(fc.constant(port), portNumber),
    protocol: edgy(fc.constantFrom('HTTP', 'TLS', 'HTTPS', 'TCP'), enumOf(PROTOCOLS)),
    name: edgy(fc.constant(undefined), exoticString, fc.constantFrom('http-x', 'tls', 'web')),
    targetPort: edgy(fc.constantFrom(443, 8443), portNumber),
  }, ['port', 'protocol']))),
  resolution: enumOf(Object.values(ServiceEntryResolution)),
  location: enumOf(['MESH_EXTERNAL', 'MESH_INTERNAL']),
  addresses: edgy(fc.constantFrom(['10.1.2.3'], ['10.0.0.0/24'], ['2001:db8::/64']), fc.array(exoticString, { maxLength: 2 })),
  endpoints: fc.array(endpoint, { maxLength: 3 }),
  workloadEntries: fc.array(endpoint, { maxLength: 2 }),
  exportTo: edgy(fc.constantFrom(['.'], ['*'], ['.', 'istio-system']), fc.array(exoticString, { maxLength: 2 }), fc.constantFrom([], ['*', '.'], ['.', '.'])),
  tlsOrigination: props({
    mode: enumOf(Object.values(TlsOriginationMode)),
    port: edgy(fc.constantFrom(...ports), portNumber),
    sni: edgy(exactHost, host),
    caCertificates: edgy(fc.constant('/etc/certs/ca.pem'), exoticString),
    credentialName: edgy(fc.constantFrom('client-credential', 'egress-ca'), exoticString),
    subjectAltNames: fc.array(edgy(exactHost, exoticString), { maxLength: 2 }),
    insecureSkipVerify: bool,
    workloadSelector: labels,
  }),
  egressGateway: viaGateway ? props({
    gateway: egressGateway(ports),
    port: edgy(fc.constantFrom(...ports), portNumber),
    gatewayPort: edgy(fc.constantFrom(...ports), portNumber),
    gatewayName: name,
    gatewayNamespace: name,
  }, ['gateway']) : fc.constant(undefined),
  // ambient: through a waypoint (the construct's namespace's, or istio-egress's)
  waypoint: viaGateway ? edgy(fc.constant(undefined), waypointRef(ns)) : fc.constantFrom(ns, 'istio-egress').chain((wns) => waypointRef(wns)),
}, ['name', 'namespace', 'hosts', 'ports', ...(viaGateway ? ['egressGateway' as const] : [])]));

// ---------------------------------------------------------------------------------------------
// Strictly valid props, and single-rule breakages, for the property test

type Scenario = 'dns' | 'none' | 'static' | 'dynamic' | 'workload-entries' | 'sidecar-origination' | 'gateway-http' | 'gateway-tls' | 'gateway-origination';
const SCENARIOS: Scenario[] = ['dns', 'none', 'static', 'dynamic', 'workload-entries', 'sidecar-origination', 'gateway-http', 'gateway-tls', 'gateway-origination'];

const ip = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .map((p) => p.join('.'));

/** Strictly valid ExternalEgress props (plain values and real references), and their scenario. */
export const validEgressProps: fc.Arbitrary<{ scenario: Scenario; props: any }> = fc.record({
  scenario: fc.constantFrom(...SCENARIOS),
  name: label,
  namespace: fc.constantFrom<string>('default', 'apps', 'prod'),
  exact: fc.uniqueArray(exactHost, { minLength: 1, maxLength: 3 }),
  wildcards: fc.uniqueArray(wildcardHost, { minLength: 1, maxLength: 2 }),
  ips: fc.uniqueArray(ip, { minLength: 1, maxLength: 3 }),
  extraPort: fc.option(fc.constantFrom(8080, 9443), { nil: undefined }),
  gatewayNamespace: fc.constantFrom<string>('istio-system', 'egress', 'default'),
  exportAll: fc.boolean(),
}).map((r) => {
  const tls = { port: 443, protocol: Protocol.TLS };
  const http = { port: 80, protocol: Protocol.HTTP };
  const extra = r.extraPort === 9443 ? [{ port: 9443, protocol: Protocol.TLS }] : r.extraPort === 8080 ? [{ port: 8080, protocol: Protocol.HTTP2 }] : [];
  const base = { name: r.name, namespace: r.namespace };
  const gateway = (port: number) => EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: r.gatewayNamespace, serviceName: 'istio-egressgateway', ports: [{ port, protocol: Protocol.HTTP }] });
  const exportTo = r.exportAll ? undefined : ['.', r.gatewayNamespace === r.namespace ? undefined : r.gatewayNamespace].filter((x): x is string => x !== undefined);
  let props: any;
  switch (r.scenario) {
    case 'dns': props = { ...base, hosts: r.exact, ports: [tls, ...extra] }; break;
    case 'none': props = { ...base, hosts: [...r.exact, ...r.wildcards], ports: [tls, { port: 3306, protocol: Protocol.TCP }], addresses: ['10.20.0.0/16'], resolution: ServiceEntryResolution.NONE }; break;
    case 'static': props = { ...base, hosts: r.exact.slice(0, 1), ports: [tls, http], endpoints: r.ips.map((address, i) => ({ address, weight: i + 1, ports: { 443: 8443 } })) }; break;
    case 'dynamic': props = { ...base, hosts: r.wildcards, ports: [tls, http], resolution: ServiceEntryResolution.DYNAMIC_DNS }; break;
    case 'workload-entries': props = { ...base, hosts: r.exact.slice(0, 1), ports: [http], workloadEntries: r.ips.map((address) => ({ address, labels: { zone: 'a' } })), location: 'MESH_INTERNAL' }; break;
    case 'sidecar-origination': props = { ...base, hosts: r.exact, ports: [{ ...http, targetPort: 443 }, tls], tlsOrigination: { caCertificates: '/etc/certs/ca.pem' } }; break;
    case 'gateway-http': props = { ...base, hosts: r.exact, ports: [http, ...extra], exportTo, egressGateway: { gateway: gateway(80), port: 80 } }; break;
    case 'gateway-tls': props = { ...base, hosts: r.exact, ports: [tls], exportTo, egressGateway: { gateway: gateway(443) } }; break;
    case 'gateway-origination': props = { ...base, hosts: r.exact, ports: [{ ...http, targetPort: 443 }], exportTo, egressGateway: { gateway: gateway(80) }, tlsOrigination: { mode: TlsOriginationMode.SIMPLE, credentialName: 'egress-ca' } }; break;
  }
  return { scenario: r.scenario, props };
});

/** One broken rule per case: a change of valid props the build must refuse. */
const BREAKAGES: Array<[string, (p: any) => any]> = [
  ['a host "*"', (p) => ({ ...p, hosts: ['*'] })],
  ['an IP as host', (p) => ({ ...p, hosts: ['10.0.0.1'] })],
  ['a short host', (p) => ({ ...p, hosts: ['httpbin'] })],
  ['a host twice', (p) => ({ ...p, hosts: [p.hosts[0], p.hosts[0]] })],
  ['no ports', (p) => ({ ...p, ports: [] })],
  ['a UDP port', (p) => ({ ...p, ports: [...p.ports, { port: 53, protocol: Protocol.UDP }] })],
  ['a port twice', (p) => ({ ...p, ports: [...p.ports, p.ports[0]] })],
  ['STATIC without endpoints', (p) => ({ ...p, resolution: ServiceEntryResolution.STATIC, endpoints: undefined, workloadEntries: undefined })],
  ['DYNAMIC_DNS with an exact host', (p) => ({ ...p, hosts: ['api.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, endpoints: undefined, workloadEntries: undefined })],
  ['DYNAMIC_DNS with addresses', (p) => ({ ...p, hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, addresses: ['10.0.0.1'], endpoints: undefined, workloadEntries: undefined })],
  ['a bad address', (p) => ({ ...p, addresses: ['10.0.0.0/33'] })],
  ['a bad exportTo', (p) => ({ ...p, exportTo: ['Not A Namespace'] })],
  ['an unknown prop', (p) => ({ ...p, resolutoin: 'DNS' })],
  ['origination on a TLS port (double TLS)', (p) => ({ ...p, ports: [{ port: 443, protocol: Protocol.HTTPS }], tlsOrigination: { port: 443 } })],
  ['NONE through an egress gateway', (p) => ({ ...p, resolution: ServiceEntryResolution.NONE, endpoints: undefined, workloadEntries: undefined, addresses: undefined, egressGateway: { gateway: EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: 'istio-system', serviceName: 'egress', ports: [{ port: 443 }, { port: 80 }] }), port: p.ports[0].port } })],
];

/** Valid props with one rule broken, and the rule's name. */
export const invalidEgressProps: fc.Arbitrary<{ broken: string; props: any }> = fc.tuple(validEgressProps, fc.constantFrom(...BREAKAGES))
  .map(([v, [broken, change]]) => ({ broken, props: change(v.props) }));
