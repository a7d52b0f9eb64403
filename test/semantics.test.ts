/**
 * What Istio does with the output (GitHub issue 9, point 2): every object here passes the CRD
 * schemas; these tests check that Istio would also accept it and do what the props say. Each test
 * names the Istio source or document that says what Istio does.
 */
import {
  AuthorizationAction, Duration, ErrorCode, GrpcStatus, IstioConstructError, MtlsMode, Protocol, ServiceRef, StringMatch, WarningCode,
  buildAuthorizationPolicy, buildCanaryService, buildPeerAuthentication, manifestsOf,
} from '../src';
import { errorOf, expectValid } from './helpers';
import type { AuthorizationPolicyProps } from '../src';

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
    expect(out.virtualService.spec.http![0].fault).toEqual({
      abort: { httpStatus: 503, percentage: { value: 100 } },
      delay: { fixedDelay: '2s', percentage: { value: 100 } },
    });
  });

  test('GIVEN a gRPC abort with percentage 0 WHEN built THEN 0 is kept (not replaced by the default)', () => {
    const out = buildCanaryService({ service: reviews, versions: v1, fault: { abort: { grpcStatus: GrpcStatus.UNAVAILABLE, percentage: 0 } } });
    expect(out.virtualService.spec.http![0].fault).toEqual({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 0 } } });
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
    expect(out.virtualService.spec.http![0].headers!.request!.set).toEqual({ 'x-client': value });
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
    expect(out.virtualService.spec.http![0].headers!.response!.add).toEqual({ 'x-upstream': '%UPSTREAM_HOST%' });
  });
});

describe('7. subsets without labels', () => {
  // istio/istio pkg/config/validation/validation.go validateSubset: only the name must be a DNS-1123
  // label; labels.Instance(subset.Labels).Validate() accepts no labels (a subset of a ServiceEntry
  // or an egress gateway selects all its endpoints).
  test('GIVEN a version with labels: {} WHEN built THEN its subset has no labels, the others keep the { version } default', () => {
    const out = buildCanaryService({ service: reviews, versions: [{ name: 'all', labels: {}, weight: 1 }, { name: 'v2', weight: 1 }] });
    expectValid(manifestsOf(out));
    expect(out.destinationRule.spec.subsets).toEqual([{ name: 'all' }, { name: 'v2', labels: { version: 'v2' } }]);
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
