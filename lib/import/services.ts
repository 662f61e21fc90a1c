// Applications of the imported layer as services: OIDC (with its redirect URIs, callback and
// secret mode), forward auth (joining the OIDC service of its host), client-credentials agents,
// kubectl clients; allowedGroups from each application's group bindings. Each application goes
// through APPLICATION_KINDS, the first row that matches its provider importing it.
import { Env, Find } from '../upstream/blueprint-tags';
import { MODEL } from '../upstream/authentik-models';
import { parseAccessExpression } from '../blueprints/access';
import { ARGOCD_CLI_CALLBACK, CONSUMER_CALLBACK_PATH, KUBELOGIN_CALLBACKS } from '../upstream/conventions';
import { blueprintLabel, type Doc, type ImportedBlueprint } from './read';
import { attrsOf, groupOfFind, httpHostname, idsOf, present, type DraftContext, type Located } from './context';
import { isRecord, valueAt, asString } from '../base/records';

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const PLACEHOLDER_UPSTREAM = 'http://upstream.invalid:80';
const OFFLINE_ACCESS = 'goauthentik.io/providers/oauth2/scope-offline_access';

export interface ServiceInputs {
  /** The cluster's domain, for hosts the layer does not name. */
  domain: string;
  argocdValues: ReadonlyArray<Doc>;
  /** The blueprint the forward-auth services share (the one with the outpost): no file of their own. */
  sharedProxyFile?: ImportedBlueprint;
  groups: ReadonlyArray<Doc>;
}

/** One import: the context, its inputs and the services made so far. */
interface Run {
  ctx: DraftContext;
  inputs: ServiceInputs;
  services: Doc[];
  byHost: Map<string, Doc>;
  serviceAccounts: Located[];
  apps: Located[];
}

/** An application with the provider it resolves to, as every row of APPLICATION_KINDS reads it. */
interface App {
  app: Located;
  slug: string;
  appName: string;
  provider: Located;
  pAttrs: Record<string, unknown>;
  pName: string | undefined;
  launch: string | undefined;
  /** Its service's index if it gets one of its own. */
  index: number;
}

const appsIn = (run: Run, bp: ImportedBlueprint) => run.apps.filter((a) => a.bp === bp).length;

/** The edge route is not in the layer: a placeholder backend, a REVIEW comment and a printed line. */
function placeholderUpstream(ctx: DraftContext, fa: Doc, i: number, host: string, app: Located): void {
  fa.upstream = PLACEHOLDER_UPSTREAM;
  ctx.comments.set(
    `services[${i}].forwardAuth.upstream`,
    'REVIEW: placeholder; the edge route is not in the layer: set the backend address',
  );
  ctx.notes.push(
    `${ctx.at(app)}: upstream of ${host} is not in the layer; the draft has the placeholder ${PLACEHOLDER_UPSTREAM} in services[${i}].forwardAuth.upstream`,
  );
}

const bindingsOf = (ctx: DraftContext, app: Located): Located[] =>
  ctx.all.filter((l) => {
    if (l.e.model !== MODEL.policyBinding || !present(l.e)) return false;
    const target = ctx.resolveRef(idsOf(l.e).target ?? attrsOf(l.e).target, l.bp);
    return target?.e === app.e;
  });

/**
 * A group the layer has no entry for (synced from an LDAP source, made by hand) cannot be named by
 * the config without managing it; the generated access policy runs in mode all, so keeping the
 * binding beside it would narrow access. The application is kept as it is instead.
 */
function undefinedGroup(run: Run, app: Located): string | undefined {
  const defined = new Set(run.inputs.groups.map((g) => g.name));
  return bindingsOf(run.ctx, app)
    .map((b) => groupOfFind({ ...attrsOf(b.e), ...idsOf(b.e) }.group))
    .find((g) => g !== undefined && !defined.has(g));
}

