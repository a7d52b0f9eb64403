/**
 * The Sidecar, security (authz, authn) and Telemetry analyzers on small hand-written programs:
 * what the Istio corpus does not cover (workloads declared as Deployments, namespaces the program
 * never declares, FQDN-free library output with every namespace set).
 */
import { Manifest } from '../src/core/manifest';
import { analyze, analyzerNames, Diagnostic } from '../src/analysis';

const ns = (name: string, labels: Record<string, string> = {}): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

const deployment = (namespace: string, name: string, labels: Record<string, string>, extra: { annotations?: Record<string, string>; containers?: any[] } = {}): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels, annotations: extra.annotations ?? {} }, spec: { containers: extra.containers ?? [{ name: 'app', image: 'app:1' }] } },
  },
});

const pod = (namespace: string, name: string, labels: Record<string, string>, annotations: Record<string, string> = {}): Manifest => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels, annotations }, spec: { containers: [{ name: 'app', image: 'app:1' }] },
});

const sidecar = (namespace: string, name: string, labels?: Record<string, string>): Manifest => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name, namespace },
  spec: { ...(labels ? { workloadSelector: { labels } } : {}), egress: [{ hosts: ['./*'] }] },
});

const telemetry = (namespace: string, name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name, namespace }, spec,
});

const authz = (namespace: string, name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec,
});

const run = (analyzer: string, manifests: Manifest[], meshConfig?: Record<string, unknown>): Diagnostic[] =>
  analyze(manifests, { analyzers: [analyzer], meshConfig });

