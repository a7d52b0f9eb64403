/**
 * Output formats of `istio-constructs analyze`: `log`, `json` and `yaml` as `istioctl analyze`
 * prints them, and SARIF 2.1.0 for code-scanning UIs.
 */
import * as path from 'path';
import { stringify } from 'yaml';
import { DiagnosticLevel, Messages } from '../analysis/messages';
import { Diagnostic } from '../analysis/types';

/** The formats `analyze -o` accepts. */
export const OUTPUT_FORMATS = ['log', 'json', 'yaml', 'sarif'] as const;
/** One of `OUTPUT_FORMATS`. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/** Where Istio documents its message codes (one page per code, lower case). */
const ISTIO_ANALYSIS_DOCS = 'https://istio.io/latest/docs/reference/config/analysis';
/** Where the library documents its own (`ICA`) codes. */
const LIBRARY_CODES_DOCS = 'https://www.npmjs.com/package/istio-constructs#library-analysis-codes';

/**
 * The documentation page of a message code: Istio's page for `IST` codes (as istioctl links
 * them), the README's table for the library's `ICA` codes.
 */
export function documentationUrl(code: string): string {
  return code.startsWith('IST') ? `${ISTIO_ANALYSIS_DOCS}/${code.toLowerCase()}/` : LIBRARY_CODES_DOCS;
}

/**
 * Where the object of a diagnostic was read from, as istioctl prints it: `file:line`, or just
 * the file for JSON files and objects without a line; undefined for objects not read from a file.
 */
export function reference(d: Diagnostic): string | undefined {
  if (!d.source?.file) return undefined;
  return d.source.line && path.extname(d.source.file) !== '.json' ? `${d.source.file}:${d.source.line}` : d.source.file;
}

/** One line per diagnostic, as `istioctl analyze` logs it: `Error [IST0101] (VirtualService default/reviews file.yaml:12) message`. */
export function formatLog(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => {
    const ref = reference(d);
    return `${d.level} [${d.code}] (${d.resource}${ref ? ` ${ref}` : ''}) ${d.message}`;
  }).join('\n');
}

/**
 * The structured form istioctl prints for `-o json` and `-o yaml`: per message `code`,
 * `documentationUrl`, `level`, `message`, `origin` (the resource) and `reference` (file:line),
 * keys in that (alphabetical) order.
 */
export function toUnstructured(d: Diagnostic): Record<string, string> {
  const ref = reference(d);
  return {
    code: d.code,
    documentationUrl: documentationUrl(d.code),
    level: d.level,
    message: d.message,
    origin: d.resource,
    ...(ref ? { reference: ref } : {}),
  };
}

/** `-o json`: an array of `toUnstructured` objects, indented with tabs as istioctl's. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics.map(toUnstructured), null, '\t');
}

/** `-o yaml`: the same objects as `-o json`, as a YAML sequence. */
export function formatYaml(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.length ? stringify(diagnostics.map(toUnstructured), { lineWidth: 0 }).trimEnd() : '[]';
}

const SARIF_LEVEL: Record<DiagnosticLevel, 'error' | 'warning' | 'note'> = { Error: 'error', Warning: 'warning', Info: 'note' };

/** `ReferencedResourceNotFound` → `Referenced resource not found`. */
function words(name: string): string {
  const text = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return text.charAt(0) + text.slice(1).toLowerCase();
}

/** Options of `formatSarif`. */
export interface SarifOptions {
  /** The tool version reported in the log. */
  readonly version?: string;
  /** The directory relative file names are relative to (becomes `%SRCROOT%`). */
  readonly cwd?: string;
}

/**
 * `-o sarif`: a SARIF 2.1.0 log with one run. Its rules are every message type the analyzer
 * knows (id = code, name = message name, default level), its results one per diagnostic with
 * the rule, level (`error`, `warning`, `note`), message, the file and line of the object
 * (relative to the working directory, `%SRCROOT%`) and the resource as a logical location.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): string {
  const types = new Map<string, { name: string; level: DiagnosticLevel }>();
  for (const [name, t] of Object.entries(Messages)) types.set(t.code, { name, level: t.level });
  for (const d of diagnostics) if (!types.has(d.code)) types.set(d.code, { name: d.name, level: d.level });
  const codes = [...types.keys()].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const t = types.get(code)!;
    return {
      id: code,
      name: t.name,
      shortDescription: { text: words(t.name) },
      helpUri: documentationUrl(code),
      defaultConfiguration: { level: SARIF_LEVEL[t.level] },
    };
  });
  const cwd = options.cwd ?? process.cwd();
  const results = diagnostics.map((d) => {
    const locations: unknown[] = [];
    const logical = [{ name: d.resourceName, fullyQualifiedName: d.resource, kind: 'resource' }];
    if (d.source?.file && d.source.file !== '-') {
      const abs = path.resolve(cwd, d.source.file);
      const rel = path.relative(cwd, abs);
      const artifactLocation = rel.startsWith('..') || path.isAbsolute(rel)
        ? { uri: `file://${abs.split(path.sep).map(encodeURIComponent).join('/')}` }
        : { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
      locations.push({
        physicalLocation: { artifactLocation, ...(d.source.line ? { region: { startLine: d.source.line } } : {}) },
        logicalLocations: logical,
      });
    } else {
      locations.push({ logicalLocations: logical });
    }
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level: SARIF_LEVEL[d.level],
      message: { text: `${d.resource}: ${d.message}` },
      locations,
      ...(d.path ? { properties: { path: d.path, analyzer: d.analyzer } } : { properties: { analyzer: d.analyzer } }),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'istio-constructs',
          informationUri: 'https://www.npmjs.com/package/istio-constructs',
          ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
          rules,
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${cwd.split(path.sep).map(encodeURIComponent).join('/')}/` } },
      results,
    }],
  };
  return JSON.stringify(log, null, 2);
}