/** The groups an application's bindings admit, in binding order; 'any' when none restricts it. */
function allowedGroupsOf(ctx: DraftContext, app: Located, path: string): string[] | 'any' {
  const groupsBound: Array<{ group: string; order: number }> = [];
  let open = false;
  for (const b of bindingsOf(ctx, app)) {
    const ids = { ...attrsOf(b.e), ...idsOf(b.e) };
    const group = groupOfFind(ids.group);
    ctx.used.add(b.e);
    const order = typeof ids.order === 'number' ? ids.order : 0;
    const policy = ids.policy !== undefined ? ctx.resolveRef(ids.policy, b.bp) : undefined;
    // An access policy in the shape this tool writes (an output of it, imported back) says its groups.
    const parsed =
      policy?.e.model === MODEL.expressionPolicy ? parseAccessExpression(asString(attrsOf(policy.e).expression) ?? '') : undefined;
    if (group !== undefined) groupsBound.push({ group, order });
    else if (policy && parsed !== undefined && asString(idsOf(policy.e).name) === `unified-auth access ${asString(idsOf(app.e).slug)}`) {
      ctx.used.add(policy.e);
      if (parsed === 'any') open = true;
      else groupsBound.push(...parsed.map((g) => ({ group: g, order })));
    } else
      ctx.notes.push(
        `${ctx.at(b)}: a binding of a policy or user, not a group; the config gives access by groups only, so the generated access policy ignores it (mode all: it would still narrow access if it stayed)`,
      );
  }
  if (open && !groupsBound.length) return 'any';
  if (!groupsBound.length) {
    ctx.comments.set(
      `${path}.allowedGroups`,
      'REVIEW: no group binding in the live layer: open to every authenticated user today, kept so',
    );
    return 'any';
  }
  return groupsBound.sort((a, b) => a.order - b.order).map((g) => g.group);
}

/** Not modelled: the application and its provider stay as pass-through entries, with a line. */
function keepAsIs(run: Run, a: App, line: string): void {
  run.ctx.notes.push(`${run.ctx.at(a.app)}: application "${a.slug}" ${line}`);
  run.ctx.used.delete(a.app.e);
  run.ctx.used.delete(a.provider.e);
}

/** A forward-auth application on the host of an OIDC service: one service, two applications. */
function joinForwardAuth(run: Run, a: App, existing: Doc, fa: Doc, host: string | undefined): void {
  const { ctx } = run;
  const i = run.services.indexOf(existing);
  fa.application = { slug: a.slug, name: a.appName };
  if (a.app.bp !== run.inputs.sharedProxyFile) {
    const ref = ctx.blueprintRef(a.app.bp, `forward auth of ${a.slug}`);
    if (ref) fa.blueprint = ref;
  }
  existing.forwardAuth = fa;
  // One allowedGroups serves both applications. Forward auth runs before the service's own
  // login, so who can use the host today is who both admit: the draft keeps exactly that.
  const proxyAccess = allowedGroupsOf(ctx, a.app, `services[${i}].forwardAuth`);
  const oidcAccess = existing.allowedGroups as string[] | 'any';
  const both = proxyAccess === 'any' ? oidcAccess : oidcAccess === 'any' ? proxyAccess : oidcAccess.filter((g) => proxyAccess.includes(g));
  const who = (x: string[] | 'any') => (x === 'any' ? 'every authenticated user' : x.join(', '));
  if (JSON.stringify(proxyAccess) !== JSON.stringify(oidcAccess)) {
    ctx.notes.push(
      `${ctx.at(a.app)}: forward-auth application "${a.slug}" admits ${who(proxyAccess)}, the OIDC application "${String(existing.slug)}" on the same host ${who(oidcAccess)}; one allowedGroups serves both, the draft has the groups both admit (${who(both)}), who can use ${host} today`,
    );
    ctx.comments.set(
      `services[${i}].allowedGroups`,
      `REVIEW: the forward-auth and OIDC applications of this host had different groups; these are the ones both admit`,
    );
  }
  if (Array.isArray(both) && both.length === 0)
    ctx.notes.push(`${ctx.at(a.app)}: no group is admitted by both applications of ${host}; the draft keeps the OIDC application's groups`);
  else existing.allowedGroups = both;
  placeholderUpstream(ctx, fa, i, host ?? a.slug, a.app);
}

