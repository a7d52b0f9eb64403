/**
 * The traffic graph as Graphviz DOT (for `dot -Tsvg`, or `renderSvg`, which runs Graphviz in
 * WebAssembly).
 */
import { TrafficEdgeKind, TrafficGraph, TrafficNode, TrafficNodeKind, TrafficNodeRole, TrafficTone } from './model';

/** Fill, border and text colours per node kind and tone; the legend above the graph explains them. */
const COLOURS: Record<string, { fill: string; stroke: string; text: string }> = {
  gateway: { fill: '#dbeafe', stroke: '#1d4ed8', text: '#0f172a' },
  host: { fill: '#f1f5f9', stroke: '#475569', text: '#0f172a' },
  route: { fill: '#fef9c3', stroke: '#a16207', text: '#0f172a' },
  destination: { fill: '#dcfce7', stroke: '#15803d', text: '#0f172a' },
  policy: { fill: '#ede9fe', stroke: '#6d28d9', text: '#0f172a' },
  external: { fill: '#ccfbf1', stroke: '#0f766e', text: '#0f172a' },
  egress: { fill: '#dbeafe', stroke: '#0f766e', text: '#0f172a' },
  warning: { fill: '#ffedd5', stroke: '#c2410c', text: '#7c2d12' },
  deny: { fill: '#fee2e2', stroke: '#b91c1c', text: '#7f1d1d' },
};

const SHAPES: Record<TrafficNodeKind, string> = {
  [TrafficNodeKind.GATEWAY]: 'box',
  [TrafficNodeKind.HOST]: 'box',
  [TrafficNodeKind.ROUTE]: 'box',
  [TrafficNodeKind.DESTINATION]: 'box',
  [TrafficNodeKind.POLICY]: 'box',
};

const STYLES: Record<TrafficNodeKind, string> = {
  [TrafficNodeKind.GATEWAY]: 'filled,bold',
  [TrafficNodeKind.HOST]: 'rounded,filled',
  [TrafficNodeKind.ROUTE]: 'filled',
  [TrafficNodeKind.DESTINATION]: 'rounded,filled,bold',
  [TrafficNodeKind.POLICY]: 'filled,dashed',
};

/** Options of `toDot`. */
export interface DotOptions {
  /**
   * The layout direction: `LR` (left to right, gateways on the left) or `TB` (top to bottom).
   * @default 'LR'
   */
  readonly direction?: 'LR' | 'TB';
  /**
   * A title printed above the graph (e.g. the file it was drawn from).
   * @default - no title
   */
  readonly title?: string;
  /**
   * Print a legend (what the colours and edge styles mean) above the graph.
   * @default true
   */
  readonly legend?: boolean;
}

/**
 * Renders a traffic graph as Graphviz DOT: left to right (gateways → hosts → routes →
 * destinations), one cluster per namespace, a bold title line and smaller detail lines per node,
 * colours per kind (gateways blue, hosts grey, routes yellow, destinations green, policies
 * purple; warnings orange, denying policies red), bold edges with the weight for routed traffic
 * (thicker for a larger share), dashed edges for mirrors and dotted edges for policies.
 *
 * @param graph the graph from `buildTrafficGraph`
 * @param options layout direction, title and legend
 * @returns the DOT text (deterministic for one graph)
 * @see https://graphviz.org/doc/info/lang.html
 */
