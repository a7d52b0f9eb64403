import * as fc from 'fast-check';
import {
  AuthorizationAction, AuthorizationPolicyProps, ErrorCode, IngressGateway, IstioConstructError, MtlsMode, Protocol, ServerTlsMode, ServiceAccountRef, ServiceRef,
  buildAllowNothing, buildAuthorizationPolicy, buildHardenedGateway, buildPeerAuthentication, buildRequestAuthentication, buildZeroTrustNamespace,
  manifestsOf, validateManifests,
} from '../src';
import { AuthorizationPolicy, RequestAuthentication } from '../src/cdk8s';
import { errorOf, expectValid, find, synth } from './helpers';

const jwks = JSON.stringify({ keys: [{ kty: 'RSA', e: 'AQAB', n: 'sXch', kid: 'k' }] });

describe('PeerAuthentication', () => {
  test('namespace, mesh-wide (root namespace) and workload with port-level modes', () => {
    const ns = buildPeerAuthentication({ namespace: 'default', mode: MtlsMode.STRICT }).peerAuthentication;
    const mesh = buildPeerAuthentication({ meshWide: true, mode: MtlsMode.STRICT }).peerAuthentication;
    const workload = buildPeerAuthentication({ name: 'db', namespace: 'data', mode: MtlsMode.STRICT, selector: { app: 'db' }, portLevelMtls: { 9000: MtlsMode.DISABLE, 5432: MtlsMode.PERMISSIVE } }).peerAuthentication;
    expectValid([ns, mesh, workload]);
    expect([ns.metadata.name, ns.metadata.namespace, ns.spec]).toEqual(['default', 'default', { mtls: { mode: 'STRICT' } }]);
    expect([mesh.metadata.namespace, mesh.spec.selector]).toEqual(['istio-system', undefined]);
    expect(workload.spec).toEqual({ selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 5432: { mode: 'PERMISSIVE' }, 9000: { mode: 'DISABLE' } } });
  });

  test.each<[string, () => unknown, ErrorCode, string]>([
    ['port-level mTLS without a workload selector', () => buildPeerAuthentication({ namespace: 'data', mode: MtlsMode.STRICT, portLevelMtls: { 9000: MtlsMode.DISABLE } }), ErrorCode.PORT_MTLS_WITHOUT_SELECTOR, 'portLevelMtls'],
    ['a port-level port out of range', () => buildPeerAuthentication({ namespace: 'data', mode: MtlsMode.STRICT, selector: { app: 'db' }, portLevelMtls: { 70000: MtlsMode.DISABLE } }), ErrorCode.PORT_OUT_OF_RANGE, 'portLevelMtls["70000"]'],
    ['mesh-wide with a selector', () => buildPeerAuthentication({ meshWide: true, mode: MtlsMode.STRICT, selector: { app: 'x' } }), ErrorCode.CONFLICTING_PROPS, 'meshWide'],
    ['no namespace', () => buildPeerAuthentication({ mode: MtlsMode.STRICT }), ErrorCode.INVALID_NAME, 'namespace'],
    ['an unknown mode', () => buildPeerAuthentication({ namespace: 'a', mode: 'ON' as MtlsMode }), ErrorCode.CONFLICTING_PROPS, 'mode'],
  ])('%s is refused', (_t, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('RequestAuthentication', () => {
  test('JWT rules, and by default a DENY policy for requests without a token', () => {
    const objects = synth((chart) => new RequestAuthentication(chart, 'jwt', {
      name: 'api-jwt', namespace: 'api', selector: { app: 'api' },
      jwtRules: [{ issuer: 'https://issuer.example.com', jwks, audiences: ['api'], forwardOriginalToken: true, fromHeaders: [{ name: 'X-Jwt', prefix: 'Bearer ' }], outputPayloadToHeader: 'x-jwt-payload' }],
    }));
    expectValid(objects);
    expect(objects).toMatchSnapshot();
    const ra = find(objects, 'RequestAuthentication', 'api-jwt');
    expect(ra.spec.jwtRules[0]).toEqual({
      issuer: 'https://issuer.example.com', jwks, audiences: ['api'], forwardOriginalToken: true,
      fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }], outputPayloadToHeader: 'x-jwt-payload',
    });
    const deny = find(objects, 'AuthorizationPolicy', 'api-jwt-require-jwt');
    expect(deny.spec).toEqual({ selector: { matchLabels: { app: 'api' } }, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] });
  });

  test('opting out of the token requirement is explicit', () => {
    const out = buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: 'i', jwksUri: 'https://i/jwks' }], requireToken: false });
    expect(out.objects.map((o) => o.role)).toEqual(['request-authentication']);
  });

  test.each<[string, () => unknown, ErrorCode, string]>([
    ['a JWT rule without issuer', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: '', jwksUri: 'https://i/jwks' }] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules[0].issuer'],
    ['both jwks and jwksUri', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: 'i', jwks, jwksUri: 'https://i/jwks' }] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules[0]'],
    ['a jwksUri that is not http(s)', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: 'i', jwksUri: 'ftp://keys' }] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules[0].jwksUri'],
    ['inline jwks that is not a key set', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: 'i', jwks: '{"k": 1}' }] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules[0].jwks'],
    ['inline jwks with a private key', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: 'i', jwks: JSON.stringify({ keys: [{ kty: 'RSA', d: 'secret' }] }) }] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules[0].jwks'],
    ['an empty audience', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [{ issuer: 'i', audiences: [''] }] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules[0].audiences[0]'],
    ['no rules', () => buildRequestAuthentication({ name: 'a', namespace: 'a', jwtRules: [] }), ErrorCode.INVALID_JWT_RULE, 'jwtRules'],
  ])('%s is refused', (_t, fn, code, path) => {
    const e = errorOf(fn);
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('AuthorizationPolicy', () => {
  test('allow-nothing is an ALLOW policy without rules', () => {
    const objects = synth((chart) => AuthorizationPolicy.allowNothing(chart, 'deny-all', 'default'));
    expectValid(objects);
    expect(find(objects, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    expect(buildAllowNothing('default').authorizationPolicy.spec).toEqual({});
  });

  test('principals from typed service accounts, with a configurable trust domain', () => {
    expect(ServiceAccountRef.of('default', 'bookinfo-productpage').principal).toBe('cluster.local/ns/default/sa/bookinfo-productpage');
    expect(ServiceAccountRef.of('default', 'sa', 'prod.example.com').principal).toBe('prod.example.com/ns/default/sa/sa');
    const p = buildAuthorizationPolicy({
      name: 'allow-details', namespace: 'default', selector: { app: 'details' },
      rules: [{ from: [{ principals: [ServiceAccountRef.of('default', 'bookinfo-productpage'), 'cluster.local/ns/default/sa/*'] }], to: [{ methods: ['GET'], paths: ['/details/*'], ports: [9080] }] }],
    }).authorizationPolicy;
    expectValid([p]);
    expect(p.spec.rules[0]).toEqual({
      from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage', 'cluster.local/ns/default/sa/*'] } }],
      to: [{ operation: { methods: ['GET'], paths: ['/details/*'], ports: ['9080'] } }],
    });
  });

  test('DENY, AUDIT and CUSTOM with a provider', () => {
    const custom = buildAuthorizationPolicy({ name: 'ext', namespace: 'a', action: AuthorizationAction.CUSTOM, provider: 'ext-authz', rules: [{ to: [{ paths: ['/admin/*'] }] }] }).authorizationPolicy;
    const audit = buildAuthorizationPolicy({ name: 'audit', namespace: 'a', action: AuthorizationAction.AUDIT, rules: [{ when: [{ key: 'source.ip', values: ['10.0.0.0/8'] }] }] }).authorizationPolicy;
    expectValid([custom, audit]);
    expect(custom.spec).toEqual({ action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }] });
  });

  test('S4 seed mistake: a user e-mail as a principal is refused, with the request-principal hint', () => {
    const e = errorOf(() => buildAuthorizationPolicy({ name: 'rbac-policy', namespace: 'my-namespace', rules: [{ from: [{ principals: ['user:user@example.com'] }] }] }));
    expect([e.code, e.path]).toEqual([ErrorCode.INVALID_PRINCIPAL, 'rules[0].from[0].principals[0]']);
    expect(e.hint).toContain('requestPrincipals');
  });

  test.each<[string, AuthorizationPolicyProps, ErrorCode, string]>([
    ['an unknown when key', { name: 'a', namespace: 'a', rules: [{ when: [{ key: 'destination.labels[app]', values: ['x'] }] }] }, ErrorCode.UNKNOWN_WHEN_KEY, 'rules[0].when[0].key'],
    ['a principal not in SPIFFE form', { name: 'a', namespace: 'a', rules: [{ from: [{ principals: ['bookinfo-productpage'] }] }] }, ErrorCode.INVALID_PRINCIPAL, 'rules[0].from[0].principals[0]'],
    ['a condition without values', { name: 'a', namespace: 'a', rules: [{ when: [{ key: 'source.ip' }] }] }, ErrorCode.INVALID_AUTHORIZATION, 'rules[0].when[0]'],
    ['an empty source', { name: 'a', namespace: 'a', rules: [{ from: [{}] }] }, ErrorCode.INVALID_AUTHORIZATION, 'rules[0].from[0]'],
    ['an empty operation', { name: 'a', namespace: 'a', rules: [{ to: [{}] }] }, ErrorCode.INVALID_AUTHORIZATION, 'rules[0].to[0]'],
    ['an empty from list', { name: 'a', namespace: 'a', rules: [{ from: [] }] }, ErrorCode.INVALID_AUTHORIZATION, 'rules[0]'],
    ['CUSTOM without provider', { name: 'a', namespace: 'a', action: AuthorizationAction.CUSTOM, rules: [{}] }, ErrorCode.INVALID_AUTHORIZATION, 'provider'],
    ['a provider without CUSTOM', { name: 'a', namespace: 'a', provider: 'x', rules: [{}] }, ErrorCode.INVALID_AUTHORIZATION, 'provider'],
    ['DENY without rules', { name: 'a', namespace: 'a', action: AuthorizationAction.DENY }, ErrorCode.INVALID_AUTHORIZATION, 'rules'],
    ['CUSTOM matching identities', { name: 'a', namespace: 'a', action: AuthorizationAction.CUSTOM, provider: 'x', rules: [{ from: [{ namespaces: ['b'] }] }] }, ErrorCode.INVALID_AUTHORIZATION, 'rules[0].from[0]'],
    ['a bad ipBlock', { name: 'a', namespace: 'a', rules: [{ from: [{ ipBlocks: ['1.2.3.4/40'] }] }] }, ErrorCode.INVALID_CIDR, 'rules[0].from[0].ipBlocks[0]'],
    ['a lower-case method', { name: 'a', namespace: 'a', rules: [{ to: [{ methods: ['get'] }] }] }, ErrorCode.INVALID_METHOD, 'rules[0].to[0].methods[0]'],
    ['a path template with {**} in the middle', { name: 'a', namespace: 'a', rules: [{ to: [{ paths: ['/a/{**}/b'] }] }] }, ErrorCode.INVALID_AUTHORIZATION, 'rules[0].to[0].paths[0]'],
    ['a wildcard selector', { name: 'a', namespace: 'a', selector: { app: '*' } }, ErrorCode.INVALID_LABEL, 'selector.app'],
  ])('%s is refused', (_t, props, code, path) => {
    const e = errorOf(() => buildAuthorizationPolicy(props));
    expect([e.code, e.path]).toEqual([code, path]);
  });
});

describe('security properties', () => {
  const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
  const rule = fc.record({
    principals: fc.option(fc.array(fc.tuple(label, label).map(([n, s]) => ServiceAccountRef.of(n, s)), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    ipBlocks: fc.option(fc.array(fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 8, max: 32 })).map(([a, l]) => `${a}.0.0.0/${l}`), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    methods: fc.option(fc.uniqueArray(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), { minLength: 1 }), { nil: undefined }),
    paths: fc.option(fc.array(fc.stringMatching(/^\/[a-z0-9/-]{0,15}\*?$/), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    claim: fc.option(label, { nil: undefined }),
  }).map((r) => ({
    from: r.principals || r.ipBlocks ? [{ principals: r.principals, ipBlocks: r.ipBlocks }] : undefined,
    to: r.methods || r.paths ? [{ methods: r.methods, paths: r.paths }] : undefined,
    when: r.claim ? [{ key: `request.auth.claims[${r.claim}]`, values: ['x'] }] : undefined,
  }));

  test('random valid authorization policies are schema-valid and keep every principal', () => {
    fc.assert(fc.property(fc.constantFrom(AuthorizationAction.ALLOW, AuthorizationAction.DENY, AuthorizationAction.AUDIT), fc.array(rule, { minLength: 1, maxLength: 4 }), (action, rules) => {
      const out = buildAuthorizationPolicy({ name: 'p', namespace: 'ns', action, rules });
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      const principals = rules.flatMap((r) => r.from?.[0].principals ?? []).map((p) => p.principal);
      const emitted = (out.authorizationPolicy.spec.rules as any[]).flatMap((r) => r.from?.[0].source.principals ?? []);
      expect(emitted).toEqual(principals);
    }), { numRuns: 150 });
  });

  test('strings that are not SPIFFE principals or known when keys throw IstioConstructError', () => {
    const notSpiffe = fc.string().filter((s) => s !== '*' && !/^\*?[^/\s]*\/ns\/[^/\s]+\/sa\/[^/\s]*\*?$/.test(s));
    const unknownKey = fc.string().filter((s) => !/^(request|source|remote|destination|connection|experimental)\./.test(s));
    fc.assert(fc.property(notSpiffe, unknownKey, (p, k) => {
      expect(() => buildAuthorizationPolicy({ name: 'p', namespace: 'ns', rules: [{ from: [{ principals: [p] }] }] })).toThrow(IstioConstructError);
      expect(() => buildAuthorizationPolicy({ name: 'p', namespace: 'ns', rules: [{ when: [{ key: k, values: ['x'] }] }] })).toThrow(IstioConstructError);
    }), { numRuns: 200 });
  });

  test('random PeerAuthentications are schema-valid', () => {
    const mode = fc.constantFrom(...Object.values(MtlsMode));
    fc.assert(fc.property(mode, fc.option(fc.dictionary(fc.integer({ min: 1, max: 65535 }).map(String), mode, { minKeys: 1, maxKeys: 3 }), { nil: undefined }), (m, ports) => {
      const out = buildPeerAuthentication({ namespace: 'ns', mode: m, selector: ports ? { app: 'x' } : undefined, portLevelMtls: ports as any });
      expect(validateManifests(manifestsOf(out))).toEqual([]);
    }), { numRuns: 100 });
  });
});

describe('more security properties', () => {
  const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
  const host = fc.tuple(label, label).map(([a, b]) => `${a}.${b}.example.com`);

  test('random RequestAuthentications are schema-valid and always require a token unless opted out', () => {
    const rule = fc.record({
      issuer: fc.oneof(host.map((h) => `https://${h}`), fc.emailAddress()),
      jwksUri: fc.option(host.map((h) => `https://${h}/jwks.json`), { nil: undefined }),
      audiences: fc.option(fc.array(label, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      forwardOriginalToken: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(fc.property(fc.array(rule, { minLength: 1, maxLength: 3 }), fc.option(fc.boolean(), { nil: undefined }), (jwtRules, requireToken) => {
      const out = buildRequestAuthentication({ name: 'jwt', namespace: 'ns', selector: { app: 'x' }, jwtRules, requireToken });
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      expect(out.requireTokenPolicy !== undefined).toBe(requireToken !== false);
    }), { numRuns: 100 });
  });

  test('random ZeroTrustNamespaces: allow-nothing first, then one valid policy per service', () => {
    fc.assert(fc.property(fc.uniqueArray(label, { minLength: 1, maxLength: 5 }), (apps) => {
      const out = buildZeroTrustNamespace({ namespace: 'ns', services: apps.map((app) => ({ app, rules: [{ to: [{ methods: ['GET'] }] }] })) });
      expect(validateManifests(manifestsOf(out))).toEqual([]);
      expect(out.objects.map((o) => o.manifest.metadata.name)).toEqual(['allow-nothing', ...apps.map((a) => `allow-${a}`)]);
    }), { numRuns: 100 });
  });

  test('random HardenedGateways are schema-valid, never below TLS 1.2, and deny by default', () => {
    const ingress = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 80, protocol: Protocol.HTTP }, { port: 443, protocol: Protocol.HTTPS }] });
    const backend = ServiceRef.fromName('web', { namespace: 'web', ports: [{ port: 8080, protocol: Protocol.HTTP }] });
    fc.assert(fc.property(
      fc.uniqueArray(host, { minLength: 1, maxLength: 4 }),
      fc.constantFrom(ServerTlsMode.SIMPLE, ServerTlsMode.MUTUAL),
      fc.boolean(), fc.boolean(),
      (hosts, mode, redirect, dedicated) => {
        const out = buildHardenedGateway({
          name: 'web', backend, httpsRedirect: redirect,
          servers: hosts.map((h, i) => ({ hosts: [h], credentialName: `cert-${i}`, mode })),
          ...(dedicated ? { workload: { name: 'web-gateway', namespace: 'web' } } : { gateway: ingress }),
        });
        expect(validateManifests(manifestsOf(out))).toEqual([]);
        for (const s of out.gateway.spec.servers) if (s.port.protocol === 'HTTPS') expect(s.tls.minProtocolVersion).toBe('TLSV1_2');
        if (dedicated) expect(out.denyAll!.spec.rules).toBeUndefined();
        // A shared workload (istio-ingressgateway) gets no workload-wide policy: other hosts and TCP routes keep working.
        else expect([out.denyAll, out.allowPolicy]).toEqual([undefined, undefined]);
      }), { numRuns: 60 });
  });
});
