// Blueprints that grow with the number of services (forward-auth providers, agents) are split
// across ConfigMaps, because Kubernetes refuses a ConfigMap over 1 MiB. The split is by a size
// budget and is stable from one synth to the next:
//  - each service (a "unit": its entries) goes to bucket hash(key) mod N, N a power of two;
//  - N is the smallest power of two for which every bucket fits the budget, so it depends only on
//    the current config (deterministic), and doubling N moves a unit from bucket b only to b + N:
//    the existing shards keep their names, and an unrelated change never moves a service;
//  - shard 0 is the unsplit blueprint (same name, same ConfigMap), so small clusters never shard.
// Authentik identifies a blueprint instance by its file path (mounted/cm-<ConfigMap>/<key>) and a
// unique metadata.name: a shard's name and ConfigMap change together, never one without the other.
import { createHash } from 'node:crypto';
import { shardRef, type BlueprintRef } from '../model/derive';
import { renderBlueprint } from './build';
import type { Blueprint, BlueprintEntry } from './types';

/** Blueprint text per ConfigMap: half the 1 MiB limit, so a shard can grow a lot before a split. */
export const SHARD_BUDGET_BYTES = 512 * 1024;
/** Beyond this a single service is too big for any shard; the object-size check reports it. */
const MAX_SHARDS = 4096;

export interface Unit {
  /** Stable identity of the service (its slug): decides the bucket. */
  key: string;
  entries: BlueprintEntry[];
}

const bucketHash = (key: string) => createHash('sha256').update(key).digest().readUInt32BE(0);

/** Rendered size of entries, without the blueprint's fixed header. */
function entryBytes(ref: BlueprintRef, entries: BlueprintEntry[]): number {
  const empty = Buffer.byteLength(renderBlueprint({ ...ref, entries: [] }));
  return Buffer.byteLength(renderBlueprint({ ...ref, entries })) - empty;
}

/**
 * Split `units` into shards of `base`. `assemble(ref, index, units, shardRefs)` builds the
 * blueprint of one shard (it adds the header entries; shard 0 also gets the list of all shards).
 * Empty shards other than 0 are not emitted.
 */
export function shardBlueprint(
  base: BlueprintRef,
  units: ReadonlyArray<Unit>,
  assemble: (ref: BlueprintRef, index: number, units: ReadonlyArray<Unit>, others: ReadonlyArray<BlueprintRef>) => Blueprint,
  budget = SHARD_BUDGET_BYTES,
): Blueprint[] {
  const sized = units.map((u) => ({ u, h: bucketHash(u.key), bytes: entryBytes(base, u.entries) }));
  // The fixed part of shard 0 (header, outpost entry, the list of other shards) counts too.
  const overhead = Buffer.byteLength(renderBlueprint(assemble(base, 0, [], []))) + 4096;
  let n = 1;
  for (; n < MAX_SHARDS; n *= 2) {
    const sums = new Array<number>(n).fill(overhead);
    for (const s of sized) sums[s.h % n] += s.bytes;
    if (sums.every((x) => x <= budget)) break;
  }
  const buckets = Array.from({ length: n }, () => [] as Unit[]);
  for (const s of sized) buckets[s.h % n].push(s.u);
  const used = buckets.map((b, i) => ({ b, i })).filter(({ b, i }) => i === 0 || b.length > 0);
  const others = used.filter(({ i }) => i > 0).map(({ i }) => shardRef(base, i));
  return used.map(({ b, i }) => assemble(shardRef(base, i), i, b, i === 0 ? others : []));
}