/** A proxy provider: forward auth, a service of its own or joining the OIDC service of its host. */
function importForwardAuth(run: Run, a: App): void {
  const { ctx, services } = run;
  const host = httpHostname(asString(a.pAttrs.external_host) ?? '');
  const existing = host ? run.byHost.get(host) : undefined;
  const fa: Doc = {};
  if (a.pName) fa.providerName = a.pName;
  const validity = asString(a.pAttrs.access_token_validity);
  if (validity) fa.sessionValidity = validity;
  if (a.pAttrs.mode !== undefined && a.pAttrs.mode !== 'forward_single')
    ctx.notes.push(
      `${ctx.at(a.provider)}: proxy provider mode ${JSON.stringify(a.pAttrs.mode)}; the config emits forward_single (one host) only`,
    );
  if (existing && !existing.forwardAuth) return joinForwardAuth(run, a, existing, fa, host);
  const service: Doc = { slug: a.slug, name: a.appName, host: host ?? `${a.slug}.${run.inputs.domain}` };
  service.allowedGroups = allowedGroupsOf(ctx, a.app, `services[${a.index}]`);
  if (a.app.bp !== run.inputs.sharedProxyFile) {
    const ref = ctx.blueprintRef(a.app.bp, `forward auth of ${a.slug}`);
    if (ref) fa.blueprint = ref;
  }
  placeholderUpstream(ctx, fa, a.index, host ?? a.slug, a.app);
  service.forwardAuth = fa;
  services.push(service);
  if (host) run.byHost.set(host, service);
}

/** The OAuth2 provider's facts every OAuth2 row reads. */
const clientIdOf = (a: App) => asString(idsOf(a.provider.e).client_id) ?? asString(a.pAttrs.client_id);
const urisOf = (a: App) => (Array.isArray(a.pAttrs.redirect_uris) ? a.pAttrs.redirect_uris : []).filter(isRecord);
const urlsOf = (a: App) => urisOf(a).map((u) => asString(u.url) ?? '');
const serviceAccountOf = (run: Run, a: App) => run.serviceAccounts.find((u) => u.bp === a.app.bp);
const isCli = (a: App) => a.pAttrs.client_type === 'public' && urlsOf(a).includes(ARGOCD_CLI_CALLBACK);

/** An OIDC service's own blueprint: only when it is the one application of its file (a line otherwise). */
function ownBlueprint(run: Run, a: App): ReturnType<DraftContext['blueprintRef']> | undefined {
  const n = appsIn(run, a.app.bp);
  if (n > 1)
    run.ctx.notes.push(
      `${blueprintLabel(a.app.bp)}: holds ${n} applications; each OIDC service gets a blueprint of its own, so "${a.slug}" moves to a new file`,
    );
  return n === 1 ? run.ctx.blueprintRef(a.app.bp, a.slug) : undefined;
}

/** Client credentials: no redirect URI and a service account beside it. */
function importAgent(run: Run, a: App): void {
  const { ctx } = run;
  const service: Doc = { slug: a.slug, name: a.appName };
  const blueprint = ownBlueprint(run, a);
  const account = serviceAccountOf(run, a)!;
  ctx.used.add(account.e);
  const group = allowedGroupsOf(ctx, a.app, `services[${a.index}]`);
  const agentGroup = group !== 'any' ? group[0] : groupOfFind((attrsOf(account.e).groups as unknown[] | undefined)?.[0]);
  const agent: Doc = { group: agentGroup ?? 'REVIEW' };
  const username = asString(idsOf(account.e).username);
  if (username && username !== a.slug) agent.serviceAccount = username;
  const validity = asString(a.pAttrs.access_token_validity);
  if (validity) agent.accessTokenValidity = validity;
  service.agent = agent;
  // The app password this tool creates for it (an output of this tool, imported back).
  const token = ctx
    .byModel(MODEL.token)
    .find((t) => t.bp === a.app.bp && asString(idsOf(t.e).identifier) === `${username ?? a.slug}-app-password`);
  if (token) ctx.used.add(token.e);
  const clientId = clientIdOf(a);
  if (clientId && clientId !== a.slug)
    ctx.notes.push(
      `${ctx.at(a.provider)}: agent client_id "${clientId}" differs from the slug "${a.slug}"; the config derives it from the slug`,
    );
  if (blueprint) ctx.sharedBlueprints.agents = blueprint;
  ctx.comments.set(
    `services[${a.index}].agent`,
    'the app password (token) is generated: see SECRETS.md; a token made by hand in the UI stays as it is',
  );
  run.services.push(service);
}

