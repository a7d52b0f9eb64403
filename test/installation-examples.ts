/**
 * Shared by the examples and parity tests: the installation examples rendered once through cdk8s,
 * split into what the library writes itself and what helm rendered, and a digest of each release
 * (kind/namespace/name of every rendered object, and the values given to helm).
 */
import { App, Helm, Include, Testing } from 'cdk8s';
import { IstioInstallationProps as InstallationProps, Manifest, buildIstioInstallation } from '../src';
import * as ambient from '../examples/ambient-installation/props';
import * as canary from '../examples/canary-upgrade/props';
import * as s1 from '../examples/s1-installation-tcp-ingress/props';
import * as s10 from '../examples/s10-istio-install/props';
import * as s11 from '../examples/s11-installation-gateways/props';
import * as s36 from '../examples/s3-s6-mesh-settings/props';
import * as s8 from '../examples/s8-observability-addons/props';

/** The installation props of an example's stage (the values given to helm come from them). */
export function installationProps(example: string, stage: string): InstallationProps {
  switch (example) {
    case 's10-istio-install': return s10.installation();
    case 's8-observability-addons': return s8.installation();
    case 's11-installation-gateways': return s11.installation();
    case 's3-s6-mesh-settings': return s36.installation();
    case 's1-installation-tcp-ingress': return s1.installation();
    case 'ambient-installation': return ambient.installation();
    case 'canary-upgrade': return canary.installation(stage as canary.Stage);
    default: throw new Error(`no installation example ${example}`);
  }
}

/** The Helm releases of an installation: id, release name, namespace, values, dependsOn (no chart paths: they are machine-specific). */
export function releaseChain(example: string, stage: string) {
  return buildIstioInstallation(installationProps(example, stage)).plan.releases
    .map((r) => ({ id: r.id, releaseName: r.releaseName, namespace: r.namespace, values: r.values, dependsOn: r.dependsOn }));
}

const ref = (m: any) => `${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;

export interface SynthesizedInstallation {
  /** Every object per stage chart, as synthesized. */
  readonly charts: Record<string, Manifest[]>;
  /** Per stage: the objects helm rendered or an add-on file held (`Kind ns/name`), and the library's own. */
  readonly rendered: Record<string, { fromHelm: Set<string>; own: Manifest[] }>;
  /** The snapshot digest per stage. */
  readonly digest: Record<string, unknown>;
}

/** Synthesizes an example's app once; `name` is the example (for its releases' values). */
export function synthInstallation(build: (app: App) => void, name?: string): SynthesizedInstallation {
  const app = Testing.app();
  build(app);
  const charts: Record<string, Manifest[]> = {};
  const rendered: SynthesizedInstallation['rendered'] = {};
  const digest: Record<string, unknown> = {};
  for (const chart of app.charts) {
    const stage = chart.node.id;
    const all = Testing.synth(chart) as Manifest[];
    // Helm releases (cdk8s `Helm`) and add-on manifests (cdk8s `Include`, which `Helm` extends).
    const helms = chart.node.findAll().filter((c): c is Include => c instanceof Include);
    const fromHelm = new Set(helms.flatMap((h) => h.apiObjects.map((o) => ref(o.toJson()))));
    const own = all.filter((m) => !fromHelm.has(ref(m)));
    charts[stage] = all;
    rendered[stage] = { fromHelm, own };
    digest[stage] = {
      releases: helms.map((h) => ({
        construct: h.node.path, releaseName: h instanceof Helm ? h.releaseName : undefined,
        objects: h.apiObjects.map((o) => ref(o.toJson())),
      })),
      values: name ? Object.fromEntries(releaseChain(name, stage).map((r) => [r.id, r.values])) : undefined,
      own,
    };
  }
  return { charts, rendered, digest };
}
