/**
 * AuthorizationPolicy: who may do what to a workload (ALLOW / DENY / AUDIT / CUSTOM), plus the
 * `allow-nothing` default-deny policy. Principals come from typed ServiceAccountRefs; `when` keys
 * are checked against the attributes Istio knows.
 *
 * Ambient mode: a policy that selects workloads (`selector`, or none: the namespace) is enforced
 * by ztunnel, which sees connections, not HTTP; a policy with `targetRefs` is enforced by a
 * waypoint, which sees everything. `dataplaneMode: AMBIENT` tells the builder the selected
 * workloads are ambient, so that a rule ztunnel would enforce differently from what it says is
 * refused (see `DataplaneMode`).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/ambient/usage/l7-features/
 */
import type { AuthorizationPolicySpec } from '../generated/istio-types';
import { DataplaneMode, PolicyTargetRef } from '../core/ambient';
import { checkCidr, checkHost, checkLabelName, checkPort } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { HTTP_METHODS } from '../core/http';
import { ServiceAccountRef, renderPrincipal, renderSelector } from '../core/identity';
import { Manifest, compact, metadata } from '../core/manifest';
import { PortNumber } from '../core/ports';
import { PatternOutput, PatternWarning, WarningCode } from '../core/output';
import { checkProps, propsCtx } from '../core/props';

/** What a policy does with the requests its rules match. */
export enum AuthorizationAction {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
  AUDIT = 'AUDIT',
  CUSTOM = 'CUSTOM',
}

/** Where a request comes from; all set fields must match. */
export interface AuthorizationSource {
  /** Peer identities (mTLS): ServiceAccountRefs or SPIFFE strings. */
  readonly principals?: Array<ServiceAccountRef | string>;
  readonly notPrincipals?: Array<ServiceAccountRef | string>;
  /** Namespaces of the peer (mTLS). */
  readonly namespaces?: string[];
  readonly notNamespaces?: string[];
  /** Source IPs or CIDR blocks (the peer address of the connection). */
  readonly ipBlocks?: string[];
  readonly notIpBlocks?: string[];
  /**
   * Original client IPs or CIDR blocks, as the gateway determines them from `X-Forwarded-For`
   * (with `numTrustedProxies`) or the PROXY protocol.
   * @default - any
   */
  readonly remoteIpBlocks?: string[];
  /** Original client IPs or CIDR blocks that must not match. @default - none */
  readonly notRemoteIpBlocks?: string[];
  /** JWT identities `<iss>/<sub>` (`*` for any authenticated request). */
  readonly requestPrincipals?: string[];
  readonly notRequestPrincipals?: string[];
}

/** What a request does; all set fields must match. */
export interface AuthorizationOperation {
  /** HTTP methods (upper case). */
  readonly methods?: string[];
  readonly notMethods?: string[];
  /** Paths: exact, `prefix*`, `*suffix`, or templates with `{*}` / `{**}`. */
  readonly paths?: string[];
  readonly notPaths?: string[];
  /** Destination ports. */
  readonly ports?: PortNumber[];
  readonly notPorts?: PortNumber[];
  /** Host headers. */
  readonly hosts?: string[];
  readonly notHosts?: string[];
}

/** An extra condition on a request attribute. */
export interface AuthorizationCondition {
  /** A known attribute, e.g. `request.auth.claims[iss]`, `source.ip`, `request.headers[x-token]`. */
  readonly key: string;
  readonly values?: string[];
  readonly notValues?: string[];
}

/** One rule: matches when any `from`, any `to` and every `when` match. */
export interface AuthorizationRule {
  readonly from?: AuthorizationSource[];
  readonly to?: AuthorizationOperation[];
  readonly when?: AuthorizationCondition[];
}

