// Property-based tests (fast-check): (a) any valid config renders, passes every check and yields
// valid YAML; (b) any single mutation of the default config either synthesizes cleanly or fails
// with a ConfigError whose every line starts with a config path — never another exception.
import fc from 'fast-check';
import yaml from 'js-yaml';
import { frank } from '../../config/frank';
import { ConfigError, formatPath, parseConfig } from '../../lib/rules/validate';
import type { ClusterConfigInput } from '../../lib/config/schema';
import { render, type SynthResult } from '../../lib/output/render';
import { findings } from '../../lib/checks';
import { parseBlueprint } from '../../lib/blueprints/build';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
/** FC_SEED reproduces a failure; FC_RUNS_FACTOR explores harder (e.g. 20) outside the normal run. */
const params = (numRuns: number) => ({ numRuns: Math.round(numRuns * Number(process.env.FC_RUNS_FACTOR ?? 1)), seed: SEED });

// --- (a) random valid configs -------------------------------------------------------------------

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const KINDS = ['generic', 'infisical', 'grafana', 'argocd', 'forwardAuth', 'public', 'agent', 'kubectl'] as const;

const groupArb = fc.record({
  superuser: fc.boolean(),
  members: fc.constantFrom('people', 'agents'),
  kubernetes: fc.option(fc.constantFrom('cluster-admin', 'admin', 'edit', 'view'), { nil: undefined }),
  argocd: fc.option(fc.constantFrom('role:admin', 'role:readonly'), { nil: undefined }),
  grafana: fc.option(fc.constantFrom('GrafanaAdmin', 'Admin', 'Editor', 'Viewer'), { nil: undefined }),
});

const serviceArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  retired: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  allowedMask: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
  offline: fc.boolean(),
  explicitClientId: fc.boolean(),
  explicitAccount: fc.boolean(),
  agentGroup: fc.nat(),
  validity: fc.option(fc.constantFrom('minutes=5', 'hours=1;minutes=30', 'days=1'), { nil: undefined }),
  /** Edge: 0 the upstream shorthand (or no route for OIDC), 1 one route, 2 a host split by path. */
  routes: fc.integer({ min: 0, max: 2 }),
  allowList: fc.boolean(),
});

const configArb = fc.record({
  groups: fc.array(groupArb, { minLength: 1, maxLength: 8 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 60 }),
  structured: fc.boolean(),
  groupsPrefix: fc.constantFrom('', 'oidc:', 'authentik-'),
  usernamePrefix: fc.constantFrom('', 'oidc:'),
  manageProviders: fc.boolean(),
  strict: fc.boolean(),
  omni: fc.boolean(),
  cilium: fc.constantFrom('1.13.4', '1.15.6', 'v1.16.5', '1.17.0'),
  talosMinor: fc.integer({ min: 9, max: 13 }),
  // Every supported Authentik minor (first safe patch, chart releases that exist): each validates against its own API schema.
  authentikChart: fc.constantFrom('2026.2.3', '2026.5.6', '2026.8.0'),
  domain: fc.constantFrom('frank.derio.net', 'lab.example.org', 'a.b.example.com'),
  defaultRole: fc.constantFrom('role:readonly', '', 'role:admin'),
  entryPoints: fc.constantFrom(['websecure'], ['websecure', 'internal']),
  grafanaParent: fc.constantFrom(undefined, 'grafana', 'kube-grafana'),
  edgeMode: fc.constantFrom('traefik-file', 'traefik-crd', 'gateway-api'),
  globalChain: fc.boolean(),
});

type Gen = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

