// Turns an imported hand-written layer (read.ts) into a draft cluster config that reproduces its
// live identities: provider names, application slugs and names, blueprint names and ConfigMaps,
// ClusterRoleBinding names, the tombstones it already carries (retiredObjects) and its values
// files. Each concern has its module (groups.ts, services.ts, cluster.ts); what the config cannot
// say is collected as one line each (`notes`), naming the file and entry; values the layer does
// not hold are filled in and marked for review (`comments`).
import { MODEL } from '../upstream/authentik-models';
import { EMBEDDED_OUTPOST, EMBEDDED_OUTPOST_NAME } from '../upstream/conventions';
import type { BlueprintEntry } from '../upstream/blueprint-types';
import { KeyOf } from '../upstream/blueprint-tags';
import { isMinorGate } from '../upstream/minor-gate';
import { authentikMinor, isSupportedMinor } from '../upstream/authentik-versions';
import { blueprintLabel, type Doc, type ImportedBlueprint, type ImportedLayer } from './read';
import { DraftContext, attrsOf, httpHostname, idsOf, present, type Located } from './context';
import { validatePassThrough } from '../blueprints/pass-through';
import { MODEL_SCHEMAS, validateBlueprint } from '../upstream/api-schema';
import { carryThrough, type CarriedFiles, type PassThroughPlace } from './pass-through';
import { importGroups } from './groups';
import { importServices } from './services';
import { importCluster, ownedValuesNotes, valuesOf } from './cluster';
import { isRecord, valueAt, asString } from '../base/records';
import { draftEngine, fluxChartVersion, fluxValues, layerEngine, type ImportEngine } from './flux';

export interface Draft {
  /** The config, as plain data in the order it is written out. */
  config: Doc;
  /** Config path (as in config errors: `services[3].oidc.providerName`) → review comment. */
  comments: Map<string, string>;
  /** One line per thing the config cannot represent or the draft had to guess. */
  notes: string[];
  /** Which GitOps engine the layer runs, found how (flux.ts layerEngine). */
  engine: string;
  /** authentik.passThrough's files: what the config does not model, kept (pass-through.ts). */
  passThrough: CarriedFiles;
}

/** What the operator tells import that the layer does not say. */
/**
 * The embedded outpost, found by its managed key or by the name Authentik creates it with
 * (authentik/outposts/apps.py AuthentikOutpostConfig.embedded_outpost: one outpost of that name).
 */
const isEmbeddedOutpost = (ids: Doc): boolean =>
  ids.managed === EMBEDDED_OUTPOST || (ids.managed === undefined && ids.name === EMBEDDED_OUTPOST_NAME);

export interface ImportOptions {
  /** --authentik-version: the authentik chart version, when no Application or helmCharts entry names it. */
  readonly authentikVersion?: string;
  /** --engine: the GitOps engine the layer runs; without it, found from the layer (flux.ts). */
  readonly engine?: ImportEngine;
  /** --authentik-namespace: where Authentik runs, for a Flux layer whose HelmRelease does not say. */
  readonly namespace?: string;
  /** Where the draft's pass-through files go (default: `pass-through/` under the current directory). */
  readonly passThrough?: PassThroughPlace;
}

/** The external URL of Authentik (its values' AUTHENTIK_HOST, else an outpost's authentik_host) and the domain it is under. */
function draftUrl(ctx: DraftContext, outposts: ReadonlyArray<Located>): { authentikUrl: string; domain: string } {
  const envHost = valuesOf(ctx, 'authentik')
    .flatMap((v) => (Array.isArray(valueAt(v, 'global', 'env')) ? (valueAt(v, 'global', 'env') as unknown[]) : []))
    .filter(isRecord)
    .find((e) => e.name === 'AUTHENTIK_HOST');
  const outpostHost = outposts.map((l) => asString(valueAt(attrsOf(l.e), 'config', 'authentik_host'))).find(Boolean);
  const authentikUrl = (asString(envHost?.value) ?? outpostHost ?? '').replace(/\/$/, '');
  const authHost = httpHostname(authentikUrl);
  const domain = authHost && authHost.includes('.') ? authHost.split('.').slice(1).join('.') : 'example.org';
  if (!authHost) ctx.comments.set('authentik.url', 'REVIEW: no AUTHENTIK_HOST nor outpost authentik_host found; set the external URL');
  return { authentikUrl, domain };
}

