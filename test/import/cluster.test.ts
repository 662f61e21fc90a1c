// What import reads about the cluster (lib/import/cluster.ts, draft.ts, read.ts), on fixtures of our own:
// the chart version (never guessed), values-file paths without a git checkout, PostgreSQL sharing
// Authentik's Secret, and the embedded outpost found by its default name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { importLayer } from '../../lib/import/cli';
import { writeLayer } from '../support/helpers';
import { parseConfig } from '../../lib/rules/validate';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-cluster-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const layer = (name: string, files: Record<string, string>): string => writeLayer(tmp, name, files);

const GROUPS = 'version: 1\nmetadata: {name: lab-groups}\nentries:\n  - model: authentik_core.group\n    identifiers: {name: lab}\n';
const app = (valueFile: string) =>
  yaml.dump({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'authentik', namespace: 'argocd' },
    spec: {
      project: 'default',
      sources: [
        { repoURL: 'https://charts.goauthentik.io', chart: 'authentik', targetRevision: '2026.5.0', helm: { valueFiles: [valueFile] } },
        { repoURL: 'https://git.example.org/lab.git', targetRevision: 'main', ref: 'values' },
      ],
    },
  });
const AUTHENTIK_VALUES = (pgSecret: string) =>
  yaml.dump({
    global: {
      env: [
        { name: 'AUTHENTIK_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'authentik-secrets', key: 'secret-key' } } },
        { name: 'AUTHENTIK_POSTGRESQL__PASSWORD', valueFrom: { secretKeyRef: { name: pgSecret, key: 'pg-password' } } },
      ],
    },
  });

describe('the authentik chart version is read, or asked for, never guessed', () => {
  const dir = layer('no-version', { 'groups.yaml': GROUPS });

  test('no Application and no helmCharts entry: --authentik-version is required', () => {
    expect(() => importLayer([dir], path.join(tmp, 'a.yaml'))).toThrow(
      /^no authentik chart version in the layer .*: give the running one with --authentik-version <x\.y\.z>$/,
    );
  });

  test('given with --authentik-version', () => {
    const { draft } = importLayer([dir], path.join(tmp, 'a.yaml'), { authentikVersion: '2026.8.0' });
    expect((draft.config.authentik as any).chart.version).toBe('2026.8.0');
  });

  test('from a kustomize helmCharts entry (a kustomization without apiVersion)', () => {
    const d = layer('helmcharts', {
      'groups.yaml': GROUPS,
      'kustomization.yaml':
        'kind: Kustomization\nhelmCharts:\n  - name: authentik\n    repo: https://charts.goauthentik.io\n    version: 2026.5.0\n',
    });
    expect((importLayer([d], path.join(tmp, 'h.yaml')).draft.config.authentik as any).chart.version).toBe('2026.5.0');
    expect(() => importLayer([d], path.join(tmp, 'h.yaml'), { authentikVersion: '2026.8.0' })).toThrow(
      /^--authentik-version 2026\.8\.0: .*kustomization\.yaml runs chart 2026\.5\.0/,
    );
  });
});

test('values files get their repository path from the $values/ reference of an Application, without a git checkout', () => {
  const root = layer('repo-copy', {
    'clusters/lab/authentik/groups.yaml': GROUPS,
    'clusters/lab/authentik/values.yaml': AUTHENTIK_VALUES('authentik-postgresql'),
    'clusters/lab/apps/authentik.yaml': app('$values/lab/authentik/values.yaml'),
  });
  const { draft } = importLayer(
    [path.join(root, 'clusters/lab/authentik'), path.join(root, 'clusters/lab/apps')],
    path.join(tmp, 'v.yaml'),
  );
  expect(fs.existsSync(path.join(root, '.git'))).toBe(false);
  expect((draft.config.authentik as any).valueFiles).toEqual(['lab/authentik/values.yaml']);
});

test("PostgreSQL reading Authentik's own Secret: kept with the acknowledgement, a line with the risk, and the draft validates", () => {
  const dir = layer('shared-pg', { 'groups.yaml': GROUPS, 'values.yaml': AUTHENTIK_VALUES('authentik-secrets') });
  const r = importLayer([dir], path.join(tmp, 's.yaml'), { authentikVersion: '2026.2.3' });
  expect((r.draft.config.authentik as any).postgresqlSecret).toEqual({
    name: 'authentik-secrets',
    key: 'pg-password',
    sharesAuthentikSecret: true,
  });
  expect(r.draft.notes).toContainEqual(
    expect.stringMatching(/PostgreSQL reads its password from Authentik's own Secret authentik-secrets: kept .*the way out/),
  );
  expect(r.problems.filter((p) => p.includes('postgresqlSecret'))).toEqual([]);
  // Without the acknowledgement the validator still refuses the sharing.
  const config = yaml.load(r.text) as any;
  delete config.authentik.postgresqlSecret.sharesAuthentikSecret;
  expect(() => parseConfig(config)).toThrow(/authentik\.postgresqlSecret\.name: "authentik-secrets" is Authentik's own Secret/);
});

test('the embedded outpost named by its default name is the embedded outpost, not another one (outposts/apps.py embedded_outpost)', () => {
  const dir = layer('outpost', {
    'groups.yaml': GROUPS,
    'outpost.yaml':
      'version: 1\nmetadata: {name: lab-outpost}\nentries:\n  - model: authentik_outposts.outpost\n    identifiers: {name: authentik Embedded Outpost}\n    attrs: {config: {authentik_host: "https://auth.lab.example.org"}}\n',
  });
  const { draft } = importLayer([dir], path.join(tmp, 'o.yaml'), { authentikVersion: '2026.2.3' });
  expect(draft.notes.filter((n) => /an outpost other than the embedded one/.test(n))).toEqual([]);
  expect(draft.notes).toContainEqual(expect.stringMatching(/lists no providers .*manageProviders: false/));
});

test('no values file in the layer: the draft still validates (noValueFiles: true), with a line saying what that risks', () => {
  const r = importLayer([layer('no-values', { 'groups.yaml': GROUPS })], path.join(tmp, 'n.yaml'), { authentikVersion: '2026.8.0' });
  expect(r.problems).toEqual([]);
  expect((r.draft.config.authentik as any).noValueFiles).toBe(true);
  expect(r.draft.notes).toContainEqual(
    expect.stringMatching(/^no Authentik values file in the layer: .*list them in authentik\.valueFiles first$/),
  );
});
