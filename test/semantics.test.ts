/**
 * What Istio does with the output (GitHub issue 9, point 2): every object here passes the CRD
 * schemas; these tests check that Istio would also accept it and do what the props say. Each test
 * names the Istio source or document that says what Istio does.
 */
import {
  AuthorizationAction, Duration, ErrorCode, GrpcStatus, IngressGateway, IstioConstructError, MtlsMode, Protocol, ServiceAccountRef, ServiceRef,
  StringMatch, WarningCode, buildAuthorizationPolicy, buildCanaryService, buildHardenedGateway, buildPeerAuthentication, manifestsOf,
  ClientTlsMode, SessionAffinity, buildServiceTrafficPolicy, buildStickyService,
} from '../src';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { isYamlAmbiguous, toUnambiguousYaml } from '../src/cdk8s/yaml';
import { CanaryService } from '../src/cdk8s';
import { errorOf, expectValid, synth } from './helpers';
import type { AuthorizationPolicyProps, HardenedGatewayProps } from '../src';

const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports: [{ port: 9080, protocol: Protocol.HTTP }] });
const v1 = [{ name: 'v1', weight: 1 }];

describe('1. fault injection without percentage', () => {
  // istio/api networking/v1alpha3/virtual_service.proto (HTTPFaultInjection.Delay/Abort): "If left
  // unspecified, no request will be delayed" / "If not specified, no request will be aborted";
  // istio/istio pilot/pkg/networking/core/route/route.go TranslateFault falls back to the deprecated
  // integer `percent` (0). istio/istio#36303, #39969.
  test('GIVEN abort and delay without percentage WHEN built THEN percentage 100 is written for both', () => {
    const out = buildCanaryService({
      service: reviews, versions: v1,
      fault: { abort: { httpStatus: 503 }, delay: { fixedDelay: Duration.seconds(2) } },
    });
    expectValid(manifestsOf(out));
    expect(out.virtualService!.spec.http![0].fault).toEqual({
      abort: { httpStatus: 503, percentage: { value: 100 } },
      delay: { fixedDelay: '2s', percentage: { value: 100 } },
    });
  });

  test('GIVEN a fault percentage between 0 and 0.0001 WHEN built THEN refused (istio/istio validation.go validatePercentage); a mirror one is not', () => {
    const e = errorOf(() => buildCanaryService({ service: reviews, versions: v1, fault: { delay: { fixedDelay: '1s', percentage: 0.00001 } } }));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_PERCENTAGE, 'fault.delay.percentage']);
    const out = buildCanaryService({ service: reviews, versions: v1, mirror: { version: 'v1', percentage: 0.00001 } });
    expect(out.virtualService!.spec.http![0].mirrorPercentage).toEqual({ value: 0.00001 });
  });

  test('GIVEN a gRPC abort with percentage 0 WHEN built THEN 0 is kept (not replaced by the default)', () => {
    const out = buildCanaryService({ service: reviews, versions: v1, fault: { abort: { grpcStatus: GrpcStatus.UNAVAILABLE, percentage: 0 } } });
    expect(out.virtualService!.spec.http![0].fault).toEqual({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 0 } } });
  });
});

describe('9. header values with Envoy command operators', () => {
  // istio/istio pkg/config/validation/validation.go ValidateHTTPHeaderValue (and
  // header_value_validator.go): valid "%HOSTNAME%", "100%%", "prefix %HOSTNAME% suffix";
  // invalid "abc%123", "%START_TIME%%". Envoy: custom request/response headers.
  const withHeader = (value: string) => () => buildCanaryService({
    service: reviews, versions: v1, headers: { request: { set: { 'x-client': value } } },
  });

  test.each([
    '%DOWNSTREAM_REMOTE_ADDRESS%', '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%, via %HOSTNAME%', '100%%', 'prefix %HOSTNAME% suffix',
    '%REQ(x-request-id)%', '%START_TIME(%s.%3f)%', '%PER_REQUEST_STATE(["a", "b"])%', 'tab\tseparated', '',
  ])('GIVEN the value %j WHEN built THEN it is accepted and written as given', (value) => {
    const out = withHeader(value)();
    expectValid(manifestsOf(out));
    expect(out.virtualService!.spec.http![0].headers!.request!.set).toEqual({ 'x-client': value });
  });

  test.each(['abc%123', '%START_TIME%%', '50%', '%', '%%%', '%REQ(x', 'line\nbreak'])('GIVEN the value %j WHEN built THEN INVALID_HEADER', (value) => {
    const e = errorOf(withHeader(value));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_HEADER, 'headers.request.set["x-client"]']);
  });

  test('GIVEN a StringMatch header route WHEN a %VAR% value is set on it THEN the route keeps its match', () => {
    const out = buildCanaryService({
      service: reviews, versions: v1,
      routes: [{ match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], headers: { response: { add: { 'x-upstream': '%UPSTREAM_HOST%' } } } }],
    });
    expect(out.virtualService!.spec.http![0].headers!.response!.add).toEqual({ 'x-upstream': '%UPSTREAM_HOST%' });
  });
});