export function toDot(graph: TrafficGraph, options: DotOptions = {}): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const out: string[] = ['digraph traffic {'];
  const caption = captionHtml(options.title, options.legend !== false);
  out.push(`  graph [rankdir=${options.direction ?? 'LR'}, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.9, newrank=true, bgcolor="white", pad=0.3${caption ? `, labelloc=t, labeljust=l, label=<${caption}>` : ''}];`);
  out.push('  node [fontname="Helvetica", fontsize=11, margin="0.18,0.08", penwidth=1.4];');
  out.push('  edge [fontname="Helvetica", fontsize=11, color="#475569", fontcolor="#1e293b", arrowsize=0.8];');
  for (const n of graph.nodes.filter((x) => !x.namespace)) out.push(`  ${nodeLine(n, ids.get(n.id)!)}`);
  graph.namespaces.forEach((ns, i) => {
    out.push(`  subgraph cluster_${i} {`);
    out.push(`    label=<<b>namespace ${escapeHtml(ns)}</b>>; labeljust=l; style="rounded,dashed"; color="#94a3b8"; fontcolor="#334155"; fontsize=13; margin=14;`);
    for (const n of graph.nodes.filter((x) => x.namespace === ns)) out.push(`    ${nodeLine(n, ids.get(n.id)!)}`);
    out.push('  }');
  });
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    const attrs: string[] = [];
    const label = e.kind === TrafficEdgeKind.APPLIES ? 'applies' : e.label;
    if (label) attrs.push(`label=<${escapeHtml(label)}>`);
    switch (e.kind) {
      case TrafficEdgeKind.ROUTES:
        attrs.push(`penwidth=${(1.2 + 2.8 * (e.percent ?? 100) / 100).toFixed(1)}`, 'color="#15803d"');
        break;
      case TrafficEdgeKind.MIRRORS:
        attrs.push('style=dashed', 'color="#0e7490"', 'fontcolor="#0e7490"');
        break;
      case TrafficEdgeKind.APPLIES:
        attrs.push('style=dotted', 'color="#6d28d9"', 'fontcolor="#6d28d9"', 'arrowhead=odot', 'constraint=false');
        break;
      case TrafficEdgeKind.ENTERS:
        attrs.push('label=<enters gateway>', 'penwidth=2.4', 'color="#0f766e"', 'fontcolor="#0f766e"');
        break;
      default:
        break;
    }
    if (e.warning) attrs.push('color="#c2410c"', 'fontcolor="#c2410c"', 'penwidth=2');
    out.push(`  ${from} -> ${to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** The colour key of a node: its tone when not normal, else its egress role, else its kind. */
function colourKey(n: TrafficNode): string {
  if (n.tone !== TrafficTone.NORMAL) return n.tone;
  if (n.role === TrafficNodeRole.EXTERNAL) return 'external';
  if (n.role === TrafficNodeRole.EGRESS_GATEWAY) return 'egress';
  return n.kind;
}

function nodeLine(n: TrafficNode, id: string): string {
  const c = COLOURS[colourKey(n)];
  // Injected faults are deliberate failures: their lines are red, whatever the node's colour.
  const lines = [`<b>${escapeHtml(n.title)}</b>`, ...n.details.map((d) => `<font point-size="10"${d.startsWith('fault:') ? ` color="${COLOURS.deny.stroke}"` : ''}>${escapeHtml(d)}</font>`)];
  const label = lines.join('<br align="left"/>') + (lines.length > 1 ? '<br align="left"/>' : '');
  const style = n.role === TrafficNodeRole.EXTERNAL ? 'rounded,filled,bold,dashed' : STYLES[n.kind];
  return `${id} [shape=${SHAPES[n.kind]}, style="${style}", fillcolor="${c.fill}", color="${c.stroke}", fontcolor="${c.text}", label=<${label}>${n.resource ? `, tooltip="${escapeHtml(n.resource)}"` : ''}];`;
}

/** The caption above the graph: the title, then the legend (what colours and edge styles mean). */
function captionHtml(title: string | undefined, legend: boolean): string {
  if (!title && !legend) return '';
  const swatch = (key: string, text: string) => `<td bgcolor="${COLOURS[key].fill}" border="1" color="${COLOURS[key].stroke}"><font point-size="11">${text}</font></td>`;
  const titleRow = title ? `<tr><td colspan="14" align="left"><font point-size="16"><b>${escapeHtml(title)}</b></font></td></tr>` : '';
  if (!legend) return `<table border="0">${titleRow}</table>`;
  return `<table border="0" cellspacing="4" cellborder="0">${titleRow}<tr>`
    + '<td><font point-size="11"><b>legend</b></font></td>'
    + swatch('gateway', 'gateway') + swatch('host', 'host') + swatch('route', 'route (first match wins)')
    + swatch('destination', 'destination') + swatch('external', 'outside the mesh') + swatch('policy', 'policy') + swatch('warning', 'likely failure') + swatch('deny', 'denies')
    + '<td><font point-size="11" color="#15803d"><b>green arrows</b>: traffic, % of the route (thicker = larger share)</font></td>'
    + '<td><font point-size="11" color="#0e7490"><b>dashed</b>: mirror</font></td>'
    + '<td><font point-size="11" color="#6d28d9"><b>dotted</b>: policy applies</font></td>'
    + '<td><font point-size="11" color="#0f766e"><b>teal</b>: enters a gateway (egress)</font></td>'
    + `<td><font point-size="11" color="${COLOURS.deny.stroke}"><b>red lines</b>: injected faults</font></td>`
    + '</tr></table>';
}

/** Escapes text for a Graphviz HTML-like label or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
    .replace(/[\r\n]+/g, ' ');
}
