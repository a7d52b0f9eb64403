/**
 * Fuzz arbitraries of every public builder and value-type factory, and the fuzz invariant.
 * See recipe.ts (how props are described and built), primitives.ts (edge and hostile values),
 * values.ts (value types), parts.ts (shared props parts), builders.ts (the table), invariant.ts.
 */
export * from './recipe';
export * from './primitives';
export * from './values';
export * from './parts';
export * from './builders';
export * from './invariant';
export * from './semantic';
