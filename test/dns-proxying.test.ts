/** DNS proxying (scenario S3): merged into proxy.istio.io/config, on cdk8s-plus, raw ApiObjects and Pulumi args. */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as YAML from 'yaml';
import { ErrorCode, HeaderHygiene, PROXY_CONFIG_ANNOTATION, buildHardenedGateway, mergeDnsProxyConfig, withDnsProxyAnnotations } from '../src';
import { DnsProxying } from '../src/cdk8s';
import { withDnsProxying } from '../src/pulumi';
import { errorOf, find, setPulumiMocks } from './helpers';

const DNS = { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' };
const parse = (text: string) => YAML.parse(text);

describe('mergeDnsProxyConfig', () => {
  test('S3: no proxy configuration yet gives both metadata entries, as strings', () => {
    const text = mergeDnsProxyConfig(undefined);
    expect(parse(text)).toEqual({ proxyMetadata: DNS });
    // "true" must stay a string: proxyMetadata is a map of strings, a YAML boolean breaks it
    expect(text).toContain('ISTIO_META_DNS_CAPTURE: "true"');
  });

  test('merges with the proxy configuration HardenedGateway writes (JSON stays JSON)', () => {
    // GIVEN the proxyHeaders a HardenedGateway puts on its dedicated workload
    const hardened = buildHardenedGateway({
      name: 'edge', workload: { name: 'edge', namespace: 'edge' }, headerHygiene: HeaderHygiene.PROXY_CONFIG,
      servers: [{ hosts: ['a.example.com'], credentialName: 'cert' }],
    });
    const merged = mergeDnsProxyConfig(hardened.proxyConfig);
    // THEN every key is kept, and the result is still JSON
    expect(JSON.parse(merged)).toEqual({ ...JSON.parse(hardened.proxyConfig!), proxyMetadata: DNS });
  });

  test('merges into YAML, keeping other metadata, keys and comments', () => {
    const existing = '# owned by team-a\nholdApplicationUntilProxyStarts: true\nproxyMetadata:\n  OTHER: "1"\n';
    const merged = mergeDnsProxyConfig(existing);
    expect(parse(merged)).toEqual({ holdApplicationUntilProxyStarts: true, proxyMetadata: { OTHER: '1', ...DNS } });
    expect(merged).toContain('# owned by team-a');
  });

  test('is idempotent: a configuration that already has the entries is returned as is', () => {
    const once = mergeDnsProxyConfig('concurrency: 2\n');
    expect(mergeDnsProxyConfig(once)).toBe(once);
    const json = mergeDnsProxyConfig('{"concurrency":2}');
    expect(mergeDnsProxyConfig(json)).toBe(json);
  });

  test('autoAllocate: false writes DNS capture only', () => {
    expect(parse(mergeDnsProxyConfig(undefined, { autoAllocate: false }))).toEqual({ proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } });
  });

  test.each([
    ['DNS capture turned off by the user', 'proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "false"\n', ErrorCode.CONFLICTING_PROPS, 'proxyConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE'],
    ['auto-allocation turned off by the user', '{"proxyMetadata":{"ISTIO_META_DNS_AUTO_ALLOCATE":"false"}}', ErrorCode.CONFLICTING_PROPS, 'proxyConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE'],
    ['a YAML boolean instead of the string "true"', 'proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: true\n', ErrorCode.CONFLICTING_PROPS, 'proxyConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE'],
    ['unparsable text', 'proxyMetadata: [', ErrorCode.INVALID_PROP, 'proxyConfig'],
    ['a list instead of a mapping', '- a\n- b\n', ErrorCode.INVALID_PROP, 'proxyConfig'],
    ['proxyMetadata not a mapping', 'proxyMetadata: x\n', ErrorCode.INVALID_PROP, 'proxyConfig.proxyMetadata'],
  ])('%s is refused', (_t, existing, code, path) => {
    const e = errorOf(() => mergeDnsProxyConfig(existing));
    expect([e.code, e.path]).toEqual([code, path]);
  });

  test('bad options are refused at the boundary', () => {
    expect(errorOf(() => mergeDnsProxyConfig(undefined, { autoAllocate: 'yes' } as any)).path).toBe('options.autoAllocate');
    expect(errorOf(() => mergeDnsProxyConfig(undefined, { capture: true } as any)).code).toBe(ErrorCode.UNKNOWN_PROP);
  });

  test('withDnsProxyAnnotations keeps the other annotations and does not modify its input', () => {
    const annotations = Object.freeze({ 'sidecar.istio.io/inject': 'true', [PROXY_CONFIG_ANNOTATION]: 'concurrency: 2\n' });
    const out = withDnsProxyAnnotations(annotations);
    expect(out['sidecar.istio.io/inject']).toBe('true');
    expect(parse(out[PROXY_CONFIG_ANNOTATION])).toEqual({ concurrency: 2, proxyMetadata: DNS });
    expect(annotations[PROXY_CONFIG_ANNOTATION]).toBe('concurrency: 2\n');
    const e = errorOf(() => withDnsProxyAnnotations({ [PROXY_CONFIG_ANNOTATION]: 'proxyMetadata: {ISTIO_META_DNS_CAPTURE: "false"}' }));
    expect(e.path).toBe('annotations["proxy.istio.io/config"].proxyMetadata.ISTIO_META_DNS_CAPTURE');
  });
});

const annotationOf = (m: any) => m.spec.template.metadata.annotations[PROXY_CONFIG_ANNOTATION];

