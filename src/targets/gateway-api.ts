/**
 * The Gateway API target: the one place that writes a routing pattern's traffic rules as
 * Kubernetes Gateway API objects. The patterns decide what traffic should do and build it as
 * Istio networking objects (the library's routing model); this translator turns those into
 * `Gateway` (class `istio`), `HTTPRoute`, `GRPCRoute`, `TCPRoute`, `TLSRoute`, `ReferenceGrant`
 * and one `Service` per version (the Gateway API has no subsets), and refuses, at the prop that
 * asked for it, whatever the Gateway API (or Istio's implementation of it) cannot express.
 *
 * Facts used (Istio `pilot/pkg/config/kube/gateway/conversion.go`, the Gateway API spec):
 * - Istio orders the rules of a route by match specificity (exact path, then the longest prefix,
 *   then regex; then method, header count, query count), not by list order, so an order the
 *   Istio API keeps may be changed: such routes are refused (`ROUTE_ORDER_NOT_EXPRESSIBLE`).
 * - A match without a path is `PathPrefix /` once the API server applies the CRD default.
 * - An Istio `prefix` URI match becomes `PathPrefix`, which matches whole path segments
 *   (`/static` takes `/static/app.css`, not `/staticfoo`), as Istio's own samples write it.
 * - A header `prefix` match becomes the regular expression Istio would match in full.
 * - `retry` adds connect-failure, refused-stream, unavailable and cancelled to the codes given.
 * - `timeouts.backendRequest` becomes the per-try timeout when there are retries.
 * - Listener TLS `options` `gateway.istio.io/tls-terminate-mode` (MUTUAL, OPTIONAL_MUTUAL,
 *   ISTIO_MUTUAL) and `gateway.istio.io/tls-cipher-suites`; no minimum TLS version.
 * - Istio does not implement `sessionPersistence` (istio/istio#55839).
 * - A Gateway with `addresses` of type Hostname naming an existing gateway Service uses that
 *   deployment (manual deployment); without addresses Istio deploys one (automated deployment).
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */
import { GATEWAY_API_GROUP } from '../core/ambient';
import { HTTP_TOKEN } from '../core/checks';
import { Duration } from '../core/duration';
import { Ctx, ErrorCode, show } from '../core/errors';
import { GATEWAY_NAME_LABEL } from '../core/gateway';
import { Manifest, metadata } from '../core/manifest';
import { EmittedObject, PatternOutput } from '../core/output';
import { IngressGateway, ServiceRef } from '../core/references';
import { GatewayApiChannel, ResolvedTarget, RoutingApi, compareVersion, showVersion } from '../core/target';


const V1 = `${GATEWAY_API_GROUP}/v1`;

/** Where the objects of a pattern came from in its props, so refusals name the prop. @internal */
export interface TranslationSources {
  /** The pattern name (the `istio-constructs/pattern` label). */
  readonly pattern: string;
  /** The prop context of `VirtualService.spec.http[i]` (a route, or the props for the default route). */
  readonly http?: (index: number) => Ctx;
  /** The prop context of `VirtualService.spec.tcp[i]`. */
  readonly tcp?: (index: number) => Ctx;
  /** The prop context of `VirtualService.spec.tls[i]`. */
  readonly tls?: (index: number) => Ctx;
  /** The prop context of the gateway binding or the Gateway's servers (`servers[i]` is appended when known). */
  readonly gateway?: Ctx;
  /** The prop context of `Gateway.spec.servers[i]`. */
  readonly server?: (index: number) => Ctx;
  /** The prop context of a server TLS field (`minProtocolVersion`, ...). @default - `server(i).tls.<field>` */
  readonly serverTls?: (field: string) => Ctx;
  /** The gateway workload the pattern bound to (manual deployment), if any. */
  readonly gatewayWorkload?: IngressGateway;
  /** The Service whose DestinationRule subsets become Services, with the prop context of `versions`. */
  readonly service?: ServiceRef;
  readonly versions?: Ctx;
  /** The prop contexts of props the Gateway API has no form for, by the DestinationRule field that carries them. */
  readonly destinationRule?: Ctx;
  /** The route port the pattern names when a destination carries none (the Service's only port). */
  readonly defaultPort?: number;
  /** The Istio protocol of the destination port: GRPC routes become GRPCRoutes. */
  readonly protocol?: string;
}

/** Why a prop is refused, and what to do instead. */
function refuse(ctx: Ctx, what: string, alternative: string): never {
  return ctx.fail(ErrorCode.TARGET_UNSUPPORTED, `${what} has no Gateway API form`, alternative);
}

const ON_ISTIO = "use the Istio API (target: { api: 'istio' })";

/** Requires a bundle version (and/or channel) for a feature. */
function requireBundle(ctx: Ctx, t: ResolvedTarget, min: readonly [number, number], what: string,
  experimentalFrom?: readonly [number, number], ignoredBelow = false): void {
  if (compareVersion(t.gatewayApiVersion, min) >= 0) return;
  if (experimentalFrom && t.gatewayApiChannel === GatewayApiChannel.EXPERIMENTAL && compareVersion(t.gatewayApiVersion, experimentalFrom) >= 0) return;
  ctx.fail(ErrorCode.GATEWAY_API_VERSION_TOO_OLD,
    `${what} needs Gateway API ${showVersion(min)}${experimentalFrom ? ` (or the experimental channel from ${showVersion(experimentalFrom)})` : ''}, and the target says ${showVersion(t.gatewayApiVersion)} ${t.gatewayApiChannel} is installed`
      + `${ignoredBelow ? ' (Istio ignores it below that version: istioctl IST0176)' : ''}`,
    `install Gateway API ${showVersion(min)} or later and set gatewayApiVersion, or ${ON_ISTIO}`);
}

/** A Kubernetes Service host `<name>.<namespace>.svc.<domain>`, split; undefined for other hosts. */
function serviceOfHost(host: string): { name: string; namespace: string } | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\./.exec(host);
  return m ? { name: m[1], namespace: m[3] } : undefined;
}

interface Backend { name: string; namespace: string; kind?: string; group?: string }

/** The state of one translation. */
class Translation {
  readonly objects: EmittedObject[] = [];
  /** subset name → version Service name, per DestinationRule host. */
  private readonly versionServices = new Map<string, Map<string, string>>();
  /** Istio Gateway `ns/name` → its listeners (for sectionName by port). */
  private readonly listeners = new Map<string, Array<{ name: string; port: number; protocol: string }>>();
  private readonly routeNamespaces = new Map<string, Set<string>>();
  private readonly grants = new Map<string, { namespace: string; from: Map<string, { group: string; kind: string; namespace: string }>; to: Map<string, { group: string; kind: string; name?: string }> }>();

