/**
 * The message types the analyzer reports: Istio's own (`IST` codes, with the names and levels
 * `istioctl analyze` uses) and the library's (`ICA` codes) for problems Istio does not check.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */

/** How serious a diagnostic is, as `istioctl analyze` grades it. */
export type DiagnosticLevel = 'Error' | 'Warning' | 'Info';

/** One message type: its stable code and level. */
export interface MessageType {
  readonly code: string;
  /** The level it is reported at (ICA0004 is raised to Error where requests fail). */
  readonly level: DiagnosticLevel;
}

/** Istio's analysis message types, by name (codes and levels as `istioctl analyze` reports them). */
export const IstioMessages = {
  InternalError: { code: 'IST0001', level: 'Error' },
  Deprecated: { code: 'IST0002', level: 'Warning' },
  ReferencedResourceNotFound: { code: 'IST0101', level: 'Error' },
  NamespaceNotInjected: { code: 'IST0102', level: 'Info' },
  PodMissingProxy: { code: 'IST0103', level: 'Warning' },
  SchemaValidationError: { code: 'IST0106', level: 'Error' },
  MisplacedAnnotation: { code: 'IST0107', level: 'Warning' },
  UnknownAnnotation: { code: 'IST0108', level: 'Warning' },
  ConflictingMeshGatewayVirtualServiceHosts: { code: 'IST0109', level: 'Error' },
  ConflictingSidecarWorkloadSelectors: { code: 'IST0110', level: 'Error' },
  MultipleSidecarsWithoutWorkloadSelectors: { code: 'IST0111', level: 'Error' },
  VirtualServiceDestinationPortSelectorRequired: { code: 'IST0112', level: 'Error' },
  DeploymentAssociatedToMultipleServices: { code: 'IST0116', level: 'Warning' },
  PortNameIsNotUnderNamingConvention: { code: 'IST0118', level: 'Info' },
  NamespaceMultipleInjectionLabels: { code: 'IST0123', level: 'Warning' },
  InvalidAnnotation: { code: 'IST0125', level: 'Warning' },
  UnknownMeshNetworksServiceRegistry: { code: 'IST0126', level: 'Error' },
  NoMatchingWorkloadsFound: { code: 'IST0127', level: 'Warning' },
  NoServerCertificateVerificationDestinationLevel: { code: 'IST0128', level: 'Warning' },
  NoServerCertificateVerificationPortLevel: { code: 'IST0129', level: 'Warning' },
  VirtualServiceUnreachableRule: { code: 'IST0130', level: 'Warning' },
  VirtualServiceIneffectiveMatch: { code: 'IST0131', level: 'Info' },
  VirtualServiceHostNotFoundInGateway: { code: 'IST0132', level: 'Warning' },
  SchemaWarning: { code: 'IST0133', level: 'Warning' },
  ServiceEntryAddressesRequired: { code: 'IST0134', level: 'Warning' },
  DeprecatedAnnotation: { code: 'IST0135', level: 'Info' },
  AlphaAnnotation: { code: 'IST0136', level: 'Info' },
  DeploymentConflictingPorts: { code: 'IST0137', level: 'Warning' },
  GatewayDuplicateCertificate: { code: 'IST0138', level: 'Warning' },
  InvalidWebhook: { code: 'IST0139', level: 'Error' },
  IngressRouteRulesNotAffected: { code: 'IST0140', level: 'Warning' },
  InsufficientPermissions: { code: 'IST0141', level: 'Error' },
  UnsupportedKubernetesVersion: { code: 'IST0142', level: 'Error' },
  LocalhostListener: { code: 'IST0143', level: 'Error' },
  InvalidApplicationUID: { code: 'IST0144', level: 'Warning' },
  ConflictingGateways: { code: 'IST0145', level: 'Error' },
  ImageAutoWithoutInjectionWarning: { code: 'IST0146', level: 'Warning' },
  ImageAutoWithoutInjectionError: { code: 'IST0147', level: 'Error' },
  NamespaceInjectionEnabledByDefault: { code: 'IST0148', level: 'Info' },
  JwtClaimBasedRoutingWithoutRequestAuthN: { code: 'IST0149', level: 'Error' },
  ExternalNameServiceTypeInvalidPortName: { code: 'IST0150', level: 'Warning' },
  EnvoyFilterUsesRelativeOperation: { code: 'IST0151', level: 'Warning' },
  EnvoyFilterUsesReplaceOperationIncorrectly: { code: 'IST0152', level: 'Error' },
  EnvoyFilterUsesAddOperationIncorrectly: { code: 'IST0153', level: 'Error' },
  EnvoyFilterUsesRemoveOperationIncorrectly: { code: 'IST0154', level: 'Error' },
  EnvoyFilterUsesRelativeOperationWithProxyVersion: { code: 'IST0155', level: 'Warning' },
  UnsupportedGatewayAPIVersion: { code: 'IST0156', level: 'Error' },
  FutureUnsupportedGatewayAPIVersion: { code: 'IST0172', level: 'Warning' },
  InvalidTelemetryProvider: { code: 'IST0157', level: 'Warning' },
  PodsIstioProxyImageMismatchInNamespace: { code: 'IST0158', level: 'Warning' },
  ConflictingTelemetryWorkloadSelectors: { code: 'IST0159', level: 'Error' },
  MultipleTelemetriesWithoutWorkloadSelectors: { code: 'IST0160', level: 'Error' },
  InvalidGatewayCredential: { code: 'IST0161', level: 'Error' },
  GatewayPortNotDefinedOnService: { code: 'IST0162', level: 'Warning' },
  InvalidExternalControlPlaneConfig: { code: 'IST0163', level: 'Warning' },
  ExternalControlPlaneAddressIsNotAHostname: { code: 'IST0164', level: 'Info' },
  ReferencedInternalGateway: { code: 'IST0165', level: 'Warning' },
  IneffectiveSelector: { code: 'IST0166', level: 'Warning' },
  IneffectivePolicy: { code: 'IST0167', level: 'Warning' },
  UnknownUpgradeCompatibility: { code: 'IST0168', level: 'Warning' },
  UpdateIncompatibility: { code: 'IST0169', level: 'Warning' },
  MultiClusterInconsistentService: { code: 'IST0170', level: 'Warning' },
  NegativeConditionStatus: { code: 'IST0171', level: 'Warning' },
  DestinationRuleSubsetNotSelectPods: { code: 'IST0173', level: 'Error' },
  UnknownDestinationRuleHost: { code: 'IST0174', level: 'Warning' },
  JwksUriFetchUnrestricted: { code: 'IST0175', level: 'Warning' },
  GatewayAPICRDVersionBelowMinimum: { code: 'IST0176', level: 'Warning' },
  ConflictingServiceEntryProtocol: { code: 'IST0177', level: 'Warning' },
} as const satisfies Record<string, MessageType>;

