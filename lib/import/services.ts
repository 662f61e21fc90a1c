// Applications of the imported layer as services: OIDC (with its redirect URIs, callback and
// secret mode), forward auth (joining the OIDC service of its host), client-credentials agents,
// kubectl clients; allowedGroups from each application's group bindings.
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

// eslint-disable-next-line max-lines-per-function -- being tabled in issue 25 work (passthru)
export function importServices(ctx: DraftContext, { domain, argocdValues, sharedProxyFile, groups }: ServiceInputs): Doc[] {
  const serviceAccounts = ctx.byModel(MODEL.user).filter((l) => present(l.e) && attrsOf(l.e).type === 'service_account');
  const services: Doc[] = [];
  const byHost = new Map<string, Doc>();
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
  const appsIn = (bp: ImportedBlueprint) => apps.filter((a) => a.bp === bp).length;

  /** The edge route is not in the layer: a placeholder backend, a REVIEW comment and a printed line. */
  const placeholderUpstream = (fa: Doc, i: number, host: string, app: Located) => {
    fa.upstream = PLACEHOLDER_UPSTREAM;
    ctx.comments.set(
      `services[${i}].forwardAuth.upstream`,
      'REVIEW: placeholder; the edge route is not in the layer: set the backend address',
    );
    ctx.notes.push(
      `${ctx.at(app)}: upstream of ${host} is not in the layer; the draft has the placeholder ${PLACEHOLDER_UPSTREAM} in services[${i}].forwardAuth.upstream`,
    );
  };
  const bindingsOf = (app: Located): Located[] =>
    ctx.all.filter((l) => {
      if (l.e.model !== MODEL.policyBinding || !present(l.e)) return false;
      const target = ctx.resolveRef(idsOf(l.e).target ?? attrsOf(l.e).target, l.bp);
      return target?.e === app.e;
    });
  // A group the layer has no entry for (synced from an LDAP source, made by hand) cannot be named
  // by the config without managing it; the generated access policy runs in mode all, so keeping
  // the binding beside it would narrow access. The application is kept as it is instead.
  const defined = new Set(groups.map((g) => g.name));
  const undefinedGroup = (app: Located): string | undefined =>
    bindingsOf(app)
      .map((b) => groupOfFind({ ...attrsOf(b.e), ...idsOf(b.e) }.group))
      .find((g) => g !== undefined && !defined.has(g));
  const allowedGroupsOf = (app: Located, path: string): string[] | 'any' => {
    const bindings = bindingsOf(app);
    const groupsBound: Array<{ group: string; order: number }> = [];
    let open = false;
    for (const b of bindings) {
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
  };

  for (const app of apps) {
    ctx.used.add(app.e);
    // Found by name or by slug: the slug is an identifier or an attribute (Authentik needs it either way).
    const slug = asString(idsOf(app.e).slug) ?? asString(attrsOf(app.e).slug);
    const appName = asString(attrsOf(app.e).name) ?? asString(idsOf(app.e).name) ?? slug ?? '';
    const provider = ctx.resolveRef(attrsOf(app.e).provider, app.bp);
    const foreign = undefinedGroup(app);
    if (foreign !== undefined) {
      ctx.notes.push(
        `${ctx.at(app)}: application ${slug ? `"${slug}" ` : ''}is bound to group "${foreign}", which the layer does not define (an LDAP source's or a hand-made group); the application, its provider and bindings are kept as pass-through entries`,
      );
      ctx.used.delete(app.e);
      continue;
    }
    if (!slug || !provider) {
      ctx.notes.push(
        `${ctx.at(app)}: application ${slug ? `"${slug}" ` : ''}${slug ? 'has no provider the import can find' : 'has no slug'}; the config cannot model it, so it is kept as a pass-through entry`,
      );
      ctx.used.delete(app.e);
      continue;
    }
    ctx.used.add(provider.e);
    const pAttrs = attrsOf(provider.e);
    const pName = asString(idsOf(provider.e).name) ?? asString(pAttrs.name);
    const launch = asString(attrsOf(app.e).meta_launch_url);
    const index = services.length;

    if (provider.e.model === MODEL.proxyProvider) {
      const host = httpHostname(asString(pAttrs.external_host) ?? '');
      const existing = host ? byHost.get(host) : undefined;
      const fa: Doc = {};
      if (pName) fa.providerName = pName;
      const validity = asString(pAttrs.access_token_validity);
      if (validity) fa.sessionValidity = validity;
      if (pAttrs.mode !== undefined && pAttrs.mode !== 'forward_single')
        ctx.notes.push(
          `${ctx.at(provider)}: proxy provider mode ${JSON.stringify(pAttrs.mode)}; the config emits forward_single (one host) only`,
        );
      if (existing && !existing.forwardAuth) {
        // OIDC and forward auth on one host: one service, two applications.
        const i = services.indexOf(existing);
        fa.application = { slug, name: appName };
        if (app.bp !== sharedProxyFile) {
          const ref = ctx.blueprintRef(app.bp, `forward auth of ${slug}`);
          if (ref) fa.blueprint = ref;
        }
        existing.forwardAuth = fa;
        // One allowedGroups serves both applications. Forward auth runs before the service's own
        // login, so who can use the host today is who both admit: the draft keeps exactly that.
        const proxyAccess = allowedGroupsOf(app, `services[${i}].forwardAuth`);
        const oidcAccess = existing.allowedGroups as string[] | 'any';
        const both =
          proxyAccess === 'any' ? oidcAccess : oidcAccess === 'any' ? proxyAccess : oidcAccess.filter((g) => proxyAccess.includes(g));
        const who = (a: string[] | 'any') => (a === 'any' ? 'every authenticated user' : a.join(', '));
        if (JSON.stringify(proxyAccess) !== JSON.stringify(oidcAccess)) {
          ctx.notes.push(
            `${ctx.at(app)}: forward-auth application "${slug}" admits ${who(proxyAccess)}, the OIDC application "${String(existing.slug)}" on the same host ${who(oidcAccess)}; one allowedGroups serves both, the draft has the groups both admit (${who(both)}), who can use ${host} today`,
          );
          ctx.comments.set(
            `services[${i}].allowedGroups`,
            `REVIEW: the forward-auth and OIDC applications of this host had different groups; these are the ones both admit`,
          );
        }
        if (Array.isArray(both) && both.length === 0)
          ctx.notes.push(
            `${ctx.at(app)}: no group is admitted by both applications of ${host}; the draft keeps the OIDC application's groups`,
          );
        else existing.allowedGroups = both;
        placeholderUpstream(fa, i, host ?? slug, app);
        continue;
      }
      const service: Doc = { slug, name: appName, host: host ?? `${slug}.${domain}` };
      service.allowedGroups = allowedGroupsOf(app, `services[${index}]`);
      if (app.bp !== sharedProxyFile) {
        const ref = ctx.blueprintRef(app.bp, `forward auth of ${slug}`);
        if (ref) fa.blueprint = ref;
      }
      placeholderUpstream(fa, index, host ?? slug, app);
      service.forwardAuth = fa;
      services.push(service);
      if (host) byHost.set(host, service);
      continue;
    }

    if (provider.e.model !== MODEL.oauth2Provider) {
      ctx.notes.push(
        `${ctx.at(app)}: application "${slug}" uses a ${String(provider.e.model)}, which the config does not model; both are kept as pass-through entries`,
      );
      ctx.used.delete(app.e);
      ctx.used.delete(provider.e);
      continue;
    }
    const clientId = asString(idsOf(provider.e).client_id) ?? asString(pAttrs.client_id);
    const uris = (Array.isArray(pAttrs.redirect_uris) ? pAttrs.redirect_uris : []).filter(isRecord);
    const service: Doc = { slug, name: appName };
    const blueprint = appsIn(app.bp) === 1 ? ctx.blueprintRef(app.bp, slug) : undefined;
    if (appsIn(app.bp) > 1)
      ctx.notes.push(
        `${blueprintLabel(app.bp)}: holds ${appsIn(app.bp)} applications; each OIDC service gets a blueprint of its own, so "${slug}" moves to a new file`,
      );

    // Client credentials: no redirect URI and a service account beside it.
    const account = serviceAccounts.find((u) => u.bp === app.bp);
    if (uris.length === 0 && account) {
      ctx.used.add(account.e);
      const group = allowedGroupsOf(app, `services[${index}]`);
      const agentGroup = group !== 'any' ? group[0] : groupOfFind((attrsOf(account.e).groups as unknown[] | undefined)?.[0]);
      const agent: Doc = { group: agentGroup ?? 'REVIEW' };
      const username = asString(idsOf(account.e).username);
      if (username && username !== slug) agent.serviceAccount = username;
      const validity = asString(pAttrs.access_token_validity);
      if (validity) agent.accessTokenValidity = validity;
      service.agent = agent;
      // The app password this tool creates for it (an output of this tool, imported back).
      const token = ctx
        .byModel(MODEL.token)
        .find((t) => t.bp === app.bp && asString(idsOf(t.e).identifier) === `${username ?? slug}-app-password`);
      if (token) ctx.used.add(token.e);
      if (clientId && clientId !== slug)
        ctx.notes.push(
          `${ctx.at(provider)}: agent client_id "${clientId}" differs from the slug "${slug}"; the config derives it from the slug`,
        );
      if (blueprint) ctx.sharedBlueprints.agents = blueprint;
      ctx.comments.set(
        `services[${index}].agent`,
        'the app password (token) is generated: see SECRETS.md; a token made by hand in the UI stays as it is',
      );
      services.push(service);
      continue;
    }

    // People at kubectl: kubelogin's public client, its loopback callbacks only.
    const urls = uris.map((u) => asString(u.url) ?? '');
    if (pAttrs.client_type === 'public' && urls.length > 0 && urls.every((u) => (KUBELOGIN_CALLBACKS as readonly string[]).includes(u))) {
      const kubectl: Doc = {};
      for (const k of ['access_token_validity', 'refresh_token_validity'] as const) {
        const v = asString(pAttrs[k]);
        if (v) kubectl[k === 'access_token_validity' ? 'accessTokenValidity' : 'refreshTokenValidity'] = v;
      }
      service.allowedGroups = allowedGroupsOf(app, `services[${index}]`);
      service.kubectl = kubectl;
      if (clientId && clientId !== slug)
        ctx.notes.push(
          `${ctx.at(provider)}: kubectl client_id "${clientId}" differs from the slug "${slug}"; the config derives it from the slug`,
        );
      services.push(service);
      continue;
    }
    // ArgoCD's CLI (argocd login --sso): a public client that also lists the CLI's loopback callback.
    const cli = pAttrs.client_type === 'public' && urls.includes(ARGOCD_CLI_CALLBACK);
    // Any other public (PKCE) client: the config makes only ArgoCD's CLI public, so it is kept as it is.
    if (pAttrs.client_type === 'public' && !cli) {
      ctx.notes.push(
        `${ctx.at(app)}: application "${slug}" uses a public (PKCE) client; the config makes only ArgoCD's CLI client public, so both are kept as pass-through entries`,
      );
      ctx.used.delete(app.e);
      ctx.used.delete(provider.e);
      continue;
    }
    const cliUri = (u: string) => u === ARGOCD_CLI_CALLBACK || u.endsWith('/pkce/verify');
    if (cli) uris.splice(0, uris.length, ...uris.filter((u) => !cliUri(asString(u.url) ?? '')));
    const first = asString(uris[0]?.url) ?? '';
    const host = httpHostname(first);
    const oidc: Doc = {};
    const path = first.replace(/^https?:\/\/[^/]+/, '');
    let consumer = (Object.entries(CONSUMER_CALLBACK_PATH) as Array<[string, string]>).find(([, p]) => p === path)?.[0] ?? 'generic';
    oidc.consumer = consumer;
    if (pName) oidc.providerName = pName;
    if (first.startsWith('http://') || (host && IPV4.test(host))) {
      // Reached at http:// or an IP: only an explicit callback can say so.
      oidc.callbackUrl = first;
      ctx.comments.set(`services[${index}].oidc.callbackUrl`, 'REVIEW: an http:// or IP callback, written out as the live provider has it');
    } else if (consumer === 'generic') oidc.callbackPath = path || '/';
    if (host && !IPV4.test(host)) service.host = host;
    else if (launch && httpHostname(launch) && !IPV4.test(httpHostname(launch)!)) service.host = httpHostname(launch);
    else {
      // Reached at an IP only; the config still names the service's host (its launch URL).
      service.host = `${slug}.${domain}`;
      ctx.comments.set(`services[${index}].host`, 'REVIEW: guessed; the application is reached at an IP today');
      ctx.notes.push(
        `${ctx.at(app)}: "${slug}" has no DNS host (it is reached at ${first}); the config needs one for its launch URL, the draft guesses ${String(service.host)}`,
      );
    }
    if (clientId && clientId !== slug) oidc.clientId = clientId;
    // Found by name in the live layer: the generated entry finds it the same way, so it stays the same object.
    // (A literal client_id in its attrs finds it as well: that stays the config's client_id identity.)
    if (clientId === undefined && pName !== undefined && asString(idsOf(provider.e).name) === pName) {
      oidc.providerFoundBy = 'name';
      // Its client_id is known only to the cluster: a consumer config we would generate could not carry it.
      if (consumer !== 'generic') {
        ctx.notes.push(
          `${ctx.at(provider)}: a ${consumer} client whose client_id the layer does not hold; the draft keeps it as a generic consumer (no ${consumer} config is generated, the live one stays): set oidc.clientId and consumer: ${consumer} to have it generated`,
        );
        consumer = 'generic';
        oidc.consumer = consumer;
        oidc.callbackPath = path || '/';
      }
      if (pAttrs.client_id instanceof Env)
        ctx.notes.push(
          `${ctx.at(provider)}: client_id is read from !Env ${pAttrs.client_id.name}; the draft finds the provider by its name and writes client_id only if oidc.clientId is set: without it the live client_id stays as it is (set oidc.clientId to the value of ${pAttrs.client_id.name} where a generated consumer config needs it)`,
        );
    }
    const extra = uris.slice(1).map((u) => ({ url: asString(u.url) ?? '', matching: u.matching_mode === 'regex' ? 'regex' : 'strict' }));
    if (extra.length) oidc.redirectUris = extra;
    const mappings = Array.isArray(pAttrs.property_mappings) ? pAttrs.property_mappings : [];
    oidc.offlineAccess = mappings.some((m) => m instanceof Find && m.query.some(([, v]) => v === OFFLINE_ACCESS));
    for (const k of ['access_token_validity', 'refresh_token_validity'] as const) {
      const v = asString(pAttrs[k]);
      if (v) oidc[k === 'access_token_validity' ? 'accessTokenValidity' : 'refreshTokenValidity'] = v;
    }
    const secret = pAttrs.client_secret;
    if (cli && consumer === 'argocd') oidc.cli = true;
    else if (pAttrs.client_type === 'public')
      ctx.notes.push(
        `${ctx.at(provider)}: a public client; the config makes ArgoCD's client public with oidc.cli only, the draft has a confidential one`,
      );
    if (oidc.cli) {
      // A public client has no secret.
    } else if (secret === undefined) {
      oidc.secretMode = 'existingSecret';
      ctx.comments.set(`services[${index}].oidc.secretMode`, 'Authentik generated the client secret; the consumer keeps the copy it has');
    } else {
      oidc.secretMode = 'managed';
      ctx.notes.push(
        secret instanceof Env
          ? `${ctx.at(provider)}: client_secret is read from !Env ${secret.name}; the draft manages it under its own key of the Authentik Secret (see SECRETS.md after synth): copy the value there, or use secretMode: existingSecret`
          : `${ctx.at(provider)}: client_secret is written in the blueprint itself (a secret in git); the draft reads it from the Authentik Secret (SECRETS.md): move the value there and rotate it`,
      );
    }
    if (consumer === 'argocd') {
      const ref = argocdValues.map((v) => asString(valueAt(v, 'configs', 'cm', 'oidc.config'))).find(Boolean);
      const m = ref && /clientSecret:\s*\$([a-z0-9-]+):([-._a-zA-Z0-9]+)/.exec(ref);
      if (m) oidc.clientSecret = { namespace: 'argocd', name: m[1], key: m[2] };
    }
    if (blueprint) oidc.blueprint = blueprint;
    if (appName !== service.name) oidc.application = { name: appName };
    service.allowedGroups = allowedGroupsOf(app, `services[${index}]`);
    service.oidc = oidc;
    services.push(service);
    if (typeof service.host === 'string') byHost.set(service.host, service);
  }

  // --- people at kubectl -------------------------------------------------------------------------
  // A people group's ClusterRoleBinding matters only if a person's token carries the group: the
  // config binds people groups only with a kubectl client (kubelogin) that admits them.
  const peopleBound = groups.filter((g) => g.kubernetes && g.members !== 'agents').map((g) => String(g.name));
  if (peopleBound.length && !services.some((s) => s.kubectl)) {
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

  return services;
}
