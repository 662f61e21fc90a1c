// `npm run init` and the first synth after it, in a temporary repository (a directory with a .git
// entry): the repository's own config and dist/ are never touched. Bad input is one line, exit 1,
// and the directory exactly as it was.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { initMain } from '../../lib/init/cli';
import { main } from '../../main';
import { loadConfigFile } from '../../lib/config/load';
import { parseConfig } from '../../lib/rules/validate';
import { POINTER_FILE } from '../../lib/config/pointer';
import { ROOT, snapshotTree } from '../support/helpers';

let repo: string;
let stdout: string[];
let stderr: string[];
const cwd0 = process.cwd();

beforeEach(() => {
  repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-init-')));
  fs.mkdirSync(path.join(repo, '.git'));
  stdout = [];
  stderr = [];
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  process.chdir(repo);
});
afterEach(() => {
  process.chdir(cwd0);
  jest.restoreAllMocks();
  fs.rmSync(repo, { recursive: true, force: true });
});

const init = (...argv: string[]) => initMain([...argv, '--repo', 'https://git.example.org/ops/lab.git'], { cwd: repo });
const schema = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/config.schema.json'), 'utf8')) as object;

describe('init writes a config that validates and a pointer to it', () => {
  test('yaml (default): the schema line resolves to the committed schema, which the config satisfies', async () => {
    expect(await init('--domain', 'example.org', '--name', 'lab')).toBe(0);
    const text = fs.readFileSync(path.join(repo, 'clusters/lab.yaml'), 'utf8');
    const ref = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)![1];
    // The tool's files are at the working directory (npm runs scripts at the repository root).
    expect(path.resolve(repo, 'clusters', ref)).toBe(path.join(repo, 'schema/config.schema.json'));
    const validate = new Ajv({ allErrors: true }).compile(schema());
    expect(validate(yaml.load(text))).toBe(true);
    const config = parseConfig(loadConfigFile(path.join(repo, 'clusters/lab.yaml')));
    expect(config.cluster).toEqual({ name: 'lab', domain: 'example.org' });
    expect(config.authentik.url).toBe('https://auth.example.org');
    expect(JSON.parse(fs.readFileSync(path.join(repo, POINTER_FILE), 'utf8'))).toEqual({
      config: 'clusters/lab.yaml',
      out: 'clusters/lab/dist',
    });
  });

  test('ts: imports the exported type and evaluates to the same config as the yaml one', async () => {
    expect(await init('--domain', 'example.org', '--name', 'lab', '--format', 'ts')).toBe(0);
    const text = fs.readFileSync(path.join(repo, 'clusters/lab.ts'), 'utf8');
    expect(text).toContain("import type { ClusterConfigInput } from '../lib/config/schema';");
    const fromTs = parseConfig(loadConfigFile(path.join(repo, 'clusters/lab.ts')));
    fs.rmSync(path.join(repo, POINTER_FILE));
    expect(await init('--domain', 'example.org', '--name', 'lab')).toBe(0);
    expect(fromTs).toEqual(parseConfig(loadConfigFile(path.join(repo, 'clusters/lab.yaml'))));
    // Both say what to review, the same number of times.
    const reviews = (t: string) => t.match(/REVIEW/g)!.length;
    expect(reviews(text)).toBe(reviews(fs.readFileSync(path.join(repo, 'clusters/lab.yaml'), 'utf8')));
  });

  test("the name defaults to the domain's first label", async () => {
    expect(await init('--domain', 'home.example.net')).toBe(0);
    expect(fs.existsSync(path.join(repo, 'clusters/home.yaml'))).toBe(true);
  });

  test('interactive: asks for the domain, name and format when a terminal is attached', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    input.end('example.org\nhome\n\n');
    expect(await initMain(['--repo', 'https://git.example.org/ops/lab.git'], { cwd: repo, prompt: { input, output } })).toBe(0);
    expect(fs.existsSync(path.join(repo, 'clusters/home.yaml'))).toBe(true);
  });
});

