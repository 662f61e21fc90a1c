// `npm run plan`: what a change does, read from two output trees.
import yaml from 'js-yaml';
import { plan } from '../../lib/plan';
import { formatPlan } from '../../lib/plan/format';
import { planMain } from '../../lib/plan/cli';
import { readTree } from '../../lib/readback/tree';
import path from 'node:path';
import fs from 'node:fs';
import { synth, tmpDir } from '../support/lifecycle';
import { ROOT, defaultInput, renderInput } from '../support/helpers';

type Input = ReturnType<typeof defaultInput>;
const treeOf = (mutate: (c: Input) => void = () => {}) => {
  const input = defaultInput();
  mutate(input);
  return new Map(renderInput(input).files.map((f) => [f.path, f.text]));
};
const base = treeOf();

test('no change, no plan', () => {
  const p = plan(base, treeOf());
  expect(formatPlan(p, 'text', 'plan')).toBe('plan: no changes\n');
  expect(formatPlan(p, 'markdown', 'plan')).toBe('### plan\n\nNo changes.\n');
});

test('a narrowed group: the access sentence, the policy update, one blueprint re-applied', () => {
  const p = plan(
    base,
    treeOf((c) => (c.services[4].allowedGroups = ['root-admins', 'root-developers'])),
  );
  expect(p.access).toEqual(['root-devops loses hubble (Hubble)']);
  expect(p.authentik.updated).toEqual([
    {
      model: 'authentik_policies_expression.expressionpolicy',
      identity: 'name=unified-auth access hubble',
      attributes: ['expression'],
      blueprint: 'proxy-providers.yaml',
    },
  ]);
  expect(p.authentik.created).toEqual([]);
  expect(p.authentik.deleted).toEqual([]);
  expect(p.authentik.reapplied).toEqual(['proxy-providers.yaml']);
  expect(p.kubernetes.changed.map((o) => `${o.kind} ${o.name}`)).toEqual(['ConfigMap authentik-blueprint-proxy-providers']);
  expect(p.files.changed).toEqual(['docs/ACCESS.md']);
});

test('widened and opened: gains and "becomes open" in plain words', () => {
  const p = plan(
    base,
    treeOf((c) => {
      c.services[3].allowedGroups = ['root-admins', 'root-devops', 'root-developers'];
      c.services[5].allowedGroups = 'any';
    }),
  );
  expect(p.access).toEqual(['root-developers gains longhorn (Longhorn)', 'sympozium (Sympozium) becomes open to any authenticated user']);
});

test("a group's Kubernetes role changes: the access section says which ClusterRole it gets and loses", () => {
  const p = plan(
    base,
    treeOf((c) => (c.groups[2].kubernetes = 'edit')),
  );
  expect(p.access).toEqual(['root-developers gets Kubernetes ClusterRole edit', 'root-developers loses Kubernetes ClusterRole view']);
  expect(p.kubernetes.added.map((o) => `${o.kind} ${o.name}`)).toEqual(['ClusterRoleBinding authentik-root-developers.edit']);
  expect(p.kubernetes.removed.map((o) => `${o.kind} ${o.name}`)).toEqual(['ClusterRoleBinding authentik-root-developers.view']);
});

test('a retired service: its objects deleted (the binding with its application), access removed, its ConfigMap pruned', () => {
  const p = plan(
    base,
    treeOf((c) => (c.services[2].retired = true)),
  );
  expect(p.access).toEqual(['infisical (Infisical) is removed: nobody can open it']);
  expect(p.authentik.deleted.map((d) => `${d.model} ${d.identity}${d.cascade ? ' (cascade)' : ''}`)).toEqual([
    'authentik_core.application slug=infisical',
    'authentik_providers_oauth2.oauth2provider client_id=infisical',
    'authentik_policies_expression.expressionpolicy name=unified-auth access infisical',
    'authentik_policies.policybinding policy=expressionpolicy(name=unified-auth access infisical), target=application(slug=infisical) (cascade)',
  ]);
  expect(p.authentik.abandoned).toEqual([]);
  expect(p.kubernetes.added.map((o) => o.name)).toEqual(['authentik-blueprint-retired']);
  expect(p.kubernetes.removed.map((o) => o.name)).toEqual(['authentik-blueprint-oidc-providers-5']);
  expect(p.files.changed).toEqual(expect.arrayContaining(['docs/ACCESS.md', 'docs/SECRETS.md', 'values/authentik.yaml']));
});

test('a rotated secret: the marker, the one blueprint that re-reads it, nothing else in Authentik', () => {
  const p = plan(
    base,
    treeOf((c) => (c.services[0].oidc!.clientSecretRotation = '2026-11-30')),
  );
  expect(p.authentik.rotated).toEqual([
    { label: 'argocd_client_secret', to: '2026-11-30', blueprint: 'oidc-providers-15.yaml', env: ['UA_OIDC_ARGOCD_CLIENT_SECRET'] },
  ]);
  expect(p.authentik.reapplied).toEqual(['oidc-providers-15.yaml']);
  expect([...p.authentik.created, ...p.authentik.updated, ...p.authentik.deleted]).toEqual([]);
  expect(p.access).toEqual([]);
  const md = formatPlan(p, 'markdown', 'plan');
  expect(md).toContain('#### Secrets rotated');
  expect(md).toContain(
    '- `~` argocd_client_secret: marker (none) -> 2026-11-30; oidc-providers-15.yaml re-applies and reads UA_OIDC_ARGOCD_CLIENT_SECRET again',
  );
});