  constructor(private readonly ctx: Ctx, private readonly target: ResolvedTarget, private readonly src: TranslationSources) {}

  run(output: PatternOutput): PatternOutput {
    const roles = new Map<string, string[]>();
    const add = (role: string, manifest: Manifest, from: string, dependsOn?: string[]) => {
      this.objects.push({ role, manifest, ...(dependsOn && dependsOn.length ? { dependsOn } : {}) });
      roles.set(from, [...(roles.get(from) ?? []), role]);
    };
    const pending: Array<() => void> = [];
    // The namespaces this output's own routes attach from, per Gateway: its listeners must admit them.
    for (const o of output.objects) {
      const m = o.manifest;
      if (m.kind !== 'VirtualService') continue;
      for (const g of (m.spec?.gateways ?? []) as string[]) {
        if (g === 'mesh') continue;
        const key = g.includes('/') ? g : `${m.metadata.namespace}/${g}`;
        this.routeNamespaces.set(key, new Set([...(this.routeNamespaces.get(key) ?? []), m.metadata.namespace!]));
      }
    }
    for (const o of output.objects) {
      const m = o.manifest;
      const dependsOn = () => (o.dependsOn ?? []).flatMap((r) => roles.get(r) ?? []);
      if (m.apiVersion === 'networking.istio.io/v1' && m.kind === 'DestinationRule') {
        this.destinationRule(m).forEach((s) => add(`version-service-${s.metadata.name}`, s, o.role));
      } else if (m.apiVersion === 'networking.istio.io/v1' && m.kind === 'Gateway') {
        const g = this.gateway(m);
        add(o.role, g.gateway, o.role, dependsOn());
        g.extra.forEach((x: Manifest, i: number) => add(`${o.role}-${x.kind.toLowerCase()}${i ? `-${i}` : ''}`, x, o.role, [o.role]));
      } else if (m.apiVersion === 'networking.istio.io/v1' && m.kind === 'VirtualService') {
        // Routes are translated after every Gateway of the output is known (sectionNames).
        pending.push(() => this.virtualService(m).forEach((r, _i, all) => add(all.length === 1 ? 'route' : `route-${r.metadata.name}`, r, o.role, dependsOn())));
      } else {
        add(o.role, m, o.role, dependsOn());
      }
    }
    pending.forEach((f) => f());
    [...this.grants.values()].forEach((g, i) => {
      const grant: Manifest = {
        apiVersion: `${GATEWAY_API_GROUP}/v1beta1`,
        kind: 'ReferenceGrant',
        metadata: metadata(`${this.owner()}-from-${[...g.from.values()].map((f) => f.namespace).sort().join('-')}`.slice(0, 63).replace(/-+$/, ''), g.namespace, this.src.pattern, this.owner()),
        spec: { from: [...g.from.values()], to: [...g.to.values()] },
      };
      this.objects.push({ role: `reference-grant${i ? `-${i}` : ''}`, manifest: grant });
    });
    return { objects: this.objects, ...(output.warnings?.length ? { warnings: output.warnings } : {}) };
  }

  private ownerName?: string;
  private owner(): string {
    return this.ownerName ?? 'route';
  }

  // -- DestinationRule → one Service per version ----------------------------------------------

