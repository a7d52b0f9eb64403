/**
 * `npm run props-schemas` (`--check`: only compare): generates src/generated/props-schemas.json, the JSON Schemas of every
 * builder's props and of the value-type factories' arguments, from the exported TypeScript props
 * interfaces (the one description of each shape) with ts-json-schema-generator.
 *
 * The TypeScript types are read as they are; numeric ranges come from JSDoc annotations on the
 * interfaces (`@asType integer`, `@minimum`, `@maximum`, `@exclusiveMinimum`), taken from the
 * Istio CRD wire types. The generated schemas are then post-processed:
 *
 * - descriptions, defaults and examples are dropped (no prose in the generated file);
 * - generic instantiations are renamed (`Version<string>` → `Version`);
 * - the class-typed values (ServiceRef, IngressGateway, StringMatch, Duration/DurationLike,
 *   SessionAffinity, HashAlgorithm, ServiceAccountRef, ExternalHost, EgressGateway) become `{ "x-instance": "<Class>" }`:
 *   they are checked as instances of the class at run time, never structurally;
 * - every other object schema gets `"x-plain": true` (a plain object, not a class instance) and
 *   `additionalProperties: false` (an unknown key is an error);
 * - unreachable definitions are dropped.
 *
 * src/core/props.ts validates props against this file with ajv.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import {
  BaseType, ChainNodeParser, CompletedConfig, Context, DEFAULT_CONFIG, SubNodeParser, createFormatter, createParser, createProgram, SchemaGenerator,
} from 'ts-json-schema-generator';
import type {
  AuthorizationPolicyProps, CanaryServiceProps, CookieOptions, EgressGatewayOptions, ExternalHostOptions, HardenedGatewayProps, IngressGatewayOptions, AutomatedGatewayOptions, KubernetesServicePort,
  DnsProxyingOptions, GatewayProps,
  PeerAuthenticationProps, RequestAuthenticationProps, ServiceRefFromObjectOptions, ServiceRefOptions,
  ServiceTrafficPolicyProps, StickyServiceProps, TcpIngressProps, WorkloadServiceProps, ZeroTrustNamespaceProps,
} from '../src';
import type { WorkloadEgressProps } from '../src';
import type { ExternalEgressProps } from '../src';
import type { HttpRouteProps, TcpRouteProps, TlsRouteProps } from '../src';
import type { InstallationGatewayProps } from '../src/patterns/installation-gateways';
import type { MeshNamespaceProps } from '../src/patterns/mesh-namespace';
import type { IstioInstallationProps } from '../src';
import type { IstioAddonsProps } from '../src';
import type { RoutingTarget } from '../src/core/target';
import type { WaypointProps } from '../src';

/**
 * The roots: each key is a name `checkProps` is called with, each value the shape it checks. The
 * builders' props are the exported interfaces; the factories' scalar parameters are listed here by
 * parameter name (the factory signatures hold no interface to read them from).
 */
