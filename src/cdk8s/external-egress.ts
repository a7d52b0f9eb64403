import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalHost } from '../core/external';
import { Manifest } from '../core/manifest';
import { ExternalEgressProps, buildExternalEgress, hostOf } from '../patterns/external-egress';
import { emit } from './emit';

/**
 * A host outside the mesh, as a cdk8s construct: a ServiceEntry (with WorkloadEntries), the
 * DestinationRules that originate TLS, and the Gateway, DestinationRule and VirtualServices that
 * route it through an egress gateway. Its `hosts` are typed references for routes.
 *
 * @throws IstioConstructError for invalid props (see `buildExternalEgress`).
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { ExternalEgress, Protocol, TlsOriginationMode } from 'istio-constructs/cdk8s';
 *
 * const chart = new Chart(new App(), 'egress');
 * // The application calls http://wikipedia.org; its sidecar opens TLS to wikipedia.org:443.
 * new ExternalEgress(chart, 'wikipedia', {
 *   name: 'wikipedia',
 *   namespace: 'default',
 *   hosts: ['wikipedia.org'],
 *   ports: [{ port: 80, protocol: Protocol.HTTP, targetPort: 443 }],
 *   tlsOrigination: { mode: TlsOriginationMode.SIMPLE, caCertificates: '/etc/ssl/certs/ca-certificates.crt' },
 * });
 * ```
 */
export class ExternalEgress extends Construct {
  /** The ServiceEntry. */
  public readonly serviceEntry: ApiObject;
  /** The WorkloadEntries, with `workloadEntries`. */
  public readonly workloadEntries: ApiObject[];
  /** The DestinationRules that originate TLS (one per host), with `tlsOrigination`. */
  public readonly tlsOriginations: ApiObject[];
  /** The Gateway on the egress workload, with `egressGateway`. */
  public readonly gateway?: ApiObject;
  /** The DestinationRule of the egress gateway's Service, with `egressGateway`. */
  public readonly egressGatewayRule?: ApiObject;
  /** The VirtualServices (one per host), with `egressGateway`. */
  public readonly virtualServices: ApiObject[];
  /** The hosts, as typed references routes can target. */
  public readonly hosts: ExternalHost[];
  /** The emitted objects as plain JSON. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: ExternalEgressProps) {
    super(scope, id);
    const output = buildExternalEgress(props);
    const objects = emit(this, output, props);
    const byPrefix = (prefix: string) => Object.entries(objects).filter(([role]) => role === prefix || role.startsWith(`${prefix}-`)).map(([, o]) => o);
    this.serviceEntry = objects['service-entry'];
    this.workloadEntries = byPrefix('workload-entry');
    this.tlsOriginations = byPrefix('tls-origination');
    this.gateway = objects.gateway;
    this.egressGatewayRule = objects['egress-gateway-destination-rule'];
    this.virtualServices = byPrefix('virtual-service');
    this.hosts = output.hosts;
    this.manifests = output.objects.map((o) => o.manifest);
  }

  /**
   * The typed reference of one of the hosts.
   * @throws IstioConstructError INVALID_HOST when the construct does not declare `name`.
   */
  public host(name: string): ExternalHost {
    return hostOf(this.hosts, name, this.node.id);
  }
}