/** People at kubectl: kubelogin's public client, its loopback callbacks only. */
function importKubectl(run: Run, a: App): void {
  const { ctx } = run;
  const service: Doc = { slug: a.slug, name: a.appName };
  ownBlueprint(run, a);
  const kubectl: Doc = {};
  for (const k of ['access_token_validity', 'refresh_token_validity'] as const) {
    const v = asString(a.pAttrs[k]);
    if (v) kubectl[k === 'access_token_validity' ? 'accessTokenValidity' : 'refreshTokenValidity'] = v;
  }
  service.allowedGroups = allowedGroupsOf(ctx, a.app, `services[${a.index}]`);
  service.kubectl = kubectl;
  const clientId = clientIdOf(a);
  if (clientId && clientId !== a.slug)
    ctx.notes.push(
      `${ctx.at(a.provider)}: kubectl client_id "${clientId}" differs from the slug "${a.slug}"; the config derives it from the slug`,
    );
  run.services.push(service);
}

/** The OIDC service's host, from its first callback, else its launch URL, else a guess with a line. */
function oidcHost(run: Run, a: App, service: Doc, first: string): void {
  const host = httpHostname(first);
  if (host && !IPV4.test(host)) service.host = host;
  else if (a.launch && httpHostname(a.launch) && !IPV4.test(httpHostname(a.launch)!)) service.host = httpHostname(a.launch);
  else {
    // Reached at an IP only; the config still names the service's host (its launch URL).
    service.host = `${a.slug}.${run.inputs.domain}`;
    run.ctx.comments.set(`services[${a.index}].host`, 'REVIEW: guessed; the application is reached at an IP today');
    run.ctx.notes.push(
      `${run.ctx.at(a.app)}: "${a.slug}" has no DNS host (it is reached at ${first}); the config needs one for its launch URL, the draft guesses ${String(service.host)}`,
    );
  }
}

/**
 * Found by name in the live layer: the generated entry finds it the same way, so it stays the same
 * object. (A literal client_id in its attrs finds it as well: that stays the config's client_id identity.)
 */
function oidcFoundByName(run: Run, a: App, oidc: Doc, path: string): void {
  const { ctx } = run;
  if (clientIdOf(a) !== undefined || a.pName === undefined || asString(idsOf(a.provider.e).name) !== a.pName) return;
  oidc.providerFoundBy = 'name';
  // Its client_id is known only to the cluster: a consumer config we would generate could not carry it.
  const consumer = String(oidc.consumer);
  if (consumer !== 'generic') {
    ctx.notes.push(
      `${ctx.at(a.provider)}: a ${consumer} client whose client_id the layer does not hold; the draft keeps it as a generic consumer (no ${consumer} config is generated, the live one stays): set oidc.clientId and consumer: ${consumer} to have it generated`,
    );
    oidc.consumer = 'generic';
    oidc.callbackPath = path || '/';
  }
  const id = a.pAttrs.client_id;
  if (id instanceof Env)
    ctx.notes.push(
      `${ctx.at(a.provider)}: client_id is read from !Env ${id.name}; the draft finds the provider by its name and writes client_id only if oidc.clientId is set: without it the live client_id stays as it is (set oidc.clientId to the value of ${id.name} where a generated consumer config needs it)`,
    );
}

/** Public client, client secret and ArgoCD's secret reference of an OIDC service. */
function oidcSecret(run: Run, a: App, oidc: Doc, cli: boolean): void {
  const { ctx } = run;
  const secret = a.pAttrs.client_secret;
  if (cli && oidc.consumer === 'argocd') oidc.cli = true;
  else if (a.pAttrs.client_type === 'public')
    ctx.notes.push(
      `${ctx.at(a.provider)}: a public client; the config makes ArgoCD's client public with oidc.cli only, the draft has a confidential one`,
    );
  if (oidc.cli) {
    // A public client has no secret.
  } else if (secret === undefined) {
    oidc.secretMode = 'existingSecret';
    ctx.comments.set(`services[${a.index}].oidc.secretMode`, 'Authentik generated the client secret; the consumer keeps the copy it has');
  } else {
    oidc.secretMode = 'managed';
    ctx.notes.push(
      secret instanceof Env
        ? `${ctx.at(a.provider)}: client_secret is read from !Env ${secret.name}; the draft manages it under its own key of the Authentik Secret (see SECRETS.md after synth): copy the value there, or use secretMode: existingSecret`
        : `${ctx.at(a.provider)}: client_secret is written in the blueprint itself (a secret in git); the draft reads it from the Authentik Secret (SECRETS.md): move the value there and rotate it`,
    );
  }
  if (oidc.consumer === 'argocd') {
    const ref = run.inputs.argocdValues.map((v) => asString(valueAt(v, 'configs', 'cm', 'oidc.config'))).find(Boolean);
    const m = ref && /clientSecret:\s*\$([a-z0-9-]+):([-._a-zA-Z0-9]+)/.exec(ref);
    if (m) oidc.clientSecret = { namespace: 'argocd', name: m[1], key: m[2] };
  }
}

