import { ErrorCode, HardenedGatewayProps, HeaderHygiene, IngressGateway, Protocol, ServerTlsMode, ServiceRef, TlsVersion, buildHardenedGateway, manifestsOf, Duration } from '../src';
import { buildCanaryService } from '../src';
import { HardenedGateway } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system', serviceName: 'istio-ingressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }],
});
const blog = ServiceRef.fromName('wordpress', { namespace: 'default', ports: [{ port: 80, protocol: Protocol.HTTP }] });
// dedicatedGateway: these tests cover the workload-wide defaults; test/semantics.test.ts covers a shared gateway.
const base: HardenedGatewayProps = { name: 'blog', gateway: ingress, dedicatedGateway: true, backend: blog, servers: [{ hosts: ['blog.example.com'], credentialName: 'blog-cert' }] };

describe('HardenedGateway', () => {
  test('secure defaults: HTTPS with TLS 1.2 minimum, redirect-only HTTP, HSTS, header hygiene, default deny', () => {
    const objects = synth((chart) => new HardenedGateway(chart, 'blog', base));
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const gw = find(objects, 'Gateway', 'blog');
    expect(gw.spec.servers).toEqual([
      { port: { number: 443, name: 'https-443', protocol: 'HTTPS' }, hosts: ['blog.example.com'], tls: { mode: 'SIMPLE', credentialName: 'blog-cert', minProtocolVersion: 'TLSV1_2' } },
      { port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['blog.example.com'], tls: { httpsRedirect: true } },
    ]);
    const vs = find(objects, 'VirtualService', 'blog');
    expect(vs.spec.gateways).toEqual(['istio-system/blog']);
    expect(vs.spec.http[0].headers).toEqual({ response: { set: { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } } });
    const ef = find(objects, 'EnvoyFilter', 'blog-header-hygiene');
    expect(ef.spec.workloadSelector).toEqual({ labels: { istio: 'ingressgateway' } });
    expect(JSON.stringify(ef.spec)).toContain('server_header_transformation');
    expect(JSON.stringify(ef.spec)).toContain('suppress_envoy_headers');
    expect(find(objects, 'AuthorizationPolicy', 'blog-deny-all').spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } } });
    expect(find(objects, 'AuthorizationPolicy', 'blog-allow').spec.rules).toEqual([{ to: [{ operation: { hosts: ['blog.example.com', 'blog.example.com:*'] } }] }]);
  });

  test('every default can be overridden', () => {
    const out = buildHardenedGateway({
      ...base,
      servers: [{ hosts: ['api.example.com'], credentialName: 'api-cert', mode: ServerTlsMode.MUTUAL }],
      minProtocolVersion: TlsVersion.TLSV1_3,
      cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'],
      httpsRedirect: false,
      hsts: { maxAge: Duration.hours(1), includeSubDomains: false, preload: true },
      headerHygiene: HeaderHygiene.OFF,
      allow: [{ from: [{ ipBlocks: ['203.0.113.0/24'] }], to: [{ methods: ['GET'], paths: ['/api/*'] }] }],
    });
    expectValid(manifestsOf(out));
    expect(out.gateway.spec.servers).toHaveLength(1);
    expect(out.gateway.spec.servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: 'api-cert', minProtocolVersion: 'TLSV1_3', cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'] });
    expect(out.virtualService!.spec.http[0].headers.response.set['strict-transport-security']).toBe('max-age=3600; preload');
    expect(out.envoyFilter).toBeUndefined();
    expect(out.allowPolicy!.spec.rules[0].from).toEqual([{ source: { ipBlocks: ['203.0.113.0/24'] } }]);
    expect(buildHardenedGateway({ ...base, hsts: false, allow: false }).objects.map((o) => o.role)).toEqual(['gateway', 'virtual-service', 'header-hygiene']);
  });

  test.each<[string, HardenedGatewayProps, ErrorCode, string]>([
    ['a wildcard host without opt-in', { ...base, servers: [{ hosts: ['*.example.com'], credentialName: 'c' }] }, ErrorCode.WILDCARD_HOST, 'servers[0].hosts[0]'],
    ['a server without credentials', { ...base, servers: [{ hosts: ['a.example.com'], credentialName: '' }] }, ErrorCode.INVALID_TLS, 'servers[0].credentialName'],
    ['a MUTUAL server without credentials', { ...base, servers: [{ hosts: ['a.example.com'], mode: ServerTlsMode.MUTUAL } as any] }, ErrorCode.INVALID_TLS, 'servers[0].credentialName'],
    ['one host on two certificates', { ...base, servers: [{ hosts: ['a.example.com'], credentialName: 'c1' }, { hosts: ['a.example.com'], credentialName: 'c2' }] }, ErrorCode.INVALID_HOST, 'servers[1].hosts'],
    ['TLS below 1.2', { ...base, minProtocolVersion: 'TLSV1_0' as TlsVersion }, ErrorCode.INVALID_TLS, 'minProtocolVersion'],
    ['a port the gateway Service does not expose', { ...base, servers: [{ hosts: ['a.example.com'], credentialName: 'c', port: 8443 }] }, ErrorCode.GATEWAY_PORT_NOT_EXPOSED, 'port'],
    ['no servers', { ...base, servers: [] }, ErrorCode.HOSTS_REQUIRED, 'servers'],
  ])('%s is refused', (_t, props, code, path) => {
    const e = errorOf(() => buildHardenedGateway(props));
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('dedicated gateway workload', () => {
  test('Deployment with gateway injection and pod hardening, Service, ServiceAccount, PDB, HPA; headers removed by proxy configuration', () => {
    const objects = synth((chart) => new HardenedGateway(chart, 'edge', {
      name: 'edge', backend: blog, servers: [{ hosts: ['blog.example.com'], credentialName: 'blog-cert' }],
      workload: { name: 'edge-gateway', namespace: 'edge' },
    }));
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const deployment = find(objects, 'Deployment', 'edge-gateway');
    const pod = deployment.spec.template;
    expect(pod.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(JSON.parse(pod.metadata.annotations['proxy.istio.io/config'])).toEqual({ proxyHeaders: { server: { disabled: true }, envoyDebugHeaders: { disabled: true } } });
    const container = pod.spec.containers[0];
    expect([container.image, pod.spec.securityContext.runAsNonRoot, container.securityContext]).toEqual(['auto', true, {
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] },
    }]);
    expect(Object.keys(container.resources)).toEqual(['limits', 'requests']);
    expect(pod.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    expect(find(objects, 'HorizontalPodAutoscaler', 'edge-gateway').spec.minReplicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'edge-gateway').spec.minAvailable).toBe(1);
    const svc = find(objects, 'Service', 'edge-gateway');
    expect([svc.spec.type, svc.spec.externalTrafficPolicy, svc.spec.ports.map((p: any) => [p.name, p.port])]).toEqual(['LoadBalancer', 'Local', [['http2', 80], ['https', 443]]]);
    expect(find(objects, 'Gateway', 'edge').spec.selector).toEqual({ istio: 'edge-gateway' });
    expect(objects.filter((m) => m.kind === 'EnvoyFilter')).toEqual([]);
    expect(find(objects, 'AuthorizationPolicy', 'edge-deny-all').metadata.namespace).toBe('edge');
  });

  test('before Istio 1.20 the EnvoyFilter is used even for a dedicated workload', () => {
    const out = buildHardenedGateway({ ...base, gateway: undefined, workload: { name: 'edge', namespace: 'edge' }, istioVersion: '1.19' });
    expect(out.envoyFilter).toBeDefined();
    expect(out.proxyConfig).toBeUndefined();
  });

  test.each<[string, Partial<HardenedGatewayProps>, ErrorCode, string]>([
    ['one replica', { gateway: undefined, workload: { name: 'e', namespace: 'e', minReplicas: 1 } }, ErrorCode.CONFLICTING_PROPS, 'workload.minReplicas'],
    ['proxy configuration without owning the workload', { headerHygiene: HeaderHygiene.PROXY_CONFIG }, ErrorCode.CONFLICTING_PROPS, 'headerHygiene'],
    ['both an existing gateway and a workload', { workload: { name: 'e', namespace: 'e' } }, ErrorCode.CONFLICTING_PROPS, ''],
    ['a bad resource quantity', { gateway: undefined, workload: { name: 'e', namespace: 'e', resources: { cpuLimit: 'lots' } } }, ErrorCode.CONFLICTING_PROPS, 'workload.resources.cpuLimit'],
  ])('%s is refused', (_t, extra, code, path) => {
    const e = errorOf(() => buildHardenedGateway({ ...base, ...extra }));
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('binding routes to an existing Gateway', () => {
  const ref = buildHardenedGateway({ ...base, servers: [{ hosts: ['*.example.com'], credentialName: 'wild' }], allowWildcardHosts: true }).ref;

  test('a CanaryService binds to the HardenedGateway by reference, without a Gateway of its own', () => {
    const out = buildCanaryService({ service: blog, versions: [{ name: 'v1', weight: 1 }], gateway: { existingGateway: ref, hosts: ['blog.example.com'] } });
    expect(out.gateway).toBeUndefined();
    expect(out.virtualService!.spec.gateways).toEqual(['istio-system/blog', 'mesh']);
  });

  test('a host the Gateway does not serve is refused (the 404 class)', () => {
    const e = errorOf(() => buildCanaryService({ service: blog, versions: [{ name: 'v1', weight: 1 }], gateway: { existingGateway: ref, hosts: ['blog.other.org'] } }));
    expect([e.code, e.path]).toEqual([ErrorCode.HOST_NOT_IN_GATEWAY, 'gateway.hosts[0]']);
  });

  test('both a workload and an existing Gateway is refused', () => {
    const e = errorOf(() => buildCanaryService({ service: blog, versions: [{ name: 'v1', weight: 1 }], gateway: { gateway: ingress, existingGateway: ref, hosts: ['blog.example.com'] } }));
    expect(e.code).toBe(ErrorCode.CONFLICTING_PROPS);
  });
});
