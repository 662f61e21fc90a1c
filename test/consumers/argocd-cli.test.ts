// ArgoCD CLI SSO (`services[].oidc.cli`): ArgoCD's own client becomes public with PKCE and is
// shared by the web UI and `argocd login --sso`, so both sessions come from one Authentik provider,
// one issuer and one groups claim. Checked on the rendered blueprint, values and docs, and with
// casbin evaluating ArgoCD's RBAC for both sessions.
import yaml from 'js-yaml';
import { argocdCanDo, argocdEnforcer } from '../support/argocd-rbac-model';
import { ARGOCD_CLI_CALLBACK, SCOPE_MAPPINGS } from '../../lib/model/derive';
import { Env, Find } from '../../lib/upstream/blueprint-tags';
import type { BlueprintEntry } from '../../lib/upstream/blueprint-types';
import type { SynthResult } from '../../lib/output/render';
import { runChecks } from '../../lib/checks';
import { checkCallbacks } from '../../lib/checks/callbacks';
import { checkIssuers } from '../../lib/checks/issuers';
import { checkSecretContract } from '../../lib/checks/secret-contract';
import { oauth2ByClientId, redirectUris, walk } from '../../lib/checks/rendered';
import type { ClusterConfigInput } from '../../lib/config/schema';
import { defaultInput, doc, file, renderInput } from '../support/helpers';

const withCli = (edit?: (c: ClusterConfigInput) => void): SynthResult => {
  const input = defaultInput();
  const argocd = input.services.find((s) => s.oidc?.consumer === 'argocd')!;
  argocd.oidc = { ...argocd.oidc!, cli: true };
  edit?.(input);
  return renderInput(input);
};
const cli = withCli();
const ui = renderInput(defaultInput());
const provider = (r: SynthResult): BlueprintEntry => oauth2ByClientId(r).get('argocd')!.provider;
const oidcConfig = (r: SynthResult): any => yaml.load(doc(r, 'values/argocd.yaml').configs.cm['oidc.config']);
const text = (r: SynthResult, p: string) => file(r, p).text;

describe('the Authentik provider', () => {
  test('is public, with the UI, old-UI PKCE and CLI callbacks, and no secret', () => {
    const p = provider(cli);
    expect(p.attrs!.client_type).toBe('public');
    expect(p.attrs).not.toHaveProperty('client_secret');
    expect(redirectUris(p)).toEqual([
      { matching_mode: 'strict', url: 'https://argocd.frank.derio.net/auth/callback' },
      { matching_mode: 'strict', url: 'https://argocd.frank.derio.net/pkce/verify' },
      { matching_mode: 'strict', url: ARGOCD_CLI_CALLBACK },
    ]);
    expect(ARGOCD_CLI_CALLBACK).toBe('http://localhost:8085/auth/callback');
    const envTags: unknown[] = [];
    walk(oauth2ByClientId(cli).get('argocd')!.bp.entries, (v) => v instanceof Env && envTags.push(v));
    expect(envTags).toEqual([]);
  });
  test('without cli it stays confidential with only the server callback', () => {
    const p = provider(ui);
    expect(p.attrs!.client_type).toBe('confidential');
    expect(p.attrs!.client_secret).toBeInstanceOf(Env);
    expect(redirectUris(p).map((u) => u.url)).toEqual(['https://argocd.frank.derio.net/auth/callback']);
  });
  test('the other providers keep their secrets', () => {
    expect(provider(cli).attrs!.client_type).toBe('public');
    expect(oauth2ByClientId(cli).get('grafana')!.provider.attrs!.client_secret).toBeInstanceOf(Env);
  });
});

