/**
 * Recipes of the library's value types, built through their public factories at realize time:
 * ServiceRef, IngressGateway, StringMatch, Duration (and duration strings, cdk8s Durations),
 * SessionAffinity, HashAlgorithm, ServiceAccountRef. Each comes as a realistic recipe (mostly
 * valid arguments, sometimes edge ones) that the builder arbitraries use.
 */
import * as cdk8s from 'cdk8s';
import * as fc from 'fast-check';
import {
  Duration, HashAlgorithm, IngressGateway, Protocol, ServiceAccountRef, ServiceRef, SessionAffinity, StringMatch,
} from '../../src';
import {
  EXOTIC_STRINGS, edgeNumber, edgy, enumOf, exoticString, hostname, int, label, labels, name, props, urlPath,
} from './primitives';
import { Call, Leaf } from './recipe';

/** Calls of the value-type factories, by their public names. */
export const call = {
  serviceRef: (...args: unknown[]) => new Call('ServiceRef.fromName', ServiceRef.fromName as any, args),
  serviceRefFromService: (...args: unknown[]) => new Call('ServiceRef.fromService', ServiceRef.fromService as any, args),
  ingress: (...args: unknown[]) => new Call('IngressGateway.fromSelector', IngressGateway.fromSelector as any, args),
  automated: (...args: unknown[]) => new Call('IngressGateway.automated', IngressGateway.automated as any, args),
  exact: (v: unknown) => new Call('StringMatch.exact', StringMatch.exact as any, [v]),
  prefix: (v: unknown) => new Call('StringMatch.prefix', StringMatch.prefix as any, [v]),
  regex: (v: unknown) => new Call('StringMatch.regex', StringMatch.regex as any, [v]),
  cookieMatch: (n: unknown, v: unknown) => new Call('StringMatch.cookie', StringMatch.cookie as any, [n, v]),
  millis: (v: unknown) => new Call('Duration.millis', Duration.millis as any, [v]),
  seconds: (v: unknown) => new Call('Duration.seconds', Duration.seconds as any, [v]),
  minutes: (v: unknown) => new Call('Duration.minutes', Duration.minutes as any, [v]),
  hours: (v: unknown) => new Call('Duration.hours', Duration.hours as any, [v]),
  parse: (v: unknown) => new Call('Duration.parse', Duration.parse as any, [v]),
  cdk8sSeconds: (v: unknown) => new Call('cdk8s.Duration.seconds', cdk8s.Duration.seconds as any, [v]),
  cdk8sMillis: (v: unknown) => new Call('cdk8s.Duration.millis', cdk8s.Duration.millis as any, [v]),
  cookie: (...args: unknown[]) => new Call('SessionAffinity.cookie', SessionAffinity.cookie as any, args),
  header: (v: unknown) => new Call('SessionAffinity.header', SessionAffinity.header as any, [v]),
  queryParameter: (v: unknown) => new Call('SessionAffinity.queryParameter', SessionAffinity.queryParameter as any, [v]),
  sourceIp: () => new Call('SessionAffinity.sourceIp', SessionAffinity.sourceIp as any, []),
  clientIp: () => new Call('SessionAffinity.clientIp', SessionAffinity.clientIp as any, []),
  ringHash: (v: unknown) => new Call('HashAlgorithm.ringHash', HashAlgorithm.ringHash as any, [v]),
  maglev: (...args: unknown[]) => new Call('HashAlgorithm.maglev', HashAlgorithm.maglev as any, args),
  serviceAccount: (...args: unknown[]) => new Call('ServiceAccountRef.of', ServiceAccountRef.of as any, args),
};

/** Objects that pass `instanceof` a library class but were never built by its factory. */
export const fakeInstance: fc.Arbitrary<unknown> = fc.constantFrom(
  ...([
    ['ServiceRef', ServiceRef], ['IngressGateway', IngressGateway], ['StringMatch', StringMatch], ['Duration', Duration],
    ['SessionAffinity', SessionAffinity], ['HashAlgorithm', HashAlgorithm], ['ServiceAccountRef', ServiceAccountRef],
  ] as const).map(([n, cls]) => new Leaf(`Object.create(${n}.prototype)`, () => Object.create(cls.prototype))),
);

/**
 * A real instance whose fields were overwritten after construction (TypeScript's `readonly`
 * does not stop JavaScript): the library must not trust an instance's fields blindly.
 */
