/**
 * Markdown headings, in-document links and GitHub's heading anchors, for the docs generator
 * (scripts/docs.ts) and the docs tests. No dependencies: the anchor rule is GitHub's
 * (github-slugger): lower case, punctuation other than `-` and `_` dropped, spaces become `-`,
 * and the n-th repeat of a slug gets the suffix `-n`.
 */

/** One ATX heading (`## Title`) outside fenced code. */
export interface Heading {
  /** 1-6. */
  readonly level: number;
  /** The heading's Markdown source, without the `#`s. */
  readonly source: string;
  /** 1-based line number. */
  readonly line: number;
}

/** One inline link `[text](target)` outside fenced code. */
export interface Link {
  /** The target as written, e.g. `#canaryservice` or `docs/x.md`. */
  readonly target: string;
  /** 1-based line number. */
  readonly line: number;
}

/** A fenced code block (```` ``` ```` or `~~~`). */
export interface CodeBlock {
  /** The info string's first word, lower case (`ts`, `sh`, or `''`). */
  readonly lang: string;
  /** The code, lines joined with `\n`, without the fences. */
  readonly code: string;
  /** 1-based line number of the first code line (the line after the opening fence). */
  readonly line: number;
  /** The nearest non-blank line before the opening fence (to read a marker comment from). */
  readonly before: string;
}

/** The parts of a Markdown document the docs checks need. */
export interface MarkdownOutline {
  readonly headings: Heading[];
  readonly links: Link[];
  readonly codeBlocks: CodeBlock[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/**
 * Reads the headings, inline links and fenced code blocks of a Markdown document. Lines inside
 * fenced code are neither headings nor links.
 */
export function outline(markdown: string): MarkdownOutline {
  const headings: Heading[] = [];
  const links: Link[] = [];
  const codeBlocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let fence: { marker: string; lang: string; start: number; before: string } | undefined;
  let body: string[] = [];
  let lastText = '';
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence.marker[0] && f[1].length >= fence.marker.length && !f[2]) {
        codeBlocks.push({ lang: fence.lang, code: body.join('\n'), line: fence.start, before: fence.before });
        fence = undefined;
        lastText = '';
      } else {
        body.push(line);
      }
      return;
    }
    if (f) {
      fence = { marker: f[1], lang: f[2].toLowerCase(), start: i + 2, before: lastText };
      body = [];
      return;
    }
    if (line.trim()) lastText = line.trim();
    const h = HEADING.exec(line);
    if (h) headings.push({ level: h[1].length, source: h[2], line: i + 1 });
    const text = line.replace(/`[^`]*`/g, 'code');
    for (const m of text.matchAll(/\]\(\s*<?([^()\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: i + 1 });
  });
  if (fence) throw new Error(`unclosed code fence opened on line ${fence.start - 1}`);
  return { headings, links, codeBlocks };
}

/**
 * The text GitHub renders for a heading's Markdown: code spans, links, images, HTML tags,
 * emphasis markers and backslash escapes reduced to their text.
 */
export function headingText(source: string): string {
  return source
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, (_, code: string) => code.replace(/[\\*_]/g, (c) => `\\${c}`))
    .replace(/(^|[^\\])\*+/g, '$1')
    .replace(/(^|[^\\])\*+/g, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** GitHub's slug of one heading text, before de-duplication. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/**
 * Assigns anchors as GitHub does over one document: the first heading with a slug gets it,
 * the next `<slug>-1`, and so on (skipping suffixed slugs already taken).
 */
export class Slugger {
  private readonly seen = new Map<string, number>();

  /** The anchor of the next heading whose Markdown is `source`. */
  public next(source: string): string {
    const base = slug(headingText(source));
    let result = base;
    while (this.seen.has(result)) {
      const n = this.seen.get(base)! + 1;
      this.seen.set(base, n);
      result = `${base}-${n}`;
    }
    this.seen.set(result, 0);
    return result;
  }
}

/** Every heading anchor of a document, in document order. */
export function headingAnchors(markdown: string): string[] {
  const slugger = new Slugger();
  return outline(markdown).headings.map((h) => slugger.next(h.source));
}

/** The in-document links (`](#anchor)`) of a document that match no heading anchor. */
export function brokenAnchorLinks(markdown: string): Link[] {
  const anchors = new Set(headingAnchors(markdown));
  return outline(markdown).links.filter((l) => l.target.startsWith('#') && !anchors.has(decodeURIComponent(l.target.slice(1))));
}
