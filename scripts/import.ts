/**
 * `npm run import`: regenerates every generated file from Istio's CRDs.
 *
 * Input: ../shared/istio/crds/crd-all.gen.yaml (override with ISTIO_SHARED=<dir of istio/>).
 * Output (committed, never edited by hand):
 * - imports/<group>.ts          cdk8s L1 classes (via `cdk8s import`), one version per kind (VERSIONS)
 * - src/generated/istio-types.ts wire-format TypeScript types of each kind's `spec` (VERSIONS)
 * - src/generated/schemas.json  the openAPIV3Schema of EVERY served version of EVERY Istio kind, and of
 *                               every Sail Operator kind (../shared/sail-operator/crds/, override with
 *                               SAIL_SHARED=<dir of sail-operator/>), for validation (see
 *                               `GeneratedSchemas` below for the layout)
 * - src/generated/istio-values.ts the Helm values types of the istiod/base (`IstioValues`, with
 *                               `MeshConfig`), cni (`IstioCniValues`) and ztunnel (`ZTunnelValues`)
 *                               charts, from the Sail Operator's `Istio`, `IstioCNI`, `ZTunnel` CRDs
 * - src/generated/schemas.json also holds every served version of the Gateway API kinds Istio
 *                               reads (GATEWAY_API_KINDS), from the experimental-channel bundle in
 *                               ../shared/istio/crds/gateway-api/gateway-api-crd.yaml
 * - src/generated/gateway-api-types.ts wire-format TypeScript types of the Gateway API specs
 *                               (GATEWAY_API_TYPES, the GA version of each)
 *
 * Every upstream `description` is stripped first: no upstream prose lands in the repo.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compile } from 'json-schema-to-typescript';
import { parseAllDocuments, stringify } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const SHARED = process.env.ISTIO_SHARED ?? path.resolve(ROOT, '..', 'shared', 'istio');
const CRD_FILE = path.join(SHARED, 'crds', 'crd-all.gen.yaml');
/** The Gateway API CRDs (one bundle, experimental channel: standard plus experimental kinds and fields, with their CEL rules). */
const GATEWAY_API_CRD_FILE = path.join(SHARED, 'crds', 'gateway-api', 'gateway-api-crd.yaml');
/** The Gateway API group whose kinds are validated (the `x-k8s.io` experimental groups are not). */
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The Gateway API kinds validated (every served version of each): the ones Istio reads. */
const GATEWAY_API_KINDS = [
  'Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'ReferenceGrant', 'BackendTLSPolicy', 'ListenerSet',
];
/** The Gateway API specs typed in src/generated/gateway-api-types.ts, with the (GA) version each is generated from. */
const GATEWAY_API_TYPES: Record<string, string> = {
  Gateway: 'v1',
  GRPCRoute: 'v1',
  HTTPRoute: 'v1',
  ReferenceGrant: 'v1',
  TCPRoute: 'v1',
  TLSRoute: 'v1',
};
/** The Sail Operator's CRDs (`sailoperator.io`): validated like Istio's, and the source of the Helm values types. */
const SAIL_SHARED = process.env.SAIL_SHARED ?? path.resolve(ROOT, '..', 'shared', 'sail-operator');
const SAIL_CRD_DIR = path.join(SAIL_SHARED, 'crds');

/**
 * The Helm values types generated into src/generated/istio-values.ts: the type name, the Sail kind
 * and version whose schema holds it, and the path to it from the openAPIV3Schema root.
 */
const VALUES_TYPES: { name: string; kind: string; version: string; path: string[] }[] = [
  { name: 'IstioValues', kind: 'Istio', version: 'v1', path: ['spec', 'values'] },
  { name: 'IstioCniValues', kind: 'IstioCNI', version: 'v1', path: ['spec', 'values'] },
  { name: 'ZTunnelValues', kind: 'ZTunnel', version: 'v1', path: ['spec', 'values'] },
];

