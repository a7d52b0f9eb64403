/**
 * The gateway, Kubernetes Gateway API and EnvoyFilter analyzers on small hand-written programs,
 * as the library uses them: every object has a namespace, hosts are FQDNs, gateways are declared
 * as Deployments (not Pods), Secrets may live outside the program.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Diagnostic, analyze } from '../src/analysis';
import { gatewayCredentialProblem } from '../src/analysis/analyzers/gateway';
import { parseBundleVersion } from '../src/analysis/analyzers/k8sgateway';
import { resolveOptions, toResource } from '../src/analysis/context';
import { Manifest } from '../src/core/manifest';
import { CORPUS } from './analysis/corpus';

const INGRESS_LABELS = { app: 'edge-gateway', istio: 'edge' };

/** A gateway Deployment (pod template labels only, no Pods) and its Service. */
function gatewayWorkload(ns = 'edge', ports: Array<{ port: number; targetPort?: number | string; protocol?: string }> = [{ port: 80, targetPort: 8080 }]): Manifest[] {
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge-gateway', namespace: ns },
      spec: { selector: { matchLabels: INGRESS_LABELS }, template: { metadata: { labels: INGRESS_LABELS }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge-gateway', namespace: ns },
      spec: { selector: INGRESS_LABELS, ports: ports.map((p, i) => ({ name: `p${i}`, ...p })) },
    },
  ];
}

function gateway(name: string, ns: string, servers: any[], selector: Record<string, string> = { istio: 'edge' }): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: ns }, spec: { selector, servers } };
}

const http = (port: number, hosts: string[], extra: Record<string, unknown> = {}) => ({ port: { number: port, name: `http-${port}`, protocol: 'HTTP' }, hosts, ...extra });
const https = (port: number, hosts: string[], credentialName: string) => ({
  port: { number: port, name: `https-${port}`, protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName },
});

