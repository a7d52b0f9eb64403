/**
 * The schema validator itself: it accepts Istio's own valid fixtures (so it is not stricter than
 * the API server on what we emit), and it rejects what the API server would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest, validateManifest, validateManifests } from '../src';

const FIXTURES = path.resolve(__dirname, '..', '..', 'shared', 'istio', 'validation', 'testdata', 'crds');
/** The fixtures use older served aliases of the same schema; map them to the version we generate. */
function generatedVersion(doc: any): any {
  if (!doc || typeof doc.apiVersion !== 'string') return undefined;
  const group = doc.apiVersion.split('/')[0];
  if (doc.kind === 'EnvoyFilter' || doc.kind === 'ProxyConfig') return doc;
  if (['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'].includes(group)) return { ...doc, apiVersion: `${group}/v1` };
  return undefined;
}

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

describe('Istio\'s own validation fixtures', () => {
  const docs = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('-valid.yaml')).flatMap((f) =>
    parseAllDocuments(fs.readFileSync(path.join(FIXTURES, f), 'utf8')).map((d) => [f, generatedVersion(d.toJS())] as const))
    // One fixture writes `[1.2.3.4, 001:db8::]` unquoted: the JS YAML parser reads the IPv6 entry as a map, Go's as a string.
    .filter(([f, d]) => d !== undefined && !(f === 'serviceentry-valid.yaml' && d.metadata?.name === 'full'));

  test('there are fixtures of the generated versions', () => {
    expect(docs.length).toBeGreaterThan(20);
  });

  test.each(docs.map(([f, d], i) => [`${f} #${i} ${d.kind} ${d.metadata?.name}`, d]))('accepts %s', (_t, doc) => {
    expect(validateManifest(doc)).toEqual([]);
  });
});
