// Reading a config file: TypeScript (config/frank.ts, compiled with esbuild at run time, so a
// broken default config fails like any other file and never breaks `--config other.yaml`),
// YAML or JSON. Every failure is a ConfigFileError: one line naming the file (and line:column).
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire, SourceMap } from 'node:module';
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';

export class ConfigFileError extends Error {}

/**
 * Where compiled TypeScript configs are kept between runs (set by the process entry to
 * build/config-cache; unset, e.g. in tests, every run compiles). Starting esbuild costs more than
 * the rest of a synth, so a config is compiled again only when it or a file it imports changed.
 */
let cacheDir: string | undefined;
export const setConfigCacheDir = (dir: string | undefined) => {
  cacheDir = dir;
};

/** The default config, relative to the working directory (npm runs scripts at the project root). */
export const DEFAULT_CONFIG = 'config/frank.ts';

const CONFIG_TYPES = /\.(ts|mts|cts|ya?ml|json)$/;

/** Parse config text; `file` decides the format and names the file in messages. */
export function parseConfigText(file: string, text: string): unknown {
  if (!CONFIG_TYPES.test(file)) throw new ConfigFileError(`${file}: expected a .ts, .yaml, .yml or .json file`);
  // A UTF-8 byte-order mark (some Windows editors write one) is not part of the content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/\.[mc]?ts$/.test(file)) return evaluateTs(file, body);
  try {
    return file.endsWith('.json') ? JSON.parse(body) : yaml.load(body);
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
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : 'cannot read the file';
    throw new ConfigFileError(`${file}: ${why}`);
  }
}

/** Read and parse a config file from disk. */
export const loadConfigFile = (file: string): unknown => parseConfigText(file, readConfigFile(file));

type EsbuildMessage = { text: string; location?: { file: string; line: number; column: number } | null };

/**
 * Compile a TypeScript config (its imports bundled, packages left to `require`) and evaluate it.
 * The module's default export, or its only export, is the config.
 */
function evaluateTs(file: string, text: string): unknown {
  const abs = path.resolve(file);
  const { code, map } = cachedCompile(abs, text) ?? compile(file, abs, text);
  const mod = { exports: {} as Record<string, unknown> };
  const compiled = `${abs}.cjs`;
  try {
    // runInThisContext returns any: the wrapper evaluates to this function.
    const fn = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: compiled }) as (
      ...args: [Record<string, unknown>, NodeJS.Require, typeof mod, string, string]
    ) => void;
    fn(mod.exports, createRequire(abs), mod, abs, path.dirname(abs));
  } catch (e) {
    throw new ConfigFileError(`${locate(e, compiled, map, file) ?? file}: ${describe(e)}`);
  }
  const exported = Object.entries(mod.exports).filter(([k]) => k !== '__esModule');
  const config = 'default' in mod.exports ? mod.exports.default : exported.length === 1 ? exported[0][1] : undefined;
  if (config === undefined) {
    throw new ConfigFileError(
      `${file}: export the config as the default export or as the module's only export (found: ${exported.map(([k]) => k).join(', ') || 'none'})`,
    );
  }
  return config;
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

const cacheFile = (abs: string) => (cacheDir ? path.join(cacheDir, `${sha256(abs).slice(0, 16)}.json`) : undefined);

function cachedCompile(abs: string, text: string): Compiled | undefined {
  const f = cacheFile(abs);
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

function compile(file: string, abs: string, text: string): Compiled {
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
  const f = cacheFile(abs);
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

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : `threw ${String(e)}`);

/** `file:line:column` in the TypeScript source of the first stack frame inside the config. */
function locate(e: unknown, compiled: string, mapText: string, file: string): string | undefined {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
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