  private destinationRule(dr: Manifest): Manifest[] {
    const spec = dr.spec ?? {};
    this.ownerName ??= dr.metadata.labels?.['istio-constructs/instance'] ?? dr.metadata.name;
    const c = this.src.destinationRule ?? this.ctx;
    for (const key of ['trafficPolicy', 'workloadSelector', 'exportTo'] as const) {
      if (spec[key] !== undefined) {
        refuse(c.at(key), `${key} (an Istio DestinationRule setting)`,
          `apply it with a ServiceTrafficPolicy on the Service${spec.subsets ? ' (or each version Service)' : ''}, or ${ON_ISTIO}`);
      }
    }
    const subsets: Array<{ name: string; labels: Record<string, string>; trafficPolicy?: unknown }> = spec.subsets ?? [];
    subsets.forEach((s, i) => {
      if (s.trafficPolicy !== undefined) {
        refuse((this.src.versions ?? c).at(i, 'trafficPolicy'), 'a version trafficPolicy (a DestinationRule subset setting)',
          `apply it with a ServiceTrafficPolicy on the version Service ${show(`${this.src.service?.name}-${s.name}`)}, or ${ON_ISTIO}`);
      }
    });
    if (subsets.length === 0) return [];
    const service = this.src.service;
    if (!service || serviceOfHost(spec.host)?.name !== service.name) {
      refuse(this.src.versions ?? c, 'versions of a host that is not a Kubernetes Service of this program', ON_ISTIO);
    }
    if (!service.selector) {
      (this.src.versions ?? c).fail(ErrorCode.TARGET_UNSUPPORTED,
        `the Gateway API has no subsets: each version becomes a Service selecting its pods, which needs the pod selector of Service ${service.namespace}/${service.name}`,
        'declare it: ServiceRef.fromName(name, { namespace, ports, selector: { app: name } })');
    }
    if (service.ports.length === 0) {
      (this.src.versions ?? c).fail(ErrorCode.TARGET_UNSUPPORTED,
        `each version becomes a Service with the ports of ${service.namespace}/${service.name}, and its ports are not known`,
        'declare them: ServiceRef.fromName(name, { namespace, ports: [{ port: 9080, protocol: Protocol.HTTP }] })');
    }
    const names = new Map<string, string>();
    this.versionServices.set(spec.host, names);
    return subsets.map((s, i) => {
      const name = `${service.name}-${s.name}`;
      if (name.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
        (this.src.versions ?? c).at(i, 'name').fail(ErrorCode.INVALID_NAME,
          `the version Service name ${show(name)} is not a valid Service name (a DNS-1035 label of at most 63 characters)`, 'use a shorter, lower-case version name');
      }
      names.set(s.name, name);
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata(name, service.namespace, this.src.pattern, this.owner()),
        spec: {
          ports: service.ports.map((p) => ({
            name: p.name,
            port: p.port,
            ...(p.protocol === 'UDP' ? { protocol: 'UDP' } : {}),
            targetPort: p.targetPort,
          })),
          selector: { ...service.selector, ...s.labels },
        },
      };
    });
  }

  // -- Istio Gateway → Gateway API Gateway ---------------------------------------------------

  private gateway(gw: Manifest): { gateway: Manifest; extra: Manifest[] } {
    const spec = gw.spec ?? {};
    const ns = gw.metadata.namespace!;
    this.ownerName ??= gw.metadata.labels?.['istio-constructs/instance'] ?? gw.metadata.name;
    const gc = this.src.gateway ?? this.ctx;
    const selector: Record<string, string> = spec.selector ?? {};
    const automated = Object.keys(selector).length === 1 && selector[GATEWAY_NAME_LABEL] === gw.metadata.name;
    let addresses: unknown[] | undefined;
    if (!automated) {
      const workload = this.src.gatewayWorkload;
      if (!workload?.serviceName) {
        gc.at('gateway').fail(ErrorCode.TARGET_UNSUPPORTED,
          'on the Gateway API a running gateway is used through its Service, and this workload names none',
          'give the IngressGateway its serviceName, or use IngressGateway.automated({ namespace })');
      }
      addresses = [{ type: 'Hostname', value: `${workload!.serviceName}.${workload!.namespace}.svc.cluster.local` }];
    }
    const listeners: any[] = [];
    const extra: Manifest[] = [];
    const used = new Set<string>();
    const known: Array<{ name: string; port: number; protocol: string }> = [];
    const redirects: Array<{ listener: string; host: string }> = [];
    (spec.servers ?? []).forEach((s: any, i: number) => {
      const sc = this.src.server ? this.src.server(i) : gc;
      const protocol: string = s.port.protocol;
      const tls = s.tls;
      const tlsAt = (field: string) => (this.src.serverTls ? this.src.serverTls(field) : sc.at('tls', field));
      let gwProtocol: string;
      let listenerTls: any;
      if (protocol === 'HTTP' || protocol === 'HTTP2' || protocol === 'GRPC') {
        gwProtocol = 'HTTP';
        if (tls && Object.keys(tls).some((k) => k !== 'httpsRedirect')) refuse(sc.at('tls'), 'TLS settings on a plain HTTP server', ON_ISTIO);
      } else if (protocol === 'HTTPS' || protocol === 'TLS') {
        const mode = tls?.mode ?? 'SIMPLE';
        if (mode === 'PASSTHROUGH') {
          gwProtocol = 'TLS';
          listenerTls = { mode: 'Passthrough' };
        } else if (mode === 'AUTO_PASSTHROUGH') {
          refuse(sc.at('tls', 'mode'), 'AUTO_PASSTHROUGH (multi-cluster east-west) TLS', ON_ISTIO);
        } else {
          gwProtocol = protocol === 'TLS' ? 'TLS' : 'HTTPS';
          const options: Record<string, string> = {};
          if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL' || mode === 'ISTIO_MUTUAL') options['gateway.istio.io/tls-terminate-mode'] = mode;
          if (tls?.cipherSuites) options['gateway.istio.io/tls-cipher-suites'] = tls.cipherSuites.join(',');
          if (tls?.minProtocolVersion && tls.minProtocolVersion !== 'TLSV1_2') {
            refuse(tlsAt('minProtocolVersion'), `a minimum TLS version of ${tls.minProtocolVersion} on a listener`,
              `set meshConfig.tlsDefaults.minProtocolVersion: ${tls.minProtocolVersion} in the IstioInstallation (it applies to every gateway), or ${ON_ISTIO}`);
          }
          for (const k of ['maxProtocolVersion', 'subjectAltNames', 'verifyCertificateSpki', 'verifyCertificateHash', 'caCrl', 'serverCertificate', 'privateKey', 'caCertificates']) {
            if (tls?.[k] !== undefined) refuse(tlsAt(k), `TLS ${k} on a listener`, ON_ISTIO);
          }
          const certificateRefs: any[] = [];
          const names: string[] = tls?.credentialNames ?? (tls?.credentialName !== undefined ? [tls.credentialName] : []);
          // Istio reads a Gateway's credentialName in the gateway workload's namespace; the Gateway API in the Gateway's, unless the reference names one.
          const secretNs = automated ? ns : (this.src.gatewayWorkload?.namespace ?? ns);
          for (const n of names) {
            certificateRefs.push({ group: '', kind: 'Secret', name: n, ...(secretNs !== ns ? { namespace: secretNs } : {}) });
            if (secretNs !== ns) this.grant(secretNs, { group: GATEWAY_API_GROUP, kind: 'Gateway', namespace: ns }, { group: '', kind: 'Secret', name: n });
          }
          if (mode !== 'ISTIO_MUTUAL' && certificateRefs.length === 0) {
            sc.at('tls', 'credentialName').fail(ErrorCode.TARGET_UNSUPPORTED, 'a terminating listener needs a certificate Secret', 'give the server a credentialName');
          }
          listenerTls = { mode: 'Terminate', ...(certificateRefs.length ? { certificateRefs } : {}), ...(Object.keys(options).length ? { options } : {}) };
        }
      } else if (protocol === 'TCP') {
        gwProtocol = 'TCP';
      } else {
        refuse(sc.at('protocol'), `a ${protocol} server`, ON_ISTIO);
      }
      const hosts: string[] = s.hosts ?? ['*'];
      const byHost = new Map<string, Set<string>>();
      for (const h of hosts) {
        const slash = h.indexOf('/');
        const hostNs = slash >= 0 ? h.slice(0, slash) : '';
        const host = slash >= 0 ? h.slice(slash + 1) : h;
        const set = byHost.get(host) ?? new Set<string>();
        set.add(hostNs === '.' || hostNs === '' ? ns : hostNs);
        byHost.set(host, set);
      }
      const hostList = gwProtocol === 'TCP' ? ['*'] : [...byHost.keys()];
      hostList.forEach((host, j) => {
        const base: string = (s.port.name ?? `${protocol.toLowerCase()}-${s.port.number}`).toLowerCase().replace(/[^a-z0-9-]/g, '-');
        let name = hostList.length > 1 ? `${base}-${j + 1}` : base;
        let n = 2;
        while (used.has(name)) name = `${base}-${n++}`;
        used.add(name);
        const allowed = [...new Set([...(byHost.get(host) ?? [ns]), ...(this.routeNamespaces.get(`${ns}/${gw.metadata.name}`) ?? [])])];
        const namespaces = allowed.includes('*') ? { from: 'All' }
          : allowed.length === 1 && allowed[0] === ns ? { from: 'Same' }
            : { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: allowed.sort() }] } };
        listeners.push({
          name,
          ...(host !== '*' && gwProtocol !== 'TCP' ? { hostname: host } : {}),
          port: s.port.number,
          protocol: gwProtocol,
          ...(listenerTls ? { tls: listenerTls } : {}),
          allowedRoutes: { namespaces, ...(gwProtocol === 'TCP' ? { kinds: [{ kind: 'TCPRoute' }] } : gwProtocol === 'TLS' && listenerTls?.mode === 'Passthrough' ? { kinds: [{ kind: 'TLSRoute' }] } : {}) },
        });
        known.push({ name, port: s.port.number, protocol: gwProtocol });
        if (tls?.httpsRedirect) redirects.push({ listener: name, host });
      });
    });
    if (redirects.length > 0) {
      // Istio's httpsRedirect answers 301 with the https scheme (port 443) for every request of the server.
      const hostnames = [...new Set(redirects.map((r) => r.host).filter((h) => h !== '*'))];
      extra.push({
        apiVersion: V1,
        kind: 'HTTPRoute',
        metadata: { ...gw.metadata, name: `${gw.metadata.name}-https-redirect`.slice(0, 253) },
        spec: {
          parentRefs: redirects.map((r) => ({ name: gw.metadata.name, sectionName: r.listener })),
          ...(hostnames.length && !redirects.some((r) => r.host === '*') ? { hostnames } : {}),
          rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      });
    }
    this.listeners.set(`${ns}/${gw.metadata.name}`, known);
    let infrastructure: any;
    const params = automated ? this.src.gatewayWorkload?.deploymentParameters : undefined;
    if (params && Object.keys(params).length > 0) {
      requireBundle(gc.at('gateway'), this.target, [1, 2], 'Gateway infrastructure (labels, annotations and parameters of an automated deployment)');
      infrastructure = {};
      if (params.labels) infrastructure.labels = { ...params.labels };
      if (params.annotations) infrastructure.annotations = { ...params.annotations };
      // Istio reads strategic-merge overlays per generated kind from a ConfigMap (gatewaycommon/deploymentcontroller.go).
      const data: Record<string, string> = {};
      if (params.replicas !== undefined) data.deployment = JSON.stringify({ spec: { replicas: params.replicas } });
      if (params.serviceType !== undefined) data.service = JSON.stringify({ spec: { type: params.serviceType } });
      if (params.autoscaling) {
        data.horizontalPodAutoscaler = JSON.stringify({ spec: { minReplicas: params.autoscaling.minReplicas, maxReplicas: params.autoscaling.maxReplicas } });
      }
      if (Object.keys(data).length > 0) {
        const name = `${gw.metadata.name}-parameters`.slice(0, 253);
        extra.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...gw.metadata, name }, data } as unknown as Manifest);
        infrastructure.parametersRef = { group: '', kind: 'ConfigMap', name };
      }
    }
    if (known.some((l) => l.protocol === 'TCP')) requireBundle(gc, this.target, [1, 6], 'a TCP listener (TCPRoute v1)', undefined, true);
    return {
      gateway: {
        apiVersion: V1,
        kind: 'Gateway',
        metadata: gw.metadata,
        spec: { gatewayClassName: 'istio', ...(addresses ? { addresses } : {}), ...(infrastructure ? { infrastructure } : {}), listeners },
      },
      extra,
    };
  }

  // -- VirtualService → routes ---------------------------------------------------------------

  private virtualService(vs: Manifest): Manifest[] {
    const spec = vs.spec ?? {};
    const ns = vs.metadata.namespace!;
    const name = vs.metadata.name;
    this.ownerName ??= vs.metadata.labels?.['istio-constructs/instance'] ?? name;
    const gateways: string[] = spec.gateways ?? ['mesh'];
    const mesh = gateways.includes('mesh');
    const gatewayRefs = gateways.filter((g) => g !== 'mesh').map((g) => {
      const [gns, gname] = g.includes('/') ? g.split('/') : [ns, g];
      return { namespace: gns, name: gname };
    });
    const hosts: string[] = spec.hosts ?? [];
    if (spec.exportTo !== undefined) refuse(this.ctx.at('exportTo'), 'exportTo', ON_ISTIO);
    if (spec.delegate !== undefined) refuse(this.ctx, 'delegation', ON_ISTIO);
    const out: Manifest[] = [];
    const both = mesh && gatewayRefs.length > 0;
    const meshService = mesh ? this.meshParent(hosts) : undefined;
    const gatewayHosts = hosts.filter((h) => !(mesh && meshService && h === meshService.fqdn));
    const kinds: Array<['http' | 'tcp' | 'tls', any[]]> = [['http', spec.http ?? []], ['tcp', spec.tcp ?? []], ['tls', spec.tls ?? []]];
    const used = kinds.filter(([, r]) => r.length > 0);
    for (const [kind, rules] of used) {
      const routeKind = kind === 'http' ? (this.src.protocol === 'GRPC' ? 'GRPCRoute' : 'HTTPRoute') : kind === 'tcp' ? 'TCPRoute' : 'TLSRoute';
      if (routeKind === 'TCPRoute') requireBundle(this.ctx, this.target, [1, 6], 'a TCPRoute', undefined, true);
      if (routeKind === 'TLSRoute') requireBundle(this.ctx, this.target, [1, 5], 'a TLSRoute', undefined, true);
      const suffix = used.length > 1 ? `-${kind}` : '';
      if (gatewayRefs.length > 0) {
        const parentRefs = gatewayRefs.flatMap((g) => this.gatewayParents(g, ns, kind, rules));
        out.push(this.route(routeKind, `${name}${suffix}`, ns, vs, parentRefs, kind === 'tcp' || gatewayHosts.includes('*') ? [] : gatewayHosts, kind, rules));
      }
      if (mesh) {
        const port = this.meshPort(kind, rules);
        const parentRefs = [{ group: '', kind: 'Service', name: meshService!.name, ...(meshService!.namespace !== ns ? { namespace: meshService!.namespace } : {}), ...(port ? { port } : {}) }];
        out.push(this.route(routeKind, `${name}${both ? '-mesh' : ''}${suffix}`, ns, vs, parentRefs, [], kind, rules));
      }
    }
    return out;
  }

  /** The Service a mesh route attaches to (GAMMA): the one Kubernetes Service host of the route. */
  private meshParent(hosts: string[]): { name: string; namespace: string; fqdn: string } {
    const services = hosts.map((h) => ({ h, s: serviceOfHost(h) })).filter((x) => x.s);
    if (services.length !== 1) {
      refuse(this.ctx.at('hosts'), `a mesh route for ${services.length ? 'several Services' : `a host outside the cluster (${hosts.join(', ')})`} (GAMMA routes attach to one Service)`,
        services.length ? 'write one route per Service' : ON_ISTIO);
    }
    return { ...services[0].s!, fqdn: services[0].h };
  }

  private meshPort(kind: string, rules: any[]): number | undefined {
    // An HTTP route to one Service port applies to that port (Istio's samples attach with it).
    if (kind === 'http') return this.src.defaultPort;
    const ports = new Set<number>(rules.flatMap((r: any) => (r.match ?? []).map((m: any) => m.port).filter((p: any) => p !== undefined)));
    return ports.size === 1 ? [...ports][0] : undefined;
  }

  /** The parentRefs of a route on an Istio Gateway: by listener (sectionName) where the port decides it. */
  private gatewayParents(g: { namespace: string; name: string }, routeNs: string, kind: string, rules: any[]): any[] {
    const ref = { name: g.name, ...(g.namespace !== routeNs ? { namespace: g.namespace } : {}) };
    if (kind === 'http') return [ref];
    const ports = [...new Set<number>(rules.flatMap((r: any) => (r.match ?? []).map((m: any) => m.port).filter((p: any) => p !== undefined)))];
    if (ports.length === 0) return [ref];
    const listeners = this.listeners.get(`${g.namespace}/${g.name}`);
    return ports.flatMap((port): any[] => {
      const ls = listeners?.filter((l) => l.port === port && l.protocol === (kind === 'tcp' ? 'TCP' : 'TLS'));
      if (ls && ls.length > 0) return ls.map((l) => ({ ...ref, sectionName: l.name }));
      return [{ ...ref, port }];
    });
  }

  private route(routeKind: string, name: string, ns: string, vs: Manifest, parentRefs: any[], hostnames: string[], kind: 'http' | 'tcp' | 'tls', rules: any[]): Manifest {
    const at = (i: number) => (kind === 'http' ? this.src.http : kind === 'tcp' ? this.src.tcp : this.src.tls)?.(i) ?? this.ctx.at(kind, i);
    let out: any[];
    if (kind === 'http') {
      out = rules.map((r, i) => (routeKind === 'GRPCRoute' ? this.grpcRule(at(i), r, ns) : this.httpRule(at(i), r, ns, routeKind)));
      if (routeKind === 'HTTPRoute') checkOrder(rules.map((r, i) => ({ ctx: at(i), rule: out[i], istio: r })));
    } else {
      out = rules.map((r, i) => this.l4Rule(at(i), r, ns, routeKind));
    }
    if (kind === 'tls') {
      const sni = [...new Set<string>(rules.flatMap((r: any) => (r.match ?? []).flatMap((m: any) => m.sniHosts ?? [])))];
      hostnames = sni.filter((h) => h !== '*');
    }
    // Every route kind is served as v1 by the bundles the target accepts for it (TCPRoute v1.6+, TLSRoute v1.5+).
    return {
      apiVersion: V1,
      kind: routeKind,
      metadata: { ...vs.metadata, name },
      spec: { parentRefs, ...(hostnames.length ? { hostnames } : {}), rules: out },
    };
  }

  private backend(c: Ctx, dest: any, routeNs: string, routeKind: string): any {
    const host: string = dest.host;
    const svc = serviceOfHost(host);
    let ref: any;
    if (svc) {
      const subset: string | undefined = dest.subset;
      let name = svc.name;
      if (subset !== undefined) {
        const mapped = this.versionServices.get(host)?.get(subset);
        if (!mapped) refuse(c, `a route to subset ${show(subset)} of a DestinationRule outside this construct`, ON_ISTIO);
        name = mapped;
      }
      ref = { name, ...(svc.namespace !== routeNs ? { namespace: svc.namespace } : {}) };
      if (svc.namespace !== routeNs) this.grant(svc.namespace, { group: GATEWAY_API_GROUP, kind: routeKind, namespace: routeNs }, { group: '', kind: 'Service', name });
    } else {
      // A host of a ServiceEntry: Istio's own backend kind `Hostname`.
      ref = { group: 'networking.istio.io', kind: 'Hostname', name: host };
    }
    const port = dest.port?.number ?? this.src.defaultPort;
    if (port === undefined) {
      c.fail(ErrorCode.TARGET_UNSUPPORTED, `a Gateway API backend needs a port, and the route to ${host} names none`,
        'give the port (the Service port routes go to)');
    }
    return { ...ref, port };
  }

  private backends(c: Ctx, route: any[] | undefined, routeNs: string, routeKind: string): any[] {
    const list = route ?? [];
    return list.map((d: any) => {
      if (d.headers !== undefined) refuse(c.at('headers'), 'header changes per destination', 'set the headers on the route');
      const b = this.backend(c, d.destination, routeNs, routeKind);
      return list.length > 1 || (d.weight !== undefined && d.weight !== 100) ? { ...b, weight: d.weight ?? 1 } : b;
    });
  }

  private httpRule(c: Ctx, r: any, ns: string, routeKind: string): any {
    for (const [key, prop] of [['fault', 'fault'], ['directResponse', 'directResponse'], ['delegate', 'delegate']] as const) {
      if (r[key] !== undefined) {
        refuse(c.at(prop), key === 'fault' ? 'fault injection' : key === 'directResponse' ? 'a direct response' : 'delegation',
          key === 'fault' ? `inject faults with a CanaryService or HttpRoute on the Istio API; ${ON_ISTIO}` : ON_ISTIO);
      }
    }
    if (r.mirrors !== undefined) refuse(c.at('mirror'), 'several mirrors', 'mirror to one version');
    const matches = (r.match ?? []).map((m: any, j: number) => this.httpMatch(c.at('match', j), m, c));
    const filters: any[] = [];
    if (r.headers?.request) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: headerModifier(c.at('headers', 'request'), r.headers.request) });
    if (r.headers?.response) filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: headerModifier(c.at('headers', 'response'), r.headers.response) });
    if (r.mirror) {
      const percent = r.mirrorPercentage?.value;
      let share: any = {};
      if (percent !== undefined && percent !== 100) {
        share = Number.isInteger(percent) ? { percent } : { fraction: fraction(percent) };
      }
      filters.push({ type: 'RequestMirror', requestMirror: { backendRef: this.backend(c.at('mirror'), r.mirror, ns, routeKind), ...share } });
    }
    if (r.rewrite) filters.push({ type: 'URLRewrite', urlRewrite: this.rewrite(c.at('rewrite'), r.rewrite, r.match ?? []) });
    if (r.redirect) filters.push({ type: 'RequestRedirect', requestRedirect: this.redirect(c.at('redirect'), r.redirect) });
    if (r.corsPolicy) {
      requireBundle(c.at('cors'), this.target, [1, 99], 'the CORS filter', [1, 2]);
      filters.push({ type: 'CORS', cors: cors(c.at('cors'), r.corsPolicy) });
    }
    const out: any = {};
    if (r.name !== undefined) out.name = r.name;
    if (matches.length) out.matches = matches;
    if (filters.length) out.filters = filters;
    if (!r.redirect) out.backendRefs = this.backends(c, r.route, ns, routeKind);
    const timeouts: any = {};
    if (r.timeout !== undefined) timeouts.request = gatewayApiDuration(c.at('timeout'), r.timeout);
    if (r.retries !== undefined) {
      const retry = this.retry(c.at('retries'), r.retries);
      if (retry) out.retry = retry;
      if (r.retries.perTryTimeout !== undefined) timeouts.backendRequest = gatewayApiDuration(c.at('retries', 'perTryTimeout'), r.retries.perTryTimeout);
      if (r.retries.retryRemoteLocalities !== undefined) refuse(c.at('retries', 'retryRemoteLocalities'), 'retryRemoteLocalities', ON_ISTIO);
    }
    if (r.timeout !== undefined && r.retries?.perTryTimeout !== undefined && durationMs(r.retries.perTryTimeout) > durationMs(r.timeout)) {
      c.at('retries', 'perTryTimeout').fail(ErrorCode.TARGET_UNSUPPORTED, 'the Gateway API refuses a per-try timeout longer than the request timeout',
        'make perTryTimeout at most the timeout');
    }
    if (Object.keys(timeouts).length) out.timeouts = timeouts;
    return out;
  }

  private retry(c: Ctx, r: any): any {
    requireBundle(c, this.target, [1, 7], 'HTTPRoute retry', [1, 2]);
    if (r.attempts === 0) return { attempts: 0 };
    // Istio adds connect-failure, refused-stream, unavailable and cancelled to every Gateway API retry.
    const implicit = new Set(['connect-failure', 'refused-stream', 'unavailable', 'cancelled']);
    const codes = new Set<number>();
    const conditions: string[] = r.retryOn !== undefined ? String(r.retryOn).split(',') : ['503'];
    conditions.forEach((cond, i) => {
      if (implicit.has(cond)) return;
      if (/^[1-5][0-9][0-9]$/.test(cond)) codes.add(Number(cond));
      else if (cond === 'gateway-error') [502, 503, 504].forEach((x) => codes.add(x));
      else if (cond === 'retriable-status-codes') codes.add(503);
      else {
        refuse(c.at('retryOn', i), `the retry condition ${show(cond)}`,
          'retry on HTTP status codes (e.g. "503"), gateway-error, or connection failures (connect-failure, refused-stream, unavailable, cancelled, which Istio always retries on the Gateway API)');
      }
    });
    return { attempts: r.attempts, ...(codes.size ? { codes: [...codes].sort((a, b) => a - b) } : {}) };
  }

  private httpMatch(c: Ctx, m: any, rule: Ctx): any {
    const out: any = {};
    for (const key of ['sourceLabels', 'sourceNamespace', 'port', 'gateways', 'ignoreUriCase', 'authority', 'scheme', 'withoutHeaders', 'statPrefix']) {
      if (m[key] !== undefined) {
        const prop = key === 'gateways' ? 'appliesTo' : key;
        refuse(key === 'gateways' ? rule.at(prop) : c.at(prop), key === 'sourceLabels' ? 'matching on the caller\'s labels (sourceLabels)' : `matching on ${key}`,
          key === 'sourceLabels' ? `authorize callers with an AuthorizationPolicy, or ${ON_ISTIO}` : key === 'gateways' ? 'write one route per gateway' : ON_ISTIO);
      }
    }
    if (m.uri) {
      const [type, value] = Object.entries(m.uri)[0] as [string, string];
      if (type === 'prefix' && !value.startsWith('/')) refuse(c.at('uri'), `a path prefix without a leading "/" (${show(value)})`, 'start the prefix with "/"');
      out.path = { type: type === 'exact' ? 'Exact' : type === 'prefix' ? 'PathPrefix' : 'RegularExpression', value };
    }
    const headers: any[] = [];
    for (const [name, match] of Object.entries<any>(m.headers ?? {})) {
      const [type, value] = Object.entries(match)[0] as [string, string];
      if (name === 'cookie') {
        refuse(c.at('cookie'), 'matching on a cookie (a regex over the Cookie header)',
          `route by a request header the client sets instead, or ${ON_ISTIO}`);
      }
      headers.push({ name, ...stringMatch(type, value) });
    }
    if (headers.length) out.headers = headers;
    const query: any[] = [];
    for (const [name, match] of Object.entries<any>(m.queryParams ?? {})) {
      const [type, value] = Object.entries(match)[0] as [string, string];
      query.push({ name, ...stringMatch(type, value) });
    }
    if (query.length) out.queryParams = query;
    if (m.method) {
      const [type, value] = Object.entries(m.method)[0] as [string, string];
      if (type !== 'exact') refuse(c.at('method'), `a ${type} match on the method`, 'match one method exactly (a match per method)');
      out.method = value;
    }
    return out;
  }

  private grpcRule(c: Ctx, r: any, ns: string): any {
    for (const key of ['fault', 'directResponse', 'redirect', 'rewrite', 'corsPolicy', 'timeout', 'retries']) {
      if (r[key] !== undefined) refuse(c.at(key === 'corsPolicy' ? 'cors' : key), `${key} on a gRPC route (GRPCRoute has no such field)`, ON_ISTIO);
    }
    const matches = (r.match ?? []).map((m: any, j: number) => {
      const mc = c.at('match', j);
      const out: any = {};
      const http = this.httpMatch(mc, { ...m, uri: undefined, method: undefined }, c);
      if (m.method) refuse(mc.at('method'), 'an HTTP method match on a gRPC route', 'match the gRPC service and method with uri');
      if (m.uri) {
        const [type, value] = Object.entries(m.uri)[0] as [string, string];
        const exact = /^\/([^/]+)\/([^/]+)$/.exec(value);
        const prefix = /^\/([^/]+)\/$/.exec(value);
        if (type === 'exact' && exact) out.method = { type: 'Exact', service: exact[1], method: exact[2] };
        else if (type === 'prefix' && prefix) out.method = { type: 'Exact', service: prefix[1] };
        else refuse(mc.at('uri'), `the path match ${show(value)} on a gRPC route`, 'match "/<package.Service>/<Method>" exactly, or the prefix "/<package.Service>/"');
      }
      if (http.headers) out.headers = http.headers;
      if (http.queryParams) refuse(mc.at('queryParams'), 'query parameters on a gRPC route', ON_ISTIO);
      return out;
    });
    const filters: any[] = [];
    if (r.headers?.request) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: headerModifier(c.at('headers', 'request'), r.headers.request) });
    if (r.headers?.response) filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: headerModifier(c.at('headers', 'response'), r.headers.response) });
    if (r.mirror) {
      if (r.mirrorPercentage !== undefined && r.mirrorPercentage.value !== 100) refuse(c.at('mirror', 'percentage'), 'a mirror percentage on a gRPC route', 'mirror every request, or ' + ON_ISTIO);
      filters.push({ type: 'RequestMirror', requestMirror: { backendRef: this.backend(c.at('mirror'), r.mirror, ns, 'GRPCRoute') } });
    }
    return {
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(matches.length ? { matches } : {}),
      ...(filters.length ? { filters } : {}),
      backendRefs: this.backends(c, r.route, ns, 'GRPCRoute'),
    };
  }

  private l4Rule(c: Ctx, r: any, ns: string, routeKind: string): any {
    for (const [j, m] of (r.match ?? []).entries()) {
      for (const key of ['sourceLabels', 'sourceNamespace', 'destinationSubnets', 'sourceSubnet']) {
        if (m[key] !== undefined) {
          refuse(c.at(key === 'sourceLabels' ? 'sourceLabels' : `match[${j}].${key}`), key === 'sourceLabels' ? 'matching on the caller\'s labels (sourceLabels)' : `matching on ${key}`,
            `authorize callers with an AuthorizationPolicy, or ${ON_ISTIO}`);
        }
      }
    }
    if ((r.match ?? []).length > 1) refuse(c.at('match'), 'several L4 matches in one route', 'write one route per port');
    return { backendRefs: this.backends(c, r.route, ns, routeKind) };
  }

  private rewrite(c: Ctx, rw: any, matches: any[]): any {
    if (rw.uriRegexRewrite !== undefined) refuse(c.at('uriRegexRewrite'), 'a regular-expression rewrite', `rewrite the prefix or the whole path, or ${ON_ISTIO}`);
    const out: any = {};
    if (rw.authority !== undefined) {
      if (rw.authority.includes(':')) refuse(c.at('authority'), 'an authority rewrite with a port', 'rewrite the host name only');
      out.hostname = rw.authority;
    }
    if (rw.uri !== undefined) {
      const types = new Set(matches.map((m) => (m.uri ? Object.keys(m.uri)[0] : 'none')));
      if (matches.length > 0 && types.size === 1 && types.has('prefix')) {
        out.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: rw.uri };
      } else if (matches.length > 0 && types.size === 1 && types.has('exact')) {
        out.path = { type: 'ReplaceFullPath', replaceFullPath: rw.uri };
      } else {
        refuse(c.at('uri'), 'a path rewrite on a rule whose matches are not all path prefixes or all exact paths',
          'give the rule path matches of one kind (prefixes, or exact paths), or ' + ON_ISTIO);
      }
    }
    return out;
  }

  private redirect(c: Ctx, rd: any): any {
    const out: any = {};
    if (rd.scheme !== undefined) out.scheme = rd.scheme;
    if (rd.authority !== undefined) {
      const m = /^(.*?)(?::(\d+))?$/.exec(rd.authority)!;
      out.hostname = m[1];
      if (m[2] !== undefined) out.port = Number(m[2]);
    }
    if (rd.uri !== undefined) out.path = { type: 'ReplaceFullPath', replaceFullPath: rd.uri };
    if (rd.port !== undefined) out.port = rd.port;
    if (rd.derivePort !== undefined) refuse(c.at('derivePort'), 'derivePort', ON_ISTIO);
    const code = rd.redirectCode ?? 301;
    if (code !== 301 && code !== 302) {
      requireBundle(c.at('redirectCode'), this.target, [1, 99], `the redirect code ${code}`, [1, 3]);
    }
    out.statusCode = code;
    return out;
  }

  private grant(namespace: string, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; name?: string }): void {
    let g = this.grants.get(namespace);
    if (!g) this.grants.set(namespace, g = { namespace, from: new Map(), to: new Map() });
    g.from.set(`${from.kind}/${from.namespace}`, from);
    g.to.set(`${to.kind}/${to.name ?? ''}`, to);
  }
}

