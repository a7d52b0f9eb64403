/**
 * Workload identities and selectors for the security patterns: typed service-account references
 * that render SPIFFE principals, and workload selectors.
 */
import { Brand } from './brand';
import { checkLabelName, checkLabels, checkSubdomainName } from './checks';
import { Ctx, ErrorCode, show } from './errors';
import { checkProps } from './props';

/** The ServiceAccountRefs made by `ServiceAccountRef.of` (see `Brand`). */
const SERVICE_ACCOUNTS = new Brand<ServiceAccountRef>((r) => [r.namespace, r.name, r.trustDomain]);

/** Whether `value` is a ServiceAccountRef made by `ServiceAccountRef.of`, unchanged. Never throws. @internal */
export function isServiceAccountRef(value: unknown): value is ServiceAccountRef {
  return SERVICE_ACCOUNTS.isGenuine(value);
}

/**
 * A Kubernetes service account, as a mesh identity. Its principal is
 * `<trust domain>/ns/<namespace>/sa/<name>` (what `source.principal` and `principals` compare).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class ServiceAccountRef {
  /**
   * References a service account.
   * @param trustDomain the mesh trust domain @default 'cluster.local'
   * @throws IstioConstructError INVALID_NAME for invalid names.
   */
  public static of(namespace: string, name: string, trustDomain: string = 'cluster.local'): ServiceAccountRef {
    const ctx = new Ctx(`ServiceAccountRef ${show(name)}`);
    checkProps(ctx, 'ServiceAccountRef.of', { namespace, name, trustDomain });
    checkLabelName(ctx.at('namespace'), namespace, 'namespace');
    checkSubdomainName(ctx.at('name'), name, 'service account');
    if (typeof trustDomain !== 'string' || trustDomain === '' || trustDomain.includes('/')) {
      ctx.at('trustDomain').fail(ErrorCode.INVALID_PRINCIPAL, `trust domain ${show(trustDomain)} is empty or contains "/"`, 'use the mesh trust domain, e.g. "cluster.local"');
    }
    return new ServiceAccountRef(namespace, name, trustDomain);
  }

  private constructor(
    public readonly namespace: string,
    public readonly name: string,
    public readonly trustDomain: string,
  ) {
    SERVICE_ACCOUNTS.mark(this);
  }

  /** The SPIFFE-style principal, e.g. `cluster.local/ns/default/sa/bookinfo-productpage`. */
  public get principal(): string {
    return `${this.trustDomain}/ns/${this.namespace}/sa/${this.name}`;
  }
}

const SPIFFE = /^[^/\s]+\/ns\/[^/\s]+\/sa\/[^/\s]+$/;

/**
 * A principal: a ServiceAccountRef, or a string in SPIFFE form (`*` alone, or a `*` at one end,
 * as Istio allows). A user e-mail is not a principal: it is a request principal (JWT `iss/sub`).
 * @internal
 */
export function renderPrincipal(ctx: Ctx, p: ServiceAccountRef | string): string {
  if (p instanceof ServiceAccountRef) return p.principal;
  if (typeof p === 'string' && (p === '*' || SPIFFE.test(p.replace(/^\*/, 'x').replace(/\*$/, 'x')))) return p;
  return ctx.fail(ErrorCode.INVALID_PRINCIPAL,
    `${show(p)} is not a principal in SPIFFE form <trust domain>/ns/<namespace>/sa/<service account>`,
    'use ServiceAccountRef.of(namespace, name).principal; a user identity from a JWT belongs in requestPrincipals ("<iss>/<sub>")');
}

/** Renders `selector.matchLabels`: non-empty, no `*`. @internal */
export function renderSelector(ctx: Ctx, labels: Record<string, string>): { matchLabels: Record<string, string> } {
  const checked = checkLabels(ctx, labels, { nonEmpty: true });
  return { matchLabels: checked };
}
