/**
 * The whole-program analysis runs once per synth in cdk8s (DESIGN D5a): one `analyze` call over
 * every ApiObject of the App, errors fail the synth with every diagnostic listed, warnings and
 * infos print once, stage charts are analyzed apart; and `npm run synth` fails on a program with a
 * seeded cross-object error.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as analysis from '../src/analysis/analyze';
import { AnalysisOptions } from '../src/analysis/types';
import { ErrorCode, IngressGateway, Manifest, Protocol, ServiceRef } from '../src';
import { CanaryService, IstioAnalysis, ServiceTrafficPolicy } from '../src/cdk8s';
import { examples } from '../examples';
import { existingService } from '../examples/cluster';
import { errorOf } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const cluster = existingService(reviews, ['v1', 'v2', 'v3']);
const details = ServiceRef.fromName('details', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });

/** A hand-written VirtualService routing `reviews` to `subset` (no DestinationRule defines v3). */
function rawRoute(scope: Chart, id: string, subset: string, name = id): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'bookinfo' },
    spec: { hosts: [`${name}.bookinfo.example.com`], http: [{ route: [{ destination: { host: 'reviews.bookinfo.svc.cluster.local', subset } }] }] },
  });
}

/** Runs `fn` with console.warn and console.info captured. */
function printed(fn: () => void): { warn: string[]; info: string[] } {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    fn();
    return { warn: warn.mock.calls.map((a) => String(a[0])), info: info.mock.calls.map((a) => String(a[0])) };
  } finally {
    warn.mockRestore();
    info.mockRestore();
  }
}

