/**
 * What Istio does with the output (GitHub issue 9, point 2): every object here passes the CRD
 * schemas; these tests check that Istio would also accept it and do what the props say. Each test
 * names the Istio source or document that says what Istio does.
 */
import {
  Duration, ErrorCode, GrpcStatus, Protocol, ServiceRef, StringMatch, buildCanaryService, manifestsOf,
} from '../src';
import { errorOf, expectValid } from './helpers';

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
