// Config rules of a domain move (docs/changing-domains.md). The phase order against the previous
// output is not a config rule: lib/guards/migration.ts checks it, like the orphan guard.
import { DNS_NAME, type ClusterConfig } from '../config/schema';
import { PHASES, hostOf, oldHostSlug, withoutSlash } from '../model/migration';
import { AUTHENTIK_OLD_HOST_ROUTE, serviceRouteConfigs, tlsDomainCovers } from '../model/edge';
import type { TlsConfig } from '../config/edge-schema';

/** The domain names of a TLS block that does not cover `host` (undefined: it covers it, or names none). */
function uncovering(t: TlsConfig | undefined, host: string): string[] | undefined {
  const names = t?.domains?.flatMap((d) => [d.main, ...(d.sans ?? [])]);
  return names && !names.some((d) => tlsDomainCovers(d, host)) ? names : undefined;
}

type Migration = NonNullable<ClusterConfig['migration']>;

/** What the move's rules read. */
interface Move {
  readonly c: ClusterConfig;
  readonly mg: Migration;
  readonly authHost: string;
  /** Authentik's old host, when Authentik moves. */
  readonly oldAuthHost: string | undefined;
  /** The active services with their index in services. */
  readonly active: ReadonlyArray<{ s: ClusterConfig['services'][number]; i: number }>;
  /** Each slug's service index (the last one, when a slug is duplicated). */
  readonly slugs: ReadonlyMap<string, number>;
}

function nothingMovedProblems({ mg }: Move): string[] {
  if (mg.authentik || mg.hosts.length) return [];
  return ['migration: moves nothing; give migration.authentik {from, to}, migration.hosts [{from, to}], or both (or remove the block)'];
}

function authentikMoveProblems({ c, mg, oldAuthHost, active }: Move): string[] {
  if (!mg.authentik || oldAuthHost === undefined) return [];
  const out: string[] = [];
  const from = withoutSlash(mg.authentik.from);
  const to = withoutSlash(mg.authentik.to);
  if (!DNS_NAME.test(oldAuthHost)) out.push(`migration.authentik.from: "${oldAuthHost}" in "${mg.authentik.from}" is not a DNS name`);
  else if (from === to) out.push(`migration.authentik: from and to are the same URL (${from}); a migration moves Authentik to another URL`);
  else if (to !== withoutSlash(c.authentik.url)) {
    out.push(
      `migration.authentik.to: "${to}" is not authentik.url "${withoutSlash(c.authentik.url)}"; authentik.url is the destination, the migration says where it comes from`,
    );
  }
  // While the old host is served, its route needs a certificate for it too.
  const gap = c.edge.mode !== 'gateway-api' && PHASES[mg.phase].oldServed ? uncovering(c.edge.tls, oldAuthHost) : undefined;
  if (gap)
    out.push(
      `edge.tls.domains: no domain covers Authentik's old host ${oldAuthHost}, which is routed until the done phase (domains ${gap.join(', ')})`,
    );
  const taken = c.services.findIndex((s) => s.slug === AUTHENTIK_OLD_HOST_ROUTE);
  if (taken >= 0)
    out.push(
      `services[${taken}].slug: "${AUTHENTIK_OLD_HOST_ROUTE}" is the edge route of Authentik's old host while it moves; pick another slug`,
    );
  const clients = active.filter(({ s }) => s.agent || s.kubectl).length;
  if (from !== to && clients && c.talos?.apiServerAuth === 'flags' && mg.phase !== 'done') {
    out.push(
      `talos.apiServerAuth: "flags" holds one issuer (--oidc-issuer-url), but in the ${mg.phase} phase the apiserver must trust the issuers of both ${hostOf(from)} and ${hostOf(to)} while agents and people move; use "structured" (one JWT authenticator per issuer)`,
    );
  }
  return out;
}

type HostMove = Migration['hosts'][number];

/** The destination service of a host move: its routes must cover the old host while it is served, its stand-in's slug must be free. */
function destinationProblems(x: Move, h: HostMove, at: string, target: Move['active'][number]): string[] {
  const { c, mg } = x;
  const out: string[] = [];
  if (c.edge.mode !== 'gateway-api' && PHASES[mg.phase].oldServed) {
    serviceRouteConfigs(target.s).forEach((r, j) => {
      const names = uncovering(r.tls ?? c.edge.tls, h.from);
      const where = r.tls ? `services[${target.i}].routes[${j}].tls` : 'edge.tls';
      if (names)
        out.push(
          `${where}.domains: no domain covers the old host ${h.from}, which is routed until the done phase (domains ${names.join(', ')})`,
        );
    });
  }
  const standIn = oldHostSlug(target.s.slug);
  const taken = x.slugs.get(standIn);
  if (taken !== undefined) {
    out.push(
      `${at}: the old host is served by a stand-in named "${standIn}" while the move lasts, which is already the slug of services[${taken}]; rename that service`,
    );
  }
  return out;
}

function hostMoveProblems(x: Move): string[] {
  const seenFrom = new Map<string, number>();
  const seenTo = new Map<string, number>();
  return x.mg.hosts.flatMap((h, i) => {
    const at = `migration.hosts[${i}]`;
    if (h.from === h.to) return [`${at}: from and to are the same host (${h.from}); a migration moves a service to another host`];
    const out: string[] = [];
    if (seenFrom.has(h.from)) out.push(`${at}.from: "${h.from}" is moved twice (also migration.hosts[${seenFrom.get(h.from)}])`);
    else seenFrom.set(h.from, i);
    if (seenTo.has(h.to)) out.push(`${at}.to: two hosts move to "${h.to}" (also migration.hosts[${seenTo.get(h.to)}])`);
    else seenTo.set(h.to, i);
    if (h.from === x.authHost || h.from === x.oldAuthHost)
      out.push(`${at}.from: "${h.from}" is Authentik's own host; move Authentik with migration.authentik`);
    const target = x.active.find(({ s }) => s.host === h.to);
    if (!target) {
      out.push(
        `${at}.to: "${h.to}" is not the host of any active service; services[].host is the destination, the migration says where it comes from`,
      );
    }
    // Every route of the old host moves with it: a service left on the old host would keep it
    // served after `done`, and its routes would split across two hosts mid-migration.
    const left = x.active.find(({ s }) => s.host === h.from);
    if (left) {
      out.push(
        `${at}.from: "${h.from}" is still the host of services[${left.i}] (${left.s.slug}): the move would take only some of its routes; move every service on it, or none`,
      );
    }
    return target ? [...out, ...destinationProblems(x, h, at, target)] : out;
  });
}

/** The move's rules, in the order their messages appear. */
const MIGRATION_RULES: ReadonlyArray<(x: Move) => string[]> = [nothingMovedProblems, authentikMoveProblems, hostMoveProblems];

export function migrationProblems(c: ClusterConfig, authHost: string): string[] {
  const mg = c.migration;
  if (!mg) return [];
  const x: Move = {
    c,
    mg,
    authHost,
    oldAuthHost: mg.authentik ? withoutSlash(mg.authentik.from).replace(/^https:\/\//, '') : undefined,
    active: c.services.map((s, i) => ({ s, i })).filter(({ s }) => !s.retired),
    slugs: new Map(c.services.map((s, i) => [s.slug, i])),
  };
  return [...new Set(MIGRATION_RULES.flatMap((rule) => rule(x)))];
}
