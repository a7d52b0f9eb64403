/**
 * Istio's validating-webhook rules (istiod's `rev.validation.istio.io` webhook, the checks
 * `istioctl validate` runs and `istioctl analyze` reports as IST0106), for every Istio kind the
 * library knows. The API server's own checks (the CRD schema and its CEL rules) are separate: see
 * `validateManifest`.
 *
 * Each kind has one file in this folder; `common.ts` holds the shared building blocks. The rules
 * paraphrase Istio's `pkg/config/validation` (each names the Go function it follows).
 *
 * @see https://istio.io/latest/docs/reference/config/
 */
import { Manifest } from '../manifest';
import { ValidationIssue } from '../validation';
import { checkAuthorizationPolicy } from './authorization-policy';
import { Reporter, WebhookResult, checkMetadata, isObject } from './common';
import { checkDestinationRule } from './destination-rule';
import { checkEnvoyFilter } from './envoy-filter';
import { checkGateway } from './gateway';
import { checkPeerAuthentication } from './peer-authentication';
import { checkProxyConfig } from './proxy-config';
import { checkRequestAuthentication } from './request-authentication';
import { checkServiceEntry } from './service-entry';
import { checkSidecar } from './sidecar';
import { checkTelemetry } from './telemetry';
import { checkVirtualService } from './virtual-service';
import { checkTrafficExtension, checkWasmPlugin } from './wasm-plugin';
import { checkWorkloadEntrySpec } from './workload-entry';
import { checkWorkloadGroup } from './workload-group';

/** The checks of each Istio kind, keyed `group/Kind`. The spec reporter is at `spec`. */
const KINDS: Record<string, (spec: Reporter, spec_: Record<string, any>, m: Manifest, root: Reporter) => void> = {
  'networking.istio.io/VirtualService': (r, s) => checkVirtualService(r, s),
  'networking.istio.io/DestinationRule': (r, s) => checkDestinationRule(r, s),
  'networking.istio.io/Gateway': (_r, s, m, root) => checkGateway(root, m.metadata?.name, s),
  'networking.istio.io/ServiceEntry': (r, s, m) => checkServiceEntry(r, s, labelsOf(m)),
  'networking.istio.io/Sidecar': (r, s) => checkSidecar(r, s),
  'networking.istio.io/EnvoyFilter': (r, s) => checkEnvoyFilter(r, s),
  'networking.istio.io/WorkloadEntry': (r, s) => checkWorkloadEntrySpec(r, s, { allowFqdn: true }),
  'networking.istio.io/WorkloadGroup': (r, s) => checkWorkloadGroup(r, s),
  'networking.istio.io/ProxyConfig': (r, s) => checkProxyConfig(r, s),
  'security.istio.io/PeerAuthentication': (r, s) => checkPeerAuthentication(r, s),
  'security.istio.io/RequestAuthentication': (r, s) => checkRequestAuthentication(r, s),
  'security.istio.io/AuthorizationPolicy': (r, s) => checkAuthorizationPolicy(r, s),
  'telemetry.istio.io/Telemetry': (r, s) => checkTelemetry(r, s),
  'extensions.istio.io/WasmPlugin': (r, s) => checkWasmPlugin(r, s),
  'extensions.istio.io/TrafficExtension': (r, s) => checkTrafficExtension(r, s),
};

function labelsOf(m: Manifest): Record<string, string> {
  return isObject(m.metadata?.labels) ? (m.metadata.labels as Record<string, string>) : {};
}

/**
 * Runs Istio's validating-webhook rules on one object.
 *
 * Objects that are not Istio kinds (Kubernetes core kinds, Gateway API kinds) get no issues.
 * A missing `spec` is read as an empty one (as istiod reads it); whether `spec` is required is
 * the schema's rule.
 *
 * @param manifest the object, as plain JSON (what the API server receives)
 * @returns `errors`: problems for which istiod refuses the object; `warnings`: problems for which
 *   it accepts the object and warns (`kubectl` prints them). Field paths read like
 *   `spec.http[0].fault.abort.httpStatus`. Never throws on a malformed object.
 * @see https://istio.io/latest/docs/reference/config/
 * @see https://istio.io/latest/docs/reference/config/analysis/ist0106/
 */
export function webhookIssues(manifest: Manifest): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const result: WebhookResult = { errors: [], warnings: [] };
  if (!isObject(manifest) || typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') return result;
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.slice(0, manifest.apiVersion.indexOf('/')) : '';
  const check = KINDS[`${group}/${manifest.kind}`];
  if (!check) return result;
  const ns = typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : '';
  const id = `${manifest.kind} ${ns ? ns + '/' : ''}${manifest.metadata?.name}`;
  const root = new Reporter(id, ns, result);
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  checkMetadata(root, manifest.kind, manifest.metadata, spec);
  check(root.at('spec'), spec, manifest, root);
  return result;
}
