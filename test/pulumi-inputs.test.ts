/**
 * Pulumi inputs: leaf values taken from other resources (`Output`s) are resolved into the children's
 * specs; invalid ones fail the deployment with the library's message; structural values refuse
 * Outputs with a message of ours; no state survives from one run to the next.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ClientTlsMode, IstioConstructError, MtlsMode, Protocol, StringMatch } from '../src';
import {
  CanaryService, CanaryServiceArgs, HardenedGateway, IngressGateway, PeerAuthentication, RequestAuthentication, ServiceRef,
  ServiceTrafficPolicy, TcpIngress,
} from '../src/pulumi';

interface Created { type: string; name: string; inputs: any }

/** Runs a program under fresh mocks (a new run), returning what the mock monitor was asked to create. */
async function run(program: () => pulumi.Resource[]): Promise<Created[]> {
  const created: Created[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      created.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'project', 'stack', false);
  const resources = program();
  await Promise.all(resources.map((r) => (r.urn as any).promise()));
  // every child's inputs resolved (registration is asynchronous)
  await new Promise((resolve) => setTimeout(resolve, 50));
  return created;
}

/** Runs test/fixtures/pulumi-late-failure.ts in its own process, as `pulumi up` runs a program. */
function runFailingProgram(variant: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fixtures', 'pulumi-late-failure.ts'), variant],
    { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

/** Awaits an output's value (rejects when the apply that makes it throws). */
function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return (o as any).promise();
}

const ports = [{ port: 9080, protocol: Protocol.HTTP }];

test('an Output<string> namespace from a k8s.core.v1.Namespace is resolved into every child spec', async () => {
  let canary!: CanaryService;
  const created = await run(() => {
    const ns = new k8s.core.v1.Namespace('bookinfo', { metadata: { name: 'bookinfo' } });
    const args: CanaryServiceArgs<'v1' | 'v2'> = {
      service: ServiceRef.fromName('reviews', { namespace: ns.metadata.name, ports }),
      versions: [{ name: 'v1', percent: 90 }, { name: 'v2', percent: 10 }],
    };
    canary = new CanaryService('reviews', args);
    return [ns, canary];
  });
  const dr = created.find((c) => c.name === 'reviews-destination-rule')!;
  const vs = created.find((c) => c.name === 'reviews-virtual-service')!;
  expect(dr.type).toBe('kubernetes:networking.istio.io/v1:DestinationRule');
  expect(dr.inputs.metadata).toEqual(expect.objectContaining({ name: 'reviews', namespace: 'bookinfo' }));
  expect(dr.inputs.spec.host).toBe('reviews.bookinfo.svc.cluster.local');
  expect(vs.inputs.spec.http[0].route.map((r: any) => [r.destination.host, r.weight])).toEqual([
    ['reviews.bookinfo.svc.cluster.local', 90], ['reviews.bookinfo.svc.cluster.local', 10],
  ]);
  const manifests = await valueOf(canary.manifests);
  expect(manifests.map((m) => m.metadata.namespace)).toEqual(['bookinfo', 'bookinfo']);
  // the placeholder used while registering never reaches a spec
  expect(JSON.stringify(created)).not.toContain('input-');
});

test('a namespace that turns out invalid fails the deployment with the IstioConstructError text', () => {
  const { status, stderr } = runFailingProgram('namespace');
  expect(status).toBe(1);
  // the component's outputs and the children's registrations fail with the library's error and message
  expect(stderr).toMatch(/manifests: IstioConstructError: .*ServiceRef "reviews" namespace: namespace "Not_A_Namespace" is not a DNS-1123 label \(INVALID_NAME\)\. Fix:/);
  expect(stderr).toMatch(/program failed: IstioConstructError: .*ServiceRef "reviews" namespace: .*\(INVALID_NAME\)/);
  expect(stderr).not.toMatch(/toJSON/);
});

test('an Output where a structural value belongs is refused at construction with our message, not Pulumi\'s toJSON text', () => {
  const reviews = ServiceRef.fromName('reviews', { namespace: 'bookinfo', ports });
  const attempt = () => new CanaryService('reviews', {
    service: reviews,
    versions: [{ name: 'v1', weight: pulumi.output(1) as any }],
  });
  expect(attempt).toThrow(IstioConstructError);
  expect(attempt).toThrow(/versions\[0\]\.weight: a pulumi Output .* \(INPUT_NOT_ALLOWED\)/);
  expect(attempt).not.toThrow(/toJSON/);
});

test('plain invalid values still throw at construction, before anything is registered', () => {
  expect(() => ServiceRef.fromName('Bad_Name', { namespace: 'bookinfo' })).toThrow(/INVALID_NAME/);
  expect(() => new CanaryService('x', { service: ServiceRef.fromName('a', { namespace: 'b' }), versions: [] })).toThrow(/NO_VERSIONS/);
});

test('ServiceRef.fromService reads name, namespace and ports from a k8s.core.v1.Service', async () => {
  const created = await run(() => {
    const svc = new k8s.core.v1.Service('echo', {
      metadata: { name: 'echo', namespace: 'apps' },
      spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp-echo', port: 9000 }, { name: 'http-web', port: 8080 }] },
    });
    const gateway = IngressGateway.fromSelector({ istio: 'ingressgateway' }, { namespace: 'istio-system', ports: [{ port: 31400 }] });
    return [svc, new TcpIngress('echo', { name: 'echo', backend: ServiceRef.fromService(svc), port: 31400, backendPort: 9000, gateway })];
  });
  const vs = created.find((c) => c.name === 'echo-virtual-service')!;
  expect(vs.inputs.metadata.namespace).toBe('apps');
  expect(vs.inputs.spec.tcp[0].route[0].destination).toEqual({ host: 'echo.apps.svc.cluster.local', port: { number: 9000 } });
});

test('ServiceRef.fromService: a port the Service does not have fails once its ports are known', () => {
  const { status, stderr } = runFailingProgram('port');
  expect(status).toBe(1);
  expect(stderr).toMatch(/program failed: IstioConstructError: .*TcpIngress "echo" backendPort: Service apps\/echo has no port 9001 \(it has 9000\) \(SERVICE_PORT_NOT_FOUND\)/);
});

test('HardenedGateway with Output hosts and Secret name; its ref binds a CanaryService once known', async () => {
  let canary!: CanaryService;
  const created = await run(() => {
    const secret = new k8s.core.v1.Secret('tls', { metadata: { name: 'shop-tls', namespace: 'istio-system' }, type: 'kubernetes.io/tls' });
    const host = pulumi.output('shop.example.com');
    const gw = new HardenedGateway('shop', {
      name: 'shop', namespace: 'istio-system',
      gateway: IngressGateway.fromSelector({ istio: pulumi.output('ingressgateway') }, { namespace: 'istio-system', ports: [{ port: 443, protocol: Protocol.HTTPS }, { port: 80, protocol: Protocol.HTTP }] }),
      servers: [{ hosts: [host], credentialName: secret.metadata.name }],
    });
    expect(() => gw.ref.hosts).toThrow(/INPUT_NOT_ALLOWED/);
    canary = new CanaryService('shop', {
      service: ServiceRef.fromName('shop', { namespace: 'shop', ports }),
      versions: [{ name: 'v1', weight: 1 }],
      gateway: { existingGateway: gw.ref, hosts: [host] },
    });
    return [secret, gw, canary];
  });
  const gateway = created.find((c) => c.name === 'shop-gateway')!;
  expect(gateway.inputs.spec.selector).toEqual({ istio: 'ingressgateway' });
  const https = gateway.inputs.spec.servers.find((s: any) => s.port.number === 443);
  expect(https.hosts).toEqual(['shop.example.com']);
  expect(https.tls.credentialName).toBe('shop-tls');
  const vs = created.find((c) => c.name === 'shop-virtual-service' && c.inputs.spec.hosts?.includes('shop.example.com') && c.inputs.metadata.namespace === 'shop')!;
  expect(vs.inputs.spec.gateways).toContain('istio-system/shop');
  expect((await valueOf(canary.manifests)).length).toBe(2);
});

test('registration runs no cross-component check and keeps no state: the mTLS conflict is the policy pack\'s to report', async () => {
  // The whole-stack analysis runs once, in the CrossGuard policy pack (istio-constructs/policy, test/policy.test.ts).
  const warnings: string[] = [];
  const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async (m: string) => { warnings.push(m); });
  try {
    const program = () => [
      new PeerAuthentication('strict', { namespace: 'payments', mode: MtlsMode.STRICT }),
      new ServiceTrafficPolicy('plain', { name: 'ledger', namespace: 'clients', host: 'ledger.payments.svc.cluster.local', trafficPolicy: { tls: { mode: ClientTlsMode.DISABLE } } }),
    ];
    await run(program);
    await run(program); // a second run of the same stack in this process
    expect(warnings.filter((w) => /MTLS|ICA0001/.test(w))).toEqual([]);
  } finally {
    warn.mockRestore();
  }
});