describe('7. subsets without labels', () => {
  // istio/istio pkg/config/validation/validation.go validateSubset: only the name must be a DNS-1123
  // label; labels.Instance(subset.Labels).Validate() accepts no labels (a subset of a ServiceEntry
  // or an egress gateway selects all its endpoints).
  test('GIVEN a version with labels: {} WHEN built THEN its subset has no labels, the others keep the { version } default', () => {
    const out = buildCanaryService({ service: reviews, versions: [{ name: 'all', labels: {}, weight: 1 }, { name: 'v2', weight: 1 }] });
    expectValid(manifestsOf(out));
    expect(out.destinationRule!.spec.subsets).toEqual([{ name: 'all' }, { name: 'v2', labels: { version: 'v2' } }]);
  });
});

describe('8. authorization values Istio checks', () => {
  // istio/istio pkg/config/security/security.go ValidateAttribute: ValidateIPs for source.ip,
  // remote.ip, destination.ip; ValidatePorts for destination.port. Conditions:
  // https://istio.io/latest/docs/reference/config/security/conditions/
  const policy = (rules: AuthorizationPolicyProps['rules']) => () => buildAuthorizationPolicy({ name: 'p', namespace: 'ns', selector: { app: 'a' }, rules });

  test('GIVEN remoteIpBlocks and notRemoteIpBlocks WHEN built THEN both are written in the source', () => {
    const out = policy([{ from: [{ remoteIpBlocks: ['203.0.113.0/24'], notRemoteIpBlocks: ['203.0.113.7'] }] }])();
    expectValid(manifestsOf(out));
    expect(out.authorizationPolicy.spec.rules[0].from).toEqual([{ source: { remoteIpBlocks: ['203.0.113.0/24'], notRemoteIpBlocks: ['203.0.113.7'] } }]);
  });

  test.each<[string, AuthorizationPolicyProps['rules'], ErrorCode, string]>([
    ['a remoteIpBlocks entry that is no IP', [{ from: [{ remoteIpBlocks: ['10.0.0.0/33'] }] }], ErrorCode.INVALID_CIDR, 'rules[0].from[0].remoteIpBlocks[0]'],
    ['a notRemoteIpBlocks entry that is no IP', [{ from: [{ notRemoteIpBlocks: ['client'] }] }], ErrorCode.INVALID_CIDR, 'rules[0].from[0].notRemoteIpBlocks[0]'],
    ['a source.ip value that is no IP', [{ when: [{ key: 'source.ip', values: ['10.0.0.300'] }] }], ErrorCode.INVALID_CIDR, 'rules[0].when[0].values[0]'],
    ['a remote.ip notValue that is no IP', [{ when: [{ key: 'remote.ip', notValues: ['localhost'] }] }], ErrorCode.INVALID_CIDR, 'rules[0].when[0].notValues[0]'],
    ['a destination.ip value that is no IP', [{ when: [{ key: 'destination.ip', values: ['10.1.2.3/8/8'] }] }], ErrorCode.INVALID_CIDR, 'rules[0].when[0].values[0]'],
    ['a destination.port that is no number', [{ when: [{ key: 'destination.port', values: ['http'] }] }], ErrorCode.PORT_OUT_OF_RANGE, 'rules[0].when[0].values[0]'],
    ['a destination.port over 65535', [{ when: [{ key: 'destination.port', notValues: ['70000'] }] }], ErrorCode.PORT_OUT_OF_RANGE, 'rules[0].when[0].notValues[0]'],
  ])('GIVEN %s WHEN built THEN refused', (_t, rules, code, path) => {
    const e = errorOf(policy(rules));
    expect([e.code, e.path]).toEqual([code, path]);
  });

  test('GIVEN valid IP, CIDR and port condition values WHEN built THEN they are written as given', () => {
    const out = policy([{ when: [
      { key: 'source.ip', values: ['10.0.0.1', 'fd00::/8'] }, { key: 'destination.port', values: ['8080', '65535'] },
      { key: 'request.headers[x-id]', values: ['anything at all'] },
    ] }])();
    expect(out.authorizationPolicy.spec.rules[0].when.map((w: any) => w.values)).toEqual([['10.0.0.1', 'fd00::/8'], ['8080', '65535'], ['anything at all']]);
  });

  test('GIVEN a port-level mTLS mode that is not an mTLS mode WHEN built THEN refused (the CRD enum would reject it)', () => {
    const e = errorOf(() => buildPeerAuthentication({ namespace: 'ns', mode: MtlsMode.STRICT, selector: { app: 'db' }, portLevelMtls: { 5432: 'OFF' as MtlsMode } }));
    expect(e).toBeInstanceOf(IstioConstructError);
    expect(e.path).toContain('portLevelMtls');
  });
});

