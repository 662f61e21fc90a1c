// The issuer every consumer trusts must be its provider's issuer, byte for byte: the trailing
// slash is part of it (docs/field-traps.md#issuer-trailing-slash). Sides compared: ArgoCD's
// oidc.config, the Talos apiserver patch (flags or AuthenticationConfiguration, and the Omni
// copy), the agents' and people's kubeconfigs, the model, and the blueprint. The blueprint side
// applies Authentik's own rule (authentikIssuer, shared with derive.ts) to the slug of the
// application that serves the provider in the RENDERED blueprint, so a model whose slug or client
// id drifts from the blueprint is caught. The provider index is built once: the check is linear
// in the number of clients.
import type { SynthResult } from '../output/render';
import { OUTPUT } from '../base/paths';
import type { AuthModel } from '../model/derive';
import { consumerApp } from '../model/derive';
import { authentikIssuer } from '../upstream/conventions';
import { isTalosFile } from '../base/paths';
import { apiserverOidc, asArray, docAt, fileAt, isObj, list, oauth2ByClientId, parseNested, type OAuth2Hit } from './rendered';
import { valueAt } from '../base/records';

/** The OAuth2 providers of the rendered blueprints by client_id, indexed once per run. */
type Providers = Map<unknown, OAuth2Hit>;

/**
 * What the blueprint says the issuers for `clientId` are, or why it cannot: one per URL Authentik
 * is served at (it builds the issuer from the host it is asked on; two during a domain move).
 */
function blueprintIssuer(r: SynthResult, providers: Providers, clientId: string): { issuers?: string[]; problem?: string } {
  const p = providers.get(clientId);
  if (!p) return { problem: `no OAuth2 provider with client_id "${clientId}" in any blueprint` };
  if (!p.slug) return { problem: `the provider with client_id "${clientId}" in ${p.bp.fileName} has no application, so it has no issuer` };
  const slug = p.slug;
  return { issuers: r.model.authentik.servedUrls.map((u) => authentikIssuer(u, slug)) };
}

function compare(r: SynthResult, providers: Providers, side: string, actual: unknown, clientId: string, modelIssuer: string): string[] {
  const out: string[] = [];
  if (actual !== modelIssuer)
    out.push(`${side} issuer ${JSON.stringify(actual)} differs from the provider's issuer "${modelIssuer}" (client ${clientId})`);
  return [...out, ...blueprintAgrees(r, providers, side, clientId, modelIssuer)];
}

/** The model's issuer is the one the blueprint's provider is served under. */
function blueprintAgrees(r: SynthResult, providers: Providers, side: string, clientId: string, modelIssuer: string): string[] {
  const bp = blueprintIssuer(r, providers, clientId);
  if (bp.problem) return [`${side}: ${bp.problem}`];
  return bp.issuers?.includes(modelIssuer)
    ? []
    : [`model issuer "${modelIssuer}" of client ${clientId} is none of the blueprint's ${list(bp.issuers ?? [])}`];
}

function argocdIssuer(r: SynthResult, m: AuthModel, providers: Providers): string[] {
  const app = consumerApp(m, 'argocd');
  const values = docAt(r, OUTPUT.argocdValues);
  if (!app) {
    // The file stays (the argocd Application reads it), but without an OIDC app it must not
    // point ArgoCD at an issuer nobody serves.
    const stray = valueAt(values, 'configs', 'cm', 'oidc.config');
    return stray === undefined
      ? []
      : [`${OUTPUT.argocdValues} configures oidc.config, but the model has no argocd OIDC app (no provider serves it)`];
  }
  if (values === undefined) return [`${OUTPUT.argocdValues} is missing, but the model has the argocd OIDC app "${app.slug}"`];
  const oidc = parseNested(valueAt(values, 'configs', 'cm', 'oidc.config'));
  if (!isObj(oidc)) return [`${OUTPUT.argocdValues} configs.cm."oidc.config" is not a YAML mapping`];
  const out = compare(r, providers, `${OUTPUT.argocdValues} oidc.config`, oidc.issuer, app.clientId, app.issuer);
  if (oidc.clientID !== app.clientId)
    out.push(
      `${OUTPUT.argocdValues} oidc.config clientID ${JSON.stringify(oidc.clientID)} differs from the provider's client_id "${app.clientId}"`,
    );
  // A public client (cli): ArgoCD must do PKCE and send no secret; a confidential one the reverse.
  if (app.pkce && (oidc.enablePKCEAuthentication !== true || 'clientSecret' in oidc)) {
    out.push(
      `${OUTPUT.argocdValues} oidc.config must set enablePKCEAuthentication: true and no clientSecret: the ${app.slug} client is public (oidc.cli)`,
    );
  }
  if (!app.pkce && (typeof oidc.clientSecret !== 'string' || oidc.enablePKCEAuthentication)) {
    out.push(
      `${OUTPUT.argocdValues} oidc.config must reference the client secret and not enable PKCE: the ${app.slug} client is confidential`,
    );
  }
  return out;
}