/** A valid config from generated choices; conflicts (a second ArgoCD, ...) are resolved, not rejected. */
function buildConfig(g: Gen): ClusterConfigInput {
  const groups = g.groups.map((x, i) => ({ name: `team-${i}-${WORDS[i]}`, ...x }));
  const agentGroups = groups.filter((x) => x.members === 'agents');
  const active = { argocd: false, grafana: false, agents: 0 };
  const services: any[] = g.services.map((s, i) => {
    let kind: string = s.kind;
    if ((kind === 'argocd' || kind === 'grafana') && !s.retired) {
      if (active[kind]) kind = 'generic';
      else active[kind] = true;
    }
    // The flags form trusts one issuer: one agent or one kubectl client at most.
    if ((kind === 'agent' || kind === 'kubectl') && !s.retired) {
      if (!g.structured && active.agents >= 1) kind = 'forwardAuth';
      else active.agents++;
    }
    const slug = `${kind.toLowerCase()}-${i}`;
    const svc: any = { slug, name: `${WORDS[i % WORDS.length]} ${kind} ${i}`, retired: s.retired };
    const allowed = s.allowedMask === undefined ? undefined : groups.filter((_x, j) => s.allowedMask! & (1 << j)).map((x) => x.name);
    const upstream = `http://10.0.${i % 250}.${10 + (i % 200)}:8080`;
    const inCluster = g.edgeMode !== 'traefik-file';
    const nRoutes = inCluster && (kind === 'forwardAuth' || kind === 'public') ? Math.max(1, s.routes) : s.routes;
    const backend = (j: number) =>
      inCluster
        ? { service: { namespace: `ns-${i % 5}`, name: `svc-${i}-${j}`, port: 8080 + j } }
        : { url: `http://10.0.${i % 250}.${10 + j}:8080` };
    const routes = nRoutes
      ? Array.from({ length: nRoutes }, (_x, j) => ({
          path: j === 0 ? '/' : `/api${j}`,
          ...backend(j),
          ...(s.allowList ? { middlewares: [{ ipAllowList: 'lan' }] } : {}),
        }))
      : undefined;
    if (kind === 'agent') {
      const pool = agentGroups.length ? agentGroups : groups;
      svc.agent = { group: pool[s.agentGroup % pool.length].name, ...(s.explicitAccount ? { serviceAccount: `sa-${i}` } : {}) };
    } else if (kind === 'kubectl') {
      if (allowed?.length) svc.allowedGroups = allowed;
      svc.kubectl = s.validity ? { accessTokenValidity: s.validity } : {};
    } else {
      svc.host = `${slug}.${g.domain}`;
      svc.allowedGroups = allowed?.length ? allowed : 'any';
      if (routes) svc.routes = routes;
      if (kind === 'forwardAuth')
        svc.forwardAuth = { ...(routes ? {} : { upstream }), ...(s.validity ? { sessionValidity: s.validity } : {}) };
      else if (kind === 'public') {
        svc.public = routes ? {} : { upstream };
        delete svc.allowedGroups;
      } else {
        svc.oidc = {
          consumer: kind,
          ...(kind === 'generic' ? { callbackPath: `/oauth2/${i}/callback` } : {}),
          ...(s.explicitClientId ? { clientId: `client-${i}` } : {}),
          offlineAccess: s.offline,
          ...(s.validity ? { accessTokenValidity: s.validity } : {}),
        };
      }
    }
    return svc;
  });
  // An agents group bound to a ClusterRole needs an agent whose account joins it (else: config error).
  const joined = new Set(services.filter((s) => s.agent && !s.retired).map((s) => s.agent.group));
  for (const x of groups) if (x.members === 'agents' && !joined.has(x.name)) delete (x as any).kubernetes;
  // The same for people: a kubectl client must admit a people group with a ClusterRole (else it is
  // retired here), and a people group's ClusterRole needs an active kubectl client admitting it.
  const peopleRoles = () => groups.filter((x) => x.members === 'people' && x.kubernetes).map((x) => x.name);
  const admits = (s: any) => peopleRoles().filter((n) => !s.allowedGroups || s.allowedGroups.includes(n));
  for (const s of services) if (s.kubectl && !s.retired && !admits(s).length) s.retired = true;
  const admitted = new Set(services.filter((s) => s.kubectl && !s.retired).flatMap(admits));
  for (const x of groups) if (x.members === 'people' && !admitted.has(x.name)) delete (x as any).kubernetes;

  const input: ClusterConfigInput = {
    cluster: { name: 'c1', domain: g.domain },
    authentik: {
      url: `https://auth.${g.domain}`,
      chart: { version: g.authentikChart },
      loadBalancer: { ip: '10.1.0.20', pool: ['10.1.0.0/27'] },
      outpost: { manageProviders: g.manageProviders },
    },
    argocd: { project: 'platform', chart: { version: '9.4.6' }, defaultRole: g.defaultRole, noValueFiles: true },
    git: { repoURL: 'https://git.example.org/ops/c1.git' },
    cilium: { version: g.cilium },
    talos: {
      version: `v1.${g.talosMinor}.2`,
      apiServerAuth: g.structured ? 'structured' : 'flags',
      ...(g.omni ? { omniCluster: 'c1' } : {}),
    },
    kubernetes: { groupsPrefix: g.groupsPrefix, usernamePrefix: g.usernamePrefix },
    traefik: { entryPoints: [...g.entryPoints] },
    edge: {
      mode: g.edgeMode,
      ipAllowLists: { lan: ['10.0.0.0/8'] },
      ...(g.globalChain ? { middlewares: [{ name: g.edgeMode === 'traefik-file' ? 'headers@file' : 'headers' }] } : {}),
      ...(g.edgeMode === 'gateway-api' ? { gateway: { parentRefs: [{ name: 'edge', namespace: 'gateway-system' }] } } : {}),
    },
    grafana: { roleAttributeStrict: g.strict, ...(g.grafanaParent ? { parentKey: g.grafanaParent } : {}) },
    groups,
    services,
  };
  return JSON.parse(JSON.stringify(input)); // drop undefined optionals, as a YAML/JSON file would
}

