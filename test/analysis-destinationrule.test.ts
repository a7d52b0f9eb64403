/**
 * The `destinationrule`, `serviceentry` and `schema` analyzers and the library's own
 * DestinationRule checks (ICA0002, ICA0003) on small hand-written programs, as the library uses
 * them: namespaces always set, hosts fully qualified, workloads declared as Deployments. Istio's own
 * cases run in analyzer-corpus.test.ts; the mTLS check (ICA0001) in mtls.test.ts.
 */
import { analyze, Diagnostic } from '../src/analysis';
import { Manifest } from '../src/core/manifest';

const run = (objects: Manifest[], analyzers: string[], options: Record<string, unknown> = {}): Diagnostic[] => analyze(objects, { analyzers, ...options });
const brief = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.code} ${d.resource}${d.path ? ` ${d.path}` : ''}`).sort();
const fqdn = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;

function service(name: string, namespace: string, selector: Record<string, string> = { app: name }): Manifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ name: 'http', port: 80 }] } } as Manifest;
}

function destinationRule(name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace }, spec } as Manifest;
}

const subsets = (...versions: string[]) => versions.map((v) => ({ name: v, labels: { version: v } }));

function deployment(name: string, namespace: string, labels: Record<string, string>): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
  } as Manifest;
}

function pod(name: string, namespace: string, labels: Record<string, string>, nodeName?: string): Manifest {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'app:1' }] } } as Manifest;
}

function serviceEntry(name: string, namespace: string, spec: Record<string, unknown>, status?: Record<string, unknown>): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace }, spec, ...(status ? { status } : {}) } as Manifest;
}

describe('destinationrule.CaCertificateAnalyzer', () => {
  const A = ['destinationrule.CaCertificateAnalyzer'];

  test('SIMPLE/MUTUAL without caCertificates, at the rule and per port, with the field as path', () => {
    const dr = destinationRule('db', 'data', {
      host: fqdn('db', 'data'),
      trafficPolicy: {
        tls: { mode: 'SIMPLE' },
        portLevelSettings: [
          { port: { number: 5432 }, tls: { mode: 'MUTUAL', clientCertificate: '/c', privateKey: '/k' } },
          { port: { number: 5433 }, tls: { mode: 'ISTIO_MUTUAL' } },
          { port: { number: 5434 }, tls: { mode: 'SIMPLE', caCertificates: '/ca' } },
        ],
      },
    });
    const found = run([dr], A);
    expect(brief(found)).toEqual([
      'IST0128 DestinationRule data/db spec.trafficPolicy.tls',
      'IST0129 DestinationRule data/db spec.trafficPolicy.portLevelSettings[0].tls',
    ]);
    expect(found.find((d) => d.code === 'IST0129')!.message).toContain('port 5432');
  });

  test('credentialName is enough only with a workloadSelector', () => {
    const spec = { host: fqdn('db', 'data'), trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'db-ca' } } };
    expect(run([destinationRule('db', 'data', spec)], A)).toHaveLength(1);
    expect(run([destinationRule('db', 'data', { ...spec, workloadSelector: { matchLabels: { app: 'client' } } })], A)).toEqual([]);
  });
});

describe('destinationrule.PodNotSelectedAnalyzer', () => {
  const A = ['destinationrule.PodNotSelectedAnalyzer'];

  test('an FQDN host of a declared Service resolves from another namespace; an unknown one is IST0174 on spec.host', () => {
    const known = destinationRule('reviews', 'clients', { host: fqdn('reviews', 'bookinfo') });
    const unknown = destinationRule('ghost', 'clients', { host: fqdn('ghost', 'bookinfo') });
    expect(brief(run([service('reviews', 'bookinfo'), known, unknown], A))).toEqual(['IST0174 DestinationRule clients/ghost spec.host']);
  });

  test('a Service exported only to its own namespace is unknown to a rule elsewhere', () => {
    const svc = { ...service('reviews', 'bookinfo'), metadata: { name: 'reviews', namespace: 'bookinfo', annotations: { 'networking.istio.io/exportTo': '.' } } } as Manifest;
    const inside = destinationRule('a', 'bookinfo', { host: fqdn('reviews', 'bookinfo') });
    const outside = destinationRule('b', 'clients', { host: fqdn('reviews', 'bookinfo') });
    expect(brief(run([svc, inside, outside], A))).toEqual(['IST0174 DestinationRule clients/b spec.host']);
  });

  test('with live Pods, a subset selecting none of them is IST0173 at the subset', () => {
    const objects = [
      service('reviews', 'bookinfo'),
      pod('reviews-v1-abc', 'bookinfo', { app: 'reviews', version: 'v1' }),
      destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v1', 'v2') }),
    ];
    const found = run(objects, A);
    expect(brief(found)).toEqual(['IST0173 DestinationRule bookinfo/reviews spec.subsets[1]']);
    expect(found[0].level).toBe('Error');
  });

  test('node topology labels of the pod\'s Node count, as Istio labels endpoints', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'eu-1a' } } } as Manifest;
    const dr = destinationRule('reviews', 'bookinfo', {
      host: fqdn('reviews', 'bookinfo'),
      subsets: [
        { name: 'eu', labels: { 'topology.kubernetes.io/zone': 'eu-1a' } },
        { name: 'host', labels: { 'kubernetes.io/hostname': 'n1' } },
        { name: 'us', labels: { 'topology.kubernetes.io/region': 'us' } },
      ],
    });
    const objects = [service('reviews', 'bookinfo'), node, pod('r', 'bookinfo', { app: 'reviews' }, 'n1'), dr];
    expect(brief(run(objects, A))).toEqual(['IST0173 DestinationRule bookinfo/reviews spec.subsets[2]']);
  });

  test('a program without any Pod (Deployments only) gets no IST0173: nothing is known about pods', () => {
    const objects = [
      service('reviews', 'bookinfo'),
      deployment('reviews-v1', 'bookinfo', { app: 'reviews', version: 'v1' }),
      destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v1', 'v2') }),
    ];
    expect(run(objects, A)).toEqual([]);
  });

  test('a ServiceEntry\'s workloadSelector is part of a subset\'s selector', () => {
    const se = serviceEntry('vm', 'bookinfo', {
      hosts: ['vm.example.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], workloadSelector: { labels: { app: 'vm' } }, resolution: 'STATIC',
    });
    const dr = destinationRule('vm', 'bookinfo', { host: 'vm.example.internal', subsets: subsets('v1') });
    // The only v1 pod is not an `app: vm` pod.
    expect(brief(run([se, dr, pod('other', 'bookinfo', { app: 'other', version: 'v1' })], A))).toEqual(['IST0173 DestinationRule bookinfo/vm spec.subsets[0]']);
    expect(run([se, dr, pod('vm-1', 'bookinfo', { app: 'vm', version: 'v1' })], A)).toEqual([]);
  });
});

describe('serviceentry.ProtocolAddressesAnalyzer', () => {
  const A = ['serviceentry.ProtocolAddressesAnalyzer'];
  const tcpEntry = (name: string, extra: Record<string, unknown> = {}, status?: Record<string, unknown>) => serviceEntry(name, 'egress', {
    hosts: ['db.example.com'], location: 'MESH_EXTERNAL', resolution: 'DNS',
    ports: [{ number: 5432, name: 'tcp', protocol: 'tcp' }, { number: 443, name: 'https', protocol: 'HTTPS' }, { number: 6379, name: 'redis' }],
    ...extra,
  }, status);

  test('one warning per TCP or protocol-less port, at the port', () => {
    expect(brief(run([tcpEntry('db')], A))).toEqual(['IST0134 ServiceEntry egress/db spec.ports[0]', 'IST0134 ServiceEntry egress/db spec.ports[2]']);
  });

  test('addresses, allocated addresses in status, or DNS auto-allocation in the mesh config silence it', () => {
    expect(run([tcpEntry('db', { addresses: ['10.0.0.1'] })], A)).toEqual([]);
    expect(run([tcpEntry('db', {}, { addresses: [{ host: 'db.example.com', value: '240.240.0.1' }] })], A)).toEqual([]);
    const proxyMetadata = (md: Record<string, string>) => ({ meshConfig: { defaultConfig: { proxyMetadata: md } } });
    expect(run([tcpEntry('db')], A, proxyMetadata({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' }))).toEqual([]);
    expect(run([tcpEntry('db')], A, proxyMetadata({ ISTIO_META_DNS_CAPTURE: 'true', PILOT_ENABLE_IP_AUTOALLOCATE: 'true' }))).toEqual([]);
    // Auto-allocation without DNS capture allocates nothing the sidecar uses.
    expect(run([tcpEntry('db')], A, proxyMetadata({ ISTIO_META_DNS_AUTO_ALLOCATE: 'true' }))).toHaveLength(2);
  });
});

describe('serviceentry.ConflictingServiceEntryProtocolAnalyzer', () => {
  const A = ['serviceentry.ConflictingServiceEntryProtocolAnalyzer'];
  const entry = (name: string, namespace: string, protocol: string | undefined, exportTo?: string[]) => serviceEntry(name, namespace, {
    hosts: ['api.example.com'], location: 'MESH_EXTERNAL', resolution: 'DNS',
    ports: [{ number: 8443, name: 'p', ...(protocol !== undefined ? { protocol } : {}) }], ...(exportTo ? { exportTo } : {}),
  });

  test('each entry is reported once, naming all of them and the protocols', () => {
    const found = run([entry('a', 'x', 'HTTPS'), entry('b', 'y', 'TLS'), entry('c', 'z', 'https')], A);
    expect(brief(found)).toEqual(['IST0177 ServiceEntry x/a metadata.name', 'IST0177 ServiceEntry y/b metadata.name', 'IST0177 ServiceEntry z/c metadata.name']);
    expect(found[0].message).toContain('x/a, y/b, z/c');
    expect(found[0].message).toContain('HTTPS, TLS');
  });

  test('protocols compare case-insensitively; no protocol is a protocol of its own', () => {
    expect(run([entry('a', 'x', 'HTTPS'), entry('b', 'y', 'https')], A)).toEqual([]);
    expect(run([entry('a', 'x', 'TCP'), entry('b', 'y', undefined)], A)).toHaveLength(2);
  });

  test('entries only visible in different namespaces do not conflict; an exported-to-all one meets a local one', () => {
    expect(run([entry('a', 'x', 'HTTPS', ['.']), entry('b', 'y', 'TLS', ['.'])], A)).toEqual([]);
    expect(brief(run([entry('a', 'x', 'HTTPS', ['.']), entry('b', 'y', 'TLS')], A))).toEqual(['IST0177 ServiceEntry x/a metadata.name', 'IST0177 ServiceEntry y/b metadata.name']);
  });
});

describe('schema.ValidationAnalyzer.<Kind>', () => {
  test('there is one per Istio kind, each run by default', () => {
    const names = analyze([], {}).length === 0 ? require('../src/analysis').analyzerNames() as Array<{ name: string; default: boolean }> : [];
    const schema = names.filter((n) => n.name.startsWith('schema.'));
    expect(schema.map((n) => n.name)).toEqual(expect.arrayContaining([
      'schema.ValidationAnalyzer.VirtualService', 'schema.ValidationAnalyzer.DestinationRule', 'schema.ValidationAnalyzer.AuthorizationPolicy',
      'schema.ValidationAnalyzer.Telemetry', 'schema.ValidationAnalyzer.WasmPlugin', 'schema.ValidationAnalyzer.EnvoyFilter',
    ]));
    expect(schema.every((n) => n.default)).toBe(true);
  });

  test('an object admission refuses is IST0106 per error, with the field as path', () => {
    const dr = destinationRule('bad', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }], trafficPolicy: { bogus: 1 } });
    const found = run([dr], ['schema.ValidationAnalyzer.DestinationRule']);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.code === 'IST0106' && d.level === 'Error' && d.resource === 'DestinationRule bookinfo/bad')).toBe(true);
    expect(found.some((d) => d.path === 'spec.trafficPolicy' && d.message.includes('bogus'))).toBe(true);
  });

  test('a valid object gives nothing; other kinds are left to their own analyzer', () => {
    const ok = destinationRule('ok', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v1') });
    expect(run([ok], ['schema.ValidationAnalyzer.DestinationRule', 'schema.ValidationAnalyzer.VirtualService'])).toEqual([]);
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bad', namespace: 'x' }, spec: { hosts: ['a'] } } as Manifest;
    expect(run([vs], ['schema.ValidationAnalyzer.DestinationRule'])).toEqual([]);
    expect(brief(run([vs], ['schema.ValidationAnalyzer.VirtualService']))).toEqual(['IST0106 VirtualService x/bad spec']);
  });

  test('the rule analysis maps to IST0130 (rule never reached) and IST0131 (match never used)', () => {
    const host = fqdn('reviews', 'bookinfo');
    const vs = {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: {
        hosts: [host],
        http: [
          { match: [{ uri: { prefix: '/a' } }], route: [{ destination: { host } }] },
          { match: [{ uri: { prefix: '/a' } }, { uri: { prefix: '/b' } }], route: [{ destination: { host } }] },
          { route: [{ destination: { host } }] },
          { match: [{ uri: { exact: '/c' } }, { uri: { exact: '/d' } }], route: [{ destination: { host } }] },
        ],
      },
    } as Manifest;
    const found = run([vs], ['schema.ValidationAnalyzer.VirtualService']);
    expect(brief(found)).toEqual([
      'IST0130 VirtualService bookinfo/reviews spec.http[3].match[0]',
      'IST0130 VirtualService bookinfo/reviews spec.http[3].match[1]',
      'IST0131 VirtualService bookinfo/reviews spec.http[1].match[0]',
    ]);
    expect(found.find((d) => d.code === 'IST0131')!.level).toBe('Info');
    expect(found.every((d) => !d.message.includes('(IST01'))).toBe(true);
  });

  test('a webhook warning is IST0133; an object without namespace is validated in the default namespace', () => {
    const ap = {
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-get' },
      spec: { action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
    } as Manifest;
    const found = run([ap], ['schema.ValidationAnalyzer.AuthorizationPolicy']);
    expect(brief(found)).toEqual(['IST0133 AuthorizationPolicy default/deny-get spec.rules[0]']);
    expect(found[0].level).toBe('Warning');
  });

  test('the engines leave the schema analyzers out with exclude: schema.*', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bad', namespace: 'x' }, spec: { hosts: ['a'] } } as Manifest;
    expect(analyze([vs]).some((d) => d.code === 'IST0106')).toBe(true);
    expect(analyze([vs], { exclude: ['schema.*'] }).some((d) => d.code === 'IST0106')).toBe(false);
  });
});

describe('library.DuplicateDestinationRuleAnalyzer (ICA0002)', () => {
  const A = ['library.DuplicateDestinationRuleAnalyzer'];

  test('a second rule for one host in one namespace is reported on the second, naming the first and what is lost', () => {
    const first = destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v1', 'v2'), trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } });
    // The short host names the same Service.
    const second = destinationRule('reviews-tls', 'bookinfo', { host: 'reviews', subsets: subsets('v2', 'v3'), trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    const found = run([first, second], A);
    expect(brief(found)).toEqual(['ICA0002 DestinationRule bookinfo/reviews-tls spec.host']);
    expect(found[0].level).toBe('Warning');
    expect(found[0].message).toContain('bookinfo/reviews');
    expect(found[0].message).toContain('trafficPolicy is ignored');
    expect(found[0].message).toContain('"v2"');
    expect(found[0].message).not.toContain('"v3"');
  });

  test('not for workloadSelector-scoped rules, disjoint exportTo, other namespaces or other hosts', () => {
    const base = destinationRule('a', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), exportTo: ['.'] });
    const scoped = destinationRule('b', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), workloadSelector: { matchLabels: { app: 'productpage' } } });
    const elsewhere = destinationRule('c', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), exportTo: ['frontend'] });
    const otherNs = destinationRule('d', 'frontend', { host: fqdn('reviews', 'bookinfo') });
    const otherHost = destinationRule('e', 'bookinfo', { host: fqdn('ratings', 'bookinfo') });
    expect(run([base, scoped, elsewhere, otherNs, otherHost], A)).toEqual([]);
    // exported everywhere, it meets both.
    const everywhere = destinationRule('f', 'bookinfo', { host: fqdn('reviews', 'bookinfo') });
    expect(brief(run([base, elsewhere, everywhere], A))).toEqual(['ICA0002 DestinationRule bookinfo/f spec.host']);
  });
});

describe('library.SubsetWorkloadAnalyzer (ICA0003)', () => {
  const A = ['library.SubsetWorkloadAnalyzer'];
  const reviews = () => [
    service('reviews', 'bookinfo'),
    deployment('reviews-v1', 'bookinfo', { app: 'reviews', version: 'v1' }),
    deployment('reviews-v2', 'bookinfo', { app: 'reviews', version: 'v2' }),
  ];

  test('a subset no declared workload behind the Service carries is reported, naming the workloads', () => {
    const dr = destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v1', 'v2', 'v3') });
    const found = run([...reviews(), dr], A);
    expect(brief(found)).toEqual(['ICA0003 DestinationRule bookinfo/reviews spec.subsets[2].labels']);
    expect(found[0].message).toContain('Deployment bookinfo/reviews-v1');
  });

  test('a workload with the subset\'s labels but not behind the Service does not count', () => {
    const dr = destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v3') });
    const stray = deployment('ratings-v3', 'bookinfo', { app: 'ratings', version: 'v3' });
    expect(run([...reviews(), stray, dr], A)).toHaveLength(1);
  });

  test('nothing when the Service is not declared, or no declared workload is behind it', () => {
    const dr = destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v3') });
    expect(run([deployment('reviews-v1', 'bookinfo', { app: 'reviews', version: 'v1' }), dr], A)).toEqual([]);
    expect(run([service('reviews', 'bookinfo'), deployment('other', 'bookinfo', { app: 'other', version: 'v1' }), dr], A)).toEqual([]);
    // The workloads of another namespace are not behind the Service.
    expect(run([service('reviews', 'bookinfo'), deployment('reviews-v1', 'elsewhere', { app: 'reviews', version: 'v1' }), dr], A)).toEqual([]);
  });

  test('not reported twice: with live Pods, IST0173 reports the subset and ICA0003 stays silent', () => {
    const dr = destinationRule('reviews', 'bookinfo', { host: fqdn('reviews', 'bookinfo'), subsets: subsets('v3') });
    const objects = [...reviews(), pod('reviews-v1-x', 'bookinfo', { app: 'reviews', version: 'v1' }), dr];
    expect(brief(analyze(objects, { analyzers: [...A, 'destinationrule.PodNotSelectedAnalyzer'] }))).toEqual(['IST0173 DestinationRule bookinfo/reviews spec.subsets[0]']);
  });

  test('a ServiceEntry with a workloadSelector has its declared workloads too', () => {
    const se = serviceEntry('vm', 'bookinfo', {
      hosts: ['vm.example.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], workloadSelector: { labels: { app: 'vm' } }, resolution: 'STATIC',
    });
    const dr = destinationRule('vm', 'bookinfo', { host: 'vm.example.internal', subsets: subsets('v1', 'v2') });
    expect(brief(run([se, deployment('vm-v1', 'bookinfo', { app: 'vm', version: 'v1' }), dr], A))).toEqual(['ICA0003 DestinationRule bookinfo/vm spec.subsets[1].labels']);
  });
});

describe('at 10,000 services', () => {
  test('every analyzer of this family runs over a large program and finds exactly the seeded problems', () => {
    const objects: Manifest[] = [];
    for (let i = 0; i < 10_000; i++) {
      const ns = `ns-${i % 100}`;
      const name = `svc-${i}`;
      objects.push(service(name, ns), deployment(`${name}-v1`, ns, { app: name, version: 'v1' }));
      objects.push(destinationRule(name, ns, { host: fqdn(name, ns), subsets: subsets(i % 1000 === 0 ? 'v9' : 'v1') }));
      if (i % 2500 === 0) objects.push(destinationRule(`${name}-dup`, ns, { host: fqdn(name, ns) }));
    }
    const found = analyze(objects, {
      analyzers: ['destinationrule.PodNotSelectedAnalyzer', 'destinationrule.CaCertificateAnalyzer', 'library.DuplicateDestinationRuleAnalyzer', 'library.SubsetWorkloadAnalyzer', 'library.MtlsConflictAnalyzer'],
    });
    expect(found.filter((d) => d.code === 'ICA0003')).toHaveLength(10);
    expect(found.filter((d) => d.code === 'ICA0002')).toHaveLength(4);
    expect(found).toHaveLength(14);
  }, 60_000);
});
