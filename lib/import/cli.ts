// `npm run import -- --from <dir> [--from <dir> ...] --out <cluster.yaml> [--force]`: read a
// hand-written auth layer and write a draft cluster config that reproduces its live identities
// (draft.ts), then print one line per thing the config cannot represent. Bad input (a directory
// with YAML that is not part of an auth layer, a blueprint older than 2026.x, missing arguments,
// an existing --out without --force) is one line, exit 1, and nothing is written. A draft that
// validates is then synthesized against the layer it came from (verifyDraft, the render-and-guard
// step synth and plan run): anything adopting it would orphan, delete or move is printed, and the
// exit code is 1. A file that does not parse is named, left out, and the rest adopted.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../rules/validate';
import { DNS_LABEL, type ClusterConfig } from '../config/schema';
import { readTree, type Tree } from '../readback/tree';
import { makeDirs } from '../os/mkdirs';
import { osErrorMessage } from '../os/errors';
import { plan } from '../plan/index';
import { UsageError } from '../base/errors';
import { report } from '../pipeline/report';
import { readBaseline } from '../pipeline/baseline';
import { stateText, statePathFor } from '../state/file';
import type { Recorded } from '../state/recorded';
import { renderAndCheck } from '../pipeline/render-and-guard';
import { ImportError, readImportDirs, type TreeTransform } from './read';
import { expectedFluxRemoval, fluxRemovalRisk, layerEngine } from './flux';
import { parseSubstitutions } from './substitute';
import { layerPostBuilds, postBuildLines, substituteLayer } from './post-build';
import { buildDraft, type Draft, type ImportOptions } from './draft';
import { toCommentedYaml } from '../base/commented-yaml';
import { versionLine } from '../base/version';
import { passThroughBase } from '../pipeline/pass-through';
import type { PassThroughSource } from '../blueprints/pass-through';
import type { PassThroughPlace } from './pass-through';

export const IMPORT_USAGE = `usage: npm run import -- --from <dir> [--from <dir> ...] --out <cluster.yaml> [--force] [--authentik-version <x.y.z>] [--engine argocd|flux] [--authentik-namespace <ns>] [--substitute KEY=VALUE ...]
  --from   a directory of the running auth layer: blueprint ConfigMaps or raw blueprint files,
           and optionally the Authentik/ArgoCD values files, ClusterRoleBindings and Applications
  --out    the draft config to write (YAML); an existing file is replaced only with --force
  --authentik-version  the authentik chart version the cluster runs, when no ArgoCD Application or
           kustomize helmCharts entry in the layer names it (it is never guessed)
  --engine argocd|flux  the GitOps engine the layer runs (default: flux when the layer holds an
           authentik HelmRelease, else argocd); the draft keeps it (gitops.engine)
  --authentik-namespace <ns>  where Authentik runs, for a Flux layer whose HelmRelease is not in it
  --substitute KEY=VALUE  a Flux post-build variable (\${KEY}) of the layer, replaced before the files
           are read; repeatable; over the postBuild.substitute of the layer's own Flux Kustomization
           when the directories hold it. A variable with no value and no default is refused
  --version  print the tool's version`;

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
  /** Files of the layer that do not parse (left out of the draft and the guards), with the reason. */
  skipped: Array<{ where: string; message: string }>;
  /** For a draft that validates: it and what the layer created, written as its state (docs/state.md). */
  adopted?: { config: ClusterConfig; recorded: Recorded };
  /** Pre-2026.x fields converted to their 2026.x form, one line each (convert.ts). */
  converted: string[];
  /** The layer's Flux Kustomizations whose postBuild.substitute import used, one line each (post-build.ts). */
  postBuild: string[];
}

/** The --from directories as one tree, each file under its directory's path. */
function layerTree(dirs: ReadonlyArray<string>, out: string, transform?: TreeTransform): Tree {
  const tree = new Map<string, string>();
  for (const dir of dirs)
    for (const [p, text] of transform ? transform(readTree(dir), dir) : readTree(dir))
      if (path.resolve(dir, p) !== path.resolve(out)) tree.set(path.posix.join(dir.split(path.sep).join('/'), p), text);
  return tree;
}

/**
 * Synthesize the draft against the layer it came from, as `npm run synth -- --baseline` and `npm run
 * plan` would (the same render-and-guard step); `skipped` are the layer's unparsable files, already reported.
 */
