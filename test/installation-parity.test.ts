/**
 * Parity of the installation examples (the ones that install Istio). Pulumi's `helm.v4.Chart` is one
 * opaque resource under mocks (Pulumi renders the chart in the provider, not in the program), so
 * the rendered objects cannot be compared with the ones cdk8s's helm wrote. What is compared:
 * - the chart chain: one Chart per release of the plan, with its release name, namespace and values
 *   (a gateway's `service.ports` with the ports bound constructs added: the same port numbers the
 *   cdk8s-rendered Service has); the order and `dependsOn` edges are registerInstallationPlan's
 *   (test/installation-register.test.ts);
 * - the objects the library writes itself (namespaces, MeshNamespace, routes, Telemetry, ...):
 *   field for field, as test/parity.test.ts compares the other examples.
 * Each example is rendered once through cdk8s (helm renders cost about a second each).
 */
import * as pulumi from '@pulumi/pulumi';
import { examples } from '../examples';
import { plain } from './helpers';
import { releaseChain, synthInstallation } from './installation-examples';

interface Mocked { type: string; name: string; inputs: any }
const mocked: Mocked[] = [];
beforeAll(() => pulumi.runtime.setMocks({
  newResource: (args) => {
    mocked.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'project', 'stack', false));

const key = (m: any) => `${m.apiVersion} ${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}`;
const sortByKey = (ms: any[]) => [...ms].sort((a, b) => key(a).localeCompare(key(b)));
const settle = () => new Promise((ok) => setTimeout(ok, 50));

describe.each(examples.filter((e) => e.installsIstio).map((e) => [e.name, e] as const))('%s', (name, example) => {
  const synthesized = synthInstallation(example.cdk8s);

  test.each(example.stages.map((s) => [s]))('stage %s: the same chart chain and the same own objects', async (stage) => {
    mocked.length = 0;
    const resources = example.pulumi(stage);
    await Promise.all(resources.map((r) => (r.urn as any).promise()));
    for (let i = 0; i < 5; i++) await settle(); // gateway values resolve after the synchronous program

    // The chart chain.
    const charts = mocked.filter((m) => m.type === 'kubernetes:helm.sh/v4:Chart');
    const chain = releaseChain(name, stage);
    expect(charts.map((c) => c.name).sort()).toEqual(chain.map((r) => `istio-${r.id}`).sort());
    for (const r of chain) {
      const c = charts.find((x) => x.name === `istio-${r.id}`)!;
      expect([c.inputs.name, c.inputs.namespace]).toEqual([r.releaseName, r.namespace]);
      const { service: sent, ...sentRest } = c.inputs.values ?? {};
      const { service: planned, ...plannedRest } = r.values as any;
      expect(sentRest).toEqual(plain(plannedRest));
      if (sent?.ports) {
        const svc = synthesized.charts[stage].find((m) => m.kind === 'Service' && m.metadata.name === r.releaseName && m.metadata.namespace === r.namespace)!;
        expect(sent.ports.map((p: any) => p.port).sort()).toEqual(svc.spec.ports.map((p: any) => p.port).sort());
      } else {
        expect(sent).toEqual(planned);
      }
    }

    // The library's own objects (Kubernetes resources with an apiVersion and kind).
    const own = mocked.filter((m) => m.inputs?.apiVersion && m.inputs?.kind)
      .map((m) => plain({ apiVersion: m.inputs.apiVersion, kind: m.inputs.kind, metadata: m.inputs.metadata, spec: m.inputs.spec }));
    expect(sortByKey(own)).toEqual(sortByKey(synthesized.rendered[stage].own.map((m) => plain({ apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, spec: (m as any).spec }))));
  });
});
