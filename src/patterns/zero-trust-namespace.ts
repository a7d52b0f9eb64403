/**
 * ZeroTrustNamespace: `allow-nothing` for a namespace plus one ALLOW policy per service, so a
 * workload is reachable only by the callers and operations listed for it.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
 */
import { checkLabelName } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { EmittedObject, PatternOutput } from '../core/output';
import { AuthorizationRule, buildAllowNothing, buildAuthorizationPolicy } from './authorization-policy';
import { checkProps, propsCtx } from '../core/props';

/** Who may call one service, and how. */
export interface ServiceAllowList {
  /** The service's `app` label (the policy is named `allow-<app>`). */
  readonly app: string;
  /** The pod labels to select. @default { app: <app> } */
  readonly selector?: Record<string, string>;
  /** The allowed requests. */
  readonly rules: AuthorizationRule[];
}

/** Props of a ZeroTrustNamespace. */
export interface ZeroTrustNamespaceProps {
  /** The namespace. */
  readonly namespace: string;
  /** The allow list of each service; a service without one is unreachable. */
  readonly services: ServiceAllowList[];
}

/**
 * Builds the policies of a ZeroTrustNamespace. Pure.
 * @throws IstioConstructError as `buildAuthorizationPolicy`, and INVALID_NAME (also for an app listed
 *   twice, or the app `nothing`, whose policy would clash with `allow-nothing`).
 */
export function buildZeroTrustNamespace(props: ZeroTrustNamespaceProps): PatternOutput {
  checkProps(propsCtx('ZeroTrustNamespace', props, 'namespace'), 'ZeroTrustNamespaceProps', props);
  const ctx = new Ctx(`ZeroTrustNamespace ${show(props.namespace)}`);
  checkLabelName(ctx.at('namespace'), props.namespace, 'namespace');
  const objects: EmittedObject[] = [
    { role: 'allow-nothing', manifest: buildAllowNothing(props.namespace).authorizationPolicy },
  ];
  const apps = new Set<string>();
  props.services.forEach((s, i) => {
    const c = ctx.at('services', i, 'app');
    checkLabelName(c, s.app, 'app');
    if (s.app === 'nothing') {
      c.fail(ErrorCode.INVALID_NAME, 'app "nothing" would name its policy allow-nothing, the namespace\'s default-deny policy',
        'give the service another app name, or a selector with its labels');
    }
    if (apps.has(s.app)) {
      c.fail(ErrorCode.INVALID_NAME, `app ${show(s.app)} is listed twice; its policy allow-${s.app} would be declared twice`, 'merge the rules of the two entries into one');
    }
    apps.add(s.app);
    const policy = buildAuthorizationPolicy({ name: `allow-${s.app}`, namespace: props.namespace, selector: s.selector ?? { app: s.app }, rules: s.rules });
    objects.push({ role: `allow-${s.app}`, manifest: policy.authorizationPolicy });
  });
  return { objects };
}