/** Props of an AuthorizationPolicy. */
export interface AuthorizationPolicyProps {
  /** The policy name. */
  readonly name: string;
  /** The namespace (the root namespace makes it mesh-wide). */
  readonly namespace: string;
  /**
   * Pod labels of the workloads it applies to. Not with `targetRefs` (Istio refuses both).
   * @default - every workload of the namespace (unless `targetRefs`)
   */
  readonly selector?: Record<string, string>;
  /**
   * What the policy attaches to instead of selecting workloads (ambient mode): a waypoint
   * (`PolicyTargetRef.waypoint(waypoint.ref)`: every request through it), or a Service or
   * ServiceEntry (`PolicyTargetRef.service(ref)`, `.serviceEntry(host)`: requests to it, at the
   * waypoint it uses). The waypoint enforces every field, HTTP ones included. At most 16, each in
   * the policy's namespace (Istio attaches no policy across namespaces). Sidecars ignore such a
   * policy.
   * @default - none: `selector`
   * @see https://istio.io/latest/docs/ambient/usage/l7-features/#targeting-policies-or-routing-rules
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * The data plane of the workloads a selector-based policy protects. With `AMBIENT` (and no
   * `targetRefs`) ztunnel enforces the policy, so HTTP fields and the CUSTOM and AUDIT actions are
   * refused: give `targetRefs` to enforce them at a waypoint.
   * @default DataplaneMode.SIDECAR; DataplaneMode.AMBIENT with `targetRefs`
   */
  readonly dataplaneMode?: DataplaneMode;
  /** @default AuthorizationAction.ALLOW */
  readonly action?: AuthorizationAction;
  /** The external authorizer (CUSTOM only), as named in the mesh config's extensionProviders. */
  readonly provider?: string;
  /**
   * The rules. An ALLOW policy without rules allows nothing (default deny).
   * @default - none
   */
  readonly rules?: AuthorizationRule[];
}

/** What `buildAuthorizationPolicy` returns. */
export interface AuthorizationPolicyOutput extends PatternOutput {
  readonly authorizationPolicy: Manifest;
}

const WHEN_KEYS = [
  /^request\.headers\[[^\]]+\]$/, /^source\.ip$/, /^remote\.ip$/, /^source\.namespace$/, /^source\.serviceAccount$/,
  /^source\.principal$/, /^source\.trustDomain$/, /^request\.auth\.principal$/, /^request\.auth\.audiences$/,
  /^request\.auth\.presenter$/, /^request\.auth\.claims\[[^\]]+\](\[[^\]]+\])*$/, /^destination\.ip$/, /^destination\.port$/,
  /^connection\.sni$/, /^experimental\.envoy\.filters\.[\w.]+\[[^\]]+\]$/,
];

type Rule = NonNullable<AuthorizationPolicySpec['rules']>[number];

/**
 * The value rule of a `when` key, as Istio's webhook checks it: IPs or CIDR blocks for `source.ip`,
 * `remote.ip` and `destination.ip`; port numbers (decimal strings, 1-65535) for `destination.port`;
 * `name` or `namespace/name` (no `*`, at most 320 characters) for `source.serviceAccount`; at most
 * one `*`, only at the start or end, and no `/` for `source.trustDomain`.
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 */
function whenValueCheck(key: string): ((x: Ctx, v: string) => unknown) | undefined {
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') return checkCidr;
  if (key === 'destination.port') {
    return (x: Ctx, v: string) => {
      if (!/^[1-9][0-9]{0,4}$/.test(v) || Number(v) > 65535) {
        x.fail(ErrorCode.PORT_OUT_OF_RANGE, `${show(v)} is not a port number`, 'give the port as a decimal string from "1" to "65535", e.g. "8080"');
      }
    };
  }
  if (key === 'source.serviceAccount') {
    return (x: Ctx, v: string) => {
      const parts = v.split('/');
      if (v.includes('*') || parts.length > 2 || parts.some((p) => p === '') || v.length > 320) {
        x.fail(ErrorCode.INVALID_PRINCIPAL, `service account ${show(v)} is not "name" or "namespace/name"`,
          'give a service account name, or namespace/name (e.g. "prod/reviews"), without "*", at most 320 characters');
      }
    };
  }
  if (key === 'source.trustDomain') {
    return (x: Ctx, v: string) => {
      const stars = v.split('*').length - 1;
      if (v.includes('/') || stars > 1 || (stars === 1 && v !== '*' && !v.startsWith('*') && !v.endsWith('*'))) {
        x.fail(ErrorCode.INVALID_PRINCIPAL, `trust domain ${show(v)} is invalid`, 'give a trust domain such as "cluster.local", with at most one "*" at its start or end and no "/"');
      }
    };
  }
  return undefined;
}

/**
 * A list field of a rule: undefined stays undefined; an empty list (which Istio reads as an unset
 * field, leaving an empty source or operation it refuses) is refused.
 */
function nonEmpty<T>(ctx: Ctx, list: readonly T[] | undefined): readonly T[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length === 0) ctx.fail(ErrorCode.INVALID_AUTHORIZATION, 'the list is empty', 'list at least one value, or leave the field out');
  return list;
}

