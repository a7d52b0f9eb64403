/**
 * The validator itself: the schema of the object's served version, the CRDs' CEL rules, list
 * semantics, defaulting, and the call into the webhook rules. Istio's own accept/reject fixtures
 * are in validation-fixtures.test.ts.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  IstioConstructError, Manifest, MtlsMode, buildPeerAuthentication, validateManifest, validateManifestDetailed, validateManifests,
  validateManifestsDetailed,
} from '../src';
import { PeerAuthentication } from '../src/cdk8s';
import { register } from '../src/pulumi/register';
import { evaluateRule } from '../src/core/validation/cel';
import { StructuralSchema, applyDefaults, checkRulesAndLists } from '../src/core/validation/structural';
import * as webhook from '../src/core/webhook';

const vs = (spec: unknown): Manifest => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'default' }, spec });

describe('validateManifest', () => {
  test('accepts a valid VirtualService', () => {
    expect(validateManifest(vs({ hosts: ['r'], http: [{ route: [{ destination: { host: 'r' }, weight: 100 }] }] }))).toEqual([]);
  });

  test('refuses an unknown (misspelled) field, with its path', () => {
    const issues = validateManifest(vs({ hosts: ['r'], http: [{ route: [{ destination: { host: 'r' }, wieght: 100 }] }] }));
    expect(issues).toEqual([expect.objectContaining({ field: '/spec/http/0/route/0', message: expect.stringContaining('wieght') })]);
  });

  test('refuses a wrong type and a missing required field', () => {
    expect(validateManifest(vs({ hosts: ['r'], http: [{ route: [{ destination: { host: 'r' }, weight: '100' }] }] }))[0].field).toBe('/spec/http/0/route/0/weight');
    expect(validateManifest(vs({ hosts: ['r'], http: [{ route: [{ destination: {} }] }] }))[0].message).toContain('host');
  });

  test('refuses a name that is not DNS-1123', () => {
    const m: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'my.gateway' }, spec: { servers: [] } };
    expect(validateManifest(m).map((i) => i.field)).toContain('/metadata/name');
  });

  test('refuses an unknown kind rather than passing it', () => {
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } })[0].message).toContain('no schema');
  });

  test('validates core kinds with the Kubernetes schemas', () => {
    const svc = (port: unknown): Manifest => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'd' }, spec: { ports: [{ port }] } });
    expect(validateManifest(svc(80))).toEqual([]);
    expect(validateManifest(svc('eighty'))).not.toEqual([]);
  });

  test('reports two objects of one kind with one name', () => {
    const a = vs({ hosts: ['r'], http: [{ route: [{ destination: { host: 'r' } }] }] });
    expect(validateManifests([a, a]).map((i) => i.message)).toEqual(['declared twice']);
  });
});

describe('served versions', () => {
  const dr = (apiVersion: string): Manifest => ({ apiVersion, kind: 'DestinationRule', metadata: { name: 'r', namespace: 'default' }, spec: { host: 'r' } } as Manifest);

  test('every served version of a kind is validated with its own schema', () => {
    for (const v of ['v1', 'v1beta1', 'v1alpha3']) expect(validateManifest(dr(`networking.istio.io/${v}`))).toEqual([]);
    expect(validateManifest({ ...dr('networking.istio.io/v1beta1'), spec: { host: 'r', hots: 1 } })[0].message).toContain('hots');
    const telemetry = { apiVersion: 'telemetry.istio.io/v1alpha1', kind: 'Telemetry', metadata: { name: 't' }, spec: {} };
    expect(validateManifest(telemetry)).toEqual([]);
    const wasm = { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'w' }, spec: { url: 'oci://x/y:1' } };
    expect(validateManifest(wasm)).toEqual([]);
  });

  test('a version the CRD does not serve is refused, naming the served ones', () => {
    expect(validateManifest(dr('networking.istio.io/v2'))).toEqual([{
      object: 'DestinationRule default/r',
      field: '/apiVersion',
      message: 'DestinationRule is not served as networking.istio.io/v2: the served versions are networking.istio.io/v1, networking.istio.io/v1alpha3, networking.istio.io/v1beta1',
    }]);
    expect(validateManifest({ ...dr('networking.istio.io/v1'), kind: 'EnvoyFilter', spec: {} })[0].message).toContain('networking.istio.io/v1alpha3');
  });
});

describe('CEL rules and list semantics', () => {
  const pa = (spec: unknown): Manifest => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', namespace: 'd' }, spec });

  test('a false rule is reported at the node that declares it, with its message', () => {
    expect(validateManifest(pa({ selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 8080: { mode: 'STRICT' } } }))).toEqual([]);
    expect(validateManifest(pa({ selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 0: { mode: 'STRICT' } } }))).toEqual([
      { object: 'PeerAuthentication d/p', field: '/spec/portLevelMtls', message: 'port must be between 1-65535' },
    ]);
    expect(validateManifest(pa({ portLevelMtls: { 8080: { mode: 'STRICT' } } }))).toEqual([
      { object: 'PeerAuthentication d/p', field: '/spec', message: 'portLevelMtls requires selector' },
    ]);
  });

  test('an evaluation error is a rejection, as in the API server', () => {
    const issues = validateManifest(pa({ selector: { matchLabels: { app: 'a' } }, portLevelMtls: { abc: { mode: 'STRICT' } } }));
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/^port must be between 1-65535 \(the rule could not be evaluated: /);
  });

  test('duration rules: at least 1ms, and a string that is not a duration is refused', () => {
    const drWith = (connectTimeout: string): Manifest => ({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r' },
      spec: { host: 'r', trafficPolicy: { connectionPool: { tcp: { connectTimeout } } } },
    });
    expect(validateManifest(drWith('1ms'))).toEqual([]);
    expect(validateManifest(drWith('0.5ms'))[0]).toEqual(expect.objectContaining({
      field: '/spec/trafficPolicy/connectionPool/tcp/connectTimeout', message: 'must be a valid duration greater than 1ms',
    }));
    expect(validateManifest(drWith('soon'))[0].message).toContain('must be a valid duration greater than 1ms (the rule could not be evaluated');
  });

  test('integers are CEL ints (compared with int literals)', () => {
    const se = (number: unknown): Manifest => ({
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 's' },
      spec: { hosts: ['a.example.com'], ports: [{ number, name: 'http', protocol: 'HTTP' }] },
    });
    expect(validateManifest(se(80))).toEqual([]);
    expect(validateManifest(se(70000)).map((i) => i.message)).toContain('port must be between 1-65535');
  });

  test('x-kubernetes-list-type map refuses two items with the same key', () => {
    const m: Manifest = {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 's' },
      spec: { hosts: ['a.example.com'], ports: [{ number: 80, name: 'http' }, { number: 81, name: 'http' }] },
    };
    expect(validateManifest(m)).toEqual([{ object: 'ServiceEntry s', field: '/spec/ports/1', message: 'Duplicate value: {"name":"http"}' }]);
  });

  test('the Kubernetes URL library: isURL, url().getScheme() as Go\'s ParseRequestURI reads URLs', () => {
    const rule = (r: string, self: string) => evaluateRule({ rule: r, message: 'no' }, self).kind;
    expect(rule('isURL(self)', 'https://example.com/a?b=c')).toBe('pass');
    expect(rule('isURL(self)', '/just/a/path')).toBe('pass');
    for (const notUrl of ['example.com/a', 'mailto:a@b', 'http://a b', '#%blah$#@', 'http://#%blah$#@', 'http://x/%zz']) {
      expect([notUrl, rule('isURL(self)', notUrl)]).toEqual([notUrl, 'fail']);
    }
    expect(rule('url(self).getScheme() == "oci"', 'OCI://registry/x:1')).toBe('pass');
    expect(rule('url(self).getHost() == "h:8080" && url(self).getHostname() == "h" && url(self).getPort() == "8080"', 'http://h:8080/p')).toBe('pass');
    expect(evaluateRule({ rule: 'url(self).getScheme() == "http"', message: 'm' }, 'not a url')).toEqual({
      kind: 'fail', message: expect.stringMatching(/^m \(the rule could not be evaluated: .*URL parse error/),
    });
    expect(rule('self.substring(0, 4) == "unix"', 'unix:///x')).toBe('pass');
  });

  test('messageExpression, the default message, transition rules', () => {
    expect(evaluateRule({ rule: 'self > 1', messageExpression: '"got " + string(self)' }, BigInt(0))).toEqual({ kind: 'fail', message: 'got 0' });
    expect(evaluateRule({ rule: 'self > 1' }, BigInt(0))).toEqual({ kind: 'fail', message: 'failed rule: self > 1' });
    expect(evaluateRule({ rule: 'self', message: 'm' }, 'text')).toEqual({ kind: 'fail', message: 'm (the rule did not evaluate to a bool)' });
    expect(evaluateRule({ rule: 'self == oldSelf', message: 'immutable' }, 'x').kind).toBe('skipped');
    expect(evaluateRule({ rule: 'self == "oldSelf"', message: 'm' }, 'oldSelf').kind).toBe('pass');
  });
});

describe('defaulting before the rules', () => {
  const schema: StructuralSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { mode: { type: 'string', default: 'A' }, items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer', default: 5 } } } } },
        'x-kubernetes-validations': [{ rule: 'self.mode == "A"', message: 'mode must be A' }],
      },
    },
  };

  test('absent properties get their default, in list items too, without mutating the input', () => {
    const input = { spec: { items: [{}, { n: 1 }] } };
    expect(applyDefaults(schema, input)).toEqual({ spec: { mode: 'A', items: [{ n: 5 }, { n: 1 }] } });
    expect(input).toEqual({ spec: { items: [{}, { n: 1 }] } });
    const untouched = { spec: { mode: 'B', items: [{ n: 1 }] } };
    expect(applyDefaults(schema, untouched)).toBe(untouched);
  });

  test('the rules see the defaulted object', () => {
    const failures: string[] = [];
    checkRulesAndLists(schema, applyDefaults(schema, { spec: {} }), '', (p, m) => failures.push(`${p}: ${m}`));
    expect(failures).toEqual([]);
    checkRulesAndLists(schema, { spec: { mode: 'B' } }, '', (p, m) => failures.push(`${p}: ${m}`));
    expect(failures).toEqual(['/spec: mode must be A']);
  });
});

describe('CEL rules on objects: members are converted when the rule reads them', () => {
  // A rule on an object sees a CEL map of the members present, typed by the schema (integers are
  // CEL ints, map keys unescaped, declared names escaped), whether it tests one member, counts them
  // or iterates them.
  const schema: StructuralSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          'max-count': { type: 'integer' },
          weights: { type: 'object', additionalProperties: { type: 'integer' } },
          patch: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          namespace: { type: 'string' },
        },
        'x-kubernetes-validations': [
          { rule: '!has(self.max__dash__count) || self.max__dash__count == 3', message: 'max-count must be 3' },
          { rule: 'self.size() <= 3', message: 'at most 3 members' },
          { rule: '!has(self.weights) || self.weights.all(k, self.weights[k] > 0 && k != "zero")', message: 'weights must be positive' },
          { rule: '!has(self.weights) || self.weights.exists(k, k == "v1")', message: 'a v1 weight is required' },
          { rule: '!has(self.__namespace__) || self.__namespace__ != "kube-system"', message: 'not kube-system' },
          { rule: '!has(self.patch) || !has(self.patch.value) || self.patch.value.n == 1', message: 'patch value n must be 1' },
        ],
      },
    },
  };
  const failures = (spec: unknown) => {
    const out: string[] = [];
    checkRulesAndLists(schema, { spec }, '', (p, m) => out.push(`${p}: ${m}`));
    return out;
  };

  test('rules that read one member, count members or iterate them see the JSON as the API server converts it', () => {
    expect(failures({ 'max-count': 3, weights: { v1: 90, v2: 10 }, patch: { value: { n: 1, deep: { list: [1, { x: 'y' }] } } } })).toEqual([]);
    expect(failures({ 'max-count': 4 })).toEqual(['/spec: max-count must be 3']);
    expect(failures({ 'max-count': 3, weights: { v1: 1 }, patch: {}, namespace: 'a' })).toEqual(['/spec: at most 3 members']);
    expect(failures({ weights: { v1: 5, v2: 0 } })).toEqual(['/spec: weights must be positive']);
    expect(failures({ weights: { v2: 5 } })).toEqual(['/spec: a v1 weight is required']);
    expect(failures({ namespace: 'kube-system' })).toEqual(['/spec: not kube-system']);
    expect(failures({ patch: { value: { n: 2 } } })).toEqual(['/spec: patch value n must be 1']);
  });

  test('an EnvoyFilter\'s spec-level rule (workloadSelector or targetRefs) still holds with large patch values', () => {
    const patch = (i: number) => ({ applyTo: 'NETWORK_FILTER', patch: { operation: 'MERGE', value: { typed_config: { '@type': 'type.googleapis.com/x', n: i, list: [i, { a: i }] } } } });
    const ef = (spec: Record<string, unknown>): Manifest => ({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'ef', namespace: 'istio-system' }, spec });
    const patches = Array.from({ length: 20 }, (_, i) => patch(i));
    expect(validateManifest(ef({ workloadSelector: { labels: { istio: 'ingressgateway' } }, configPatches: patches }))).toEqual([]);
    expect(validateManifest(ef({
      workloadSelector: { labels: { istio: 'ingressgateway' } }, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'g' }], configPatches: patches,
    })).map((e) => e.message)).toContain('only one of targetRefs or workloadSelector can be set');
  });
});

describe('webhook rules', () => {
  afterEach(() => jest.restoreAllMocks());
  const gw: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'd' }, spec: { servers: [] } };

  test('their errors and warnings are reported; validateManifests returns the errors only', () => {
    const spy = jest.spyOn(webhook, 'webhookIssues').mockReturnValue({
      errors: [{ object: 'Gateway d/g', field: '/spec', message: 'webhook error' }],
      warnings: [{ object: 'Gateway d/g', field: '/spec', message: 'webhook warning' }],
    });
    expect(validateManifestDetailed(gw)).toEqual({
      errors: [{ object: 'Gateway d/g', field: '/spec', message: 'webhook error' }],
      warnings: [{ object: 'Gateway d/g', field: '/spec', message: 'webhook warning' }],
    });
    expect(validateManifestsDetailed([gw]).warnings.map((w) => w.message)).toEqual(['webhook warning']);
    expect(validateManifests([gw]).map((e) => e.message)).toEqual(['webhook error']);
    expect(spy).toHaveBeenCalledWith(gw);
  });

  test('they only see objects the schema and CEL rules admitted, and never core kinds', () => {
    const spy = jest.spyOn(webhook, 'webhookIssues');
    validateManifest({ ...gw, spec: { servers: 'none' } });
    validateManifest({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'd' }, spec: { ports: [{ port: 80 }] } });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('the front ends validate what they emit', () => {
  afterEach(() => jest.restoreAllMocks());
  const webhookSays = (errors: string[], warnings: string[]) => jest.spyOn(webhook, 'webhookIssues').mockImplementation((m) => ({
    errors: errors.map((message) => ({ object: `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`, field: '/spec', message })),
    warnings: warnings.map((message) => ({ object: `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`, field: '/spec', message })),
  }));

  test('cdk8s: every Istio object of the app is validated, hand-written ones too; errors fail the synth', () => {
    // GIVEN a library construct and a hand-written DestinationRule the API server would refuse
    const app = new App({ outdir: '/tmp/istio-constructs-validation-test' });
    const chart = new Chart(app, 'mesh');
    new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    new ApiObject(chart, 'raw', {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r', namespace: 'bookinfo' },
      spec: { host: 'r', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '0.5ms' } } } },
    });
    // THEN the synth fails with the rule's message and the field
    expect(() => app.synthYaml()).toThrow(/DestinationRule bookinfo\/r \/spec\/trafficPolicy\/connectionPool\/tcp\/connectTimeout: must be a valid duration greater than 1ms/);
  });

  test('cdk8s: an error in an object the library emitted names its construct; warnings print once per synth', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    webhookSays([], ['looks odd']);
    const app = new App({ outdir: '/tmp/istio-constructs-validation-test' });
    new PeerAuthentication(new Chart(app, 'a'), 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    new Chart(app, 'b');
    app.synthYaml();
    expect(warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('looks odd'))).toEqual([
      '[istio-constructs] WARNING a/strict: PeerAuthentication bookinfo/default /spec: looks odd',
    ]);
    webhookSays(['refused'], []);
    const chart = Testing.chart();
    new PeerAuthentication(chart, 'strict', { namespace: 'bookinfo', mode: MtlsMode.STRICT });
    expect(() => Testing.synth(chart)).toThrow(/strict: PeerAuthentication bookinfo\/default \/spec: refused/);
  });

  test('Pulumi: plain args are validated at construction, inputs once known; errors are IstioConstructError INVALID_OBJECT', async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, 'project', 'stack', false);
    webhookSays(['refused'], []);
    const parent = new pulumi.ComponentResource('test:index:Parent', 'p');
    // Without inputs, the objects are validated at construction.
    const attempt = () => register(parent, 'p', 'PeerAuthentication "p"', { namespace: 'bookinfo', mode: MtlsMode.STRICT }, buildPeerAuthentication);
    expect(attempt).toThrow(IstioConstructError);
    expect(attempt).toThrow(/PeerAuthentication "p": .*PeerAuthentication bookinfo\/default \/spec: refused \(INVALID_OBJECT\)/);

    // With inputs, the objects are validated once the inputs are known, and the deployment fails.
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fixtures', 'pulumi-admission-failure.ts')],
      { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/program failed: IstioConstructError: .*PeerAuthentication "strict": .*PeerAuthentication bookinfo\/default \/spec: refused by the stub \(INVALID_OBJECT\)/);
  });
});
