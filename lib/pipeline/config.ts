// Loading the cluster config for every command: from disk or the git index, validated, and in a
// TypeScript config each problem placed at its line like a compile error.
import { ConfigError, parseConfig } from '../rules/validate';
import { ConfigFileError, DEFAULT_CONFIG, loadConfigFile, parseConfigText, readConfigFile, type LoadOptions } from '../config/load';
import { locatePaths } from '../config/locate';
import { locateYamlPaths } from '../config/locate-yaml';
import type { ClusterConfig } from '../config/schema';
import { stagedFile } from '../previous/git';
import { UsageError } from '../base/errors';
import type { PassThroughSource } from '../blueprints/pass-through';
import { readPassThrough } from './pass-through';

/** Load and validate a config file (default: config/frank.ts), as on disk or (staged) as git will commit it. */
export const loadConfig = (file: string = DEFAULT_CONFIG, opts: { staged?: boolean; load?: LoadOptions } = {}): ClusterConfig =>
  loadConfigWithInput(file, opts).config;

/** The same, with the input as written (git.path follows --out only where the config leaves it out). */
/** `load`: how a TypeScript config is evaluated (its compile cache, its time limit; lib/config/load.ts). */
export function loadConfigWithInput(
  file: string = DEFAULT_CONFIG,
  opts: { staged?: boolean; load?: LoadOptions } = {},
): { input: unknown; config: ClusterConfig; passThrough: PassThroughSource[] } {
  const text = opts.staged ? stagedFile(file) : readConfigFile(file);
  const input = parseConfigText(file, text, opts.load);
  let config: ClusterConfig;
  try {
    config = parseConfig(input);
  } catch (e) {
    // Say where each problem is written, like a compile error does (YAML and JSON by their nodes).
    if (!(e instanceof ConfigError)) throw e;
    const pathOf = (p: string) => p.slice(0, p.indexOf(': '));
    const paths = e.problems.map(pathOf);
    const where = /\.[mc]?ts$/.test(file) ? locatePaths(file, text, paths) : locateYamlPaths(text, paths);
    throw new ConfigError(e.problems.map((p) => (where.has(pathOf(p)) ? `${file}:${where.get(pathOf(p))}: ${p}` : p)));
  }
  // The pass-through blueprints are input like the config: read completely before anything renders.
  return { input, config, passThrough: readPassThrough(config, file, { staged: opts.staged }) };
}

/** The config file as data, unvalidated (the bench): one line on failure. */
export function loadConfigInput(file?: string): unknown {
  try {
    return loadConfigFile(file ?? DEFAULT_CONFIG);
  } catch (e) {
    throw e instanceof ConfigFileError ? new UsageError(e.message) : e;
  }
}
