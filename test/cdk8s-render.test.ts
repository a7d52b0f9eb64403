/**
 * The rendering of an app's ApiObjects at synth (src/cdk8s/render.ts): a copy of their plain-JSON
 * props, instead of cdk8s' resolver walk, when that walk cannot change them. What must hold:
 * `render(o)` is exactly `o.toJson()` as cdk8s computes it (same values, same key order), for any
 * props and metadata; and cdk8s renders the object itself whenever it could differ (patches, Lazy
 * values and tokens, custom resolvers, a class or an object with its own toJson).
 */
import * as fc from 'fast-check';
import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { render } from '../src/cdk8s/render';

/** An object as a program declares it. */
function own(chart: Chart, id: string, props: Record<string, unknown>): ApiObject {
  return new ApiObject(chart, id, props as any);
}

/** What cdk8s itself renders (the prototype's toJson, whatever the object's own). */
const cdk8sRendering = (o: ApiObject) => ApiObject.prototype.toJson.call(o);

/** The rendering, or the message it throws with. */
function outcome(f: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Same values and the same key order at every depth (or the same error: cdk8s refuses a null-prototype object). */
function expectSameRendering(o: ApiObject): void {
  const ours = outcome(() => render(o));
  const theirs = outcome(() => cdk8sRendering(o));
  expect(ours).toStrictEqual(theirs);
  expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
}

const key = fc.oneof(fc.constantFrom('a', 'b', 'z', 'A', '0', '10', '2', 'metadata', 'kind', 'spec', 'é', 'k.io/x', '__proto__', 'constructor', 'resolve', 'value'), fc.string({ maxLength: 6 }));
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;
const labels = fc.dictionary(fc.constantFrom('app', 'version', 'team', 'z', 'a'), fc.string({ maxLength: 5 }), { maxKeys: 3 });

const objects = fc.record({
  spec: fc.dictionary(key, json, { maxKeys: 6 }),
  labels,
  annotations: fc.option(labels, { nil: undefined }),
  extra: fc.option(fc.record({ generateName: fc.string({ maxLength: 4 }), uid: fc.constant(null) }, { requiredKeys: [] }), { nil: undefined }),
  chartLabels: labels,
  chartNamespace: fc.option(fc.constantFrom('team-a', 'mesh'), { nil: undefined }),
  namespace: fc.option(fc.constantFrom('ns-1', ''), { nil: undefined }),
  addLabel: fc.option(fc.tuple(fc.constantFrom('app', 'added'), fc.string({ maxLength: 3 })), { nil: undefined }),
  finalizers: fc.array(fc.constantFrom('example.com/a', 'example.com/b'), { maxLength: 2 }),
  owner: fc.boolean(),
  unsorted: fc.boolean(),
});

describe('cdk8s: the library renders an app\'s objects as cdk8s would', () => {
  test('property: render(o) is exactly cdk8s\' toJson(): values and key order, sorted or not (CDK8S_DISABLE_SORT)', () => {
    const before = process.env.CDK8S_DISABLE_SORT;
    try {
      fc.assert(fc.property(objects, (x) => {
        if (x.unsorted) process.env.CDK8S_DISABLE_SORT = '1';
        else delete process.env.CDK8S_DISABLE_SORT;
        const chart = new Chart(new App(), 'c', { labels: x.chartLabels, namespace: x.chartNamespace });
        const o = own(chart, 'o', {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'vs', labels: x.labels, ...(x.annotations ? { annotations: x.annotations } : {}), ...(x.namespace !== undefined ? { namespace: x.namespace } : {}), ...x.extra },
          ...x.spec,
        });
        if (x.addLabel) o.metadata.addLabel(...x.addLabel);
        if (x.finalizers.length) o.metadata.addFinalizers(...x.finalizers);
        if (x.owner) o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' });
        expectSameRendering(o);
      }), { numRuns: 400, seed: 20261122 });
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = before;
    }
  });

  test('a plain-JSON object (the library\'s, or a user\'s Service) renders without cdk8s\' toJson: the copy is on', () => {
    const chart = new Chart(new App(), 'c');
    const objects = [
      own(chart, 'vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] } }),
      new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { selector: { app: 'a' }, ports: [{ port: 80, name: 'http' }] } }),
    ];
    // cdk8s' toJson resolves the object's values (cdk8s/lib/resolve.js); the copy never does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const spy = jest.spyOn(require('cdk8s/lib/resolve') as { resolve: (...args: unknown[]) => unknown }, 'resolve');
    try {
      for (const o of objects) expect(render(o)).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ name: o.name }) }));
      expect(spy).not.toHaveBeenCalled();
      objects[0].toJson();
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    for (const o of objects) expectSameRendering(o);
  });

  test('the copy reads the object as it is at synth: labels and annotations added after construction are rendered', () => {
    const o = own(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { b: '2', a: '1' } });
    o.metadata.addLabel('late', 'yes');
    o.metadata.addAnnotation('note', 'x');
    expect(render(o)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { late: 'yes' }, annotations: { note: 'x' } }, data: { a: '1', b: '2' } });
    expectSameRendering(o);
  });

  test('a JSON patch (addJsonPatch) is applied: cdk8s renders the object', () => {
    const o = own(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    o.addJsonPatch(JsonPatch.add('/data/b', '2'));
    expect(render(o)).toEqual(expect.objectContaining({ data: { a: '1', b: '2' } }));
    expectSameRendering(o);
  });

  test('Lazy values and tokens in the props or the metadata are resolved: cdk8s renders the object', () => {
    const chart = new Chart(new App(), 'c');
    const lazy = own(chart, 'lazy', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lazy' }, data: { a: Lazy.any({ produce: () => 'produced' }) } });
    expect(render(lazy)).toEqual(expect.objectContaining({ data: { a: 'produced' } }));
    const token = own(chart, 'token', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'token' }, data: { a: { resolve: () => 'resolved' } } });
    expect(render(token)).toEqual(expect.objectContaining({ data: { a: 'resolved' } }));
    const meta = own(chart, 'meta', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'meta' } });
    meta.metadata.add('generateName', Lazy.any({ produce: () => 'gen-' }));
    expect(render(meta)).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ generateName: 'gen-' }) }));
    for (const o of [lazy, token, meta]) expectSameRendering(o);
  });

  test('an App with its own resolvers: cdk8s renders the object (the resolvers see every value)', () => {
    const app = new App({ resolvers: [{ resolve: (c) => { if (c.value === 'PLACEHOLDER') c.replaceValue('replaced'); } }] });
    const o = own(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'PLACEHOLDER' } });
    expect(render(o)).toEqual(expect.objectContaining({ data: { a: 'replaced' } }));
    expectSameRendering(o);
  });

  test('an object with its own toJson, or of a class with its own (an imported KubeX class), renders through it', () => {
    const chart = new Chart(new App(), 'c');
    const stamped = own(chart, 'stamped', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stamped' } });
    Object.defineProperty(stamped, 'toJson', { value: () => ({ stamped: true }) });
    expect(render(stamped)).toEqual({ stamped: true });
    // What `cdk8s import` generates: toJson() maps the props to the API's field names.
    class KubeThing extends ApiObject {
      public toJson(): any {
        const json = super.toJson();
        return { ...json, spec: { renamed: json.spec.camelCase } };
      }
    }
    const imported = new KubeThing(chart, 'imported', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'thing' }, spec: { camelCase: 1 } } as any);
    expect(render(imported)).toEqual(expect.objectContaining({ spec: { renamed: 1 } }));
  });

  test('the props are read at synth: a program that changes the object it passed to the constructor renders the change, as cdk8s does', () => {
    const props = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } as Record<string, string> };
    const o = own(new Chart(new App(), 'c'), 'o', props);
    props.data.b = '2';
    expect(render(o)).toEqual(expect.objectContaining({ data: { a: '1', b: '2' } }));
    expectSameRendering(o);
  });

  test('keys are sorted as cdk8s sorts them: by UTF-16 code units, on objects of few keys and of many', () => {
    const many = Object.fromEntries(['b', 'B', '_', 'a', '10', '9', 'é', 'z', 'Z', 'aa', 'a-b', 'a.b', 'a/b', '~', ' ', '😀', 'ﬀ', 'k8s.io/x', 'A', '0']
      .map((k, i) => [k, { [k]: i, y: 1, x: 2 }]));
    const o = own(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { b: '1', a: '2' } }, data: many });
    expectSameRendering(o);
    const data = (render(o) as any).data;
    // Integer-like keys ('0', '9', '10') always come first in a JavaScript object, whatever the order of insertion.
    expect(Object.keys(data)).toEqual(['0', '9', '10', ' ', 'A', 'B', 'Z', '_', 'a', 'a-b', 'a.b', 'a/b', 'aa', 'b', 'k8s.io/x', 'z', '~', 'é', '😀', 'ﬀ']);
    expect(Object.keys(data.Z)).toEqual(['Z', 'x', 'y']);
  });

  test('under a cdk8s whose rendering differs from the copy (checked once, on a probe object), the copy stays off', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cdk8s = require('cdk8s') as typeof import('cdk8s');
      const original = cdk8s.ApiObject.prototype.toJson;
      cdk8s.ApiObject.prototype.toJson = function (this: ApiObject) {
        const json = original.call(this);
        return { ...json, metadata: { ...json.metadata, annotations: { ...json.metadata.annotations, renderedBy: 'another-cdk8s' } } };
      };
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('../src/cdk8s/render') as typeof import('../src/cdk8s/render');
        const o = new cdk8s.ApiObject(new cdk8s.Chart(new cdk8s.App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
        expect(isolated.render(o)).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ annotations: { renderedBy: 'another-cdk8s' } }) }));
      } finally {
        cdk8s.ApiObject.prototype.toJson = original;
      }
    });
  });
});
