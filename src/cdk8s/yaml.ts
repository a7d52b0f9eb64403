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
import { remembered } from '../core/memo';

/** Answers of `isYamlAmbiguous`, per string (programs repeat the same few values thousands of times). */
const answers = new Map<string, boolean>();
const MAX_ANSWERS = 50_000;

/**
 * Strings that no reader can take for anything but themselves, recognised without the parser:
 * a letter, `_` or `/` first (no number, date, `.inf`, `~`, `=`, `<<` or indicator starts that
 * way), then only letters, digits, `.`, `_`, `/` and `-` (no space, `#`, `:` or flow indicator),
 * not one of the YAML 1.1 / 1.2 words for a boolean or null (case-insensitive, so a superset of
 * the cases the schemas list), and not `e` or `E` then a digit or sign (the `yaml` package's YAML
 * 1.1 float pattern takes `e5` and `E-7` for numbers: its mantissa is optional). Most strings of a manifest (names, DNS names, label values, paths)
 * are of this form; every other string goes to the parser. test/yaml-ambiguity.test.ts checks the
 * shortcut against the parser.
 */
const WORDS = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']);

/** Per character code below 128: 1 if it may start a plain-safe string (letter, `_`, `/`), 2 if it may follow (also digit, `.`, `-`). */
const PLAIN_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_/]/.test(ch)) PLAIN_CLASS[c] = 1;
  else if (/[0-9.-]/.test(ch)) PLAIN_CLASS[c] = 2;
}

/**
 * Whether `s` is of the form `^[A-Za-z_/][A-Za-z0-9._/-]*$`, not `e`/`E` then a digit or `-`, and
 * not one of `WORDS` (see above): then `isYamlAmbiguous(s)` is false. A loop over the character
 * codes (the synth tests every key and value of every object). @internal
 */
export function isPlainSafe(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  if (first >= 128 || PLAIN_CLASS[first] !== 1) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || PLAIN_CLASS[c] === 0) return false;
  }
  // `e5`, `E-7` (a `+` cannot occur here).
  if ((first === 101 || first === 69) && n > 1) {
    const second = s.charCodeAt(1);
    if (second === 45 || (second >= 48 && second <= 57)) return false;
  }
  return n > 5 || !WORDS.has(s.toLowerCase());
}

/** Whether some YAML reader would read the plain scalar `s` as something other than the string `s`. @internal */
export function isYamlAmbiguous(s: string): boolean {
  if (isPlainSafe(s)) return false;
  return parsedAmbiguous(s);
}

/** `isYamlAmbiguous` by the parser (cached per string). @internal */
export function parsedAmbiguous(s: string): boolean {
  return remembered(answers, s, MAX_ANSWERS, computeAmbiguous);
}

/**
 * The ambiguous strings (keys and values) of some objects, each once: what a rewrite of their
 * YAML would have to quote. Empty for most programs. @internal
 */
export function ambiguousStrings(objects: readonly unknown[]): Set<string> {
  const found = new Set<string>();
  // Keys already found unambiguous: the objects of a program repeat a few dozen keys thousands of times.
  const plainKeys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (isYamlAmbiguous(v)) found.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (!plainKeys.has(k)) {
          if (isYamlAmbiguous(k)) found.add(k);
          else plainKeys.add(k);
        }
        walk((v as Record<string, unknown>)[k]);
      }
    }
  };
  for (const o of objects) walk(o);
  return found;
}

/**
 * Whether YAML text (as cdk8s writes it: block style, one scalar per line after `key: ` or `- `)
 * holds one of `strings` as a plain (unquoted) scalar, key or value: only then does it need
 * rewriting. A quoted scalar starts with a quote, so it never equals one of the strings. @internal
 */
export function hasPlainScalar(text: string, strings: ReadonlySet<string>): boolean {
  if (strings.size === 0) return false;
  // Each match below starts the (trimmed) line, or follows `- ` or `: `: the string occurs at the
  // start of the text or after whitespace. Without such an occurrence (the usual case: the strings
  // are written quoted, or are not there), no line can match, and the lines are not split.
  if (!occursAfterWhitespace(text, strings)) return false;
  for (const raw of text.split('\n')) {
    let line = raw.trimStart();
    while (line.startsWith('- ')) line = line.slice(2).trimStart();
    if (strings.has(line)) return true;
    const colon = line.indexOf(': ');
    if (colon >= 0) {
      if (strings.has(line.slice(0, colon)) || strings.has(line.slice(colon + 2))) return true;
    } else if (line.endsWith(':') && strings.has(line.slice(0, -1))) {
      return true;
    }
  }
  return false;
}

/** Whether one of `strings` occurs in `text` at its start or right after a whitespace character (true for the empty string). */
function occursAfterWhitespace(text: string, strings: ReadonlySet<string>): boolean {
  for (const s of strings) {
    if (s === '') return true;
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
      if (i === 0 || /\s/.test(text[i - 1])) return true;
    }
  }
  return false;
}

function computeAmbiguous(s: string): boolean {
  for (const version of ['1.1', '1.2'] as const) {
    try {
      // logLevel 'error': a string such as a CRD's CEL rule `!has(self.x)` reads as an unknown tag, which the
      // parser would otherwise print as a process warning on every synth (it is ambiguous: quoted when written).
      if (parse(s, { version, logLevel: 'error' }) !== s) return true;
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