/** Most values a `source.serviceAccount` condition may list (Istio's webhook refuses more). */
const MAX_SERVICE_ACCOUNTS = 16;

/** Renders and validates authorization rules. @internal */
export function renderRules(ctx: Ctx, rules: readonly AuthorizationRule[], action: AuthorizationAction): Rule[] {
  return rules.map((r, i) => {
    const c = ctx.at(i);
    const strings = (cc: Ctx, list: string[] | undefined, check?: (x: Ctx, v: string) => unknown) => {
      if (nonEmpty(cc, list) === undefined) return undefined;
      return list!.map((v, j) => {
        if (typeof v !== 'string' || v === '') cc.at(j).fail(ErrorCode.INVALID_AUTHORIZATION, `${show(v)} is empty or not a string`, 'give non-empty strings');
        check?.(cc.at(j), v);
        return v;
      });
    };
    const from = r.from?.map((f, j) => {
      const s = ctx.at(i, 'from', j);
      const source = compact({
        principals: nonEmpty(s.at('principals'), f.principals)?.map((p, k) => renderPrincipal(s.at('principals', k), p)),
        notPrincipals: nonEmpty(s.at('notPrincipals'), f.notPrincipals)?.map((p, k) => renderPrincipal(s.at('notPrincipals', k), p)),
        namespaces: strings(s.at('namespaces'), f.namespaces),
        notNamespaces: strings(s.at('notNamespaces'), f.notNamespaces),
        ipBlocks: strings(s.at('ipBlocks'), f.ipBlocks, checkCidr),
        notIpBlocks: strings(s.at('notIpBlocks'), f.notIpBlocks, checkCidr),
        remoteIpBlocks: strings(s.at('remoteIpBlocks'), f.remoteIpBlocks, checkCidr),
        notRemoteIpBlocks: strings(s.at('notRemoteIpBlocks'), f.notRemoteIpBlocks, checkCidr),
        requestPrincipals: strings(s.at('requestPrincipals'), f.requestPrincipals),
        notRequestPrincipals: strings(s.at('notRequestPrincipals'), f.notRequestPrincipals),
      });
      if (Object.keys(source).length === 0) s.fail(ErrorCode.INVALID_AUTHORIZATION, 'the source sets nothing', 'set principals, namespaces, ipBlocks or requestPrincipals, or leave this entry out');
      if (action === AuthorizationAction.CUSTOM && (source.principals || source.notPrincipals || source.namespaces || source.notNamespaces || source.requestPrincipals || source.notRequestPrincipals)) {
        s.fail(ErrorCode.INVALID_AUTHORIZATION, 'a CUSTOM policy cannot match identities', 'match on ipBlocks or operations; let the external authorizer check identities');
      }
      return { source };
    });
    const method = (x: Ctx, v: string) => (HTTP_METHODS.includes(v) ? v : x.fail(ErrorCode.INVALID_METHOD, `${show(v)} is not an HTTP method`, `use one of ${HTTP_METHODS.join(', ')}`));
    const path = (x: Ctx, v: string) => {
      if (!/[{}]/.test(v)) return v;
      const segments = v.split('/');
      segments.forEach((seg, k) => {
        if (/[{}]/.test(seg) && seg !== '{*}' && !(seg === '{**}' && k === segments.length - 1)) {
          x.fail(ErrorCode.INVALID_AUTHORIZATION, `path template ${show(v)} is invalid`, 'use {*} or {**} as whole segments, {**} only last');
        }
      });
      return v;
    };
    // A Host header may carry a port: `example.com:8080` or `example.com:*`.
    const host = (x: Ctx, v: string) => checkHost(x, v.replace(/:(\d{1,5}|\*)$/, ''));
    const ports = (x: Ctx, list: number[] | undefined) => nonEmpty(x, list)?.map((p, k) => String(checkPort(x.at(k), p)));
    const to = r.to?.map((t, j) => {
      const o = ctx.at(i, 'to', j);
      const operation = compact({
        methods: strings(o.at('methods'), t.methods, method),
        notMethods: strings(o.at('notMethods'), t.notMethods, method),
        paths: strings(o.at('paths'), t.paths, path),
        notPaths: strings(o.at('notPaths'), t.notPaths, path),
        ports: ports(o.at('ports'), t.ports),
        notPorts: ports(o.at('notPorts'), t.notPorts),
        hosts: strings(o.at('hosts'), t.hosts, host),
        notHosts: strings(o.at('notHosts'), t.notHosts, host),
      });
      if (Object.keys(operation).length === 0) o.fail(ErrorCode.INVALID_AUTHORIZATION, 'the operation sets nothing', 'set methods, paths, ports or hosts, or leave this entry out');
      return { operation };
    });
    const when = r.when?.map((w, j) => {
      const x = ctx.at(i, 'when', j);
      if (typeof w.key !== 'string' || !WHEN_KEYS.some((re) => re.test(w.key))) {
        x.at('key').fail(ErrorCode.UNKNOWN_WHEN_KEY, `${show(w.key)} is not an attribute Istio authorizes on`,
          'use e.g. request.auth.claims[iss], request.headers[name], source.ip, source.namespace, source.principal, destination.port, connection.sni');
      }
      if (action === AuthorizationAction.CUSTOM && /^(source\.(namespace|serviceAccount|trustDomain|principal)|request\.auth\.)/.test(w.key)) {
        x.at('key').fail(ErrorCode.INVALID_AUTHORIZATION, `a CUSTOM policy cannot use ${w.key}`, 'let the external authorizer check identities');
      }
      if (!w.values && !w.notValues) x.fail(ErrorCode.INVALID_AUTHORIZATION, 'the condition has neither values nor notValues', 'give values or notValues');
      const check = whenValueCheck(w.key);
      for (const field of ['values', 'notValues'] as const) {
        if (w.key === 'source.serviceAccount' && Array.isArray(w[field]) && w[field]!.length > MAX_SERVICE_ACCOUNTS) {
          x.at(field).fail(ErrorCode.INVALID_AUTHORIZATION, `${w[field]!.length} service accounts are listed; Istio allows at most ${MAX_SERVICE_ACCOUNTS}`,
            'split the condition over several rules');
        }
      }
      return compact({ key: w.key, values: strings(x.at('values'), w.values, check), notValues: strings(x.at('notValues'), w.notValues, check) });
    });
    if (from?.length === 0 || to?.length === 0) c.fail(ErrorCode.INVALID_AUTHORIZATION, 'from or to is present but empty', 'leave it out to match any source or operation');
    return compact({ from, to, when });
  });
}

