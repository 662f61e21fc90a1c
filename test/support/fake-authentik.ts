// A fake Authentik on loopback for the verify tests: the blueprint-instance list (paginated the
// way Authentik's API paginates: `next` is a page number, 0 on the last page), each issuer's
// discovery document and JWKS, and the failure modes verify must name (401, 403, a slow answer, a
// redirect loop, a server that is not Authentik). Its answers are checked against the official
// @goauthentik/api models in test/verify/fake-contract.test.ts, so it cannot drift from the contract.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Expected } from '../../lib/verify/expected';
import { discoveryUrl } from '../../lib/verify/checks';

export interface FakeInstance {
  path: string;
  name: string;
  status: string;
  last_applied_hash: string;
  enabled?: boolean;
}

export interface FakeState {
  instances: FakeInstance[];
  pageSize: number;
  /** API list path -> the objects it lists (providers by client_id, applications by slug). */
  objects: Map<string, Array<Record<string, unknown>>>;
  /** The embedded outpost's providers (names), or undefined: no embedded outpost. */
  outpost?: string[];
  /** Issuer -> discovery document, its JWKS. */
  issuers: Map<string, { discovery: Record<string, unknown>; jwks: unknown }>;
  /** Every request answered with this status (401, 403). */
  status?: number;
  delayMs?: number;
  redirectLoop?: boolean;
  /** Answer HTML, like a web server that is not Authentik. */
  notAuthentik?: boolean;
  /** Authorization headers the server saw. */
  seenAuth: string[];
}

export const RS256_JWK = { kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'test', n: 'AQAB', e: 'AQAB' };

/** Each verified model's list path and identifier (lib/verify/objects.ts LOOKUPS). */
const LISTS: Record<string, [string, string]> = {
  'authentik_providers_oauth2.oauth2provider': ['/api/v3/providers/oauth2/', 'client_id'],
  'authentik_core.application': ['/api/v3/core/applications/', 'slug'],
};

/** A state in which the cluster matches the expected output exactly. */
export function matchingState(expected: Expected): FakeState {
  const objects = new Map<string, Array<Record<string, unknown>>>(Object.values(LISTS).map(([p]) => [p, []]));
  for (const o of expected.objects.filter((x) => !x.absent)) {
    const [list, id] = LISTS[o.model];
    objects.get(list)!.push({ pk: objects.get(list)!.length + 1, ...structuredClone(o.attrs), [id]: o.id });
  }
  return {
    objects,
    outpost: expected.outpostProviders && [...expected.outpostProviders],
    instances: expected.blueprints.map((b) => ({
      path: b.path,
      name: b.name,
      status: 'successful',
      last_applied_hash: b.hash,
      enabled: true,
    })),
    pageSize: 100,
    issuers: new Map(
      expected.issuers.map((i) => [
        i.issuer,
        { discovery: { issuer: i.issuer, jwks_uri: `${i.issuer}jwks/` }, jwks: { keys: [RS256_JWK] } },
      ]),
    ),
    seenAuth: [],
  };
}

/** A BlueprintInstance as the API serialises it (BlueprintInstanceSerializer's fields). */
const instanceJson = (i: FakeInstance, n: number) => ({
  pk: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name: i.name,
  path: i.path,
  context: {},
  last_applied: '2026-12-01T00:00:00Z',
  last_applied_hash: i.last_applied_hash,
  status: i.status,
  enabled: i.enabled ?? true,
  managed_models: [],
  metadata: {},
  content: '',
});

/** One page of the list, with Authentik's pagination object. */
export function blueprintPage(s: FakeState, page: number): unknown {
  const pages = Math.max(1, Math.ceil(s.instances.length / s.pageSize));
  const slice = s.instances.slice((page - 1) * s.pageSize, page * s.pageSize);
  return {
    pagination: {
      next: page < pages ? page + 1 : 0,
      previous: page > 1 ? page - 1 : 0,
      count: s.instances.length,
      current: page,
      total_pages: pages,
      start_index: (page - 1) * s.pageSize + 1,
      end_index: (page - 1) * s.pageSize + slice.length,
    },
    results: slice.map((i, n) => instanceJson(i, (page - 1) * s.pageSize + n)),
    autocomplete: {},
  };
}

const paginated = (results: unknown[]) => ({
  pagination: { next: 0, previous: 0, count: results.length, current: 1, total_pages: 1, start_index: 1, end_index: results.length },
  results,
  autocomplete: {},
});

/** The JSON the fake answers a URL with, or undefined (404). */
export function answer(s: FakeState, url: URL): unknown {
  if (url.pathname === '/api/v3/managed/blueprints/') return blueprintPage(s, Number(url.searchParams.get('page') ?? '1'));
  if (url.pathname === '/api/v3/outposts/instances/')
    return paginated(
      s.outpost
        ? [
            {
              pk: '00000000-0000-4000-8000-000000000001',
              name: 'authentik Embedded Outpost',
              managed: url.searchParams.get('managed__iexact'),
              providers_obj: s.outpost.map((name, i) => ({ pk: i + 1, name })),
            },
          ]
        : [],
    );
  const list = s.objects.get(url.pathname);
  if (list) {
    const id = Object.values(LISTS).find(([p]) => p === url.pathname)![1];
    return paginated(list.filter((o) => o[id] === url.searchParams.get(id)));
  }
  for (const [issuer, v] of s.issuers) {
    // By path: the tests route every issuer's host to this one server.
    if (new URL(discoveryUrl(issuer)).pathname === url.pathname) return v.discovery;
    if (new URL(String(v.discovery.jwks_uri)).pathname === url.pathname) return v.jwks;
  }
  return undefined;
}

export interface Fake {
  url: string;
  close(): Promise<void>;
}

export async function startFake(s: FakeState): Promise<Fake> {
  const server = http.createServer((req, res) => {
    s.seenAuth.push(String(req.headers.authorization ?? ''));
    const reply = (): void => {
      if (s.status) res.writeHead(s.status, { 'content-type': 'application/json' }).end('{"detail":"no"}');
      else if (s.redirectLoop) res.writeHead(302, { location: req.url }).end();
      else if (s.notAuthentik) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome to nginx</html>');
      else {
        const body = answer(s, new URL(req.url ?? '/', `http://${req.headers.host}`));
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }
    };
    if (s.delayMs) setTimeout(reply, s.delayMs);
    else reply();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
