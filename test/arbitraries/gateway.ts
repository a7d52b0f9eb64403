/**
 * Props arbitraries of the plain Gateway (`buildGateway`) for the fuzz table: servers on ports the
 * workload mostly exposes, each protocol with TLS settings mostly fitting its mode, and edge values
 * (shared ports, wrong modes, file paths, unknown cipher suites) that must be refused cleanly.
 */
import * as fc from 'fast-check';
import { routingTarget } from './parts';
import { GatewayTlsMode, Protocol, TlsVersion } from '../../src';
import { secretName } from './parts';
import { bool, edgy, enumOf, exoticString, host, name, props } from './primitives';
import { gatewayHosts, ingressGateway, portNumber } from './values';

const PORTS = [80, 443, 31400, 15443];

const cipherSuites = edgy(fc.uniqueArray(fc.constantFrom('ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'AES128-SHA', '-AES128-SHA'), { minLength: 1, maxLength: 2 }),
  fc.constantFrom([], [''], ['NOT-A-CIPHER'], ['AES128-SHA', 'AES128-SHA']), fc.array(exoticString, { maxLength: 2 }));
const filePath = edgy(fc.constantFrom('/etc/istio/certs/tls.crt', '/etc/istio/certs/tls.key', '/etc/istio/certs/ca.crt'), exoticString, fc.constantFrom('tls.crt', '', '/a b'));

/** TLS settings for `mode`: mostly the fields the mode takes, sometimes others. */
function tls(mode: string): fc.Arbitrary<unknown> {
  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  const viaFiles = fc.boolean();
  return viaFiles.chain((files) => props({
    mode: edgy(fc.constant(mode), enumOf(Object.values(GatewayTlsMode)), fc.constant('AUTO_PASSTHROUGH')),
    credentialName: terminating && !files ? secretName : edgy(fc.constant(undefined), secretName),
    serverCertificate: terminating && files ? filePath : edgy(fc.constant(undefined), filePath),
    privateKey: terminating && files ? filePath : edgy(fc.constant(undefined), filePath),
    caCertificates: terminating && files && mode !== 'SIMPLE' ? filePath : edgy(fc.constant(undefined), filePath),
    subjectAltNames: mode === 'SIMPLE' || mode === 'PASSTHROUGH' ? edgy(fc.constant(undefined), fc.constant(['a'])) : edgy(fc.constantFrom(['spiffe://cluster.local/ns/a/sa/b'], ['client.example.com']), fc.constant([]), fc.array(exoticString, { maxLength: 2 })),
    minProtocolVersion: terminating ? enumOf(Object.values(TlsVersion)) : edgy(fc.constant(undefined), enumOf(Object.values(TlsVersion))),
    cipherSuites: terminating ? cipherSuites : edgy(fc.constant(undefined), cipherSuites),
  }, ['mode', ...(terminating && !files ? ['credentialName' as const] : []), ...(terminating && files ? ['serverCertificate' as const, 'privateKey' as const] : []),
    ...(terminating && files && mode !== 'SIMPLE' ? ['caCertificates' as const] : [])]));
}

/** One server on `port`. */
function server(port: number): fc.Arbitrary<unknown> {
  const plainHttp = fc.constantFrom(Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC);
  return fc.oneof(
    fc.tuple(plainHttp, gatewayHosts).chain(([protocol, hosts]) => props({
      port: edgy(fc.constant(port), portNumber),
      protocol: edgy(fc.constant(protocol), enumOf(Object.values(Protocol))),
      hosts: edgy(fc.constant(hosts), fc.array(host, { maxLength: 2 }), fc.constant(['*'])),
      portName: edgy(name, fc.constantFrom('http', 'HTTP_1')),
      httpsRedirect: bool,
      tls: edgy(fc.constant(undefined), tls('SIMPLE')),
    }, ['port', 'protocol', 'hosts'])),
    fc.tuple(fc.constantFrom(Protocol.HTTPS, Protocol.TLS), gatewayHosts, fc.constantFrom(...Object.values(GatewayTlsMode))).chain(([protocol, hosts, mode]) => props({
      port: edgy(fc.constant(port), portNumber),
      protocol: fc.constant(protocol),
      hosts: edgy(fc.constant(hosts), fc.array(host, { maxLength: 2 }), fc.constant(['*.example.com'])),
      portName: name,
      tls: edgy(tls(mode), fc.constant(undefined)),
      httpsRedirect: edgy(fc.constant(undefined), bool),
    }, ['port', 'protocol', 'hosts', 'tls'])),
    props({
      port: edgy(fc.constant(port), portNumber),
      protocol: fc.constant(Protocol.TCP),
      hosts: edgy(fc.constant(undefined), fc.constant(['*']), gatewayHosts, fc.constant(['*.example.com'])),
      portName: name,
    }, ['port', 'protocol']),
  );
}

/** Valid-looking Gateway props: mostly one server per exposed port, sometimes several on one port. */
export const gatewayProps: fc.Arbitrary<unknown> = fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 4 }).chain((ports) => props({
  name,
  namespace: name,
  workload: ingressGateway(PORTS),
  servers: edgy(fc.tuple(...ports.map(server)), fc.constant([]), fc.tuple(server(443), server(443))),
  allowWildcardHosts: bool,
  target: routingTarget,
}, ['name', 'workload', 'servers']));