/**
 * Builds an AuthorizationPolicy. Pure.
 * @throws IstioConstructError INVALID_PRINCIPAL, UNKNOWN_WHEN_KEY, INVALID_AUTHORIZATION, INVALID_METHOD,
 *   INVALID_CIDR, INVALID_HOST, PORT_OUT_OF_RANGE, INVALID_NAME, INVALID_LABEL; CONFLICTING_PROPS for
 *   `targetRefs` with `selector`, a target in another namespace, or with `dataplaneMode: SIDECAR`;
 *   AMBIENT_UNSUPPORTED for an ambient policy without `targetRefs` that ztunnel cannot enforce as
 *   written (HTTP fields, CUSTOM or AUDIT).
 */
export function buildAuthorizationPolicy(props: AuthorizationPolicyProps): AuthorizationPolicyOutput {
  checkProps(propsCtx('AuthorizationPolicy', props, 'name'), 'AuthorizationPolicyProps', props);
  const ctx = new Ctx(`AuthorizationPolicy ${show(props.name)}`);
  checkLabelName(ctx.at('name'), props.name, 'name');
  checkLabelName(ctx.at('namespace'), props.namespace, 'namespace');
  const action = props.action ?? AuthorizationAction.ALLOW;
  if (!Object.values(AuthorizationAction).includes(action)) {
    ctx.at('action').fail(ErrorCode.INVALID_AUTHORIZATION, `${show(action)} is not an action`, 'use ALLOW, DENY, AUDIT or CUSTOM');
  }
  if (action === AuthorizationAction.CUSTOM && !props.provider) {
    ctx.at('provider').fail(ErrorCode.INVALID_AUTHORIZATION, 'a CUSTOM policy needs a provider', 'name the extension provider of the mesh config');
  }
  if (action !== AuthorizationAction.CUSTOM && props.provider !== undefined) {
    ctx.at('provider').fail(ErrorCode.INVALID_AUTHORIZATION, 'provider is only for CUSTOM policies', 'set action: CUSTOM, or remove provider');
  }
  if ((action === AuthorizationAction.DENY || action === AuthorizationAction.CUSTOM) && !props.rules?.length) {
    ctx.at('rules').fail(ErrorCode.INVALID_AUTHORIZATION, `a ${action} policy without rules matches nothing`, 'add rules (an empty rule {} matches every request)');
  }
  const targetRefs = props.targetRefs !== undefined ? renderTargetRefs(ctx, props) : undefined;
  const rules = props.rules?.length ? renderRules(ctx.at('rules'), props.rules, action) : undefined;
  if (targetRefs === undefined && props.dataplaneMode === DataplaneMode.AMBIENT) checkZtunnelEnforceable(ctx, action, rules ?? []);
  const spec = compact({
    selector: props.selector ? renderSelector(ctx.at('selector'), props.selector) : undefined,
    targetRefs,
    action: props.rules?.length || action !== AuthorizationAction.ALLOW ? action : undefined,
    provider: props.provider ? { name: props.provider } : undefined,
    rules,
  });
  const authorizationPolicy: Manifest = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: metadata(props.name, props.namespace, 'authorization-policy', props.name),
    spec,
  };
  const warnings = action === AuthorizationAction.DENY ? httpOnlyDenyWarnings((spec.rules ?? []) as Rule[]) : [];
  return { objects: [{ role: 'authorization-policy', manifest: authorizationPolicy }], authorizationPolicy, ...(warnings.length ? { warnings } : {}) };
}