export function tampered(instance: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(instance, fc.constantFrom('name', 'namespace', 'ports', 'clusterDomain', 'selector', 'kind', 'value', 'amount', 'unit', 'size', 'trustDomain', 'cookie'),
    fc.oneof(exoticString, edgeNumber, fc.constantFrom(null, undefined, [], {}, [{ port: 0 }])))
    .map(([i, key, value]) => new Call(`tamper(${JSON.stringify(key)}, ${fc.stringify(value)})`, (o: any) => {
      if (o && typeof o === 'object') Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
      return o;
    }, [i]));
}

// ---------------------------------------------------------------------------------------------
// Ports

const PROTOCOLS = Object.values(Protocol) as string[];

/** A port number: realistic, or an edge value. */
export const portNumber: fc.Arbitrary<unknown> = int(1, 65535);

/** A Service port `{ port, protocol?, name?, targetPort? }` with a realistic number; the name mostly fits the protocol. */
export function servicePort(port: fc.Arbitrary<unknown> = portNumber): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    port,
    protocol: fc.option(enumOf(PROTOCOLS), { nil: undefined }),
    suffix: fc.option(fc.constantFrom('web', 'api', 'x1'), { nil: undefined }),
    name: fc.option(edgy(fc.constant(undefined), exoticString, fc.constantFrom('HTTP', 'http_web', 'http-' + 'a'.repeat(12), 'web', 'tcp', 'http')), { nil: undefined }),
    targetPort: fc.option(portNumber, { nil: undefined }),
  }).map((r) => {
    const out: Record<string, unknown> = { port: r.port };
    if (r.protocol !== undefined) out.protocol = r.protocol;
    const prefix = typeof r.protocol === 'string' ? r.protocol.toLowerCase() : 'http';
    if (r.name !== undefined) out.name = r.name;
    else if (r.suffix !== undefined) out.name = `${prefix}-${r.suffix}`;
    if (r.targetPort !== undefined) out.targetPort = r.targetPort;
    return out;
  });
}

/** A list of Service ports with distinct numbers (mostly), each with its protocol. */
export const servicePorts: fc.Arbitrary<Array<Record<string, unknown>>> = fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 })
  .chain((numbers) => fc.tuple(...numbers.map((n) => servicePort(edgy(fc.constant(n), edgeNumber)))));

// ---------------------------------------------------------------------------------------------
// ServiceRef and IngressGateway

/** What a ServiceRef recipe stands for, so builders can route to its ports. */
export interface ServiceModel {
  readonly recipe: unknown;
  /** The port numbers declared (empty when none). */
  readonly ports: number[];
  readonly namespace: unknown;
}

/** A ServiceRef recipe with 0-3 ports, and its port numbers. */
export const serviceRef: fc.Arbitrary<ServiceModel> = fc.record({
  name,
  namespace: name,
  ports: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  clusterDomain: fc.option(edgy(fc.constantFrom('cluster.local', 'corp.example'), exoticString), { nil: undefined, freq: 4 }),
  protocols: fc.array(enumOf(PROTOCOLS.filter((p) => p !== 'UDP')), { minLength: 3, maxLength: 3 }),
  extra: fc.option(servicePort(), { nil: undefined, freq: 8 }),
  selector: fc.option(edgy(fc.constantFrom({ app: 'svc' }, { app: 'svc', tier: 'web' }), labels), { nil: undefined, freq: 2 }),
}).chain((r) => {
  const ports = r.ports?.map((port, i) => ({ port, protocol: r.protocols[i] }));
  const options: Record<string, unknown> = { namespace: r.namespace };
  if (r.selector !== undefined) options.selector = r.selector;
  if (ports) options.ports = r.extra ? [...ports, r.extra] : ports;
  if (r.clusterDomain !== undefined) options.clusterDomain = r.clusterDomain;
  const model: ServiceModel = { recipe: call.serviceRef(r.name, options), ports: r.ports ?? [], namespace: r.namespace };
  return edgy(
    fc.constant(model),
    fakeInstance.map((recipe) => ({ ...model, recipe })),
    tampered(fc.constant(model.recipe)).map((recipe) => ({ ...model, recipe })),
  ) as fc.Arbitrary<ServiceModel>;
}).chain((model) => fc.oneof(
  { weight: 6, arbitrary: fc.constant(model) },
  {
    weight: 1,
    arbitrary: fc.constant({
        ...model,
      recipe: model.recipe instanceof Call && model.recipe.name === 'ServiceRef.fromName' ? fromServiceOf(model.recipe) : model.recipe,
    }),
  },
));

