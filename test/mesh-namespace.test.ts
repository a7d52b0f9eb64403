import * as fc from 'fast-check';
import { ErrorCode, IstioConstructError, MeshNamespaceProps, buildMeshNamespace } from '../src';
import { MeshNamespace } from '../src/cdk8s';
import { MeshNamespace as PulumiMeshNamespace } from '../src/pulumi';
import { meshNamespaceProps } from './arbitraries/mesh-namespace';
import { realize } from './arbitraries/recipe';
import { errorOf, expectValid, find, refusedOrValid, runPulumi, synth } from './helpers';

const labelsOf = (props: MeshNamespaceProps) => buildMeshNamespace(props).namespace.metadata.labels;

describe('MeshNamespace', () => {
  test('one Namespace per construct, with its injection label (snapshot)', () => {
    const objects = synth((chart) => {
      new MeshNamespace(chart, 'default', { name: 'default' });
      new MeshNamespace(chart, 'shop', { name: 'shop', injection: 'revisionTag', revisionTag: 'prod-stable', labels: { team: 'shop' }, annotations: { 'example.com/owner': 'shop team' } });
      new MeshNamespace(chart, 'ambient', { name: 'ambient-apps', injection: 'ambient' });
    });
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    expect(find(objects, 'Namespace', 'default').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(find(objects, 'Namespace', 'shop').metadata).toEqual({
      name: 'shop', labels: { 'istio.io/rev': 'prod-stable', 'team': 'shop' }, annotations: { 'example.com/owner': 'shop team' },
    });
  });

  // Labels as Istio's injector webhooks and ztunnel read them (sidecar-injection docs, ambient docs).
  test.each<[MeshNamespaceProps, Record<string, string>]>([
    [{ name: 'a' }, { 'istio-injection': 'enabled' }],
    [{ name: 'a', injection: 'sidecar' }, { 'istio-injection': 'enabled' }],
    [{ name: 'a', injection: 'revision', revision: '1-31-0' }, { 'istio.io/rev': '1-31-0' }],
    [{ name: 'a', injection: 'revisionTag', revisionTag: 'prod-canary' }, { 'istio.io/rev': 'prod-canary' }],
    [{ name: 'a', injection: 'ambient' }, { 'istio.io/dataplane-mode': 'ambient' }],
    [{ name: 'a', injection: 'disabled' }, { 'istio-injection': 'disabled' }],
  ])('%j has exactly the label %j', (props, expected) => {
    expect(labelsOf(props)).toEqual(expected);
  });

  test('other Istio labels that set no injection mode are kept (istio.io/use-waypoint)', () => {
    expect(labelsOf({ name: 'a', injection: 'ambient', labels: { 'istio.io/use-waypoint': 'waypoint' } }))
      .toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
  });

  describe('bad input', () => {
    // IST0123 NamespaceMultipleInjectionLabels: pkg/config/analysis/analyzers/injection/injection.go counts
    // istio-injection, and istio.io/rev and istio.io/dataplane-mode unless istio-injection is other than "enabled".
    test.each<[MeshNamespaceProps, string]>([
      [{ name: 'a', labels: { 'istio.io/rev': 'canary' } }, 'istio.io/rev'],
      [{ name: 'a', labels: { 'istio.io/dataplane-mode': 'ambient' } }, 'istio.io/dataplane-mode'],
      [{ name: 'a', injection: 'ambient', labels: { 'istio-injection': 'enabled' } }, 'istio-injection'],
      [{ name: 'a', injection: 'revision', revision: 'canary', labels: { 'istio.io/dataplane-mode': 'none' } }, 'istio.io/dataplane-mode'],
    ])('%j: a second injection label is IST0123', (props, key) => {
      const e = errorOf(() => buildMeshNamespace(props));
      expect(e.code).toBe(ErrorCode.MULTIPLE_INJECTION_LABELS);
      expect(e.path).toBe(`labels["${key}"]`);
      expect(e.message).toMatch(/IST0123/);
    });

    test('the mode label itself in labels is refused (set it with injection)', () => {
      expect(errorOf(() => buildMeshNamespace({ name: 'a', labels: { 'istio-injection': 'enabled' } })).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('sidecar.istio.io/inject on a namespace does nothing', () => {
      expect(errorOf(() => buildMeshNamespace({ name: 'a', labels: { 'sidecar.istio.io/inject': 'true' } })).code).toBe(ErrorCode.CONFLICTING_PROPS);
    });
    test('an injection label given as an annotation does nothing', () => {
      const e = errorOf(() => buildMeshNamespace({ name: 'a', annotations: { 'istio.io/rev': 'canary' } }));
      expect(e.code).toBe(ErrorCode.CONFLICTING_PROPS);
      expect(e.path).toBe('annotations["istio.io/rev"]');
    });
    test('a revision without its mode, a mode without its revision, a revision with dots', () => {
      expect(errorOf(() => buildMeshNamespace({ name: 'a', revision: 'canary' })).code).toBe(ErrorCode.CONFLICTING_PROPS);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', injection: 'revision', revisionTag: 'x' })).code).toBe(ErrorCode.CONFLICTING_PROPS);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', injection: 'revisionTag' })).code).toBe(ErrorCode.CONFLICTING_PROPS);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', injection: 'revision', revision: '1.31.0' })).code).toBe(ErrorCode.INVALID_NAME);
    });
    test('a bad name, label, annotation key, or mode', () => {
      expect(errorOf(() => buildMeshNamespace({ name: 'Shop' })).code).toBe(ErrorCode.INVALID_NAME);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', labels: { team: 'a b' } })).code).toBe(ErrorCode.INVALID_LABEL);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', annotations: { 'a b': 'x' } })).code).toBe(ErrorCode.INVALID_LABEL);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', injection: 'enabled' as any })).code).toBe(ErrorCode.INVALID_PROP);
      expect(errorOf(() => buildMeshNamespace({ name: 'a', injections: 'ambient' } as any)).code).toBe(ErrorCode.UNKNOWN_PROP);
    });
  });

  test('property: random props give one admission-valid Namespace with at most one injection label, or an IstioConstructError', () => {
    fc.assert(fc.property(meshNamespaceProps, (recipe) => {
      const props = realize(recipe) as MeshNamespaceProps;
      refusedOrValid(() => buildMeshNamespace(props));
      let out;
      try {
        out = buildMeshNamespace(props);
      } catch (e) {
        expect(e).toBeInstanceOf(IstioConstructError);
        return;
      }
      const keys = Object.keys(out.namespace.metadata.labels ?? {}).filter((k) => ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'].includes(k));
      expect(keys).toHaveLength(1);
    }), { numRuns: 300 });
  });

  test('Pulumi: one kubernetes:core/v1:Namespace child with the label', async () => {
    const registered = await runPulumi(() => [new PulumiMeshNamespace('shop', { name: 'shop', injection: 'revision', revision: '1-31-0' })]);
    expect(registered.map((r) => [r.type, r.name])).toEqual([['kubernetes:core/v1:Namespace', 'shop-namespace']]);
    expect(registered[0].inputs.metadata).toEqual({ name: 'shop', labels: { 'istio.io/rev': '1-31-0' } });
  });

  test('Pulumi: bad args are refused at construction', () => {
    expect(() => new PulumiMeshNamespace('bad', { name: 'a', injection: 'ambient', labels: { 'istio-injection': 'enabled' } })).toThrow(IstioConstructError);
  });
});