/** A confidential OAuth2 client (or ArgoCD's public CLI client): an OIDC service. */
function importOidc(run: Run, a: App): void {
  const { ctx } = run;
  const service: Doc = { slug: a.slug, name: a.appName };
  const blueprint = ownBlueprint(run, a);
  const cli = isCli(a);
  const cliUri = (u: string) => u === ARGOCD_CLI_CALLBACK || u.endsWith('/pkce/verify');
  const uris = urisOf(a).filter((u) => !cli || !cliUri(asString(u.url) ?? ''));
  const first = asString(uris[0]?.url) ?? '';
  const host = httpHostname(first);
  const path = first.replace(/^https?:\/\/[^/]+/, '');
  const consumer = (Object.entries(CONSUMER_CALLBACK_PATH) as Array<[string, string]>).find(([, p]) => p === path)?.[0] ?? 'generic';
  const oidc: Doc = { consumer };
  if (a.pName) oidc.providerName = a.pName;
  if (first.startsWith('http://') || (host && IPV4.test(host))) {
    // Reached at http:// or an IP: only an explicit callback can say so.
    oidc.callbackUrl = first;
    ctx.comments.set(`services[${a.index}].oidc.callbackUrl`, 'REVIEW: an http:// or IP callback, written out as the live provider has it');
  } else if (consumer === 'generic') oidc.callbackPath = path || '/';
  oidcHost(run, a, service, first);
  const clientId = clientIdOf(a);
  if (clientId && clientId !== a.slug) oidc.clientId = clientId;
  oidcFoundByName(run, a, oidc, path);
  const extra = uris.slice(1).map((u) => ({ url: asString(u.url) ?? '', matching: u.matching_mode === 'regex' ? 'regex' : 'strict' }));
  if (extra.length) oidc.redirectUris = extra;
  const mappings = Array.isArray(a.pAttrs.property_mappings) ? a.pAttrs.property_mappings : [];
  oidc.offlineAccess = mappings.some((m) => m instanceof Find && m.query.some(([, v]) => v === OFFLINE_ACCESS));
  for (const k of ['access_token_validity', 'refresh_token_validity'] as const) {
    const v = asString(a.pAttrs[k]);
    if (v) oidc[k === 'access_token_validity' ? 'accessTokenValidity' : 'refreshTokenValidity'] = v;
  }
  oidcSecret(run, a, oidc, cli);
  if (blueprint) oidc.blueprint = blueprint;
  if (a.appName !== service.name) oidc.application = { name: a.appName };
  service.allowedGroups = allowedGroupsOf(ctx, a.app, `services[${a.index}]`);
  service.oidc = oidc;
  run.services.push(service);
  if (typeof service.host === 'string') run.byHost.set(service.host, service);
}

const isOAuth2 = (a: App) => a.provider.e.model === MODEL.oauth2Provider;

/** Each application's kind, by its provider: the first row that matches imports it. */
const APPLICATION_KINDS: ReadonlyArray<{ when: (run: Run, a: App) => boolean; apply: (run: Run, a: App) => void }> = [
  { when: (_run, a) => a.provider.e.model === MODEL.proxyProvider, apply: importForwardAuth },
  {
    when: (_run, a) => !isOAuth2(a),
    apply: (run, a) =>
      keepAsIs(run, a, `uses a ${String(a.provider.e.model)}, which the config does not model; both are kept as pass-through entries`),
  },
  { when: (run, a) => urisOf(a).length === 0 && serviceAccountOf(run, a) !== undefined, apply: importAgent },
  {
    when: (_run, a) =>
      a.pAttrs.client_type === 'public' &&
      urlsOf(a).length > 0 &&
      urlsOf(a).every((u) => (KUBELOGIN_CALLBACKS as readonly string[]).includes(u)),
    apply: importKubectl,
  },
  {
    // Any other public (PKCE) client: the config makes only ArgoCD's CLI public, so it is kept as it is.
    when: (_run, a) => a.pAttrs.client_type === 'public' && !isCli(a),
    apply: (run, a) => {
      ownBlueprint(run, a); // its line, as for every OAuth2 application of a shared file
      keepAsIs(
        run,
        a,
        "uses a public (PKCE) client; the config makes only ArgoCD's CLI client public, so both are kept as pass-through entries",
      );
    },
  },
  { when: () => true, apply: importOidc },
];