/** The same Service, given to `ServiceRef.fromService` as a cdk8s-plus Service would describe it. */
function fromServiceOf(fromName: Call): Call {
  const [n, options] = fromName.args as [unknown, { namespace: unknown; ports?: Array<{ port: unknown; protocol?: unknown }> }];
  return new Call('ServiceRef.fromService', ServiceRef.fromService as any, [{
    kind: 'Service', name: n, metadata: { namespace: options.namespace },
    ports: (options.ports ?? []).map((p) => (p.protocol === 'HTTP2'
      ? { port: p.port, name: 'web', appProtocol: 'kubernetes.io/h2c' }
      : { port: p.port, name: typeof p.protocol === 'string' ? p.protocol.toLowerCase() : 'http' })),
  }]);
}

/** An IngressGateway recipe exposing `ports` (and sometimes not, or with unknown ports). */
export function ingressGateway(ports: number[]): fc.Arbitrary<unknown> {
  return fc.record({
    selector: edgy(fc.constantFrom({ istio: 'ingressgateway' }, { istio: 'ingress' }, { app: 'gw', istio: 'ingress' }), labels),
    namespace: edgy(fc.constantFrom('istio-system', 'istio-ingress', 'gateways'), exoticString),
    serviceName: fc.option(name, { nil: undefined }),
    portsKnown: edgy(fc.constant(true), fc.constant(false)),
    extra: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 2 }), { nil: undefined }),
    protocol: fc.option(enumOf(['HTTP', 'HTTPS', 'HTTP2', 'TCP', 'TLS']), { nil: undefined, freq: 2 }),
  }).chain((r) => {
    const all = [...new Set([...ports, ...(r.extra ?? [])])];
    const options: Record<string, unknown> = { namespace: r.namespace };
    if (r.serviceName !== undefined) options.serviceName = r.serviceName;
    if (r.portsKnown) options.ports = all.map((port) => (r.protocol !== undefined ? { port, protocol: r.protocol } : { port }));
    const recipe = call.ingress(r.selector, options);
    // Istio's automated deployment (Gateway API target only; refused on the Istio API).
    const automated = call.automated({ namespace: r.namespace });
    return edgy(fc.constant<unknown>(recipe), fakeInstance, tampered(fc.constant(recipe)), fc.constant<unknown>(automated));
  });
}

// ---------------------------------------------------------------------------------------------
// StringMatch

/** A regex: simple valid RE2, or an edge (lookaround, backreference, empty, 1025 characters, unicode classes). */
export const regex: fc.Arbitrary<unknown> = edgy(
  fc.oneof(label.map((l) => `.*${l}.*`), fc.constantFrom('^/api/v[0-9]+/.*', '(?i)mobile', '[a-z]+', '.*', 'a|b', '\\d{3}', '\\p{L}+')),
  exoticString,
  fc.constantFrom('(?=a)', '(?!a)', '(?<=a)b', '(a)\\1', 'a++', '(', '[', 'a{2,1}', '', 'a'.repeat(1024), 'a'.repeat(1025), '\\', '(?P<n>a)', '\\C', '[[:alpha:]]', '\\Q*\\E', 'a{1001}', '((((((((((a))))))))))'),
);

/** A StringMatch recipe: exact, prefix, regex or cookie, with any value. */
export function stringMatch(value: fc.Arbitrary<unknown> = edgy(label, exoticString)): fc.Arbitrary<unknown> {
  return edgy(
    fc.oneof(
      { weight: 4, arbitrary: value.map(call.exact) },
      { weight: 3, arbitrary: value.map(call.prefix) },
      { weight: 3, arbitrary: regex.map(call.regex) },
      { weight: 1, arbitrary: fc.tuple(edgy(label, exoticString), edgy(label, exoticString)).map(([n, v]) => call.cookieMatch(n, v)) },
    ),
    fakeInstance,
  );
}

// ---------------------------------------------------------------------------------------------
// Durations

/** Go duration strings: realistic ones and every edge of the syntax and range. */
export const durationString: fc.Arbitrary<unknown> = edgy(
  fc.oneof(
    fc.integer({ min: 1, max: 600_000 }).map((n) => `${n}ms`),
    fc.integer({ min: 1, max: 3600 }).map((n) => `${n}s`),
    fc.constantFrom('1m', '2h', '1h2m', '1.5s', '0.5s', '250ms', '1h30m15s', '+5s'),
  ),
  exoticString,
  fc.constantFrom('0', '0s', '0ms', '-1s', '1', 's', '1x', '1 s', '1s ', ' 1s', '1.s', '.5s', '1..5s', '1e3s', '500us', '500µs', '1000000ns', '1ns',
    '9223372036854ms', '9223372036855ms', '2562047h47m16.854s', '2562047h47m16.854775807s', '2562047h47m16.855s', '2562048h', '99999999999999999999h',
    '1.0000000000000000000000001s', '1h-2m', '1S', '1H', '1 h', '1sec', '1d', 'PT5S', '1.5ms', '0.001s', '0.0001s', '5s5s', `${'9'.repeat(400)}s`),
);