describe('ArgoCD values', () => {
  test('oidc.config enables PKCE, has no clientSecret and no cliClientID, and keeps the scopes', () => {
    const o = oidcConfig(cli);
    expect(o.enablePKCEAuthentication).toBe(true);
    expect(o).not.toHaveProperty('clientSecret');
    expect(o).not.toHaveProperty('cliClientID');
    expect(o.clientID).toBe('argocd');
    expect(o.requestedScopes).toEqual(oidcConfig(ui).requestedScopes);
    expect(o.issuer).toBe(oidcConfig(ui).issuer);
  });
  test('without cli: the secret reference, no PKCE', () => {
    const o = oidcConfig(ui);
    expect(o.clientSecret).toBe('$argocd-oidc-secret:oidc.authentik.clientSecret');
    expect(o).not.toHaveProperty('enablePKCEAuthentication');
  });
});

describe('no secret to keep', () => {
  test('no worker env entry, no Secret in SECRETS.md, no rotation operation', () => {
    const env = (r: SynthResult) => (doc(r, 'values/authentik.yaml').worker.env as Array<{ name: string }>).map((e) => e.name);
    expect(env(ui)).toContain('UA_OIDC_ARGOCD_CLIENT_SECRET');
    expect(env(cli)).not.toContain('UA_OIDC_ARGOCD_CLIENT_SECRET');
    expect(env(cli)).toContain('UA_OIDC_GRAFANA_CLIENT_SECRET');
    expect(text(ui, 'docs/SECRETS.md')).toContain('argocd-oidc-secret');
    expect(text(cli, 'docs/SECRETS.md')).not.toMatch(/argocd-oidc-secret|argocd_client_secret/);
    expect(text(cli, 'docs/manual-operations.yaml')).not.toContain('rotate-argocd-client-secret');
    expect(text(cli, 'docs/manual-operations.yaml')).toContain('rotate-grafana-client-secret');
  });
  test('ACCESS.md tells people how to use argocd login --sso', () => {
    expect(text(cli, 'docs/ACCESS.md')).toContain('argocd login argocd.frank.derio.net --sso');
    expect(text(ui, 'docs/ACCESS.md')).toContain('is not offered');
  });
});

describe('cross-system checks', () => {
  test('every check passes with cli', () => {
    expect(() => runChecks(cli)).not.toThrow();
  });
  test('the CLI callback missing from redirect_uris is found', () => {
    const r = withCli();
    const p = provider(r);
    p.attrs!.redirect_uris = (p.attrs!.redirect_uris as any[]).filter((u) => u.url !== ARGOCD_CLI_CALLBACK);
    expect(checkCallbacks(r).join('\n')).toContain(`the ArgoCD CLI callback "${ARGOCD_CLI_CALLBACK}" is not among the redirect_uris`);
  });
  test('a confidential provider (or one with a secret) is found', () => {
    const r = withCli();
    provider(r).attrs!.client_type = 'confidential';
    provider(r).attrs!.client_secret = new Env('X');
    expect(checkCallbacks(r).join('\n')).toContain('"confidential" with a client_secret, but with oidc.cli it must be public');
  });
  test('oidc.config with a clientSecret or without PKCE is found', () => {
    const r = withCli();
    const values = doc(r, 'values/argocd.yaml');
    values.configs.cm['oidc.config'] = yaml.dump({ ...oidcConfig(r), enablePKCEAuthentication: undefined, clientSecret: '$s:k' });
    expect(checkIssuers(r).join('\n')).toContain('must set enablePKCEAuthentication: true and no clientSecret');
    const confidential = renderInput(defaultInput());
    const v = doc(confidential, 'values/argocd.yaml');
    v.configs.cm['oidc.config'] = yaml.dump({ ...oidcConfig(confidential), enablePKCEAuthentication: true });
    expect(checkIssuers(confidential).join('\n')).toContain('must reference the client secret and not enable PKCE');
  });
  test('the secret contract accepts a public client without a secret', () => {
    expect(checkSecretContract(cli)).toEqual([]);
  });
});

