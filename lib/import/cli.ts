// `npm run import -- --from <dir> [--from <dir> ...] --out <cluster.yaml> [--force]`: read a
// hand-written auth layer and write a draft cluster config that reproduces its live identities
// (draft.ts), then print one line per thing the config cannot represent. Bad input (a directory
// with YAML that is not part of an auth layer, a blueprint older than 2026.x, missing arguments,
// an existing --out without --force) is one line, exit 1, and nothing is written. A draft that
// validates is then synthesized against the layer it came from (verifyDraft): anything adopting it
// would orphan, delete or move is printed too.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../config/validate';
import type { ClusterConfig } from '../config/schema';
import { readTree, type Tree } from '../readback/tree';
import { render } from '../synth';
import { CheckError, runChecks } from '../checks';
import { checkOrphans, previouslyCreatedIn } from '../checks/orphans';
import { blueprintsInTree } from '../blueprints/read';
import { legacyBindingsIn } from '../blueprints/legacy';
import { plan } from '../plan/index';
import { ImportError, readImportDirs } from './read';
import { buildDraft, type Draft } from './draft';
import { toCommentedYaml } from './yaml';
import { ReadError } from '../readback/file';
import { makeDirs } from '../os/mkdirs';
import { osErrorMessage } from '../os/errors';

export const IMPORT_USAGE = `usage: npm run import -- --from <dir> [--from <dir> ...] --out <cluster.yaml> [--force]
  --from   a directory of the running auth layer: blueprint ConfigMaps or raw blueprint files,
           and optionally the Authentik/ArgoCD values files, ClusterRoleBindings and Applications
  --out    the draft config to write (YAML); an existing file is replaced only with --force`;

export interface ImportResult {
  draft: Draft;
  text: string;
  /** Config problems of the draft as written (none: it validates). */
  problems: string[];
  /**
   * For a draft that validates: what adopting it would do wrong, found by synthesizing it with the
   * imported layer as the baseline (synth's checks, the orphan guard, deletions in the plan).
   */
  findings: string[];
}

/** The --from directories as one tree, each file under its directory's path. */
function layerTree(dirs: ReadonlyArray<string>, out: string): Tree {
  const tree = new Map<string, string>();
  for (const dir of dirs)
    for (const [p, text] of readTree(dir))
      if (path.resolve(dir, p) !== path.resolve(out)) tree.set(path.posix.join(dir.split(path.sep).join('/'), p), text);
  return tree;
}

/** Synthesize the draft against the layer it came from, as `npm run synth -- --baseline` and `npm run plan` would. */
export function verifyDraft(config: ClusterConfig, before: Tree): string[] {
  const previous = blueprintsInTree(before);
  const result = render(config, { legacyBindings: legacyBindingsIn(previous) });
  const out: string[] = [];
  try {
    runChecks(result);
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    out.push(...e.findings.map((f) => `check failed: ${f}`));
  }
  out.push(...checkOrphans(previouslyCreatedIn('', previous), result).map((f) => `orphan: ${f}`));
  const p = plan(before, new Map(result.files.map((f) => [f.path, f.text])));
  // Group bindings an access policy takes over (same group admitted) are in p.authentik.replaced.
  for (const d of p.authentik.deleted) out.push(`plan deletes ${d.model} ${d.identity}${d.cascade ? ` (with ${d.cascade})` : ''}`);
  for (const d of p.authentik.abandoned) out.push(`plan leaves ${d.model} ${d.identity} unmanaged (blueprint ${d.blueprint})`);
  for (const k of p.kubernetes.removed) out.push(`plan removes ${k.kind} ${k.namespace ? `${k.namespace}/` : ''}${k.name} (${k.file})`);
  for (const m of p.authentik.moved) out.push(`plan moves blueprint ${m.blueprint} from ${m.from} to ${m.to}`);
  return out;
}

/** The draft for these directories, in memory (throws ImportError on bad input). */
export function importLayer(dirs: ReadonlyArray<string>, out: string): ImportResult {
  const draft = buildDraft(readImportDirs(dirs, out));
  const header = [
    `Draft cluster config imported by \`npm run import\` from ${dirs.join(', ')}.`,
    'It reproduces the live identities (names, slugs, blueprint and ConfigMap names). Review every',
    'REVIEW comment and each line the import printed, then compare it with the running layer:',
    `  npm run plan -- --config ${out} --baseline ${dirs[0]}`,
    '',
  ];
  let problems: string[] = [];
  let findings: string[] = [];
  try {
    findings = verifyDraft(parseConfig(draft.config), layerTree(dirs, out));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems = e.problems;
  }
  return { draft, text: toCommentedYaml(draft.config, draft.comments, header), problems, findings };
}

/** Write aside, then rename: an interrupted or failed run (a full disk) leaves no half-written draft. */
function writeDraft(out: string, text: string): void {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    makeDirs(path.dirname(path.resolve(out)));
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const why = osErrorMessage(e, out);
    throw why ? new ImportError(why) : e;
  }
}

export function importMain(argv: string[]): number {
  let from: string[];
  let out: string;
  let force: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string', multiple: true },
        out: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(IMPORT_USAGE);
      return 0;
    }
    if (!values.from?.length) throw new Error('--from <dir> is required (the directory of the running auth layer)');
    if (!values.out) throw new Error('--out <cluster.yaml> is required (where the draft config goes)');
    if (values.from.some((d) => d.trim() === '') || values.out.trim() === '') throw new Error('--from and --out must not be empty');
    from = values.from;
    out = values.out;
    force = values.force ?? false;
  } catch (e) {
    console.error(`usage error: ${(e as Error).message.split('\n')[0]}`);
    return 1;
  }
  try {
    const st = fs.statSync(out, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw new ImportError(`--out ${out}: is a directory; give the draft config's file name`);
    if (st && !force) throw new ImportError(`--out ${out}: exists; refusing to replace it (add --force to overwrite)`);
    const { draft, text, problems, findings } = importLayer(from, out);
    writeDraft(out, text);
    for (const n of draft.notes) console.log(`not represented: ${n}`);
    for (const p of problems) console.log(`draft config error: ${p}`);
    for (const f of findings) console.log(`adopting the draft: ${f}`);
    const services = (draft.config.services as unknown[]).length;
    const groups = (draft.config.groups as unknown[]).length;
    const review = [...draft.comments.values()].filter((c) => c.startsWith('REVIEW')).length;
    console.log(
      `wrote ${out}: ${services} services, ${groups} groups, ${((draft.config.retiredObjects as unknown[]) ?? []).length} retired objects; ${draft.notes.length} lines above, ${review} REVIEW comments in the file`,
    );
    if (problems.length) {
      console.error(
        `import error: the draft ${out} does not validate yet (${problems.length} problems above); fix them before npm run plan`,
      );
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ImportError) console.error(`import error: ${e.message}`);
    else if (e instanceof ReadError) console.error(`read error: ${e.message}`);
    else if (osErrorMessage(e)) console.error(`error: ${osErrorMessage(e)}`);
    else console.error(`internal error: ${(e as Error)?.message ?? String(e)} (please report this)`);
    return 1;
  }
}