const pairs = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.resource}`).sort();

describe('analyzer names', () => {
  test('every analyzer of these families is registered under Istio\'s name and runs by default', () => {
    const names = analyzerNames().filter((a) => a.default).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining([
      'sidecar.SelectorAnalyzer', 'authz.AuthorizationPoliciesAnalyzer', 'authn.BlockedCIDRsAnalyzer',
      'telemetry.ProviderAnalyzer', 'telemetry.SelectorAnalyzer', 'telemetry.DefaultSelectorAnalyzer', 'telemetry.LightstepAnalyzer',
    ]));
  });
});

describe('sidecar.SelectorAnalyzer', () => {
  test('a selector resolves against a Deployment\'s pod template; a typo is IST0101 on the selector', () => {
    const ds = run('sidecar.SelectorAnalyzer', [
      deployment('shop', 'cart', { app: 'cart' }),
      sidecar('shop', 'cart', { app: 'cart' }),
      sidecar('shop', 'typo', { app: 'crat' }),
    ]);
    expect(pairs(ds)).toEqual(['IST0101 Sidecar shop/typo']);
    expect(ds[0].path).toBe('spec.workloadSelector.labels');
    expect(ds[0].message).toContain('app=crat');
  });

  test('a selector never reaches a workload of another namespace', () => {
    const ds = run('sidecar.SelectorAnalyzer', [deployment('shop', 'cart', { app: 'cart' }), sidecar('other', 'cart', { app: 'cart' })]);
    expect(pairs(ds)).toEqual(['IST0101 Sidecar other/cart']);
  });

  test('two Sidecars selecting one Deployment conflict (IST0110 on each), naming the Deployment', () => {
    const ds = run('sidecar.SelectorAnalyzer', [
      deployment('shop', 'cart', { app: 'cart', version: 'v1' }),
      sidecar('shop', 'by-app', { app: 'cart' }),
      sidecar('shop', 'by-version', { version: 'v1' }),
    ]);
    expect(pairs(ds)).toEqual(['IST0110 Sidecar shop/by-app', 'IST0110 Sidecar shop/by-version']);
    expect(ds[0].message).toContain('Deployment shop/cart');
  });

  test('where a namespace has Pods, the Pods count and the templates do not (no double report)', () => {
    const ds = run('sidecar.SelectorAnalyzer', [
      deployment('shop', 'cart', { app: 'cart' }),
      pod('shop', 'cart-abc12', { app: 'cart' }),
      sidecar('shop', 'one', { app: 'cart' }),
      sidecar('shop', 'two', { app: 'cart' }),
    ]);
    expect(pairs(ds)).toEqual(['IST0110 Sidecar shop/one', 'IST0110 Sidecar shop/two']);
    expect(ds.every((d) => d.message.includes('Pod shop/cart-abc12'))).toBe(true);
  });

  test('a template whose Pods are absent counts even where the namespace has other Pods (the assumed default ingress gateway Pod)', () => {
    // GIVEN a custom gateway Deployment in istio-system, where analyze assumes the default ingress gateway Pod
    const ds = analyze([
      deployment('istio-system', 'edge-gateway', { istio: 'edge-gateway' }),
      sidecar('istio-system', 'edge', { istio: 'edge-gateway' }),
      sidecar('istio-system', 'default-ingress', { istio: 'ingressgateway' }),
    ], { analyzers: ['sidecar.SelectorAnalyzer'], defaultIngressGateway: true });
    // THEN both Sidecars find their workload
    expect(ds).toEqual([]);
  });

  test('two namespace-wide Sidecars conflict (IST0111), one per namespace is fine', () => {
    const ds = run('sidecar.SelectorAnalyzer', [sidecar('a', 'one'), sidecar('a', 'two'), sidecar('b', 'only')]);
    expect(pairs(ds)).toEqual(['IST0111 Sidecar a/one', 'IST0111 Sidecar a/two']);
  });

  test('in an ambient namespace, Sidecars are ineffective (IST0167) and do not conflict; a template opting out with dataplane-mode none still conflicts', () => {
    const ds = run('sidecar.SelectorAnalyzer', [
      ns('amb', { 'istio.io/dataplane-mode': 'ambient' }),
      deployment('amb', 'web', { app: 'web' }),
      deployment('amb', 'legacy', { app: 'legacy', 'istio.io/dataplane-mode': 'none' }),
      sidecar('amb', 'default-1'),
      sidecar('amb', 'default-2'),
      sidecar('amb', 'web', { app: 'web' }),
      sidecar('amb', 'legacy-1', { app: 'legacy' }),
      sidecar('amb', 'legacy-2', { app: 'legacy' }),
    ]);
    expect(pairs(ds)).toEqual([
      'IST0110 Sidecar amb/legacy-1', 'IST0110 Sidecar amb/legacy-2',
      'IST0167 Sidecar amb/default-1', 'IST0167 Sidecar amb/default-2', 'IST0167 Sidecar amb/web',
    ]);
  });

  test('an injection label on the namespace wins over the ambient label', () => {
    const ds = run('sidecar.SelectorAnalyzer', [
      ns('mixed', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' }),
      sidecar('mixed', 'one'), sidecar('mixed', 'two'),
    ]);
    expect(pairs(ds)).toEqual(['IST0111 Sidecar mixed/one', 'IST0111 Sidecar mixed/two']);
  });
});

describe('authz.AuthorizationPoliciesAnalyzer', () => {
  test('a selector matching a Deployment with injection enabled is fine; without a proxy it is IST0127', () => {
    const ds = run('authz.AuthorizationPoliciesAnalyzer', [
      ns('shop', { 'istio-injection': 'enabled' }),
      ns('plain'),
      deployment('shop', 'cart', { app: 'cart' }),
      deployment('plain', 'cart', { app: 'cart' }),
      authz('shop', 'cart', { selector: { matchLabels: { app: 'cart' } } }),
      authz('plain', 'cart', { selector: { matchLabels: { app: 'cart' } } }),
    ]);
    expect(pairs(ds)).toEqual(['IST0127 AuthorizationPolicy plain/cart']);
    expect(ds[0].level).toBe('Warning');
  });

  test('a pod template with sidecar.istio.io/inject: "true", or an ambient namespace, counts as proxied', () => {
    const ds = run('authz.AuthorizationPoliciesAnalyzer', [
      deployment('opt-in', 'cart', { 'app': 'cart', 'sidecar.istio.io/inject': 'true' }),
      ns('amb', { 'istio.io/dataplane-mode': 'ambient' }),
      deployment('amb', 'web', { app: 'web' }),
      authz('opt-in', 'cart', { selector: { matchLabels: { app: 'cart' } } }),
      authz('amb', 'allow-nothing', {}),
    ]);
    expect(ds).toEqual([]);
  });

  test('a namespace-wide policy in a namespace without workloads is IST0127; in the root namespace it is not checked', () => {
    const ds = run('authz.AuthorizationPoliciesAnalyzer', [
      ns('shop', { 'istio-injection': 'enabled' }),
      deployment('shop', 'cart', { app: 'cart' }),
      authz('shop', 'deny-all', {}),
      authz('empty', 'deny-all', {}),
      authz('istio-system', 'mesh-deny-all', {}),
    ]);
    expect(pairs(ds)).toEqual(['IST0127 AuthorizationPolicy empty/deny-all']);
  });

  test('a program that declares no workload (only policies for workloads deployed elsewhere) gets no "selects nothing" reports, unless external workloads are given', () => {
    const manifests = [
      authz('shop', 'cart', { selector: { matchLabels: { app: 'cart' } } }),
      authz('shop', 'deny-all', {}),
      sidecar('shop', 'cart', { app: 'cart' }),
      telemetry('shop', 'cart', { selector: { matchLabels: { app: 'cart' } } }),
    ];
    const analyzers = ['authz.AuthorizationPoliciesAnalyzer', 'sidecar.SelectorAnalyzer', 'telemetry.SelectorAnalyzer'];
    expect(analyze(manifests, { analyzers })).toEqual([]);
    // WHEN the workloads are passed as external objects THEN the selectors are checked against them
    const ds = analyze(manifests, { analyzers, external: [deployment('shop', 'web', { app: 'web' })] });
    expect(pairs(ds)).toEqual([
      'IST0101 Sidecar shop/cart', 'IST0101 Telemetry shop/cart',
      'IST0127 AuthorizationPolicy shop/cart', 'IST0127 AuthorizationPolicy shop/deny-all',
    ]);
  });

  test('a root-namespace policy with a selector looks for the workload in every namespace (rootNamespace from the mesh config)', () => {
    const manifests = [
      ns('shop', { 'istio-injection': 'enabled' }),
      deployment('shop', 'cart', { app: 'cart' }),
      authz('mesh-root', 'carts', { selector: { matchLabels: { app: 'cart' } } }),
      authz('mesh-root', 'nothing', { selector: { matchLabels: { app: 'nope' } } }),
    ];
    expect(pairs(run('authz.AuthorizationPoliciesAnalyzer', manifests, { rootNamespace: 'mesh-root' })))
      .toEqual(['IST0127 AuthorizationPolicy mesh-root/nothing']);
    // Not the root namespace: the selector only looks in its own namespace, which has no workload.
    expect(pairs(run('authz.AuthorizationPoliciesAnalyzer', manifests)))
      .toEqual(['IST0127 AuthorizationPolicy mesh-root/carts', 'IST0127 AuthorizationPolicy mesh-root/nothing']);
  });

  test('source namespaces resolve against declared Namespaces and namespaces the program places objects in; each unknown one is IST0101 at its path', () => {
    const ds = run('authz.AuthorizationPoliciesAnalyzer', [
      ns('shop', { 'istio-injection': 'enabled' }),
      deployment('shop', 'cart', { app: 'cart' }),
      deployment('frontend', 'web', { app: 'web' }),
      ns('team-billing'),
      authz('shop', 'cart', {
        selector: { matchLabels: { app: 'cart' } },
        rules: [{
          from: [
            { source: { namespaces: ['frontend', 'team-*', '*-billing', '*', 'FrontEnd', 'frontned'] } },
            { source: { notNamespaces: ['billing-*'] } },
          ],
        }],
      }),
    ]);
    expect(ds.map((d) => `${d.code} ${d.path}`)).toEqual([
      'IST0101 spec.rules[0].from[0].source.namespaces[5]',
      'IST0101 spec.rules[0].from[1].source.notNamespaces[0]',
    ]);
    expect(ds[0].message).toContain('"frontned"');
  });

  test('external objects make their namespaces known and are never reported on', () => {
    const ds = analyze([
      ns('shop', { 'istio-injection': 'enabled' }),
      deployment('shop', 'cart', { app: 'cart' }),
      authz('shop', 'cart', { selector: { matchLabels: { app: 'cart' } }, rules: [{ from: [{ source: { namespaces: ['payments'] } }] }] }),
    ], { analyzers: ['authz.AuthorizationPoliciesAnalyzer'], external: [ns('payments'), authz('elsewhere', 'x', {})] });
    expect(ds).toEqual([]);
  });
});

describe('authn.BlockedCIDRsAnalyzer', () => {
  const istiod = (env: Array<{ name: string; value?: string }>): Manifest => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod' } },
    spec: { template: { metadata: { labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery', image: 'pilot', env }] } } },
  });
  const ra = (i: number): Manifest => ({
    apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: `jwt-${i}`, namespace: 'shop' },
    spec: { jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] },
  });

  test('RequestAuthentications with an istiod that does not set BLOCKED_CIDRS_IN_JWKS_URIS (or sets it empty) is IST0175 on the Deployment', () => {
    const ras = [1, 2, 3, 4, 5, 6, 7].map(ra);
    const ds = run('authn.BlockedCIDRsAnalyzer', [...ras, istiod([{ name: 'BLOCKED_CIDRS_IN_JWKS_URIS', value: '' }])]);
    expect(pairs(ds)).toEqual(['IST0175 Deployment istio-system/istiod']);
    expect(ds[0].message).toContain('7 RequestAuthentication(s) (shop/jwt-1, shop/jwt-2, shop/jwt-3, shop/jwt-4, shop/jwt-5, and 2 more)');
  });

  test('a configured istiod, or no RequestAuthentication, raises nothing', () => {
    expect(run('authn.BlockedCIDRsAnalyzer', [ra(1), istiod([{ name: 'BLOCKED_CIDRS_IN_JWKS_URIS', value: '10.0.0.0/8' }])])).toEqual([]);
    expect(run('authn.BlockedCIDRsAnalyzer', [istiod([])])).toEqual([]);
  });
});

describe('telemetry analyzers', () => {
  test('ProviderAnalyzer: an access-log entry without providers is IST0157 unless disabled or the mesh config has a default provider', () => {
    const manifests = [
      telemetry('istio-system', 'mesh-default', { accessLogging: [{ providers: [{ name: 'envoy' }] }, { filter: { expression: 'response.code >= 400' } }] }),
      telemetry('shop', 'quiet', { accessLogging: [{ disabled: true }] }),
    ];
    const ds = run('telemetry.ProviderAnalyzer', manifests);
    expect(ds.map((d) => `${d.code} ${d.resource} ${d.path}`)).toEqual(['IST0157 Telemetry istio-system/mesh-default spec.accessLogging[1]']);
    expect(run('telemetry.ProviderAnalyzer', manifests, { defaultProviders: { accessLogging: ['envoy'] } })).toEqual([]);
  });

  test('SelectorAnalyzer: selectors resolve against Deployment templates; overlapping ones are IST0159, a dangling one IST0101', () => {
    const ds = run('telemetry.SelectorAnalyzer', [
      deployment('shop', 'cart', { app: 'cart', tier: 'backend' }),
      telemetry('shop', 'by-app', { selector: { matchLabels: { app: 'cart' } } }),
      telemetry('shop', 'by-tier', { selector: { matchLabels: { tier: 'backend' } } }),
      telemetry('shop', 'nothing', { selector: { matchLabels: { app: 'cart', tier: 'frontend' } } }),
      telemetry('shop', 'namespace-wide', {}),
    ]);
    expect(pairs(ds)).toEqual(['IST0101 Telemetry shop/nothing', 'IST0159 Telemetry shop/by-app', 'IST0159 Telemetry shop/by-tier']);
  });

  test('DefaultSelectorAnalyzer: two selector-less Telemetries in a namespace are IST0160; one with targetRefs is not namespace-wide', () => {
    const ds = run('telemetry.DefaultSelectorAnalyzer', [
      telemetry('shop', 'one', {}),
      telemetry('shop', 'two', { tracing: [{ randomSamplingPercentage: 10 }] }),
      telemetry('edge', 'namespace-wide', {}),
      telemetry('edge', 'gateway-only', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }] }),
    ]);
    expect(pairs(ds)).toEqual(['IST0160 Telemetry shop/one', 'IST0160 Telemetry shop/two']);
  });

  test('LightstepAnalyzer: tracing through a lightstep extension provider is IST0002; other providers are not', () => {
    const meshConfig = {
      extensionProviders: [
        { name: 'ls', lightstep: { service: 'lightstep.monitoring.svc.cluster.local', port: 443 } },
        { name: 'otel', opentelemetry: { service: 'otel.monitoring.svc.cluster.local', port: 4317 } },
      ],
    };
    const ds = run('telemetry.LightstepAnalyzer', [
      telemetry('shop', 'old', { tracing: [{ providers: [{ name: 'otel' }, { name: 'ls' }] }] }),
      telemetry('shop', 'new', { tracing: [{ providers: [{ name: 'otel' }] }] }),
    ], meshConfig);
    expect(ds.map((d) => `${d.code} ${d.resource} ${d.path}`)).toEqual(['IST0002 Telemetry shop/old spec.tracing[0].providers[1]']);
    expect(run('telemetry.LightstepAnalyzer', [telemetry('shop', 'old', { tracing: [{ providers: [{ name: 'ls' }] }] })])).toEqual([]);
  });
});

describe('at scale', () => {
  test('with 5,000 workloads in one namespace, each selector picks exactly its own workload through the label index', () => {
    // GIVEN 5,000 Deployments sharing the label version (v0/v1) and each with its own app label,
    // each selected by its own Sidecar and policy, plus a Sidecar and a mesh-wide policy that select nothing
    const manifests: Manifest[] = [ns('big', { 'istio-injection': 'enabled' })];
    for (let i = 0; i < 5000; i++) {
      const labels = { app: `svc${i}`, version: `v${i % 2}` };
      manifests.push(deployment('big', `svc${i}`, labels), sidecar('big', `svc${i}`, labels), authz('big', `svc${i}`, { selector: { matchLabels: labels } }));
    }
    manifests.push(
      sidecar('big', 'wrong-version', { app: 'svc7', version: 'v0' }),
      authz('istio-system', 'all-v1', { selector: { matchLabels: { version: 'v1' } } }),
      authz('istio-system', 'no-such-app', { selector: { matchLabels: { app: 'svc5000' } } }),
    );
    // WHEN both analyzers run THEN only the two selectors that match nothing are reported
    const ds = analyze(manifests, { analyzers: ['sidecar.SelectorAnalyzer', 'authz.AuthorizationPoliciesAnalyzer'] });
    expect(pairs(ds)).toEqual(['IST0101 Sidecar big/wrong-version', 'IST0127 AuthorizationPolicy istio-system/no-such-app']);
  });
});