/** Most `targetRefs` a policy may have (the CRD's limit). */
const MAX_TARGET_REFS = 16;

/** Checks and renders `targetRefs` (policy enforced at waypoints). */
function renderTargetRefs(ctx: Ctx, props: AuthorizationPolicyProps): Array<{ group: string; kind: string; name: string }> {
  const c = ctx.at('targetRefs');
  const refs = props.targetRefs!;
  if (refs.length === 0) c.fail(ErrorCode.INVALID_AUTHORIZATION, 'targetRefs is empty', 'list the waypoints, Services or ServiceEntries the policy attaches to, or leave targetRefs out');
  if (refs.length > MAX_TARGET_REFS) c.fail(ErrorCode.INVALID_AUTHORIZATION, `${refs.length} targetRefs are given; Istio allows at most ${MAX_TARGET_REFS}`, 'split the policy');
  if (props.selector !== undefined) {
    c.fail(ErrorCode.CONFLICTING_PROPS, 'a policy attaches either to workloads (selector) or to targets (targetRefs); Istio refuses both',
      'remove selector (targetRefs is enforced at waypoints), or remove targetRefs');
  }
  if (props.dataplaneMode === DataplaneMode.SIDECAR) {
    c.fail(ErrorCode.CONFLICTING_PROPS, 'sidecars never apply a policy with targetRefs: Istio attaches it to waypoints (and Gateway API gateways) only',
      'select the workloads with selector for sidecars, or set dataplaneMode: DataplaneMode.AMBIENT');
  }
  const seen = new Set<string>();
  return refs.map((t, i) => {
    if (t.namespace !== props.namespace) {
      c.at(i).fail(ErrorCode.CONFLICTING_PROPS, `${t} is in namespace ${t.namespace}, the policy in ${props.namespace}: Istio attaches a policy only to targets of its own namespace`,
        `create the policy in namespace ${t.namespace}`);
    }
    const key = String(t);
    if (seen.has(key)) c.at(i).fail(ErrorCode.INVALID_AUTHORIZATION, `${key} is listed twice`, 'list each target once');
    seen.add(key);
    return { group: t.group, kind: t.kind, name: t.name };
  });
}

/** The `when` keys ztunnel evaluates (Go: `l4WhenAttributes`); any other key is HTTP for it. */
const ZTUNNEL_WHEN_KEYS: ReadonlySet<string> = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);
/** The source and operation fields ztunnel cannot evaluate (Go: `httpSources`, `httpOperations`). */
const ZTUNNEL_HTTP_SOURCE = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];
const ZTUNNEL_HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/**
 * Refuses what ztunnel would enforce differently from what the policy says (Istio's
 * `convertAuthorizationPolicy` in pilot/pkg/serviceregistry/ambient/authorization.go): it only
 * runs ALLOW and DENY (a CUSTOM or AUDIT policy is not applied at all), and it cannot see HTTP. In
 * an ALLOW rule with an HTTP field Istio drops the whole rule, so the requests it should allow are
 * denied; in a DENY rule it drops the HTTP fields and denies on what remains (every connection the
 * other conditions match, or none when nothing remains). Istio admits such a policy with only a
 * status warning; here it is refused, naming the waypoint alternative.
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
 */
