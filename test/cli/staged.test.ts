// `npm run check -- --staged` (docs/review-workflow.md#pre-commit) checks what is being committed: the
// staged config synthesized and compared with the staged dist/, not the working tree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { ROOT } from '../support/helpers';

let repo: string;
let stderr: string[];
let stdout: string[];
const cwd0 = process.cwd();
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, stdio: 'pipe' }).toString();
const FRANK = 'config/frank.ts';
/** Edit the working-tree config: rename the Grafana service (changes blueprints and docs). */
const renameGrafana = (to: string) => {
  const f = path.join(repo, FRANK);
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/name: 'Grafana'/, `name: '${to}'`));
};

const capture = () => {
  stderr = [];
  stdout = [];
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
};
const newDir = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-staged-')));

// Each test starts from a copy of one repository, made once: the default config synthesized and
// committed (a copy of the directory, .git included, is the same repository).
let committed: string;
beforeAll(() => {
  repo = committed = newDir();
  fs.mkdirSync(path.join(repo, 'config'));
  fs.copyFileSync(path.join(ROOT, FRANK), path.join(repo, FRANK));
  expect(fs.readFileSync(path.join(repo, FRANK), 'utf8')).toContain("name: 'Grafana'");
  git('init', '-q', '-b', 'main');
  capture();
  process.chdir(repo);
  try {
    expect(main(['--out', 'dist'])).toBe(0);
  } finally {
    process.chdir(cwd0);
    jest.restoreAllMocks();
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
});
afterAll(() => fs.rmSync(committed, { recursive: true, force: true }));

beforeEach(() => {
  repo = newDir();
  fs.cpSync(committed, repo, { recursive: true });
  expect(git('status', '--porcelain')).toBe('');
  capture();
  process.chdir(repo);
});
afterEach(() => {
  process.chdir(cwd0);
  jest.restoreAllMocks();
  fs.rmSync(repo, { recursive: true, force: true });
});

test('a clean index passes', () => {
  expect(main(['--check', '--staged'])).toBe(0);
  expect(stdout).toEqual([expect.stringMatching(/^check: \d+ files in staged dist\/ match a fresh synth; all checks pass$/)]);
});

test('config staged without its dist/ (git commit config/frank.ts after npm run synth) fails', () => {
  renameGrafana('Grafana Dashboards');
  expect(main(['--out', 'dist'])).toBe(0);
  git('add', FRANK);
  // The working tree is consistent, so the old hook (npm run check) passed here.
  expect(main(['--check'])).toBe(0);
  stderr = [];
  expect(main(['--check', '--staged'])).toBe(1);
  expect(stderr.length).toBeGreaterThan(1);
  expect(stderr).toContain('drift: dist/authentik-extras/configmap-authentik-blueprint-oidc-providers-11.yaml differs from a fresh synth');
  expect(stderr[stderr.length - 1]).toMatch(/^check: \d+ file\(s\) out of date; run npm run synth and git add dist\/$/);
  // The state records the provider's name (the identity guard): it is staged with dist/.
  expect(stderr).toContain('drift: config/frank.state.json differs from a fresh synth; run npm run synth and git add it');
  git('add', 'dist', 'config/frank.state.json');
  stderr = [];
  expect(main(['--check', '--staged'])).toBe(0);
});

test('unstaged edits to the config or dist/ do not count', () => {
  git('add', '-A');
  renameGrafana('Not Yet');
  fs.appendFileSync(path.join(repo, 'dist/values/argocd.yaml'), '# scratch\n');
  expect(main(['--check', '--staged'])).toBe(0);
  expect(main(['--check'])).toBe(1);
});

test('a staged YAML config is read from the index too', () => {
  const yamlConfig = path.join(ROOT, 'test/fixtures/other-cluster.yaml');
  fs.copyFileSync(yamlConfig, path.join(repo, 'lab.yaml'));
  // Written where its git.path says (clusters/lab/dist): the Applications point there.
  expect(main(['--config', 'lab.yaml', '--out', 'clusters/lab/dist'])).toBe(0);
  git('add', 'lab.yaml', 'clusters');
  fs.writeFileSync(path.join(repo, 'lab.yaml'), 'not: [valid');
  expect(main(['--check', '--staged', '--config', 'lab.yaml', '--out', 'clusters/lab/dist'])).toBe(0);
});

test('a config that is not staged at all: one line', () => {
  expect(main(['--check', '--staged', '--config', 'nope.yaml'])).toBe(1);
  expect(stderr).toEqual(['git error: nope.yaml is not in the git index (git add it first)']);
});

test('--staged without --check is a usage error', () => {
  expect(main(['--staged'])).toBe(1);
  expect(stderr).toEqual(['usage error: --staged only works with --check (npm run check -- --staged)']);
});

test('a committed merge conflict in a blueprint: the staged state is the baseline, so the blueprint is named as drift and the check fails', () => {
  const file = 'dist/authentik-extras/configmap-authentik-blueprint-groups.yaml';
  fs.writeFileSync(path.join(repo, file), `<<<<<<< HEAD\n${fs.readFileSync(path.join(repo, file), 'utf8')}=======\n>>>>>>> other\n`);
  git('commit', '-q', '-am', 'a conflict committed by mistake');
  expect(main(['--check', '--staged'])).toBe(1);
  expect(stderr[0]).toBe(`drift: ${file} differs from a fresh synth`);
});

test('a merge conflict in the staged state file: one line naming it, the check fails (read completely, never empty)', () => {
  const file = 'config/frank.state.json';
  fs.writeFileSync(path.join(repo, file), `<<<<<<< HEAD\n${fs.readFileSync(path.join(repo, file), 'utf8')}=======\n>>>>>>> other\n`);
  git('add', file);
  expect(main(['--check', '--staged'])).toBe(1);
  expect(stderr).toEqual([
    `baseline error: ${file} line 1: a merge conflict marker; take one side whole (git checkout --ours/--theirs ${file}) and run synth`,
  ]);
});

describe('the unified-auth.json pointer is read from the index like the config and state (lib/config/pointer.ts)', () => {
  const POINTER = 'unified-auth.json';
  /** The lab cluster synthesized into clusters/lab/dist and staged; the pointer naming it written, staged when `stage`. */
  const pointToLab = (stage: boolean) => {
    fs.copyFileSync(path.join(ROOT, 'test/fixtures/other-cluster.yaml'), path.join(repo, 'lab.yaml'));
    expect(main(['--config', 'lab.yaml', '--out', 'clusters/lab/dist'])).toBe(0);
    git('add', 'lab.yaml', 'lab.state.json', 'clusters');
    fs.writeFileSync(path.join(repo, POINTER), `${JSON.stringify({ config: 'lab.yaml', out: 'clusters/lab/dist' })}\n`);
    if (stage) git('add', POINTER);
    // The default cluster's config staged without its output: checking it fails.
    renameGrafana('Grafana Dashboards');
    git('add', FRANK);
    stdout = [];
    stderr = [];
  };

  test('a staged pointer picks the config and output the commit holds, not the working tree pointer', () => {
    pointToLab(true);
    fs.rmSync(path.join(repo, POINTER));
    expect(main(['--check', '--staged'])).toBe(0);
    expect(stdout).toEqual([
      expect.stringMatching(/^check: \d+ files in staged clusters\/lab\/dist\/ match a fresh synth; all checks pass$/),
    ]);
    // The working tree has no pointer: the default cluster, whose output is stale.
    expect(main(['--check'])).toBe(1);
  });

  test('a pointer only in the working tree is not what the commit holds: the default cluster is checked', () => {
    pointToLab(false);
    expect(main(['--check', '--staged'])).toBe(1);
    expect(stderr).toContain(
      'drift: dist/authentik-extras/configmap-authentik-blueprint-oidc-providers-11.yaml differs from a fresh synth',
    );
  });

  test('a broken staged pointer is one line, even when the working tree one is fine', () => {
    pointToLab(true);
    fs.writeFileSync(path.join(repo, POINTER), '{"config": ');
    git('add', POINTER);
    fs.writeFileSync(path.join(repo, POINTER), `${JSON.stringify({ config: 'lab.yaml', out: 'clusters/lab/dist' })}\n`);
    expect(main(['--check', '--staged'])).toBe(1);
    expect(stderr).toEqual([expect.stringMatching(/^config error: unified-auth\.json: not valid JSON: /)]);
  });
});
