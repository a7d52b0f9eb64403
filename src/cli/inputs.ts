/**
 * Reading the CLI's inputs: files, directories (recursively) and standard input, as
 * `istioctl analyze` gathers them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../analysis/load';
import { AnalysisInput } from '../analysis/types';

/** The file extensions read from directories (and accepted for files), as istioctl's. */
export const FILE_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml'];

/** What the commands need from the outside world; tests pass their own. */
export interface CliIo {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for the `-` argument). */
  readonly readStdin: () => Promise<string>;
  /** The directory relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

/** The objects read from the arguments, and what could not be read. */
export interface GatheredInputs {
  readonly inputs: AnalysisInput[];
  /** The names of the sources read (files, or `-`), in order. */
  readonly sources: string[];
  /** One message per file that is not valid YAML (the file's objects are left out). */
  readonly parseErrors: string[];
}

/**
 * Reads every argument: `-` is standard input, a directory is walked recursively for `*.yaml`,
 * `*.yml` and `*.json` files (in sorted order), a file is read whatever its name (a warning is
 * printed for other extensions, which are skipped, as istioctl does).
 *
 * @throws Error when a path does not exist (the message names it)
 */
export async function gatherInputs(args: readonly string[], io: CliIo): Promise<GatheredInputs> {
  const cwd = io.cwd ?? process.cwd();
  const inputs: AnalysisInput[] = [];
  const sources: string[] = [];
  const parseErrors: string[] = [];
  const read = (text: string, name: string) => {
    sources.push(name);
    try {
      inputs.push(...parseManifests(text, name));
    } catch (e) {
      parseErrors.push((e as Error).message);
    }
  };
  for (const arg of args) {
    if (arg === '-') {
      read(await io.readStdin(), '-');
      continue;
    }
    const full = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new Error(`stat ${arg}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const file of walk(full)) {
        const shown = path.join(arg, path.relative(full, file));
        if (FILE_EXTENSIONS.includes(path.extname(file))) read(fs.readFileSync(file, 'utf8'), shown);
        else io.stderr(`Skipping file ${shown}, recognized file extensions are: [${FILE_EXTENSIONS.join(' ')}]\n`);
      }
    } else if (FILE_EXTENSIONS.includes(path.extname(full))) {
      read(fs.readFileSync(full, 'utf8'), arg);
    } else {
      io.stderr(`Skipping file ${arg}, recognized file extensions are: [${FILE_EXTENSIONS.join(' ')}]\n`);
    }
  }
  return { inputs, sources, parseErrors };
}

/** Every file under a directory, depth first, entries in byte order (stable across platforms). */
function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** Reads all of the process's standard input. */
export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
