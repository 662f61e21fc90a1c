// The state file `<config>.state.json` beside each cluster config: what that cluster's output
// created (recorded.ts), kept out of --out so the output is a pure function of what is committed,
// whatever the output directory holds (`npx cdk8s synth` empties it first). Synth writes it right
// after the output; synth, check and plan read it, fail-closed: a file that cannot be read
// completely, or that belongs to another cluster, is one line naming it (docs/state.md).
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { BaselineError } from '../base/errors';
import { readBounded } from '../readback/file';
import { firstDuplicateKey, lineColumn } from '../readback/json';
import { GITOPS_ENGINES, MIGRATION_PHASES, type ClusterConfig } from '../config/schema';
import type { Recorded } from './recorded';

/** `config/frank.ts` -> `config/frank.state.json`. */
export const statePathFor = (configFile: string): string =>
  path.join(path.dirname(configFile), `${path.basename(configFile).replace(/\.(ts|ya?ml|json)$/, '')}.state.json`);

const move = z.strictObject({ from: z.string(), to: z.string() });
const StateSchema = z.strictObject({
  about: z.string(),
  version: z.literal(1),
  cluster: z.strictObject({ name: z.string(), domain: z.string() }),
  /** The output this state belongs to, relative to the state file's directory; absent (import's state) until the first synth binds it. */
  out: z.string().optional(),
  authentikUrl: z.string().optional(),
  migration: z.strictObject({ phase: z.enum(MIGRATION_PHASES), authentik: move.optional(), hosts: z.array(move) }).optional(),
  /** The engine that synced the output, and whether its objects were released (lib/guards/engine-switch.ts). */
  gitops: z.strictObject({ engine: z.enum(GITOPS_ENGINES), released: z.boolean() }).optional(),
  created: z.array(z.strictObject({ model: z.string(), key: z.string(), file: z.string() })),
  /** The live providers' and applications' identities (the identity guard); absent in a state an older version wrote. */
  identities: z
    .array(
      z.strictObject({
        model: z.string(),
        identifiers: z.record(z.string(), z.string()),
        attrs: z.strictObject({ name: z.string().optional(), provider: z.string().optional(), slug: z.string().optional() }),
        blueprint: z.string(),
      }),
    )
    .optional(),
  legacyBindings: z.array(z.strictObject({ slug: z.string(), group: z.string() })),
  secrets: z
    .strictObject({ mode: z.literal('external-secrets'), adopted: z.boolean(), generations: z.record(z.string(), z.number().int()) })
    .optional(),
});
export type StateFile = z.output<typeof StateSchema>;

/** Whether the state records `outDir` (a state no synth has bound yet is any output's). */
export const stateBelongsTo = (file: string, s: Pick<StateFile, 'out'>, outDir: string): boolean =>
  s.out === undefined || path.resolve(path.dirname(file), s.out) === path.resolve(outDir);

const ABOUT =
  'unified-auth state: what this output created, read by synth, check and plan instead of the output itself; written by synth, never edit it (docs/state.md)';
const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The file's text for `recorded` (files output-relative): sorted, so a pure function of what was created. */
export function stateText(file: string, outDir: string | undefined, config: Pick<ClusterConfig, 'cluster'>, recorded: Recorded): string {
  const s: StateFile = {
    about: ABOUT,
    version: 1,
    cluster: { name: config.cluster.name, domain: config.cluster.domain },
    ...(outDir !== undefined
      ? {
          out:
            path
              .relative(path.dirname(path.resolve(file)), path.resolve(outDir))
              .split(path.sep)
              .join('/') || '.',
        }
      : {}),
    ...(recorded.authentikUrl !== undefined ? { authentikUrl: recorded.authentikUrl } : {}),
    ...(recorded.migration ? { migration: recorded.migration } : {}),
    ...(recorded.gitops ? { gitops: recorded.gitops } : {}),
    created: [...recorded.created].sort(byKey((o) => `${o.file}\u0000${o.model}\u0000${o.key}`)),
    identities: recorded.identities ?? [],
    legacyBindings: [...recorded.legacyBindings].sort(byKey((b) => `${b.slug}\u0000${b.group}`)),
    ...(recorded.secrets
      ? { secrets: { ...recorded.secrets, generations: Object.fromEntries(Object.entries(recorded.secrets.generations).sort()) } }
      : {}),
  };
  return `${JSON.stringify(s, null, 2)}\n`;
}

const CONFLICT = /^(<{7}|={7}|>{7})(?: |$)/m;

/** Parse a state file's text completely, or throw one line naming it. */
export function parseState(file: string, text: string, config?: ClusterConfig): StateFile {
  const marker = CONFLICT.exec(text);
  if (marker)
    throw new BaselineError(
      `${file} line ${text.slice(0, marker.index).split('\n').length}: a merge conflict marker; take one side whole (git checkout --ours/--theirs ${file}) and run synth`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]}); restore it (git checkout ${file})`);
  }
  const dup = firstDuplicateKey(text);
  if (dup) throw new BaselineError(`${file} ${lineColumn(text, dup.at)}: duplicate key "${dup.key}"; restore it (git checkout ${file})`);
  const parsed = StateSchema.safeParse(data, { jitless: true }); // parsed once a run: no compiled fast path
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BaselineError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}; restore it (git checkout ${file})`);
  }
  const s = parsed.data;
  // A domain move may change the domain; the name says which cluster this is.
  if (config && (s.cluster.name !== config.cluster.name || (s.cluster.domain !== config.cluster.domain && !config.migration)))
    throw new BaselineError(
      `${file}: records cluster ${s.cluster.name} (${s.cluster.domain}) but the config is ${config.cluster.name} (${config.cluster.domain}): another cluster's state; give this config its own (npm run init) or --baseline none for a new cluster`,
    );
  return s;
}

/** The state file's content, or undefined when there is none; unreadable is an error, never "none". */
export function readStateText(file: string): string | undefined {
  if (!fs.existsSync(file) && !fs.lstatSync(file, { throwIfNoEntry: false })) return undefined;
  return readBounded(file);
}

/** What a state file records, with its files named under `outLabel` as messages show them (an unbound state's as recorded). */
export const recordedOf = (s: StateFile, outLabel: string): Recorded => ({
  created: s.created.map((o) => ({ ...o, file: s.out === undefined ? o.file : path.join(outLabel, o.file) })),
  ...(s.identities ? { identities: s.identities } : {}),
  legacyBindings: s.legacyBindings,
  ...(s.migration ? { migration: s.migration } : {}),
  ...(s.authentikUrl !== undefined ? { authentikUrl: s.authentikUrl } : {}),
  // A state written before the engine was recorded: ArgoCD's, the only engine then (fail closed: a
  // switch to Flux over it is refused until phase 1 is synthesized, docs/flux.md#switching-engines).
  ...(s.gitops ? { gitops: s.gitops } : s.created.length ? { gitops: { engine: 'argocd' as const, released: false } } : {}),
  ...(s.secrets ? { secrets: s.secrets } : {}),
});

/** Replace the state file in one rename (a reader sees the old or the new file, never half). */
export function writeState(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
