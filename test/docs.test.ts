/**
 * The documentation a user navigates: every in-document link of API.md and README.md lands on a
 * heading (GitHub's anchors), README's links to files in the repository exist, and API.md has one
 * section per entry point with an example under every construct.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Slugger, brokenAnchorLinks, headingAnchors, outline } from '../scripts/anchors';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('GitHub heading anchors', () => {
  test.each([
    ['CanaryService', 'canaryservice'],
    ['INVALID\\_NAME', 'invalid_name'],
    ['warnings?', 'warnings'],
    ['isConstruct()', 'isconstruct'],
    ['Core: `istio-constructs`', 'core-istio-constructs'],
    ['cdk8s: `istio-constructs/cdk8s`', 'cdk8s-istio-constructscdk8s'],
    ['Use it with cdk8s', 'use-it-with-cdk8s'],
    ['[API.md](API.md) *now*', 'apimd-now'],
  ])('%s → #%s', (source, anchor) => {
    expect(new Slugger().next(source)).toBe(anchor);
  });

  test('repeated headings get -1, -2 in document order, skipping anchors already taken', () => {
    // GIVEN a heading that looks like a repeat of another
    const md = '# a\n\n## a\n\n## a-1\n\n## a\n';
    // THEN the second "a" is a-1, the literal "a-1" then becomes a-1-1, the third "a" is a-2
    expect(headingAnchors(md)).toEqual(['a', 'a-1', 'a-1-1', 'a-2']);
  });

  test('lines in fenced code are neither headings nor links', () => {
    const md = '# title\n\n```sh\n# not a heading [x](#nowhere)\n```\n\n[ok](#title) [bad](#nowhere)\n';
    expect(headingAnchors(md)).toEqual(['title']);
    expect(brokenAnchorLinks(md).map((l) => [l.target, l.line])).toEqual([['#nowhere', 7]]);
  });
});

describe.each(['API.md', 'README.md'])('%s', (file) => {
  test('every in-document link resolves to a heading', () => {
    expect(brokenAnchorLinks(read(file)).map((l) => `${file}:${l.line} ${l.target}`)).toEqual([]);
  });

  test('every relative link to a file names a file of the repository', () => {
    const missing = outline(read(file)).links
      .map((l) => l.target.split('#')[0])
      .filter((t) => t && !/^[a-z][a-z0-9+.-]*:/i.test(t))
      .filter((t) => !fs.existsSync(path.join(ROOT, path.dirname(file), decodeURIComponent(t))));
    expect(missing).toEqual([]);
  });
});

describe('API.md', () => {
  const api = read('API.md');
  const headings = outline(api).headings;

  test('has one section per entry point, in the order core, cdk8s, Pulumi, policy pack', () => {
    expect(headings.filter((h) => h.level === 2).map((h) => h.source)).toEqual([
      'Core: `istio-constructs`',
      'cdk8s: `istio-constructs/cdk8s`',
      'Pulumi: `istio-constructs/pulumi`',
      'Policy pack: `istio-constructs/policy`',
    ]);
  });

  test('links to each section from the top', () => {
    const top = api.slice(0, api.indexOf('\n## '));
    expect(top).toContain('](#core-istio-constructs)');
    expect(top).toContain('](#cdk8s-istio-constructscdk8s)');
    expect(top).toContain('](#pulumi-istio-constructspulumi)');
  });

  /** The classes of one section, each with the headings under it. */
  const classesOf = (section: string): Map<string, string[]> => {
    const start = headings.findIndex((h) => h.level === 2 && h.source.startsWith(section));
    const end = headings.findIndex((h, i) => i > start && h.level === 2);
    const classes = new Map<string, string[]>();
    let current: string[] | undefined;
    let inClasses = false;
    for (const h of headings.slice(start + 1, end === -1 ? undefined : end)) {
      if (h.level === 3) inClasses = h.source === 'Classes';
      if (h.level === 4) {
        current = inClasses ? [] : undefined;
        if (current) classes.set(h.source, current);
      } else if (h.level > 4) {
        current?.push(h.source);
      }
    }
    return classes;
  };

  test('shows an example for every cdk8s construct', () => {
    const classes = classesOf('cdk8s:');
    expect([...classes.keys()]).toEqual(expect.arrayContaining(['CanaryService', 'TcpIngress', 'StickyService', 'HardenedGateway']));
    expect([...classes].filter(([, under]) => !under.includes('Example')).map(([name]) => name)).toEqual([]);
  });

  test('a link to a symbol lands on that symbol, a link to a member under its owner', () => {
    const slugger = new Slugger();
    const anchored = headings.map((h) => ({ ...h, anchor: slugger.next(h.source) }));
    const at = new Map(anchored.map((h, i) => [h.anchor, i]));
    const symbolLinks = [...api.matchAll(/\[`([^`]+)`\]\(#([^)]+)\)/g)];
    const memberLinks = [...api.matchAll(/\[`([^`]+)`\]\(#([^)]+)\)\.\[`([^`]+)`\]\(#([^)]+)\)/g)];
    expect(symbolLinks.length).toBeGreaterThan(100);
    expect(memberLinks.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const [link, text, anchor] of symbolLinks) {
      const h = anchored[at.get(anchor)!];
      // Headings carry TypeDoc's escapes (`INVALID\_NAME`) and optional marks (`gateway?`).
      if (h && !h.source.replace(/\\/g, '').startsWith(text) && !text.startsWith('istio-constructs')) wrong.push(`${link} → ${h.source}`);
    }
    for (const [link, , owner, , member] of memberLinks) {
      const i = at.get(member)!;
      const ownerHeading = anchored.slice(0, i).reverse().find((h) => h.level === 4);
      if (ownerHeading?.anchor !== owner) wrong.push(`${link} → member of ${ownerHeading?.source}`);
    }
    expect(wrong).toEqual([]);
  });

  test('does not repeat the core in the engine sections, nor the members of Construct', () => {
    expect(headings.filter((h) => h.source === 'References')).toEqual([]);
    expect(headings.filter((h) => /^isConstruct/.test(h.source))).toEqual([]);
  });
});
