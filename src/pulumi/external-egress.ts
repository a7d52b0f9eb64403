import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ErrorCode, IstioConstructError } from '../core/errors';
import { ExternalHost } from '../core/external';
import { Manifest } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { ExternalEgressProps, buildExternalEgress, hostOf } from '../patterns/external-egress';
import { Args, isInput } from './inputs';
import { Registration, register } from './register';

/**
 * The args of the Pulumi `ExternalEgress`: `ExternalEgressProps` with `pulumi.Input` leaves (see
 * `Args`), except `hosts`, which must be plain: routes name them.
 */
export type ExternalEgressArgs = Args<Omit<ExternalEgressProps, 'hosts'>> & { readonly hosts: string[] };

type CR = k8s.apiextensions.CustomResource;

/**
 * A host outside the mesh, as a Pulumi component (`istio-constructs:index:ExternalEgress`):
 * children `<name>-service-entry`, `<name>-workload-entry-<n>`, `<name>-tls-origination[-<n>]`,
 * `<name>-gateway`, `<name>-egress-gateway-destination-rule` and `<name>-virtual-service[-<n>]`.
 *
 * @throws IstioConstructError for invalid args (see `buildExternalEgress`); INPUT_NOT_ALLOWED for a
 *   host given as an Output.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 * @example
 * ```ts
 * import { EgressGateway, ExternalEgress, Protocol } from 'istio-constructs/pulumi';
 *
 * const egress = EgressGateway.fromSelector({ istio: 'egressgateway' }, {
 *   namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 80, protocol: Protocol.HTTP }],
 * });
 * // Sidecars send httpbin.org:80 to the egress gateway, which sends it on to httpbin.org.
 * export const httpbin = new ExternalEgress('httpbin', {
 *   name: 'httpbin', namespace: 'default', hosts: ['httpbin.org'],
 *   ports: [{ port: 80, protocol: Protocol.HTTP }],
 *   egressGateway: { gateway: egress },
 * });
 * ```
 */
export class ExternalEgress extends pulumi.ComponentResource {
  /** The ServiceEntry. */
  public readonly serviceEntry: CR;
  /** The WorkloadEntries, with `workloadEntries`. */
  public readonly workloadEntries: CR[];
  /** The DestinationRules that originate TLS (one per host), with `tlsOrigination`. */
  public readonly tlsOriginations: CR[];
  /** The Gateway on the egress workload, with `egressGateway`. */
  public readonly gateway?: CR;
  /** The DestinationRule of the egress gateway's Service, with `egressGateway`. */
  public readonly egressGatewayRule?: CR;
  /** The VirtualServices (one per host), with `egressGateway`. */
  public readonly virtualServices: CR[];
  /**
   * The hosts, as typed references routes can target. Known at construction: when `namespace` is
   * an Output, their ServiceEntry namespace is a placeholder until it resolves.
   */
  public readonly hosts: ExternalHost[];
  /** The objects registered, as plain JSON, once the inputs are known. */
  public get manifests(): pulumi.Output<Manifest[]> {
    return this.registration.manifests;
  }

  /** What `register` returned (its Outputs are made on first read). */
  private readonly registration: Registration<PatternOutput>;
  private readonly componentName: string;

  constructor(name: string, args: ExternalEgressArgs, opts?: pulumi.ComponentResourceOptions) {
    super('istio-constructs:index:ExternalEgress', name, {}, opts);
    const construct = `ExternalEgress ${JSON.stringify(name)}`;
    this.componentName = name;
    const hosts: unknown = (args as { hosts?: unknown } | undefined)?.hosts;
    if (Array.isArray(hosts)) {
      hosts.forEach((h, i) => {
        if (isInput(h)) {
          throw new IstioConstructError(ErrorCode.INPUT_NOT_ALLOWED, `hosts[${i}]`, 'a host is a pulumi Output, but routes name the hosts when the program runs',
            'give the hosts as plain strings', construct);
        }
      });
    }
    const registration = register(this, name, construct, args, buildExternalEgress);
    const { children, preview } = registration;
    this.registration = registration;
    const byPrefix = (prefix: string) => Object.entries(children).filter(([role]) => role === prefix || role.startsWith(`${prefix}-`)).map(([, c]) => c as CR);
    this.serviceEntry = children['service-entry'] as CR;
    this.workloadEntries = byPrefix('workload-entry');
    this.tlsOriginations = byPrefix('tls-origination');
    this.gateway = children.gateway as CR | undefined;
    this.egressGatewayRule = children['egress-gateway-destination-rule'] as CR | undefined;
    this.virtualServices = byPrefix('virtual-service');
    this.hosts = preview.hosts;
    this.registerOutputs({ serviceEntry: this.serviceEntry, gateway: this.gateway, egressGatewayRule: this.egressGatewayRule });
  }

  /**
   * The typed reference of one of the hosts.
   * @throws IstioConstructError INVALID_HOST when the component does not declare `name`.
   */
  public host(name: string): ExternalHost {
    return hostOf(this.hosts, name, this.componentName);
  }
}
