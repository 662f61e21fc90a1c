// A fake Authentik on loopback for the verify tests: the blueprint-instance list (paginated the
// way Authentik's API paginates: `next` is a page number, 0 on the last page), each issuer's
// discovery document and JWKS, and the failure modes verify must name (401, 403, a slow answer, a
// redirect loop, a server that is not Authentik). Its answers are checked against the official
// @goauthentik/api models in test/verify/fake-contract.test.ts, so it cannot drift from the contract.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Expected } from '../../lib/verify/expected';
import { discoveryUrl } from '../../lib/verify/checks';
import { APPLY_ACTOR } from '../../lib/verify/api';
import { BINDING, BINDINGS_API, LOOKUPS } from '../../lib/verify/objects';

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
  /** Instance path -> the messages (level, text) of its latest apply task. */
  taskLogs?: Map<string, Array<[level: string, event: string]>>;
  /** The task list answers 403 (a token without permission on tasks). */
  tasksForbidden?: boolean;
  /** Authorization headers the server saw. */
  seenAuth: string[];
}

export const RS256_JWK = { kty: 'RSA', alg: 'RS256', use: 'sig', kid: 'test', n: 'AQAB', e: 'AQAB' };

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const FLOW = uuid(900);
const provider = (component: string, name: string) => ({
  name,
  authorization_flow: FLOW,
  invalidation_flow: FLOW,
  component,
  assigned_application_slug: '',
  assigned_application_name: '',
  assigned_backchannel_application_slug: '',
  assigned_backchannel_application_name: '',
  verbose_name: name,
  verbose_name_plural: name,
  meta_model_name: name,
  redirect_uris: [],
});
const userJson = (pk: number, username: string) => ({
  pk,
  username,
  name: username,
  date_joined: '2026-01-01T00:00:00Z',
  is_superuser: false,
  groups_obj: [],
  roles_obj: [],
  avatar: '',
  uid: `uid-${pk}`,
  uuid: uuid(pk),
  password_change_date: '2026-01-01T00:00:00Z',
  last_updated: '2026-01-01T00:00:00Z',
});

/**
 * Each model as its serializer answers it, with the fields the @goauthentik/api models require (the
 * API's defaults, never compared), for the n-th object. test/verify/fake-contract.test.ts checks them.
 */
const SHAPES: Readonly<Record<string, (n: number) => Record<string, unknown>>> = {
  'authentik_providers_oauth2.oauth2provider': (n) => ({ pk: n, ...provider('ak-provider-oauth2-form', 'OAuth2/OpenID Provider') }),
  'authentik_providers_proxy.proxyprovider': (n) => ({
    pk: n,
    ...provider('ak-provider-proxy-form', 'Proxy Provider'),
    client_id: `proxy-${n}`,
    external_host: 'https://unset.example',
    outpost_set: [],
  }),
  'authentik_core.application': (n) => ({
    pk: uuid(n),
    pbm_uuid: uuid(n),
    name: '',
    provider_obj: { pk: n, ...provider('ak-provider-oauth2-form', 'OAuth2/OpenID Provider') },
    backchannel_providers_obj: [],
    launch_url: null,
    meta_icon_url: null,
    meta_icon_themed_urls: null,
    policy_engine_mode: 'any',
  }),
  'authentik_policies_expression.expressionpolicy': (n) => ({
    pk: uuid(n),
    name: '',
    component: 'ak-policy-expression-form',
    verbose_name: 'Expression Policy',
    verbose_name_plural: 'Expression Policies',
    meta_model_name: 'authentik_policies_expression.expressionpolicy',
    bound_to: 1,
    execution_logging: false,
    expression: '',
  }),
  'authentik_policies.policybinding': (n) => ({
    pk: uuid(n),
    policy_obj: {
      pk: uuid(n),
      name: 'policy',
      component: 'ak-policy-expression-form',
      verbose_name: 'Expression Policy',
      verbose_name_plural: 'Expression Policies',
      meta_model_name: 'authentik_policies_expression.expressionpolicy',
      bound_to: 1,
    },
    // The schema requires both nested objects, not nullable (the serializer sends null for a policy binding): the fake follows the schema.
    group_obj: { pk: uuid(n), num_pk: n, name: 'group' },
    user_obj: { pk: n, username: 'user', name: 'user', uid: `uid-${n}` },
    enabled: true,
    negate: false,
    timeout: 30,
    order: 0,
    expires: null,
    expiring: false,
  }),
  'authentik_core.group': (n) => ({
    pk: uuid(n),
    num_pk: n,
    name: '',
    is_superuser: false,
    parents_obj: [],
    users_obj: [],
    roles_obj: [],
    inherited_roles_obj: [],
    children: [],
    children_obj: [],
  }),
  'authentik_core.user': (n) => ({ ...userJson(n, ''), type: 'internal' }),
  'authentik_core.token': (n) => ({ pk: uuid(n), identifier: '', user_obj: userJson(n, 'owner'), intent: 'api', expiring: true }),
};