/** The blueprint the forward-auth services share: the one with the outpost entry, else the one with most proxy providers. */
function sharedProxyFileOf(ctx: DraftContext, outposts: ReadonlyArray<Located>): ImportedBlueprint | undefined {
  const withOutpost = outposts[0]?.bp;
  if (withOutpost) return withOutpost;
  const counts = new Map<ImportedBlueprint, number>();
  for (const p of ctx.byModel(MODEL.proxyProvider).filter((l) => present(l.e))) counts.set(p.bp, (counts.get(p.bp) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The layer's tombstones as retiredObjects; those found by a reference are carried as pass-through entries. */
function retireTombstones(ctx: DraftContext, carried: Located[]): Doc[] {
  const retiredObjects: Doc[] = [];
  const tombstoneFiles = new Set<ImportedBlueprint>();
  for (const l of ctx.all.filter((x) => !present(x.e))) {
    ctx.used.add(l.e);
    // A conditional binding tombstone is this tool's own migration, carried forward from the baseline by synth.
    if (l.e.model === MODEL.policyBinding && Array.isArray(l.e.conditions)) continue;
    // An application tombstone found by its provider's !KeyOf is this tool's handover guard
    // (lib/blueprints/build.ts proxyEntries): synth writes it again for the forward-auth service.
    if (l.e.model === MODEL.application && idsOf(l.e).provider instanceof KeyOf) continue;
    // So is the minor gate, written again for the config's Authentik minor (lib/upstream/minor-gate.ts).
    if (isMinorGate(l.e)) continue;
    const ids = idsOf(l.e);
    if (Object.values(ids).some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      ctx.notes.push(
        `${ctx.at(l)}: a tombstone that finds its object by a reference (!Find/!KeyOf); retiredObjects take plain values, so it is kept as a pass-through entry`,
      );
      carried.push(l);
      continue;
    }
    retiredObjects.push({ model: l.e.model, identifiers: ids });
    tombstoneFiles.add(l.bp);
  }
  for (const bp of tombstoneFiles)
    if (bp.entries.every((e) => !present(e))) ctx.sharedBlueprints.retired = ctx.blueprintRef(bp, 'the retired objects');
  return retiredObjects;
}

/** The groups' and the outpost's blueprints, kept by name when one file holds them. */
function adoptSharedFiles(
  ctx: DraftContext,
  groupFiles: ReadonlySet<ImportedBlueprint>,
  sharedProxyFile: ImportedBlueprint | undefined,
): void {
  if (groupFiles.size === 1) ctx.sharedBlueprints.groups = ctx.blueprintRef([...groupFiles][0], 'the groups');
  else if (groupFiles.size > 1)
    ctx.notes.push(
      `groups are spread over ${groupFiles.size} blueprints (${[...groupFiles].map(blueprintLabel).join(', ')}); the generated groups blueprint takes them all over`,
    );
  if (sharedProxyFile && ctx.byModel(MODEL.proxyProvider).some((p) => p.bp === sharedProxyFile))
    ctx.sharedBlueprints.outpost = ctx.blueprintRef(sharedProxyFile, 'the outpost');
}

/** The embedded outpost's entry (false: it lists no providers, they are assigned by hand); any other outpost is carried. */
function importOutposts(ctx: DraftContext, outposts: ReadonlyArray<Located>, carried: Located[]): boolean | undefined {
  let manageProviders: boolean | undefined;
  for (const o of outposts) {
    ctx.used.add(o.e);
    if (!isEmbeddedOutpost(idsOf(o.e))) {
      ctx.notes.push(
        `${ctx.at(o)}: an outpost other than the embedded one; the config manages the embedded outpost only, so it is kept as a pass-through entry`,
      );
      carried.push(o);
      continue;
    }
    if (attrsOf(o.e).providers === undefined) {
      manageProviders = false;
      ctx.notes.push(
        `${ctx.at(o)}: the outpost entry lists no providers (they are assigned by hand); the draft keeps it so (authentik.outpost.manageProviders: false): new forward-auth services then need assigning by hand too`,
      );
    }
  }
  return manageProviders;
}

/**
 * What the live blueprints get wrong against the running release's API contract fails or is
 * dropped on the cluster today (docs/field-traps.md#failed-blueprints-look-synced): a line each.
 */
function liveContractNotes(layer: ImportedLayer, minor: string, notes: string[]): void {
  if (!isSupportedMinor(minor)) return;
  for (const bp of layer.blueprints) {
    const entries = (bp.entries as unknown as BlueprintEntry[]).map((e) => ({
      ...e,
      identifiers: isRecord(e.identifiers) ? e.identifiers : {},
    }));
    const today = `(against Authentik ${minor}'s API: it fails or is dropped on the cluster today)`;
    // The models the config writes against their create rules; every other (kept as pass-through) against its model's serializer.
    for (const problem of validateBlueprint({ name: bp.name, configMapName: bp.configMap, fileName: bp.key, entries }, minor))
      if (!problem.includes('is not one unified-auth knows how to validate')) notes.push(`${blueprintLabel(bp)}: ${problem} ${today}`);
    for (const problem of validatePassThrough({ file: blueprintLabel(bp), entries }, minor, (e) => MODEL_SCHEMAS[e.model] === undefined))
      notes.push(`${problem.replace(/ \(pass-through, Authentik [\d.]+\)$/, '')} ${today}`);
  }
}

/** Review comments on the values the layer never holds (placeholders the draft fills in). */
const PLACEHOLDER_COMMENTS: ReadonlyArray<readonly [string, string]> = [
  ['cluster.name', 'REVIEW: guessed from the domain'],
  ['cilium.version', 'REVIEW: placeholder, the layer does not say: set the running Cilium version'],
  [
    'talos.version',
    'REVIEW: placeholder, the layer does not say: set the running Talos version (and omniCluster / omniPatchId when Omni manages it)',
  ],
];

export function buildDraft(layer: ImportedLayer, options: ImportOptions = {}): Draft {
  const engine = layerEngine(layer.objects, options.engine);
  const fluxRead = engine.release ? fluxValues(layer.objects, engine.release) : undefined;
  const ctx = new DraftContext(fluxRead ? { ...layer, values: [...layer.values, ...fluxRead.values] } : layer);
  const outposts = ctx.byModel(MODEL.outpost).filter((l) => present(l.e));
  const { authentikUrl, domain } = draftUrl(ctx, outposts);
  const { groups, groupParent, files: groupFiles } = importGroups(ctx, valuesOf(ctx, 'argocd'));
  const sharedProxyFile = sharedProxyFileOf(ctx, outposts);
  const services = importServices(ctx, { domain, argocdValues: valuesOf(ctx, 'argocd'), sharedProxyFile, groups });
  ownedValuesNotes(ctx, groups);
  // What the config cannot say is kept as it is (authentik.passThrough), never left to be deleted.
  const carried: Located[] = [];
  const retiredObjects = retireTombstones(ctx, carried);
  adoptSharedFiles(ctx, groupFiles, sharedProxyFile);
  const manageProviders = importOutposts(ctx, outposts, carried);
  for (const l of ctx.all) if (!ctx.used.has(l.e) && l.e.model !== MODEL.metaApplyBlueprint) carried.push(l);

  const { authentik, argocd, git } = importCluster(ctx, {
    domain,
    authentikUrl,
    manageProviders,
    authentikVersion: fluxChartVersion(engine, options.authentikVersion),
    engine: engine.engine,
  });
  const minor = authentikMinor(String((authentik.chart as Doc).version));
  const place = options.passThrough ?? { base: process.cwd(), dir: 'pass-through' };
  const passThrough = carryThrough(ctx, carried, { ...place, ...(isSupportedMinor(minor) ? { minor } : {}) });
  if (passThrough.entries.length) authentik.passThrough = passThrough.entries;
  const { comments, notes } = ctx;
  // Flux: the release's namespace, version and values sources, and what the draft cannot carry (flux.ts).
  const gitops = draftEngine(engine, { authentik, notes, comments }, options.namespace, fluxRead?.notes);
  const config: Doc = {
    cluster: { name: domain.split('.')[0], domain },
    authentik,
    argocd,
    git,
    ...(gitops ? { gitops } : {}),
    cilium: { version: '1.16.5' },
    talos: {
      version: 'v1.13.9',
      ...(services.some((x) => x.kubectl) && services.some((x) => x.agent) ? { apiServerAuth: 'structured' } : {}),
    },
    ...(groupParent && groupParent !== 'root' ? { groupParent } : {}),
    groups,
    services,
    ...(retiredObjects.length ? { retiredObjects } : {}),
  };
  liveContractNotes(layer, minor, notes);
  for (const [at, comment] of PLACEHOLDER_COMMENTS) comments.set(at, comment);
  if (retiredObjects.length) comments.set('retiredObjects', 'the tombstones the live layer already carries, kept so they keep deleting');
  return { config, comments, notes, engine: engine.found, passThrough };
}
