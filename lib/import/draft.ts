// Turns an imported hand-written layer (read.ts) into a draft cluster config that reproduces its
// live identities: provider names, application slugs and names, blueprint names and ConfigMaps,
// ClusterRoleBinding names, the tombstones it already carries (retiredObjects) and its values
// files. What the config cannot say is collected as one line each (`notes`), naming the file and
// entry; values the layer does not hold are filled in and marked for review (`comments`).
import { Find, KeyOf, Env } from '../blueprints/tags';
import { MODEL } from '../blueprints/models';
import { ARGOCD_CLI_CALLBACK, AUTHENTIK_ENV, CONSUMER_CALLBACK_PATH, KUBELOGIN_CALLBACKS } from '../model/upstream';
import { parseAccessExpression } from '../blueprints/access';
import { validateBlueprint } from '../blueprints/api-schema';
import type { BlueprintEntry } from '../blueprints/types';
import { authentikMinor, isSupportedMinor } from '../model/authentik-versions';
import { blueprintLabel, entryLabel, isRecord, type Doc, type ImportedBlueprint, type ImportedLayer } from './read';

export interface Draft {
  /** The config, as plain data in the order it is written out. */
  config: Doc;
  /** Config path (as in config errors: `services[3].oidc.providerName`) → review comment. */
  comments: Map<string, string>;
  /** One line per thing the config cannot represent or the draft had to guess. */
  notes: string[];
}