/** Each verified model's list path, its filter and its identifier (lib/verify/objects.ts). */
const LISTS: Record<string, [path: string, param: string, identifier: string]> = {
  ...Object.fromEntries(Object.entries(LOOKUPS).map(([m, l]) => [m, [l.api, l.param, l.identifier]])),
  [BINDING]: [BINDINGS_API, 'policy', 'policy'],
};

/** One object of each verified list, in its serializer's shape (for .ci/verify-fake-openapi.cjs): list path -> model, its page. */
export function sampleLists(): Array<{ api: string; model: string; page: unknown; params: string[] }> {
  return Object.entries(LISTS).map(([model, [api, param, id]], n) => {
    const o = { ...SHAPES[model](n + 1), [id]: `sample-${n}` };
    if (model === BINDING) Object.assign(o, { policy: uuid(1), target: uuid(2) });
    return { api, model, page: paginated([o]), params: model === BINDING ? ['policy', 'target'] : [param] };
  });
}

/** The live objects of a matching cluster: each expected object in its serializer's shape, bindings joined by primary key. */
function matchingObjects(expected: Expected): Map<string, Array<Record<string, unknown>>> {
  const objects = new Map<string, Array<Record<string, unknown>>>(Object.values(LISTS).map(([p]) => [p, []]));
  const byRef = new Map<string, Record<string, unknown>>();
  let n = 0;
  for (const o of expected.objects.filter((x) => !x.absent)) {
    const [list, , id] = LISTS[o.model];
    const live: Record<string, unknown> = { ...SHAPES[o.model](++n), ...structuredClone(o.attrs) };
    if (o.refs) {
      live.policy = byRef.get(`${o.refs.policy.model} ${o.refs.policy.id}`)!.pk;
      live.target = byRef.get(`${o.refs.target.model} ${o.refs.target.id}`)!.pk;
    } else live[id] = o.id;
    byRef.set(`${o.model} ${o.id}`, live);
    objects.get(list)!.push(live);
  }
  return objects;
}

/** A state in which the cluster matches the expected output exactly. */
export function matchingState(expected: Expected): FakeState {
  return {
    objects: matchingObjects(expected),
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
  pk: uuid(n),
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

/** The apply tasks of the instance whose pk is rel_obj_id (TaskSerializer's fields, authentik/tasks/api/tasks.py). */
export function taskPage(s: FakeState, url: URL): unknown {
  const n = s.instances.findIndex((_i, k) => uuid(k) === url.searchParams.get('rel_obj_id'));
  const i = s.instances[n];
  const logs = i && url.searchParams.get('actor_name') === APPLY_ACTOR ? s.taskLogs?.get(i.path) : undefined;
  const task = (l: Array<[string, string]>) => ({
    message_id: uuid(500 + n),
    queue_name: 'default',
    actor_name: APPLY_ACTOR,
    state: 'done',
    mtime: '2026-12-01T00:00:00Z',
    retries: 0,
    eta: null,
    rel_obj_app_label: 'authentik_blueprints',
    rel_obj_model: 'blueprintinstance',
    rel_obj_id: uuid(n),
    uid: i.name,
    logs: l.map(([log_level, event]) => ({
      timestamp: '2026-12-01T00:00:00Z',
      log_level,
      logger: 'authentik.blueprints.v1.importer',
      event,
      attributes: {},
    })),
    previous_logs: [],
    aggregated_status: 'error',
    description: 'Apply single blueprint.',
  });
  return paginated(logs ? [task(logs)] : []);
}

/** An object the list's filter keeps: the identifier's filter (iexact ignores case), a binding's policy and target. */
function matches(o: Record<string, unknown>, url: URL): boolean {
  const q = url.searchParams;
  if (url.pathname === BINDINGS_API) return o.policy === q.get('policy') && o.target === q.get('target');
  const [, param, id] = Object.values(LISTS).find(([p]) => p === url.pathname)!;
  const want = q.get(param);
  return param.endsWith('__iexact') ? String(o[id]).toLowerCase() === want?.toLowerCase() : o[id] === want;
}

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
  if (url.pathname === '/api/v3/tasks/tasks/') return taskPage(s, url);
  const list = s.objects.get(url.pathname);
  if (list) return paginated(list.filter((o) => matches(o, url)));
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
  // Delayed answers still pending at close are dropped with their connection: a timer left behind
  // would keep the Jest worker alive after its tests ("failed to exit gracefully").
  const delayed = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    s.seenAuth.push(String(req.headers.authorization ?? ''));
    const reply = (): void => {
      const forbidden = s.tasksForbidden && req.url?.startsWith('/api/v3/tasks/');
      if (s.status || forbidden) res.writeHead(s.status ?? 403, { 'content-type': 'application/json' }).end('{"detail":"no"}');
      else if (s.redirectLoop) res.writeHead(302, { location: req.url }).end();
      else if (s.notAuthentik) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome to nginx</html>');
      else {
        const body = answer(s, new URL(req.url ?? '/', `http://${req.headers.host}`));
        if (body === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }
    };
    if (!s.delayMs) return reply();
    const t = setTimeout(() => (delayed.delete(t), reply()), s.delayMs);
    delayed.add(t);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of delayed) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
