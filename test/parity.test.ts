/**
 * Parity: for every example and stage, the Pulumi program registers exactly the objects the cdk8s
 * app synthesizes (same apiVersion, kind, metadata and spec), under the component's type token;
 * objects of the kinds an example writes itself (`userKinds`) are compared too, as top-level
 * resources of the program.
 */
import * as pulumi from '@pulumi/pulumi';
import { Resource } from '@pulumi/pulumi';
import { examples } from '../examples';
import { Chart } from 'cdk8s';
import { Protocol, ServiceRef } from '../src';
import * as cdk8s from '../src/cdk8s';
import * as pulumiConstructs from '../src/pulumi';
import { plain, runPulumi, synth, synthApp } from './helpers';

const key = (m: any) => `${m.apiVersion} ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
const sortByKey = (ms: any[]) => [...ms].sort((a, b) => key(a).localeCompare(key(b)));

/**
 * The program's resources as runPulumi takes them: a component as it is; a resource the program
 * registers itself inside a holder whose one field is that resource (runPulumi collects the
 * custom resources a component exposes) and whose `urn` is the resource's.
 */
const asComponents = (resources: Resource[]): pulumi.ComponentResource[] => resources.map((r) => {
  if (r instanceof pulumi.ComponentResource) return r;
  return Object.defineProperty({ resource: r }, 'urn', { value: r.urn, enumerable: false }) as unknown as pulumi.ComponentResource;
});

// The installation examples (`installsIstio`) are compared in test/installation-parity.test.ts: Pulumi's
// helm.v4.Chart is opaque under mocks, so their rendered objects cannot be compared here.
describe.each(examples.filter((e) => !e.installsIstio).map((e) => [e.name, e] as const))('%s', (_name, example) => {
  const charts = synthApp(example.cdk8s);

  test.each(example.stages.map((s) => [s]))('stage %s: Pulumi registers what cdk8s synthesizes', async (stage) => {
    // GIVEN the cdk8s chart of the stage
    const fromCdk8s = sortByKey(charts[stage]);
    expect(fromCdk8s.length).toBeGreaterThan(0);

    // WHEN the Pulumi program of the same stage runs under mocks
    const resources = await runPulumi(() => asComponents(example.pulumi(stage)));

    // THEN the same objects, field for field
    expect(sortByKey(resources.map((r) => plain(r.inputs)))).toEqual(fromCdk8s);
    // AND each is a child of an istio-constructs component, named <component>-<role>, but for the
    // objects of the kinds the example writes itself, which are top-level resources of the program
    // (their URN type has no parent: `::kubernetes:apps/v1:Deployment::`)
    const userKinds = new Set(example.userKinds ?? []);
    for (const r of resources) {
      if (userKinds.has(r.inputs.kind)) expect(r.urn).toMatch(/^urn:pulumi:[^:]+::[^:]+::kubernetes:[^$]+::/);
      else expect(r.urn).toMatch(/::istio-constructs:index:[A-Za-z]+\$kubernetes:/);
    }
    // AND every declared user kind is there (a stale declaration would excuse nothing, silently)
    expect([...new Set(resources.filter((r) => userKinds.has(r.inputs.kind)).map((r) => r.inputs.kind))].sort()).toEqual([...userKinds].sort());
  });
});

/**
 * The constructs no example uses: the same props through both engines. TcpRoute and TlsRoute (the
 * examples route HTTP only), each bound to the mesh and to a Gateway deployed elsewhere.
 */
describe('constructs outside the examples', () => {
  const db = ServiceRef.fromName('postgres', { namespace: 'data', ports: [{ port: 5432, protocol: Protocol.TCP }] });
  const tlsDb = ServiceRef.fromName('db', { namespace: 'data', ports: [{ port: 443, protocol: Protocol.TLS }] });
  const edge = { name: 'edge', namespace: 'istio-system', hosts: ['db.example.com'] };
  const cases: Array<[string, (chart: Chart) => void, () => pulumi.ComponentResource[]]> = [
    ['TcpRoute', (chart) => { new cdk8s.TcpRoute(chart, 'pg', { name: 'pg', destination: db, port: 5432, sourceLabels: { app: 'billing' } }); },
      () => [new pulumiConstructs.TcpRoute('pg', { name: 'pg', destination: db, port: 5432, sourceLabels: { app: 'billing' } })]],
    ['TlsRoute', (chart) => { new cdk8s.TlsRoute(chart, 'db', { name: 'db', destination: tlsDb, sniHosts: ['db.example.com'], gateways: [edge], mesh: true, port: 443 }); },
      () => [new pulumiConstructs.TlsRoute('db', { name: 'db', destination: tlsDb, sniHosts: ['db.example.com'], gateways: [edge], mesh: true, port: 443 })]],
  ];

  test.each(cases)('%s: Pulumi registers what cdk8s synthesizes', async (_name, cdk8sProgram, pulumiProgram) => {
    // GIVEN the cdk8s synthesis of the construct
    const fromCdk8s = sortByKey(synth(cdk8sProgram));
    expect(fromCdk8s.length).toBeGreaterThan(0);

    // WHEN the Pulumi component runs with the same props under mocks
    const resources = await runPulumi(pulumiProgram);

    // THEN the same objects, field for field, children of the component
    expect(sortByKey(resources.map((r) => plain(r.inputs)))).toEqual(fromCdk8s);
    for (const r of resources) expect(r.urn).toMatch(/::istio-constructs:index:(TcpRoute|TlsRoute)\$kubernetes:/);
  });
});
