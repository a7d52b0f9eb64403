/**
 * istio-constructs/policy: the CrossGuard policy pack, run offline by calling its stack
 * validations with synthetic stack resources (as the Pulumi CLI's policy server would pass them).
 */
import { PolicyResource, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import * as analysis from '../src/analysis/analyze';
import { ErrorCode, Manifest, Protocol, ServiceRef, buildCanaryService } from '../src';
import { ISTIO_ERRORS_POLICY, ISTIO_WARNINGS_POLICY, analyzeStack, istioAnalysisPolicies, stackObjects } from '../src/policy';
import { errorOf } from './helpers';

// What the policy server wraps a resource's properties in during a preview (internal to
// @pulumi/policy, so without declarations): a proxy that throws on values not known yet.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError, unknownCheckingProxy, unknownStringValue } = require('@pulumi/policy/proxy') as {
  UnknownValueError: new (...args: unknown[]) => Error; unknownCheckingProxy: <T>(o: T) => T; unknownStringValue: string;
};

const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });

/** A stack resource as the policy server builds it: its type token from apiVersion and kind, its URN. */
function resource(m: Manifest, name = `${m.metadata.name}-${m.kind.toLowerCase()}`, props: Record<string, any> = m): PolicyResource {
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['core', m.apiVersion];
  const type = `kubernetes:${group}/${version}:${m.kind}`;
  return {
    type, props, name, urn: `urn:pulumi:dev::shop::${type}::${name}`, opts: {} as any, dependencies: [], propertyDependencies: {},
    isType: () => false, asType: () => undefined,
  };
}

/** The bookinfo reviews service: Namespace, Service, two Deployments and a CanaryService's VirtualService and DestinationRule. */
function cleanStack(): PolicyResource[] {
  const workload = (v: string): Manifest => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `reviews-${v}`, namespace: 'bookinfo' },
    spec: {
      selector: { matchLabels: { app: 'reviews', version: v } },
      template: { metadata: { labels: { app: 'reviews', version: v } }, spec: { containers: [{ name: 'reviews', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3' }] } },
    },
  });
  const canary = buildCanaryService({ service: reviews, versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }] });
  return [
    resource({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } } }),
    resource({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } }),
    resource(workload('v1')), resource(workload('v2')),
    ...canary.objects.map((o) => resource(o.manifest, `reviews-${o.role}`)),
  ];
}

/** A raw VirtualService (a CustomResource in the stack) routing to subset v3, which no DestinationRule defines. */
const seeded: Manifest = {
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews-v3', namespace: 'bookinfo' },
  spec: { hosts: ['reviews-v3.example.com'], http: [{ route: [{ destination: { host: 'reviews.bookinfo.svc.cluster.local', subset: 'v3' } }] }] },
};

/** Runs one policy's stack validation; returns the violations as `[message, urn]`. */
async function violations(policy: StackValidationPolicy, resources: PolicyResource[]): Promise<Array<[string, string | undefined]>> {
  const out: Array<[string, string | undefined]> = [];
  const args: StackValidationArgs = {
    resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: () => { throw new Error('not applicable'); },
  };
  await policy.validateStack(args, (message, urn) => { out.push([message, urn]); });
  return out;
}

const policy = (name: string, policies = istioAnalysisPolicies()) => policies.find((p) => p.name === name)!;

