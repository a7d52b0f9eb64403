/**
 * The YAML writer of the cdk8s front end (and of `npm run synth`): every string a YAML reader could take for a number, a
 * boolean, null or a date is double-quoted, whatever YAML version the reader implements.
 *
 * cdk8s writes its files with its own `Yaml` class (`node_modules/cdk8s/lib/yaml.js`), which
 * cannot be configured: it stringifies with the `yaml` package in YAML 1.1 mode, so it quotes the
 * YAML 1.1 forms (`true`, `y`, `on`, `null`, `~`, `1e3`, `0x1F`, `.5`, `0674`, `2001-12-14`) but
 * writes YAML 1.2 and Go forms plain: `0o674` is a string to a YAML 1.1 reader and the integer 444
 * to a YAML 1.2 reader and to Go's readers (go-yaml, and so sigs.k8s.io/yaml and kubectl), which
 * parse numbers with `strconv.ParseInt(s, 0, 64)`. After `app.synth()` of an App holding this
 * library's constructs, the files it wrote are rewritten with `toUnambiguousYaml` (see
 * app-checks.ts), so a Service named `0o674` stays a string for every reader. @internal
 */
import { Document, parse, visit } from 'yaml';

/** Whether some YAML reader would read the plain scalar `s` as something other than the string `s`. @internal */
export function isYamlAmbiguous(s: string): boolean {
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (parse(s, { version }) !== s) return true;
    } catch {
      return true;
    }
  }
  // Go's readers take anything strconv parses as a number (0o17, 0b1, 1_000, +.5, 0x_1F): quote
  // every string that starts like a number. `=` (YAML 1.1 value) and `<<` (merge key) as well.
  return /^[-+]?\.?[0-9]/.test(s) || s === '=' || s === '<<';
}

/**
 * Writes documents as YAML with every ambiguous string (keys and values) double-quoted, in the
 * layout cdk8s uses (no line folding, documents separated by `---`). Deterministic. @internal
 */
export function toUnambiguousYaml(docs: readonly unknown[]): string {
  return docs.map((d) => {
    const doc = new Document(d, { version: '1.1' });
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && isYamlAmbiguous(node.value)) node.type = 'QUOTE_DOUBLE';
      },
    });
    return doc.toString({ lineWidth: 0 });
  }).join('---\n');
}