describe('4. DENY rules with only HTTP fields', () => {
  // istio/istio pilot/pkg/security/authz/model/model.go rule.checkError: on a TCP filter chain an
  // HTTP-only field of a DENY (or AUDIT) rule is ignored, "resulting in a wider deny policy"; with
  // nothing left the rule matches every connection (permissionAny/principalAny).
  // https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/
  const deny = (rules: AuthorizationPolicyProps['rules']) => buildAuthorizationPolicy({ name: 'p', namespace: 'ns', selector: { app: 'a' }, action: AuthorizationAction.DENY, rules });

  test.each<[string, AuthorizationPolicyProps['rules']]>([
    ['methods only', [{ to: [{ methods: ['POST'] }] }]],
    ['paths and hosts', [{ to: [{ paths: ['/admin*'], hosts: ['a.example.com'] }] }]],
    ['request principals', [{ from: [{ notRequestPrincipals: ['*'] }] }]],
    ['a request header condition', [{ when: [{ key: 'request.headers[x-debug]', values: ['1'] }] }]],
    ['a second operation with only HTTP fields next to a TCP one', [{ to: [{ ports: [8080] }, { methods: ['GET'] }] }]],
  ])('GIVEN a DENY rule with %s WHEN built THEN an HTTP_ONLY_DENY_RULE warning names the rule', (_t, rules) => {
    const out = deny(rules);
    expect(out.warnings).toEqual([expect.objectContaining({ code: WarningCode.HTTP_ONLY_DENY_RULE, path: 'rules[0]' })]);
  });

  test.each<[string, AuthorizationPolicyProps['rules'], AuthorizationAction]>([
    ['a DENY rule with a port next to the method', [{ to: [{ methods: ['POST'], ports: [8080] }] }], AuthorizationAction.DENY],
    ['a DENY rule with an ipBlock source', [{ from: [{ ipBlocks: ['10.0.0.0/8'] }], to: [{ paths: ['/admin'] }] }], AuthorizationAction.DENY],
    ['a DENY rule with a connection.sni condition', [{ to: [{ hosts: ['a.example.com'] }], when: [{ key: 'connection.sni', values: ['a.example.com'] }] }], AuthorizationAction.DENY],
    ['an ALLOW rule with only HTTP fields', [{ to: [{ methods: ['GET'] }] }], AuthorizationAction.ALLOW],
  ])('GIVEN %s WHEN built THEN no warning', (_t, rules, action) => {
    const out = buildAuthorizationPolicy({ name: 'p', namespace: 'ns', selector: { app: 'a' }, action, rules });
    expect(out.warnings ?? []).toEqual([]);
  });
});