/** A DurationLike recipe: the library's Duration, a string, a cdk8s Duration, or an edge. */
export const duration: fc.Arbitrary<unknown> = edgy(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 600 }).map(call.seconds) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 600_000 }).map(call.millis) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map(call.minutes) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 48 }).map(call.hours) },
    { weight: 4, arbitrary: durationString },
    { weight: 1, arbitrary: durationString.map(call.parse) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }).map(call.cdk8sSeconds) },
  ),
  fc.oneof(fc.constantFrom(0, 0.5, 1e-7, 2 ** 53, 1e21, 9223372036854, 9223372036855), fc.double({ min: 0, max: 1e6, noNaN: true })).map(call.cdk8sMillis),
  fc.oneof(edgeNumber, fc.constantFrom(1.5, 0.001, 0.0015, 2.0005, 9223372036.854, 9223372036.855)).map(call.seconds),
  edgeNumber.map(call.millis),
  edgeNumber.map(call.hours),
  edgeNumber.map((n) => new Leaf(`{ toMilliseconds: () => ${fc.stringify(n)} }`, () => ({ toMilliseconds: () => n }))),
  fc.oneof(edgeNumber, fc.constant(null), fakeInstance),
);

// ---------------------------------------------------------------------------------------------
// SessionAffinity, HashAlgorithm, ServiceAccountRef

/** A cookie or header name, with edges. */
const token: fc.Arbitrary<unknown> = edgy(fc.constantFrom('ISTIOID', 'session', 'x-user-id', 'user', 'SESSION_ID'), exoticString,
  fc.constantFrom('a b', 'a=b', 'a;b', ':authority', 'é', '', 'x'.repeat(300)));

/** A SessionAffinity recipe. */
export const sessionAffinity: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(token, fc.option(props({
      ttl: edgy(duration, fc.constantFrom(call.seconds(0), '0s', '0')),
      path: edgy(urlPath, exoticString),
      attributes: edgy(fc.constantFrom({ SameSite: 'Strict' }, { Secure: '' }, { HttpOnly: '', SameSite: 'Lax' }), fc.dictionary(exoticString, exoticString, { maxKeys: 2 })),
    }), { nil: undefined })).map(([n, o]) => (o === undefined ? call.cookie(n) : call.cookie(n, o))),
  },
  { weight: 2, arbitrary: token.map(call.header) },
  { weight: 2, arbitrary: token.map(call.queryParameter) },
  { weight: 1, arbitrary: fc.constantFrom(call.sourceIp(), call.clientIp()) },
  { weight: 1, arbitrary: edgy(fc.constant(call.sourceIp()), fakeInstance) },
);

/** A HashAlgorithm recipe. */
export const hashAlgorithm: fc.Arbitrary<unknown> = fc.oneof(
  edgy(fc.constantFrom(1, 1024, 8192), edgeNumber).map(call.ringHash),
  fc.option(edgy(fc.constantFrom(65537, 2, 3, 4999999), edgeNumber, fc.constantFrom(1, 4, 65536, 5000011, 5000017)), { nil: undefined })
    .map((n) => (n === undefined ? call.maglev() : call.maglev(n))),
);

/** A ServiceAccountRef recipe. */
export const serviceAccount: fc.Arbitrary<unknown> = fc.tuple(name, edgy(fc.oneof(label, label.map((l) => `${l}.sa`)), exoticString),
  fc.option(edgy(fc.constantFrom('cluster.local', 'example.org'), exoticString, fc.constantFrom('a/b', '', '*')), { nil: undefined }))
  .map(([ns, n, td]) => (td === undefined ? call.serviceAccount(ns, n) : call.serviceAccount(ns, n, td)));

/** A principal: a ServiceAccountRef, a SPIFFE string (with the `*` forms), or an edge. */
export const principal: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: serviceAccount },
  { weight: 2, arbitrary: fc.tuple(label, label).map(([ns, sa]) => `cluster.local/ns/${ns}/sa/${sa}`) },
  { weight: 1, arbitrary: fc.constantFrom('*', '*/ns/a/sa/b', 'cluster.local/ns/a/sa/*', 'cluster.local/ns/a/sa/b*', 'user@example.com', 'a/ns/b/sa/c/d', 'cluster.local/ns//sa/b', ...EXOTIC_STRINGS.slice(0, 20)) },
);

/** Realistic hosts for gateway bindings (distinct). */
export const gatewayHosts: fc.Arbitrary<string[]> = fc.uniqueArray(hostname, { minLength: 1, maxLength: 3 });
