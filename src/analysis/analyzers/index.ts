/**
 * Every analyzer, in the order they run: Istio's (named as `istioctl analyze` names them) and the
 * library's own (`library.*`). @internal
 */
import { Analyzer } from '../types';
import { ambientAnalyzers } from './ambient';
import { authnAnalyzers } from './authn';
import { authzAnalyzers } from './authz';
import { destinationruleAnalyzers } from './destinationrule';
import { egressAnalyzers } from './egress';
import { envoyfilterAnalyzers } from './envoyfilter';
import { gatewayAnalyzers } from './gateway';
import { gatewayApiAnalyzers } from './gateway-api';
import { k8sGatewayAnalyzers } from './k8sgateway';
import { kubernetesAnalyzers } from './kubernetes';
import { libraryAnalyzers } from './library';
import { schemaAnalyzers } from './schema';
import { serviceentryAnalyzers } from './serviceentry';
import { sidecarAnalyzers } from './sidecar';
import { telemetryAnalyzers } from './telemetry';
import { virtualserviceAnalyzers } from './virtualservice';

/** Every analyzer, including the opt-in ones. */
export const ALL_ANALYZERS: readonly Analyzer[] = [
  ...kubernetesAnalyzers,
  ...authnAnalyzers,
  ...authzAnalyzers,
  ...destinationruleAnalyzers,
  ...envoyfilterAnalyzers,
  ...gatewayAnalyzers,
  ...k8sGatewayAnalyzers,
  ...schemaAnalyzers,
  ...serviceentryAnalyzers,
  ...sidecarAnalyzers,
  ...telemetryAnalyzers,
  ...virtualserviceAnalyzers,
  ...libraryAnalyzers,
  ...egressAnalyzers,
  ...gatewayApiAnalyzers,
  ...ambientAnalyzers,
];
