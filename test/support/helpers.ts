// Shared test helpers: render in memory, find a file, parse YAML.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { frank } from '../../config/frank';
import { ConfigError, parseConfig } from '../../lib/rules/validate';
import type { SynthResult } from '../../lib/output/render';
import { sharedRender } from './shared-render';
import type { ClusterConfigInput } from '../../lib/config/schema';

export const ROOT = path.resolve(__dirname, '../..');

/** The config problems of an input (none: []); anything else thrown is rethrown. */
export function inputProblems(input: unknown): string[] {
  try {
    parseConfig(input);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

/** The config problems of the default config after `mutate`. */
export function configProblems(mutate: (c: ClusterConfigInput) => void): string[] {
  const c = defaultInput();
  mutate(c);
  return inputProblems(c);
}

/** Writes `files` (path -> text) under `root/name` and returns that directory: a layer made in a test. */
export function writeLayer(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

/** A deep copy of the default config, safe to mutate. */
export const defaultInput = (): ClusterConfigInput => structuredClone(frank);

/** A render of `input`, the caller's own to edit (test/support/shared-render.ts renders each input once). */
export const renderInput = (input: unknown): SynthResult => sharedRender(input);

export const loadYamlFile = (file: string): unknown => yaml.load(fs.readFileSync(file, 'utf8'));

export function file(r: SynthResult, p: string) {
  const f = r.files.find((x) => x.path === p);
  if (!f) throw new Error(`no file ${p} in ${r.files.map((x) => x.path).join(', ')}`);
  return f;
}

/** The first document of a rendered YAML file, typed loosely for assertions. */
export const doc = (r: SynthResult, p: string): any => file(r, p).docs![0];

/**
 * The single-issuer `flags` apiserver form: only the agent is trusted, so there is no people
 * kubectl client, and people groups carry no ClusterRole (no token could match their bindings).
 */
export const flagsForm = (c: ClusterConfigInput): void => {
  c.talos = { ...c.talos!, apiServerAuth: 'flags' };
  c.services = c.services.filter((s) => !s.kubectl);
  for (const g of c.groups) if (g.members !== 'agents') delete g.kubernetes;
};

/**
 * Every entry under a directory, for "byte-identical afterwards" assertions: regular files by
 * their bytes, everything else by kind (a FIFO is never opened, a link never followed).
 */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = `${prefix}${e.name}`;
      if (e.isSymbolicLink()) out[rel] = `<link ${fs.readlinkSync(p)}>`;
      else if (e.isDirectory()) {
        out[`${rel}/`] = '<dir>';
        visit(p, `${rel}/`);
      } else if (e.isFile()) {
        const st = fs.statSync(p);
        // A sparse file of many MiB is recorded by size and mtime, not read.
        out[rel] = st.size > 1024 * 1024 ? `<${st.size} bytes ${st.mtimeMs}>` : fs.readFileSync(p).toString('base64');
      } else out[rel] = '<special>';
    }
  };
  visit(dir, '');
  return out;
}