function talosIssuer(r: SynthResult, m: AuthModel, providers: Providers): string[] {
  const files = r.files.filter((f) => isTalosFile(f.path));
  const trusted = m.apiserverIssuers;
  if (!trusted.length)
    return files.map((f) => `${f.path} makes the apiserver trust an issuer, but the model has no agent and no kubectl client`);
  // No talos block: no patch, the apiserver is the operator's (manual-operations.yaml lists the issuers).
  if (!m.talos) return files.map((f) => `${f.path} is written, but the config has no talos block`);
  if (!fileAt(r, OUTPUT.talosPatch))
    return [
      `${OUTPUT.talosPatch} is missing, but the model has clients (${list(trusted.map((a) => a.slug))}) whose tokens the apiserver must trust`,
    ];
  const out: string[] = [];
  for (const f of files) {
    const found = (f.docs ?? []).flatMap(apiserverOidc);
    const byIssuer = new Map(found.map((x) => [x.issuer, x] as const).reverse());
    const expected = trusted.map((a) => a.issuer);
    const expectedSet = new Set(expected);
    for (const a of trusted) {
      const hit = byIssuer.get(a.issuer);
      if (!hit) {
        out.push(
          `${f.path} trusts issuers ${list(found.map((x) => x.issuer))}, not ${a.kind} client ${a.slug}'s provider issuer "${a.issuer}"`,
        );
        continue;
      }
      out.push(...compare(r, providers, `${f.path}`, hit.issuer, a.clientId, a.issuer));
      if (hit.clientId !== undefined && hit.clientId !== a.clientId) {
        out.push(`${f.path} expects client id/audience "${hit.clientId}" for ${a.issuer}, but the provider's client_id is "${a.clientId}"`);
      }
    }
    for (const x of found.filter((x) => !expectedSet.has(x.issuer))) {
      out.push(`${f.path} trusts issuer "${x.issuer}", which is no agent or kubectl provider's issuer (${list(expected)})`);
    }
  }
  return out;
}

/** `--flag=value` from an exec args list (values may sit inside an `sh -c` line). */
export function execFlag(args: unknown, flag: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)--${flag}=(?:'([^']*)'|"([^"]*)"|(\\S+))`);
  for (const a of asArray(args)) {
    const m = re.exec(String(a));
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

/** Each client's kubeconfig user runs kubelogin against that client's issuer and client id. */
function kubeconfigIssuers(
  r: SynthResult,
  providers: Providers,
  path: string,
  clients: ReadonlyArray<{ slug: string; user: string; issuer: string; clientId: string }>,
  kind: string,
): string[] {
  const kc = docAt(r, path);
  if (!clients.length) return kc === undefined ? [] : [`${path} is rendered, but the model has no ${kind}`];
  if (kc === undefined) return [`${path} is missing, but the model has ${kind}s (${list(clients.map((a) => a.slug))})`];
  const out: string[] = [];
  const users = asArray(valueAt(kc, 'users')).filter(isObj);
  const byName = new Map(users.map((u) => [u.name, u] as const).reverse());
  for (const a of clients) {
    const user = byName.get(a.user);
    if (!user) {
      out.push(`${path} has no user "${a.user}" for ${kind} ${a.slug} (users: ${list(users.map((u) => String(u.name)))})`);
      continue;
    }
    const args = valueAt(user, 'user', 'exec', 'args');
    out.push(...compare(r, providers, `${path} user ${a.user} --oidc-issuer-url`, execFlag(args, 'oidc-issuer-url'), a.clientId, a.issuer));
    const clientId = execFlag(args, 'oidc-client-id');
    if (clientId !== a.clientId)
      out.push(`${path} user ${a.user} --oidc-client-id ${JSON.stringify(clientId)} differs from the provider's client_id "${a.clientId}"`);
  }
  return out;
}

const kubeconfigIssuer = (r: SynthResult, m: AuthModel, providers: Providers) => [
  ...kubeconfigIssuers(
    r,
    providers,
    OUTPUT.kubeconfig,
    m.agents.map((a) => ({ ...a, user: a.slug })),
    'agent',
  ),
  ...kubeconfigIssuers(r, providers, OUTPUT.peopleKubeconfig, m.kubectlApps, 'kubectl client'),
];

export function checkIssuers(r: SynthResult): string[] {
  const m = r.model;
  const providers = oauth2ByClientId(r);
  const out = [...argocdIssuer(r, m, providers), ...talosIssuer(r, m, providers), ...kubeconfigIssuer(r, m, providers)];
  // Every other OIDC app: at least model and blueprint agree (no consumer file to read).
  for (const a of m.oidcApps.filter((x) => x.consumer !== 'argocd')) {
    out.push(...blueprintAgrees(r, providers, `model app ${a.slug}`, a.clientId, a.issuer));
  }
  return [...new Set(out)];
}
