// Where the files are is where ArgoCD looks: the Applications point at `git.path`, so it must be
// where --out sits in the repository. A config that leaves git.path out gets it from --out; one
// that sets it must agree with --out; an --out outside any repository (a preview, a test) needs
// git.path set, and the run says which path the Applications use.
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterConfig } from '../config/schema';
import { ConfigError } from '../rules/validate';

/** The nearest directory at or above `dir` with a `.git` entry (a directory, or a worktree's file). */
export function repositoryRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Whether the config as written sets git.path (the schema fills in a default otherwise). */
const setsGitPath = (input: unknown): boolean => {
  const git = (input as { git?: unknown } | null)?.git;
  return typeof git === 'object' && git !== null && (git as { path?: unknown }).path !== undefined;
};

export interface GitPathResult {
  config: ClusterConfig;
  /** Said on stdout when the path could not be checked against --out. */
  note?: string;
}

/** The config with git.path derived from --out, or a one-line ConfigError when they disagree. */
export function resolveGitPath(input: unknown, config: ClusterConfig, out: string): GitPathResult {
  const explicit = setsGitPath(input);
  const abs = path.resolve(out);
  const root = repositoryRoot(abs);
  const rel = root ? path.relative(root, abs).split(path.sep).join('/') : undefined;
  if (rel === undefined || rel === '' || rel.startsWith('..')) {
    if (!explicit) {
      throw new ConfigError([
        `git.path: not set, and --out ${out} is ${rel === '' ? 'the repository root itself' : 'outside any git repository'}, so where ArgoCD finds this output cannot be derived; set git.path to its directory in ${config.git.repoURL}`,
      ]);
    }
    return { config, note: `outside a git repository: the Applications use git.path ${config.git.path}` };
  }
  if (!explicit) return { config: { ...config, git: { ...config.git, path: rel } } };
  if (config.git.path !== rel) {
    throw new ConfigError([
      `git.path: "${config.git.path}" but --out ${out} is ${rel} in the repository, so ArgoCD would read another directory; remove git.path (it follows --out) or write to ${config.git.path}`,
    ]);
  }
  return { config };
}

/**
 * For a reader of an existing output (npm run plan): git.path follows that output's place in the
 * repository when the config leaves it out; otherwise the config stays as written.
 */
export function followOutput(input: unknown, config: ClusterConfig, out: string): ClusterConfig {
  if (setsGitPath(input)) return config;
  const abs = path.resolve(out);
  const root = repositoryRoot(abs);
  const rel = root ? path.relative(root, abs).split(path.sep).join('/') : '';
  return rel === '' || rel.startsWith('..') ? config : { ...config, git: { ...config.git, path: rel } };
}