function checkZtunnelEnforceable(ctx: Ctx, action: AuthorizationAction, rules: readonly Rule[]): void {
  const atWaypoint = 'enforce it at a waypoint: targetRefs: [PolicyTargetRef.waypoint(ref)] or [PolicyTargetRef.service(ref)], in that namespace';
  if (action === AuthorizationAction.CUSTOM || action === AuthorizationAction.AUDIT) {
    ctx.at('action').fail(ErrorCode.AMBIENT_UNSUPPORTED, `ztunnel enforces this selector-based policy and does not support the ${action} action: Istio would not apply it at all`, atWaypoint);
  }
  rules.forEach((r, i) => {
    // The first field ztunnel cannot see, as a prop path below rules[i], with its name.
    const http: Array<{ path: Array<string | number>; field: string }> = [];
    r.from?.forEach((f, j) => ZTUNNEL_HTTP_SOURCE.forEach((k) => {
      if ((f.source as Record<string, unknown> | undefined)?.[k] !== undefined) http.push({ path: ['from', j, k], field: k });
    }));
    r.to?.forEach((t, j) => ZTUNNEL_HTTP_OPERATION.forEach((k) => {
      if ((t.operation as Record<string, unknown> | undefined)?.[k] !== undefined) http.push({ path: ['to', j, k], field: k });
    }));
    r.when?.forEach((w, j) => { if (!ZTUNNEL_WHEN_KEYS.has(w.key)) http.push({ path: ['when', j, 'key'], field: w.key }); });
    if (http.length === 0) return;
    const effect = action === AuthorizationAction.ALLOW
      ? 'Istio drops the whole ALLOW rule, so what it allows is denied'
      : 'Istio drops the HTTP conditions of the DENY rule and denies on the rest';
    ctx.at('rules', i, ...http[0].path).fail(ErrorCode.AMBIENT_UNSUPPORTED,
      `ztunnel enforces this policy (dataplaneMode AMBIENT) and cannot see HTTP (${show(http[0].field)}): ${effect}`, atWaypoint);
  });
}

const HTTP_ONLY_SOURCE = ['requestPrincipals', 'notRequestPrincipals'];
const HTTP_ONLY_OPERATION = ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'];
const isHttpOnlyKey = (key: string) => key.startsWith('request.');

/**
 * Warnings for DENY rules that deny every TCP connection. On a TCP filter chain Istio cannot check
 * HTTP-only fields (request principals, methods, paths, hosts, `request.*` keys); for a DENY rule it
 * drops them, so a rule made only of them matches every connection. (For ALLOW it drops the rule.)
 * @see https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/
 */
function httpOnlyDenyWarnings(rules: readonly Rule[]): PatternWarning[] {
  const out: PatternWarning[] = [];
  rules.forEach((r, i) => {
    const httpFields = new Set<string>();
    // An entry matches every TCP connection when it has no field TCP can check.
    const tcpBlind = (fields: string[], httpOnly: (f: string) => boolean) => {
      fields.filter(httpOnly).forEach((f) => httpFields.add(f));
      return fields.every(httpOnly);
    };
    const fromBlind = !r.from || r.from.some((f) => tcpBlind(Object.keys(f.source ?? {}), (k) => HTTP_ONLY_SOURCE.includes(k)));
    const toBlind = !r.to || r.to.some((t) => tcpBlind(Object.keys(t.operation ?? {}), (k) => HTTP_ONLY_OPERATION.includes(k)));
    const whenBlind = tcpBlind((r.when ?? []).map((w) => w.key), isHttpOnlyKey);
    if (httpFields.size && fromBlind && toBlind && whenBlind) {
      out.push({
        code: WarningCode.HTTP_ONLY_DENY_RULE,
        path: `rules[${i}]`,
        message: `this DENY rule only has HTTP fields (${[...httpFields].sort().join(', ')}); on TCP traffic Istio ignores them, so the rule denies `
          + 'every TCP connection to the selected workloads. Add a condition TCP can check (ports, ipBlocks, principals, namespaces), '
          + 'or select only HTTP workloads',
      });
    }
  });
  return out;
}

/**
 * The `allow-nothing` policy: an ALLOW policy without rules, so every request to the namespace
 * (or the selected workloads) is denied unless another ALLOW policy matches it.
 */
export function buildAllowNothing(namespace: string, options: { name?: string; selector?: Record<string, string> } = {}): AuthorizationPolicyOutput {
  return buildAuthorizationPolicy({ name: options.name ?? 'allow-nothing', namespace, selector: options.selector });
}