function expectValidYaml(r: SynthResult): void {
  for (const f of r.files.filter((x) => x.path.endsWith('.yaml'))) {
    expect(() => yaml.loadAll(f.text)).not.toThrow();
    for (const d of f.docs ?? []) {
      if ((d as any)?.kind === 'ConfigMap' && (d as any).metadata?.labels?.['app.kubernetes.io/component'] === 'blueprint') {
        for (const text of Object.values((d as any).data as Record<string, string>)) expect(() => parseBlueprint(text)).not.toThrow();
      }
    }
  }
  expect(new Set(r.files.map((f) => f.path)).size).toBe(r.files.length);
}

test('(a) random valid configs render, pass every check and produce valid YAML', () => {
  fc.assert(
    fc.property(configArb, (g) => {
      const input = buildConfig(g);
      const r = render(parseConfig(input));
      const f = findings(r);
      if (f.length) throw new Error(`findings:\n${f.join('\n')}`);
      expectValidYaml(r);
    }),
    params(40),
  );
});

// --- (b) random single mutations of the default config -------------------------------------------

type Path = Array<string | number>;
interface Node {
  path: Path;
  value: unknown;
}

function nodes(v: unknown, path: Path = []): Node[] {
  const here: Node[] = path.length ? [{ path, value: v }] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => nodes(x, [...path, i]))];
  if (v !== null && typeof v === 'object') return [...here, ...Object.entries(v).flatMap(([k, x]) => nodes(x, [...path, k]))];
  return here;
}
const ALL = nodes(frank);
const LEAVES = ALL.filter((n) => n.value === null || typeof n.value !== 'object');
const OBJECTS: Node[] = [
  { path: [], value: frank },
  ...ALL.filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value)),
];
const ARRAYS = ALL.filter((n) => Array.isArray(n.value) && (n.value as unknown[]).length > 0);
const LIST_ITEMS = ALL.filter((n) => typeof n.path[n.path.length - 1] === 'number');

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
);
const fieldName = fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,10}$/), fc.string({ minLength: 1, maxLength: 8 }));

type Mutation =
  | { op: 'retype'; path: Path; value: unknown }
  | { op: 'restring'; path: Path; value: string }
  | { op: 'delete'; path: Path }
  | { op: 'duplicate'; path: Path; index: number }
  | { op: 'unknown'; path: Path; key: string; value: unknown }
  | { op: 'retire'; path: Path };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .record({ node: fc.constantFrom(...LEAVES), value: anyValue })
    .filter(({ node, value }) => kindOf(node.value) !== kindOf(value))
    .map(({ node, value }) => ({ op: 'retype' as const, path: node.path, value })),
  fc
    .record({ node: fc.constantFrom(...LEAVES.filter((n) => typeof n.value === 'string')), value: fc.string({ maxLength: 20 }) })
    .map(({ node, value }) => ({ op: 'restring' as const, path: node.path, value })),
  // Deleting a whole list item (a service, a group) is the structural case: weigh it up.
  fc.constantFrom(...ALL, ...LIST_ITEMS, ...LIST_ITEMS).map((n) => ({ op: 'delete' as const, path: n.path })),
  // Retiring one service (the config's own way of removing it).
  fc.integer({ min: 0, max: frank.services.length - 1 }).map((i) => ({ op: 'retire' as const, path: ['services', i, 'retired'] })),
  fc
    .record({ node: fc.constantFrom(...ARRAYS), i: fc.nat() })
    .map(({ node, i }) => ({ op: 'duplicate' as const, path: node.path, index: i % (node.value as unknown[]).length })),
  fc
    .record({ node: fc.constantFrom(...OBJECTS), key: fieldName, value: anyValue })
    .filter(({ node, key }) => !Object.prototype.hasOwnProperty.call(node.value, key))
    .map(({ node, key, value }) => ({ op: 'unknown' as const, path: node.path, key, value })),
);