/** The application with its provider resolved, or undefined (with a line) when the config cannot model it. */
function appFacts(run: Run, app: Located): App | undefined {
  const { ctx } = run;
  ctx.used.add(app.e);
  // Found by name or by slug: the slug is an identifier or an attribute (Authentik needs it either way).
  const slug = asString(idsOf(app.e).slug) ?? asString(attrsOf(app.e).slug);
  const appName = asString(attrsOf(app.e).name) ?? asString(idsOf(app.e).name) ?? slug ?? '';
  const provider = ctx.resolveRef(attrsOf(app.e).provider, app.bp);
  const foreign = undefinedGroup(run, app);
  if (foreign !== undefined) {
    ctx.notes.push(
      `${ctx.at(app)}: application ${slug ? `"${slug}" ` : ''}is bound to group "${foreign}", which the layer does not define (an LDAP source's or a hand-made group); the application, its provider and bindings are kept as pass-through entries`,
    );
    ctx.used.delete(app.e);
    return undefined;
  }
  if (!slug || !provider) {
    ctx.notes.push(
      `${ctx.at(app)}: application ${slug ? `"${slug}" ` : ''}${slug ? 'has no provider the import can find' : 'has no slug'}; the config cannot model it, so it is kept as a pass-through entry`,
    );
    ctx.used.delete(app.e);
    return undefined;
  }
  ctx.used.add(provider.e);
  const pAttrs = attrsOf(provider.e);
  const pName = asString(idsOf(provider.e).name) ?? asString(pAttrs.name);
  return { app, slug, appName, provider, pAttrs, pName, launch: asString(attrsOf(app.e).meta_launch_url), index: run.services.length };
}

/**
 * A people group's ClusterRoleBinding matters only if a person's token carries the group: the
 * config binds people groups only with a kubectl client (kubelogin) that admits them.
 */
function kubectlForPeopleGroups(run: Run): void {
  const { ctx, services } = run;
  const peopleBound = run.inputs.groups.filter((g) => g.kubernetes && g.members !== 'agents').map((g) => String(g.name));
  if (!peopleBound.length || services.some((s) => s.kubectl)) return;
  const index = services.length;
  services.push({ slug: 'kubernetes', name: 'Kubernetes', allowedGroups: peopleBound, kubectl: {} });
  ctx.comments.set(
    `services[${index}]`,
    'REVIEW: added: the layer binds people groups to ClusterRoles but has no kubectl client, and the config binds people groups only for a client that can carry them',
  );
  ctx.notes.push(
    `ClusterRoleBindings of people groups (${peopleBound.join(', ')}): the layer has no kubectl client their tokens could come from; the draft adds one (services[${index}], slug kubernetes, kubelogin) and a second apiserver issuer (talos.apiServerAuth: structured), or remove kubernetes from these groups and their bindings are pruned`,
  );
}

export function importServices(ctx: DraftContext, inputs: ServiceInputs): Doc[] {
  // OIDC applications first (a forward-auth application on the same host joins their service),
  // then forward auth, then client-credentials agents (an OAuth2 provider with no redirect URI).
  const kindOf = (l: Located): number => {
    const p = ctx.resolveRef(attrsOf(l.e).provider, l.bp)?.e;
    if (p?.model === MODEL.proxyProvider) return 1;
    const uris = p && attrsOf(p).redirect_uris;
    return Array.isArray(uris) && uris.length === 0 ? 2 : 0;
  };
  const apps = ctx
    .byModel(MODEL.application)
    .filter((l) => present(l.e))
    .sort((a, b) => kindOf(a) - kindOf(b));
  const serviceAccounts = ctx.byModel(MODEL.user).filter((l) => present(l.e) && attrsOf(l.e).type === 'service_account');
  const run: Run = { ctx, inputs, services: [], byHost: new Map(), serviceAccounts, apps };
  for (const app of apps) {
    const a = appFacts(run, app);
    if (a) APPLICATION_KINDS.find((k) => k.when(run, a))!.apply(run, a);
  }
  kubectlForPeopleGroups(run);
  return run.services;
}
