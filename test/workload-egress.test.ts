import * as fc from 'fast-check';
import {
  EgressEnforcement, EgressGateway, ErrorCode, ExternalHost, IstioConstructError, Protocol, ServiceAccountRef, ServiceRef,
  WorkloadEgressProps, buildWorkloadEgress, manifestsOf, validateManifests,
} from '../src';
import { WorkloadEgress } from '../src/cdk8s';
import { WorkloadEgress as PulumiWorkloadEgress } from '../src/pulumi';
import { errorOf, expectValid, find, runPulumi, setPulumiMocks, synth } from './helpers';

// S11: the egress gateway `egress` (the gateway chart's ports: the Service port is the container port).
const egress = EgressGateway.fromSelector({ 'gateway-name': 'egress', 'gateway-type': 'egress' }, {
  namespace: 'default', serviceName: 'egress', ports: [{ port: 80, protocol: Protocol.HTTP, name: 'http' }],
});
const istioEgress = EgressGateway.fromSelector({ istio: 'egressgateway' }, {
  namespace: 'istio-system', serviceName: 'istio-egressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2', targetPort: 8080 }, { port: 443, protocol: Protocol.HTTPS, name: 'https', targetPort: 8443 }],
});
// What ExternalEgress hands out: hosts declared by its ServiceEntry (S6, S11).
const httpbin = ExternalHost.declaredBy({ name: 'httpbin', namespace: 'egress-config' }, 'httpbin.org', [{ port: 80, protocol: Protocol.HTTP, name: 'http', targetPort: 80 }]);
const wikipedia = ExternalHost.declaredBy({ name: 'wikipedia', namespace: 'egress-config' }, '*.wikipedia.org', [{ port: 443, protocol: Protocol.TLS, name: 'tls', targetPort: 443 }]);
const coffee = ExternalHost.fromName('a-cup-of.coffee', { ports: [{ port: 443, protocol: Protocol.TLS }] });
const db = ServiceRef.fromName('postgres', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] });
const sleepSa = ServiceAccountRef.of('shop', 'sleep');

const objectsOf = (props: WorkloadEgressProps) => manifestsOf(buildWorkloadEgress(props));