const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, {
  namespace: 'istio-system', serviceName: 'istio-ingressgateway',
  ports: [{ port: 80, protocol: Protocol.HTTP2, name: 'http2' }, { port: 443, protocol: Protocol.HTTPS }, { port: 31400, protocol: Protocol.TCP, name: 'tcp' }],
});
const blog = ServiceRef.fromName('wordpress', { namespace: 'blog', ports: [{ port: 80, protocol: Protocol.HTTP }] });
const shared: HardenedGatewayProps = { name: 'blog', gateway: ingress, backend: blog, servers: [{ hosts: ['blog.example.com'], credentialName: 'blog-cert' }] };
const kinds = (out: { objects: Array<{ manifest: { kind: string } }> }) => out.objects.map((o) => o.manifest.kind);

describe('3. HardenedGateway on a shared gateway workload', () => {
  // Istio: "If any ALLOW policies are applied to a workload, access to that workload is denied by
  // default, unless explicitly allowed by a rule in the policy" (https://istio.io/latest/docs/concepts/security/#implicit-enablement);
  // DENY is evaluated before ALLOW (#authorization-policy-precedence). An allow-nothing plus ALLOW
  // for blog.example.com on istio-ingressgateway would deny every other host and TCP route of it.
  test('GIVEN gateway: istio-ingressgateway and default props WHEN built THEN no policy applies to the whole workload, and a SHARED_GATEWAY warning says why', () => {
    const out = buildHardenedGateway(shared);
    expectValid(manifestsOf(out));
    expect(kinds(out)).not.toContain('AuthorizationPolicy');
    expect([out.denyAll, out.allowPolicy, out.denyPolicy]).toEqual([undefined, undefined, undefined]);
    expect(out.warnings).toEqual([expect.objectContaining({ code: WarningCode.SHARED_GATEWAY, path: 'gateway' })]);
    expect(out.warnings![0].message).toContain('dedicatedGateway: true');
  });

  test('GIVEN allow rules on a shared gateway WHEN built THEN one DENY policy for the requests to its hosts (Host and SNI) that the rules do not allow', () => {
    const out = buildHardenedGateway({
      ...shared,
      allow: [{ from: [{ ipBlocks: ['203.0.113.0/24'] }], to: [{ methods: ['GET', 'HEAD'], paths: ['/blog/*'] }] }],
    });
    expectValid(manifestsOf(out));
    expect(kinds(out).filter((k) => k === 'AuthorizationPolicy')).toHaveLength(1);
    const deny = out.denyPolicy!;
    expect([deny.metadata.name, deny.metadata.namespace, deny.spec.action, deny.spec.selector]).toEqual(['blog-deny', 'istio-system', 'DENY', { matchLabels: { istio: 'ingressgateway' } }]);
    const scope = { hosts: ['blog.example.com', 'blog.example.com:*'] };
    const sni = { key: 'connection.sni', values: ['blog.example.com'] };
    // NOT(ip AND (method AND path)) = not ip OR not method OR not path
    expect(deny.spec.rules).toEqual([
      { from: [{ source: { notIpBlocks: ['203.0.113.0/24'] } }], to: [{ operation: scope }], when: [sni] },
      { to: [{ operation: { notMethods: ['GET', 'HEAD'], ...scope } }], when: [sni] },
      { to: [{ operation: { notPaths: ['/blog/*'], ...scope } }], when: [sni] },
    ]);
    // Every rule carries a condition TCP can check, so TCP routes of the workload are untouched.
    expect(out.warnings!.map((w) => w.code)).toEqual([WarningCode.SHARED_GATEWAY]);
  });

  test('GIVEN two allow rules and a when condition WHEN built THEN the DENY rules are every combination of one failed field per rule', () => {
    const admin = ServiceAccountRef.of('ops', 'admin');
    const out = buildHardenedGateway({
      ...shared,
      allow: [
        { to: [{ paths: ['/public/*'] }] },
        { from: [{ principals: [admin] }], when: [{ key: 'request.auth.claims[role]', values: ['editor'] }] },
      ],
    });
    const rules = out.denyPolicy!.spec.rules;
    expect(rules).toHaveLength(2);
    expect(rules[0].from).toEqual([{ source: { notPrincipals: ['cluster.local/ns/ops/sa/admin'] } }]);
    expect(rules[0].to[0].operation.notPaths).toEqual(['/public/*']);
    expect(rules[1].when).toEqual([{ key: 'request.auth.claims[role]', notValues: ['editor'] }, { key: 'connection.sni', values: ['blog.example.com'] }]);
  });

  test('GIVEN allow: [] on a shared gateway WHEN built THEN every request to its hosts is denied, other hosts are not', () => {
    const out = buildHardenedGateway({ ...shared, allow: [] });
    expect(out.denyPolicy!.spec.rules).toEqual([{ to: [{ operation: { hosts: ['blog.example.com', 'blog.example.com:*'] } }], when: [{ key: 'connection.sni', values: ['blog.example.com'] }] }]);
  });

  test('GIVEN an allow rule that matches everything WHEN built THEN nothing is denied and no policy is written', () => {
    expect(buildHardenedGateway({ ...shared, allow: [{}] }).denyPolicy).toBeUndefined();
  });

  test('GIVEN a shared gateway WHEN built THEN the header hygiene EnvoyFilter only matches its SNI filter chains and its Gateway\'s routes', () => {
    const out = buildHardenedGateway({ ...shared, servers: [{ hosts: ['blog.example.com'], credentialName: 'a' }, { hosts: ['shop.example.com'], credentialName: 'b' }] });
    const patches = out.envoyFilter!.spec.configPatches as any[];
    const listenerPatches = patches.filter((p) => p.applyTo !== 'ROUTE_CONFIGURATION');
    expect(listenerPatches.map((p) => [p.applyTo, p.match.listener.filterChain.sni])).toEqual([
      ['NETWORK_FILTER', 'blog.example.com'], ['NETWORK_FILTER', 'shop.example.com'], ['HTTP_FILTER', 'blog.example.com'], ['HTTP_FILTER', 'shop.example.com'],
    ]);
    expect(patches.find((p) => p.applyTo === 'ROUTE_CONFIGURATION').match).toEqual({ context: 'GATEWAY', routeConfiguration: { gateway: 'istio-system/blog' } });
    expectValid(manifestsOf(out));
  });

  test('GIVEN dedicatedGateway: true WHEN built THEN allow-nothing plus ALLOW on the workload and unscoped header hygiene, without warning', () => {
    const out = buildHardenedGateway({ ...shared, dedicatedGateway: true });
    expect(out.denyAll!.spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } } });
    expect(out.allowPolicy!.spec.rules).toEqual([{ to: [{ operation: { hosts: ['blog.example.com', 'blog.example.com:*'] } }] }]);
    expect((out.envoyFilter!.spec.configPatches as any[]).some((p) => p.match.listener?.filterChain?.sni || p.match.routeConfiguration)).toBe(false);
    expect(out.warnings ?? []).toEqual([]);
  });

  test('GIVEN a dedicated workload WHEN dedicatedGateway: false THEN refused; WHEN left out THEN dedicated', () => {
    const workload = { name: 'edge', namespace: 'edge' };
    const e = errorOf(() => buildHardenedGateway({ ...shared, gateway: undefined, workload, dedicatedGateway: false }));
    expect([e.code, e.path]).toEqual([ErrorCode.CONFLICTING_PROPS, 'dedicatedGateway']);
    expect(buildHardenedGateway({ ...shared, gateway: undefined, workload }).denyAll).toBeDefined();
  });

  test('GIVEN allow rules that cannot be negated into one source WHEN built on a shared gateway THEN refused with the dedicatedGateway hint', () => {
    const e = errorOf(() => buildHardenedGateway({ ...shared, allow: [{ to: [{ notPaths: ['/a'] }] }, { to: [{ notPaths: ['/b'] }] }] }));
    expect([e.code, e.path]).toEqual([ErrorCode.CONFLICTING_PROPS, 'allow']);
    expect(e.hint).toContain('dedicatedGateway: true');
  });
});