function stringMatch(type: string, value: string): { type: string; value: string } {
  if (type === 'exact') return { type: 'Exact', value };
  if (type === 'regex') return { type: 'RegularExpression', value };
  // A prefix as the regular expression Istio matches in full.
  return { type: 'RegularExpression', value: `${value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}.*` };
}

/** The header values the Gateway API admits (HTTPHeader.value): printable, no leading or trailing space, not empty. */
const GATEWAY_API_HEADER_VALUE = /^[!-~]+([\t ]?[!-~]+)*$/;

function headerModifier(c: Ctx, h: { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] }): any {
  const checkName = (op: string, name: string) => {
    // The Gateway API's HTTPHeaderName is an HTTP token: no pseudo-headers.
    if (!HTTP_TOKEN.test(name)) {
      c.at(op, name).fail(ErrorCode.TARGET_UNSUPPORTED, `the header name ${show(name)} is not one the Gateway API admits (no pseudo-headers)`,
        `use a plain header name, or ${ON_ISTIO}`);
    }
  };
  (h.remove ?? []).forEach((n) => checkName('remove', n));
  const list = (op: string, m?: Record<string, string>) => (m ? Object.entries(m).map(([name, value]) => {
    checkName(op, name);
    if (!GATEWAY_API_HEADER_VALUE.test(value) || value.length > 4096) {
      c.at(op, name).fail(ErrorCode.TARGET_UNSUPPORTED, `the header value ${show(value)} is not one the Gateway API admits (printable characters, no leading or trailing space, not empty, at most 4096)`,
        `give a non-empty printable value, remove the header instead of setting it empty, or ${ON_ISTIO}`);
    }
    return { name, value };
  }) : undefined);
  return Object.fromEntries(Object.entries({ set: list('set', h.set), add: list('add', h.add), remove: h.remove }).filter(([, v]) => v !== undefined && v.length > 0));
}

