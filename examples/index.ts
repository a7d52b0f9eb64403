/** Every example, for `npm run synth`, the tests and the Pulumi entry point. */
import { Resource } from '@pulumi/pulumi';
import { App } from 'cdk8s';
import * as s1 from './s1-tcp-ingress/cdk8s';
import * as s1p from './s1-tcp-ingress/pulumi';
import * as s1s from './s1-tcp-ingress/props';
import * as s10 from './s10-bookinfo-traffic/cdk8s';
import * as s10p from './s10-bookinfo-traffic/pulumi';
import * as s10s from './s10-bookinfo-traffic/props';
import * as s12 from './s12-cheat-sheet-routing/cdk8s';
import * as s12p from './s12-cheat-sheet-routing/pulumi';
import * as s12s from './s12-cheat-sheet-routing/props';
import * as s12sec from './s12-cheat-sheet-security/cdk8s';
import * as s12secp from './s12-cheat-sheet-security/pulumi';
import * as s12secs from './s12-cheat-sheet-security/props';
import * as s13 from './s13-wordpress-canary/cdk8s';
import * as s13p from './s13-wordpress-canary/pulumi';
import * as s13s from './s13-wordpress-canary/props';
import * as s10sec from './s10-bookinfo-security/cdk8s';
import * as s10secp from './s10-bookinfo-security/pulumi';
import * as s10secs from './s10-bookinfo-security/props';
import * as s10i from './s10-bookinfo-ingress/cdk8s';
import * as s10ip from './s10-bookinfo-ingress/pulumi';
import * as s10is from './s10-bookinfo-ingress/props';
import * as s11 from './s11-egress-gateway/cdk8s';
import * as s11p from './s11-egress-gateway/pulumi';
import * as s11s from './s11-egress-gateway/props';
import * as s2 from './s2-server-header/cdk8s';
import * as s2p from './s2-server-header/pulumi';
import * as s2s from './s2-server-header/props';
import * as s3 from './s3-dns-proxying/cdk8s';
import * as s3p from './s3-dns-proxying/pulumi';
import * as s3s from './s3-dns-proxying/props';
import * as s4 from './s4-security-trio/cdk8s';
import * as s4p from './s4-security-trio/pulumi';
import * as s4s from './s4-security-trio/props';
import * as s5 from './s5-sticky-sessions/cdk8s';
import * as s5p from './s5-sticky-sessions/pulumi';
import * as s5s from './s5-sticky-sessions/props';
import * as s6 from './s6-external-services/cdk8s';
import * as s6p from './s6-external-services/pulumi';
import * as s6s from './s6-external-services/props';
import * as s7o from './s7-tls-origination/cdk8s';
import * as s7op from './s7-tls-origination/pulumi';
import * as s7os from './s7-tls-origination/props';
import * as s7 from './s7-tls-ingress/cdk8s';
import * as s7p from './s7-tls-ingress/pulumi';
import * as s7s from './s7-tls-ingress/props';
import * as s9 from './s9-provider-canary/cdk8s';
import * as s9p from './s9-provider-canary/pulumi';
import * as s9s from './s9-provider-canary/props';
import * as gwapi10 from './s10-gateway-api/cdk8s';
import * as gwapi10p from './s10-gateway-api/pulumi';
import * as gwapi10s from './s10-gateway-api/props';
import * as gwapi1 from './s1-tcp-route/cdk8s';
import * as gwapi1p from './s1-tcp-route/pulumi';
import * as gwapi1s from './s1-tcp-route/props';
import * as ambient10 from './s10-ambient/cdk8s';
import * as ambient10p from './s10-ambient/pulumi';
import * as ambient10s from './s10-ambient/props';
import * as ambient from './ambient-installation/cdk8s';
import * as ambientp from './ambient-installation/pulumi';
import * as ambients from './ambient-installation/props';
import * as canary from './canary-upgrade/cdk8s';
import * as canaryp from './canary-upgrade/pulumi';
import * as canarys from './canary-upgrade/props';
import * as i1 from './s1-installation-tcp-ingress/cdk8s';
import * as i1p from './s1-installation-tcp-ingress/pulumi';
import * as i1s from './s1-installation-tcp-ingress/props';
import * as i10 from './s10-istio-install/cdk8s';
import * as i10p from './s10-istio-install/pulumi';
import * as i10s from './s10-istio-install/props';
import * as i11 from './s11-installation-gateways/cdk8s';
import * as i11p from './s11-installation-gateways/pulumi';
import * as i11s from './s11-installation-gateways/props';
import * as i36 from './s3-s6-mesh-settings/cdk8s';
import * as i36p from './s3-s6-mesh-settings/pulumi';
import * as i36s from './s3-s6-mesh-settings/props';
import * as i8 from './s8-observability-addons/cdk8s';
import * as i8p from './s8-observability-addons/pulumi';
import * as i8s from './s8-observability-addons/props';
import * as aw from './ambient-waypoint/cdk8s';
import * as awp from './ambient-waypoint/pulumi';
import * as aws from './ambient-waypoint/props';