describe('6. several HTTPS servers on one port', () => {
  // istio/istio pkg/config/validation/validation.go ValidateGateway: "port names in servers must be
  // unique"; validateServerPort: "port name must be set".
  test('GIVEN two certificates on 443 WHEN built THEN each server has its own port name, hosts and credential', () => {
    const out = buildHardenedGateway({
      ...shared,
      servers: [{ hosts: ['blog.example.com'], credentialName: 'blog-cert' }, { hosts: ['shop.example.com'], credentialName: 'shop-cert' }],
    });
    expectValid(manifestsOf(out));
    const servers = out.gateway.spec.servers.map((s: any) => [s.port.name, s.port.number, s.hosts, s.tls.credentialName ?? s.tls.httpsRedirect]);
    expect(servers).toEqual([
      ['https-443-1', 443, ['blog.example.com'], 'blog-cert'],
      ['https-443-2', 443, ['shop.example.com'], 'shop-cert'],
      ['http-80', 80, ['blog.example.com', 'shop.example.com'], true],
    ]);
  });

  test('GIVEN portName on a server WHEN built THEN it is used; a duplicate or invalid one is refused', () => {
    const two = (a?: string, b?: string) => ({
      ...shared, servers: [{ hosts: ['a.example.com'], credentialName: 'a', portName: a }, { hosts: ['b.example.com'], credentialName: 'b', portName: b }],
    });
    expect(buildHardenedGateway(two('https-a', 'https-b')).gateway.spec.servers.map((s: any) => s.port.name)).toEqual(['https-a', 'https-b', 'http-80']);
    expect(buildHardenedGateway(two('https-443-2')).gateway.spec.servers.map((s: any) => s.port.name)).toEqual(['https-443-2', 'https-443', 'http-80']);
    expect(errorOf(() => buildHardenedGateway(two('https-x', 'https-x'))).code).toBe(ErrorCode.CONFLICTING_PROPS);
    expect(errorOf(() => buildHardenedGateway(two('http-80'))).code).toBe(ErrorCode.CONFLICTING_PROPS);
    const bad = errorOf(() => buildHardenedGateway(two('HTTPS 443')));
    expect(bad.path).toContain('servers[0].portName');
  });
});