describe('casbin: a CLI session gets the same ArgoCD role as a UI session', () => {
  // Both logins run the authorization-code flow against the provider whose redirect_uris hold
  // their callback (the UI: /auth/callback, the CLI: its loopback). Authentik issues the token
  // under that application's issuer, with the groups claim when the profile scope is mapped.
  // argocd-server accepts it when iss is oidc.config's issuer and aud its clientID, then hands the
  // `groups` claim (rbac scopes) to casbin.
  const URL_UI = 'https://argocd.frank.derio.net/auth/callback';
  const signIn = (r: SynthResult, callback: string, userGroups: string[]) => {
    const hit = [...oauth2ByClientId(r).values()].find((h) => redirectUris(h.provider).some((u) => u.url === callback));
    if (!hit) return undefined;
    const mapped = (hit.provider.attrs!.property_mappings as Find[]).some((f) => f.query.some(([, v]) => v === SCOPE_MAPPINGS.profile));
    return {
      iss: `${r.model.authentik.url}/application/o/${hit.slug}/`,
      aud: hit.provider.identifiers.client_id,
      groups: mapped ? userGroups : [],
    };
  };
  const accepted = (r: SynthResult, t: ReturnType<typeof signIn>) => {
    const o = oidcConfig(r);
    return !!t && t.iss === o.issuer && t.aud === o.clientID;
  };
  /** What ArgoCD lets this session do: nothing when the token is rejected, else casbin's answer. */
  const can = async (r: SynthResult, t: ReturnType<typeof signIn>, act: string) => {
    if (!accepted(r, t)) return 'rejected';
    const rbac = doc(r, 'values/argocd.yaml').configs.rbac;
    expect(rbac.scopes).toBe('[groups]');
    const e = await argocdEnforcer(rbac['policy.csv']);
    return argocdCanDo(e, rbac['policy.default'], t!.groups, 'applications', act, 'infrastructure/authentik');
  };

  test('both sessions carry the issuer and audience argocd-server trusts, and the groups claim', () => {
    const web = signIn(cli, URL_UI, ['root-devops']);
    const term = signIn(cli, ARGOCD_CLI_CALLBACK, ['root-devops']);
    expect(term).toEqual(web);
    expect(term!.groups).toEqual(['root-devops']);
    expect(accepted(cli, term)).toBe(true);
    // Without cli no provider takes the CLI's callback: the CLI cannot sign in at all.
    expect(signIn(ui, ARGOCD_CLI_CALLBACK, ['root-devops'])).toBeUndefined();
  });

  test.each(['root-admins', 'root-devops', 'root-developers', 'root-agents', 'not-a-group'])(
    '%s: CLI role = UI role = the configured role',
    async (group) => {
      const rbac = doc(cli, 'values/argocd.yaml').configs.rbac;
      const role = cli.model.groups.find((g) => g.name === group)?.argocdRole ?? rbac['policy.default'];
      for (const act of ['get', 'sync', 'delete']) {
        const web = await can(cli, signIn(cli, URL_UI, [group]), act);
        const term = await can(cli, signIn(cli, ARGOCD_CLI_CALLBACK, [group]), act);
        expect(term).toBe(web);
        expect(web).toBe(act === 'get' || role === 'role:admin');
      }
      // The UI's rights are what they were with the confidential client.
      expect(await can(ui, signIn(ui, URL_UI, [group]), 'sync')).toBe(await can(cli, signIn(cli, URL_UI, [group]), 'sync'));
    },
  );

  test('a CLI token from another issuer is rejected (why a separate CLI client cannot work)', async () => {
    const term = signIn(cli, ARGOCD_CLI_CALLBACK, ['root-admins'])!;
    expect(await can(cli, { ...term, iss: `${cli.model.authentik.url}/application/o/argocd-cli/` }, 'get')).toBe('rejected');
  });
});

describe('config', () => {
  test('cli on a non-ArgoCD consumer stays refused', () => {
    expect(() =>
      withCli((c) => {
        c.services.find((s) => s.oidc?.consumer === 'grafana')!.oidc!.cli = true;
      }),
    ).toThrow(/only the ArgoCD consumer has a CLI callback/);
  });
});