test('blueprints are read from any number of ConfigMaps: moving one into another ConfigMap changes no Authentik object', () => {
  // Two blueprints packed into one ConfigMap under other keys, as a size-sharded output might do.
  const sharded = new Map(base);
  const take = (file: string) => {
    const cm = yaml.load(sharded.get(file)!) as { data: Record<string, string> };
    sharded.delete(file);
    return cm.data;
  };
  const data = {
    ...take('authentik-extras/configmap-authentik-blueprint-oidc-providers-11.yaml'),
    ...take('authentik-extras/configmap-authentik-blueprint-oidc-providers-5.yaml'),
  };
  const shard = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'authentik-blueprints-1', namespace: 'authentik', labels: { 'app.kubernetes.io/component': 'blueprint' } },
    data,
  };
  sharded.set('authentik-extras/configmap-authentik-blueprints-1.yaml', yaml.dump(shard));
  const p = plan(base, sharded);
  expect(p.access).toEqual([]);
  expect([...p.authentik.created, ...p.authentik.updated, ...p.authentik.deleted, ...p.authentik.abandoned]).toEqual([]);
  expect(p.authentik.moved).toEqual([
    {
      blueprint: 'unified-auth-oidc-providers-11',
      from: 'authentik-blueprint-oidc-providers-11/oidc-providers-11.yaml',
      to: 'authentik-blueprints-1/oidc-providers-11.yaml',
    },
    {
      blueprint: 'unified-auth-oidc-providers-5',
      from: 'authentik-blueprint-oidc-providers-5/oidc-providers-5.yaml',
      to: 'authentik-blueprints-1/oidc-providers-5.yaml',
    },
  ]);
  expect(p.kubernetes.added.map((o) => o.name)).toEqual(['authentik-blueprints-1']);
  expect(p.kubernetes.removed.map((o) => o.name).sort()).toEqual([
    'authentik-blueprint-oidc-providers-11',
    'authentik-blueprint-oidc-providers-5',
  ]);
});

test('the upgrade from group bindings: old bindings deleted, access unchanged except what the config changed', () => {
  const legacy = readTree(path.join(ROOT, 'test/fixtures/legacy-output/base'));
  const out = tmpDir('plan-upgrade');
  expect(synth(defaultInput(), out, ['--baseline', path.join(ROOT, 'test/fixtures/legacy-output/base')])).toEqual([]);
  const p = plan(legacy, readTree(out));
  // (The fixture holds only the blueprint ConfigMaps, so every ClusterRoleBinding counts as new.)
  expect(p.access.filter((l) => !l.includes('ClusterRole'))).toEqual([
    'kubernetes (Kubernetes) is new: open to root-admins, root-devops, root-developers',
    'sympozium (Sympozium) is no longer open to every authenticated user: only root-admins, root-devops',
  ]);
  // Each old group binding is taken over by its application's access policy, which admits the same group.
  expect(p.authentik.deleted).toEqual([]);
  expect(p.authentik.replaced.map((d) => d.model)).toEqual(Array(6).fill('authentik_policies.policybinding'));
  expect(p.authentik.abandoned).toEqual([]);
});

describe('the CLI', () => {
  const run = (argv: string[]) => {
    const out: string[] = [];
    const errs: string[] = [];
    const w = jest.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    const e = jest.spyOn(console, 'error').mockImplementation((l: string) => void errs.push(l));
    const l = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    try {
      return { code: planMain(argv), out: out.join(''), errs };
    } finally {
      w.mockRestore();
      e.mockRestore();
      l.mockRestore();
    }
  };

  test('against the committed dist/: the default config has no changes', () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      expect(run([])).toEqual({ code: 0, out: 'unified-auth plan: dist -> config/frank.ts: no changes\n', errs: [] });
    } finally {
      process.chdir(cwd);
    }
  });

  test('--config and --baseline, markdown for a pull request; bad input is one line and exit 1', () => {
    const dir = tmpDir('plan-cli');
    const input = defaultInput();
    input.services[4].allowedGroups = ['root-admins'];
    fs.writeFileSync(path.join(dir, 'pr.json'), JSON.stringify(input));
    const r = run(['--config', path.join(dir, 'pr.json'), '--baseline', path.join(ROOT, 'dist'), '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^### unified-auth plan: /);
    expect(r.out).toContain('#### Access\n\n- root-devops loses hubble (Hubble)\n- root-developers loses hubble (Hubble)\n');
    expect(run(['--format', 'html'])).toMatchObject({ code: 1, errs: ['usage error: --format html: expected text or markdown'] });
    delete input.services[4].allowedGroups;
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(input));
    const bad = run(['--config', path.join(dir, 'bad.json'), '--baseline', path.join(ROOT, 'dist')]);
    expect(bad.code).toBe(1);
    expect(bad.errs).toEqual([expect.stringMatching(/^config error: (?:\S+:\d+:\d+: )?services\[4\]\.allowedGroups: is required/)]);
  });
});
