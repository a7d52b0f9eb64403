/**
 * Parity: for every example and stage, the Pulumi program registers exactly the objects the cdk8s
 * app synthesizes (same apiVersion, kind, metadata and spec), under the component's type token.
 */
import { examples } from '../examples';
import { plain, runPulumi, synthApp } from './helpers';

const key = (m: any) => `${m.apiVersion} ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
const sortByKey = (ms: any[]) => [...ms].sort((a, b) => key(a).localeCompare(key(b)));

describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
  const charts = synthApp(example.cdk8s);

  test.each(example.stages.map((s) => [s]))('stage %s: Pulumi registers what cdk8s synthesizes', async (stage) => {
    // GIVEN the cdk8s chart of the stage
    const fromCdk8s = sortByKey(charts[stage]);
    expect(fromCdk8s.length).toBeGreaterThan(0);

    // WHEN the Pulumi program of the same stage runs under mocks
    const resources = await runPulumi(() => example.pulumi(stage));

    // THEN the same objects, field for field
    expect(sortByKey(resources.map((r) => plain(r.inputs)))).toEqual(fromCdk8s);
    // AND each is a child of an istio-constructs component, named <component>-<role>
    for (const r of resources) {
      expect(r.urn).toMatch(/::istio-constructs:index:[A-Za-z]+\$kubernetes:/);
    }
  });
});
