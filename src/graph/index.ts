/**
 * The traffic graph of a set of manifests, and its renderers (Mermaid, DOT, SVG).
 */
export * from './model';
export { toMermaid, MermaidOptions } from './mermaid';
export { toDot, DotOptions } from './dot';
export { renderSvg } from './svg';