describe('2. client TLS credentialName needs a workload selector', () => {
  // istio/api networking/v1alpha3/destination_rule.proto ClientTLSSettings.credential_name: "This
  // field is applicable at sidecars only if DestinationRule has a workloadSelector specified.
  // Otherwise the field will be applicable only at gateways". istio/istio
  // pkg/config/validation/validation.go validateExportTo: "destination rule with workload selector
  // cannot have exportTo beyond current namespace".
  const external = ServiceRef.fromName('payments', { namespace: 'shop', ports: [{ port: 443, protocol: Protocol.HTTPS }] });
  const mutual = { mode: ClientTlsMode.MUTUAL, credentialName: 'payments-client' };

  test('GIVEN MUTUAL with credentialName and no workloadSelector WHEN built THEN refused, the hint names workloadSelector', () => {
    const e = errorOf(() => buildServiceTrafficPolicy({ service: external, trafficPolicy: { tls: mutual } }));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_TLS, 'trafficPolicy.tls.credentialName']);
    expect(e.hint).toContain('workloadSelector');
    const perPort = errorOf(() => buildServiceTrafficPolicy({ service: external, trafficPolicy: { portLevelSettings: [{ port: 443, tls: mutual }] } }));
    expect(perPort.path).toBe('trafficPolicy.portLevelSettings[0].tls.credentialName');
    const subset = errorOf(() => buildCanaryService({ service: external, versions: [{ name: 'v1', weight: 1, trafficPolicy: { tls: mutual } }] }));
    expect(subset.path).toBe('versions[0].trafficPolicy.tls.credentialName');
  });

  test('GIVEN workloadSelector WHEN built THEN the DestinationRule selects those workloads and is exported to its namespace only', () => {
    const out = buildServiceTrafficPolicy({ service: external, trafficPolicy: { tls: mutual }, workloadSelector: { app: 'checkout' } });
    expectValid(manifestsOf(out));
    const spec = out.destinationRule.spec as any;
    expect([spec.workloadSelector, spec.exportTo, spec.trafficPolicy.tls]).toEqual([
      { matchLabels: { app: 'checkout' } }, ['.'], { mode: 'MUTUAL', credentialName: 'payments-client' },
    ]);
  });

  test('GIVEN a gateway\'s labels as workloadSelector WHEN built THEN accepted (a DestinationRule for the gateway)', () => {
    const out = buildServiceTrafficPolicy({ service: external, namespace: 'istio-system', trafficPolicy: { tls: mutual }, workloadSelector: { istio: 'ingressgateway' } });
    expect((out.destinationRule.spec as any).workloadSelector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
  });

  test('GIVEN SIMPLE/ISTIO_MUTUAL without credentialName WHEN built THEN no selector is needed and none is written', () => {
    const out = buildServiceTrafficPolicy({ service: external, trafficPolicy: { tls: { mode: ClientTlsMode.SIMPLE, sni: 'payments.example.com' } } });
    expect(Object.keys(out.destinationRule.spec)).toEqual(['host', 'trafficPolicy']);
  });

  test('GIVEN workloadSelector on a CanaryService or a StickyService with versions WHEN built THEN a DESTINATION_RULE_SCOPED warning says other callers lose the subsets', () => {
    const canary = buildCanaryService({ service: external, versions: [{ name: 'v1', weight: 1 }], trafficPolicy: { tls: mutual }, workloadSelector: { app: 'checkout' } });
    expect((canary.destinationRule!.spec as any).exportTo).toEqual(['.']);
    expect(canary.warnings).toEqual([expect.objectContaining({ code: WarningCode.DESTINATION_RULE_SCOPED, path: 'workloadSelector' })]);
    const sticky = buildStickyService({ service: external, affinity: SessionAffinity.header('x-user'), versions: [{ name: 'v1', weight: 1 }], workloadSelector: { app: 'checkout' } });
    expect((sticky.destinationRule.spec as any).workloadSelector).toEqual({ matchLabels: { app: 'checkout' } });
    expect(sticky.warnings.map((w) => w.code)).toEqual([WarningCode.DESTINATION_RULE_SCOPED]);
    expect(errorOf(() => buildStickyService({ service: external, affinity: SessionAffinity.header('x-user'), trafficPolicy: { tls: mutual } })).code).toBe(ErrorCode.INVALID_TLS);
  });
});

