/**
 * S7, egress half (seed 000, "Setting up Istio TLS Connections"): the application calls
 * `http://wikipedia.org` (plain HTTP on port 80) and its sidecar opens TLS to wikipedia.org:443,
 * so the application needs no TLS code of its own.
 *
 * Corrected seed mistakes: the seed's ServiceEntry `se-app` declares port 443 as HTTPS and its
 * DestinationRule `tls-app` originates SIMPLE TLS to the same host: an application that already
 * speaks TLS to 443 would be encrypted twice, and one that speaks HTTP to 443 is not what port 443
 * carries. Here the ServiceEntry's port is HTTP 80 with `targetPort: 443`, and the DestinationRule
 * (named `se-app-tls` after the ServiceEntry) originates SIMPLE TLS on that port only, with the
 * SNI `wikipedia.org` and the proxy image's CA bundle to verify the server (without one istioctl
 * reports IST0129 and the builder warns). The seed's props are refused (`seedTlsOrigination`,
 * test/examples.test.ts).
 */
import { ExternalEgressProps, Protocol, ServiceEntryResolution, TlsOriginationMode } from '../../src';

export const stages = ['tls-origination'] as const;

export const tlsOrigination: ExternalEgressProps = {
  name: 'se-app',
  namespace: 'default',
  hosts: ['wikipedia.org'],
  ports: [{ port: 80, protocol: Protocol.HTTP, name: 'http', targetPort: 443 }],
  resolution: ServiceEntryResolution.DNS,
  tlsOrigination: {
    mode: TlsOriginationMode.SIMPLE,
    sni: 'wikipedia.org',
    // The CA bundle of Istio's proxy image (Debian/Ubuntu layout).
    caCertificates: '/etc/ssl/certs/ca-certificates.crt',
  },
};

/** The seed's ServiceEntry and DestinationRule as props: HTTPS 443 plus SIMPLE origination (double TLS). */
export const seedTlsOrigination: ExternalEgressProps = {
  name: 'se-app',
  namespace: 'default',
  hosts: ['wikipedia.org'],
  ports: [{ port: 443, protocol: Protocol.HTTPS, name: 'https' }],
  resolution: ServiceEntryResolution.DNS,
  tlsOrigination: { mode: TlsOriginationMode.SIMPLE, port: 443 },
};