/** The one version generated per kind: the GA version where there is one, else the only one served. */
const VERSIONS: Record<string, string> = {
  'networking.istio.io/VirtualService': 'v1',
  'networking.istio.io/DestinationRule': 'v1',
  'networking.istio.io/Gateway': 'v1',
  'networking.istio.io/ServiceEntry': 'v1',
  'networking.istio.io/Sidecar': 'v1',
  'networking.istio.io/WorkloadEntry': 'v1',
  'networking.istio.io/WorkloadGroup': 'v1',
  'networking.istio.io/EnvoyFilter': 'v1alpha3',
  'networking.istio.io/ProxyConfig': 'v1beta1',
  'security.istio.io/AuthorizationPolicy': 'v1',
  'security.istio.io/PeerAuthentication': 'v1',
  'security.istio.io/RequestAuthentication': 'v1',
  'telemetry.istio.io/Telemetry': 'v1',
};

type Json = any;

/** json-schema-to-typescript options of every generated type file: closed objects, no banners. */
const COMPILE_OPTIONS = {
  bannerComment: '',
  additionalProperties: false,
  ignoreMinAndMaxItems: true,
  strictIndexSignatures: true,
  format: true,
  unreachableDefinitions: false,
  declareExternallyReferenced: true,
};

/**
 * The layout of src/generated/schemas.json (read by src/core/validation.ts).
 *
 * - `kinds["<group>/<Kind>"]`: the served versions in the order the CRD lists them, the storage
 *   version, and the served versions the CRD marks deprecated (with our own warning text).
 * - `schemas["<group>/<version>/<Kind>"]`: the openAPIV3Schema (descriptions stripped, keys
 *   sorted), or, when it is identical to the schema of an earlier served version of the same kind,
 *   the key of that version (a string): Istio serves one schema under several versions, and storing
 *   it once keeps the file (and the package) small.
 */
interface GeneratedSchemas {
  kinds: Record<string, { versions: string[]; storage: string; deprecated?: Record<string, string> }>;
  schemas: Record<string, Json | string>;
}

/** Removes every string-valued `description` (schema prose), keeping properties that happen to be named so. */
function stripDescriptions(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description' && typeof v === 'string') continue;
      out[k] = stripDescriptions(v);
    }
    return out;
  }
  return node;
}

/**
 * For type generation only: drops the combinators that only constrain a value the surrounding
 * schema already types (Istio's "at most one of" `oneOf`/`anyOf` of `required` and `not` clauses,
 * the Gateway API's per-branch refinements such as "an IPAddress value is an IP") and the
 * x-kubernetes annotations; keeps int-or-string unions (branches that declare a `type`).
 * Validation uses the unmodified schema.
 */
function forTypes(node: Json): Json {
  if (Array.isArray(node)) return node.map(forTypes);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'not') continue;
    if ((k === 'oneOf' || k === 'anyOf' || k === 'allOf') && isConstraintOnly(v)) continue;
    if (k === 'format') continue;
    out[k] = forTypes(v);
  }
  if (node['x-kubernetes-preserve-unknown-fields'] && !node.properties) {
    out.additionalProperties = true;
  }
  return out;
}

/** Whether the branches of a combinator only constrain (none declares a `type` of its own). */
function isConstraintOnly(v: Json): boolean {
  const items: Json[] = Array.isArray(v) ? v : [v];
  return items.every((i) => i && typeof i === 'object' && !('type' in i) && !('$ref' in i));
}

function sortKeys(node: Json): Json {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const k of Object.keys(node).sort()) out[k] = sortKeys(node[k]);
    return out;
  }
  return node;
}

/**
 * Records every served version of one CRD (Istio, Sail Operator, Gateway API) in `out`: its schema (descriptions stripped), or
 * the key of an earlier served version of the same kind whose schema is identical.
 */
