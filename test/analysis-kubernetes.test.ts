/**
 * The `kubernetes` analyzers (annotations, port names, Deployments and their Services, UIDs,
 * injection, webhooks, external control plane, conditions, mesh networks, deprecated fields) on
 * small hand-written programs, as the library uses them: every object has a namespace, objects
 * the install owns come through `options.external`.
 */
import { Diagnostic, analyze, analyzerNames } from '../src/analysis';
import { ISTIO_ANNOTATIONS, isIstioAnnotation } from '../src/analysis/annotations-data';
import { portProtocolKnown } from '../src/analysis/analyzers/kubernetes';
import { labelSelectorMatches } from '../src/analysis/analyzers/kubernetes-injection';
import { Manifest } from '../src/core/manifest';
import { manifestsOf } from '../src/core/output';
import { Protocol } from '../src/core/ports';
import { ServiceRef } from '../src/core/references';
import { buildHardenedGateway } from '../src/patterns/hardened-gateway';

const run = (analyzer: string, manifests: Manifest[], options: Parameters<typeof analyze>[1] = {}): Diagnostic[] =>
  analyze(manifests, { ...options, analyzers: [analyzer] });
const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.resource}${d.path ? ` ${d.path}` : ''}`).sort();

const namespace = (name: string, labels: Record<string, string> = {}): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const service = (name: string, ns: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Manifest => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec,
});
function deployment(name: string, ns: string, template: { labels?: Record<string, string>; annotations?: Record<string, string>; spec?: any }, meta: Record<string, any> = {}): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, ...meta },
    spec: { selector: { matchLabels: template.labels ?? {} }, template: { metadata: { labels: template.labels, annotations: template.annotations }, spec: template.spec ?? { containers: [{ name: 'app', image: 'app:1' }] } } },
  };
}
const pod = (name: string, ns: string, spec: any, meta: Record<string, any> = {}): Manifest => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...meta }, spec });

/** An Istio injector webhook configuration selecting `istio-injection=enabled` namespaces. */
const injectorWebhook = (name = 'istio-sidecar-injector', serviceName = 'istiod'): Manifest => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name },
  webhooks: [{ name: 'namespace.sidecar-injector.istio.io', clientConfig: { service: { name: serviceName, namespace: 'istio-system' } }, namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } } }],
} as any);
const istiod = service('istiod', 'istio-system', { ports: [{ name: 'https-webhook', port: 443 }] }, { app: 'istiod', istio: 'pilot' });

describe('annotation catalogue', () => {
  test('carries kinds, status and deprecation from istio/api', () => {
    expect(ISTIO_ANNOTATIONS.get('sidecar.istio.io/inject')).toEqual({ name: 'sidecar.istio.io/inject', featureStatus: 'Beta', deprecated: true, resources: ['Pod'] });
    expect(ISTIO_ANNOTATIONS.get('networking.istio.io/traffic-distribution')?.resources).toEqual(['Namespace', 'Service', 'ServiceEntry']);
    expect(ISTIO_ANNOTATIONS.get('kubernetes.io/ingress.class')?.featureStatus).toBe('Stable');
    expect(ISTIO_ANNOTATIONS.size).toBeGreaterThan(60);
    expect([isIstioAnnotation('foo.istio.io/x'), isIstioAnnotation('kubernetes.io/ingress.class'), isIstioAnnotation('kubernetes.io/psp'), isIstioAnnotation('istio.io.example.com/x')])
      .toEqual([true, true, false, false]);
  });
});

describe('annotations.K8sAnalyzer', () => {
  const A = 'annotations.K8sAnalyzer';

  test('a pod annotation on the Deployment itself is misplaced (and deprecated); on the template it is not looked at', () => {
    const ds = run(A, [deployment('web', 'shop', {
      labels: { app: 'web' }, annotations: { 'sidecar.istio.io/statsInclusionPrefixes': 'cluster.outbound', 'sidecar.istio.io/bogus': 'x' },
    }, { annotations: { 'sidecar.istio.io/proxyCPU': '100m', 'sidecar.istio.io/statsInclusionPrefixes': 'x' } })]);
    expect(brief(ds)).toEqual([
      'IST0107 Deployment shop/web metadata.annotations["sidecar.istio.io/proxyCPU"]',
      'IST0107 Deployment shop/web metadata.annotations["sidecar.istio.io/statsInclusionPrefixes"]',
      'IST0135 Deployment shop/web metadata.annotations["sidecar.istio.io/statsInclusionPrefixes"]',
    ]);
    expect(ds.find((d) => d.code === 'IST0107')!.message).toMatch(/spec\.template\.metadata\.annotations/);
  });

  test('unknown keys in an istio.io prefix, malformed values; valid values and foreign prefixes pass', () => {
    const ds = run(A, [
      service('api', 'shop', { ports: [{ name: 'http', port: 80 }] }, {}),
      pod('p', 'shop', { containers: [{ name: 'app' }] }, {
        annotations: {
          'traffic.sidecar.istio.io/excludeOutboundPorts': '80,99999',
          'traffic.sidecar.istio.io/includeOutboundIPRanges': '10.0.0.0/8,*',
          'traffic.sidecar.istio.io/excludeInboundPorts': ' 15020, 8080 ',
          'sidecar.istio.io/interceptionMode': 'TPROXY',
          'sidecar.istio.io/proxyMemory': '128Mi',
          'prometheus.istio.io/merge-metrics': 'yes',
          'networking.istio.io/exportTo': '.',
          'helm.sh/hook': 'test',
          'sidecar.istio.io/status': '{}',
        },
      }),
      { ...service('db', 'shop', { ports: [{ name: 'tcp', port: 5432 }] }), metadata: { name: 'db', namespace: 'shop', annotations: { 'networking.istio.io/exportToo': '.' } } },
    ]);
    expect(brief(ds)).toEqual([
      'IST0107 Pod shop/p metadata.annotations["networking.istio.io/exportTo"]',
      'IST0108 Service shop/db metadata.annotations["networking.istio.io/exportToo"]',
      'IST0125 Pod shop/p metadata.annotations["prometheus.istio.io/merge-metrics"]',
      'IST0125 Pod shop/p metadata.annotations["traffic.sidecar.istio.io/excludeOutboundPorts"]',
      'IST0125 Pod shop/p metadata.annotations["traffic.sidecar.istio.io/includeOutboundIPRanges"]',
    ]);
  });

  test('the deprecated sidecar.istio.io/inject annotation is not reported when the label is there too', () => {
    const anno = { annotations: { 'sidecar.istio.io/inject': 'true' } };
    expect(brief(run(A, [pod('a', 'shop', {}, anno), pod('b', 'shop', {}, { ...anno, labels: { 'sidecar.istio.io/inject': 'true' } })])))
      .toEqual(['IST0135 Pod shop/a metadata.annotations["sidecar.istio.io/inject"]']);
  });
});

describe('maturity.AlphaAnalyzer', () => {
  const manifests = [pod('p', 'shop', { containers: [{ name: 'app' }] }, {
    annotations: { 'sidecar.istio.io/proxyCPU': '100m', 'proxy.istio.io/config': '{}', 'sidecar.istio.io/interceptionMode': 'REDIRECT' },
  })];

  test('is opt-in: not in the default set, runs when named; CNI defaults are skipped without istio-init', () => {
    expect(analyzerNames().find((a) => a.name === 'maturity.AlphaAnalyzer')).toEqual({ name: 'maturity.AlphaAnalyzer', default: false });
    expect(analyze(manifests).filter((d) => d.code === 'IST0136')).toEqual([]);
    expect(brief(run('maturity.AlphaAnalyzer', manifests))).toEqual(['IST0136 Pod shop/p metadata.annotations["sidecar.istio.io/proxyCPU"]']);
    const withInit = [{ ...manifests[0], spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'istio-init' }] } }];
    expect(run('maturity.AlphaAnalyzer', withInit)).toHaveLength(2);
  });
});

describe('service.PortNameAnalyzer', () => {
  const A = 'service.PortNameAnalyzer';

  test('protocol from the name prefix, appProtocol, UDP or a well-known port; others reported with the port path', () => {
    const ds = run(A, [service('api', 'shop', {
      ports: [
        { name: 'http-web', port: 80 }, { name: 'grpc-web-x', port: 81 }, { name: 'web', port: 82, appProtocol: 'http' },
        { name: 'dns', port: 53, protocol: 'UDP' }, { port: 3306 }, { name: 'metrics', port: 9090 }, { port: 8080, targetPort: 'web' },
        { name: 'http', port: 83, appProtocol: 'custom' },
      ],
    })]);
    expect(brief(ds)).toEqual(['IST0118 Service shop/api spec.ports[5]', 'IST0118 Service shop/api spec.ports[6]', 'IST0118 Service shop/api spec.ports[7]']);
    expect(ds.find((d) => d.path === 'spec.ports[6]')!.message).toMatch(/targetPort web/);
  });

  test('control plane and gateway-managed Services are left out; ExternalName gets IST0150, also for "tcp"', () => {
    const ds = run(A, [
      service('istiod', 'istio-system', { ports: [{ name: 'x', port: 1 }] }, { istio: 'pilot' }),
      service('gw', 'edge', { ports: [{ name: 'x', port: 1 }] }, { 'gateway.istio.io/managed': 'istio.io-gateway-controller' }),
      service('ext', 'shop', { type: 'ExternalName', externalName: 'db.example.com', ports: [{ name: 'tcp', port: 5432 }, { name: 'tcp-db', port: 5433 }] }),
    ]);
    expect(brief(ds)).toEqual(['IST0150 Service shop/ext spec.ports[0]']);
  });

  test('portProtocolKnown follows Istio\'s conversion', () => {
    expect([portProtocolKnown({ name: 'HTTP2-x' }), portProtocolKnown({ name: 'kubernetes.io/h2c' }), portProtocolKnown({ appProtocol: 'kubernetes.io/ws' }), portProtocolKnown({ name: 'mongo', port: 1 }), portProtocolKnown({ port: 27017 })])
      .toEqual([true, false, true, true, true]);
  });
});

describe('deployment.ServiceAssociationAnalyzer', () => {
  const A = 'deployment.ServiceAssociationAnalyzer';
  const web = (ns = 'shop') => deployment('web', ns, { labels: { app: 'web', version: 'v1' } });

  test('Services of the Deployment\'s namespace using one port with two protocols, in an injected namespace', () => {
    const svcs = [
      service('web-tcp', 'shop', { selector: { app: 'web' }, ports: [{ name: 'tcp', port: 53 }] }),
      service('web-udp', 'shop', { selector: { app: 'web', version: 'v1' }, ports: [{ name: 'udp', port: 53, protocol: 'UDP' }] }),
      service('other-ns', 'other', { selector: { app: 'web' }, ports: [{ name: 'udp', port: 80, protocol: 'UDP' }] }),
      service('no-match', 'shop', { selector: { app: 'web', version: 'v2' }, ports: [{ name: 'udp', port: 80, protocol: 'UDP' }] }),
    ];
    const ds = run(A, [namespace('shop', { 'istio-injection': 'enabled' }), web(), ...svcs]);
    expect(brief(ds)).toEqual(['IST0116 Deployment shop/web metadata.name']);
    expect(ds[0].message).toContain('shop/web-tcp, shop/web-udp');
    // not in the mesh: no namespace label, no sidecar, no inject label
    expect(run(A, [namespace('shop'), web(), ...svcs])).toEqual([]);
    // the pod template's inject label decides before the namespace
    expect(run(A, [namespace('shop'), deployment('web', 'shop', { labels: { app: 'web', version: 'v1', 'sidecar.istio.io/inject': 'true' } }), ...svcs])).toHaveLength(1);
  });

  test('two ports to one targetPort (IST0137)', () => {
    const ds = run(A, [namespace('shop', { 'istio-injection': 'enabled' }), web(),
      service('a', 'shop', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      service('b', 'shop', { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] })]);
    expect(brief(ds)).toEqual(['IST0137 Deployment shop/web metadata.name']);
    expect(ds[0].message).toMatch(/ports 80, 8080 to one targetPort 8080/);
  });

  test('stays indexed: 5,000 Deployments and Services in one namespace, all sharing one selector label', () => {
    const manifests: Manifest[] = [namespace('big', { 'istio-injection': 'enabled' })];
    for (let i = 0; i < 5000; i++) {
      const labels = { 'app.kubernetes.io/part-of': 'shop', 'name': `a${i}` };
      manifests.push(deployment(`d${i}`, 'big', { labels }));
      manifests.push(service(`s${i}`, 'big', { selector: labels, ports: [{ name: 'http', port: 80 }] }));
    }
    // one conflict among them is still found
    manifests.push(service('extra', 'big', { selector: { name: 'a7' }, ports: [{ name: 'udp', port: 80, protocol: 'UDP' }] }));
    // (Its cost is measured by `npm run bench`, never by a timed test.)
    expect(brief(run(A, manifests))).toEqual(['IST0116 Deployment big/d7 metadata.name']);
  });
});

describe('deployment.ApplicationUIDAnalyzer', () => {
  const A = 'deployment.ApplicationUIDAnalyzer';

  test('UID 1337 for application code, once per object; Istio\'s own containers may use it', () => {
    const ds = run(A, [
      pod('both', 'shop', { securityContext: { runAsUser: 1337 }, containers: [{ name: 'app', securityContext: { runAsUser: 1337 } }] }),
      pod('proxy-only', 'shop', { containers: [{ name: 'app' }, { name: 'istio-proxy', securityContext: { runAsUser: 1337 } }] }),
      pod('cp', 'istio-system', { securityContext: { runAsUser: 1337 }, containers: [{ name: 'discovery' }] }, { labels: { istio: 'pilot' } }),
      deployment('api', 'shop', { spec: { containers: [{ name: 'app', securityContext: { runAsUser: 1337 } }] } }),
    ]);
    expect(brief(ds)).toEqual(['IST0144 Deployment shop/api spec.template.spec.containers[0].securityContext.runAsUser', 'IST0144 Pod shop/both spec.securityContext.runAsUser']);
  });

  test('the library\'s own gateway workload (pod-level 1337, only istio-proxy) raises nothing', () => {
    const out = buildHardenedGateway({
      name: 'shop', workload: { name: 'shop-gateway', namespace: 'edge' },
      backend: ServiceRef.fromName('web', { namespace: 'shop', ports: [{ port: 80, protocol: Protocol.HTTP }] }),
      servers: [{ hosts: ['shop.example.com'], credentialName: 'shop-cert' }],
    });
    const manifests = manifestsOf(out);
    expect(manifests.some((m: any) => m.kind === 'Deployment' && m.spec.template.spec.securityContext.runAsUser === 1337)).toBe(true);
    expect(run(A, manifests)).toEqual([]);
    // nor does image: auto without a known injector webhook, nor anything else in this family
    expect(analyze(manifests, { analyzers: analyzerNames().map((a) => a.name).filter((n) => /^(annotations|deployment|injection|service|webhook|externalcontrolplane)\./.test(n)) })
      .filter((d) => d.level !== 'Info')).toEqual([]);
  });
});

describe('injection.Analyzer', () => {
  const A = 'injection.Analyzer';

  test('namespace labels: none (IST0102), several (IST0123), ambient, the Istio namespace skipped; pods without proxy (IST0103)', () => {
    const ds = run(A, [
      namespace('istio-system'), namespace('plain'), namespace('amb', { 'istio.io/dataplane-mode': 'ambient' }),
      namespace('both', { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' }), namespace('off', { 'istio-injection': 'disabled', 'istio.io/rev': 'x' }),
      namespace('on', { 'istio-injection': 'enabled' }),
      pod('bare', 'on', { containers: [{ name: 'app' }] }),
      pod('injected', 'on', { containers: [{ name: 'app' }, { name: 'istio-proxy', image: 'proxyv2:1.29' }] }),
      pod('opted-out', 'on', { containers: [{ name: 'app' }] }, { labels: { 'sidecar.istio.io/inject': 'False' } }),
      pod('host', 'on', { hostNetwork: true, containers: [{ name: 'app' }] }),
      pod('elsewhere', 'plain', { containers: [{ name: 'app' }] }),
    ]);
    expect(brief(ds)).toEqual(['IST0102 Namespace plain metadata.labels', 'IST0103 Pod on/bare', 'IST0123 Namespace both metadata.labels']);
  });

  test('the injector\'s enableNamespacesByDefault turns IST0102 into IST0148', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-sidecar-injector', namespace: 'istio-system' }, data: { values: JSON.stringify({ sidecarInjectorWebhook: { enableNamespacesByDefault: true } }) } };
    expect(brief(run(A, [namespace('plain'), cm as Manifest]))).toEqual(['IST0148 Namespace plain']);
  });
});

describe('injection.ImageAutoAnalyzer', () => {
  const A = 'injection.ImageAutoAnalyzer';
  const gw = deployment('gw', 'edge', { labels: { istio: 'gw' }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } });

  test('a Deployment with image: auto is judged against the injector webhooks, also external ones', () => {
    expect(run(A, [gw])).toEqual([]);
    expect(brief(run(A, [gw, namespace('edge')], { external: [injectorWebhook()] }))).toEqual(['IST0146 Deployment edge/gw spec.template.spec.containers']);
    expect(run(A, [gw, namespace('edge', { 'istio-injection': 'enabled' })], { external: [injectorWebhook()] })).toEqual([]);
  });

  test('a Pod with image: auto was not injected (IST0147)', () => {
    expect(brief(run(A, [pod('p', 'edge', { containers: [{ name: 'istio-proxy', image: 'auto' }] })]))).toEqual(['IST0147 Pod edge/p spec.containers']);
  });
});

describe('injection.ImageAnalyzer', () => {
  test('pods whose proxy differs from the injector\'s image, per namespace; the image type variant is accepted', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-sidecar-injector', namespace: 'istio-system' }, data: { values: JSON.stringify({ global: { hub: 'docker.io/istio', tag: '1.29.0', proxy: { image: 'proxyv2' } } }) } };
    const proxied = (name: string, image: string, meta: Record<string, any> = {}) => pod(name, 'shop', { containers: [{ name: 'app' }, { name: 'istio-proxy', image }] }, meta);
    const ds = run('injection.ImageAnalyzer', [cm as Manifest, namespace('shop', { 'istio-injection': 'enabled' }),
      proxied('current', 'docker.io/istio/proxyv2:1.29.0'), proxied('old-b', 'docker.io/istio/proxyv2:1.28.0'), proxied('old-a', 'docker.io/istio/proxyv2:1.28.0'),
      proxied('distroless', 'docker.io/istio/proxyv2:1.29.0-distroless', { annotations: { 'proxy.istio.io/config': 'image:\n  imageType: distroless' } }),
      proxied('custom', 'my/proxy:1', { annotations: { 'sidecar.istio.io/proxyImage': 'my/proxy:1' } })]);
    expect(brief(ds)).toEqual(['IST0158 Namespace shop']);
    expect(ds[0].message).toContain('(old-a, old-b)');
  });
});

describe('webhook.Analyzer', () => {
  const A = 'webhook.Analyzer';

  test('two injector webhooks for the same namespaces: each reported once; a webhook to a missing Service', () => {
    const ds = run(A, [injectorWebhook('istio-sidecar-injector'), injectorWebhook('istio-sidecar-injector-copy', 'gone'), istiod]);
    expect(brief(ds)).toEqual([
      'IST0139 MutatingWebhookConfiguration istio-sidecar-injector webhooks[0]',
      'IST0139 MutatingWebhookConfiguration istio-sidecar-injector-copy webhooks[0]',
      'IST0139 MutatingWebhookConfiguration istio-sidecar-injector-copy webhooks[0].clientConfig.service',
    ]);
  });

  test('the control plane Service may be external; revisions separate webhooks', () => {
    const rev = (r: string): Manifest => ({
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `istio-sidecar-injector-${r}` },
      webhooks: [{ name: 'rev.namespace.sidecar-injector.istio.io', clientConfig: { service: { name: 'istiod', namespace: 'istio-system' } }, namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [r] }] } }],
    } as any);
    expect(run(A, [rev('a'), rev('b')], { external: [istiod] })).toEqual([]);
  });

  test('label selectors with expressions', () => {
    const sel = { matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['x'] }, { key: 'c', operator: 'DoesNotExist' }] };
    expect([labelSelectorMatches(sel, { a: '1' }), labelSelectorMatches(sel, { a: '1', b: 'x' }), labelSelectorMatches(sel, { a: '1', c: '' }), labelSelectorMatches(undefined, {}),
      labelSelectorMatches({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, { a: '1' })]).toEqual([true, false, false, true, false]);
  });
});

describe('externalcontrolplane.ExternalControlPlaneAnalyzer', () => {
  test('webhook addresses: neither URL nor Service, an IP address; other configurations ignored', () => {
    const cfg = (kind: string, name: string, clientConfigs: any[]): Manifest => ({
      apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks: clientConfigs.map((clientConfig, i) => ({ name: `h${i}.istio.io`, clientConfig })),
    } as any);
    const ds = run('externalcontrolplane.ExternalControlPlaneAnalyzer', [
      cfg('ValidatingWebhookConfiguration', 'istio-validator-x', [{ url: 'https://istiod.example.com:15017/validate' }, {}]),
      cfg('MutatingWebhookConfiguration', 'istio-sidecar-injector-x', [{ url: 'https://10.1.2.3:15017/inject' }, { url: 'https://[::1]:15017/inject' }, { url: 'https://bad host:x/' }]),
      cfg('MutatingWebhookConfiguration', 'other', [{}]),
    ]);
    expect(brief(ds)).toEqual([
      'IST0163 MutatingWebhookConfiguration istio-sidecar-injector-x webhooks[2].clientConfig.url',
      'IST0163 ValidatingWebhookConfiguration istio-validator-x webhooks[1].clientConfig',
      'IST0164 MutatingWebhookConfiguration istio-sidecar-injector-x webhooks[0].clientConfig.url',
      'IST0164 MutatingWebhookConfiguration istio-sidecar-injector-x webhooks[1].clientConfig.url',
    ]);
  });
});

describe('deprecation, conditions, mesh networks', () => {
  test('deprecation.FieldAnalyzer: fault.delay.percent, Sidecar egressProxy, removed rbac CRDs', () => {
    const ds = run('deprecation.FieldAnalyzer', [
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v', namespace: 'shop' }, spec: { hosts: ['a'], http: [{ fault: { delay: { percentage: { value: 5 }, fixedDelay: '1s' } } }, { fault: { delay: { percent: 5, fixedDelay: '1s' } } }] } },
      { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 's', namespace: 'shop' }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'x' } } } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'serviceroles.rbac.istio.io' }, spec: { group: 'rbac.istio.io', names: { kind: 'ServiceRole' } } },
    ]);
    expect(brief(ds)).toEqual([
      'IST0002 CustomResourceDefinition serviceroles.rbac.istio.io spec.names.kind',
      'IST0002 Sidecar shop/s spec.outboundTrafficPolicy.egressProxy',
      'IST0002 VirtualService shop/v spec.http[1].fault.delay.percent',
    ]);
  });

  test('conditions.ConditionAnalyzer: negative conditions, route parents, the partially invalid policy', () => {
    const ds = run('conditions.ConditionAnalyzer', [
      { ...service('ok', 'shop', {}), status: { conditions: [{ type: 'istio.io/WaypointBound', status: 'True' }] } } as Manifest,
      { ...service('unbound', 'shop', {}), status: { conditions: [{ type: 'istio.io/WaypointBound', status: 'False', reason: 'WaypointNotFound' }] } } as Manifest,
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, status: { parents: [{ conditions: [{ type: 'Accepted', status: 'True' }, { type: 'ResolvedRefs', status: 'False' }] }] } } as Manifest,
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'shop' }, status: { conditions: [{ type: 'WaypointAccepted', status: 'True', reason: 'PartiallyInvalid' }] } } as Manifest,
    ]);
    expect(brief(ds)).toEqual(['IST0171 AuthorizationPolicy shop/p status.conditions', 'IST0171 HTTPRoute shop/r status.conditions', 'IST0171 Service shop/unbound status.conditions']);
  });

  test('multicluster.MeshNetworksAnalyzer: registries must be Kubernetes, External or a remote secret\'s cluster', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'remote', namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' } }, data: { west: 'eA==' } } as Manifest;
    const meshNetworks = { networks: { n1: { endpoints: [{ fromRegistry: 'Kubernetes' }, { fromRegistry: 'west' }, { fromCidr: '10.0.0.0/8' }] }, n2: { endpoints: [{ fromRegistry: 'east' }] } } };
    const ds = run('multicluster.MeshNetworksAnalyzer', [secret], { meshNetworks });
    expect(brief(ds)).toEqual(['IST0126 MeshNetworks istio-system/meshnetworks networks.n2.endpoints[0].fromRegistry']);
    expect(run('multicluster.MeshNetworksAnalyzer', [secret])).toEqual([]);
  });
});
