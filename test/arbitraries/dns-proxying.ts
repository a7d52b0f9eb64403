/**
 * Props arbitraries of DNS proxying (`withDnsProxyAnnotations`) for the fuzz table: pod template
 * annotations whose `proxy.istio.io/config` is absent, valid YAML or JSON proxy configuration
 * (with or without the DNS entries, sometimes conflicting ones), or junk text; and a builder that
 * puts the merged annotations on a Deployment, so the fuzzer checks the output is admitted.
 */
import * as fc from 'fast-check';
import { PROXY_CONFIG_ANNOTATION, PatternOutput, withDnsProxyAnnotations } from '../../src';
import { bool, edgy, exoticString, hostile, props } from './primitives';

const proxyConfig = edgy(
  fc.constantFrom(
    'concurrency: 2\n',
    '{"proxyHeaders":{"server":{"disabled":true},"envoyDebugHeaders":{"disabled":true}}}',
    '# team a\nholdApplicationUntilProxyStarts: true\nproxyMetadata:\n  OTHER: "1"\n',
    'proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "true"\n  ISTIO_META_DNS_AUTO_ALLOCATE: "true"\n',
    'proxyMetadata: {}\n',
    'proxyMetadata:\n',
    '',
  ),
  exoticString,
  fc.constantFrom('proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: "false"\n', 'proxyMetadata: {ISTIO_META_DNS_CAPTURE: true}', 'proxyMetadata: [', '- a', 'proxyMetadata: 3',
    'a: 1\na: 2\n', '{"proxyMetadata":null}', '&a [*a]', '!!binary aGk=', '%YAML 1.2\n---\na: 1\n...\n---\nb: 2\n'),
);

const annotations = edgy(
  fc.tuple(fc.option(proxyConfig, { nil: undefined }), fc.boolean()).map(([config, inject]) => ({
    ...(config !== undefined ? { [PROXY_CONFIG_ANNOTATION]: config } : {}),
    ...(inject ? { 'sidecar.istio.io/inject': 'true' } : {}),
  })),
  fc.dictionary(exoticString, exoticString, { maxKeys: 2 }),
);
const options = props({ autoAllocate: bool });

/** Valid-looking DNS proxying arguments: `{ annotations, options }` (the two parameters of `withDnsProxyAnnotations`). */
export const dnsProxyingProps: fc.Arbitrary<unknown> = props({ annotations, options });

/**
 * Hostile arguments: wrong shapes and nasty objects planted inside either parameter. The
 * `{ annotations, options }` holder is the fuzzer's own, never hostile: it is not a library input.
 */
export const dnsProxyingHostile: fc.Arbitrary<unknown> = fc.tuple(hostile(annotations), hostile(options))
  .map(([a, o]) => ({ annotations: a, options: o }));

/** Merges DNS proxying into the annotations and returns the Deployment that carries them. */
export function buildDnsProxying(p: { annotations?: Record<string, string>; options?: { autoAllocate?: boolean } }): PatternOutput {
  const annotations = withDnsProxyAnnotations(p.annotations, p.options);
  return {
    objects: [{
      role: 'deployment',
      manifest: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'app' } },
          template: { metadata: { labels: { app: 'app' }, annotations }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
        },
      },
    }],
  };
}
