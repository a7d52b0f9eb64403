/**
 * The lines `npm run bench` times, the phases a child runs them in, and what a child writes: shared
 * by bench/child.ts and bench/run.ts (which cannot import the child: it runs when loaded).
 */

/** The lines, in the order each repetition runs them. */
export const LINES = ['cdk8s-library', 'cdk8s-raw', 'build-yaml-library', 'yaml-floor', 'pulumi-library', 'pulumi-raw', 'analysis'] as const;
/** One line's name. */
export type Line = typeof LINES[number];

/** What one child writes. */
export interface ChildResult {
  readonly services: number;
  /** CPU seconds (user + system) per repetition, by scenario then line. */
  readonly times: Record<string, Record<Line, number[]>>;
  /** Wall-clock seconds of every timed run (all scenarios), by line. */
  readonly wall: Partial<Record<Line, number[]>>;
  /** Peak resident set size of the process, in bytes. */
  readonly maxRssBytes: number;
  /** Peak resident set size of the process before the Pulumi lines ran (every other line), in bytes. */
  readonly maxRssBytesBeforePulumi?: number;
  /** Warnings printed by the library while measuring (silenced, counted). */
  readonly warnings: number;
  /**
   * Whether the child ran half of its repetitions (rounded up) before the other size's child and
   * the rest after it, paused in between (child.ts `--pause`).
   */
  readonly bracketed?: boolean;
}

/** A phase's repetitions in each segment of a child: all of them, or the first half (rounded up) and the rest. */
export function segmentReps(reps: number, segments: 1 | 2): number[] {
  return segments === 1 ? [reps] : [Math.ceil(reps / 2), Math.floor(reps / 2)];
}

/**
 * The phases of a child, in order: each runs its warm-up, then every repetition of its lines, before
 * the next phase starts. A library line runs in the phase of its baseline (and the analysis in the
 * phase of the cdk8s synth it is compared with), so each ratio still compares two lines run back to
 * back, repetition by repetition, in one process. Why phases:
 *
 * - A Pulumi line holds every resource of the program until the mock run ends (several GB at
 *   10,000 services) and leaves it behind as garbage in the old generation, which V8 does not
 *   collect until the heap grows back to the limit that peak set. Every line run after one was
 *   slower, the baselines as much as the library: at 5,000 services (mixed), yaml.stringify went
 *   from 2.2–2.6 to 3.3–3.7 CPU s and the raw cdk8s synth from 5.0–5.5 to 7.9–8.2 s after one raw
 *   Pulumi run. The Pulumi phase runs last, each line after a full collection (child.ts collectBefore).
 * - The two YAML lines leave their garbage (yaml's document trees) to whichever line next fills the
 *   old generation, most often the cdk8s library line, which allocates the most. Interleaved with
 *   them, both cdk8s lines ran about 25% slower and their ratio moved from 1.06 to 1.18 (1,000
 *   services, mixed, 16 repetitions each way); the YAML pair measured 1.14 either way.
 */
export const PHASES: readonly (readonly Line[])[] = [
  ['cdk8s-library', 'cdk8s-raw', 'analysis'],
  ['build-yaml-library', 'yaml-floor'],
  ['pulumi-library', 'pulumi-raw'],
];

/** The Pulumi lines (the last phase). */
export const PULUMI_LINES: ReadonlySet<Line> = new Set<Line>(PHASES[PHASES.length - 1]);

/** Whether a phase (or any list of lines) holds a Pulumi line. */
export const hasPulumiLine = (lines: readonly Line[]): boolean => lines.some((l) => PULUMI_LINES.has(l));
