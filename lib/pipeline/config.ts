// Loading the cluster config for every command: from disk or the git index, validated, and in a
// TypeScript config each problem placed at its line like a compile error.
import { ConfigError, parseConfig } from '../config/validate';
import { ConfigFileError, DEFAULT_CONFIG, loadConfigFile, parseConfigText, readConfigFile } from '../config/load';
import { locatePaths } from '../config/locate';
import type { ClusterConfig } from '../config/schema';
import { stagedFile } from '../git';
import { UsageError } from '../errors';

/** Load and validate a config file (default: config/frank.ts), as on disk or (staged) as git will commit it. */
export function loadConfig(file: string = DEFAULT_CONFIG, opts: { staged?: boolean } = {}): ClusterConfig {
  const text = opts.staged ? stagedFile(file) : readConfigFile(file);
  try {
    return parseConfig(parseConfigText(file, text));
  } catch (e) {
    if (!(e instanceof ConfigError) || !/\.[mc]?ts$/.test(file)) throw e;
    const pathOf = (p: string) => p.slice(0, p.indexOf(': '));
    const where = locatePaths(file, text, e.problems.map(pathOf));
    throw new ConfigError(e.problems.map((p) => (where.has(pathOf(p)) ? `${file}:${where.get(pathOf(p))}: ${p}` : p)));
  }
}

/** The config file as data, unvalidated (the bench): one line on failure. */
export function loadConfigInput(file?: string): unknown {
  try {
    return loadConfigFile(file ?? DEFAULT_CONFIG);
  } catch (e) {
    throw e instanceof ConfigFileError ? new UsageError(e.message) : e;
  }
}