/** One example: its cdk8s app builder (one chart per stage) and its Pulumi program per stage. */
export interface Example {
  readonly name: string;
  readonly stages: readonly string[];
  readonly cdk8s: (app: App) => void;
  /**
   * The Pulumi program of a stage: the library's components it creates, and the resources the
   * program registers itself (of the `userKinds`), such as the application's own Deployment.
   */
  readonly pulumi: (stage: string) => Resource[];
  /**
   * Kinds of the objects the program writes itself rather than through a library construct (a
   * raw cdk8s `ApiObject`, a `@pulumi/kubernetes` resource); the parity test compares them too.
   * @default - none: every object comes from a library construct
   */
  readonly userKinds?: readonly string[];
  /**
   * The example installs Istio (an IstioInstallation): its cdk8s app renders Istio's Helm charts
   * with a real helm at construction (about a second per release), and its Pulumi program
   * registers `helm.v4.Chart`s, which Pulumi renders itself (opaque under mocks).
   * @default false
   */
  readonly installsIstio?: boolean;
}

export const examples: Example[] = [
  { name: 's1-tcp-ingress', stages: s1s.stages, cdk8s: s1.build, pulumi: () => s1p.program() },
  { name: 's2-server-header', stages: s2s.stages, cdk8s: s2.build, pulumi: (s) => s2p.program(s as s2s.Stage) },
  { name: 's3-dns-proxying', stages: s3s.stages, cdk8s: s3.build, pulumi: (s) => s3p.program(s as s3s.Stage), userKinds: ['Deployment'] },
  { name: 's4-security-trio', stages: s4s.stages, cdk8s: s4.build, pulumi: () => s4p.program() },
  { name: 's5-sticky-sessions', stages: s5s.stages, cdk8s: s5.build, pulumi: () => s5p.program() },
  { name: 's6-external-services', stages: s6s.stages, cdk8s: s6.build, pulumi: () => s6p.program() },
  { name: 's7-tls-ingress', stages: s7s.stages, cdk8s: s7.build, pulumi: () => s7p.program() },
  { name: 's7-tls-origination', stages: s7os.stages, cdk8s: s7o.build, pulumi: () => s7op.program() },
  { name: 's9-provider-canary', stages: s9s.stages, cdk8s: s9.build, pulumi: (s) => s9p.program(s as s9s.Stage) },
  { name: 's10-bookinfo-traffic', stages: s10s.stages, cdk8s: s10.build, pulumi: (s) => s10p.program(s as s10s.Stage) },
  { name: 's10-bookinfo-ingress', stages: s10is.stages, cdk8s: s10i.build, pulumi: () => s10ip.program() },
  { name: 's10-bookinfo-security', stages: s10secs.stages, cdk8s: s10sec.build, pulumi: () => s10secp.program() },
  { name: 's11-egress-gateway', stages: s11s.stages, cdk8s: s11.build, pulumi: (s) => s11p.program(s as s11s.Stage) },
  { name: 's12-cheat-sheet-routing', stages: s12s.stages, cdk8s: s12.build, pulumi: (s) => s12p.program(s as s12s.Stage) },
  { name: 's12-cheat-sheet-security', stages: s12secs.stages, cdk8s: s12sec.build, pulumi: () => s12secp.program() },
  { name: 's13-wordpress-canary', stages: s13s.stages, cdk8s: s13.build, pulumi: () => s13p.program() },
  { name: 'ambient-waypoint', stages: aws.stages, cdk8s: aw.build, pulumi: () => awp.program() },
  // On the Kubernetes Gateway API (the program's default routing target), and ambient mode.
  { name: 's10-gateway-api', stages: gwapi10s.stages, cdk8s: gwapi10.build, pulumi: (s) => gwapi10p.program(s as gwapi10s.Stage) },
  { name: 's1-tcp-route', stages: gwapi1s.stages, cdk8s: gwapi1.build, pulumi: () => gwapi1p.program() },
  { name: 's10-ambient', stages: ambient10s.stages, cdk8s: ambient10.build, pulumi: () => ambient10p.program() },
  // Installations (Istio's own charts from ../shared/istio/charts, rendered with a real helm).
  { name: 's10-istio-install', stages: i10s.stages, cdk8s: i10.build, pulumi: () => i10p.program(), installsIstio: true },
  { name: 's8-observability-addons', stages: i8s.stages, cdk8s: i8.build, pulumi: () => i8p.program(), installsIstio: true },
  { name: 's11-installation-gateways', stages: i11s.stages, cdk8s: i11.build, pulumi: () => i11p.program(), installsIstio: true },
  { name: 's3-s6-mesh-settings', stages: i36s.stages, cdk8s: i36.build, pulumi: () => i36p.program(), installsIstio: true },
  { name: 's1-installation-tcp-ingress', stages: i1s.stages, cdk8s: i1.build, pulumi: () => i1p.program(), installsIstio: true },
  { name: 'ambient-installation', stages: ambients.stages, cdk8s: ambient.build, pulumi: () => ambientp.program(), installsIstio: true },
  { name: 'canary-upgrade', stages: canarys.stages, cdk8s: canary.build, pulumi: (s) => canaryp.program(s as canarys.Stage), installsIstio: true },
];