describe('istioAnalysisPolicies', () => {
  test('one mandatory policy for errors, one advisory policy for warnings', () => {
    expect(istioAnalysisPolicies().map((p) => [p.name, p.enforcementLevel])).toEqual([
      [ISTIO_ERRORS_POLICY, 'mandatory'], [ISTIO_WARNINGS_POLICY, 'advisory'],
    ]);
  });

  test('a clean stack raises no violation', async () => {
    const policies = istioAnalysisPolicies();
    expect(await violations(policy(ISTIO_ERRORS_POLICY, policies), cleanStack())).toEqual([]);
    expect(await violations(policy(ISTIO_WARNINGS_POLICY, policies), cleanStack())).toEqual([]);
  });

  test('a VirtualService routing to a subset no DestinationRule defines is a mandatory IST0101 violation on its URN', async () => {
    // GIVEN the clean stack plus a raw VirtualService routing to subset v3
    const stack = [...cleanStack(), resource(seeded, 'reviews-v3')];
    // WHEN the policies validate the stack
    const errors = await violations(policy(ISTIO_ERRORS_POLICY), stack);
    // THEN the error names the code, the object and the subset, against the raw resource's URN
    expect(errors).toHaveLength(1);
    const [message, urn] = errors[0];
    expect(message).toMatch(/^Error IST0101 \(VirtualService bookinfo\/reviews-v3\) .*v3/);
    expect(urn).toBe('urn:pulumi:dev::shop::kubernetes:networking.istio.io/v1:VirtualService::reviews-v3');
  });

  test('warnings go to the advisory policy only', async () => {
    // GIVEN a second DestinationRule for the same host (the library's ICA0002 warning)
    const canary = buildCanaryService({ service: reviews, versions: [{ name: 'v1', weight: 1 }] });
    const dr = canary.objects.find((o) => o.manifest.kind === 'DestinationRule')!.manifest;
    const stack = [...cleanStack(), resource({ ...dr, metadata: { ...dr.metadata, name: 'reviews-again' } }, 'reviews-again')];
    const policies = istioAnalysisPolicies();
    const warnings = await violations(policy(ISTIO_WARNINGS_POLICY, policies), stack);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every(([m]) => m.startsWith('Warning '))).toBe(true);
    expect(warnings.map(([m]) => m).join('\n')).toContain('DestinationRule bookinfo/');
    expect(await violations(policy(ISTIO_ERRORS_POLICY, policies), stack)).toEqual([]);
  });

  test('both policies over one stack run the analysis once', async () => {
    const spy = jest.spyOn(analysis, 'analyze');
    try {
      const policies = istioAnalysisPolicies();
      const stack = [...cleanStack(), resource(seeded, 'reviews-v3')];
      for (const p of policies) await violations(p, stack);
      expect(spy).toHaveBeenCalledTimes(1);
      // a different stack (a later update) is analyzed anew
      for (const p of policies) await violations(p, cleanStack());
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  test('options reach the analysis: excluding the analyzer silences the error', async () => {
    const stack = [...cleanStack(), resource(seeded, 'reviews-v3')];
    const policies = istioAnalysisPolicies({ exclude: ['virtualservice.'] });
    expect(await violations(policy(ISTIO_ERRORS_POLICY, policies), stack)).toEqual([]);
  });

  test('external objects resolve references: the subset defined by a DestinationRule outside the stack', async () => {
    const external: Manifest = {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews-v3', namespace: 'bookinfo' },
      spec: { host: 'reviews.bookinfo.svc.cluster.local', subsets: [{ name: 'v3', labels: { version: 'v3' } }] },
    };
    const stack = [...cleanStack(), resource(seeded, 'reviews-v3')];
    expect(await violations(policy(ISTIO_ERRORS_POLICY, istioAnalysisPolicies({ external: [external] })), stack)).toEqual([]);
  });

  test('options of the wrong shape are refused with IstioConstructError', () => {
    expect(errorOf(() => istioAnalysisPolicies({ exclude: 'schema.' } as any)).code).toBe(ErrorCode.INVALID_PROP);
    expect(errorOf(() => istioAnalysisPolicies({ meshconfig: {} } as any)).code).toBe(ErrorCode.UNKNOWN_PROP);
    expect(errorOf(() => istioAnalysisPolicies({ external: [{ kind: 'Service' }] } as any)).path).toBe('external[0]');
  });
});

describe('stack resources → manifests', () => {
  test('Kubernetes resources become manifests; components, patches, providers and server fields are left out', () => {
    const svc = resource({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { ports: [{ port: 9080 }] } });
    const withServerFields = { ...svc, props: { ...svc.props, metadata: { ...svc.props.metadata, uid: 'x', resourceVersion: '7', managedFields: [{}] }, status: { loadBalancer: {} } } };
    const other = (type: string, props: Record<string, unknown>) => ({ ...svc, type, props });
    const objects = stackObjects([
      withServerFields,
      other('kubernetes:helm.sh/v4:Chart', { metadata: { name: 'istiod' } }),
      other('kubernetes:core/v1:ServicePatch', { metadata: { name: 'reviews' } }),
      other('pulumi:providers:kubernetes', { metadata: { name: 'p' } }),
      other('istio-constructs:index:CanaryService', { metadata: { name: 'c' } }),
      other('kubernetes:apps/v1:Deployment', { spec: {} }), // no metadata.name: not an object yet
    ]);
    expect(objects).toEqual([{ manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { ports: [{ port: 9080 }] } }, urn: svc.urn, incomplete: false }]);
  });

  test('apiVersion and kind come from the type token when the properties lack them', () => {
    const vs = resource(seeded, 'vs', { metadata: seeded.metadata, spec: seeded.spec });
    expect(stackObjects([vs])[0].manifest).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' });
    const svc = resource({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }, 'a', { metadata: { name: 'a' } });
    expect(stackObjects([svc])[0].manifest).toMatchObject({ apiVersion: 'v1', kind: 'Service' });
  });

  test('during preview, values not known yet are left out and the object is analyzed as external (never reported, references resolve)', async () => {
    // GIVEN the seeded VirtualService whose gateway list is not known yet (the preview proxy throws on it)
    const props = unknownCheckingProxy({ ...seeded, spec: { ...seeded.spec, gateways: unknownStringValue } });
    expect(() => (props as any).spec.gateways).toThrow(UnknownValueError);
    const stack = [...cleanStack(), resource(seeded, 'reviews-v3', props)];
    // THEN the conversion does not throw, marks it incomplete, and keeps what is known
    const converted = stackObjects(stack).find((o) => o.manifest.metadata.name === 'reviews-v3')!;
    expect(converted.incomplete).toBe(true);
    expect(converted.manifest.spec.hosts).toEqual(['reviews-v3.example.com']);
    expect(converted.manifest.spec.gateways).toBeUndefined();
    // AND the policies run (no "can't run during preview"), reporting nothing about the incomplete object
    expect(await violations(policy(ISTIO_ERRORS_POLICY), stack)).toEqual([]);
    // AND a sentinel string (no proxy) is treated the same way
    expect(stackObjects([resource(seeded, 'x', { ...seeded, metadata: { ...seeded.metadata, namespace: unknownStringValue } })])[0].incomplete).toBe(true);
  });

  test('analyzeStack pairs every diagnostic with its URN', () => {
    const findings = analyzeStack([...cleanStack(), resource(seeded, 'reviews-v3')]);
    expect(findings.map((f) => [f.diagnostic.code, f.urn])).toEqual([['IST0101', expect.stringMatching(/::reviews-v3$/)]]);
  });
});