describe('DnsProxying.enable (cdk8s)', () => {
  test('on a cdk8s-plus Deployment, merged with its existing proxy configuration; idempotent', () => {
    const chart = Testing.chart();
    const app = new kplus.Deployment(chart, 'app', {
      containers: [{ image: 'shop:1.0', securityContext: { ensureNonRoot: false } }],
      podMetadata: { annotations: { [PROXY_CONFIG_ANNOTATION]: 'concurrency: 2\n', 'sidecar.istio.io/inject': 'true' } },
    });
    DnsProxying.enable(app);
    DnsProxying.enable(app);
    const deployment = find(Testing.synth(chart), 'Deployment');
    expect(parse(annotationOf(deployment))).toEqual({ concurrency: 2, proxyMetadata: DNS });
    expect(deployment.spec.template.metadata.annotations['sidecar.istio.io/inject']).toBe('true');
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('on a raw ApiObject Deployment without annotations, and on a StatefulSet with JSON proxy configuration', () => {
    const chart = Testing.chart();
    const bare = new ApiObject(chart, 'bare', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bare' },
      spec: { selector: { matchLabels: { app: 'bare' } }, template: { metadata: { labels: { app: 'bare' } }, spec: { containers: [{ name: 'c', image: 'c' }] } } },
    });
    const sts = new ApiObject(chart, 'sts', {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: { selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: { metadata: { labels: { app: 'db' }, annotations: { [PROXY_CONFIG_ANNOTATION]: '{"concurrency":1}' } }, spec: { containers: [{ name: 'c', image: 'c' }] } } },
    });
    DnsProxying.enable(bare);
    DnsProxying.enable(sts);
    DnsProxying.enable(sts); // idempotent: no second patch changes anything
    const objects = Testing.synth(chart);
    expect(parse(annotationOf(find(objects, 'Deployment', 'bare')))).toEqual({ proxyMetadata: DNS });
    expect(find(objects, 'Deployment', 'bare').spec.template.metadata.labels).toEqual({ app: 'bare' });
    expect(JSON.parse(annotationOf(find(objects, 'StatefulSet', 'db')))).toEqual({ concurrency: 1, proxyMetadata: DNS });
  });

  test('a conflict or an object without a pod template is refused', () => {
    const chart = Testing.chart();
    const off = new ApiObject(chart, 'off', {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'off' },
      spec: { template: { metadata: { annotations: { [PROXY_CONFIG_ANNOTATION]: 'proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "false"\n' } } } },
    });
    const e = errorOf(() => DnsProxying.enable(off));
    expect([e.code, e.path]).toEqual([ErrorCode.CONFLICTING_PROPS, 'workload.spec.template.metadata.annotations["proxy.istio.io/config"].proxyMetadata.ISTIO_META_DNS_CAPTURE']);
    // the user's value is left as it was
    expect(annotationOf(Testing.synth(chart)[0])).toContain('"false"');
    const svc = new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } });
    expect(errorOf(() => DnsProxying.enable(svc)).code).toBe(ErrorCode.INVALID_PROP);
    expect(errorOf(() => DnsProxying.enable({} as any)).code).toBe(ErrorCode.INVALID_PROP);
  });
});

describe('withDnsProxying (Pulumi)', () => {
  beforeAll(() => setPulumiMocks());
  const spec = (annotations?: any) => ({
    selector: { matchLabels: { app: 'shop' } },
    template: { metadata: { labels: { app: 'shop' }, ...(annotations ? { annotations } : {}) }, spec: { containers: [{ name: 'shop', image: 'shop:1.0' }] } },
  });

  test('plain args: new args with the merged annotation, computed at once; the input is untouched; idempotent', () => {
    const args = { metadata: { name: 'shop' }, spec: spec({ [PROXY_CONFIG_ANNOTATION]: '{"concurrency":2}' }) };
    const out = withDnsProxying(args);
    expect(JSON.parse((out.spec as any).template.metadata.annotations[PROXY_CONFIG_ANNOTATION])).toEqual({ concurrency: 2, proxyMetadata: DNS });
    expect(args.spec.template.metadata.annotations![PROXY_CONFIG_ANNOTATION]).toBe('{"concurrency":2}');
    expect(out.metadata).toBe(args.metadata);
    expect(withDnsProxying(out)).toEqual(out);
    // a conflict in plain args throws at once
    expect(errorOf(() => withDnsProxying({ spec: spec({ [PROXY_CONFIG_ANNOTATION]: 'proxyMetadata: {ISTIO_META_DNS_AUTO_ALLOCATE: "false"}' }) })).code)
      .toBe(ErrorCode.CONFLICTING_PROPS);
  });

  test('Outputs on the way (the annotation, the whole template) are mapped with apply; the Deployment gets the merged value', async () => {
    const existing = pulumi.output('holdApplicationUntilProxyStarts: true\n');
    let withOutputAnnotation!: k8s.apps.v1.Deployment;
    let withOutputTemplate!: k8s.apps.v1.Deployment;
    await new Promise<void>((resolve) => {
      withOutputAnnotation = new k8s.apps.v1.Deployment('shop', withDnsProxying({ spec: spec({ [PROXY_CONFIG_ANNOTATION]: existing, other: 'x' }) }));
      withOutputTemplate = new k8s.apps.v1.Deployment('cart', withDnsProxying({ spec: pulumi.output(spec()) as any }));
      resolve();
    });
    const read = (d: k8s.apps.v1.Deployment) => new Promise<any>((resolve) => d.spec.apply(resolve));
    const a = await read(withOutputAnnotation);
    expect(parse(a.template.metadata.annotations[PROXY_CONFIG_ANNOTATION])).toEqual({ holdApplicationUntilProxyStarts: true, proxyMetadata: DNS });
    expect(a.template.metadata.annotations.other).toBe('x');
    const b = await read(withOutputTemplate);
    expect(parse(b.template.metadata.annotations[PROXY_CONFIG_ANNOTATION])).toEqual({ proxyMetadata: DNS });
  });
});
