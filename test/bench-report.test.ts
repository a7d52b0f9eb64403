/**
 * The verdicts of `npm run bench` (bench/run.ts `report`), on made-up timings: which numbers are
 * judged against which target. The timings themselves are measured by the bench, never here.
 */
import { ChildResult, LINES, Line, segmentReps } from '../bench/phases';
import { pairedRatio, repetitions, report } from '../bench/run';

/** A child result for the plain scenario with one timing for each given line (seconds), none for the others. */
function result(services: number, times: Partial<Record<Line, number>>): ChildResult {
  const byLine = Object.fromEntries(LINES.map((l) => [l, times[l] === undefined ? [] : [times[l]]])) as Record<Line, number[]>;
  return { services, times: { plain: byLine }, wall: {}, maxRssBytes: 0, warnings: 0 };
}

/** The table row of a line or ratio, by the start of its label. */
const row = (text: string, label: string) => text.split('\n').find((l) => l.startsWith(`| ${label}`)) ?? '';

describe('npm run bench: verdicts', () => {
  test('a baseline growing faster than linearly is printed as a baseline, and does not fail the run', () => {
    // raw cdk8s: ×17.8 for ×10 services (exponent 1.25); the library: ×10 (exponent 1.00)
    const { text, pass } = report(
      result(1000, { 'cdk8s-library': 1.1, 'cdk8s-raw': 1.0 }),
      result(10000, { 'cdk8s-library': 11, 'cdk8s-raw': 17.8 }),
    );
    expect(row(text, 'cdk8s: raw ApiObjects')).toMatch(/1\.25 \(baseline\)/);
    expect(row(text, 'cdk8s: library constructs')).toMatch(/1\.00 PASS/);
    expect(pass).toBe(true);
  });

  test('a library line growing faster than linearly fails the run', () => {
    const { text, pass } = report(
      result(1000, { 'cdk8s-library': 1.0, 'cdk8s-raw': 1.0 }),
      result(10000, { 'cdk8s-library': 15, 'cdk8s-raw': 10 }),
    );
    expect(row(text, 'cdk8s: library constructs')).toMatch(/1\.18 \*\*FAIL\*\*/);
    expect(pass).toBe(false);
  });

  test('a ratio over its target at either size fails the run; the analysis is judged against the library synth', () => {
    const over = report(
      result(1000, { 'cdk8s-library': 1.2, 'cdk8s-raw': 1.0, analysis: 0.1 }),
      result(10000, { 'cdk8s-library': 10, 'cdk8s-raw': 10, analysis: 1 }),
    );
    expect(row(over.text, 'cdk8s: constructs + synth / raw')).toMatch(/1\.20× \(1\.20×\) \| 1\.00× \(1\.00×\) \| ≤ 1\.15× \| \*\*FAIL\*\*/);
    expect(row(over.text, 'analysis / cdk8s library synth')).toMatch(/8% \(8%\) \| 10% \(10%\) \| ≤ 25% \| PASS/);
    expect(over.pass).toBe(false);
    const within = report(
      result(1000, { 'cdk8s-library': 1.1, 'cdk8s-raw': 1.0, analysis: 0.3 }),
      result(10000, { 'cdk8s-library': 11, 'cdk8s-raw': 10, analysis: 3 }),
    );
    expect(row(within.text, 'analysis / cdk8s library synth')).toMatch(/27% \(27%\) \| 27% \(27%\) \| ≤ 25% \| \*\*FAIL\*\*/);
    expect(within.pass).toBe(false);
  });

  test('the peak RSS before the Pulumi lines is printed when the child measured it, and left out otherwise', () => {
    const withPulumi = (services: number, before: number | undefined): ChildResult => ({
      ...result(services, { 'cdk8s-library': 1, 'cdk8s-raw': 1, 'pulumi-library': 10, 'pulumi-raw': 10 }),
      maxRssBytes: 8 * 2 ** 30,
      maxRssBytesBeforePulumi: before,
    });
    const both = report(withPulumi(1000, 500 * 2 ** 20), withPulumi(10000, 1000 * 2 ** 20)).text;
    expect(both).toMatch(/Peak RSS of the process \(every line, every scenario\): 8,192 MB at 1,000 services, 8,192 MB at 10,000\./);
    expect(both).toMatch(/Before the Pulumi lines \(which run last\): 500 MB at 1,000 services, 1,000 MB at 10,000\./);
    expect(report(withPulumi(1000, undefined), withPulumi(10000, undefined)).text).not.toMatch(/Before the Pulumi lines/);
  });

  test('a ratio is judged on the median of the per-repetition ratios, not on the ratio of the medians', () => {
    // The machine slows down between repetitions: each repetition's pair is 1.10x, but the
    // library's median comes from a slow repetition and the raw line's from a fast one.
    const reps = (services: number, library: number[], raw: number[]): ChildResult => {
      const r = result(services, {});
      return { ...r, times: { plain: { ...r.times.plain, 'cdk8s-library': library, 'cdk8s-raw': raw } } };
    };
    const small = reps(1000, [1.1, 2.2, 3.3], [1.0, 2.0, 3.0]);
    expect(pairedRatio(small.times.plain, 'cdk8s-library', 'cdk8s-raw')).toBeCloseTo(1.1);
    // pairs of 1.10x except one; the medians (2.2 and 1.4) come from different repetitions
    const skewed = reps(1000, [1.1, 1.1, 2.2, 2.2, 3.3], [1.0, 1.0, 1.4, 2.0, 3.0]);
    expect(pairedRatio(skewed.times.plain, 'cdk8s-library', 'cdk8s-raw')).toBeCloseTo(1.1);
    const { text, pass } = report(skewed, reps(10000, [11], [10]));
    // the ratio of the medians (2.2 / 1.4 = 1.57) is printed in parentheses, and does not decide
    expect(row(text, 'cdk8s: constructs + synth / raw')).toMatch(/1\.10× \(1\.57×\) \| 1\.10× \(1\.10×\) \| ≤ 1\.15× \| PASS/);
    expect(pass).toBe(true);
    expect(() => pairedRatio(reps(1000, [1, 2], [1]).times.plain, 'cdk8s-library', 'cdk8s-raw')).toThrow(/2 and 1 repetitions/);
  });

  test('the repetitions line gives the Pulumi lines\' count apart when it differs', () => {
    const runs = (n: number, pulumi: number, lines: readonly Line[] = LINES): ChildResult => {
      const r = result(1000, {});
      const byLine = Object.fromEntries(LINES.map((l) => [l, lines.includes(l) ? Array(l.startsWith('pulumi-') ? pulumi : n).fill(1) : []]));
      return { ...r, times: { plain: byLine as Record<Line, number[]>, mixed: byLine as Record<Line, number[]> } };
    };
    expect(repetitions(runs(15, 5))).toBe('15 (Pulumi lines: 5)');
    expect(repetitions(runs(3, 3))).toBe('3');
    expect(repetitions(runs(15, 5, ['cdk8s-library', 'cdk8s-raw']))).toBe('15');
    expect(repetitions(runs(15, 5, ['pulumi-library', 'pulumi-raw']))).toBe('5');
    expect(report(runs(15, 5), { ...runs(5, 3), services: 10000 }).text)
      .toMatch(/Repetitions \(median shown\): 15 \(Pulumi lines: 5\) at 1,000 services, 5 \(Pulumi lines: 3\) at 10,000\./);
  });

  test('a bracketed child splits each phase\'s repetitions in two halves, the first rounded up, and the report says so', () => {
    expect(segmentReps(31, 2)).toEqual([16, 15]);
    expect(segmentReps(5, 2)).toEqual([3, 2]);
    expect(segmentReps(1, 2)).toEqual([1, 0]);
    expect(segmentReps(31, 1)).toEqual([31]);
    const small = result(1000, { 'cdk8s-library': 1.1, 'cdk8s-raw': 1.0 });
    const large = result(10000, { 'cdk8s-library': 11, 'cdk8s-raw': 10 });
    const bracketed = /The 1,000-service process ran the first half of its repetitions before the 10,000-service process and the rest after it\./;
    expect(report({ ...small, bracketed: true }, large).text).toMatch(bracketed);
    expect(report(small, large).text).not.toMatch(bracketed);
  });
});
