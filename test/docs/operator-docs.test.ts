// The operator's side of the output (dist/docs/manual-operations.yaml): what a `generic` OIDC
// consumer must be told, and the root Application that nothing in the output can create. The
// values are read back from the rendered blueprints and Applications, so the doc cannot drift
// from what Authentik and ArgoCD will actually serve.
import path from 'node:path';
import { authentikIssuer } from '../../lib/upstream/conventions';
import { OUTPUT } from '../../lib/base/paths';
import type { SynthResult } from '../../lib/output/render';
import { ROOT, defaultInput, file, loadYamlFile, renderInput } from '../support/helpers';

type Op = { id: string; layer: unknown; app: string; commands: string[]; verify: string[] };
const opsOf = (r: SynthResult) => file(r, OUTPUT.manualOperations).docs![0] as Op[];
const other = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/other-cluster.yaml')));

/** The value after `label: ` in one of the entry's commands. */
const field = (op: Op, label: string) => op.commands.find((c) => c.startsWith(`${label}: `))?.slice(label.length + 2);

describe('a generic OIDC consumer', () => {
  const op = opsOf(other).find((o) => o.id === 'configure-wiki-oidc')!;
  const provider = other.blueprints
    .flatMap((b) => b.entries)
    .find((e) => e.model === 'authentik_providers_oauth2.oauth2provider' && e.identifiers.client_id === field(op, 'client id'));

  test('gets one entry, and it names a client id the blueprint creates', () => {
    expect(op).toBeDefined();
    expect(provider).toBeDefined();
  });

  // Authentik serves a provider's issuer under its application's slug
  // (authentik/providers/oauth2/models.py, OAuth2Provider.get_issuer, per-provider issuer mode),
  // and the discovery document under that issuer (authentik/providers/oauth2/urls.py, the
  // `.well-known/openid-configuration` route): docs/field-traps.md#issuer-trailing-slash.
  test('issuer and discovery URL are those of the application the blueprint creates', () => {
    const app = other.blueprints
      .flatMap((b) => b.entries)
      .find((e) => e.model === 'authentik_core.application' && e.identifiers.slug === 'wiki');
    expect(app).toBeDefined();
    const issuer = authentikIssuer('https://sso.lab.example.org', app!.identifiers.slug as string);
    expect(field(op, 'issuer')).toBe(issuer);
    expect(field(op, 'discovery URL')).toBe(`${issuer}.well-known/openid-configuration`);
  });

  test('the callback is a redirect URI registered on the provider, and the scopes are its mappings', () => {
    const uris = (provider!.attrs!.redirect_uris as { url: string }[]).map((u) => u.url);
    expect(uris).toContain(field(op, 'callback (redirect URI registered in Authentik)'));
    const mappings = JSON.stringify(provider!.attrs!.property_mappings);
    for (const scope of field(op, 'scopes')!.split(' ')) expect(mappings).toContain(`scope-${scope}`);
  });

  test('the client secret is read from the Secret SECRETS.md tells the operator to create', () => {
    const m = /kubectl -n (\S+) get secret (\S+) -o jsonpath='\{\.data\.([^}]+)\}'/.exec(field(op, 'client secret')!);
    expect(m).not.toBeNull();
    const secrets = file(other, OUTPUT.secretsDoc).text;
    expect(secrets).toContain(m![2]);
    expect(secrets).toContain(m![3]);
  });
});

describe('the root Application', () => {
  const r = renderInput(defaultInput());
  const op = opsOf(r).find((o) => o.id === 'bootstrap-root-application')!;

  test('is a pending manual step pointing ArgoCD at the directory that holds the Applications', () => {
    expect(op).toBeDefined();
    const cmd = op.commands[0];
    const appsDir = /--path (\S+)/.exec(cmd)![1];
    // The Applications are written to <out>/apps and the repository holds <out> at git.path.
    expect(appsDir).toBe(`${r.model.git.path}/${OUTPUT.appsDir}`);
    expect(r.files.some((f) => f.path.startsWith(`${OUTPUT.appsDir}/`) && f.path.endsWith('.yaml'))).toBe(true);
    expect(cmd).toContain(`--repo ${r.model.git.repoURL} --revision ${r.model.git.targetRevision}`);
    expect(cmd).toContain(`--project ${r.model.argocd.project}`);
  });

  test('comes after every Secret it needs and before the per-service steps', () => {
    const ids = opsOf(r).map((o) => o.id);
    const at = ids.indexOf('bootstrap-root-application');
    expect(ids.slice(0, at).every((id) => id.startsWith('create-secret-'))).toBe(true);
    expect(ids.slice(at + 1).some((id) => id.startsWith('create-secret-'))).toBe(false);
  });
});

test('runbook labels name the layer, not a number that only means something on one cluster', () => {
  for (const r of [renderInput(defaultInput()), other]) for (const op of opsOf(r)) expect(op.layer).toBe('unified-auth');
});