/** A percentage with decimals as a fraction (numerator/denominator integers). */
function fraction(percent: number): { numerator: number; denominator: number } {
  let denominator = 100;
  let numerator = percent;
  while (!Number.isInteger(numerator) && denominator < 1e9) {
    numerator *= 10;
    denominator *= 10;
    numerator = Math.round(numerator * 1e6) / 1e6;
  }
  return { numerator: Math.round(numerator), denominator };
}

function cors(c: Ctx, p: any): any {
  const allowOrigins = (p.allowOrigins ?? []).map((o: any, i: number) => {
    const [type, value] = Object.entries(o)[0] as [string, string];
    if (type !== 'exact') refuse(c.at('allowOrigins', i), `a ${type} origin match`, 'list exact origins (the Gateway API also takes "https://*.example.com")');
    return value;
  });
  const maxAge = p.maxAge !== undefined ? Math.round(durationMs(p.maxAge) / 1000) : undefined;
  return Object.fromEntries(Object.entries({
    allowOrigins, allowMethods: p.allowMethods, allowHeaders: p.allowHeaders, exposeHeaders: p.exposeHeaders, maxAge, allowCredentials: p.allowCredentials,
  }).filter(([, v]) => v !== undefined));
}

/**
 * An Istio duration as the Gateway API writes one (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): `1.5s` is
 * `1s500ms`, `100000s` is `27h46m40s`.
 */
