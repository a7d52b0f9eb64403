/**
 * Props recipes: what the fuzz arbitraries generate instead of props themselves.
 *
 * A recipe is a tree of plain JSON-like values (objects, arrays, strings, numbers, booleans,
 * `undefined`, `null`, BigInts) and `Special` nodes. `realize(recipe)` turns it into props,
 * building every special node afresh: a library factory call (`ServiceRef.fromName(...)`, so a
 * factory that throws is part of the run, not of the generation), or a hostile value (a Proxy, a
 * getter that throws, a cycle, a `Object.create(null)` object, a 100k-character string, deep
 * nesting). fast-check prints a recipe as code-like text (`fc.toStringMethod`), so a shrunk
 * counterexample reads as the call that fails, and a recipe is immutable, so a run can realize it
 * twice (for the determinism check).
 */
import * as fc from 'fast-check';

/** A node built afresh at each `realize`. */
export abstract class Special {
  /** Builds the value. */
  public abstract realize(): unknown;
  /** Code-like text for counterexamples. */
  public abstract show(): string;
  /** The recipes this node holds (for `nodes` / `replaceNode`). */
  public children(): unknown[] { return []; }
  /** A copy with other children (same order as `children`). */
  public withChildren(_children: unknown[]): Special { return this; }
  public [fc.toStringMethod](): string { return this.show(); }
}

/** Prints a recipe (fast-check's `stringify`, which uses `Special.show` for special nodes). */
export function showRecipe(recipe: unknown): string {
  return fc.stringify(recipe);
}

/** Whether a recipe node is a plain object (not an array, not a special node). */
export function isPlainRecipe(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Special) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets an own data property, even for keys such as `__proto__`. */
export function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Builds the props a recipe describes. */
export function realize(recipe: unknown): any {
  if (recipe instanceof Special) return recipe.realize();
  if (Array.isArray(recipe)) return recipe.map(realize);
  if (isPlainRecipe(recipe)) {
    const out = Object.getPrototypeOf(recipe) === null ? Object.create(null) : {};
    for (const k of Object.keys(recipe)) defineOwn(out, k, realize(recipe[k]));
    return out;
  }
  return recipe;
}

/** A call of a library function, made at realize time. */
export class Call extends Special {
  constructor(public readonly name: string, private readonly fn: (...args: any[]) => unknown, public readonly args: unknown[]) { super(); }
  public realize(): unknown { return this.fn(...this.args.map(realize)); }
  public show(): string { return `${this.name}(${this.args.map(showRecipe).join(', ')})`; }
  public children(): unknown[] { return this.args; }
  public withChildren(children: unknown[]): Special { return new Call(this.name, this.fn, children); }
}

/** A hostile value with no children: built by `make`, printed as `label`. */
export class Leaf extends Special {
  constructor(public readonly label: string, private readonly make: () => unknown) { super(); }
  public realize(): unknown { return this.make(); }
  public show(): string { return this.label; }
}

/** A hostile transform of another recipe: `make(realized inner)`, printed as `label(inner)`. */
export class Wrap extends Special {
  constructor(public readonly label: string, private readonly make: (inner: unknown) => unknown, public readonly inner: unknown) { super(); }
  public realize(): unknown {
    const inner = realize(this.inner);
    try {
      return this.make(inner);
    } catch {
      // the twist does not apply to this value (a frozen object, a Proxy that throws): keep it as is
      return inner;
    }
  }
  public show(): string { return `${this.label}(${showRecipe(this.inner)})`; }
  public children(): unknown[] { return [this.inner]; }
  public withChildren(children: unknown[]): Special { return new Wrap(this.label, this.make, children[0]); }
}

/** Every node of a recipe in pre-order (the root first), with the children of special nodes. */
export function nodes(recipe: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (n: unknown) => {
    out.push(n);
    if (n instanceof Special) n.children().forEach(walk);
    else if (Array.isArray(n)) n.forEach(walk);
    else if (isPlainRecipe(n)) Object.keys(n).forEach((k) => walk(n[k]));
  };
  walk(recipe);
  return out;
}

/** A copy of `recipe` where the `index`-th node (pre-order, as `nodes`) is replaced by `f(node)`. */
export function replaceNode(recipe: unknown, index: number, f: (node: unknown) => unknown): unknown {
  let i = 0;
  const walk = (n: unknown): unknown => {
    if (i++ === index) return f(n);
    if (n instanceof Special) {
      const before = n.children();
      const after = before.map(walk);
      return after.every((c, k) => c === before[k]) ? n : n.withChildren(after);
    }
    if (Array.isArray(n)) return n.map(walk);
    if (isPlainRecipe(n)) {
      const out = {};
      for (const k of Object.keys(n)) defineOwn(out, k, walk(n[k]));
      return out;
    }
    return n;
  };
  return walk(recipe);
}

/** A change applied to ready props at realize time (a factory the change calls may refuse). */
export class Applied extends Special {
  constructor(private readonly base: unknown, private readonly change: (props: unknown) => unknown) { super(); }
  public realize(): unknown { return this.change(realize(this.base)); }
  public show(): string {
    try {
      return showRecipe(this.realize());
    } catch {
      return `change(${showRecipe(this.base)}) (the change throws)`;
    }
  }
}