describe('4. routeUnmatched: false on a mesh-bound route', () => {
  // A VirtualService for the host bound to `mesh` replaces the sidecars' default route: a request
  // that matches no HTTP route gets 404 (Envoy NR). https://istio.io/latest/docs/concepts/traffic-management/#routing-rule-precedence
  const routes = [{ match: [{ uri: StringMatch.prefix('/api') }], to: 'v1' as const }];
  const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }] });

  test('GIVEN routeUnmatched: false without a gateway (mesh only) WHEN built THEN an UNMATCHED_REQUESTS_404_IN_MESH warning', () => {
    const out = buildCanaryService({ service: reviews, versions: v1, routes, routeUnmatched: false });
    expect(out.warnings).toEqual([expect.objectContaining({ code: WarningCode.UNMATCHED_REQUESTS_404_IN_MESH, path: 'routeUnmatched' })]);
  });

  test('GIVEN a gateway binding with the default includeMesh WHEN routeUnmatched: false THEN the warning too', () => {
    const out = buildCanaryService({ service: reviews, versions: v1, routes, routeUnmatched: false, gateway: { gateway, hosts: ['reviews.example.com'] } });
    expect(out.virtualService!.spec.gateways).toContain('mesh');
    expect(out.warnings!.map((w) => w.code)).toEqual([WarningCode.UNMATCHED_REQUESTS_404_IN_MESH]);
  });

  test('GIVEN includeMesh: false WHEN routeUnmatched: false THEN no warning (only the gateway is restricted)', () => {
    const out = buildCanaryService({ service: reviews, versions: v1, routes, routeUnmatched: false, gateway: { gateway, hosts: ['reviews.example.com'], includeMesh: false } });
    expect(out.warnings ?? []).toEqual([]);
  });
});

