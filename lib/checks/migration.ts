// A domain move on the rendered edge (docs/changing-domains.md): while a phase serves the old
// host, it must serve every path the new host serves, to the same backends and behind the same
// forward auth (a move that took only some of a host's routes would break the rest for clients
// still on the old host); once the move is done, nothing is routed on an old host any more.
import type { SynthResult } from '../output/render';
import { PHASES, hostOf } from '../model/migration';
import { isForwardAuth, readEdge, type RenderedEdge } from './edge';
import { list } from './rendered';

/** Each path a host is routed at, with its backends and whether forward auth guards it. */
function routesOf(edge: RenderedEdge, host: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of edge.routes.filter((x) => x.hosts.includes(host))) {
    const auth = r.middlewares.some((mw) => isForwardAuth(mw.rendered)) ? 'forward auth' : 'no forward auth';
    for (const p of r.paths) out.set(p, `${[...r.backends].sort().join(', ')} (${auth})`);
  }
  return out;
}

export function checkMigration(r: SynthResult): string[] {
  const mig = r.model.migration;
  if (!mig) return [];
  const edge = readEdge(r);
  const moves = [...(mig.authentik ? [{ from: hostOf(mig.authentik.from), to: hostOf(mig.authentik.to) }] : []), ...mig.hosts];
  const out: string[] = [];
  for (const m of moves) {
    const now = routesOf(edge, m.to);
    const old = routesOf(edge, m.from);
    if (!PHASES[mig.phase].oldServed) {
      if (old.size) out.push(`${edge.source} still routes ${m.from} (${list([...old.keys()])}), which the done phase retired`);
      continue;
    }
    for (const [path, target] of now) {
      const was = old.get(path);
      if (was !== target) {
        out.push(
          `${edge.source} routes ${m.to} ${path} to ${target}, but its old host ${m.from} ${was ? `to ${was}` : 'not at all'}: a move takes every route of the host with it while the ${mig.phase} phase serves both`,
        );
      }
    }
    for (const path of [...old.keys()].filter((p) => !now.has(p))) {
      out.push(`${edge.source} routes the old host ${m.from} at ${path}, which its new host ${m.to} does not serve`);
    }
  }
  return out;
}
