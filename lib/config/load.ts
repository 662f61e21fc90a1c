// Reading a config file: TypeScript (config/frank.ts, compiled with esbuild at run time, so a
// broken default config fails like any other file and never breaks `--config other.yaml`),
// YAML or JSON. Every failure is a ConfigFileError: one line naming the file (and line:column).
import fs from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';
import { createHash } from 'node:crypto';
import { ReadError, readBounded } from '../readback/file';
import { loadYaml } from '../readback/yaml';
import { parseJson } from '../readback/json';
import { CONFIG_HEAP_ENV, CONFIG_HEAP_MB, evaluateInWorker, type Outcome, type PrebootedWorker } from './evaluate';

export class ConfigFileError extends Error {}

/** Ctrl-C while a TypeScript config was evaluated: one line, exit 130 (lib/pipeline/report.ts), nothing written yet. */
export class ConfigInterrupted extends Error {
  constructor(file: string) {
    super(`interrupted while evaluating ${file}; nothing written`);
  }
}

/** How a config is loaded; every field has a default, so none is needed. */
export interface LoadOptions {
  /**
   * Where compiled TypeScript configs are kept between runs (the process entry passes
   * build/config-cache). Starting esbuild costs more than the rest of a synth, so a config is
   * compiled again only when it or a file it imports changed.
   * @default undefined: every run compiles
   */
  readonly cacheDir?: string;
  /**
   * How long a TypeScript config may take to evaluate, in milliseconds.
   * @default $UNIFIED_AUTH_CONFIG_TIMEOUT seconds, or 10 s
   */
  readonly timeoutMs?: number;
  /**
   * A worker already booted for the evaluation (bin/synth.cjs starts one before the bundle loads).
   * @default undefined: the evaluation starts its own worker
   */
  readonly worker?: PrebootedWorker;
}

/** The time limit for evaluating a TypeScript config when no option gives one (docs/bounded-reading.md). */
export const DEFAULT_CONFIG_TIMEOUT_S = 10;
export const CONFIG_TIMEOUT_ENV = 'UNIFIED_AUTH_CONFIG_TIMEOUT';

function timeoutOf(opts: LoadOptions): number {
  if (opts.timeoutMs !== undefined) return opts.timeoutMs;
  const raw = process.env[CONFIG_TIMEOUT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_CONFIG_TIMEOUT_S * 1000;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0)
    throw new ConfigFileError(`${CONFIG_TIMEOUT_ENV}=${raw.slice(0, 40)}: expected a number of seconds above 0`);
  return s * 1000;
}

/** The config's heap limit: $UNIFIED_AUTH_CONFIG_HEAP_MB (bin/config-worker.cjs reads it too), or 512 MB. */
function heapOf(): number {
  const raw = process.env[CONFIG_HEAP_ENV];
  if (raw === undefined || raw === '') return CONFIG_HEAP_MB;
  if (!/^\d+$/.test(raw) || Number(raw) < 16)
    throw new ConfigFileError(`${CONFIG_HEAP_ENV}=${raw.slice(0, 40)}: expected a whole number of megabytes, 16 or more`);
  return Number(raw);
}

/** The default config, relative to the working directory (npm runs scripts at the project root). */
export const DEFAULT_CONFIG = 'config/frank.ts';

const CONFIG_TYPES = /\.(ts|mts|cts|ya?ml|json)$/;

/** Parse config text; `file` decides the format and names the file in messages. */
export function parseConfigText(file: string, text: string, opts: LoadOptions = {}): unknown {
  if (!CONFIG_TYPES.test(file)) throw new ConfigFileError(`${file}: expected a .ts, .yaml, .yml or .json file`);
  // A UTF-8 byte-order mark (some Windows editors write one) is not part of the content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/\.[mc]?ts$/.test(file)) return evaluateTs(file, body, opts);
  try {
    return file.endsWith('.json') ? parseJson(body) : loadYaml(body);
  } catch (e) {
    // js-yaml knows where (a 0-based mark): name it like a compile error, file:line:column.
    const { reason, mark } = e as { reason?: string; mark?: { line: number; column: number } };
    const where = mark && reason ? `${file}:${mark.line + 1}:${mark.column + 1}` : file;
    const why = mark && reason ? reason : (e as Error).message.split('\n')[0];
    throw new ConfigFileError(`${where}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${why}`);
  }
}

/** The text of a config file, or a one-line ConfigFileError. */
export function readConfigFile(file: string): string {
  if (file.trim() === '') throw new ConfigFileError('--config is empty: give a config file (or leave --config out for config/frank.ts)');
  if (!CONFIG_TYPES.test(file)) throw new ConfigFileError(`${file}: expected a .ts, .yaml, .yml or .json file`);
  try {
    return readBounded(file);
  } catch (e) {
    if (e instanceof ReadError) throw new ConfigFileError(e.message);
    throw e;
  }
}

/** Read and parse a config file from disk. */
export const loadConfigFile = (file: string, opts: LoadOptions = {}): unknown => parseConfigText(file, readConfigFile(file), opts);

type EsbuildMessage = { text: string; location?: { file: string; line: number; column: number } | null };

/**
 * Compile a TypeScript config (its imports bundled, packages left to `require`) and evaluate it in
 * a worker (./evaluate.ts). The module's default export, or its only export, is the config.
 */
