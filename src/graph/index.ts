/**
 * The traffic graph of a set of manifests, and its renderers (Mermaid, DOT, SVG).
 */
export * from './model';
export { toMermaid } from './mermaid';
export type { MermaidOptions } from './mermaid';
export { toDot } from './dot';
export type { DotOptions } from './dot';
export { renderSvg } from './svg';