export interface PropsSchemaRoots {
  CanaryServiceProps: CanaryServiceProps<string>;
  TcpIngressProps: TcpIngressProps<string>;
  StickyServiceProps: StickyServiceProps;
  WorkloadServiceProps: WorkloadServiceProps;
  ServiceTrafficPolicyProps: ServiceTrafficPolicyProps;
  AuthorizationPolicyProps: AuthorizationPolicyProps;
  PeerAuthenticationProps: PeerAuthenticationProps;
  RequestAuthenticationProps: RequestAuthenticationProps;
  ZeroTrustNamespaceProps: ZeroTrustNamespaceProps;
  HardenedGatewayProps: HardenedGatewayProps;
  GatewayProps: GatewayProps;
  DnsProxyingOptions: DnsProxyingOptions;
  /** `withDnsProxyAnnotations(annotations, options?)`: pod template annotations. */
  'DnsProxying.annotations': Record<string, string>;
  ServiceRefOptions: ServiceRefOptions;
  ServiceRefFromObjectOptions: ServiceRefFromObjectOptions;
  IngressGatewayOptions: IngressGatewayOptions;
  AutomatedGatewayOptions: AutomatedGatewayOptions;
  RoutingTarget: RoutingTarget;
  ExternalHostOptions: ExternalHostOptions;
  EgressGatewayOptions: EgressGatewayOptions;
  CookieOptions: CookieOptions;
  /** The ports `ServiceRef.fromService` reads from a cdk8s Service. */
  KubernetesServicePorts: KubernetesServicePort[];
  /** Pod labels, e.g. the selector of `IngressGateway.fromSelector(selector, options)`. */
  Labels: Record<string, string>;
  /** `StringMatch.exact|prefix|regex(value)`, `StringMatch.cookie(name, value)`. */
  'StringMatch.value': { value: string };
  'StringMatch.cookie': { name: string; value: string };
  /** `SessionAffinity.cookie(name, options?)`, `.header(name)`, `.queryParameter(name)`. */
  'SessionAffinity.cookie': { name: string; options?: CookieOptions };
  'SessionAffinity.name': { name: string };
  /** `HashAlgorithm.ringHash(minimumRingSize)`, `HashAlgorithm.maglev(tableSize?)`: numbers; the range is checked where rendered. */
  'HashAlgorithm.ringHash': { minimumRingSize: number };
  'HashAlgorithm.maglev': { tableSize: number };
  /** `ServiceAccountRef.of(namespace, name, trustDomain?)`. */
  'ServiceAccountRef.of': { namespace: string; name: string; trustDomain?: string };
  /** `Duration.parse(text)`. */
  'Duration.parse': { text: string };
  WorkloadEgressProps: WorkloadEgressProps;
  ExternalEgressProps: ExternalEgressProps;
  HttpRouteProps: HttpRouteProps;
  TcpRouteProps: TcpRouteProps;
  TlsRouteProps: TlsRouteProps;
  InstallationGatewayProps: InstallationGatewayProps;
  MeshNamespaceProps: MeshNamespaceProps;
  IstioInstallationProps: IstioInstallationProps;
  IstioAddonsProps: IstioAddonsProps;
  WaypointProps: WaypointProps;
  /** `WaypointRef.fromName(name, namespace)`, `PolicyTargetRef.serviceEntryNamed(name, namespace)`. */
  'WaypointRef.fromName': { name: string; namespace: string };
}

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'src', 'generated', 'props-schemas.json');

/** Classes checked as instances (`x-instance`), by the definition name the generator gives them. */
const INSTANCE_TYPES = ['ServiceRef', 'IngressGateway', 'ExternalHost', 'EgressGateway', 'StringMatch', 'Duration', 'DurationLike', 'SessionAffinity', 'HashAlgorithm', 'ServiceAccountRef', 'ChartSource', 'WaypointRef', 'PolicyTargetRef'];
/**
 * Generated Helm values types (src/generated/istio-values.ts): plain objects here; the builder checks
 * them against the Sail Operator CRD schema they were generated from (with the prop path).
 */
const OPAQUE_TYPES = ['MeshConfig', 'IstioMeshConfig', 'IstioValues', 'IstioBaseChartValues', 'IstioCniValues', 'ZTunnelValues'];
/** Annotation keywords kept; any other annotation (prose, defaults, examples) is dropped. */
const DROPPED = new Set(['description', 'markdownDescription', 'default', 'examples', '$comment', 'title', 'deprecated']);

/** `NoInfer<T>` (TypeScript 5.4) is T for a schema. */
class NoInferParser implements SubNodeParser {
  constructor(private readonly chain: ChainNodeParser) {}
  supportsNode(node: ts.Node): boolean {
    return ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'NoInfer' && node.typeArguments?.length === 1;
  }
  createType(node: ts.TypeReferenceNode, context: Context): BaseType {
    return this.chain.createType(node.typeArguments![0], context);
  }
}

type Json = any;

/** `Version<string>` → `Version`. */
function cleanName(name: string): string {
  return decodeURIComponent(name).replace(/<string>$/, '');
}