/**
 * The library's own message types, for problems that fail silently and that Istio's analyzers do
 * not report (code prefix `ICA`).
 */
export const LibraryMessages = {
  /** A DestinationRule sends plain text (tls.mode DISABLE) to a namespace whose PeerAuthentication is STRICT. */
  MtlsModeConflict: { code: 'ICA0001', level: 'Error' },
  /** Two DestinationRules (visible to each other) for one host: Istio merges them, and only the first trafficPolicy applies. */
  DuplicateDestinationRuleHost: { code: 'ICA0002', level: 'Warning' },
  /** A DestinationRule subset selects none of the workloads the program declares for its host. */
  SubsetSelectsNoDeclaredWorkload: { code: 'ICA0003', level: 'Warning' },
  /**
   * A route sends traffic to an external host the program names on purpose (`ExternalHost.fromName`)
   * that no ServiceEntry declares: Istio builds no cluster for it. Warning where the route is
   * simply not applied (requests leave through the passthrough cluster while the outbound traffic
   * policy is ALLOW_ANY); Error where requests fail (REGISTRY_ONLY, gateway routes, HTTP routes).
   */
  ExternalHostNotDeclared: { code: 'ICA0004', level: 'Warning' },
  /** A DestinationRule originates TLS (SIMPLE/MUTUAL) on a ServiceEntry port whose protocol is HTTPS or TLS: the application's TLS is wrapped in a second TLS session. */
  DoubleTlsOrigination: { code: 'ICA0005', level: 'Error' },
  /** A gateway routes to a ServiceEntry host with `resolution: NONE`: the gateway's original destination is itself, so requests fail or loop. */
  GatewayToPassthroughHost: { code: 'ICA0006', level: 'Error' },
  /**
   * A Gateway API route's parentRef names a Gateway (or ListenerSet) of the program, but no listener
   * takes the route: its sectionName or port names no listener, or the listeners' allowedRoutes
   * refuse the route's namespace or kind, or their protocol does not carry that kind (the route's
   * `Accepted` condition is False: NoMatchingParent, NotAllowedByListeners). Warning for a route
   * with no parentRefs at all.
   */
  RouteNotAttached: { code: 'ICA0007', level: 'Error' },
  /** No hostname of a Gateway API route intersects the hostname of the listeners it names (NoMatchingListenerHostname): the route does not attach. */
  RouteHostnameNotOnListener: { code: 'ICA0008', level: 'Error' },
  /**
   * A Gateway API route refers to a backend (or a Gateway to a certificate Secret) in another
   * namespace, and no ReferenceGrant there allows it (`ResolvedRefs` False: RefNotPermitted): Istio
   * drops the backend (requests to its share fail with 500) or the listener.
   */
  ReferenceNotPermitted: { code: 'ICA0009', level: 'Error' },
} as const satisfies Record<string, MessageType>;

/** Every message type the analyzer can report, by name. */
export const Messages = { ...IstioMessages, ...LibraryMessages } as const;

/** The name of a message type (`ReferencedResourceNotFound`, `MtlsModeConflict`, ...). */
export type MessageName = keyof typeof Messages;
