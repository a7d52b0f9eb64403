/**
 * Pulumi inputs at the boundary: which leaf values of a pattern's props may be `pulumi.Input`, how
 * they are found in an args object, and how the args become plain props (with placeholders before
 * the values are known, with the values once they are). Holds no Istio knowledge beyond the names
 * of the leaf props.
 */
import * as pulumi from '@pulumi/pulumi';
import { PolicyTargetRef, WaypointRef } from '../core/ambient';
import { Duration } from '../core/duration';
import { ErrorCode, IstioConstructError } from '../core/errors';
import { GatewayRef } from '../core/gateway';
import { StringMatch } from '../core/http';
import { ServiceAccountRef } from '../core/identity';
import { IngressGateway as CoreIngressGateway, ServiceRef as CoreServiceRef } from '../core/references';
import { HashAlgorithm, SessionAffinity } from '../patterns/sticky-service';

/** Prop keys whose string values (or arrays of them) may be `pulumi.Input<string>`. */
const LEAF_KEYS = {
  namespace: 'name', gatewayNamespace: 'name', rootNamespace: 'name', namespaces: 'name', notNamespaces: 'name',
  serviceName: 'name', credentialName: 'name',
  host: 'host', hosts: 'host', notHosts: 'host', sniHosts: 'host',
  issuer: 'uri', jwksUri: 'uri',
} as const;
/** Prop keys holding label maps, whose values may be `pulumi.Input<string>`. */
const LABEL_KEYS = new Set(['selector', 'labels', 'sourceLabels']);

/** What a placeholder must look like to pass the checks of its prop before the value is known. @internal */
export type InputKind = 'name' | 'host' | 'uri' | 'value';

/** The leaf prop keys that accept `pulumi.Input<string>` in every `XxxArgs`. */
export type InputLeafKey = keyof typeof LEAF_KEYS;
/** The label-map prop keys whose values accept `pulumi.Input<string>` in every `XxxArgs`. */
export type InputLabelKey = 'selector' | 'labels' | 'sourceLabels';

/** The key of a carrier's resolution protocol. @internal */
export const CARRIER = Symbol.for('istio-constructs.pulumi.carrier');

/** One input of a carrier, with the placeholder used before it is known. @internal */
export interface CarrierPart {
  readonly input: unknown;
  readonly kind: InputKind;
  readonly placeholder?: unknown;
}

/**
 * A value holding `pulumi.Input`s that becomes a core value once they are known (the Pulumi
 * `ServiceRef`, `IngressGateway`, a `HardenedGateway`'s `ref`). @internal
 */
export interface InputCarrier<T = unknown> {
  [CARRIER](): {
    /** The inputs (plain values allowed), each with a placeholder used before it is known. */
    readonly parts: CarrierPart[];
    /** The core value, from the parts' values in the same order. */
    realize(values: unknown[]): T;
  };
}

function isCarrier(value: unknown): value is InputCarrier {
  return value !== null && typeof value === 'object' && typeof (value as Partial<InputCarrier>)[CARRIER] === 'function';
}

type Primitive = string | number | boolean | bigint | symbol | undefined | null;
/** Core values that are built by factories and pass through unchanged. */
type Opaque = Duration | StringMatch | SessionAffinity | HashAlgorithm | ServiceAccountRef | CoreServiceRef | CoreIngressGateway | WaypointRef | PolicyTargetRef;

type LeafArg<T> = T extends string ? pulumi.Input<T>
  : T extends ReadonlyArray<infer E> ? ReadonlyArray<E extends string ? pulumi.Input<E> : E>
  : T;
type LabelArg<T> = T extends Readonly<Record<string, string>> ? Readonly<Record<string, pulumi.Input<string>>> : T;

/**
 * The Pulumi form of a pattern's props: the same shape, where the leaf values users take from other
 * resources (the keys in `InputLeafKey`: namespaces, Service and Secret names, hosts, JWT issuer
 * and JWKS URI; and the values of the label maps in `InputLabelKey`) accept `pulumi.Input<string>`,
 * and references may be the Pulumi `ServiceRef` and `IngressGateway`, whose values may be Outputs. Structural values (versions, routes, ports, weights) stay
 * plain: an `Output` there is refused with `IstioConstructError` `INPUT_NOT_ALLOWED`.
 */
export type Args<T> =
  T extends Primitive ? T
    : T extends Opaque ? T
      : T extends (...a: any[]) => any ? T
        : T extends ReadonlyArray<infer E> ? ReadonlyArray<Args<E>>
          // A Gateway reference passes as it is; props that merely have its keys among others are mapped.
          : T extends GatewayRef ? ([Exclude<keyof T, keyof GatewayRef>] extends [never] ? T : MappedArgs<T>)
            : MappedArgs<T>;
/** The mapped form of a props object (see `Args`). */
type MappedArgs<T> = { readonly [K in keyof T]: K extends InputLeafKey ? LeafArg<T[K]> : K extends InputLabelKey ? LabelArg<T[K]> : Args<T[K]> };