/** Drops annotations, renames references, closes and marks plain object schemas. */
function postProcess(node: Json): Json {
  if (Array.isArray(node)) return node.map(postProcess);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROPPED.has(k)) continue;
    if (k === 'properties' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, postProcess(pv)]));
    } else if (k === '$ref') {
      out[k] = `#/definitions/${encodeURIComponent(cleanName(String(v).replace('#/definitions/', '')))}`;
    } else {
      out[k] = postProcess(v);
    }
  }
  if (out.type === 'object') {
    out['x-plain'] = true;
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  return out;
}

/** The definitions reachable from the roots. */
function reachable(definitions: Record<string, Json>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      const name = decodeURIComponent(node.$ref.replace('#/definitions/', ''));
      if (!seen.has(name)) {
        seen.add(name);
        visit(definitions[name]);
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== '$ref') visit(v);
  };
  roots.forEach((r) => { seen.add(r); visit(definitions[r]); });
  return seen;
}

function main(): void {
  const self = path.join(ROOT, 'scripts', 'props-schemas.ts');
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: self,
    tsconfig: path.join(ROOT, 'tsconfig.dev.json'),
    type: 'PropsSchemaRoots',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
    additionalProperties: false,
    sortProps: true,
  };
  const program = createProgram(config);
  const parser = createParser(program, config, (chain) => { chain.addNodeParser(new NoInferParser(chain as ChainNodeParser)); });
  const generator = new SchemaGenerator(program, parser, createFormatter(config), config);
  const raw = generator.createSchema('PropsSchemaRoots');

  const rawDefs = raw.definitions as Record<string, Json>;
  const definitions: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(rawDefs)) definitions[cleanName(name)] = postProcess(schema);
  for (const name of INSTANCE_TYPES) definitions[name] = { 'x-instance': name };
  for (const name of OPAQUE_TYPES) if (definitions[name]) definitions[name] = { 'type': 'object', 'x-plain': true };

  // TypeScript's `Record<number, T>` has string keys at run time; the generator reads it as a list.
  const portLevel = definitions.PeerAuthenticationProps?.properties?.portLevelMtls;
  if (portLevel?.type !== 'array') throw new Error('props-schemas: PeerAuthenticationProps.portLevelMtls is no longer generated as a list; revisit this fix-up');
  definitions.PeerAuthenticationProps.properties.portLevelMtls = {
    'type': 'object',
    'propertyNames': { pattern: '^[1-9][0-9]{0,4}$' },
    'additionalProperties': portLevel.items,
    'x-plain': true,
  };

  // Every root becomes a definition of its own name; PropsSchemaRoots itself is dropped.
  const rootsSchema = definitions.PropsSchemaRoots;
  delete definitions.PropsSchemaRoots;
  const roots = Object.keys(rootsSchema.properties).sort();
  for (const r of roots) {
    const s = rootsSchema.properties[r];
    const isSelfRef = s.$ref && decodeURIComponent(s.$ref.replace('#/definitions/', '')) === r;
    if (!isSelfRef) definitions[r] = s;
  }
  const clash = roots.filter((r) => INSTANCE_TYPES.includes(r));
  if (clash.length) throw new Error(`props-schemas: roots ${clash.join(', ')} clash with the instance types`);
  const keep = reachable(definitions, roots);
  const sorted: Record<string, Json> = {};
  for (const name of Object.keys(definitions).sort()) if (keep.has(name)) sorted[name] = definitions[name];

  const out = { $id: 'istio-constructs-props', roots, definitions: sorted };
  const text = JSON.stringify(out, null, 1) + '\n';
  if (process.argv.includes('--check')) {
    // `--check`: compare with the committed file instead of writing it (used by the tests).
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`props-schemas: ${path.relative(ROOT, OUT)} is out of date with the props interfaces; run npm run props-schemas`);
      process.exit(1);
    }
    console.log(`props-schemas: ${path.relative(ROOT, OUT)} is up to date`);
    return;
  }
  fs.writeFileSync(OUT, text);
  console.log(`props-schemas: ${roots.length} roots, ${Object.keys(sorted).length} definitions → ${path.relative(ROOT, OUT)}`);
}

main();
