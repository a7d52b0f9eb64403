#!/usr/bin/env node
/**
 * `istio-constructs`: the command line. `analyze` runs the whole-program analysis (Istio's
 * analyzers, the schema/CEL/webhook validator and the library's own checks) over any Kubernetes
 * YAML, with `istioctl analyze`'s flags, output formats and exit codes; `graph` draws the traffic
 * picture of a set of manifests as Mermaid, DOT or SVG.
 *
 * `run(argv, io)` is the whole program without touching the process (tests call it in-process);
 * the bin calls it with the process's arguments and streams.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parse } from 'yaml';
import { AnalysisInput, AnalysisOptions, Diagnostic, DiagnosticLevel } from '../analysis';
import { analyze, analyzerNames } from '../analysis/analyze';
import { Messages } from '../analysis/messages';
import { IstioConstructError } from '../core/errors';
import { buildTrafficGraph, renderSvg, toDot, toMermaid } from '../graph';
import { formatJson, formatLog, formatSarif, formatYaml, OUTPUT_FORMATS, OutputFormat } from './format';
import { CliIo, gatherInputs, readProcessStdin } from './inputs';

export { CliIo } from './inputs';

/** Exit codes, as istioctl defines them (`istioctl/cmd/sysexits.go`). */
export enum ExitCode {
  /** Success, or issues below the failure threshold. */
  OK = 0,
  /** Any other error (a path that does not exist, an unreadable mesh config). */
  UNKNOWN_ERROR = 1,
  /** Bad flags or arguments (`ExitIncorrectUsage`). */
  INCORRECT_USAGE = 64,
  /** Some input files could not be parsed (`ExitDataError`). */
  DATA_ERROR = 65,
  /** The analyzers found issues at or above the failure threshold (`ExitAnalyzerFoundIssues`). */
  ANALYZER_FOUND_ISSUES = 79,
}

/** Seams for tests. @internal */
export interface RunOptions {
  /** Replaces the analysis (to test output formats and thresholds with chosen diagnostics). */
  readonly analyze?: (inputs: readonly AnalysisInput[], options: AnalysisOptions) => Diagnostic[];
}

const LEVELS: readonly DiagnosticLevel[] = ['Error', 'Warning', 'Info'];
const SEVERITY: Record<DiagnosticLevel, number> = { Error: 0, Warning: 1, Info: 2 };
const ANALYSIS_DOCS = 'https://istio.io/latest/docs/reference/config/analysis';

/** An error that ends the command with a given exit code, after its message is printed. */
class ExitError extends Error {
  constructor(public readonly exitCode: ExitCode, message: string) {
    super(message);
  }
}

function parseLevel(value: string): DiagnosticLevel {
  const level = LEVELS.find((l) => l.toUpperCase() === value.toUpperCase());
  if (!level) throw new InvalidArgumentError(`invalid level option; valid values: ${LEVELS.join(', ')}`);
  return level;
}