test('CanaryServiceArgs keeps the compile-time check that routes name declared versions', () => {
  const reviews = ServiceRef.fromName('reviews', { namespace: pulumi.output('bookinfo'), ports });
  const build = () => new CanaryService('typed', {
    service: reviews,
    versions: [{ name: 'v1', weight: 1 }, { name: 'v2', weight: 0 }],
    // @ts-expect-error 'v3' is not one of the declared versions ('v1' | 'v2')
    routes: [{ match: [{ uri: StringMatch.prefix('/x') }], to: 'v3' }],
  });
  expect(build).toThrow(/UNKNOWN_VERSION/);
});

test('RequestAuthentication: issuer, JWKS URI, namespace and selector label values from Outputs', async () => {
  const created = await run(() => {
    const ns = new k8s.core.v1.Namespace('shop', { metadata: { name: 'shop' } });
    const issuer = pulumi.output('https://issuer.example.com');
    return [ns, new RequestAuthentication('jwt', {
      name: 'jwt', namespace: ns.metadata.name, selector: { app: pulumi.output('frontend') },
      jwtRules: [{ issuer, jwksUri: issuer.apply((i) => `${i}/.well-known/jwks.json`) }],
    })];
  });
  const ra = created.find((c) => c.name === 'jwt-request-authentication')!;
  expect(ra.inputs.metadata.namespace).toBe('shop');
  expect(ra.inputs.spec.selector).toEqual({ matchLabels: { app: 'frontend' } });
  expect(ra.inputs.spec.jwtRules).toEqual([{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/.well-known/jwks.json' }]);
  const deny = created.find((c) => c.name === 'jwt-require-jwt')!;
  expect(deny.inputs.metadata.namespace).toBe('shop');
  expect(deny.inputs.spec.selector).toEqual({ matchLabels: { app: 'frontend' } });
});

test('without inputs, `manifests` is made on first read, once, and holds the objects registered', async () => {
  let canary!: CanaryService;
  const created = await run(() => {
    canary = new CanaryService('ratings', {
      service: ServiceRef.fromName('ratings', { namespace: 'bookinfo', ports }),
      versions: [{ name: 'v1', percent: 80 }, { name: 'v2', percent: 20 }],
    });
    return [canary];
  });
  // read after every registration has completed: the Output is made now, and is the same on each read
  expect(canary.manifests).toBe(canary.manifests);
  const manifests = await valueOf(canary.manifests);
  expect(manifests.map((m) => `${m.kind} ${m.metadata.name}`)).toEqual(['DestinationRule ratings', 'VirtualService ratings']);
  for (const m of manifests) {
    const child = created.find((c) => c.inputs.kind === m.kind && c.inputs.metadata.name === m.metadata.name)!;
    expect(child.inputs.spec).toEqual(m.spec);
  }
});
