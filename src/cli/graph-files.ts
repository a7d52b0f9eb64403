/**
 * Writes the traffic graph of every YAML file of a directory next to it: `<name>.traffic.mmd`
 * (Mermaid), `<name>.traffic.svg`, and one `traffic.md` per directory that shows every chart in
 * GitHub (used by `npm run synth` for dist/<example>/).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../analysis/load';
import { buildTrafficGraph } from '../graph/model';
import { toMermaid } from '../graph/mermaid';
import { renderSvg } from '../graph/svg';

/**
 * For each `*.yaml` file of `dir` (sorted), writes its Mermaid chart and SVG picture beside it,
 * and a `traffic.md` listing them all. Files without any object the graph draws get no picture.
 * When the directory has a `base.k8s.yaml` (the objects common to every stage, as in
 * s10-bookinfo-traffic), each other file is drawn on top of it, its objects replacing base objects
 * of the same identity, so every picture shows the whole path from the gateway.
 *
 * @param dir a directory of Kubernetes YAML files (e.g. `dist/s10-bookinfo-traffic`)
 * @param title a heading for `traffic.md` (e.g. the example's name)
 * @returns the files written, relative to `dir`
 * @throws IstioConstructError when a file is not valid YAML
 */
export async function writeTrafficGraphs(dir: string, title = path.basename(dir)): Promise<string[]> {
  const written: string[] = [];
  const sections: string[] = [];
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const read = (file: string) => parseManifests(fs.readFileSync(path.join(dir, file), 'utf8'), file).map((i) => i.manifest);
  const base = files.find((f) => /^base(\.k8s)?\.ya?ml$/.test(f));
  const baseManifests = base ? read(base) : [];
  for (const file of files) {
    // A stage is applied on top of the base: its objects replace base objects of the same identity.
    const onBase = base !== undefined && file !== base;
    const graph = buildTrafficGraph([...(onBase ? baseManifests : []), ...read(file)]);
    if (!graph.nodes.length) continue;
    const stem = file.replace(/(\.k8s)?\.ya?ml$/, '');
    const heading = onBase ? `${file} (on ${base})` : file;
    const mermaid = toMermaid(graph);
    fs.writeFileSync(path.join(dir, `${stem}.traffic.mmd`), mermaid);
    fs.writeFileSync(path.join(dir, `${stem}.traffic.svg`), `${await renderSvg(graph, { title: `${title}: ${heading}` })}\n`);
    written.push(`${stem}.traffic.mmd`, `${stem}.traffic.svg`);
    sections.push(`## ${heading}\n\n[SVG](${stem}.traffic.svg)\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n`);
  }
  if (sections.length) {
    fs.writeFileSync(path.join(dir, 'traffic.md'), `# ${title}: traffic\n\nOne chart per file; drawn by \`istio-constructs graph\`.\n\n${sections.join('\n')}`);
    written.push('traffic.md');
  }
  return written;
}