function parseFormat(value: string): OutputFormat {
  const format = OUTPUT_FORMATS.find((f) => f === value.toLowerCase());
  if (!format) throw new InvalidArgumentError(`${value} not a valid option for format; one of ${OUTPUT_FORMATS.join(', ')}`);
  return format;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function version(): string {
  for (const p of [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
      if (pkg.name === 'istio-constructs') return String(pkg.version);
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

/** A glob with `*` (any run of characters), as istioctl's suppressions use. */
function globMatches(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

/**
 * Runs the CLI.
 *
 * @param argv the arguments after the program name (`['analyze', '-o', 'json', 'dir/']`)
 * @param io where output goes and where standard input comes from
 * @returns the exit code (see `ExitCode`)
 */
export async function run(argv: readonly string[], io: CliIo = processIo(), options: RunOptions = {}): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const program = new Command('istio-constructs')
    .description('Analyze Istio configuration and draw its traffic graph, from any Kubernetes YAML.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  program.command('analyze')
    .description('Analyze Istio configuration and print validation messages (as istioctl analyze does, offline). '
      + 'Reads YAML or JSON files, directories (recursively: *.yaml, *.yml, *.json) and - (standard input). '
      + 'Exit codes: 0 ok, 1 error, 64 bad usage, 65 files that could not be parsed, 79 issues at or above '
      + `the failure threshold (log output only, as istioctl). Message codes: ${ANALYSIS_DOCS}`)
    .argument('[files...]', 'files, directories or - for standard input')
    .addOption(new Option('-o, --output <format>', `output format: one of ${OUTPUT_FORMATS.join(', ')}`).default('log').argParser(parseFormat))
    .addOption(new Option('--failure-threshold <level>', 'the level at which to set a non-zero exit code: Info, Warning, Error').default('Error').argParser(parseLevel))
    .addOption(new Option('--output-threshold <level>', 'the level at which to print messages: Info, Warning, Error').default('Info').argParser(parseLevel))
    .option('--meshConfigFile <file>', 'a MeshConfig YAML (or the istio ConfigMap) to analyze with')
    .option('-n, --namespace <namespace>', 'the namespace of objects that have none', 'default')
    .option('-i, --istioNamespace <namespace>', 'the namespace Istio\'s control plane runs in', 'istio-system')
    .option('-A, --all-namespaces', 'accepted for istioctl compatibility: messages about every namespace are always printed')
    .addOption(new Option('-k, --use-kube [bool]', 'accepted for istioctl compatibility: no cluster is ever read').hideHelp())
    .option('-L, --list-analyzers', 'list the analyzers and exit')
    .option('--analyzer <name>', 'run only this analyzer (repeatable), e.g. virtualservice.GatewayAnalyzer', collect)
    .option('-S, --suppress <code=resource>', 'suppress a message code on a resource, e.g. "IST0102=Namespace default" or "IST0101=VirtualService default/*" (* globs; repeatable)', collect)
    .option('--ignore-unknown', 'do not fail on input documents that cannot be parsed')
    .action(async (files: string[], opts: any) => {
      exitCode = await analyzeCommand(files, opts, io, options);
    });

  program.command('graph')
    .description('Draw the traffic graph of a set of manifests: gateways -> hosts -> routes (matches, faults, '
      + 'timeouts, retries) -> destinations (subsets, weights, mirrors, DestinationRule policies), and the '
      + 'security policies that apply. Mermaid renders in GitHub pull requests; SVG is laid out offline.')
    .argument('[files...]', 'files, directories or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'svg', 'dot']).default('mermaid'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('-n, --namespace <namespace>', 'the namespace of objects that have none', 'default')
    .addOption(new Option('--direction <direction>', 'layout direction').choices(['LR', 'TB']).default('LR'))
    .option('--markdown', 'Mermaid only: wrap the chart in a ```mermaid fence, ready for a pull request comment')
    .option('--title <title>', 'SVG and DOT only: a title above the graph (default: the input names)')
    .action(async (files: string[], opts: any) => {
      exitCode = await graphCommand(files, opts, io);
    });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.OK : ExitCode.INCORRECT_USAGE;
    if (e instanceof ExitError) {
      io.stderr(`Error: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr(`Error: ${(e as Error).message ?? String(e)}\n`);
    return ExitCode.UNKNOWN_ERROR;
  }
  return exitCode;
}

async function analyzeCommand(files: string[], opts: any, io: CliIo, options: RunOptions): Promise<number> {
  if (opts.listAnalyzers) {
    const names = analyzerNames().sort((a, b) => (a.name < b.name ? -1 : 1));
    io.stdout(names.map((a) => `* ${a.name}:\n${a.default ? '' : '    not run by default; select it with --analyzer\n'}`).join(''));
    return ExitCode.OK;
  }
  if (!files.length) throw new ExitError(ExitCode.INCORRECT_USAGE, 'no input: give files, directories or - (standard input); this CLI never reads a cluster');
  const suppressions = (opts.suppress ?? []).map((s: string) => {
    const parts = s.split('=');
    if (parts.length !== 2) throw new ExitError(ExitCode.UNKNOWN_ERROR, `${s} is not a valid suppression value. See istio-constructs analyze --help`);
    if (!Object.values(Messages).some((m) => m.code === parts[0])) {
      io.stderr(`Warning: Supplied message code '${parts[0]}' is an unknown message code and will not have any effect.\n`);
    }
    return { code: parts[0], resource: parts[1] };
  });
  const meshConfig = opts.meshConfigFile ? readMeshConfig(opts.meshConfigFile, io) : undefined;
  const { inputs, sources, parseErrors } = await gatherInputs(files, io);
  if (parseErrors.length) io.stderr(`Error(s) adding files: ${parseErrors.join('\n')}\n`);

  let diagnostics: Diagnostic[];
  try {
    diagnostics = (options.analyze ?? analyze)(inputs, {
      ...(meshConfig ? { meshConfig } : {}),
      istioNamespace: opts.istioNamespace,
      defaultNamespace: opts.namespace,
      ...(opts.analyzer?.length ? { analyzers: opts.analyzer } : {}),
    });
  } catch (e) {
    if (e instanceof IstioConstructError) throw new ExitError(ExitCode.INCORRECT_USAGE, e.message);
    throw e;
  }

  // Suppressions: the object's galley.istio.io/analyze-suppress annotation, then --suppress.
  const annotations = new Map<string, string>();
  for (const { manifest } of inputs) {
    const value = manifest.metadata?.annotations?.['galley.istio.io/analyze-suppress'];
    if (value) annotations.set(`${manifest.kind} ${manifest.metadata.namespace || opts.namespace}/${manifest.metadata.name}`, value);
  }
  diagnostics = diagnostics.filter((d) => {
    const codes = annotations.get(d.resource)?.split(',').map((c) => c.trim());
    if (codes && (codes.includes('*') || codes.includes(d.code))) return false;
    // istioctl names resources `Kind name.namespace` in its suppression examples, `Kind namespace/name` in its output: both match.
    const dotted = d.namespace ? `${d.kind} ${d.resourceName}.${d.namespace}` : d.resource;
    return !suppressions.some((s: { code: string; resource: string }) => s.code === d.code && (globMatches(s.resource, d.resource) || globMatches(s.resource, dotted)));
  });

  const format = opts.output as OutputFormat;
  const shown = diagnostics.filter((d) => SEVERITY[d.level] <= SEVERITY[opts.outputThreshold as DiagnosticLevel]);
  const text = format === 'json' ? formatJson(shown)
    : format === 'yaml' ? formatYaml(shown)
      : format === 'sarif' ? formatSarif(shown, { version: version(), cwd: io.cwd })
        : formatLog(shown);
  if (text) io.stdout(`${text}\n`);
  const target = sources.length === 1 ? sources[0] : `${sources.length} files`;
  if (!shown.length) {
    if (!parseErrors.length) io.stderr(`\u2714 No validation issues found when analyzing ${sources.length > 1 ? `:\n  - ${sources.join('\n  - ')}` : `${target}`}.\n`);
    else io.stderr(`No validation issues found when analyzing ${target} (but ${parseErrors.length} ${parseErrors.length === 1 ? 'file' : 'files'} could not be parsed).\n`);
  }
  // As istioctl: the exit code reflects the findings only with log output.
  if (format !== 'log') return ExitCode.OK;
  if (diagnostics.some((d) => SEVERITY[d.level] <= SEVERITY[opts.failureThreshold as DiagnosticLevel])) {
    io.stderr(`Error: Analyzers found issues when analyzing ${target}.\nSee ${ANALYSIS_DOCS} for more information about causes and resolutions.\n`);
    return ExitCode.ANALYZER_FOUND_ISSUES;
  }
  if (parseErrors.length && !opts.ignoreUnknown) {
    io.stderr('Error: Some files couldn\'t be parsed.\n');
    return ExitCode.DATA_ERROR;
  }
  return ExitCode.OK;
}

/** Reads `--meshConfigFile`: a MeshConfig document, or the `istio` ConfigMap holding one under `data.mesh`. */
function readMeshConfig(file: string, io: CliIo): Record<string, unknown> {
  const full = path.resolve(io.cwd ?? process.cwd(), file);
  try {
    let value = parse(fs.readFileSync(full, 'utf8'), { version: '1.1' });
    if (value && value.kind === 'ConfigMap' && typeof value.data?.mesh === 'string') value = parse(value.data.mesh, { version: '1.1' });
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error('not a YAML mapping');
    return value;
  } catch (e) {
    throw new ExitError(ExitCode.UNKNOWN_ERROR, `cannot read mesh config ${file}: ${(e as Error).message}`);
  }
}

async function graphCommand(files: string[], opts: any, io: CliIo): Promise<number> {
  if (!files.length) throw new ExitError(ExitCode.INCORRECT_USAGE, 'no input: give files, directories or - (standard input)');
  const { inputs, sources, parseErrors } = await gatherInputs(files, io);
  if (parseErrors.length) {
    io.stderr(`Error(s) adding files: ${parseErrors.join('\n')}\n`);
    return ExitCode.DATA_ERROR;
  }
  const graph = buildTrafficGraph(inputs.map((i) => i.manifest), { defaultNamespace: opts.namespace });
  const title = opts.title ?? (sources.length <= 3 ? sources.join(', ') : `${sources.length} files`);
  const text = opts.format === 'svg' ? `${await renderSvg(graph, { direction: opts.direction, title })}\n`
    : opts.format === 'dot' ? toDot(graph, { direction: opts.direction, title })
      : toMermaid(graph, { direction: opts.direction, markdown: !!opts.markdown });
  if (opts.output) fs.writeFileSync(path.resolve(io.cwd ?? process.cwd(), opts.output), text);
  else io.stdout(text);
  return ExitCode.OK;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: (t) => { process.stdout.write(t); },
    stderr: (t) => { process.stderr.write(t); },
    readStdin: readProcessStdin,
  };
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
