// Blueprints that grow with the services are split across ConfigMaps by size (lib/blueprints/shard.ts),
// deterministically and stably, and no emitted object exceeds what the API server accepts.
import { shardBlueprint, type Unit } from '../lib/blueprints/shard';
import { renderBlueprint } from '../lib/blueprints/build';
import { checkObjectSizes, MAX_OBJECT_BYTES, objectBytes } from '../lib/checks/object-size';
import { checkBlueprintConfigMaps } from '../lib/checks/blueprint-configmaps';
import { findings } from '../lib/checks';
import { k8sObjects } from '../lib/checks/util';
import type { BlueprintRef } from '../lib/model/derive';
import type { ClusterConfigInput } from '../lib/config/schema';
import { defaultInput, doc, renderInput } from './helpers';

const BASE: BlueprintRef = { name: 'unified-auth-things', configMapName: 'authentik-blueprint-things', fileName: 'things.yaml' };
const unit = (key: string, pad = 200): Unit => ({ key, entries: [{ model: 'authentik_core.group', identifiers: { name: key }, attrs: { pad: 'x'.repeat(pad) } }] });
const assemble = (ref: BlueprintRef, _i: number, units: ReadonlyArray<Unit>) => ({ ...ref, entries: units.flatMap((u) => u.entries) });
/** Which shard (ConfigMap) each unit key landed in. */
const placement = (bps: ReturnType<typeof shardBlueprint>) =>
  new Map(bps.flatMap((bp) => bp.entries.map((e) => [String(e.identifiers.name), bp.configMapName] as const)));

describe('shardBlueprint', () => {
  test('small: one shard, the unsplit blueprint itself', () => {
    const bps = shardBlueprint(BASE, ['a', 'b', 'c'].map((k) => unit(k)), assemble, 64 * 1024);
    expect(bps.map((b) => b.configMapName)).toEqual(['authentik-blueprint-things']);
  });

  test('every shard fits the budget, and every unit is in exactly one shard', () => {
    const units = Array.from({ length: 300 }, (_, i) => unit(`svc-${i}`));
    const bps = shardBlueprint(BASE, units, assemble, 16 * 1024);
    expect(bps.length).toBeGreaterThan(2);
    for (const bp of bps) expect(Buffer.byteLength(renderBlueprint(bp))).toBeLessThanOrEqual(16 * 1024);
    expect([...placement(bps).keys()].sort()).toEqual(units.map((u) => u.key).sort());
    expect(new Set(bps.map((b) => b.name)).size).toBe(bps.length);
    expect(bps[0].configMapName).toBe(BASE.configMapName);
  });

  test('deterministic: the same units give the same shards, in any input order', () => {
    const units = Array.from({ length: 200 }, (_, i) => unit(`svc-${i}`));
    const a = placement(shardBlueprint(BASE, units, assemble, 16 * 1024));
    const b = placement(shardBlueprint(BASE, [...units].reverse(), assemble, 16 * 1024));
    expect(b).toEqual(a);
  });

  test('stable: adding or removing an unrelated unit moves no other unit (same shard count)', () => {
    const units = Array.from({ length: 200 }, (_, i) => unit(`svc-${i}`));
    const before = placement(shardBlueprint(BASE, units, assemble, 16 * 1024));
    const added = placement(shardBlueprint(BASE, [...units, unit('new-one')], assemble, 16 * 1024));
    const removed = placement(shardBlueprint(BASE, units.slice(1), assemble, 16 * 1024));
    expect(new Set(added.values()).size).toBe(new Set(before.values()).size);
    for (const [k, cm] of before) {
      expect(added.get(k)).toBe(cm);
      if (k !== 'svc-0') expect(removed.get(k)).toBe(cm);
    }
  });

  test('growth doubles the shard count; a unit only moves from shard i to the new shard i + N', () => {
    const units = Array.from({ length: 400 }, (_, i) => unit(`svc-${i}`));
    const index = (cm: string) => Number(/-(\d+)$/.exec(cm)?.[1] ?? 0);
    const small = placement(shardBlueprint(BASE, units.slice(0, 100), assemble, 16 * 1024));
    const big = placement(shardBlueprint(BASE, units, assemble, 16 * 1024));
    const n = (m: Map<string, string>) => 2 ** Math.ceil(Math.log2(Math.max(...[...m.values()].map(index)) + 1));
    expect(n(big)).toBeGreaterThan(n(small));
    for (const [k, cm] of small) expect(index(big.get(k)!) % n(small)).toBe(index(cm));
  });
});

/** The default config plus `n` forward-auth services and groups up to `groups` in all. */
function large(n: number, groups: number): ClusterConfigInput {
  const c = defaultInput();
  for (let i = c.groups.length; i < groups; i++) c.groups.push({ name: `root-team-${i}` });
  for (let i = 0; i < n; i++) {
    c.services.push({ slug: `svc-${i}`, name: `Service ${i}`, host: `svc-${i}.frank.derio.net`, allowedGroups: ['root-admins'], forwardAuth: { upstream: `http://10.0.${Math.floor(i / 250)}.${i % 250}:80` } });
  }
  return c;
}

describe('a large cluster synthesizes into objects under the limit', () => {
  // 300 forward-auth services with 24 groups were one 1.8 MB ConfigMap before sharding.
  const r = renderInput(large(300, 24));

  test('every check passes, including blueprints.configMaps = the emitted ConfigMaps and the object size', () => {
    expect(findings(r)).toEqual([]);
  });

  test('the proxy blueprint is sharded, and shard 0 keeps its name and applies the others first', () => {
    const names = doc(r, 'values/authentik.yaml').blueprints.configMaps as string[];
    const shards = names.filter((n) => n.startsWith('authentik-blueprint-proxy-providers'));
    expect(shards.length).toBeGreaterThan(1);
    const zero = r.blueprints.find((b) => b.configMapName === 'authentik-blueprint-proxy-providers')!;
    const applied = zero.entries.filter((e) => e.model === 'authentik_blueprints.metaapplyblueprint').map((e) => (e.attrs!.identifiers as { name: string }).name);
    expect(applied).toEqual(['unified-auth-groups', ...r.blueprints.filter((b) => b.name.startsWith('unified-auth-proxy-providers-')).map((b) => b.name)]);
    const largest = Math.max(...k8sObjects(r).map(({ obj }) => objectBytes(obj)));
    expect(largest).toBeLessThan(MAX_OBJECT_BYTES / 2 + 64 * 1024);
  });

  test('the size check fires on an oversized object', () => {
    const cm = k8sObjects(r, 'ConfigMap')[0].obj as unknown as { data: Record<string, string> };
    cm.data.extra = 'x'.repeat(MAX_OBJECT_BYTES);
    expect(checkObjectSizes(r)).toEqual([expect.stringMatching(/^authentik-extras\/configmap-.*\.yaml: ConfigMap ".*" is \d+ bytes; the API server accepts at most 1048576 \(1 MiB\)/)]);
    expect(checkBlueprintConfigMaps(r).length).toBeGreaterThan(0);
  });
});
