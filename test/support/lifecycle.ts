// Drives the importer model (authentik-importer.ts) with real synth output: synth a config into a
// directory through the CLI, mount its blueprint ConfigMaps the way the Authentik chart does
// (`/blueprints/mounted/cm-<ConfigMap>/<key>`), discover, and compare who may use what with the
// ACCESS.md of that same output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { readBlueprints } from '../../lib/previous/blueprints';
import { AUTHENTIK_OWN_BLUEPRINTS, type AuthentikModel, type Obj } from './authentik-importer';

export const tmpDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ua-${prefix}-`));

/** `npm run synth -- --config <json> --out <dir> [args]` (the previous output in dir is the baseline unless args name one, e.g. `--baseline <dir>` for an output written before the manifest); returns stderr lines. */
export function synth(input: unknown, out: string, args: readonly string[] = []): string[] {
  const file = path.join(tmpDir('config'), 'config.json');
  fs.writeFileSync(file, JSON.stringify(input));
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  const err = jest.spyOn(console, 'error').mockImplementation((l: string) => void errors.push(l));
  try {
    const code = main(['--config', file, '--out', out, ...args]);
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

/** mulberry32: a seeded generator, so an order that fails is reproduced by its seed. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const permutations = <T>(xs: readonly T[]): T[][] =>
  xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));

/**
 * The orders to replay the files of one change in: every permutation of up to 5 files, otherwise
 * `samples` seeded shuffles (Fisher-Yates), the listed order and its reverse first.
 */
export function applyOrders(paths: readonly string[], samples = 200, seed = 24): string[][] {
  if (paths.length <= 5) return permutations(paths);
  const next = seeded(seed);
  const shuffled = () => {
    const xs = [...paths];
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  return [[...paths], [...paths].reverse(), ...Array.from({ length: samples - 2 }, shuffled)];
}

/** Fields that hold another object's primary key (a `!Find` or `!KeyOf`), compared by what they point at. */
const REFERENCES = new Set([
  'target',
  'policy',
  'group',
  'user',
  'provider',
  'stage',
  'authorization_flow',
  'authentication_flow',
  'invalidation_flow',
  'configure_flow',
  'signing_key',
  'parents',
  'groups',
  'property_mappings',
  'providers',
  'fields',
  'validation_policies',
]);

/** The database with primary keys replaced by what they point at: equal for equal states, whatever order made them. */
export function fingerprint(ak: AuthentikModel): string[] {
  const byPk = new Map(ak.objects.map((o) => [o.pk, o]));
  const label = (o: Obj | undefined): string => {
    if (!o) return 'missing';
    const f = o.fields;
    const key = ['slug', 'client_id', 'managed', 'username', 'identifier', 'name'].find((k) => typeof f[k] === 'string');
    return key ? `${o.model}:${String(f[key])}` : `${o.model}{${describe(o)}}`;
  };
  const ref = (v: unknown): unknown => (Array.isArray(v) ? v.map(ref).sort() : typeof v === 'number' ? label(byPk.get(v)) : v);
  // A client secret Authentik generates is random there (and numbered by pk here): any one will do.
  const value = (k: string, v: unknown) =>
    REFERENCES.has(k) ? ref(v) : typeof v === 'string' && /^generated-client-secret-/.test(v) ? 'generated' : v;
  // An object's description, once per object: references to unkeyed objects describe them again.
  const described = new Map<Obj, string>();
  const describe = (o: Obj): string => {
    let d = described.get(o);
    if (d === undefined) described.set(o, (d = describeOnce(o)));
    return d;
  };
  const describeOnce = (o: Obj) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(o.fields)
          // By key alone: the default sort would stringify every value to compare the pairs.
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, value(k, v)]),
      ),
    );
  return ak.objects.map((o) => `${o.model} ${describe(o)}`).sort();
}

/**
 * Replay the discovery of `files` from a copy of `ak` in every order of the files it applies
 * (applyOrders): each must leave no blueprint in error and the same database as the listed order.
 * Returns the problems ("order: what"), and how many orders ran.
 */
export function replayEveryOrder(ak: AuthentikModel, files: ReadonlyMap<string, string>): { orders: number; problems: string[] } {
  const orders = applyOrders(ak.due(files));
  const problems: string[] = [];
  let reference: string[] | undefined;
  for (const order of orders) {
    const copy = ak.clone();
    copy.discover(files, { order });
    const state = fingerprint(copy);
    reference ??= state;
    const name = order.map((p) => path.basename(p)).join(' > ');
    for (const e of errors(copy)) problems.push(`${name}: ${e}`);
    if (JSON.stringify(state) !== JSON.stringify(reference))
      problems.push(`${name}: a different database than ${orders[0].map((p) => path.basename(p)).join(' > ')}`);
  }
  return { orders: orders.length, problems };
}

/**
 * Replay the discovery of `files` with two of the files it applies running at once
 * (AuthentikModel.applyConcurrently), the others after them, for every pair (at most `samples`
 * seeded ones). Authentik retries a failed file only at the next discovery, so each replay gets
 * one more discovery and must then equal the serial result with no blueprint in error. Returns
 * the problems, and how many pairs failed a file before that next discovery (the convergence
 * wait: docs/authentik-importer.md).
 */
export function replayConcurrentPairs(
  ak: AuthentikModel,
  files: ReadonlyMap<string, string>,
  samples = 20,
): { pairs: number; waited: number; problems: string[] } {
  const due = ak.due(files);
  const serial = ak.clone();
  serial.discover(files);
  const reference = JSON.stringify(fingerprint(serial));
  const all = due.flatMap((a) => due.filter((b) => b !== a).map((b) => [a, b] as const));
  const next = seeded(9);
  const pairs = all.length <= samples ? all : Array.from({ length: samples }, () => all[Math.floor(next() * all.length)]);
  const problems: string[] = [];
  let waited = 0;
  for (const [a, b] of pairs) {
    const copy = ak.clone();
    copy.register(files);
    copy.applyConcurrently(a, b, files);
    // The same discovery's other tasks; a failed one waits for the next discovery.
    for (const p of due.filter((x) => x !== a && x !== b))
      copy.applyInstance(
        copy.instances.find((i) => i.path === p)!,
        files,
      );
    if (errors(copy).length) waited++;
    copy.discover(files);
    const name = `${path.basename(a)} || ${path.basename(b)}`;
    for (const e of errors(copy)) problems.push(`${name}, after the next discovery: ${e}`);
    if (JSON.stringify(fingerprint(copy)) !== reference) problems.push(`${name}: a different database than applying one after another`);
  }
  return { pairs: pairs.length, waited, problems };
}