export function verifyDraft(
  config: ClusterConfig,
  before: Tree,
  skipped: ReadonlySet<string> = new Set(),
  /** A removal the adoption expects (flux.ts expectedFluxRemoval): its line goes to `notes`, not to the findings. */
  expected?: { removal: ReturnType<typeof expectedFluxRemoval>; notes: string[]; risk?: ReturnType<typeof fluxRemovalRisk> },
  passThrough: ReadonlyArray<PassThroughSource> = [],
): string[] {
  const baseline = readBaseline({ kind: 'tree', tree: before, label: '' }, { skipUnreadable: skipped });
  const g = renderAndCheck({ config, baseline, passThrough });
  const out = [
    ...g.checks.map((f) => `check failed: ${f}`),
    ...g.orphans.map((f) => `orphan: ${f}`),
    ...g.phases.map((f) => `phase: ${f}`),
    ...g.secrets.map((f) => `secrets: ${f}`),
    ...g.identities.map((f) => `refused by Authentik: ${f}`),
  ];
  const p = plan(baseline.tree, new Map(g.result.files.map((f) => [f.path, f.text])));
  // Group bindings an access policy takes over (same group admitted) are in p.authentik.replaced.
  for (const d of p.authentik.deleted) out.push(`plan deletes ${d.model} ${d.identity}${d.cascade ? ` (with ${d.cascade})` : ''}`);
  for (const d of p.authentik.abandoned) out.push(`plan leaves ${d.model} ${d.identity} unmanaged (blueprint ${d.blueprint})`);
  for (const k of p.kubernetes.removed) {
    const why = expected?.removal(k, p.kubernetes.added);
    if (why) expected!.notes.push(why);
    else {
      const risk = expected?.risk?.(k);
      out.push(`plan removes ${k.kind} ${k.namespace ? `${k.namespace}/` : ''}${k.name} (${k.file})${risk ? `: ${risk}` : ''}`);
    }
  }
  for (const m of p.authentik.moved) out.push(`plan moves blueprint ${m.blueprint} from ${m.from} to ${m.to}`);
  return out;
}

/** The draft for these directories, in memory (throws ImportError on bad input). */
/** The draft's pass-through files go beside it: `<draft without extension>.pass-through/`, relative to its repository. */
export function passThroughPlace(out: string): PassThroughPlace {
  const base = passThroughBase(out);
  const dir = path.resolve(out).replace(/\.[^./\\]*$/, '') + '.pass-through';
  return { base, dir: path.relative(base, dir).split(path.sep).join('/') };
}

export function importLayer(dirs: ReadonlyArray<string>, out: string, options: ImportOptions & FluxImportOptions = {}): ImportResult {
  const { layer, transform, postBuild } = readFluxAware(dirs, out, options);
  const draft = buildDraft(layer, { passThrough: passThroughPlace(out), ...options });
  const header = [
    `Draft cluster config imported by \`npm run import\` from ${dirs.join(', ')}.`,
    'It reproduces the live identities (names, slugs, blueprint and ConfigMap names). Review every',
    'REVIEW comment and each line the import printed, then compare it with the running layer:',
    `  npm run plan -- --config ${out} --baseline ${dirs[0]}`,
    '',
  ];
  let problems: string[] = [];
  let findings: string[] = [];
  let adopted: ImportResult['adopted'];
  try {
    const config = parseConfig(draft.config);
    const tree = layerTree(dirs, out, transform);
    const skipped = new Set(layer.skipped.map((k) => k.where));
    const { release } = layerEngine(layer.objects, options.engine);
    const removal = expectedFluxRemoval(config, release, !!(release?.namespace ?? options.namespace), layer.objects);
    findings = verifyDraft(
      config,
      tree,
      skipped,
      { removal, notes: draft.notes, risk: fluxRemovalRisk(layer.objects) },
      draft.passThrough.sources,
    );
    adopted = { config, recorded: readBaseline({ kind: 'tree', tree, label: '' }, { skipUnreadable: skipped }).recorded };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems = e.problems;
  }
  const text = toCommentedYaml(draft.config, draft.comments, header);
  return {
    draft,
    text,
    problems,
    findings,
    skipped: layer.skipped,
    converted: layer.converted,
    postBuild,
    ...(adopted ? { adopted } : {}),
  };
}

// --- the engine flags (docs/flux.md#adopting-a-flux-layer) ------------------------------------
interface FluxImportOptions {
  /** --substitute KEY=VALUE: Flux post-build variables, replaced before the files are parsed. */
  readonly substitute?: ReadonlyMap<string, string>;
}

/**
 * Read the layer; a Flux layer's files (--engine flux, --substitute, a HelmRelease found, or a Flux
 * Kustomization with a postBuild in the directories) with its post-build variables replaced
 * (post-build.ts), so an unresolved one is refused rather than adopted verbatim.
 */
function readFluxAware(dirs: ReadonlyArray<string>, out: string, o: ImportOptions & FluxImportOptions) {
  const vars = o.substitute ?? new Map<string, string>();
  // The layer's own Flux Kustomizations first: one may substitute into another --from directory.
  const trees = dirs.flatMap((dir) => {
    const tree = readLayerTree(dir, out);
    return tree ? [{ dir, tree }] : [];
  });
  const builds = o.engine === 'argocd' ? [] : layerPostBuilds(trees);
  const postBuild = postBuildLines(builds, trees, vars);
  const transform: TreeTransform = (tree, dir) => substituteLayer(tree, dir, builds, vars);
  if (vars.size || o.engine === 'flux' || builds.length) return { layer: readImportDirs(dirs, out, transform), transform, postBuild };
  const layer = readImportDirs(dirs, out);
  if (o.engine === 'argocd' || layerEngine(layer.objects).engine !== 'flux') return { layer, postBuild: [] };
  return { layer: readImportDirs(dirs, out, transform), transform, postBuild };
}