describe('WorkloadEgress: SIDECAR (best effort)', () => {
  test('a namespace-wide Sidecar: own namespace, the ServiceEntry hosts as <namespace>/<host>, REGISTRY_ONLY', () => {
    const objects = synth((chart) => {
      new WorkloadEgress(chart, 'shop', { name: 'egress', namespace: 'shop', hosts: [httpbin, wikipedia, coffee] });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    expect(objects.map((o) => o.kind)).toEqual(['Sidecar']);
    const sidecar = find(objects, 'Sidecar', 'egress');
    expect(sidecar.apiVersion).toBe('networking.istio.io/v1');
    expect(sidecar.metadata.namespace).toBe('shop');
    // no workloadSelector: it applies to every workload of the namespace (only one such Sidecar per namespace, IST0111)
    expect(sidecar.spec.workloadSelector).toBeUndefined();
    expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    // one listener without a port: it applies to every port
    expect(sidecar.spec.egress).toEqual([{ hosts: ['./*', '*/a-cup-of.coffee', 'egress-config/*.wikipedia.org', 'egress-config/httpbin.org'] }]);
  });

  test('a selected workload: in-cluster Services as <namespace>/<fqdn>, whole namespaces, the own namespace left out on request', () => {
    const out = buildWorkloadEgress({
      name: 'sleep', namespace: 'shop', selector: { app: 'sleep' }, hosts: [httpbin],
      services: [db, ServiceRef.fromName('cache', { namespace: 'telemetry' })], allowedNamespaces: ['telemetry'], allowOwnNamespace: false,
    });
    expectValid(manifestsOf(out));
    expect(out.objects.map((o) => o.role)).toEqual(['sidecar']);
    expect(out.sidecar.spec.workloadSelector).toEqual({ labels: { app: 'sleep' } });
    // the Service of `telemetry` is covered by telemetry/* and not repeated (the webhook warns on covered hosts)
    expect(out.sidecar.spec.egress).toEqual([{ hosts: ['telemetry/*', 'data/postgres.data.svc.cluster.local', 'egress-config/httpbin.org'] }]);
  });

  test('hosts covered by the own namespace are not repeated, and the output is admitted without warnings', () => {
    const local = ExternalHost.declaredBy({ name: 'se', namespace: 'shop' }, 'api.example.com', []);
    const out = buildWorkloadEgress({ name: 'e', namespace: 'shop', hosts: [local, local], services: [ServiceRef.fromName('a', { namespace: 'shop' })], allowedNamespaces: ['shop'] });
    expect(out.sidecar.spec.egress).toEqual([{ hosts: ['./*'] }]);
  });

  test('an egress gateway at SIDECAR only adds its Service to the Sidecar', () => {
    const out = buildWorkloadEgress({ name: 'e', namespace: 'shop', hosts: [httpbin], egressGateway: istioEgress });
    expect(out.objects.map((o) => o.role)).toEqual(['sidecar']);
    expect(out.sidecar.spec.egress[0].hosts).toContain('istio-system/istio-egressgateway.istio-system.svc.cluster.local');
  });

  test('with no external host, the workloads reach their namespace only', () => {
    expect(buildWorkloadEgress({ name: 'e', namespace: 'shop' }).sidecar.spec.egress).toEqual([{ hosts: ['./*'] }]);
  });
});

describe('WorkloadEgress: EGRESS_GATEWAY (enforced)', () => {
  const props: WorkloadEgressProps = {
    name: 'sleep', namespace: 'shop', selector: { app: 'sleep' }, hosts: [httpbin, wikipedia], services: [db],
    enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: istioEgress, serviceAccounts: [sleepSa],
  };

  test('Sidecar, NetworkPolicy and a DENY AuthorizationPolicy on the egress gateway', () => {
    const objects = synth((chart) => { new WorkloadEgress(chart, 'sleep', props); });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Sidecar shop/sleep', 'NetworkPolicy shop/sleep', 'AuthorizationPolicy istio-system/shop-sleep',
    ]);
    const sidecar = find(objects, 'Sidecar');
    expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(sidecar.spec.egress[0].hosts).toEqual([
      './*', 'data/postgres.data.svc.cluster.local', 'egress-config/*.wikipedia.org', 'egress-config/httpbin.org',
      'istio-system/istio-egressgateway.istio-system.svc.cluster.local',
    ]);
  });

  test('the NetworkPolicy selects the workloads, isolates their egress only, and allows DNS, istiod, the gateway and the needed namespaces', () => {
    const np = find(objectsOf(props), 'NetworkPolicy');
    expect(np.apiVersion).toBe('networking.k8s.io/v1');
    expect(np.metadata.namespace).toBe('shop');
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'sleep' } });
    // ingress is not touched: only Egress is isolated
    expect(np.spec.policyTypes).toEqual(['Egress']);
    const nsSel = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
    expect(np.spec.egress).toEqual([
      { to: [{ namespaceSelector: nsSel('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      // istiod's chart: xDS and certificate signing on 15012 (15017 is the API server's webhook port, not the proxies')
      { to: [{ namespaceSelector: nsSel('istio-system'), podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ protocol: 'TCP', port: 15012 }] },
      { to: [{ namespaceSelector: nsSel('istio-system'), podSelector: { matchLabels: { istio: 'egressgateway' } } }] },
      { to: [{ namespaceSelector: nsSel('data') }, { namespaceSelector: nsSel('shop') }] },
    ]);
    // nothing else: no ipBlock, no empty `to` (which would allow every destination)
    expect(JSON.stringify(np.spec)).not.toContain('ipBlock');
    for (const rule of np.spec.egress) expect(rule.to.length).toBeGreaterThan(0);
  });

  test('the gateway policy is DENY (never ALLOW, which would cut off every other team\'s egress) for other identities, scoped to the hosts', () => {
    const ap = find(objectsOf(props), 'AuthorizationPolicy');
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.metadata.namespace).toBe('istio-system');
    expect(ap.spec.selector).toEqual({ matchLabels: { istio: 'egressgateway' } });
    expect(ap.spec.action).toBe('DENY');
    const source = { source: { notPrincipals: ['cluster.local/ns/shop/sa/sleep'] } };
    expect(ap.spec.rules).toEqual([
      // Host header on the HTTP ports only, as the container port the listener binds (8080, not the Service's 80)
      { from: [source], to: [{ operation: { ports: ['8080'], hosts: ['httpbin.org', 'httpbin.org:*'] } }] },
      { from: [source], when: [{ key: 'connection.sni', values: ['*.wikipedia.org', 'httpbin.org'] }] },
    ]);
  });

  test('every DENY rule is scoped: no rule matches on identity alone', () => {
    for (const rule of find(objectsOf(props), 'AuthorizationPolicy').spec.rules) {
      expect(rule.from).toBeDefined();
      expect(rule.to !== undefined || rule.when !== undefined).toBe(true);
    }
  });

  test('a `hosts` rule is never emitted without `ports`: Istio drops `hosts` from a DENY rule on a TCP filter chain (pilot/pkg/security/authz/model/generator.go hostGenerator, model.go checkError)', () => {
    // GIVEN a gateway with only a TLS-passthrough-capable port
    const tlsOnly = EgressGateway.fromSelector({ istio: 'egressgateway' }, { namespace: 'istio-system', serviceName: 'istio-egressgateway', ports: [{ port: 443, protocol: Protocol.HTTPS }] });
    // WHEN an HTTP host is reserved there
    const ap = find(objectsOf({ ...props, egressGateway: tlsOnly, hosts: [httpbin] }), 'AuthorizationPolicy');
    // THEN only the SNI rule is written (a bare `hosts` rule would deny every other team's TLS connection on the gateway)
    expect(ap.spec.rules).toEqual([{ from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/sleep'] } }], when: [{ key: 'connection.sni', values: ['httpbin.org'] }] }]);
  });

  test('TLS hosts get only the SNI rule; wildcard HTTP hosts no `:*` variant', () => {
    const tls = find(objectsOf({ ...props, hosts: [coffee] }), 'AuthorizationPolicy');
    expect(tls.spec.rules).toHaveLength(1);
    expect(tls.spec.rules[0].when).toEqual([{ key: 'connection.sni', values: ['a-cup-of.coffee'] }]);
    const wild = ExternalHost.fromName('*.example.org', { ports: [{ port: 80, protocol: Protocol.HTTP }] });
    expect(find(objectsOf({ ...props, hosts: [wild] }), 'AuthorizationPolicy').spec.rules[0].to[0].operation.hosts).toEqual(['*.example.org']);
  });

  test('a host with unknown ports gets both rules', () => {
    const any = ExternalHost.fromName('api.example.com');
    expect(find(objectsOf({ ...props, hosts: [any] }), 'AuthorizationPolicy').spec.rules).toHaveLength(2);
  });

  test('namespace-wide (S11): the whole namespace is the identity (notNamespaces) and the NetworkPolicy selects every pod', () => {
    const out = buildWorkloadEgress({ name: 'httpbin-egress', namespace: 'default', hosts: [httpbin], enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: egress });
    const objects = manifestsOf(out);
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    expect(out.networkPolicy!.spec.podSelector).toEqual({});
    expect(out.authorizationPolicy!.metadata).toMatchObject({ name: 'default-httpbin-egress', namespace: 'default' });
    expect(out.authorizationPolicy!.spec.selector).toEqual({ matchLabels: { 'gateway-name': 'egress', 'gateway-type': 'egress' } });
    expect(out.authorizationPolicy!.spec.rules.map((r: any) => r.from)).toEqual([[{ source: { notNamespaces: ['default'] } }], [{ source: { notNamespaces: ['default'] } }]]);
    // the gateway runs in the workloads' own namespace: `./*` covers its Service
    expect(out.sidecar.spec.egress[0].hosts).toEqual(['./*', 'egress-config/httpbin.org']);
  });

  test('istiod and DNS pods can be given (a revisioned control plane, another DNS)', () => {
    const np = find(objectsOf({ ...props, istiod: { namespace: 'istio-control', selector: { app: 'istiod', 'istio.io/rev': 'canary' } }, dns: { namespace: 'dns', selector: { app: 'coredns' } } }), 'NetworkPolicy');
    expect(np.spec.egress[0].to[0]).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } });
    expect(np.spec.egress[1].to[0].podSelector).toEqual({ matchLabels: { app: 'istiod', 'istio.io/rev': 'canary' } });
  });

  test('without the own namespace and without Services, no namespace rule is written', () => {
    const np = find(objectsOf({ ...props, services: undefined, allowOwnNamespace: false }), 'NetworkPolicy');
    expect(np.spec.egress).toHaveLength(3);
  });
});

