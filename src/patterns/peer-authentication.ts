/**
 * PeerAuthentication: which mTLS mode workloads accept: mesh-wide (in the root namespace),
 * per namespace, per workload, and per port of a workload.
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
import { checkLabelName, checkPort } from '../core/checks';
import { Ctx, ErrorCode, show } from '../core/errors';
import { renderSelector } from '../core/identity';
import { Manifest, compact, metadata } from '../core/manifest';
import { PatternOutput } from '../core/output';
import { checkProps, propsCtx } from '../core/props';

/** mTLS modes. */
export enum MtlsMode {
  /** Inherit from the parent scope (namespace, then mesh). */
  UNSET = 'UNSET',
  /** Plain text only. */
  DISABLE = 'DISABLE',
  /** mTLS and plain text. */
  PERMISSIVE = 'PERMISSIVE',
  /** mTLS only. */
  STRICT = 'STRICT',
}

/** Props of a PeerAuthentication. */
export interface PeerAuthenticationProps {
  /** The mode. */
  readonly mode: MtlsMode;
  /**
   * Apply to the whole mesh: the policy goes to the root namespace, without a selector.
   * @default false
   */
  readonly meshWide?: boolean;
  /** The root namespace (with `meshWide`). @default 'istio-system' */
  readonly rootNamespace?: string;
  /** The namespace (without `meshWide`). */
  readonly namespace?: string;
  /** The policy name. @default 'default' */
  readonly name?: string;
  /** Pod labels of the workloads it applies to. @default - the whole namespace */
  readonly selector?: Record<string, string>;
  /** Modes per port (a workload selector is required). @default - none */
  readonly portLevelMtls?: Record<number, MtlsMode>;
}

/** What `buildPeerAuthentication` returns. */
export interface PeerAuthenticationOutput extends PatternOutput {
  readonly peerAuthentication: Manifest;
}

/**
 * Builds a PeerAuthentication. Pure.
 * @throws IstioConstructError PORT_MTLS_WITHOUT_SELECTOR, CONFLICTING_PROPS, PORT_OUT_OF_RANGE, INVALID_NAME, INVALID_LABEL.
 */
export function buildPeerAuthentication(props: PeerAuthenticationProps): PeerAuthenticationOutput {
  checkProps(propsCtx('PeerAuthentication', props, 'name'), 'PeerAuthenticationProps', props);
  const name = props.name ?? 'default';
  const ctx = new Ctx(`PeerAuthentication ${show(name)}`);
  checkLabelName(ctx.at('name'), name, 'name');
  if (!Object.values(MtlsMode).includes(props.mode)) ctx.at('mode').fail(ErrorCode.CONFLICTING_PROPS, `${show(props.mode)} is not an mTLS mode`, 'use STRICT, PERMISSIVE, DISABLE or UNSET');
  if (props.meshWide && (props.selector || props.namespace)) {
    ctx.at('meshWide').fail(ErrorCode.CONFLICTING_PROPS, 'a mesh-wide policy has no namespace or selector of its own', 'remove namespace/selector, or meshWide');
  }
  const namespace = props.meshWide ? (props.rootNamespace ?? 'istio-system') : props.namespace;
  if (namespace === undefined) ctx.at('namespace').fail(ErrorCode.INVALID_NAME, 'no namespace given', 'give namespace, or set meshWide: true');
  checkLabelName(ctx.at(props.meshWide ? 'rootNamespace' : 'namespace'), namespace!, 'namespace');
  let portLevelMtls: Record<string, { mode: MtlsMode }> | undefined;
  if (props.portLevelMtls) {
    if (!props.selector) {
      ctx.at('portLevelMtls').fail(ErrorCode.PORT_MTLS_WITHOUT_SELECTOR, 'port-level mTLS needs a workload selector (Istio refuses it namespace- or mesh-wide)',
        'add selector: { app: ... } for the workload whose ports differ');
    }
    const ports = Object.keys(props.portLevelMtls).map(Number).sort((a, b) => a - b);
    if (ports.length === 0) ctx.at('portLevelMtls').fail(ErrorCode.CONFLICTING_PROPS, 'portLevelMtls is empty', 'list ports, or leave it out');
    portLevelMtls = {};
    for (const p of ports) {
      checkPort(ctx.at('portLevelMtls', String(p)), p);
      const mode = props.portLevelMtls[p];
      if (!Object.values(MtlsMode).includes(mode)) {
        ctx.at('portLevelMtls', String(p)).fail(ErrorCode.CONFLICTING_PROPS, `${show(mode)} is not an mTLS mode`, 'use STRICT, PERMISSIVE, DISABLE or UNSET');
      }
      portLevelMtls[String(p)] = { mode };
    }
  }
  const peerAuthentication: Manifest = {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: metadata(name, namespace!, 'peer-authentication', name),
    spec: compact({
      selector: props.selector ? renderSelector(ctx.at('selector'), props.selector) : undefined,
      mtls: { mode: props.mode },
      portLevelMtls,
    }),
  };
  return { objects: [{ role: 'peer-authentication', manifest: peerAuthentication }], peerAuthentication };
}