/** Whether a value is a `pulumi.Output` or a promise. @internal */
export function isInput(value: unknown): value is pulumi.Output<unknown> | Promise<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return pulumi.Output.isInstance(value) || typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function pathOf(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The number of an input's placeholder: one per Output (or promise) object for the whole program,
 * so an Output read by two components stands for the same value in both before it is known (the
 * host of a route and the same host on the Gateway it binds to). Only placeholders use it: nothing
 * emitted depends on it.
 */
const PLACEHOLDER_IDS = new WeakMap<object, number>();
let nextPlaceholderId = 0;
function placeholderId(input: unknown): number {
  const key = input as object;
  let id = PLACEHOLDER_IDS.get(key);
  if (id === undefined) {
    id = nextPlaceholderId++;
    PLACEHOLDER_IDS.set(key, id);
  }
  return id;
}

/** A placeholder that passes the checks of its kind of prop; distinct per input, the same for the same input. */
function placeholderFor(kind: InputKind, input: unknown): string {
  const n = placeholderId(input);
  switch (kind) {
    case 'host': return `input-${n}.pulumi.invalid`;
    case 'uri': return `https://input-${n}.pulumi.invalid/`;
    default: return `input-${n}`;
  }
}

/**
 * A carrier's values before its inputs are known: plain values as given, a placeholder for each
 * Output or promise (so the core factory can check the plain ones at once). @internal
 */
export function placeholderValues(parts: readonly CarrierPart[]): unknown[] {
  return parts.map((p) => (isInput(p.input) ? (p.placeholder ?? placeholderFor(p.kind, p.input)) : p.input));
}

/** Whether any of a carrier's parts is an Output or promise. @internal */
export function holdsInputs(parts: readonly CarrierPart[]): boolean {
  return parts.some((p) => isInput(p.input));
}

/** The inputs of an args object, in a deterministic order, and the args with each replaced. @internal */
export interface ResolvedArgs<P> {
  /** The distinct inputs found (the same Output twice is one input). */
  readonly inputs: ReadonlyArray<pulumi.Input<unknown>>;
  /** The props with a placeholder for every input. */
  readonly placeholders: P;
  /** The props with the inputs' values. */
  withValues(values: readonly unknown[]): P;
}

/**
 * Finds the inputs in `args` and gives the props with placeholders, and with values once known.
 * @throws IstioConstructError INPUT_NOT_ALLOWED when an Output or promise stands where a plain value is required.
 * @internal
 */
export function resolveArgs<P>(construct: string, args: unknown): ResolvedArgs<P> {
  const inputs: Array<pulumi.Input<unknown>> = [];
  const kinds: InputKind[] = [];
  const explicit: unknown[] = [];
  const slots = new Map<unknown, number>();
  const slotOf = (input: pulumi.Input<unknown>, kind: InputKind, placeholder?: unknown): number => {
    let slot = slots.get(input);
    if (slot === undefined) {
      slot = inputs.length;
      slots.set(input, slot);
      inputs.push(input);
      kinds.push(kind);
      explicit.push(placeholder);
    }
    return slot;
  };

  // One walk, deterministic: it records each input's slot, so substituting is a second, pure walk.
  type Node = (values: (slot: number) => unknown) => unknown;
  const seen = new Set<object>();
  const walk = (value: unknown, path: string, mode: 'struct' | InputKind | 'labels'): Node => {
    if (isInput(value)) {
      if (mode === 'struct' || mode === 'labels') {
        throw new IstioConstructError(ErrorCode.INPUT_NOT_ALLOWED, path,
          `a pulumi Output or promise stands where a plain value is required (${path || 'the args'} is structural: versions, routes, ports and weights must be known when the program runs)`,
          'pass a plain value here; only namespaces, Service and Secret names, hosts, label values and JWT issuer/JWKS URIs accept pulumi.Input',
          construct);
      }
      const slot = slotOf(value, mode);
      return (values) => values(slot);
    }
    if (isCarrier(value)) {
      const carrier = value[CARRIER]();
      const parts = carrier.parts.map((p) => (isInput(p.input) ? { slot: slotOf(p.input, p.kind, p.placeholder) } : { plain: p.input }));
      return (values) => carrier.realize(parts.map((p) => ('slot' in p ? values(p.slot!) : p.plain)));
    }
    if (value !== null && typeof value === 'object' && (Array.isArray(value) || isPlainObject(value))) {
      if (seen.has(value)) return () => value; // cyclic: left to the builder to refuse
      seen.add(value);
      let node: Node;
      if (Array.isArray(value)) {
        const items = value.map((v, i) => walk(v, pathOf(path, i), mode === 'labels' ? 'struct' : mode));
        node = (values) => items.map((n) => n(values));
      } else {
        const entries = Object.keys(value).map((k): [string, Node] => {
          const childMode = mode === 'labels' ? 'value'
            : Object.prototype.hasOwnProperty.call(LEAF_KEYS, k) ? LEAF_KEYS[k as InputLeafKey]
              : LABEL_KEYS.has(k) ? 'labels' : 'struct';
          return [k, walk(value[k], pathOf(path, k), childMode)];
        });
        const proto = Object.getPrototypeOf(value);
        node = (values) => {
          const out: Record<string, unknown> = Object.create(proto);
          for (const [k, n] of entries) out[k] = n(values);
          return out;
        };
      }
      seen.delete(value);
      return node;
    }
    return () => value;
  };

  const root = walk(args, '', 'struct');
  const placeholders = root((slot) => explicit[slot] ?? placeholderFor(kinds[slot], inputs[slot])) as P;
  return {
    inputs,
    placeholders,
    withValues: (values) => root((slot) => values[slot]) as P,
  };
}
