/**
 * Brands for the library's value types (ServiceRef, IngressGateway, StringMatch,
 * ServiceAccountRef, Duration). `readonly` and private constructors are TypeScript only: plain
 * JavaScript can forge an instance (`Object.create(ServiceRef.prototype)`, which passes
 * `instanceof`) or overwrite a field of a real one. Each class keeps a module-private `Brand`
 * that records the fields of every instance its factories make; the props checker accepts only
 * instances whose brand is present and whose fields are still the recorded ones.
 * @internal
 */
export class Brand<T extends object> {
  private readonly made = new WeakMap<object, readonly unknown[]>();

  /** @param fields the instance's fields, compared by identity (nested lists and maps are frozen by the class). */
  constructor(private readonly fields: (instance: T) => readonly unknown[]) {}

  /** Records an instance made by a factory (call it last in the constructor). */
  public mark(instance: T): void {
    this.made.set(instance, this.fields(instance));
  }

  /**
   * Whether `value` is an instance this brand marked, with its fields unchanged. Never throws:
   * a getter or Proxy trap that throws makes the value not genuine.
   */
  public isGenuine(value: unknown): value is T {
    if (value === null || typeof value !== 'object') return false;
    try {
      const recorded = this.made.get(value);
      if (recorded === undefined) return false;
      const now = this.fields(value as T);
      return now.length === recorded.length && now.every((x, i) => Object.is(x, recorded[i]));
    } catch {
      return false;
    }
  }
}

/** Freezes a list of plain objects (and the objects): a value type's nested fields cannot change. @internal */
export function frozenList<T extends object>(list: readonly T[]): readonly T[] {
  return Object.freeze(list.map((x) => Object.freeze({ ...x })));
}
