// Each consumer's callback URL must be among its provider's redirect_uris in the rendered
// blueprint, or the login fails with "redirect URI mismatch" (docs/field-traps.md#redirect-uris).
// The consumer side is read from its own file where there is one: ArgoCD's configs.cm.url +
// /auth/callback, Grafana's root_url + /login/generic_oauth; other consumers from the model.
// The paths are the consumers' own conventions, shared with derive.ts (CONSUMER_CALLBACK_PATH):
// this check is an oracle of how ArgoCD and Grafana build the URL, applied to the rendered files.
import type { SynthResult } from '../output/render';
import { OUTPUT } from '../base/paths';
import type { OidcApp } from '../model/derive';
import { ARGOCD_CLI_CALLBACK, CONSUMER_CALLBACK_PATH, KUBELOGIN_CALLBACKS } from '../upstream/conventions';
import type { RedirectUri } from '../model/types';
import { docAt, list, oauth2ByClientId, redirectAllows, redirectUris, text, valuesOfKey } from './rendered';
import { valueAt, asString } from '../base/records';

const stripSlash = (u: string) => u.replace(/\/+$/, '');

/** The callback URL the consumer will actually send, as its own rendered config says. */
function consumerCallback(r: SynthResult, app: OidcApp): { url?: string; from: string; problem?: string } {
  switch (app.consumer) {
    case 'argocd': {
      const url = asString(valueAt(docAt(r, OUTPUT.argocdValues), 'configs', 'cm', 'url'));
      if (!url)
        return { from: OUTPUT.argocdValues, problem: `${OUTPUT.argocdValues} has no configs.cm.url, so ArgoCD cannot build its callback` };
      const path = CONSUMER_CALLBACK_PATH.argocd;
      return { url: `${stripSlash(url)}${path}`, from: `${OUTPUT.argocdValues} configs.cm.url + ${path}` };
    }
    case 'grafana': {
      const doc = docAt(r, OUTPUT.grafanaValues);
      if (doc === undefined)
        return {
          from: OUTPUT.grafanaValues,
          problem: `${OUTPUT.grafanaValues} is missing, but the model has the grafana OIDC app "${app.slug}"`,
        };
      const root = valuesOfKey(doc, 'root_url')
        .map((x) => x.value)
        .find((v): v is string => typeof v === 'string');
      if (!root)
        return {
          from: OUTPUT.grafanaValues,
          problem: `${OUTPUT.grafanaValues} has no grafana.ini server.root_url, so Grafana builds its callback from localhost`,
        };
      const path = CONSUMER_CALLBACK_PATH.grafana;
      return { url: `${stripSlash(root)}${path}`, from: `${OUTPUT.grafanaValues} root_url + ${path}` };
    }
    default:
      return { url: app.consumerCallback, from: `the model's ${app.consumer} callback for ${app.slug}` };
  }
}

export function checkCallbacks(r: SynthResult): string[] {
  const out: string[] = [];
  const providers = oauth2ByClientId(r);
  for (const app of r.model.oidcApps) {
    const p = providers.get(app.clientId);
    if (!p) {
      out.push(`OIDC app ${app.slug}: no OAuth2 provider with client_id "${app.clientId}" in any blueprint`);
      continue;
    }
    const uris = redirectUris(p.provider).map((u) => String(u.url));
    const cb = consumerCallback(r, app);
    if (cb.problem) out.push(cb.problem);
    else if (!redirectAllows(p.provider, cb.url!)) {
      out.push(
        `${cb.from} = "${cb.url}" is not among the redirect_uris ${list(uris)} of provider "${text(p.provider.attrs?.name ?? p.provider.identifiers.client_id)}" in ${p.bp.fileName}`,
      );
    }
    // A URL must be admitted (a regex may admit it too); a pattern must be there as written.
    const rendered = redirectUris(p.provider);
    const present = (x: RedirectUri) =>
      x.matching === 'strict' ? redirectAllows(p.provider, x.url) : rendered.some((r) => r.url === x.url && r.matching_mode === 'regex');
    for (const u of app.redirectUris.filter((x) => !present(x))) {
      out.push(
        `the model's ${u.matching} redirect URI "${u.url}" of ${app.slug} is not among the redirect_uris ${list(uris)} in ${p.bp.fileName}`,
      );
    }
    // argocd login --sso calls back on its loopback listener and exchanges the code without a
    // secret: the shared ArgoCD client must list that callback and be public.
    if (app.pkce) {
      if (!redirectAllows(p.provider, ARGOCD_CLI_CALLBACK))
        out.push(
          `the ArgoCD CLI callback "${ARGOCD_CLI_CALLBACK}" is not among the redirect_uris ${list(uris)} of ${app.slug} in ${p.bp.fileName}`,
        );
      if (p.provider.attrs?.client_type !== 'public' || p.provider.attrs?.client_secret !== undefined) {
        out.push(
          `${app.slug} in ${p.bp.fileName} is ${JSON.stringify(p.provider.attrs?.client_type)}${p.provider.attrs?.client_secret !== undefined ? ' with a client_secret' : ''}, but with oidc.cli it must be public without a secret (the CLI sends none)`,
        );
      }
    }
  }
  // kubelogin calls back on its loopback listeners and sends no secret: the provider must list
  // both and be public, or the login fails after the browser step.
  for (const k of r.model.kubectlApps) {
    const p = providers.get(k.clientId);
    if (!p) {
      out.push(`kubectl client ${k.slug}: no OAuth2 provider with client_id "${k.clientId}" in any blueprint`);
      continue;
    }
    for (const u of KUBELOGIN_CALLBACKS.filter((x) => !redirectAllows(p.provider, x))) {
      out.push(
        `kubelogin's callback "${u}" is not among the redirect_uris ${list(redirectUris(p.provider).map((x) => String(x.url)))} of kubectl client "${k.clientId}" in ${p.bp.fileName}`,
      );
    }
    if (p.provider.attrs?.client_type !== 'public') {
      out.push(
        `kubectl client "${k.clientId}" in ${p.bp.fileName} is ${JSON.stringify(p.provider.attrs?.client_type)}, but kubelogin sends no client secret; it must be public`,
      );
    }
  }
  // Client-credentials providers never redirect a browser.
  for (const a of r.model.agents) {
    const p = providers.get(a.clientId);
    if (p && redirectUris(p.provider).length) {
      out.push(
        `agent provider "${a.clientId}" in ${p.bp.fileName} allows browser redirects ${list(redirectUris(p.provider).map((u) => String(u.url)))}; a client-credentials client needs none`,
      );
    }
  }
  return out;
}