function gatewayApiDuration(c: Ctx, d: string): string {
  let ms = Math.round(durationMs(d));
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(ms / size);
    ms -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  if (parts.length === 0) return '0s';
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(parts.join(''))) {
    c.fail(ErrorCode.TARGET_UNSUPPORTED, `the duration ${d} is longer than the Gateway API can write (99999h)`, 'give a shorter duration');
  }
  return parts.join('');
}

/** Milliseconds of a duration the pattern rendered (`1.5s`, `250ms`, `1h2m`). */
function durationMs(d: string): number {
  return Duration.parse(d).toMilliseconds();
}

// -- Rule order ---------------------------------------------------------------------------------

interface OrderedMatch { rule: number; index: number; path: { type: string; value: string }; method?: string; headers: any[]; query: any[] }

/**
 * Istio's order of Gateway API matches (`sortHTTPRoutes`): exact path, then prefix, then regex;
 * longer paths first; a method before none; more headers, then more query parameters first; the
 * list order last. Negative when `a` is tried before `b`.
 */
function precedence(a: OrderedMatch, b: OrderedMatch): number {
  const rank = (m: OrderedMatch) => (m.path.type === 'Exact' ? 3 : m.path.type === 'PathPrefix' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(b) - rank(a);
  if (a.path.value.length !== b.path.value.length) return b.path.value.length - a.path.value.length;
  if ((a.method === undefined) !== (b.method === undefined)) return a.method !== undefined ? -1 : 1;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  if (a.query.length !== b.query.length) return b.query.length - a.query.length;
  return 0;
}

/** Whether some request could match both (conservative: true unless provably disjoint). */
function mayOverlap(a: OrderedMatch, b: OrderedMatch): boolean {
  const pathSet = (m: OrderedMatch) => m.path;
  const pa = pathSet(a);
  const pb = pathSet(b);
  const prefixCovers = (prefix: string, path: string) => prefix === '/' || path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  if (pa.type === 'Exact' && pb.type === 'Exact' && pa.value !== pb.value) return false;
  if (pa.type === 'Exact' && pb.type === 'PathPrefix' && !prefixCovers(pb.value, pa.value)) return false;
  if (pb.type === 'Exact' && pa.type === 'PathPrefix' && !prefixCovers(pa.value, pb.value)) return false;
  if (pa.type === 'PathPrefix' && pb.type === 'PathPrefix' && !prefixCovers(pa.value, pb.value) && !prefixCovers(pb.value, pa.value)) return false;
  if (a.method !== undefined && b.method !== undefined && a.method !== b.method) return false;
  for (const h of a.headers) {
    const o = b.headers.find((x) => x.name.toLowerCase() === h.name.toLowerCase());
    if (o && h.type === 'Exact' && o.type === 'Exact' && h.value !== o.value) return false;
  }
  for (const q of a.query) {
    const o = b.query.find((x) => x.name === q.name);
    if (o && q.type === 'Exact' && o.type === 'Exact' && q.value !== o.value) return false;
  }
  return true;
}

/**
 * Refuses rules whose first-match outcome the Gateway API would change: Istio sorts the matches of
 * a route by specificity, so a later, more specific match that overlaps an earlier one of another
 * rule would now be tried first.
 */
function checkOrder(rules: Array<{ ctx: Ctx; rule: any; istio: any }>): void {
  const flat: OrderedMatch[] = [];
  rules.forEach((r, i) => {
    const matches: any[] = r.rule.matches ?? [{}];
    matches.forEach((m, j) => flat.push({
      rule: i, index: j, path: m.path ?? { type: 'PathPrefix', value: '/' }, method: m.method, headers: m.headers ?? [], query: m.queryParams ?? [],
    }));
  });
  for (let x = 0; x < flat.length; x++) {
    for (let y = x + 1; y < flat.length; y++) {
      const a = flat[x];
      const b = flat[y];
      if (a.rule === b.rule || precedence(b, a) >= 0 || !mayOverlap(a, b)) continue;
      if (sameAction(rules[a.rule].rule, rules[b.rule].rule)) continue;
      const c = rules[b.rule].ctx;
      c.at('match', b.index).fail(ErrorCode.ROUTE_ORDER_NOT_EXPRESSIBLE,
        `on the Gateway API this match would be tried before an earlier rule's match that can take the same requests (Istio orders Gateway API matches by specificity: exact path, longest prefix, method, header count, query count), so requests would go elsewhere than the listed order says`,
        'put the more specific rule first, or make the rules\' matches disjoint (different paths, or different values of the same header)');
    }
  }
}

function sameAction(a: any, b: any): boolean {
  const strip = (r: any) => JSON.stringify({ ...r, matches: undefined, name: undefined });
  return strip(a) === strip(b);
}

/**
 * Writes a pattern's output for its target: unchanged for the Istio API, translated for the
 * Gateway API. The one call a routing pattern makes at its end. @internal
 */
export function renderForTarget<T extends PatternOutput>(ctx: Ctx, target: ResolvedTarget, output: T, sources: TranslationSources): T | PatternOutput {
  if (target.api === RoutingApi.ISTIO) return output;
  return new Translation(ctx, target, sources).run(output);
}