function collectServed(crd: Json, out: GeneratedSchemas): void {
  const group: string = crd.spec.group;
  const kind: string = crd.spec.names.kind;
  const served = (crd.spec.versions as Json[]).filter((v) => v.served);
  if (!served.length) return;
  const storage = served.find((v) => v.storage)?.name ?? served[0].name;
  const entry: GeneratedSchemas['kinds'][string] = { versions: served.map((v) => v.name), storage };
  const seen = new Map<string, string>();
  for (const v of served) {
    const key = `${group}/${v.name}/${kind}`;
    const schema = sortKeys(stripDescriptions(v.schema?.openAPIV3Schema ?? {}));
    const text = JSON.stringify(schema);
    out.schemas[key] = seen.get(text) ?? schema;
    if (!seen.has(text)) seen.set(text, key);
    if (v.deprecated) {
      entry.deprecated = { ...entry.deprecated, [v.name]: `${group}/${v.name} ${kind} is deprecated` };
    }
  }
  out.kinds[`${group}/${kind}`] = entry;
}

async function main() {
  const docs = parseAllDocuments(fs.readFileSync(CRD_FILE, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  const selected: Json[] = [];
  const schemas: Record<string, Json> = {};
  const generated: GeneratedSchemas = { kinds: {}, schemas: {} };
  for (const crd of docs) {
    if (crd.kind !== 'CustomResourceDefinition') continue;
    const key = `${crd.spec.group}/${crd.spec.names.kind}`;
    collectServed(crd, generated);
    const version = VERSIONS[key];
    if (!version) continue;
    const v = crd.spec.versions.find((x: Json) => x.name === version);
    if (!v || !v.served) throw new Error(`${key}: version ${version} is not served by ${CRD_FILE}`);
    const stripped = stripDescriptions(v);
    selected.push({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: { name: crd.metadata.name },
      spec: { group: crd.spec.group, names: crd.spec.names, scope: crd.spec.scope, versions: [{ ...stripped, storage: true }] },
    });
    schemas[`${crd.spec.group}/${version}/${crd.spec.names.kind}`] = sortKeys(stripped.schema.openAPIV3Schema);
  }
  const sailDocs: Json[] = [];
  for (const file of fs.readdirSync(SAIL_CRD_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const d of parseAllDocuments(fs.readFileSync(path.join(SAIL_CRD_DIR, file), 'utf8'))) {
      const crd = d.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      collectServed(crd, generated);
      sailDocs.push(crd);
    }
  }
  const gatewayApiDocs: Json[] = parseAllDocuments(fs.readFileSync(GATEWAY_API_CRD_FILE, 'utf8')).map((d) => d.toJS())
    .filter((crd) => crd?.kind === 'CustomResourceDefinition' && crd.spec?.group === GATEWAY_API_GROUP && GATEWAY_API_KINDS.includes(crd.spec.names?.kind));
  const absent = GATEWAY_API_KINDS.filter((k) => !gatewayApiDocs.some((crd) => crd.spec.names.kind === k));
  if (absent.length) throw new Error(`Gateway API CRDs not found in ${GATEWAY_API_CRD_FILE}: ${absent.join(', ')}`);
  for (const crd of gatewayApiDocs) collectServed(crd, generated);
  const missing = Object.keys(VERSIONS).filter((k) => !selected.some((c) => `${c.spec.group}/${c.spec.names.kind}` === k));
  if (missing.length) throw new Error(`CRDs not found in ${CRD_FILE}: ${missing.join(', ')}`);
  selected.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

  // 1. cdk8s L1 classes into imports/.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-crds-'));
  const crdFile = path.join(tmp, 'istio-crds.yaml');
  fs.writeFileSync(crdFile, selected.map((c) => stringify(c)).join('---\n'));
  fs.rmSync(path.join(ROOT, 'imports'), { recursive: true, force: true });
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', crdFile, '--output', 'imports', '--language', 'typescript'], {
    cwd: ROOT, stdio: 'inherit', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  fs.rmSync(tmp, { recursive: true, force: true });

  // 2. JSON schemas for validation.
  const genDir = path.join(ROOT, 'src', 'generated');
  fs.mkdirSync(genDir, { recursive: true });
  fs.writeFileSync(path.join(genDir, 'schemas.json'), JSON.stringify(sortKeys(generated)) + '\n');

  // 3. Wire-format types of each kind's spec.
  const parts: string[] = [
    '// Generated by scripts/import.ts from the Istio CRDs (descriptions stripped). Do not edit.',
    '/* eslint-disable */',
    '',
  ];
  for (const key of Object.keys(schemas).sort()) {
    const kind = key.split('/')[2];
    const spec = forTypes(schemas[key].properties.spec);
    const ts = await compile({ ...spec, title: `${kind}Spec` }, `${kind}Spec`, COMPILE_OPTIONS);
    parts.push(ts.trim(), '');
  }
  fs.writeFileSync(path.join(genDir, 'istio-types.ts'), parts.join('\n'));

  // 4. Wire-format types of the Gateway API specs.
  const gatewayParts: string[] = [
    `// Generated by scripts/import.ts from the Gateway API CRDs (bundle ${bundleVersion(gatewayApiDocs)}, descriptions stripped). Do not edit.`,
    '/* eslint-disable */',
    '',
  ];
  for (const kind of Object.keys(GATEWAY_API_TYPES).sort()) {
    const version = GATEWAY_API_TYPES[kind];
    const v = gatewayApiDocs.find((crd) => crd.spec.names.kind === kind)?.spec.versions.find((x: Json) => x.name === version);
    if (!v?.served) throw new Error(`${GATEWAY_API_GROUP}/${version} ${kind} is not served by ${GATEWAY_API_CRD_FILE}`);
    const spec = forTypes(sortKeys(stripDescriptions(v.schema.openAPIV3Schema.properties.spec)));
    const ts = await compile({ ...spec, title: `${kind}Spec` }, `${kind}Spec`, COMPILE_OPTIONS);
    gatewayParts.push(ts.trim(), '');
  }
  fs.writeFileSync(path.join(genDir, 'gateway-api-types.ts'), gatewayParts.join('\n'));

  // 5. Helm values types from the Sail Operator CRDs.
  const valueParts: string[] = [
    '// Generated by scripts/import.ts from the Sail Operator CRDs (descriptions stripped). Do not edit.',
    '/* eslint-disable */',
    '',
  ];
  for (const t of VALUES_TYPES) {
    const crd = sailDocs.find((c) => c.spec.names.kind === t.kind);
    const v = crd?.spec.versions.find((x: Json) => x.name === t.version);
    if (!v) throw new Error(`${t.kind} ${t.version} not found in ${SAIL_CRD_DIR}`);
    let node: Json = v.schema.openAPIV3Schema;
    for (const p of t.path) node = node?.properties?.[p];
    if (!node) throw new Error(`${t.kind} ${t.version}: no schema at ${t.path.join('.')}`);
    node = sortKeys(forTypes(stripDescriptions(node)));
    const defs: Json[] = [];
    if (t.name === 'IstioValues') {
      // MeshConfig gets its own name (the typed meshConfig prop uses it).
      defs.push({ ...node.properties.meshConfig, title: 'MeshConfig' });
      node = { ...node, properties: { ...node.properties, meshConfig: { tsType: 'MeshConfig' } } };
    }
    for (const schema of [...defs, { ...node, title: t.name }]) {
      const ts = await compile(schema, schema.title, COMPILE_OPTIONS);
      valueParts.push(ts.trim(), '');
    }
  }
  fs.writeFileSync(path.join(genDir, 'istio-values.ts'), valueParts.join('\n'));
  const versionCount = Object.values(generated.kinds).reduce((n, k) => n + k.versions.length, 0);
  console.log(`generated ${selected.length} kinds: imports/, src/generated/istio-types.ts, src/generated/istio-values.ts, src/generated/gateway-api-types.ts; `
    + `${Object.keys(generated.kinds).length} kinds, ${versionCount} served versions: src/generated/schemas.json`);
}

/** The `gateway.networking.k8s.io/bundle-version` the Gateway API CRDs carry (one for the whole bundle). */
function bundleVersion(crds: Json[]): string {
  const versions = [...new Set(crds.map((crd) => crd.metadata?.annotations?.['gateway.networking.k8s.io/bundle-version']))];
  if (versions.length !== 1 || typeof versions[0] !== 'string') throw new Error(`the Gateway API CRDs carry bundle versions ${JSON.stringify(versions)}, expected one`);
  return versions[0];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