const run = (analyzer: string, manifests: Manifest[], external: Manifest[] = []): Diagnostic[] => analyze(manifests, { analyzers: [analyzer], external });
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.resource} ${d.path ?? ''}`.trim());

/** A Secret from Istio's analyzer test data, read at test time (never copied into the repository). */
function corpusSecret(file: string, name: string): Manifest {
  const docs = fs.readFileSync(path.join(CORPUS, 'testdata', file), 'utf8').split(/^---$/m).map((d) => parse(d)).filter(Boolean);
  const found = docs.find((d: any) => d.kind === 'Secret' && d.metadata.name === name);
  if (!found) throw new Error(`no Secret ${name} in ${file}`);
  return found;
}

describe('gateway.IngressGatewayPortAnalyzer', () => {
  const A = 'gateway.IngressGatewayPortAnalyzer';

  test('a Gateway selecting a gateway Deployment (no Pods) resolves; ports are checked against the Service in front of it', () => {
    // GIVEN the gateway workload as a Deployment in "edge", the Gateway in another namespace
    const ds = run(A, [
      ...gatewayWorkload('edge', [{ port: 80, targetPort: 8080 }, { port: 8443, protocol: 'UDP' }]),
      gateway('shop', 'shop', [http(8080, ['shop.example.com']), http(80, ['shop.example.com']), http(8443, ['shop.example.com']), http(9000, ['shop.example.com'])]),
    ]);
    // THEN the target port and the service port resolve; a UDP port and an unexposed port do not
    expect(brief(ds)).toEqual([
      'IST0162 Gateway shop/shop spec.servers[2].port',
      'IST0162 Gateway shop/shop spec.servers[3].port',
    ]);
    expect(ds[1].message).toContain('9000');
    expect(ds[1].level).toBe('Warning');
  });

  test('a Service in another namespace than the gateway workload does not count', () => {
    const [deployment, service] = gatewayWorkload('edge');
    const ds = run(A, [deployment, { ...service, metadata: { name: 'edge-gateway', namespace: 'other' } }, gateway('shop', 'shop', [http(80, ['a.example.com'])])]);
    expect(brief(ds)).toEqual(['IST0162 Gateway shop/shop spec.servers[0].port']);
  });

  test('a selector that matches no workload is IST0101 on spec.selector, and ports are not checked', () => {
    const ds = run(A, [...gatewayWorkload(), gateway('shop', 'shop', [http(1234, ['a.example.com'])], { istio: 'egde' })]);
    expect(brief(ds)).toEqual(['IST0101 Gateway shop/shop spec.selector']);
    expect(ds[0].level).toBe('Error');
    expect(ds[0].message).toContain('istio=egde');
  });

  test('a gateway workload declared in options.external resolves, and nothing is reported about it', () => {
    const ds = run(A, [gateway('shop', 'shop', [http(80, ['a.example.com'])])], gatewayWorkload());
    expect(ds).toEqual([]);
  });
});

describe('gateway.SecretAnalyzer', () => {
  const A = 'gateway.SecretAnalyzer';
  const valid = () => ({ ...corpusSecret('gateway-secrets.yaml', 'httpbin-credential'), metadata: { name: 'shop-cert', namespace: 'edge' } });

  test('credentialName resolves in the gateway workload\'s namespace, not the Gateway\'s', () => {
    // GIVEN the Secret in the Gateway's namespace only
    const inGatewayNs = { ...valid(), metadata: { name: 'shop-cert', namespace: 'shop' } };
    const ds = run(A, [...gatewayWorkload(), inGatewayNs, gateway('shop', 'shop', [https(443, ['shop.example.com'], 'shop-cert')])]);
    expect(brief(ds)).toEqual(['IST0101 Gateway shop/shop spec.servers[0].tls.credentialName']);
    expect(ds[0].message).toContain('edge/shop-cert');
    // AND with the Secret in the workload's namespace, a valid certificate raises nothing
    expect(run(A, [...gatewayWorkload(), valid(), gateway('shop', 'shop', [https(443, ['shop.example.com'], 'shop-cert')])])).toEqual([]);
  });

  test('a Secret created outside the program is declared with options.external', () => {
    const manifests = [...gatewayWorkload(), gateway('shop', 'shop', [https(443, ['shop.example.com'], 'made-by-cert-manager')])];
    expect(brief(run(A, manifests))).toEqual(['IST0101 Gateway shop/shop spec.servers[0].tls.credentialName']);
    const external: Manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'made-by-cert-manager', namespace: 'edge' }, type: 'kubernetes.io/tls' } as Manifest;
    // An external Secret declares that it exists: its contents (here none) are not checked.
    expect(run(A, manifests, [external])).toEqual([]);
    // A Secret of the program without contents is invalid, as Istio reads it.
    expect(brief(run(A, [...manifests, external]))).toEqual(['IST0161 Gateway shop/shop spec.servers[0].tls.credentialName']);
  });

  test('credentialName namespace/name and credentialNames entries are looked up too', () => {
    const ds = run(A, [...gatewayWorkload(), valid(), gateway('shop', 'shop', [
      { ...https(443, ['a.example.com'], 'edge/shop-cert') },
      { port: { number: 8443, name: 'https-2', protocol: 'HTTPS' }, hosts: ['b.example.com'], tls: { mode: 'SIMPLE', credentialNames: ['shop-cert', 'missing-cert'] } },
    ])]);
    expect(brief(ds)).toEqual(['IST0101 Gateway shop/shop spec.servers[1].tls.credentialNames[1]']);
  });

  test('a Secret without the expected keys, with a non-PEM certificate, or expired is IST0161 on the Gateway', () => {
    const secret = (name: string, data: Record<string, string>, field: 'data' | 'stringData' = 'data') => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'edge' }, [field]: data }) as Manifest;
    const ds = run(A, [
      ...gatewayWorkload(),
      secret('wrong-keys', { 'tls.cert': 'eA==', 'tls.key': 'eA==' }),
      secret('not-pem', { 'tls.crt': 'not a certificate', 'tls.key': 'k' }, 'stringData'),
      { ...corpusSecret('gateway-secrets-validation.yaml', 'expired-secret'), metadata: { name: 'expired', namespace: 'edge' } },
      gateway('a', 'shop', [https(443, ['a.example.com'], 'wrong-keys')]),
      gateway('b', 'shop', [https(443, ['b.example.com'], 'not-pem')]),
      gateway('c', 'shop', [https(443, ['c.example.com'], 'expired')]),
    ]);
    expect(brief(ds)).toEqual([
      'IST0161 Gateway shop/a spec.servers[0].tls.credentialName',
      'IST0161 Gateway shop/b spec.servers[0].tls.credentialName',
      'IST0161 Gateway shop/c spec.servers[0].tls.credentialName',
    ]);
    expect(ds[0].message).toContain("'tls.cert'");
    expect(ds[1].message).toContain('not PEM');
    expect(ds[2].message).toContain('expired');
  });

  test('certificate validity is judged at the time of analysis', () => {
    const r = toResource({ manifest: valid() }, resolveOptions(), false)!;
    expect(gatewayCredentialProblem(r)).toBeUndefined();
    expect(gatewayCredentialProblem(r, Date.UTC(2300, 0, 1))).toMatch(/expired or not yet valid/);
    expect(gatewayCredentialProblem(r, Date.UTC(2000, 0, 1))).toMatch(/expired or not yet valid/);
  });
});

describe('gateway.ConflictingGatewayAnalyzer', () => {
  const A = 'gateway.ConflictingGatewayAnalyzer';

  test('two Gateways of one workload with the same port and host conflict, across namespaces; bind and host tell them apart', () => {
    const ds = run(A, [
      ...gatewayWorkload(),
      gateway('shop', 'shop', [http(80, ['shop.example.com', 'www.example.com'])]),
      gateway('www', 'www', [http(80, ['www.example.com'])]),
      gateway('other-bind', 'www', [http(80, ['www.example.com'], { bind: '10.0.0.1' })]),
      gateway('other-port', 'www', [http(8080, ['www.example.com'])]),
    ]);
    expect(brief(ds)).toEqual(['IST0145 Gateway shop/shop spec.servers[0]', 'IST0145 Gateway www/www spec.servers[0]']);
    expect(ds[0].message).toContain('www/www');
  });

  test('a narrower selector conflicts only when a workload matches both selectors', () => {
    const internal = gateway('internal', 'shop', [http(80, ['shop.example.com'])], { istio: 'edge', type: 'internal' });
    const shop = gateway('shop', 'shop', [http(80, ['shop.example.com'])]);
    // GIVEN no workload with both labels: no conflict
    expect(run(A, [...gatewayWorkload(), shop, internal])).toEqual([]);
    // WHEN a Deployment's template carries both labels
    const both: Manifest = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'internal', namespace: 'edge' },
      spec: { template: { metadata: { labels: { istio: 'edge', type: 'internal' } }, spec: { containers: [] } } },
    };
    expect(brief(run(A, [...gatewayWorkload(), both, shop, internal]))).toEqual(['IST0145 Gateway shop/internal spec.servers[0]', 'IST0145 Gateway shop/shop spec.servers[0]']);
  });

  test('thousands of Gateways sharing one workload with distinct hosts raise nothing', () => {
    const gws = Array.from({ length: 3000 }, (_, i) => gateway(`g${i}`, `ns${i % 50}`, [https(443, [`s${i}.example.com`], `c${i}`)]));
    expect(run(A, [...gatewayWorkload(), ...gws])).toEqual([]);
  });
});

describe('gateway.CertificateAnalyzer', () => {
  const A = 'gateway.CertificateAnalyzer';

  test('the same credentialName on two Gateways of one workload is reported on the one whose selector is included in the other\'s', () => {
    const ds = run(A, [
      gateway('a', 'shop', [https(443, ['a.example.com'], 'wildcard')]),
      gateway('b', 'www', [https(443, ['b.example.com'], 'wildcard'), https(8443, ['c.example.com'], 'wildcard')]),
      gateway('c', 'www', [https(443, ['c.example.com'], 'wildcard')], { istio: 'edge', type: 'internal' }),
      gateway('d', 'www', [https(443, ['d.example.com'], 'own')]),
    ]);
    // a and b see each other (equal selectors) and c (a superset); c sees no one; b reports c once
    expect(brief(ds)).toEqual([
      'IST0138 Gateway shop/a spec.servers[0].tls',
      'IST0138 Gateway shop/a spec.servers[0].tls',
      'IST0138 Gateway www/b spec.servers[0].tls',
      'IST0138 Gateway www/b spec.servers[0].tls',
    ]);
    expect(ds.filter((d) => d.resource === 'Gateway shop/a').map((d) => /Gateway (\S+) on/.exec(d.message)![1]).sort()).toEqual(['www/b', 'www/c']);
  });
});

describe('envoyfilter.EnvoyPatchAnalyzer', () => {
  const A = 'envoyfilter.EnvoyPatchAnalyzer';
  const filter = (name: string, patches: any[], priority?: number): Manifest => ({
    apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name, namespace: 'edge' },
    spec: { workloadSelector: { labels: INGRESS_LABELS }, ...(priority !== undefined ? { priority } : {}), configPatches: patches },
  });
  const patch = (applyTo: string, operation: string, extra: Record<string, unknown> = {}) => ({
    applyTo, match: { context: 'GATEWAY', ...extra }, patch: { operation, value: { name: 'envoy.filters.http.lua' } },
  });

  test('relative operations warn without priority, once per EnvoyFilter naming every patch; a priority silences them', () => {
    const ds = run(A, [filter('lua', [patch('HTTP_FILTER', 'INSERT_BEFORE'), patch('CLUSTER', 'ADD'), patch('NETWORK_FILTER', 'REMOVE')])]);
    expect(brief(ds)).toEqual(['IST0151 EnvoyFilter edge/lua spec.configPatches[0]']);
    expect(ds[0].message).toContain('[0], [2]');
    expect(run(A, [filter('lua', [patch('HTTP_FILTER', 'INSERT_BEFORE')], 10)])).toEqual([]);
    // MERGE and INSERT_FIRST are absolute, as in the library's own header hygiene filter
    expect(run(A, [filter('lua', [patch('HTTP_FILTER', 'MERGE'), patch('HTTP_FILTER', 'INSERT_FIRST')])])).toEqual([]);
  });

  test('operations Istio ignores are errors even with a priority', () => {
    const ds = run(A, [filter('bad', [patch('CLUSTER', 'REPLACE'), patch('HTTP_ROUTE', 'ADD'), patch('ROUTE_CONFIGURATION', 'REMOVE')], 5)]);
    expect(brief(ds)).toEqual([
      'IST0152 EnvoyFilter edge/bad spec.configPatches[0]',
      'IST0153 EnvoyFilter edge/bad spec.configPatches[1]',
      'IST0154 EnvoyFilter edge/bad spec.configPatches[2]',
    ]);
    expect(ds.every((d) => d.level === 'Error')).toBe(true);
  });

  test('a later relative patch of a filter an earlier patch pinned to a proxyVersion is IST0155', () => {
    const ds = run(A, [
      filter('pinned', [patch('HTTP_FILTER', 'INSERT_AFTER', { proxy: { proxyVersion: '^1\\.30.*' } })]),
      filter('later', [patch('HTTP_FILTER', 'INSERT_AFTER')]),
    ]);
    expect(brief(ds)).toEqual(['IST0155 EnvoyFilter edge/later spec.configPatches[0]', 'IST0151 EnvoyFilter edge/pinned spec.configPatches[0]']);
  });

  test('patches after one without a patch section are not checked', () => {
    expect(run(A, [filter('cut', [{ applyTo: 'CLUSTER', match: {} }, patch('CLUSTER', 'REPLACE')])])).toEqual([]);
  });
});

describe('k8sgateway analyzers', () => {
  const policy = (kind: string, apiVersion: string, name: string, spec: Record<string, unknown>): Manifest => ({ apiVersion, kind, metadata: { name, namespace: 'shop' }, spec });
  const k8sGateway: Manifest = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'shop-gw', namespace: 'shop' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  };
  const selector = { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'shop-gw' } };

  test('a selector on the pods of a Gateway API gateway the program declares is ineffective; targetRefs is the fix', () => {
    const ds = run('k8sgateway.SelectorAnalyzer', [
      k8sGateway,
      policy('AuthorizationPolicy', 'security.istio.io/v1', 'by-selector', { selector, action: 'DENY', rules: [{}] }),
      policy('AuthorizationPolicy', 'security.istio.io/v1', 'by-target', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop-gw' }], action: 'DENY', rules: [{}] }),
      policy('Telemetry', 'telemetry.istio.io/v1', 'other-app', { selector: { matchLabels: { app: 'reviews' } } }),
      { ...policy('RequestAuthentication', 'security.istio.io/v1', 'other-ns', { selector }), metadata: { name: 'other-ns', namespace: 'www' } },
    ]);
    expect(brief(ds)).toEqual(['IST0166 AuthorizationPolicy shop/by-selector spec.selector']);
    expect(ds[0].message).toContain('targetRefs');
  });

  test('gateway pods from a Deployment template count, once per gateway', () => {
    const labels = { 'gateway.networking.k8s.io/gateway-name': 'shop-gw', app: 'x' };
    const deployment: Manifest = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop-gw-istio', namespace: 'shop' }, spec: { template: { metadata: { labels }, spec: {} } } };
    const ds = run('k8sgateway.SelectorAnalyzer', [deployment, k8sGateway, policy('WasmPlugin', 'extensions.istio.io/v1alpha1', 'wasm', { selector: { matchLabels: { app: 'x' } }, url: 'oci://x' })]);
    expect(brief(ds)).toEqual(['IST0166 WasmPlugin shop/wasm spec.selector']);
  });

  test('Gateway API CRDs older than Istio\'s minimum are IST0176; pre-releases count as their release', () => {
    const crd = (name: string, version?: string): Manifest => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
      metadata: { name, ...(version ? { annotations: { 'gateway.networking.k8s.io/bundle-version': version } } : {}) }, spec: { names: { kind: 'X' } },
    });
    const ds = run('k8sgateway.CRDVersionAnalyzer', [
      crd('tcproutes.gateway.networking.k8s.io', 'v1.5.9'),
      crd('tlsroutes.gateway.networking.k8s.io', 'v1.5.0-rc.1'),
      crd('grpcroutes.gateway.networking.k8s.io'),
      crd('httproutes.gateway.networking.k8s.io', 'v0.1.0'),
      crd('backendtlspolicies.gateway.networking.k8s.io', 'not-a-version'),
    ]);
    expect(brief(ds)).toEqual(['IST0176 CustomResourceDefinition tcproutes.gateway.networking.k8s.io metadata.annotations.gateway.networking.k8s.io/bundle-version']);
    expect(ds[0].message).toContain('v1.6.0');
    expect(parseBundleVersion('v1.4')).toEqual([1, 4, 0]);
    expect(parseBundleVersion('1.4.1+build')).toEqual([1, 4, 1]);
    expect(parseBundleVersion('v1.x')).toBeUndefined();
  });
});
