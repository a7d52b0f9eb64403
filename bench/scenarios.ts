/**
 * The programs `npm run bench` measures: for N services, the pattern props of each object the
 * program declares, grouped by namespace (one cdk8s Chart per namespace). The same props feed the
 * library constructs, the Pulumi components and the pure builders; the raw baselines get the
 * objects the builders return for them, built before the clock starts.
 */
import {
  AuthorizationAction, AuthorizationPolicyProps, CanaryServiceProps, ClientTlsMode, GatewayRef, HardenedGatewayProps,
  Manifest, MtlsMode, PeerAuthenticationProps, Protocol, ServiceRef, StringMatch,
} from '../src';
import { istioIngressGateway } from '../examples/shared';

/** Services per namespace (and so per chart). */
export const SERVICES_PER_NAMESPACE = 100;

/** One declaration of a program: which pattern, and its props (a CanaryService may bind to the namespace's gateway). */
export type Declaration =
  | { readonly pattern: 'CanaryService'; readonly id: string; readonly props: (gateway?: GatewayRef) => CanaryServiceProps<'v1' | 'v2'> }
  | { readonly pattern: 'PeerAuthentication'; readonly id: string; readonly props: PeerAuthenticationProps }
  | { readonly pattern: 'AuthorizationPolicy'; readonly id: string; readonly props: AuthorizationPolicyProps }
  | { readonly pattern: 'HardenedGateway'; readonly id: string; readonly props: HardenedGatewayProps }
  /** A Kubernetes object the program declares itself (a Service, a Deployment: the same user code in the library and raw lines). */
  | { readonly pattern: 'Object'; readonly id: string; readonly manifest: Manifest };

/** The declarations of one namespace, in declaration order (a HardenedGateway comes before the services bound to it). */
export interface NamespaceProgram {
  readonly namespace: string;
  readonly declarations: readonly Declaration[];
}

/** A benchmark scenario: a name, a sentence, and its program for N services. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly program: (services: number) => NamespaceProgram[];
}

function serviceRef(name: string, namespace: string): ServiceRef {
  return ServiceRef.fromName(name, { namespace, ports: [{ port: 8080, protocol: Protocol.HTTP }] });
}

/** A canary of one service: v1 90%, v2 10%, one header match routed to v2. */
function canary(name: string, namespace: string, extra: Partial<CanaryServiceProps<'v1' | 'v2'>> = {}): CanaryServiceProps<'v1' | 'v2'> {
  return {
    service: serviceRef(name, namespace),
    versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
    routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('tester') } }], to: 'v2' }],
    ...extra,
  };
}

/** The Kubernetes Service of one service: selects `app: <name>`, port 8080 named http. */
function service(name: string, namespace: string): Declaration {
  return {
    pattern: 'Object',
    id: `${name}-service`,
    manifest: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] },
    },
  };
}

function namespaces(services: number): Array<{ namespace: string; names: string[] }> {
  const out: Array<{ namespace: string; names: string[] }> = [];
  for (let start = 0; start < services; start += SERVICES_PER_NAMESPACE) {
    const namespace = `bench-${out.length}`;
    const names: string[] = [];
    for (let i = start; i < Math.min(services, start + SERVICES_PER_NAMESPACE); i++) names.push(`svc-${i}`);
    out.push({ namespace, names });
  }
  return out;
}

/** Plain CanaryServices: two versions, one match route, no TLS (and the Service each routes to). */
export const plain: Scenario = {
  name: 'plain',
  description: 'Service + CanaryService per service (v1 90% / v2 10%, one header match route, no TLS)',
  program: (services) => namespaces(services).map(({ namespace, names }) => ({
    namespace,
    declarations: names.flatMap((name): Declaration[] => [service(name, namespace), { pattern: 'CanaryService', id: name, props: () => canary(name, namespace) }]),
  })),
};

/**
 * The mixed program (every service also declares its Kubernetes Service; the ingress gateway's
 * Deployment, Service and TLS Secrets in istio-system): per namespace a STRICT PeerAuthentication and a HardenedGateway (HTTPS, one
 * host per bound service); per service a CanaryService with ISTIO_MUTUAL client TLS; every 10th
 * service bound to the namespace's gateway; every 5th service an ALLOW AuthorizationPolicy.
 */
/**
 * The ingress gateway installation the mixed program's HardenedGateways select (`istio:
 * ingressgateway` in istio-system): its Deployment and Service, declared by the program as an
 * installation would, so the analysis finds the workload and its ports.
 */