function evaluateTs(file: string, text: string, opts: LoadOptions): unknown {
  const abs = path.resolve(file);
  const timeoutMs = timeoutOf(opts);
  const heapMb = heapOf();
  const { code, map } = cachedCompile(abs, text, opts.cacheDir) ?? compile(file, abs, text, opts.cacheDir);
  const compiled = `${abs}.cjs`;
  const outcome = evaluateInWorker(code, compiled, abs, timeoutMs, opts.worker, heapMb);
  if (outcome.kind === 'ok') return outcome.config;
  if (outcome.kind === 'interrupted') throw new ConfigInterrupted(file);
  throw new ConfigFileError(outcomeMessage(outcome, file, { compiled, map, timeoutMs, heapMb }));
}

const PLAIN = 'a config is plain data: strings, numbers, booleans, null, arrays and plain objects';

/** The one line for an evaluation that did not give a config. */
function outcomeMessage(
  o: Exclude<Outcome, { kind: 'ok' | 'interrupted' }>,
  file: string,
  at: { compiled: string; map: string; timeoutMs: number; heapMb: number },
): string {
  switch (o.kind) {
    case 'throw':
    case 'late':
    case 'rejection': {
      const where = locate(o.stack, at.compiled, at.map, file) ?? file;
      const what = o.name ? `${o.name}: ${o.message.split('\n')[0]}` : o.message;
      const when =
        o.kind === 'late'
          ? 'threw after evaluation (in a timer or callback): '
          : o.kind === 'rejection'
            ? 'an unhandled promise rejection: '
            : '';
      return `${where}: ${when}${what}`;
    }
    case 'exit':
      return `${file}: called process.exit(${String(o.code)}); a config only exports its data`;
    case 'data':
      return `${file}: ${o.at ? `${o.at} is` : 'the export is'} ${o.what}; ${PLAIN}`;
    case 'exports':
      return `${file}: export the config as the default export or as the module's only export (found: ${o.names.join(', ') || 'none'})`;
    case 'timeout':
      return `${file}: did not finish within ${at.timeoutMs / 1000} s (an endless loop, a timer that keeps it running, or over ${at.heapMb} MB of memory); ${CONFIG_TIMEOUT_ENV}=<seconds> sets the limit`;
  }
}

/** The name esbuild gives the config text (it may come from the git index, not the file). */
const STDIN = '<config>';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

interface Compiled {
  code: string;
  map: string;
}
interface CacheEntry extends Compiled {
  source: string;
  /** Every other file the config imports, by sha256: any change recompiles. */
  inputs: Record<string, string>;
}

const cacheFile = (abs: string, cacheDir: string | undefined) =>
  cacheDir ? path.join(cacheDir, `${sha256(abs).slice(0, 16)}.json`) : undefined;

function cachedCompile(abs: string, text: string, cacheDir: string | undefined): Compiled | undefined {
  const f = cacheFile(abs, cacheDir);
  if (!f) return undefined;
  try {
    const entry = JSON.parse(fs.readFileSync(f, 'utf8')) as CacheEntry;
    if (entry.source !== sha256(text)) return undefined;
    for (const [input, hash] of Object.entries(entry.inputs)) if (sha256(fs.readFileSync(input)) !== hash) return undefined;
    return entry;
  } catch {
    return undefined; // no entry, or an unreadable one: compile
  }
}

function compile(file: string, abs: string, text: string, cacheDir: string | undefined): Compiled {
  // Loaded lazily: esbuild is only needed for a TypeScript config.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional at run time, see above
  const esbuild = require('esbuild') as typeof import('esbuild');
  let compiled: Compiled;
  let inputs: string[];
  try {
    const r = esbuild.buildSync({
      stdin: { contents: text, sourcefile: STDIN, resolveDir: path.dirname(abs), loader: 'ts' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      outfile: `${abs}.cjs`,
      write: false,
      metafile: true,
      absWorkingDir: process.cwd(),
      logLevel: 'silent',
    });
    compiled = {
      code: r.outputFiles.find((o) => o.path.endsWith('.cjs'))!.text,
      map: r.outputFiles.find((o) => o.path.endsWith('.map'))!.text,
    };
    inputs = Object.keys(r.metafile.inputs).filter((i) => !i.includes(STDIN));
  } catch (e) {
    const first = ((e as { errors?: EsbuildMessage[] }).errors ?? [])[0];
    const loc = first?.location;
    // An error in the config itself is reported under its own name; one in an imported module keeps its path.
    const where = !loc ? file : `${loc.file.includes(STDIN) ? file : loc.file}:${loc.line}:${loc.column + 1}`;
    throw new ConfigFileError(`${where}: ${first?.text ?? 'cannot be compiled'}`);
  }
  const f = cacheFile(abs, cacheDir);
  if (f) {
    try {
      const entry: CacheEntry = {
        ...compiled,
        source: sha256(text),
        inputs: Object.fromEntries(inputs.map((i) => [path.resolve(i), sha256(fs.readFileSync(i))])),
      };
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(`${f}.${process.pid}`, JSON.stringify(entry));
      fs.renameSync(`${f}.${process.pid}`, f);
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
  return compiled;
}

/** `file:line:column` in the TypeScript source of the first stack frame inside the config. */
function locate(stack: string, compiled: string, mapText: string, file: string): string | undefined {
  const esc = compiled.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc}:(\\d+):(\\d+)`).exec(stack);
  if (!m) return undefined;
  // The evaluated text starts with the wrapper on the same first line: column offsets match after it.
  const line = Number(m[1]) - 1;
  const column = Number(m[2]) - 1 - (line === 0 ? '(function (exports, require, module, __filename, __dirname) {'.length : 0);
  const entry = new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]).findEntry(line, column) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (entry.originalLine === undefined) return undefined;
  const src = entry.originalSource ?? STDIN;
  const shown = decodeURIComponent(src).includes(STDIN) ? file : path.relative(process.cwd(), path.resolve(path.dirname(compiled), src));
  return `${shown}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
}
