/**
 * The traffic graph as a Mermaid flowchart: renders in GitHub and GitLab pull requests and
 * Markdown files (inside a ```` ```mermaid ```` block) without any tool.
 */
import { TrafficEdgeKind, TrafficGraph, TrafficNode, TrafficNodeKind, TrafficNodeRole, TrafficTone } from './model';

/** Mermaid class definitions, one per node kind and tone: the colours carry the same meaning as in the SVG. */
const CLASS_DEFS: Record<string, string> = {
  gateway: 'fill:#dbeafe,stroke:#1d4ed8,color:#0f172a',
  host: 'fill:#f1f5f9,stroke:#475569,color:#0f172a',
  route: 'fill:#fef9c3,stroke:#a16207,color:#0f172a',
  destination: 'fill:#dcfce7,stroke:#15803d,color:#0f172a',
  policy: 'fill:#ede9fe,stroke:#6d28d9,color:#0f172a',
  external: 'fill:#ccfbf1,stroke:#0f766e,color:#0f172a,stroke-dasharray:5',
  egress: 'fill:#dbeafe,stroke:#0f766e,color:#0f172a,stroke-width:2px',
  warning: 'fill:#ffedd5,stroke:#c2410c,color:#7c2d12,stroke-width:2px',
  deny: 'fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d,stroke-width:2px',
};

/** Options of `toMermaid`. */
export interface MermaidOptions {
  /**
   * The layout direction: `LR` (left to right, gateways on the left) or `TB` (top to bottom).
   * @default 'LR'
   */
  readonly direction?: 'LR' | 'TB';
  /**
   * Wrap the flowchart in a Markdown ```` ```mermaid ```` fence, ready to paste into a pull request.
   * @default false
   */
  readonly markdown?: boolean;
}

/**
 * Renders a traffic graph as a Mermaid flowchart: one subgraph per namespace, node shapes and
 * colours per kind (gateways blue, hosts grey, routes yellow, destinations green, policies
 * purple; warnings orange, denying policies red), solid edges for routed traffic with its
 * weight, dashed edges for mirrors, dotted edges for policies. Every label is escaped (quotes,
 * `#`, `<`, `>`, backticks), so any host name or match value is safe.
 *
 * @param graph the graph from `buildTrafficGraph`
 * @param options layout direction and Markdown fence
 * @returns the Mermaid text (deterministic for one graph)
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
export function toMermaid(graph: TrafficGraph, options: MermaidOptions = {}): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines: string[] = [`flowchart ${options.direction ?? 'LR'}`];
  for (const [name, style] of Object.entries(CLASS_DEFS)) lines.push(`  classDef ${name} ${style}`);
  const cls = (n: TrafficNode) => (n.tone !== TrafficTone.NORMAL ? n.tone
    : n.role === TrafficNodeRole.EXTERNAL ? 'external' : n.role === TrafficNodeRole.EGRESS_GATEWAY ? 'egress' : n.kind);
  const node = (n: TrafficNode, indent: string) => `${indent}${ids.get(n.id)}${shape(n)}:::${cls(n)}`;
  for (const n of graph.nodes.filter((x) => !x.namespace)) lines.push(node(n, '  '));
  graph.namespaces.forEach((ns, i) => {
    lines.push(`  subgraph ns${i}["${escapeMermaid(`namespace ${ns}`)}"]`);
    for (const n of graph.nodes.filter((x) => x.namespace === ns)) lines.push(node(n, '    '));
    lines.push('  end');
  });
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    const arrow = e.kind === TrafficEdgeKind.MIRRORS || e.kind === TrafficEdgeKind.APPLIES ? '-.->' : e.kind === TrafficEdgeKind.ROUTES || e.kind === TrafficEdgeKind.ENTERS ? '==>' : '-->';
    const label = e.kind === TrafficEdgeKind.APPLIES ? 'applies' : e.kind === TrafficEdgeKind.ENTERS ? 'enters gateway' : e.label;
    lines.push(`  ${from} ${arrow}${label ? `|"${escapeMermaid(label)}"|` : ''} ${to}`);
  }
  const text = lines.join('\n') + '\n';
  return options.markdown ? '```mermaid\n' + text + '```\n' : text;
}

function shape(n: TrafficNode): string {
  const label = `"${[`<b>${escapeMermaid(n.title)}</b>`, ...n.details.map(escapeMermaid)].join('<br/>')}"`;
  switch (n.kind) {
    case TrafficNodeKind.GATEWAY: return `{{${label}}}`;
    case TrafficNodeKind.HOST: return `([${label}])`;
    case TrafficNodeKind.ROUTE: return `[${label}]`;
    case TrafficNodeKind.DESTINATION: return `(${label})`;
    case TrafficNodeKind.POLICY: return `[[${label}]]`;
  }
}

/**
 * Escapes text for a quoted Mermaid label: `#` first (Mermaid's entity marker), then the
 * characters that would end the label or be read as HTML entities, tags or Markdown.
 */
export function escapeMermaid(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n]+/g, ' ');
}