/** The message of the error `fn` throws ('' when it does not throw). */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('cdk8s: one analysis per synthesis', () => {
  test('analyze runs once for an app of several charts and constructs, over every ApiObject (all kinds), each rendered once', () => {
    // GIVEN three charts: library constructs, a cdk8s-plus Service and Deployment, a raw Namespace
    const app = Testing.app();
    const mesh = new Chart(app, 'mesh');
    new ApiObject(mesh, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    const apps = new Chart(app, 'apps', { namespace: 'shop' });
    const deployment = new kplus.Deployment(apps, 'cart', { containers: [{ image: 'example/cart:v1', portNumber: 8080 }], podMetadata: { labels: { version: 'v1' } } });
    const service = deployment.exposeViaService({ name: 'cart', ports: [{ port: 8080, name: 'http' }] });
    const routing = new Chart(app, 'routing');
    new CanaryService(routing, 'cart', { service: ServiceRef.fromService(service), versions: [{ name: 'v1', weight: 1 }] });
    new ServiceTrafficPolicy(routing, 'reviews', { service: reviews, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
    IstioAnalysis.configure(app, { external: cluster });
    const objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;
    const spy = jest.spyOn(analysis, 'analyze');
    const toJson = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      // WHEN the app synthesizes (cdk8s validates the app once, then once per chart: 4 times)
      printed(() => app.synth());
      // THEN one analysis, over every object of every kind, schema analyzers left out
      expect(spy).toHaveBeenCalledTimes(1);
      const [manifests, options] = spy.mock.calls[0] as [Manifest[], AnalysisOptions];
      expect(manifests).toHaveLength(objects);
      expect(new Set(manifests.map((m) => m.kind))).toEqual(new Set(['Namespace', 'Deployment', 'Service', 'VirtualService', 'DestinationRule']));
      expect(options.exclude).toEqual(['schema.']);
      expect(options.external).toEqual(cluster);
      // AND each object is rendered once: the validation's rendering is the one cdk8s writes
      expect(toJson).toHaveBeenCalledTimes(objects);
      // AND after the synthesis every object renders itself again (a later change is seen)
      expect(app.node.findAll().filter((c) => c instanceof ApiObject && Object.prototype.hasOwnProperty.call(c, 'toJson'))).toEqual([]);
      app.synth();
      expect(toJson).toHaveBeenCalledTimes(2 * objects);
    } finally {
      spy.mockRestore();
      toJson.mockRestore();
    }
  });

  test('errors fail the synth, every error listed with the construct path, code and resource', () => {
    // GIVEN a CanaryService (subsets v1, v2) and two hand-written routes to subsets it does not define
    const app = Testing.app();
    const chart = new Chart(app, 'reviews');
    new CanaryService(chart, 'canary', { service: reviews, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }] });
    rawRoute(chart, 'testers', 'v3');
    rawRoute(new Chart(app, 'other'), 'qa', 'v4');
    IstioAnalysis.configure(app, { external: cluster });
    // WHEN it synthesizes THEN it fails, listing both errors
    const message = failure(() => printed(() => app.synth()));
    expect(message).toContain('reviews/testers: Error IST0101 (VirtualService bookinfo/testers)');
    expect(message).toContain('other/qa: Error IST0101 (VirtualService bookinfo/qa)');
    expect(message.match(/IST0101/g)).toHaveLength(2);
    // AND the same program with the subsets defined synthesizes
    const fixed = Testing.app();
    const c = new Chart(fixed, 'reviews');
    new CanaryService(c, 'canary', { service: reviews, versions: [{ name: 'v1', weight: 1 }, { name: 'v3', weight: 1 }] });
    rawRoute(c, 'testers', 'v3');
    IstioAnalysis.configure(fixed, { external: cluster });
    expect(failure(() => printed(() => fixed.synth()))).toBe('');
  });

  test('an error in an object of the library names the construct that emitted it', () => {
    // GIVEN two CanaryServices that both claim the reviews host (two VirtualServices for one host: IST0109)
    const app = Testing.app();
    new CanaryService(new Chart(app, 'a'), 'first', { service: reviews, name: 'reviews-a', versions: [{ name: 'v1', weight: 1 }] });
    new CanaryService(new Chart(app, 'b'), 'second', { service: reviews, name: 'reviews-b', versions: [{ name: 'v2', weight: 1 }] });
    IstioAnalysis.configure(app, { external: cluster });
    const message = failure(() => printed(() => app.synth()));
    expect(message).toMatch(/a\/first: Error IST0109 \(VirtualService bookinfo\/reviews-a\)/);
    expect(message).toMatch(/b\/second: Error IST0109 \(VirtualService bookinfo\/reviews-b\)/);
  });

  test('warnings and infos print once per synth, whatever the number of charts', () => {
    // GIVEN two DestinationRules for one host in two charts (ICA0002 warning) and a Namespace without injection (IST0102 info)
    const app = Testing.app();
    new ServiceTrafficPolicy(new Chart(app, 'a'), 'one', { service: reviews, name: 'reviews-one', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
    new ServiceTrafficPolicy(new Chart(app, 'b'), 'two', { service: reviews, name: 'reviews-two', trafficPolicy: { connectionPool: { tcp: { maxConnections: 20 } } } });
    new ApiObject(new Chart(app, 'c'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'plain' } });
    IstioAnalysis.configure(app, { external: cluster });
    // WHEN it synthesizes twice
    const first = printed(() => app.synth());
    // THEN each warning is printed once (cdk8s validated the app 4 times), prefixed and naming the construct
    const duplicates = first.warn.filter((l) => l.includes('ICA0002'));
    expect(duplicates.length).toBeGreaterThan(0);
    expect(new Set(duplicates).size).toBe(duplicates.length);
    expect(duplicates.every((l) => /^\[istio-constructs\] WARNING (a\/one|b\/two): Warning ICA0002 \(DestinationRule bookinfo\/reviews-(one|two)\)/.test(l))).toBe(true);
    expect(first.info).toEqual([expect.stringMatching(/^\[istio-constructs\] INFO c\/ns: Info IST0102 \(Namespace plain\)/)]);
    // AND a second synth prints them again, once
    const second = printed(() => app.synth());
    expect(second.warn).toEqual(first.warn);
    expect(second.info).toEqual(first.info);
  });

  test('stages: each stage chart is analyzed with the charts not listed, never with another stage', () => {
    const build = (withStages: boolean) => {
      const app = Testing.app();
      // a common chart (a traffic policy for details), and two alternative splits of reviews
      const base = new Chart(app, 'base');
      new ServiceTrafficPolicy(base, 'details', { service: details, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } });
      const stages = [10, 50].map((v2) => {
        const stage = new Chart(app, `split-${v2}`);
        new CanaryService(stage, 'reviews', { service: reviews, versions: [{ name: 'v1', percent: 100 - v2 }, { name: 'v2', percent: v2 }] });
        return stage;
      });
      IstioAnalysis.configure(app, { external: [...cluster, ...existingService(details)], ...(withStages ? { stages } : {}) });
      return { app, stages };
    };
    // Without stages the two splits are one program: two VirtualServices bookinfo/reviews claim one host
    const together = failure(() => printed(() => build(false).app.synth()));
    expect(together).toContain('IST0109');
    // With stages each split is analyzed with the common chart only
    const spy = jest.spyOn(analysis, 'analyze');
    try {
      const { app } = build(true);
      expect(failure(() => printed(() => app.synth()))).not.toContain('IST0109');
      expect(spy).toHaveBeenCalledTimes(2);
      const names = spy.mock.calls.map((c) => (c[0] as Manifest[]).map((m) => `${m.kind}/${m.metadata.name}`).sort());
      expect(names[0]).toEqual(names[1]); // the same object names: the common chart's and one stage's
      expect(spy.mock.calls.every((c) => (c[0] as Manifest[]).filter((m) => m.kind === 'VirtualService').length === 1)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  test('stages: an error in one stage fails the synth, naming that stage', () => {
    const app = Testing.app();
    const base = new Chart(app, 'base');
    new CanaryService(base, 'reviews', { service: reviews, versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 1 }] });
    const good = new Chart(app, 'good');
    rawRoute(good, 'route', 'v2', 'testers');
    const bad = new Chart(app, 'bad');
    rawRoute(bad, 'route', 'v3', 'testers');
    IstioAnalysis.configure(app, { external: cluster, stages: [good, bad] });
    const message = failure(() => printed(() => app.synth()));
    expect(message).toContain('bad/route: Error IST0101 (VirtualService bookinfo/testers)');
    expect(message).not.toContain('good/route');
  });

  test('exclude leaves analyzers out', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'reviews');
    new CanaryService(chart, 'canary', { service: reviews, versions: [{ name: 'v1', weight: 1 }] });
    rawRoute(chart, 'testers', 'v3');
    IstioAnalysis.configure(app, { external: cluster, exclude: ['virtualservice.'] });
    expect(failure(() => printed(() => app.synth()))).toBe('');
  });

  test('typed references declare cluster objects: a route to ServiceRef.fromName resolves, a misspelled raw host does not', () => {
    // GIVEN no configuration: the CanaryService's ServiceRef and IngressGateway stand for objects in the cluster
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', serviceName: 'istio-ingressgateway', ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }] });
    new CanaryService(chart, 'reviews', { service: reviews, versions: [{ name: 'v1', weight: 1 }], gateway: { gateway, hosts: ['reviews.example.com'] } });
    const analyzed = jest.spyOn(analysis, 'analyze');
    try {
      // THEN the synth passes, with the referenced Service and gateway workload given as external objects
      expect(failure(() => printed(() => app.synth()))).toBe('');
      const external = (analyzed.mock.calls[0][1] as AnalysisOptions).external!.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`);
      expect(external).toEqual(expect.arrayContaining(['Service bookinfo/reviews', 'Deployment istio-system/istio-ingressgateway', 'Service istio-system/istio-ingressgateway']));
    } finally {
      analyzed.mockRestore();
    }
    // AND a hand-written route to a host no reference declares still fails
    new ApiObject(chart, 'typo', {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'typo', namespace: 'bookinfo' },
      spec: { hosts: ['typo.example.com'], http: [{ route: [{ destination: { host: 'reveiws.bookinfo.svc.cluster.local' } }] }] },
    });
    expect(failure(() => printed(() => app.synth()))).toContain('shop/typo: Error IST0101 (VirtualService bookinfo/typo)');
  });

  test('configure checks its arguments', () => {
    const app = Testing.app();
    const other = Testing.app();
    expect(errorOf(() => IstioAnalysis.configure(new Chart(app, 'c'), {})).path).toBe('app');
    expect(errorOf(() => IstioAnalysis.configure(app, { stages: [new Chart(other, 'x')] })).path).toBe('stages[0]');
    const chart = new Chart(app, 'd');
    expect(errorOf(() => IstioAnalysis.configure(app, { stages: [chart, chart] })).message).toContain('listed twice');
    expect(errorOf(() => IstioAnalysis.configure(app, { exclude: 'schema.' } as any)).code).toBe(ErrorCode.INVALID_PROP);
    expect(errorOf(() => IstioAnalysis.configure(app, { stage: [] } as any)).code).toBe(ErrorCode.UNKNOWN_PROP);
  });

  test('configure turns the analysis on for an app without the library\'s constructs', () => {
    const app = Testing.app();
    rawRoute(new Chart(app, 'raw'), 'testers', 'v3');
    expect(failure(() => printed(() => app.synth()))).toBe(''); // nothing of the library: no App-level validation
    IstioAnalysis.configure(app, { external: cluster });
    expect(failure(() => printed(() => app.synth()))).toContain('raw/testers: Error IST0101');
  });
});

describe('npm run synth', () => {
  test('fails on an extra module with a seeded cross-object error, prints its IST code, passes the real examples', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-synth-'));
    // The examples that install Istio render its charts with helm (a minute in all); CI's own
    // `npm run synth` renders them, so this test runs the same pipeline over the others.
    const real = examples.filter((e) => !e.installsIstio);
    // WHEN the synth task runs with the fixture as an extra example module
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', 'tsconfig.dev.json', 'scripts/synth.ts', 'test/fixtures/seeded-cross-object-error.ts'],
        { cwd: ROOT, env: { ...process.env, SYNTH_OUTDIR: outdir, SYNTH_EXAMPLES: real.map((e) => e.name).join(',') }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout }));
    });
    // THEN it exits non-zero, the fixture failed with IST0101 on the hand-written route, and every real example is ok
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAILED {2}seeded-cross-object-error:[\s\S]*reviews\/tester-route: Error IST0101 \(VirtualService bookinfo\/reviews-testers\)/);
    expect(result.stdout).toContain('1 example(s) failed');
    expect(result.stdout.match(/^ok {5}/gm)).toHaveLength(real.length);
    expect(real.length).toBeGreaterThan(10);
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 300_000);
});