describe('WorkloadEgress validation', () => {
  const gw = { enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: istioEgress, hosts: [httpbin] };
  const cases: Array<[string, () => unknown, ErrorCode, string]> = [
    ['invalid name', () => buildWorkloadEgress({ name: 'Egress', namespace: 'shop' }), ErrorCode.INVALID_NAME, 'name'],
    ['invalid namespace', () => buildWorkloadEgress({ name: 'e', namespace: 'shop_1' }), ErrorCode.INVALID_NAME, 'namespace'],
    ['empty selector', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', selector: {} }), ErrorCode.INVALID_LABEL, 'selector'],
    ['invalid selector value', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', selector: { app: 'a b' } }), ErrorCode.INVALID_LABEL, 'selector.app'],
    ['invalid allowed namespace', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', allowedNamespaces: ['a/b'] }), ErrorCode.INVALID_NAME, 'allowedNamespaces[0]'],
    ['unknown enforcement', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', enforcement: 'AMBIENT_WAYPOINT' as EgressEnforcement }), ErrorCode.INVALID_PROP, 'enforcement'],
    ['a host that is a string', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', hosts: ['httpbin.org' as unknown as ExternalHost] }), ErrorCode.CONFLICTING_PROPS, 'hosts[0]'],
    ['a forged ServiceRef', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', services: [Object.create(ServiceRef.prototype)] }), ErrorCode.CONFLICTING_PROPS, 'services[0]'],
    ['an unknown prop', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', exportTo: ['.'] } as WorkloadEgressProps), ErrorCode.UNKNOWN_PROP, 'exportTo'],
    ['a namespace-wide Sidecar in the root namespace (it would apply to every namespace)', () => buildWorkloadEgress({ name: 'e', namespace: 'istio-system' }), ErrorCode.CONFLICTING_PROPS, 'selector'],
    ['a namespace-wide Sidecar in a custom root namespace', () => buildWorkloadEgress({ name: 'e', namespace: 'mesh-root', rootNamespace: 'mesh-root' }), ErrorCode.CONFLICTING_PROPS, 'selector'],
    ['no destination at all', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', allowOwnNamespace: false }), ErrorCode.CONFLICTING_PROPS, 'allowOwnNamespace'],
    ['serviceAccounts at SIDECAR (unused there)', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', serviceAccounts: [sleepSa] }), ErrorCode.CONFLICTING_PROPS, 'serviceAccounts'],
    ['istiod at SIDECAR', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', istiod: { namespace: 'istio-system', selector: { app: 'istiod' } } }), ErrorCode.CONFLICTING_PROPS, 'istiod'],
    ['dns at SIDECAR', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', dns: { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } } }), ErrorCode.CONFLICTING_PROPS, 'dns'],
    ['EGRESS_GATEWAY without a gateway', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', enforcement: EgressEnforcement.EGRESS_GATEWAY, hosts: [httpbin] }), ErrorCode.CONFLICTING_PROPS, 'egressGateway'],
    ['EGRESS_GATEWAY with an IngressGateway-like value', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', ...gw, egressGateway: {} as EgressGateway }), ErrorCode.CONFLICTING_PROPS, 'egressGateway'],
    ['EGRESS_GATEWAY without hosts', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', ...gw, hosts: [] }), ErrorCode.CONFLICTING_PROPS, 'hosts'],
    ['EGRESS_GATEWAY with a selector and no service accounts (the gateway sees identities, not labels)', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', selector: { app: 'sleep' }, ...gw }), ErrorCode.CONFLICTING_PROPS, 'serviceAccounts'],
    ['a service account of another namespace', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', ...gw, serviceAccounts: [ServiceAccountRef.of('other', 'sleep')] }), ErrorCode.CONFLICTING_PROPS, 'serviceAccounts[0]'],
    ['a service account given as a string', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', ...gw, serviceAccounts: ['cluster.local/ns/shop/sa/sleep' as unknown as ServiceAccountRef] }), ErrorCode.INVALID_PRINCIPAL, 'serviceAccounts[0]'],
    ['istiod without a selector', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', ...gw, istiod: { namespace: 'istio-system', selector: {} } }), ErrorCode.INVALID_LABEL, 'istiod.selector'],
    ['dns with an invalid namespace', () => buildWorkloadEgress({ name: 'e', namespace: 'shop', ...gw, dns: { namespace: 'Kube', selector: { a: 'b' } } }), ErrorCode.INVALID_NAME, 'dns.namespace'],
  ];

  test.each(cases)('%s', (_title, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
    expect(e.hint.length).toBeGreaterThan(0);
  });
});

describe('WorkloadEgress properties', () => {
  const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const hostArb = fc.tuple(fc.boolean(), label, fc.constantFrom(Protocol.HTTP, Protocol.TLS, Protocol.HTTPS, Protocol.TCP, undefined), fc.option(label, { nil: undefined }))
    .map(([wild, l, protocol, seNs]) => {
      const host = `${wild ? '*' : l}.${l}.org`;
      const ports = protocol ? [{ port: protocol === Protocol.HTTP ? 80 : 443, protocol }] : undefined;
      return seNs
        ? ExternalHost.declaredBy({ name: 'se', namespace: seNs }, host, (ports ?? []).map((p) => ({ ...p, name: p.protocol.toLowerCase(), targetPort: p.port })))
        : ExternalHost.fromName(host, ports ? { ports } : {});
    });
  const valid = fc.record({
    name: label, namespace: label.filter((n) => n !== 'istio-system'), selected: fc.boolean(), enforced: fc.boolean(),
    hosts: fc.array(hostArb, { minLength: 1, maxLength: 4 }),
    services: fc.array(fc.tuple(label, label).map(([n, ns]) => ServiceRef.fromName(n, { namespace: ns })), { maxLength: 3 }),
    allowedNamespaces: fc.array(label, { maxLength: 3 }), allowOwnNamespace: fc.boolean(), sas: fc.array(label, { minLength: 1, maxLength: 3 }),
    httpPort: fc.boolean(),
  }).map((r): WorkloadEgressProps => ({
    name: r.name, namespace: r.namespace, selector: r.selected ? { app: r.name } : undefined,
    hosts: r.hosts, services: r.services, allowedNamespaces: r.allowedNamespaces, allowOwnNamespace: r.allowOwnNamespace,
    ...(r.enforced ? {
      enforcement: EgressEnforcement.EGRESS_GATEWAY,
      egressGateway: EgressGateway.fromSelector({ istio: 'egressgateway' }, {
        namespace: 'istio-system', serviceName: 'istio-egressgateway',
        ports: r.httpPort ? [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }] : [{ port: 443, protocol: Protocol.HTTPS }],
      }),
      serviceAccounts: r.selected ? r.sas.map((sa) => ServiceAccountRef.of(r.namespace, sa)) : undefined,
    } : {}),
  }));

  test('valid props give admitted objects: a REGISTRY_ONLY Sidecar, and at EGRESS_GATEWAY only scoped DENY rules', () => {
    fc.assert(fc.property(valid, (p) => {
      const out = buildWorkloadEgress(p);
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      expect(out.sidecar.spec.outboundTrafficPolicy.mode).toBe('REGISTRY_ONLY');
      for (const h of p.hosts!) {
        const ns = h.serviceEntry?.namespace ?? '*';
        const expected = ns === p.namespace && p.allowOwnNamespace ? './*' : p.allowedNamespaces!.includes(ns) ? `${ns}/*` : `${ns}/${h.host}`;
        expect(out.sidecar.spec.egress[0].hosts).toContain(expected);
      }
      if (p.enforcement === EgressEnforcement.EGRESS_GATEWAY) {
        expect(out.authorizationPolicy!.spec.action).toBe('DENY');
        for (const rule of out.authorizationPolicy!.spec.rules) {
          for (const to of rule.to ?? []) if (to.operation.hosts) expect(to.operation.ports?.length).toBeGreaterThan(0);
          expect(rule.to ?? rule.when).toBeDefined();
        }
        expect(out.networkPolicy!.spec.policyTypes).toEqual(['Egress']);
      } else {
        expect(out.objects).toHaveLength(1);
      }
    }), { numRuns: 150 });
  });

  test('one invalid field makes any valid props throw IstioConstructError, never another error', () => {
    const corrupt = fc.constantFrom<Array<(p: WorkloadEgressProps) => WorkloadEgressProps>>(
      (p) => ({ ...p, name: `${p.name}_x` }),
      (p) => ({ ...p, namespace: 'Upper' }),
      (p) => ({ ...p, selector: { '': 'x' } }),
      (p) => ({ ...p, allowedNamespaces: ['bad ns'] }),
      (p) => ({ ...p, hosts: [...p.hosts!, 'x.org' as unknown as ExternalHost] }),
      (p) => ({ ...p, enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: undefined }),
      (p) => ({ ...p, enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: istioEgress, serviceAccounts: [ServiceAccountRef.of(`${p.namespace}x`, 'a')] }),
      (p) => ({ ...p, rootNamespace: p.namespace, selector: undefined }),
    );
    fc.assert(fc.property(valid, corrupt, (p, change) => {
      expect(() => buildWorkloadEgress(change(p))).toThrow(IstioConstructError);
    }), { numRuns: 150 });
  });
});

describe('WorkloadEgress under Pulumi', () => {
  beforeAll(() => setPulumiMocks());

  test('type token, ${name}-<role> children; the NetworkPolicy as the core Kubernetes type', async () => {
    let component!: PulumiWorkloadEgress;
    const resources = await runPulumi(() => [component = new PulumiWorkloadEgress('sleep', {
      name: 'sleep', namespace: 'shop', selector: { app: 'sleep' }, hosts: [httpbin],
      enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: istioEgress, serviceAccounts: [sleepSa],
    })]);
    expect(await (component.urn as any).promise()).toMatch(/::istio-constructs:index:WorkloadEgress::sleep$/);
    expect(resources.map((r) => [r.name, r.type]).sort()).toEqual([
      ['sleep-authorization-policy', 'kubernetes:security.istio.io/v1:AuthorizationPolicy'],
      ['sleep-network-policy', 'kubernetes:networking.k8s.io/v1:NetworkPolicy'],
      ['sleep-sidecar', 'kubernetes:networking.istio.io/v1:Sidecar'],
    ]);
    for (const r of resources) expect(r.urn).toContain('istio-constructs:index:WorkloadEgress$kubernetes:');
    const ap = resources.find((r) => r.name === 'sleep-authorization-policy')!;
    expect(ap.inputs.metadata).toMatchObject({ name: 'shop-sleep', namespace: 'istio-system' });
    expect(ap.inputs.spec.action).toBe('DENY');
    // the same objects as the pure builder
    expect(resources.map((r) => r.inputs).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(
      manifestsOf(buildWorkloadEgress({
        name: 'sleep', namespace: 'shop', selector: { app: 'sleep' }, hosts: [httpbin],
        enforcement: EgressEnforcement.EGRESS_GATEWAY, egressGateway: istioEgress, serviceAccounts: [sleepSa],
      })).map((m) => JSON.parse(JSON.stringify(m))).sort((a, b) => a.kind.localeCompare(b.kind)));
  });

  test('SIDECAR registers only the Sidecar; a namespace Output is resolved', async () => {
    const pulumi = await import('@pulumi/pulumi');
    const resources = await runPulumi(() => [new PulumiWorkloadEgress('shop', { name: 'egress', namespace: pulumi.output('shop'), hosts: [wikipedia] })]);
    expect(resources.map((r) => r.name)).toEqual(['shop-sidecar']);
    expect(resources[0].inputs.metadata.namespace).toBe('shop');
    expect(resources[0].inputs.spec.egress).toEqual([{ hosts: ['./*', 'egress-config/*.wikipedia.org'] }]);
  });

  test('invalid args throw from the constructor', () => {
    expect(() => new PulumiWorkloadEgress('bad', { name: 'e', namespace: 'shop', serviceAccounts: [sleepSa] })).toThrow(/CONFLICTING_PROPS/);
  });
});