describe('10. YAML-ambiguous strings in the synthesized YAML', () => {
  // A Service named 0o674 in namespace 1e3, versions y/on with label values null/0x1F: valid DNS
  // labels and label values that YAML readers may type as numbers, booleans or null. Go's readers
  // (go-yaml resolve.go, used by sigs.k8s.io/yaml and kubectl) parse numbers with
  // strconv.ParseInt(s, 0, 64), which takes 0o674 as 444.
  const odd = ServiceRef.fromName('0o674', { namespace: '1e3', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
  const objects = () => synth((chart) => new CanaryService(chart, 'odd', {
    service: odd,
    versions: [{ name: 'y', labels: { version: 'null' }, weight: 1 }, { name: 'on', labels: { version: '0x1F' }, weight: 1 }],
  }));
  const strings = (docs: unknown[]) => {
    const dr = (docs as any[]).find((d) => d.kind === 'DestinationRule');
    return [dr.metadata.name, dr.metadata.namespace, ...dr.spec.subsets.flatMap((s: any) => [s.name, s.labels.version])];
  };
  const expected = ['0o674', '1e3', 'y', 'null', 'on', '0x1F'];

  test.each(['0o674', '0O17', '1e3', 'true', 'null', '0x1F', '.5', '~', 'y', 'n', 'on', 'off', 'Yes', '0b101', '1_000', '2001-12-14', '+12', '=', '<<', ''])(
    'the string %j is recognised as ambiguous', (s) => expect(isYamlAmbiguous(s)).toBe(true));
  test.each(['reviews', 'v1', 'bookinfo.example.com', 'istio-system', 'a1e3'])('the string %j is not', (s) => expect(isYamlAmbiguous(s)).toBe(false));

  test('GIVEN cdk8s\' own writer (Yaml.stringify, not configurable) WHEN read as YAML 1.1 THEN strings stay strings; as YAML 1.2, 0o674 becomes 444', () => {
    const text = Yaml.stringify(...objects());
    expect(strings(parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()))).toEqual(expected);
    // What cdk8s does (documented in src/cdk8s/yaml.ts): the YAML 1.2 / Go octal form is written plain.
    expect(strings(parseAllDocuments(text).map((d) => d.toJS()))[0]).toBe(444);
  });

  test('GIVEN a cdk8s App with the library\'s constructs WHEN app.synth() writes its files THEN every name and label stays a string for YAML 1.1, 1.2 and Go readers', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-constructs-yaml-'));
    try {
      const app = new App({ outdir });
      new CanaryService(new Chart(app, 'odd'), 'odd', {
        service: odd,
        versions: [{ name: 'y', labels: { version: 'null' }, weight: 1 }, { name: 'on', labels: { version: '0x1F' }, weight: 1 }],
      });
      app.synth();
      const text = fs.readFileSync(path.join(outdir, 'odd.k8s.yaml'), 'utf8');
      expect(text).toContain('name: "0o674"');
      for (const version of ['1.1', '1.2'] as const) {
        expect(strings(parseAllDocuments(text, { version }).map((d) => d.toJS()))).toEqual(expected);
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('GIVEN cdk8s-written YAML WHEN checking for plain ambiguous scalars THEN only an unquoted key or value counts (the rewrite is skipped otherwise)', () => {
    const { ambiguousStrings, hasPlainScalar } = jest.requireActual('../src/cdk8s/yaml');
    const strings = ambiguousStrings([{ metadata: { name: '0o674', labels: { plain: 'reviews' } }, spec: { timeout: '5s' } }]);
    expect([...strings].sort()).toEqual(['0o674', '5s']);
    expect(hasPlainScalar('metadata:\n  name: "0o674"\nspec:\n  timeout: "5s"\n', strings)).toBe(false);
    expect(hasPlainScalar('metadata:\n  name: 0o674\n', strings)).toBe(true);
    expect(hasPlainScalar('items:\n  - 5s\n', strings)).toBe(true);
    expect(hasPlainScalar('labels:\n  0o674: x\n', strings)).toBe(true);
    expect(hasPlainScalar('metadata:\n  name: 0o674\n', new Set())).toBe(false);
  });

  test('GIVEN the dist writer of npm run synth WHEN read as YAML 1.1 and as YAML 1.2 THEN every name and label stays a string', () => {
    const text = toUnambiguousYaml(objects());
    for (const version of ['1.1', '1.2'] as const) {
      expect(strings(parseAllDocuments(text, { version }).map((d) => d.toJS()))).toEqual(expected);
    }
    expect(text).toContain('name: "0o674"');
    expect(text).toContain('namespace: "1e3"');
    expect(text).toContain('kind: DestinationRule');
  });
});