describe('the first synth after init passes with no extra flag', () => {
  test('writes clusters/<name>/dist, points the Applications there, and check agrees', async () => {
    expect(await init('--domain', 'example.org', '--name', 'lab')).toBe(0);
    expect(main([])).toBe(0);
    expect(stdout.at(-1)).toMatch(/^synth: wrote \d+ files to clusters\/lab\/dist\/$/);
    const app = yaml.load(fs.readFileSync(path.join(repo, 'clusters/lab/dist/apps/application-authentik-extras.yaml'), 'utf8')) as {
      spec: { source: { path: string } };
    };
    expect(app.spec.source.path).toBe('clusters/lab/dist/authentik-extras');
    expect(fs.existsSync(path.join(repo, 'clusters/lab/dist', app.spec.source.path.slice('clusters/lab/dist/'.length)))).toBe(true);
    const docs = fs.readFileSync(path.join(repo, 'clusters/lab/dist/docs/manual-operations.yaml'), 'utf8');
    expect(docs).toContain('--path clusters/lab/dist/apps');
    expect(docs).not.toMatch(/(^|[\s(])dist\//m);
    // Every file names the real paths: no dist/ of another place (the example cluster's) anywhere.
    const out = path.join(repo, 'clusters/lab/dist');
    for (const f of fs.readdirSync(out, { recursive: true, encoding: 'utf8' })) {
      if (fs.statSync(path.join(out, f)).isDirectory()) continue;
      expect([f, fs.readFileSync(path.join(out, f), 'utf8').replaceAll('clusters/lab/dist/', '')]).not.toEqual([
        f,
        expect.stringContaining('dist/'),
      ]);
    }
    expect(main(['--check'])).toBe(0);
    expect(stderr).toEqual([]);
  });
});

describe('bad input: one line, exit 1, nothing written', () => {
  const refused = async (argv: string[], message: RegExp) => {
    const before = snapshotTree(repo);
    expect(await init(...argv)).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
    expect(snapshotTree(repo)).toEqual(before);
  };

  test.each([
    ['not a domain', ['--domain', 'not a domain'], /^init error: --domain "not a domain" is not a domain: /],
    ['a single label', ['--domain', 'localhost'], /^init error: --domain "localhost" is not a domain: /],
    ['capitals', ['--domain', 'Example.org'], /is not a domain: .*\(use lowercase\)$/],
    ['a URL', ['--domain', 'https://example.org'], /is not a domain/],
    ['a bad name', ['--domain', 'example.org', '--name', 'My Lab'], /^init error: --name "My Lab" is not a cluster name/],
    ['a bad format', ['--domain', 'example.org', '--format', 'json'], /^init error: --format "json": expected yaml or ts$/],
    ['an unknown flag', ['--domian', 'example.org'], /^usage error: Unknown option '--domian'.* \(see npm run init -- --help\)$/],
    ['no domain and no terminal', [], /^usage error: --domain is required .*no terminal to ask$/],
  ])('%s', async (_name, argv, message) => refused(argv, message));

  test('an existing config, without --force', async () => {
    fs.mkdirSync(path.join(repo, 'clusters'));
    fs.writeFileSync(path.join(repo, 'clusters/lab.yaml'), 'mine\n');
    await refused(
      ['--domain', 'example.org', '--name', 'lab'],
      /^init error: clusters\/lab\.yaml: exists; refusing to replace it \(add --force/,
    );
  });

  test('an existing pointer, without --force (another cluster stays the default)', async () => {
    fs.writeFileSync(path.join(repo, POINTER_FILE), '{"config": "clusters/a.yaml", "out": "clusters/a/dist"}\n');
    await refused(['--domain', 'example.org', '--name', 'lab'], /^init error: unified-auth\.json: exists; refusing/);
  });

  test('--force replaces both', async () => {
    fs.writeFileSync(path.join(repo, POINTER_FILE), '{}\n');
    expect(await init('--domain', 'example.org', '--name', 'lab', '--force')).toBe(0);
    expect(fs.readFileSync(path.join(repo, POINTER_FILE), 'utf8')).toContain('clusters/lab.yaml');
  });
});

describe('the real process (node bin/init.cjs)', () => {
  const run = (...argv: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin/init.cjs'), ...argv], { cwd: repo, encoding: 'utf8' });

  test('writes the starter and the pointer; --version prints the package version', () => {
    const r = run('--domain', 'example.org', '--repo', 'https://git.example.org/ops/lab.git');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(fs.readdirSync(path.join(repo, 'clusters')).sort()).toEqual(['example.state.json', 'example.yaml']);
    expect(run('--version').stdout).toMatch(/^unified-auth \d+\.\d+\.\d+\n$/);
  });

  test('bad input without a terminal: one line on stderr, exit 1, nothing written', () => {
    const before = snapshotTree(repo);
    const r = run('--domain', 'example');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^init error: --domain "example" is not a domain: [^\n]*\n$/);
    expect(r.stdout).toBe('');
    expect(snapshotTree(repo)).toEqual(before);
  });
});

describe('the stock cdk8s CLI on a cluster init made (it empties cdk8s.yaml `output` before the app runs)', () => {
  test('init points cdk8s.yaml at the cluster output; npx cdk8s synth then writes what npm run synth writes, byte for byte', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle: string = require('../../bin/build.cjs').ensureBuilt();
    for (const f of ['cdk8s.yaml', 'bin']) fs.cpSync(path.join(ROOT, f), path.join(repo, f), { recursive: true });
    fs.mkdirSync(path.join(repo, 'build'));
    fs.copyFileSync(bundle, path.join(repo, 'build/main.cjs'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'));
    expect(await init('--domain', 'example.org', '--name', 'lab')).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'cdk8s.yaml'), 'utf8')).toMatch(/^output: clusters\/lab\/dist$/m);
    expect(stdout).toContain('init: set output: clusters/lab/dist in cdk8s.yaml (npx cdk8s synth writes there too)');
    // npm run synth first (it records the state), then the stock CLI over the same tree.
    expect(main([])).toBe(0);
    const out = path.join(repo, 'clusters/lab/dist');
    const bySynth = snapshotTree(out);
    const state = fs.readFileSync(path.join(repo, 'clusters/lab.state.json'), 'utf8');
    const r = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade'], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(snapshotTree(out)).toEqual(bySynth);
    expect(fs.readFileSync(path.join(repo, 'clusters/lab.state.json'), 'utf8')).toBe(state);
  }, 60_000);
});