function apply(m: Mutation): unknown {
  const root: any = structuredClone(frank);
  const parent = (p: Path) => p.slice(0, -1).reduce((o: any, k) => o[k], root);
  const last = (p: Path) => p[p.length - 1];
  switch (m.op) {
    case 'retype':
    case 'restring':
      parent(m.path)[last(m.path)] = m.value;
      break;
    case 'retire':
      parent(m.path)[last(m.path)] = true;
      break;
    case 'delete': {
      const o = parent(m.path);
      if (Array.isArray(o)) o.splice(last(m.path) as number, 1);
      else delete o[last(m.path)];
      break;
    }
    case 'duplicate': {
      const arr = m.path.reduce((o: any, k) => o[k], root) as unknown[];
      arr.splice(m.index + 1, 0, structuredClone(arr[m.index]));
      break;
    }
    case 'unknown':
      (m.path.length ? m.path.reduce((o: any, k) => o[k], root) : root)[m.key] = m.value;
      break;
  }
  return root;
}

/** `<path>: <problem>`: (config), or a.b[3].c with identifier segments and ["quoted"] odd keys. */
const SEGMENT = String.raw`(\[\d+\]|\["(?:[^"\\]|\\.)*"\])`;
const PROBLEM = new RegExp(String.raw`^(\(config\)|([A-Za-z_][\w-]*|${SEGMENT})(${SEGMENT}|\.[A-Za-z_][\w-]*)*): \S[^\n]*$`);

test('(b) single mutations of the default config synthesize cleanly or fail with path-first ConfigError lines', () => {
  let accepted = 0;
  let rejected = 0;
  // fast-check draws some mutations more than once (about a quarter of the runs): apply, parseConfig,
  // render and findings are pure, so a mutation already checked passes or fails the same way again.
  // Numbers keyed exactly (JSON would make Infinity null and -0 0), strings and undefined apart.
  const checked = new Set<string>();
  const rendered = new Set<string>();
  // Anything JSON cannot tell apart (a Date, a Map) gets a key of its own: never a false match.
  let unique = 0;
  const opaque = (v: unknown) =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(Object.getPrototypeOf(v) ?? Object.prototype) !== null;
  const keyOf = (m: unknown) =>
    JSON.stringify(m, function (this: Record<string, unknown>, k: string, v: unknown) {
      if (opaque(this[k])) return `o:${unique++}`;
      return typeof v === 'number' ? `n:${Object.is(v, -0) ? '-0' : v}` : typeof v === 'string' ? `s:${v}` : v === undefined ? 'u' : v;
    });
  fc.assert(
    fc.property(mutationArb, (m) => {
      if (checked.has(keyOf(m))) return;
      checked.add(keyOf(m));
      const input = apply(m);
      let config;
      try {
        config = parseConfig(input);
      } catch (e) {
        if (!(e instanceof ConfigError))
          throw new Error(`${m.op} ${formatPath(m.path)}: threw ${String(e)} instead of a ConfigError`, { cause: e });
        rejected++;
        expect(e.problems.length).toBeGreaterThan(0);
        for (const line of e.problems) expect(line).toMatch(PROBLEM);
        // A wrong type, or an unknown field, is reported at exactly that path (or, for a value
        // that became a list, at the item inside it that is wrong: allowedGroups: any -> [""]).
        if (m.op === 'retype')
          expect(e.problems.some((l) => l.startsWith(`${formatPath(m.path)}: `) || l.startsWith(`${formatPath(m.path)}[`))).toBe(true);
        if (m.op === 'unknown')
          expect(e.problems.some((l) => l.startsWith(`${formatPath([...m.path, m.key])}: unknown field ${JSON.stringify(m.key)}`))).toBe(
            true,
          );
        return;
      }
      accepted++;
      // render and findings depend on the validated config only: mutations that validate to one
      // already rendered (the default config again, after a restring to the same value or the
      // delete of a field that has a default) pass the same way again.
      if (rendered.has(keyOf(config))) return;
      rendered.add(keyOf(config));
      const r = render(config); // must not throw
      const f = findings(r);
      if (f.length) throw new Error(`${m.op} ${formatPath(m.path)} passed validation but fails checks:\n${f.join('\n')}`);
    }),
    params(250),
  );
  // Both outcomes are exercised (a run with only rejections would prove little).
  expect(accepted).toBeGreaterThan(0);
  expect(rejected).toBeGreaterThan(0);
});

test('(b) the mutation space covers every leaf, object and list of the default config', () => {
  expect(LEAVES.length).toBeGreaterThan(60);
  expect(OBJECTS.map((o) => formatPath(o.path))).toEqual(
    expect.arrayContaining(['(config)', 'services[0].oidc', 'authentik.loadBalancer', 'groups[3]']),
  );
  expect(ARRAYS.map((a) => formatPath(a.path))).toEqual(
    expect.arrayContaining(['services', 'groups', 'services[3].allowedGroups', 'traefik.entryPoints']),
  );
});
