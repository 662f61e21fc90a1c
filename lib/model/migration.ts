// The domain move (docs/changing-domains.md): which Authentik URL and which service hosts are
// served, trusted and handed to clients in each phase, computed once here. The derivers read it:
// issuers, callbacks, launch URLs, AUTHENTIK_HOST, the outpost, edge routes and tombstones all
// follow from `PHASES` and the moves.
import type { ClusterConfig, MigrationPhase, Service } from '../config/schema';

/** What each phase means for the old and the new side; `summary` names the consumers the GitOps engine configures in its words. */
export const PHASES: Readonly<
  Record<MigrationPhase, { order: number; clientsOnNew: boolean; oldServed: boolean; summary: (consumers: string) => string }>
> = {
  overlap: {
    order: 1,
    clientsOnNew: false,
    oldServed: true,
    summary: (consumers) =>
      `both hosts are served and trusted (both issuers, both callbacks, routes for both); ${consumers}, AUTHENTIK_HOST, the outpost and launch URLs stay on the old host while the hand-applied parts catch up`,
  },
  cutover: {
    order: 2,
    clientsOnNew: true,
    oldServed: true,
    summary: (consumers) =>
      `AUTHENTIK_HOST, the outpost, launch URLs and ${consumers} move to the new host; the old one is still served and trusted for clients that have not moved`,
  },
  done: {
    order: 3,
    clientsOnNew: true,
    oldServed: false,
    summary: () => 'the old host is retired: its callbacks, its issuer and its routes are gone, and what only it used is tombstoned',
  },
};

export interface HostMove {
  from: string;
  to: string;
}

export interface MigrationModel {
  phase: MigrationPhase;
  /** Authentik's URL, without a trailing slash. */
  authentik?: HostMove;
  hosts: HostMove[];
}

export const withoutSlash = (url: string): string => url.replace(/\/+$/, '');
export const hostOf = (url: string): string => new URL(url).host;

export function deriveMigration(c: ClusterConfig): MigrationModel | undefined {
  const m = c.migration;
  if (!m) return undefined;
  return {
    phase: m.phase,
    ...(m.authentik ? { authentik: { from: withoutSlash(m.authentik.from), to: withoutSlash(m.authentik.to) } } : {}),
    hosts: m.hosts.map((h) => ({ ...h })),
  };
}

/** The URLs (or hosts) of one move in a phase: what clients get, everything served and trusted, what is retired. */
export interface Sides {
  current: string;
  served: string[];
  retired: string[];
}

/** No migration: the value is all there is. */
const only = (v: string): Sides => ({ current: v, served: [v], retired: [] });

function sides(phase: MigrationPhase, move: HostMove): Sides {
  const p = PHASES[phase];
  return {
    current: p.clientsOnNew ? move.to : move.from,
    // New first: the destination leads every list it appears in.
    served: p.oldServed ? [move.to, move.from] : [move.to],
    retired: p.oldServed ? [] : [move.from],
  };
}

/** Authentik's URL in this phase (`url` is the config's, the destination). */
export function authentikSides(m: MigrationModel | undefined, url: string): Sides {
  return m?.authentik ? sides(m.phase, m.authentik) : only(url);
}

/** A service host in this phase (`host` is the config's, the destination). */
export function hostSides(m: MigrationModel | undefined, host: string): Sides {
  const move = m?.hosts.find((h) => h.to === host);
  return m && move ? sides(m.phase, move) : only(host);
}

/** Every host a phase no longer serves: nothing generated may point at one (the phase test checks it). */
export const retiredHosts = (m: MigrationModel | undefined): string[] =>
  m && !PHASES[m.phase].oldServed ? [...(m.authentik ? [hostOf(m.authentik.from)] : []), ...m.hosts.map((h) => h.from)] : [];

/** The slug of the stand-in that serves a service's old host (a proxy application, an edge route). */
export const oldHostSlug = (slug: string): string => `${slug}-old-host`;

/**
 * The copy of a service on its old host, with a slug of its own. It carries what the edge and a
 * forward-auth provider need, without the service's adopted identities (application, provider
 * name, blueprint file): those stay with the service. A service with forward auth routes its old
 * host through forward auth, so the copy needs no oidc block.
 */
function standIn(s: Service, from: string, retired: boolean): Service {
  const { forwardAuth, oidc, ...rest } = s;
  return {
    ...rest,
    slug: oldHostSlug(s.slug),
    name: `${s.name} (old host)`,
    host: from,
    retired,
    ...(forwardAuth
      ? {
          forwardAuth: {
            sessionValidity: forwardAuth.sessionValidity,
            ...(forwardAuth.upstream ? { upstream: forwardAuth.upstream } : {}),
          },
        }
      : oidc
        ? { oidc }
        : {}),
  };
}

/**
 * While the old hosts are served: for each active service whose host moves, a copy on the old host
 * (standIn). The edge routes the old host with it, and a forward-auth service gets a second proxy
 * provider and application from it (the embedded outpost picks a provider by the request's host,
 * and a provider has one external host). The service keeps its identity and moves to the new host,
 * so nothing is renamed when the migration ends.
 */
export function oldHostStandIns(m: MigrationModel | undefined, services: ReadonlyArray<Service>): Service[] {
  if (!m || !PHASES[m.phase].oldServed) return [];
  return services.flatMap((s) => {
    const move = !s.retired && s.host ? m.hosts.find((h) => h.to === s.host) : undefined;
    return move ? [standIn(s, move.from, false)] : [];
  });
}

/**
 * In `done`: the forward-auth stand-ins of the earlier phases, as retired services, so their proxy
 * provider, application and access policy are tombstoned (only forward auth created objects of
 * its own for the old host; an OIDC provider only loses the old callback).
 */
export function retiredStandIns(m: MigrationModel | undefined, services: ReadonlyArray<Service>): Service[] {
  if (!m || PHASES[m.phase].oldServed) return [];
  return services.flatMap((s) => {
    const move = !s.retired && s.host && s.forwardAuth ? m.hosts.find((h) => h.to === s.host) : undefined;
    return move ? [standIn(s, move.from, true)] : [];
  });
}
