// The phase guard: a domain move goes overlap -> cutover -> done, one step at a time, because each
// phase is applied by different systems (ArgoCD, the Talos/Omni patch applied by hand, the edge,
// kubeconfigs copied to agents and people) and the overlap keeps every one of them working while
// they catch up. The previous output says where each move stands (docs/migration.yaml, record.ts);
// like the orphan guard, this compares the new output with it. A step back (rolling back) is one
// phase too. docs/changing-domains.md.
import type { Tree } from '../readback/tree';
import { OUTPUT } from '../base/paths';
import { AUTHENTIK_ENV } from '../upstream/conventions';
import { MIGRATION_PHASES } from '../config/schema';
import type { ClusterConfig } from '../config/schema';
import { PHASES, deriveMigration, withoutSlash, type HostMove, type MigrationModel } from '../model/migration';
import { readMigrationRecord } from '../migration/record';
import { loadYaml } from '../readback/yaml';

/** What the guard compares: the new output's migration and the URL and hosts its config names. */
export interface MigrationNow {
  migration?: MigrationModel;
  /** The config's authentik.url (the destination), without a trailing slash. */
  authentikUrl: string;
  /** Hosts of the active services. */
  serviceHosts: ReadonlySet<string>;
}

export const migrationNow = (c: ClusterConfig): MigrationNow => ({
  migration: deriveMigration(c),
  authentikUrl: withoutSlash(c.authentik.url),
  serviceHosts: new Set(c.services.flatMap((s) => (!s.retired && s.host ? [s.host] : []))),
});

/** AUTHENTIK_HOST of an output: the Authentik URL its clients were given. */
function authentikHostIn(tree: Tree): string | undefined {
  const text = tree.get(OUTPUT.authentikValues);
  if (text === undefined) return undefined;
  try {
    const env = (loadYaml(text) as { global?: { env?: Array<{ name?: unknown; value?: unknown }> } })?.global?.env ?? [];
    const v = env.find((e) => e?.name === AUTHENTIK_ENV.host)?.value;
    return typeof v === 'string' ? v.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: HostMove | undefined, b: HostMove | undefined) => !!a && !!b && a.from === b.from && a.to === b.to;
const order = (m: MigrationModel | undefined, move: HostMove | undefined) => (m && move ? PHASES[m.phase].order : 0);
const phaseName = (n: number) => (n === 0 ? 'no migration' : MIGRATION_PHASES[n - 1]);

/** What an earlier output says about the domain move: its record and the Authentik URL its clients were given. */
export interface RecordedMigration {
  migration?: MigrationModel;
  authentikUrl?: string;
}

export function recordedMigrationIn(tree: Tree): RecordedMigration {
  const migration = readMigrationRecord(tree);
  const authentikUrl = authentikHostIn(tree);
  return { ...(migration ? { migration } : {}), ...(authentikUrl !== undefined ? { authentikUrl } : {}) };
}

export function checkMigrationPhase(previous: RecordedMigration, now: MigrationNow, baselineLabel: string): string[] {
  const before = previous.migration;
  const out: string[] = [];
  const step = (what: string, move: HostMove, was: number, is: number) => {
    if (Math.abs(is - was) <= 1 && !(was === 0 && is > 1)) return;
    // The phases strictly between the two (phase n is MIGRATION_PHASES[n - 1]).
    const via = MIGRATION_PHASES.slice(Math.min(was, is), Math.max(was, is) - 1);
    out.push(
      `${what} (${move.from} -> ${move.to}) goes from ${phaseName(was)} in ${baselineLabel} straight to ${phaseName(is)}, skipping ${via.join(' and ')}: each phase is applied by different systems (ArgoCD, the Talos patch, the edge, kubeconfigs) and ${was < is ? 'the overlap keeps every one of them working while they catch up' : 'a rollback must give them the same time'}; set migration.phase: ${phaseName(was < is ? was + 1 : was - 1)} first (docs/changing-domains.md)`,
    );
  };
  const nowM = now.migration;
  if (nowM?.authentik) {
    const prevMove = same(before?.authentik, nowM.authentik) ? before?.authentik : undefined;
    step('migration.authentik', nowM.authentik, order(before, prevMove), PHASES[nowM.phase].order);
  }
  nowM?.hosts.forEach((h, i) => {
    const prevMove = before?.hosts.find((p) => same(p, h));
    step(`migration.hosts[${i}]`, h, order(before, prevMove), PHASES[nowM.phase].order);
  });
  // A move that leaves the config before it is done: only an abort back to where it came from is safe.
  if (
    before?.authentik &&
    !same(before.authentik, nowM?.authentik) &&
    before.phase !== 'done' &&
    now.authentikUrl !== before.authentik.from
  ) {
    out.push(
      `migration.authentik (${before.authentik.from} -> ${before.authentik.to}) is in phase ${before.phase} in ${baselineLabel} and this config drops it: finish it (cutover, then done) or, to abort from overlap, set authentik.url back to ${before.authentik.from}`,
    );
  }
  if (before && before.phase !== 'done') {
    for (const h of before.hosts ?? []) {
      if (nowM?.hosts.some((x) => same(x, h)) || now.serviceHosts.has(h.from)) continue;
      out.push(
        `migration.hosts ${h.from} -> ${h.to} is in phase ${before.phase} in ${baselineLabel} and this config drops it: finish it (cutover, then done) or, to abort from overlap, move the service back to ${h.from}`,
      );
    }
  }
  // A plain edit of authentik.url flips every issuer, callback, AUTHENTIK_HOST and the apiserver's
  // trust in one commit, though they reach the cluster through different appliers.
  const wasUrl = previous.authentikUrl;
  const finished = !before?.authentik || before.phase === 'done';
  if (wasUrl && !nowM?.authentik && finished && wasUrl !== now.authentikUrl) {
    out.push(
      `authentik.url changes from ${wasUrl} (${baselineLabel}) to ${now.authentikUrl} in one step, so every issuer, callback, AUTHENTIK_HOST and the apiserver's trust would switch at once while they reach the cluster through different systems; move it in phases: migration: {phase: overlap, authentik: {from: ${wasUrl}, to: ${now.authentikUrl}}} (docs/changing-domains.md)`,
    );
  }
  return out;
}
