/**
 * The traffic graph as SVG, rendered offline by Graphviz compiled to WebAssembly (`@viz-js/viz`):
 * no `dot` binary, no network.
 */
import { DotOptions, toDot } from './dot';
import { TrafficGraph } from './model';

/** The Graphviz instance, created once per process (loading the WebAssembly module takes about 100 ms). */
let viz: Promise<{ renderString(dot: string, options: { format: string; engine?: string }): string }> | undefined;

/**
 * Renders a traffic graph as a standalone SVG document: the DOT of `toDot` laid out by Graphviz
 * `dot`. The XML prolog and DOCTYPE are left out, so the text starts with `<svg` and can be
 * written to a `.svg` file or inlined in HTML.
 *
 * @param graph the graph from `buildTrafficGraph`
 * @param options as for `toDot` (direction, title, legend)
 * @returns the SVG text
 * @throws Error when Graphviz refuses the DOT (a bug: `toDot` escapes every label)
 * @see https://github.com/mdaines/viz-js
 */
export async function renderSvg(graph: TrafficGraph, options: DotOptions = {}): Promise<string> {
  return dotToSvg(toDot(graph, options));
}

/**
 * Renders any DOT text as SVG with Graphviz in WebAssembly (the `dot` layout engine).
 *
 * @param dot the Graphviz DOT text
 * @returns the SVG text, starting with `<svg`
 * @throws Error with Graphviz's messages when the DOT does not parse
 */
export async function dotToSvg(dot: string): Promise<string> {
  // Loaded on first use: the WebAssembly module is large, and most users of the package never render SVG.
  // (Double quotes: compiled to require("@viz-js/viz"), the form the packaging test looks for.)
  viz ??= import("@viz-js/viz").then((m) => m.instance()); // eslint-disable-line quotes
  const svg = (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
  const start = svg.indexOf('<svg');
  return start >= 0 ? svg.slice(start) : svg;
}