interface Located {
  bp: ImportedBlueprint;
  index: number;
  e: Doc;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const attrsOf = (e: Doc): Doc => (isRecord(e.attrs) ? e.attrs : {});
const idsOf = (e: Doc): Doc => (isRecord(e.identifiers) ? e.identifiers : {});
const present = (e: Doc) => e.state !== 'absent';
const at = (l: Located) => entryLabel(l.bp, l.index, l.e);
const groupOfFind = (v: unknown): string | undefined =>
  v instanceof Find && v.model === MODEL.group && v.query.length === 1 && v.query[0][0] === 'name' ? v.query[0][1] : undefined;
const hostOf = (url: string): string | undefined => /^https?:\/\/([^/:\s]+)/.exec(url)?.[1];
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const PLACEHOLDER_UPSTREAM = 'http://upstream.invalid:80';
const OFFLINE_ACCESS = 'goauthentik.io/providers/oauth2/scope-offline_access';

/** The entry a `!KeyOf` names in its own blueprint, or the one a `!Find` names by a field anywhere. */
function resolveRef(v: unknown, bp: ImportedBlueprint, all: ReadonlyArray<Located>): Located | undefined {
  if (v instanceof KeyOf) {
    const index = bp.entries.findIndex((e) => e.id === v.id);
    return index >= 0 ? { bp, index, e: bp.entries[index] } : undefined;
  }
  if (v instanceof Find && v.query.length === 1) {
    const [field, value] = v.query[0];
    return all.find((l) => l.e.model === v.model && present(l.e) && (idsOf(l.e)[field] ?? attrsOf(l.e)[field]) === value);
  }
  return undefined;
}

export function buildDraft(layer: ImportedLayer): Draft {
  const comments = new Map<string, string>();
  const notes: string[] = [];
  const all: Located[] = layer.blueprints.flatMap((bp) => bp.entries.map((e, index) => ({ bp, index, e })));
  /** Entries the draft represents; every other one is a printed line. */
  const used = new Set<Doc>();
  // The config gives each blueprint a ConfigMap of its own: the first blueprint of a ConfigMap
  // keeps it (so the ConfigMap is updated, not pruned), the others move to a generated one.
  const claimed = new Map<string, ImportedBlueprint>();
  /** The blueprint's identity as the config's `blueprint:` override (undefined: its ConfigMap is taken). */
  const blueprintRef = (bp: ImportedBlueprint, what: string): Doc | undefined => {
    const configMapName = bp.configMap || bp.key.replace(/\.ya?ml$/, '');
    const owner = claimed.get(configMapName);
    if (owner && owner !== bp) {
      notes.push(
        `${blueprintLabel(bp)}: shares ConfigMap ${configMapName} with ${blueprintLabel(owner)}; the config gives each blueprint a ConfigMap of its own, so ${what} moves to a generated blueprint (the ConfigMap keeps ${owner.key} only)`,
      );
      return undefined;
    }
    claimed.set(configMapName, bp);
    const ref: Doc = { name: bp.name, configMapName };
    if (bp.key !== `${configMapName}.yaml`) ref.fileName = bp.key;
    if (!bp.configMap)
      notes.push(
        `${blueprintLabel(bp)}: no ConfigMap found for this raw blueprint file (no kustomization configMapGenerator lists it); the draft names its ConfigMap after the file, set the name your cluster uses`,
      );
    if (!bp.name)
      notes.push(
        `${blueprintLabel(bp)}: the blueprint has no metadata.name; the draft cannot name it, so Authentik will see a new blueprint`,
      );
    return ref;
  };
  // The shared blueprints' names found while walking the entries (authentik.blueprints).
  const layerBlueprints: Doc = {};
  const byModel = (model: string) => all.filter((l) => l.e.model === model);

  // --- values files and Applications -------------------------------------------------------
  const applications = layer.objects.filter((o) => o.doc.kind === 'Application');
  const chartSource = (chart: string) => {
    for (const a of applications) {
      const spec = isRecord(a.doc.spec) ? a.doc.spec : {};
      const sources: unknown[] = Array.isArray(spec.sources) ? spec.sources : isRecord(spec.source) ? [spec.source] : [];
      const src = sources.find((s) => isRecord(s) && s.chart === chart);
      if (isRecord(src)) return { app: a.doc, spec, sources: sources.filter(isRecord), src };
    }
    return undefined;
  };
  const valuesFor = (chart: 'authentik' | 'argocd', chartName: string): string[] => {
    const fromApp = chartSource(chartName);
    const helm = fromApp && isRecord(fromApp.src.helm) ? fromApp.src.helm : {};
    const listed = (Array.isArray(helm.valueFiles) ? helm.valueFiles : []).filter((f): f is string => typeof f === 'string');
    // ArgoCD reads `$values/<path>` from the ref source: the repository path is the rest.
    if (listed.length) return listed.map((f) => f.replace(/^\$[a-z0-9-]+\//, ''));
    return layer.values.filter((v) => v.chart === chart).map((v) => v.repoPath ?? v.where);
  };
  const authentikValues = layer.values.filter((v) => v.chart === 'authentik').map((v) => v.doc);
  const argocdValues = layer.values.filter((v) => v.chart === 'argocd').map((v) => v.doc);
  const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), o);

  // --- Authentik URL, domain ----------------------------------------------------------------
  const outposts = byModel(MODEL.outpost).filter((l) => present(l.e));
  const envHost = authentikValues
    .flatMap((v) => (Array.isArray(get(v, 'global', 'env')) ? (get(v, 'global', 'env') as unknown[]) : []))
    .filter(isRecord)
    .find((e) => e.name === 'AUTHENTIK_HOST');
  const outpostHost = outposts.map((l) => str(get(attrsOf(l.e), 'config', 'authentik_host'))).find(Boolean);
  const authentikUrl = (str(envHost?.value) ?? outpostHost ?? '').replace(/\/$/, '');
  const authHost = hostOf(authentikUrl);
  const domain = authHost && authHost.includes('.') ? authHost.split('.').slice(1).join('.') : 'example.org';
  if (!authHost) comments.set('authentik.url', 'REVIEW: no AUTHENTIK_HOST nor outpost authentik_host found; set the external URL');

  // --- groups and ClusterRoleBindings -------------------------------------------------------
  const groupEntries = byModel(MODEL.group);
  const parentsOf = (l: Located): string[] => {
    const ps = attrsOf(l.e).parents;
    return (Array.isArray(ps) ? ps : [])
      .map((p) => resolveRef(p, l.bp, all))
      .map((p) => (p ? str(idsOf(p.e).name) : undefined))
      .filter((n): n is string => n !== undefined);
  };
  const presentGroups = groupEntries.filter((l) => present(l.e) && str(idsOf(l.e).name));
  const parentCounts = new Map<string, number>();
  for (const g of presentGroups) for (const p of parentsOf(g)) parentCounts.set(p, (parentCounts.get(p) ?? 0) + 1);
  const groupParent = [...parentCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const serviceAccounts = byModel(MODEL.user).filter((l) => present(l.e) && attrsOf(l.e).type === 'service_account');
  const agentGroups = new Set(
    serviceAccounts.flatMap((u) => (Array.isArray(attrsOf(u.e).groups) ? (attrsOf(u.e).groups as unknown[]) : []).map(groupOfFind)),
  );
  const crbs = layer.objects.filter((o) => o.doc.kind === 'ClusterRoleBinding');
  const argocdRoles = new Map<string, string>();
  for (const v of argocdValues) {
    const csv = str(get(v, 'configs', 'rbac', 'policy.csv')) ?? '';
    for (const line of csv.split('\n')) {
      const m = /^\s*g\s*,\s*([^,\s]+)\s*,\s*(role:[^,\s]+)\s*$/.exec(line);
      if (m) argocdRoles.set(m[1], m[2]);
    }
  }
  const groups: Doc[] = [];
  for (const g of presentGroups) {
    const name = str(idsOf(g.e).name)!;
    if (name === groupParent) {
      used.add(g.e);
      continue;
    }
    used.add(g.e);
    const parents = parentsOf(g);
    if (parents.length !== 1 || parents[0] !== groupParent)
      notes.push(
        `${at(g)}: group "${name}" has parents [${parents.join(', ')}]; the config puts every group under one parent (groupParent: ${groupParent ?? 'root'})`,
      );
    const group: Doc = { name };
    if (attrsOf(g.e).is_superuser === true) group.superuser = true;
    if (agentGroups.has(name)) group.members = 'agents';
    const mine = crbs.filter((c) => {
      const subjects = Array.isArray(c.doc.subjects) ? c.doc.subjects : [];
      return subjects.some((s) => isRecord(s) && s.kind === 'Group' && s.name === name);
    });
    if (mine.length > 1)
      notes.push(
        `${mine[1].where}: ClusterRoleBinding ${String(get(mine[1].doc, 'metadata', 'name'))} binds group "${name}" a second time; the config binds one ClusterRole per group`,
      );
    const crb = mine[0];
    if (crb) {
      const role = get(crb.doc, 'roleRef', 'name');
      if (get(crb.doc, 'roleRef', 'kind') === 'ClusterRole' && typeof role === 'string') group.kubernetes = role;
      else notes.push(`${crb.where}: ClusterRoleBinding for group "${name}" does not refer to a ClusterRole`);
      group.clusterRoleBindingName = get(crb.doc, 'metadata', 'name');
      const others = (Array.isArray(crb.doc.subjects) ? crb.doc.subjects : []).filter((s) => !(isRecord(s) && s.name === name));
      if (others.length)
        notes.push(
          `${crb.where}: ClusterRoleBinding ${String(group.clusterRoleBindingName)} has other subjects besides group "${name}"; the generated one binds the group only`,
        );
    }
    const argocd = argocdRoles.get(name);
    if (argocd === 'role:admin' || argocd === 'role:readonly') group.argocd = argocd;
    else if (argocd) notes.push(`ArgoCD policy.csv: group "${name}" has ${argocd}; the config maps groups to the built-in roles only`);
    const extra = Object.keys(attrsOf(g.e)).filter((k) => !['is_superuser', 'parents', 'name'].includes(k));
    if (extra.length) notes.push(`${at(g)}: group "${name}" sets ${extra.join(', ')}; the config does not carry these`);
    groups.push(group);
  }
  for (const c of crbs) {
    const subjects = Array.isArray(c.doc.subjects) ? c.doc.subjects : [];
    if (!subjects.some((s) => isRecord(s) && s.kind === 'Group' && groups.some((g) => g.name === s.name)))
      notes.push(
        `${c.where}: ClusterRoleBinding ${String(get(c.doc, 'metadata', 'name'))} binds no imported group; it is not generated, and adopting would prune it if it lives in the synced directory`,
      );
  }
  if (groups.some((g) => !g.superuser) && argocdValues.length === 0 && groups.length)
    comments.set('groups', 'REVIEW: no ArgoCD values were imported, so groups have no argocd role yet');
  if (groups.length)
    comments.set('groups[0]', 'REVIEW: grafana roles (groups[].grafana) are not imported: set them as your Grafana role mapping has them');

  // --- applications → services ---------------------------------------------------------------
  const services: Doc[] = [];
  const byHost = new Map<string, Doc>();
  // OIDC applications first (a forward-auth application on the same host joins their service),
  // then forward auth, then client-credentials agents (an OAuth2 provider with no redirect URI).
  const kindOf = (l: Located): number => {
    const p = resolveRef(attrsOf(l.e).provider, l.bp, all)?.e;
    if (p?.model === MODEL.proxyProvider) return 1;
    const uris = p && attrsOf(p).redirect_uris;
    return Array.isArray(uris) && uris.length === 0 ? 2 : 0;
  };
  const apps = byModel(MODEL.application)
    .filter((l) => present(l.e))
    .sort((a, b) => kindOf(a) - kindOf(b));
  const sharedProxyFile = (() => {
    const withOutpost = outposts[0]?.bp;
    if (withOutpost) return withOutpost;
    // else the file with the most proxy providers
    const counts = new Map<ImportedBlueprint, number>();
    for (const p of byModel(MODEL.proxyProvider).filter((l) => present(l.e))) counts.set(p.bp, (counts.get(p.bp) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  })();
  const appsIn = (bp: ImportedBlueprint) => apps.filter((a) => a.bp === bp).length;

  const allowedGroupsOf = (app: Located, path: string): string[] | 'any' => {
    const bindings = all.filter((l) => {
      if (l.e.model !== MODEL.policyBinding || !present(l.e)) return false;
      const target = resolveRef(idsOf(l.e).target ?? attrsOf(l.e).target, l.bp, all);
      return target?.e === app.e;
    });
    const groupsBound: Array<{ group: string; order: number }> = [];
    let open = false;
    for (const b of bindings) {
      used.add(b.e);
      const ids = { ...attrsOf(b.e), ...idsOf(b.e) };
      const group = groupOfFind(ids.group);
      const order = typeof ids.order === 'number' ? ids.order : 0;
      const policy = ids.policy !== undefined ? resolveRef(ids.policy, b.bp, all) : undefined;
      // An access policy in the shape this tool writes (an output of it, imported back) says its groups.
      const parsed =
        policy?.e.model === MODEL.expressionPolicy ? parseAccessExpression(str(attrsOf(policy.e).expression) ?? '') : undefined;
      if (group !== undefined) groupsBound.push({ group, order });
      else if (policy && parsed !== undefined && str(idsOf(policy.e).name) === `unified-auth access ${str(idsOf(app.e).slug)}`) {
        used.add(policy.e);
        if (parsed === 'any') open = true;
        else groupsBound.push(...parsed.map((g) => ({ group: g, order })));
      } else
        notes.push(
          `${at(b)}: a binding of a policy or user, not a group; the config gives access by groups only, so the generated access policy ignores it (mode all: it would still narrow access if it stayed)`,
        );
    }
    if (open && !groupsBound.length) return 'any';
    if (!groupsBound.length) {
      comments.set(`${path}.allowedGroups`, 'REVIEW: no group binding in the live layer: open to every authenticated user today, kept so');
      return 'any';
    }
    return groupsBound.sort((a, b) => a.order - b.order).map((g) => g.group);
  };

  for (const app of apps) {
    used.add(app.e);
    const slug = str(idsOf(app.e).slug);
    const appName = str(attrsOf(app.e).name) ?? slug ?? '';
    const provider = resolveRef(attrsOf(app.e).provider, app.bp, all);
    if (!slug || !provider) {
      notes.push(`${at(app)}: application ${slug ? `"${slug}" ` : ''}has no provider the import can find; it is not in the draft`);
      continue;
    }
    used.add(provider.e);
    const pAttrs = attrsOf(provider.e);
    const pName = str(idsOf(provider.e).name) ?? str(pAttrs.name);
    const launch = str(attrsOf(app.e).meta_launch_url);
    const index = services.length;

    if (provider.e.model === MODEL.proxyProvider) {
      const host = hostOf(str(pAttrs.external_host) ?? '');
      const existing = host ? byHost.get(host) : undefined;
      const fa: Doc = {};
      if (pName) fa.providerName = pName;
      const validity = str(pAttrs.access_token_validity);
      if (validity) fa.sessionValidity = validity;
      if (pAttrs.mode !== undefined && pAttrs.mode !== 'forward_single')
        notes.push(`${at(provider)}: proxy provider mode ${JSON.stringify(pAttrs.mode)}; the config emits forward_single (one host) only`);
      if (existing && !existing.forwardAuth) {
        // OIDC and forward auth on one host: one service, two applications.
        const i = services.indexOf(existing);
        fa.application = { slug, name: appName };
        if (app.bp !== sharedProxyFile) {
          const ref = blueprintRef(app.bp, `forward auth of ${slug}`);
          if (ref) fa.blueprint = ref;
        }
        fa.upstream = PLACEHOLDER_UPSTREAM;
        comments.set(
          `services[${i}].forwardAuth.upstream`,
          'REVIEW: placeholder; the edge route is not in the layer: set the backend address',
        );
        existing.forwardAuth = fa;
        // One allowedGroups serves both applications. Forward auth runs before the service's own
        // login, so who can use the host today is who both admit: the draft keeps exactly that.
        const proxyAccess = allowedGroupsOf(app, `services[${i}].forwardAuth`);
        const oidcAccess = existing.allowedGroups as string[] | 'any';
        const both =
          proxyAccess === 'any' ? oidcAccess : oidcAccess === 'any' ? proxyAccess : oidcAccess.filter((g) => proxyAccess.includes(g));
        const who = (a: string[] | 'any') => (a === 'any' ? 'every authenticated user' : a.join(', '));
        if (JSON.stringify(proxyAccess) !== JSON.stringify(oidcAccess)) {
          notes.push(
            `${at(app)}: forward-auth application "${slug}" admits ${who(proxyAccess)}, the OIDC application "${String(existing.slug)}" on the same host ${who(oidcAccess)}; one allowedGroups serves both, the draft has the groups both admit (${who(both)}), who can use ${host} today`,
          );
          comments.set(
            `services[${i}].allowedGroups`,
            `REVIEW: the forward-auth and OIDC applications of this host had different groups; these are the ones both admit`,
          );
        }
        if (Array.isArray(both) && both.length === 0)
          notes.push(`${at(app)}: no group is admitted by both applications of ${host}; the draft keeps the OIDC application's groups`);
        else existing.allowedGroups = both;
        notes.push(
          `${at(app)}: upstream of ${host} is not in the layer; the draft has the placeholder ${PLACEHOLDER_UPSTREAM} in services[${i}].forwardAuth.upstream`,
        );
        continue;
      }
      const service: Doc = { slug, name: appName, host: host ?? `${slug}.${domain}` };
      service.allowedGroups = allowedGroupsOf(app, `services[${index}]`);
      if (app.bp !== sharedProxyFile) {
        const ref = blueprintRef(app.bp, `forward auth of ${slug}`);
        if (ref) fa.blueprint = ref;
      }
      fa.upstream = PLACEHOLDER_UPSTREAM;
      comments.set(
        `services[${index}].forwardAuth.upstream`,
        'REVIEW: placeholder; the edge route is not in the layer: set the backend address',
      );
      notes.push(
        `${at(app)}: upstream of ${host ?? slug} is not in the layer; the draft has the placeholder ${PLACEHOLDER_UPSTREAM} in services[${index}].forwardAuth.upstream`,
      );
      service.forwardAuth = fa;
      services.push(service);
      if (host) byHost.set(host, service);
      continue;
    }

    if (provider.e.model !== MODEL.oauth2Provider) {
      notes.push(
        `${at(app)}: application "${slug}" uses a ${String(provider.e.model)}, which the config does not model; it is not in the draft`,
      );
      continue;
    }
    const clientId = str(idsOf(provider.e).client_id) ?? str(pAttrs.client_id);
    const uris = (Array.isArray(pAttrs.redirect_uris) ? pAttrs.redirect_uris : []).filter(isRecord);
    const service: Doc = { slug, name: appName };
    const blueprint = appsIn(app.bp) === 1 ? blueprintRef(app.bp, slug) : undefined;
    if (appsIn(app.bp) > 1)
      notes.push(
        `${blueprintLabel(app.bp)}: holds ${appsIn(app.bp)} applications; each OIDC service gets a blueprint of its own, so "${slug}" moves to a new file`,
      );

    // Client credentials: no redirect URI and a service account beside it.
    const account = serviceAccounts.find((u) => u.bp === app.bp);
    if (uris.length === 0 && account) {
      used.add(account.e);
      const group = allowedGroupsOf(app, `services[${index}]`);
      const agentGroup = group !== 'any' ? group[0] : groupOfFind((attrsOf(account.e).groups as unknown[] | undefined)?.[0]);
      const agent: Doc = { group: agentGroup ?? 'REVIEW' };
      const username = str(idsOf(account.e).username);
      if (username && username !== slug) agent.serviceAccount = username;
      const validity = str(pAttrs.access_token_validity);
      if (validity) agent.accessTokenValidity = validity;
      service.agent = agent;
      // The app password this tool creates for it (an output of this tool, imported back).
      const token = byModel(MODEL.token).find((t) => t.bp === app.bp && str(idsOf(t.e).identifier) === `${username ?? slug}-app-password`);
      if (token) used.add(token.e);
      if (clientId && clientId !== slug)
        notes.push(`${at(provider)}: agent client_id "${clientId}" differs from the slug "${slug}"; the config derives it from the slug`);
      if (blueprint) layerBlueprints.agents = blueprint;
      comments.set(
        `services[${index}].agent`,
        'the app password (token) is generated: see SECRETS.md; a token made by hand in the UI stays as it is',
      );
      services.push(service);
      continue;
    }

    // People at kubectl: kubelogin's public client, its loopback callbacks only.
    const urls = uris.map((u) => str(u.url) ?? '');
    if (pAttrs.client_type === 'public' && urls.length > 0 && urls.every((u) => (KUBELOGIN_CALLBACKS as readonly string[]).includes(u))) {
      const kubectl: Doc = {};
      for (const k of ['access_token_validity', 'refresh_token_validity'] as const) {
        const v = str(pAttrs[k]);
        if (v) kubectl[k === 'access_token_validity' ? 'accessTokenValidity' : 'refreshTokenValidity'] = v;
      }
      service.allowedGroups = allowedGroupsOf(app, `services[${index}]`);
      service.kubectl = kubectl;
      if (clientId && clientId !== slug)
        notes.push(`${at(provider)}: kubectl client_id "${clientId}" differs from the slug "${slug}"; the config derives it from the slug`);
      services.push(service);
      continue;
    }
    // ArgoCD's CLI (argocd login --sso): a public client that also lists the CLI's loopback callback.
    const cli = pAttrs.client_type === 'public' && urls.includes(ARGOCD_CLI_CALLBACK);
    const cliUri = (u: string) => u === ARGOCD_CLI_CALLBACK || u.endsWith('/pkce/verify');
    if (cli) uris.splice(0, uris.length, ...uris.filter((u) => !cliUri(str(u.url) ?? '')));
    const first = str(uris[0]?.url) ?? '';
    const host = hostOf(first);
    const oidc: Doc = {};
    const path = first.replace(/^https?:\/\/[^/]+/, '');
    const consumer = (Object.entries(CONSUMER_CALLBACK_PATH) as Array<[string, string]>).find(([, p]) => p === path)?.[0] ?? 'generic';
    oidc.consumer = consumer;
    if (pName) oidc.providerName = pName;
    if (first.startsWith('http://') || (host && IPV4.test(host))) {
      // Reached at http:// or an IP: only an explicit callback can say so.
      oidc.callbackUrl = first;
      comments.set(`services[${index}].oidc.callbackUrl`, 'REVIEW: an http:// or IP callback, written out as the live provider has it');
    } else if (consumer === 'generic') oidc.callbackPath = path || '/';
    if (host && !IPV4.test(host)) service.host = host;
    else if (launch && hostOf(launch) && !IPV4.test(hostOf(launch)!)) service.host = hostOf(launch);
    else {
      // Reached at an IP only; the config still names the service's host (its launch URL).
      service.host = `${slug}.${domain}`;
      comments.set(`services[${index}].host`, 'REVIEW: guessed; the application is reached at an IP today');
      notes.push(
        `${at(app)}: "${slug}" has no DNS host (it is reached at ${first}); the config needs one for its launch URL, the draft guesses ${String(service.host)}`,
      );
    }
    if (clientId && clientId !== slug) oidc.clientId = clientId;
    const extra = uris.slice(1).map((u) => ({ url: str(u.url) ?? '', matching: u.matching_mode === 'regex' ? 'regex' : 'strict' }));
    if (extra.length) oidc.redirectUris = extra;
    const mappings = Array.isArray(pAttrs.property_mappings) ? pAttrs.property_mappings : [];
    oidc.offlineAccess = mappings.some((m) => m instanceof Find && m.query.some(([, v]) => v === OFFLINE_ACCESS));
    for (const k of ['access_token_validity', 'refresh_token_validity'] as const) {
      const v = str(pAttrs[k]);
      if (v) oidc[k === 'access_token_validity' ? 'accessTokenValidity' : 'refreshTokenValidity'] = v;
    }
    const secret = pAttrs.client_secret;
    if (cli && consumer === 'argocd') oidc.cli = true;
    else if (pAttrs.client_type === 'public')
      notes.push(
        `${at(provider)}: a public client; the config makes ArgoCD's client public with oidc.cli only, the draft has a confidential one`,
      );
    if (oidc.cli) {
      // A public client has no secret.
    } else if (secret === undefined) {
      oidc.secretMode = 'existingSecret';
      comments.set(`services[${index}].oidc.secretMode`, 'Authentik generated the client secret; the consumer keeps the copy it has');
    } else {
      oidc.secretMode = 'managed';
      notes.push(
        secret instanceof Env
          ? `${at(provider)}: client_secret is read from !Env ${secret.name}; the draft manages it under its own key of the Authentik Secret (see SECRETS.md after synth): copy the value there, or use secretMode: existingSecret`
          : `${at(provider)}: client_secret is written in the blueprint itself (a secret in git); the draft reads it from the Authentik Secret (SECRETS.md): move the value there and rotate it`,
      );
    }
    if (consumer === 'argocd') {
      const ref = argocdValues.map((v) => str(get(v, 'configs', 'cm', 'oidc.config'))).find(Boolean);
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

  // --- operator values the generated files replace -----------------------------------------
  // The generated values own these keys (README, Values layering): what the operator's files set
  // there is replaced, so each such entry is a line.
  const ownedEnv = new Set<string>(Object.values(AUTHENTIK_ENV));
  const adoptedConfigMaps = new Set(layer.blueprints.map((b) => b.configMap).filter(Boolean));
  for (const v of layer.values) {
    if (v.chart === 'authentik') {
      for (const list of ['global', 'worker'] as const) {
        const env = get(v.doc, list, 'env');
        for (const e of (Array.isArray(env) ? env : []).filter(isRecord)) {
          if (typeof e.name !== 'string' || (list === 'global' && ownedEnv.has(e.name))) continue;
          notes.push(
            `${v.where}: ${list}.env ${e.name}: the generated values own global.env and worker.env (a list is replaced whole), so it would be lost; move it to server.env, or drop it if only a blueprint read it`,
          );
        }
      }
      const mounted = get(v.doc, 'blueprints', 'configMaps');
      for (const cm of (Array.isArray(mounted) ? mounted : []).filter((x): x is string => typeof x === 'string'))
        if (!adoptedConfigMaps.has(cm))
          notes.push(
            `${v.where}: blueprints.configMaps ${cm}: not in the imported directories; the generated list replaces this one, so it is no longer mounted: import its directory too, or retire its objects`,
          );
    }
    if (v.chart === 'argocd') {
      const csv = str(get(v.doc, 'configs', 'rbac', 'policy.csv')) ?? '';
      for (const line of csv.split('\n').map((l) => l.trim())) {
        if (!line || line.startsWith('#')) continue;
        const m = /^g\s*,\s*([^,\s]+)\s*,\s*(role:admin|role:readonly)\s*$/.exec(line);
        if (m && groups.some((g) => g.name === m[1])) continue;
        notes.push(
          `${v.where}: policy.csv line "${line}": the generated values own policy.csv; move it to configs.rbac."policy.<name>.csv" (ArgoCD appends those)`,
        );
      }
    }
  }

  // --- people at kubectl -------------------------------------------------------------------------
  // A people group's ClusterRoleBinding matters only if a person's token carries the group: the
  // config binds people groups only with a kubectl client (kubelogin) that admits them.
  const peopleBound = groups.filter((g) => g.kubernetes && g.members !== 'agents').map((g) => String(g.name));
  if (peopleBound.length && !services.some((s) => s.kubectl)) {
    const index = services.length;
    services.push({ slug: 'kubernetes', name: 'Kubernetes', allowedGroups: peopleBound, kubectl: {} });
    comments.set(
      `services[${index}]`,
      'REVIEW: added: the layer binds people groups to ClusterRoles but has no kubectl client, and the config binds people groups only for a client that can carry them',
    );
    notes.push(
      `ClusterRoleBindings of people groups (${peopleBound.join(', ')}): the layer has no kubectl client their tokens could come from; the draft adds one (services[${index}], slug kubernetes, kubelogin) and a second apiserver issuer (talos.apiServerAuth: structured), or remove kubernetes from these groups and their bindings are pruned`,
    );
  }

  // --- tombstones → retiredObjects --------------------------------------------------------------
  const retiredObjects: Doc[] = [];
  const tombstoneFiles = new Set<ImportedBlueprint>();
  for (const l of all.filter((x) => !present(x.e))) {
    used.add(l.e);
    // A conditional binding tombstone is this tool's own migration, carried forward from the baseline by synth.
    if (l.e.model === MODEL.policyBinding && Array.isArray(l.e.conditions)) continue;
    const ids = idsOf(l.e);
    if (Object.values(ids).some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      notes.push(
        `${at(l)}: a tombstone that finds its object by a reference (!Find/!KeyOf); retiredObjects take plain values, so it is not in the draft`,
      );
      continue;
    }
    retiredObjects.push({ model: l.e.model, identifiers: ids });
    tombstoneFiles.add(l.bp);
  }
  for (const bp of tombstoneFiles)
    if (bp.entries.every((e) => !present(e))) layerBlueprints.retired = blueprintRef(bp, 'the retired objects');

  // --- the rest of the entries ---------------------------------------------------------------
  const groupFiles = new Set(presentGroups.map((g) => g.bp));
  if (groupFiles.size === 1) layerBlueprints.groups = blueprintRef([...groupFiles][0], 'the groups');
  else if (groupFiles.size > 1)
    notes.push(
      `groups are spread over ${groupFiles.size} blueprints (${[...groupFiles].map(blueprintLabel).join(', ')}); the generated groups blueprint takes them all over`,
    );
  if (sharedProxyFile && byModel(MODEL.proxyProvider).some((p) => p.bp === sharedProxyFile))
    layerBlueprints.outpost = blueprintRef(sharedProxyFile, 'the outpost');
  let manageProviders: boolean | undefined;
  for (const o of outposts) {
    used.add(o.e);
    if (idsOf(o.e).managed !== 'goauthentik.io/outposts/embedded') {
      notes.push(`${at(o)}: an outpost other than the embedded one; the config manages the embedded outpost only`);
      continue;
    }
    if (attrsOf(o.e).providers === undefined) {
      manageProviders = false;
      notes.push(
        `${at(o)}: the outpost entry lists no providers (they are assigned by hand); the draft keeps it so (authentik.outpost.manageProviders: false): new forward-auth services then need assigning by hand too`,
      );
    }
  }
  for (const l of all) {
    if (used.has(l.e) || l.e.model === MODEL.metaApplyBlueprint) continue;
    notes.push(`${at(l)}: not represented by the config; it stays in Authentik as it is, unmanaged`);
  }

  // --- cluster-level settings ---------------------------------------------------------------
  const lb = layer.objects.find(
    (o) =>
      o.doc.kind === 'Service' && get(o.doc, 'spec', 'type') === 'LoadBalancer' && /authentik/.test(String(get(o.doc, 'metadata', 'name'))),
  );
  const lbIp =
    str(get(lb?.doc, 'metadata', 'annotations', 'lbipam.cilium.io/ips'))?.split(',')[0] ?? str(get(lb?.doc, 'spec', 'loadBalancerIP'));
  const ports = (Array.isArray(get(lb?.doc, 'spec', 'ports')) ? (get(lb?.doc, 'spec', 'ports') as unknown[]) : []).filter(isRecord);
  const authentikApp = chartSource('authentik');
  const argocdApp = chartSource('argo-cd');
  const refSource = (authentikApp ?? argocdApp)?.sources.find((s) => typeof s.ref === 'string');
  const releaseOf = (a: typeof authentikApp) => str(get(a?.src, 'helm', 'releaseName'));

  const loadBalancer: Doc = { ip: lbIp ?? '192.0.2.1', pool: [`${lbIp ?? '192.0.2.1'}/32`] };
  const httpPort = ports.find((p) => p.name === 'http')?.port;
  const httpsPort = ports.find((p) => p.name === 'https')?.port;
  if (typeof httpPort === 'number' && httpPort !== 9000) loadBalancer.httpPort = httpPort;
  if (typeof httpsPort === 'number' && httpsPort !== 9443) loadBalancer.httpsPort = httpsPort;
  comments.set(
    'authentik.loadBalancer.pool',
    'REVIEW: the Cilium pool the IP comes from is not in the layer; a /32 of the IP is a placeholder',
  );
  if (!lbIp) comments.set('authentik.loadBalancer.ip', 'REVIEW: no LoadBalancer Service for Authentik found; placeholder IP');
  const lbName = str(get(lb?.doc, 'metadata', 'name'));
  const expectedLb = `${releaseOf(authentikApp) ?? 'authentik'}-server-lb`;
  if (lb && lbName !== expectedLb)
    notes.push(`${lb.where}: Service ${lbName} is generated as ${expectedLb}; adopting prunes the old one and the new one takes its IP`);

  const authentik: Doc = {
    url: authentikUrl || `https://auth.${domain}`,
    chart: {
      version: str(authentikApp?.src.targetRevision) ?? '2026.2.3',
      ...(releaseOf(authentikApp) && releaseOf(authentikApp) !== 'authentik' ? { releaseName: releaseOf(authentikApp) } : {}),
    },
    loadBalancer,
  };
  if (!authentikApp)
    comments.set('authentik.chart.version', 'REVIEW: no Application for the authentik chart found; set the running version');
  const secretRefs = authentikValues
    .flatMap((v) => (Array.isArray(get(v, 'global', 'env')) ? (get(v, 'global', 'env') as unknown[]) : []))
    .filter(isRecord);
  const refOf = (envName: string) => {
    const e = secretRefs.find((x) => x.name === envName);
    return { name: str(get(e, 'valueFrom', 'secretKeyRef', 'name')), key: str(get(e, 'valueFrom', 'secretKeyRef', 'key')) };
  };
  const sk = refOf('AUTHENTIK_SECRET_KEY');
  const bootstrap = refOf('AUTHENTIK_BOOTSTRAP_PASSWORD');
  const pg = refOf('AUTHENTIK_POSTGRESQL__PASSWORD');
  if (sk.name)
    authentik.secret = {
      name: sk.name,
      ...(sk.key ? { secretKey: sk.key } : {}),
      ...(bootstrap.key ? { bootstrapPassword: bootstrap.key } : {}),
    };
  if (pg.name) authentik.postgresqlSecret = { name: pg.name, ...(pg.key ? { key: pg.key } : {}) };
  if (manageProviders === false) authentik.outpost = { manageProviders: false };
  if (Object.keys(layerBlueprints).length) authentik.blueprints = layerBlueprints;
  const aValues = valuesFor('authentik', 'authentik');
  authentik.existingRelease = true;
  if (aValues.length) authentik.valueFiles = aValues;
  else
    comments.set(
      'authentik.existingRelease',
      'REVIEW: no Authentik values file was imported: add valueFiles, or noValueFiles: true if the release really has none',
    );

  const argocd: Doc = {
    project:
      str(argocdApp?.app.spec && get(argocdApp.app, 'spec', 'project')) ?? str(get(authentikApp?.app, 'spec', 'project')) ?? 'default',
    chart: {
      version: str(argocdApp?.src.targetRevision) ?? '9.4.6',
      ...(releaseOf(argocdApp) && releaseOf(argocdApp) !== 'argocd' ? { releaseName: releaseOf(argocdApp) } : {}),
    },
  };
  if (!argocdApp) comments.set('argocd.chart.version', 'REVIEW: no Application for the argo-cd chart found; set the running version');
  const defaultRole = argocdValues.map((v) => str(get(v, 'configs', 'rbac', 'policy.default'))).find((x) => x !== undefined);
  if (defaultRole === 'role:admin' || defaultRole === 'role:readonly' || defaultRole === '') argocd.defaultRole = defaultRole;
  const gValues = valuesFor('argocd', 'argo-cd');
  argocd.existingRelease = true;
  if (gValues.length) argocd.valueFiles = gValues;
  else
    comments.set(
      'argocd.existingRelease',
      'REVIEW: no ArgoCD values file was imported: add valueFiles, or noValueFiles: true if the release really has none',
    );

  const git: Doc = {
    repoURL: str(refSource?.repoURL) ?? 'https://git.example.org/REVIEW.git',
    ...(str(refSource?.targetRevision) && refSource?.targetRevision !== 'main' ? { targetRevision: refSource?.targetRevision } : {}),
    path: 'dist',
  };
  comments.set('git.path', 'REVIEW: where the generated output will live in the repository');
  if (!refSource) comments.set('git.repoURL', 'REVIEW: no Application with a values ref found; set the repository ArgoCD syncs');

  const config: Doc = {
    cluster: { name: domain.split('.')[0], domain },
    authentik,
    argocd,
    git,
    cilium: { version: '1.16.5' },
    talos: {
      version: 'v1.13.9',
      ...(services.some((x) => x.kubectl) && services.some((x) => x.agent) ? { apiServerAuth: 'structured' } : {}),
    },
    ...(groupParent && groupParent !== 'root' ? { groupParent } : {}),
    groups,
    services,
    ...(retiredObjects.length ? { retiredObjects } : {}),
  };
  // What the live blueprints get wrong against the running release's API contract fails or is
  // dropped on the cluster today (docs/field-traps.md#failed-blueprints-look-synced): say so.
  const minor = authentikMinor(String((authentik.chart as Doc).version));
  if (isSupportedMinor(minor))
    for (const bp of layer.blueprints) {
      const entries = bp.entries as unknown as BlueprintEntry[];
      for (const problem of validateBlueprint({ name: bp.name, configMapName: bp.configMap, fileName: bp.key, entries }, minor))
        notes.push(`${blueprintLabel(bp)}: ${problem} (against Authentik ${minor}'s API: it fails or is dropped on the cluster today)`);
    }
  comments.set('cluster.name', 'REVIEW: guessed from the domain');
  comments.set('cilium.version', 'REVIEW: placeholder, the layer does not say: set the running Cilium version');
  comments.set(
    'talos.version',
    'REVIEW: placeholder, the layer does not say: set the running Talos version (and omniCluster / omniPatchId when Omni manages it)',
  );
  if (retiredObjects.length) comments.set('retiredObjects', 'the tombstones the live layer already carries, kept so they keep deleting');
  return { config, comments, notes };
}