/** A --from directory's files but the draft, as readImportDirs reads them; undefined when unreadable (readImportDirs then says why). */
function readLayerTree(dir: string, out: string): Tree | undefined {
  try {
    const tree = readTree(dir);
    tree.delete(path.relative(dir, out).split(path.sep).join('/'));
    return tree;
  } catch {
    return undefined;
  }
}

const ENGINE_FLAGS = {
  engine: { type: 'string' },
  'authentik-namespace': { type: 'string' },
  substitute: { type: 'string', multiple: true },
} as const;

function engineArgs(values: { engine?: string; substitute?: string[]; 'authentik-namespace'?: string }): {
  engine?: 'argocd' | 'flux';
  substitute?: Map<string, string>;
  namespace?: string;
} {
  const { engine } = values;
  const namespace = values['authentik-namespace'];
  if (namespace !== undefined && !DNS_LABEL.test(namespace))
    throw new UsageError(`--authentik-namespace ${namespace}: not a namespace name (a DNS label)`);
  if (engine !== undefined && engine !== 'argocd' && engine !== 'flux')
    throw new UsageError(`--engine ${engine}: not a GitOps engine (argocd or flux)`);
  const substitute = parseSubstitutions(values.substitute ?? [], (line) => new UsageError(line));
  return { ...(engine ? { engine } : {}), ...(substitute.size ? { substitute } : {}), ...(namespace ? { namespace } : {}) };
}
// ----------------------------------------------------------------------------------------------

const IMPORT_OPTIONS = {
  ...ENGINE_FLAGS,
  from: { type: 'string', multiple: true },
  out: { type: 'string' },
  force: { type: 'boolean' },
  'authentik-version': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

interface ImportArgs extends ReturnType<typeof engineArgs> {
  from: string[];
  out: string;
  force: boolean;
  authentikVersion?: string;
}

function importArgs(argv: string[]): ImportArgs | 'help' | 'version' {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof IMPORT_OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: IMPORT_OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (!values.from?.length) throw new UsageError('--from <dir> is required (the directory of the running auth layer)');
  if (!values.out) throw new UsageError('--out <cluster.yaml> is required (where the draft config goes)');
  if (values.from.some((d) => d.trim() === '') || values.out.trim() === '') throw new UsageError('--from and --out must not be empty');
  const authentikVersion = values['authentik-version'];
  if (authentikVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(authentikVersion))
    throw new UsageError(`--authentik-version ${authentikVersion}: not a chart version (x.y.z, e.g. 2026.8.0)`);
  return { from: values.from, out: values.out, force: values.force ?? false, authentikVersion, ...engineArgs(values) };
}

/** Print what the import found; returns the exit code: 0 only when the draft validates and adopts cleanly. */
function reportImport(out: string, r: ImportResult): number {
  const { draft, problems, findings, skipped } = r;
  for (const k of skipped)
    console.error(`skipped: ${k.where}: does not parse (${k.message}); left out of the draft and of the orphan check`);
  console.log(`engine: ${draft.engine}`);
  for (const l of r.postBuild) console.log(`post-build: ${l}`);
  for (const c of r.converted) console.log(`converted: ${c}`);
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
    console.error(`import error: the draft ${out} does not validate yet (${problems.length} problems above); fix them before npm run plan`);
    return 1;
  }
  if (findings.length) {
    console.error(
      `import error: adopting the draft ${out} would orphan, delete or move what the layer created (${findings.length} lines above); review them before npm run plan`,
    );
    return 1;
  }
  return 0;
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
  try {
    const args = importArgs(argv);
    if (args === 'help' || args === 'version') {
      console.log(args === 'help' ? IMPORT_USAGE : versionLine());
      return 0;
    }
    const { from, out, force, authentikVersion, engine, substitute, namespace } = args;
    const st = fs.statSync(out, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw new ImportError(`--out ${out}: is a directory; give the draft config's file name`);
    if (st && !force) throw new ImportError(`--out ${out}: exists; refusing to replace it (add --force to overwrite)`);
    const stateFile = statePathFor(out);
    if (fs.existsSync(stateFile) && !force)
      throw new ImportError(`${stateFile}: exists (the draft's state); refusing to replace it (add --force to overwrite)`);
    const result = importLayer(from, out, { authentikVersion, engine, substitute, namespace });
    const place = passThroughPlace(out);
    const files = [...result.draft.passThrough.written].map(([file, text]) => [path.join(place.base, ...file.split('/')), text] as const);
    for (const [file] of files)
      if (fs.existsSync(file) && !force)
        throw new ImportError(`${file}: exists (a pass-through file of the draft); refusing to replace it (add --force to overwrite)`);
    for (const [file, text] of files) writeDraft(file, text);
    writeDraft(out, result.text);
    // What the layer created becomes the draft's state: its first synth guards against it (unbound: any --out).
    if (result.adopted) writeDraft(stateFile, stateText(stateFile, undefined, result.adopted.config, result.adopted.recorded));
    return reportImport(out, result);
  } catch (e) {
    return report(e);
  }
}
