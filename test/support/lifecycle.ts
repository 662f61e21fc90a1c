// Drives the importer model (authentik-importer.ts) with real synth output: synth a config into a
// directory through the CLI, mount its blueprint ConfigMaps the way the Authentik chart does
// (`/blueprints/mounted/cm-<ConfigMap>/<key>`), discover, and compare who may use what with the
// ACCESS.md of that same output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { readBlueprints } from '../../lib/blueprints/read';
import { AUTHENTIK_OWN_BLUEPRINTS, type AuthentikModel, type Obj } from './authentik-importer';

export const tmpDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ua-${prefix}-`));

/**
 * `npm run synth -- --config <json> --out <dir> [--baseline <dir>]` (default baseline: the previous
 * output in dir); returns stderr lines. An output of a version without a manifest is not synth's to
 * replace: it is given as the baseline of a fresh --out, as the README says to upgrade one.
 */
export function synth(input: unknown, out: string, baseline?: string): string[] {
  const file = path.join(tmpDir('config'), 'config.json');
  fs.writeFileSync(file, JSON.stringify(input));
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  const err = jest.spyOn(console, 'error').mockImplementation((l: string) => void errors.push(l));
  try {
    const code = main(['--config', file, '--out', out, ...(baseline ? ['--baseline', baseline] : [])]);
    if (code !== 0 && !errors.length) errors.push(`exit ${code}`);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return errors;
}

/** The files the worker sees: ours from the output's ConfigMaps (any number), then Authentik's own. */
export function mounted(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const b of readBlueprints(out)) files.set(`mounted/cm-${b.configMap}/${b.key}`, b.text);
  for (const [p, text] of AUTHENTIK_OWN_BLUEPRINTS) files.set(p, text);
  return files;
}

/** Blueprint instances in error, as "path: error". */
export const errors = (ak: AuthentikModel): string[] =>
  ak.instances.filter((i) => i.status !== 'successful').map((i) => `${i.path}: ${i.error ?? i.status}`);

/** A person directly in each group (created by hand, as people are; groups come from the blueprint). */
export function ensureMembers(ak: AuthentikModel, groups: string[]): void {
  for (const g of groups) {
    const group = ak.find('authentik_core.group', { name: g });
    const username = `member-of-${g}`;
    const user = ak.find('authentik_core.user', { username }) ?? ak.create('authentik_core.user', { username, groups: [] });
    user.fields.groups = group ? [group.pk] : [];
  }
}

/** ACCESS.md's matrix: group -> service display name -> cell. */
export function accessMatrix(out: string): Map<string, Map<string, string>> {
  const md = fs.readFileSync(path.join(out, 'docs/ACCESS.md'), 'utf8').split('\n');
  const start = md.findIndex((l) => l.startsWith('| Group | Members |'));
  const cells = (l: string) => l.slice(2, -2).split(' | ');
  const headers = cells(md[start]);
  const matrix = new Map<string, Map<string, string>>();
  for (const line of md.slice(start + 2)) {
    if (!line.startsWith('| ')) break;
    const row = cells(line);
    matrix.set(row[0].replace(/ \(parent\)$/, ''), new Map(headers.map((h, i) => [h, row[i]])));
  }
  return matrix;
}

/**
 * Every (group, service) where Authentik's decision differs from ACCESS.md: "denied" means the
 * login is refused, any other cell (a role, "allowed", "any authenticated user") that it is not.
 * Agents: only the agent's own group may use its application.
 */
export function accessMismatches(
  ak: AuthentikModel,
  out: string,
  services: ReadonlyArray<{ slug: string; name: string; public?: unknown; agent?: { group: string }; retired?: boolean }>,
): string[] {
  const matrix = accessMatrix(out);
  ensureMembers(ak, [...matrix.keys()]);
  const wrong: string[] = [];
  for (const [group, row] of matrix) {
    for (const s of services.filter((x) => !x.retired && !x.public)) {
      const expected = s.agent ? group === s.agent.group : row.get(s.name) !== 'denied';
      if (!s.agent && !row.has(s.name)) wrong.push(`ACCESS.md has no column for ${s.name}`);
      const actual = ak.mayUse(`member-of-${group}`, s.slug);
      if (actual !== expected)
        wrong.push(
          `${group} on ${s.slug}: Authentik ${actual ? 'allows' : 'denies'}, ACCESS.md says ${s.agent ? `only ${s.agent.group}` : row.get(s.name)}`,
        );
    }
  }
  return wrong;
}

/** Objects not made by the project, created by hand before the first sync, to prove nobody touches them. */
export function seedForeignObjects(ak: AuthentikModel): () => Obj[] {
  const contractors = ak.create('authentik_core.group', { name: 'contractors' });
  const alice = ak.create('authentik_core.user', { username: 'alice', groups: [contractors.pk] });
  const wiki = ak.create('authentik_core.application', { slug: 'team-wiki', name: 'Team wiki' });
  const hours = ak.create('authentik_policies_expression.expressionpolicy', { name: 'office-hours', expression: 'return True' });
  ak.create('authentik_policies.policybinding', { target: wiki.pk, group: contractors.pk, order: 0 });
  ak.create('authentik_policies.policybinding', { target: wiki.pk, user: alice.pk, order: 1 });
  ak.create('authentik_policies.policybinding', { target: wiki.pk, policy: hours.pk, order: 0 });
  const pks = new Set(ak.objects.filter((o) => o.pk >= contractors.pk).map((o) => o.pk));
  return () => structuredClone(ak.objects.filter((o) => pks.has(o.pk)));
}
