/**
 * The `virtualservice` analyzers on small hand-written programs, as the library uses them:
 * namespaces always set, hosts fully qualified, gateway references `namespace/name`, gateway
 * workloads declared as Deployments. Istio's own cases run in analyzer-corpus.test.ts.
 */
import { analyze, Diagnostic } from '../src/analysis';
import { Manifest } from '../src/core/manifest';

const ALL = [
  'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  'virtualservice.DestinationHostAnalyzer',
  'virtualservice.DestinationRuleAnalyzer',
  'virtualservice.GatewayAnalyzer',
  'virtualservice.JWTClaimRouteAnalyzer',
];

const run = (objects: Manifest[], analyzers: string[] = ALL, external: Manifest[] = []): Diagnostic[] => analyze(objects, { analyzers, external });
const brief = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.resource}${d.path ? ` ${d.path}` : ''}`).sort();

const fqdn = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;

function service(name: string, namespace: string, ports: number[] = [80], annotations?: Record<string, string>): Manifest {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { selector: { app: name }, ports: ports.map((port) => ({ name: `http-${port}`, port })) },
  } as Manifest;
}

function destinationRule(name: string, namespace: string, host: string, subsets: string[], extra: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace },
    spec: { host, subsets: subsets.map((s) => ({ name: s, labels: { version: s } })), ...extra },
  } as Manifest;
}

function virtualService(name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec } as Manifest;
}

function gateway(name: string, namespace: string, hosts: string[], selector: Record<string, string> = { istio: 'ingressgateway' }): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace },
    spec: { selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
  } as Manifest;
}

const route = (host: string, extra: Record<string, unknown> = {}) => ({ destination: { host, ...extra } });

describe('virtualservice.DestinationRuleAnalyzer', () => {
  const A = ['virtualservice.DestinationRuleAnalyzer'];

  test('a subset no DestinationRule defines is an error on the route, naming the defined subsets', () => {
    // GIVEN a DestinationRule for reviews with v1 and v2, and a route to v3 (FQDN hosts everywhere)
    const objects = [
      destinationRule('reviews', 'bookinfo', fqdn('reviews', 'bookinfo'), ['v1', 'v2']),
      virtualService('reviews', 'bookinfo', {
        hosts: [fqdn('reviews', 'bookinfo')],
        http: [{ route: [route(fqdn('reviews', 'bookinfo'), { subset: 'v1' }), route(fqdn('reviews', 'bookinfo'), { subset: 'v3' })] }],
      }),
    ];
    // WHEN analyzed
    const ds = run(objects, A);
    // THEN one IST0101 on the second destination's subset, which says what exists and what to do
    expect(brief(ds)).toEqual(['IST0101 VirtualService bookinfo/reviews spec.http[0].route[1].destination.subset']);
    expect(ds[0].level).toBe('Error');
    expect(ds[0].message).toContain('"v3"');
    expect(ds[0].message).toContain('defined subsets: v1, v2');
    expect(ds[0].message).toMatch(/503/);
  });

  test('a short host and an FQDN of another namespace name the same DestinationRule host; mirrors are checked', () => {
    const objects = [
      destinationRule('reviews', 'bookinfo', 'reviews', ['v1']),
      // the gateway VirtualService lives in istio-system and routes with the FQDN
      virtualService('ingress', 'istio-system', {
        hosts: ['bookinfo.example.com'], gateways: ['istio-system/gw'],
        http: [{ route: [route(fqdn('reviews', 'bookinfo'), { subset: 'v1' })], mirror: { host: fqdn('reviews', 'bookinfo'), subset: 'v9' } }],
      }),
    ];
    expect(brief(run(objects, A))).toEqual(['IST0101 VirtualService istio-system/ingress spec.http[0].mirror.subset']);
  });

  test('a subset whose DestinationRules are exported away from the proxies applying the route is reported (beyond Istio)', () => {
    const dr = (exportTo: string[]) => destinationRule('reviews', 'bookinfo', fqdn('reviews', 'bookinfo'), ['v1'], { exportTo });
    const vs = (ns: string, gateways?: string[]) => virtualService('reviews', ns, {
      hosts: [fqdn('reviews', 'bookinfo')], ...(gateways ? { gateways } : {}),
      http: [{ route: [route(fqdn('reviews', 'bookinfo'), { subset: 'v1' })] }],
    });
    // sidecars of the DestinationRule's own namespace see it
    expect(run([dr(['.']), vs('bookinfo')], A)).toEqual([]);
    // a mesh VirtualService in another namespace: its sidecars do not
    const mesh = run([dr(['.']), vs('frontend')], A);
    expect(brief(mesh)).toEqual(['IST0101 VirtualService frontend/reviews spec.http[0].route[0].destination.subset']);
    expect(mesh[0].message).toContain('exportTo hides it from namespace "frontend"');
    // bound to a gateway in istio-system: the gateway's proxies are the ones that need it
    const atGateway = run([dr(['.']), vs('bookinfo', ['istio-system/gw'])], A);
    expect(brief(atGateway)).toEqual(['IST0101 VirtualService bookinfo/reviews spec.http[0].route[0].destination.subset']);
    expect(atGateway[0].message).toContain('gateway istio-system/gw');
    expect(run([dr(['.', 'istio-system']), vs('bookinfo', ['istio-system/gw', 'mesh'])], A)).toEqual([]);
  });
});

describe('virtualservice.DestinationHostAnalyzer', () => {
  const A = ['virtualservice.DestinationHostAnalyzer'];

  test('FQDN hosts resolve across namespaces; unknown hosts and hidden Services are errors', () => {
    const objects = [
      service('ratings', 'bookinfo'),
      service('secret', 'vault', [80], { 'networking.istio.io/exportTo': '.' }),
      virtualService('front', 'frontend', {
        hosts: ['front.example.com'], gateways: ['frontend/gw'],
        http: [
          { route: [route(fqdn('ratings', 'bookinfo'))] },
          { route: [route(fqdn('ratngs', 'bookinfo'))] },
          { route: [route(fqdn('secret', 'vault'))] },
        ],
      }),
    ];
    const ds = run(objects, A);
    expect(brief(ds)).toEqual([
      'IST0101 VirtualService frontend/front spec.http[1].route[0].destination.host',
      'IST0101 VirtualService frontend/front spec.http[2].route[0].destination.host',
    ]);
    expect(ds[0].message).toContain('namespace "frontend"');
  });

  test('a Service passed as external resolves, and nothing is reported on it', () => {
    const vs = virtualService('front', 'frontend', { hosts: [fqdn('front', 'frontend')], http: [{ route: [route(fqdn('ratings', 'bookinfo'))] }] });
    const missing = run([vs], A);
    expect(brief(missing)).toEqual(['IST0101 VirtualService frontend/front spec.http[0].route[0].destination.host']);
    expect(missing[0].message).toContain('options.external');
    expect(run([vs], A, [service('ratings', 'bookinfo')])).toEqual([]);
  });

  test('ports: several ports need a port selector (IST0112); an unexposed port is not found (IST0101)', () => {
    const objects = [
      service('api', 'shop', [8080, 9090]),
      virtualService('api', 'shop', {
        hosts: [fqdn('api', 'shop')],
        http: [
          { route: [route(fqdn('api', 'shop'))] },
          { route: [route(fqdn('api', 'shop'), { port: { number: 9090 } })] },
          { route: [route(fqdn('api', 'shop'), { port: { number: 8000 } })] },
        ],
      }),
    ];
    const ds = run(objects, A);
    expect(brief(ds)).toEqual([
      'IST0101 VirtualService shop/api spec.http[2].route[0].destination.port.number',
      'IST0112 VirtualService shop/api spec.http[0].route[0].destination.port',
    ]);
    const byCode = Object.fromEntries(ds.map((d) => [d.code, d.message]));
    expect(byCode.IST0112).toContain('8080, 9090');
    expect(byCode.IST0101).toContain('api.shop.svc.cluster.local:8000');
    expect(byCode.IST0101).toContain('8080, 9090');
  });

  test('IST0140: a gateway route without subset to a host a mesh VirtualService splits by subsets, hosts compared fully qualified', () => {
    const objects = [
      service('reviews', 'bookinfo'),
      // the mesh VirtualService writes the short host in its own namespace
      virtualService('reviews', 'bookinfo', { hosts: ['reviews'], http: [{ route: [route('reviews', { subset: 'v1' })] }] }),
      // the gateway VirtualService in istio-system uses the FQDN
      virtualService('ingress', 'istio-system', {
        hosts: ['reviews.example.com'], gateways: ['istio-system/gw'],
        http: [{ route: [route(fqdn('reviews', 'bookinfo'))] }],
      }),
    ];
    const ds = run(objects, A);
    expect(brief(ds)).toEqual(['IST0140 VirtualService istio-system/ingress spec.http[0].route[0].destination.host']);
    expect(ds[0].level).toBe('Warning');
    expect(ds[0].message).toContain('bookinfo/reviews');
    // routing to a subset at the gateway as well clears it
    (objects[2] as any).spec.http[0].route[0].destination.subset = 'v1';
    expect(run(objects, A)).toEqual([]);
  });
});

describe('virtualservice.GatewayAnalyzer', () => {
  const A = ['virtualservice.GatewayAnalyzer'];

  test('a namespace-prefixed gateway host binds only VirtualServices of that namespace', () => {
    const gw = gateway('gw', 'istio-system', ['shop/shop.example.com', './admin.example.com', '*/docs.example.com']);
    const vs = (name: string, ns: string, host: string) => virtualService(name, ns, { hosts: [host], gateways: ['istio-system/gw'] });
    const ds = run([
      gw,
      vs('shop', 'shop', 'shop.example.com'), // served
      vs('other', 'other', 'shop.example.com'), // shop/ does not bind namespace other
      vs('admin', 'istio-system', 'admin.example.com'), // ./ = the Gateway's namespace
      vs('admin', 'shop', 'admin.example.com'), // not for shop
      vs('docs', 'other', 'docs.example.com'), // */ = any namespace
    ], A);
    expect(brief(ds)).toEqual([
      'IST0132 VirtualService other/other spec.gateways[0]',
      'IST0132 VirtualService shop/admin spec.gateways[0]',
    ]);
    expect(ds[0].level).toBe('Warning');
    expect(ds[0].message).toMatch(/404/);
  });

  test('a wildcard server host serves subdomains; a VirtualService wildcard host matches a served host', () => {
    const ds = run([
      gateway('gw', 'edge', ['*.example.com']),
      virtualService('a', 'edge', { hosts: ['a.example.com'], gateways: ['gw'] }),
      virtualService('b', 'edge', { hosts: ['example.org'], gateways: ['gw'] }),
    ], A);
    expect(brief(ds)).toEqual(['IST0132 VirtualService edge/b spec.gateways[0]']);
  });

  test('a gateway that does not exist: IST0101 (saying a bare name means this namespace) and IST0132', () => {
    const ds = run([
      gateway('gw', 'istio-system', ['*']),
      virtualService('app', 'shop', { hosts: ['shop.example.com'], gateways: ['gw'] }),
    ], A);
    expect(brief(ds)).toEqual(['IST0101 VirtualService shop/app spec.gateways[0]', 'IST0132 VirtualService shop/app spec.gateways[0]']);
    expect(ds.find((d) => d.code === 'IST0101')!.message).toContain('<namespace>/<name>');
  });

  test('Kubernetes Gateways: listener hostnames are checked, a listener without hostname serves all', () => {
    const kgw = (name: string, listeners: unknown[]) => ({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'edge' },
      spec: { gatewayClassName: 'istio', listeners },
    } as Manifest);
    const ds = run([
      kgw('named', [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' }]),
      kgw('open', [{ name: 'http', port: 80, protocol: 'HTTP' }]),
      virtualService('a', 'edge', { hosts: ['a.example.com'], gateways: ['edge/named'] }),
      virtualService('b', 'edge', { hosts: ['b.example.org'], gateways: ['edge/named'] }),
      virtualService('c', 'edge', { hosts: ['c.example.org'], gateways: ['edge/open'] }),
    ], A);
    expect(brief(ds)).toEqual(['IST0132 VirtualService edge/b spec.gateways[0]']);
  });

  test('an internal generated gateway is IST0165 only; mesh is never looked up', () => {
    const ds = run([virtualService('a', 'edge', {
      hosts: ['a.example.com'], gateways: ['mesh', 'edge/web~istio-autogenerated-k8s-gateway~http'],
    })], A);
    expect(brief(ds)).toEqual(['IST0165 VirtualService edge/a spec.gateways[1]']);
    expect(ds[0].message).toContain('HTTPRoute');
  });
});

describe('virtualservice.ConflictingMeshGatewayHostsAnalyzer', () => {
  const A = ['virtualservice.ConflictingMeshGatewayHostsAnalyzer'];

  test('two mesh VirtualServices for one host (short and FQDN, two namespaces) are each reported, naming the other', () => {
    const ds = run([
      virtualService('ratings', 'bookinfo', { hosts: ['ratings'] }),
      virtualService('ratings-override', 'team', { hosts: [fqdn('ratings', 'bookinfo')], gateways: ['mesh', 'team/gw'] }),
      // bound to a gateway only: not a mesh VirtualService
      virtualService('ratings-ingress', 'team', { hosts: [fqdn('ratings', 'bookinfo')], gateways: ['team/gw'] }),
    ], A);
    expect(brief(ds)).toEqual([
      'IST0109 VirtualService bookinfo/ratings spec.hosts[0]',
      'IST0109 VirtualService team/ratings-override spec.hosts[0]',
    ]);
    expect(ds.find((d) => d.resource === 'VirtualService bookinfo/ratings')!.message).toContain('team/ratings-override');
  });

  test('exportTo keeps VirtualServices apart; a wildcard exported everywhere overlaps a scoped host', () => {
    const ds = run([
      virtualService('a', 'one', { hosts: [fqdn('svc', 'one')], exportTo: ['.'] }),
      virtualService('b', 'two', { hosts: [fqdn('svc', 'one')], exportTo: ['.'] }),
      virtualService('wild', 'three', { hosts: ['*.example.com'] }),
      virtualService('api', 'four', { hosts: ['api.example.com'], exportTo: ['.'] }),
      virtualService('other', 'five', { hosts: ['api.example.org'], exportTo: ['.'] }),
    ], A);
    expect(brief(ds)).toEqual([
      'IST0109 VirtualService four/api spec.hosts[0]',
      'IST0109 VirtualService three/wild spec.hosts[0]',
    ]);
  });
});

describe('virtualservice.JWTClaimRouteAnalyzer', () => {
  const A = ['virtualservice.JWTClaimRouteAnalyzer'];
  const gatewayDeployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ingress', namespace: 'istio-ingress' },
    spec: { selector: { matchLabels: { istio: 'ingress' } }, template: { metadata: { labels: { istio: 'ingress', app: 'ingress' } }, spec: { containers: [] } } },
  } as Manifest;
  const claimRoute = virtualService('api', 'shop', {
    hosts: ['api.example.com'], gateways: ['istio-ingress/gw'],
    http: [{ match: [{ headers: { '@request.auth.claims.groups': { exact: 'admin' } } }], route: [route(fqdn('api', 'shop'))] }],
  });
  const ra = (namespace: string, matchLabels?: Record<string, string>) => ({
    apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt', namespace },
    spec: { ...(matchLabels ? { selector: { matchLabels } } : {}), jwtRules: [{ issuer: 'https://issuer.example.com' }] },
  } as Manifest);
  const gw = gateway('gw', 'istio-ingress', ['*/api.example.com'], { istio: 'ingress' });

  test('claim routing at a gateway whose Deployment no RequestAuthentication selects is an error', () => {
    const ds = run([gw, gatewayDeployment, claimRoute], A);
    expect(brief(ds)).toEqual(['IST0149 VirtualService shop/api spec.http[0].match[0].headers']);
    expect(ds[0].message).toContain('Deployment istio-ingress/ingress');
    expect(ds[0].message).toContain('@request.auth.claims.groups');
  });

  test('a RequestAuthentication in the workload namespace or the root namespace clears it; elsewhere it does not', () => {
    expect(run([gw, gatewayDeployment, claimRoute, ra('istio-ingress', { istio: 'ingress' })], A)).toEqual([]);
    expect(run([gw, gatewayDeployment, claimRoute, ra('istio-system')], A)).toEqual([]);
    expect(run([gw, gatewayDeployment, claimRoute, ra('shop')], A)).toHaveLength(1);
    expect(run([gw, gatewayDeployment, claimRoute, ra('istio-ingress', { istio: 'egress' })], A)).toHaveLength(1);
  });

  test('a Deployment whose Pods are in the input is reported once, through its Pod', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ingress-abc', namespace: 'istio-ingress', labels: { istio: 'ingress', app: 'ingress', 'pod-template-hash': 'abc' } },
      spec: { containers: [] },
    } as Manifest;
    const ds = run([gw, gatewayDeployment, pod, claimRoute], A);
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('Pod istio-ingress/ingress-abc');
  });

  test('header names that only look like claims do not count', () => {
    const plain = virtualService('api', 'shop', {
      hosts: ['api.example.com'], gateways: ['istio-ingress/gw'],
      http: [{ match: [{ headers: { '@request.auth.claims': { exact: 'x' }, 'x-claims': { exact: 'y' } } }], route: [route(fqdn('api', 'shop'))] }],
    });
    expect(run([gw, gatewayDeployment, plain], A)).toEqual([]);
  });
});

describe('cost', () => {
  /** A program of `n` services, each with a Service, a DestinationRule, a mesh VirtualService splitting by subsets and a gateway VirtualService. */
  function program(n: number): Manifest[] {
    const objects: Manifest[] = [gateway('gw', 'istio-system', ['*/*'])];
    for (let i = 0; i < n; i++) {
      const ns = `ns${i % 100}`;
      const host = fqdn(`svc${i}`, ns);
      objects.push(
        service(`svc${i}`, ns),
        destinationRule(`svc${i}`, ns, host, ['v1', 'v2']),
        virtualService(`svc${i}`, ns, { hosts: [host], http: [{ route: [route(host, { subset: 'v1' }), route(host, { subset: 'v2' })] }] }),
        virtualService(`svc${i}-ingress`, ns, {
          hosts: [`svc${i}.example.com`], gateways: ['istio-system/gw'], http: [{ route: [route(host, { subset: 'v1' })] }],
        }),
      );
    }
    return objects;
  }

  // Its growth is measured by `npm run bench`, never by a timed test.
  test('10,000 services (40,000 objects) are analyzed without a finding', () => {
    expect(run(program(10_000))).toEqual([]);
  });
});