/**
 * A self-signed certificate for `*.example.com`, valid until 2125, that the gateways' TLS Secrets
 * hold (the analysis parses it). Its private key was thrown away: the Secrets' `tls.key` is a
 * placeholder, which nothing at synth time reads.
 */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUVxvob/P0xCpcoUuH5qhPW1A9kM4wCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNKi5leGFtcGxlLmNvbTAgFw0yNjExMjIwNDQxNDlaGA8yMTI2
MTAyOTA0NDE0OVowGDEWMBQGA1UEAwwNKi5leGFtcGxlLmNvbTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABGnPqDLhsIrczkOaD14S/shdV5eW++PSxGRWl0AuQClY
fHQ77fr+VyKXceBDDD3iqMl+VjS4sNuzJjN30JXhcdijUzBRMB0GA1UdDgQWBBRX
REHVzcmjkrKmskPeoG9UvprcAjAfBgNVHSMEGDAWgBRXREHVzcmjkrKmskPeoG9U
vprcAjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIEH7h1bFslkL
ETjw9OqvzOzF/W0Zm3enM60J0WRCAfiFAiEAmUsc7TfRK7gqss1YM5Yngm/45Jjw
wChrlBdnZmMwwUo=
-----END CERTIFICATE-----
`;

/** The TLS Secret a namespace's HardenedGateway names, in the gateway workload's namespace. */
function tlsSecret(name: string): Declaration {
  return {
    pattern: 'Object',
    id: `${name}-secret`,
    manifest: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'istio-system' },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': CERTIFICATE, 'tls.key': 'placeholder (the bench never serves TLS)' },
    } as Manifest,
  };
}

function ingressInstallation(services: number): NamespaceProgram {
  const namespace = 'istio-system';
  const labels = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  return {
    namespace,
    declarations: [
      {
        pattern: 'Object',
        id: 'ingressgateway-deployment',
        manifest: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'istio-ingressgateway', namespace },
          spec: {
            selector: { matchLabels: labels },
            template: {
              metadata: { labels, annotations: { 'inject.istio.io/templates': 'gateway' } },
              spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
            },
          },
        },
      },
      {
        pattern: 'Object',
        id: 'ingressgateway-service',
        manifest: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'istio-ingressgateway', namespace },
          spec: {
            type: 'LoadBalancer',
            selector: labels,
            ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }],
          },
        },
      },
      ...namespaces(services).map(({ namespace }) => tlsSecret(`${namespace}-tls`)),
    ],
  };
}

export const mixed: Scenario = {
  name: 'mixed',
  description: 'per namespace of 100 services: PeerAuthentication STRICT + HardenedGateway; per service: CanaryService with ISTIO_MUTUAL; 1 in 10 bound to the gateway, 1 in 5 with an AuthorizationPolicy',
  program: (services) => [ingressInstallation(services), ...namespaces(services).map(({ namespace, names }) => {
    const bound = names.filter((_, i) => i % 10 === 0);
    const host = (name: string) => `${name}.${namespace}.example.com`;
    const declarations: Declaration[] = [
      { pattern: 'PeerAuthentication', id: 'mtls', props: { namespace, mode: MtlsMode.STRICT } },
      {
        pattern: 'HardenedGateway',
        id: 'gateway',
        props: {
          name: `${namespace}-gateway`,
          namespace,
          gateway: istioIngressGateway(),
          servers: [{ hosts: bound.map(host), credentialName: `${namespace}-tls` }],
        },
      },
    ];
    names.forEach((name, i) => {
      declarations.push(service(name, namespace), {
        pattern: 'CanaryService',
        id: name,
        props: (gateway) => canary(name, namespace, {
          trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } },
          ...(i % 10 === 0 && gateway ? { gateway: { existingGateway: gateway, hosts: [host(name)] } } : {}),
        }),
      });
      if (i % 5 === 0) {
        declarations.push({
          pattern: 'AuthorizationPolicy',
          id: `${name}-viewers`,
          props: {
            name: `${name}-viewers`,
            namespace,
            selector: { app: name },
            action: AuthorizationAction.ALLOW,
            rules: [{ from: [{ namespaces: [namespace, 'istio-system'] }], to: [{ methods: ['GET', 'HEAD'] }] }],
          },
        });
      }
    });
    return { namespace, declarations };
  })],
};

/** Every scenario, in table order. */
export const SCENARIOS: readonly Scenario[] = [plain, mixed];
