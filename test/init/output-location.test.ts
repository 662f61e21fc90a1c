// Where the files are is where ArgoCD looks (lib/pipeline/git-path.ts), the pointer file
// (lib/config/pointer.ts), and YAML config errors located at line:column (lib/config/locate-yaml.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { main } from '../../main';
import { locateYamlPaths } from '../../lib/config/locate-yaml';
import { POINTER_FILE } from '../../lib/config/pointer';
import { defaultInput, snapshotTree } from '../support/helpers';

let tmp: string;
let repo: string;
let stdout: string[];
let stderr: string[];
const cwd0 = process.cwd();

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-loc-')));
  repo = path.join(tmp, 'repo');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  stdout = [];
  stderr = [];
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  process.chdir(repo);
});
afterEach(() => {
  process.chdir(cwd0);
  jest.restoreAllMocks();
  delete process.env.CDK8S_OUTDIR;
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The default config as JSON in the repository, with git.path as given (undefined: left out). */
function writeConfig(gitPath: string | undefined): string {
  const input = defaultInput();
  if (gitPath === undefined) delete (input.git as { path?: string }).path;
  else input.git.path = gitPath;
  fs.writeFileSync(path.join(repo, 'c.json'), JSON.stringify(input));
  return 'c.json';
}

const appPath = (out: string) =>
  (yaml.load(fs.readFileSync(path.join(out, 'apps/application-authentik-extras.yaml'), 'utf8')) as { spec: { source: { path: string } } })
    .spec.source.path;

/** One line, exit 1, and every file as it was. */
function refused(argv: string[], message: RegExp): void {
  const before = snapshotTree(tmp);
  expect(main(argv)).toBe(1);
  expect(stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(message);
  expect(snapshotTree(tmp)).toEqual(before);
}

describe('git.path follows --out', () => {
  test('left out: derived from --out, relative to the repository root', () => {
    expect(main(['--config', writeConfig(undefined), '--out', 'clusters/home/dist'])).toBe(0);
    expect(appPath(path.join(repo, 'clusters/home/dist'))).toBe('clusters/home/dist/authentik-extras');
    expect(fs.readFileSync(path.join(repo, 'clusters/home/dist/docs/manual-operations.yaml'), 'utf8')).toContain(
      'cp clusters/home/dist/kubeconfig/people.yaml',
    );
  });

  test('set and equal to --out: accepted', () => {
    expect(main(['--config', writeConfig('clusters/home/dist'), '--out', 'clusters/home/dist'])).toBe(0);
  });

  test('set and disagreeing with --out inside the repository: one line naming both', () => {
    refused(
      ['--config', writeConfig('dist'), '--out', 'clusters/home/dist'],
      /^config error: git\.path: "dist" but --out clusters\/home\/dist is clusters\/home\/dist in the repository, so ArgoCD would read another directory; /,
    );
  });

  test('left out with --out outside any repository: one line, nothing written', () => {
    refused(
      ['--config', writeConfig(undefined), '--out', path.join(tmp, 'preview')],
      /^config error: git\.path: not set, and --out .*preview is outside any git repository/,
    );
  });

  test('set with --out outside any repository: written, and the run says which path the Applications use', () => {
    const out = path.join(tmp, 'preview');
    expect(main(['--config', writeConfig('clusters/home/dist'), '--out', out])).toBe(0);
    expect(stdout.at(-1)).toMatch(/ \(outside a git repository: the Applications use git\.path clusters\/home\/dist\)$/);
    expect(appPath(out)).toBe('clusters/home/dist/authentik-extras');
  });
});

describe('the pointer (unified-auth.json)', () => {
  test('names the config and output used when --config is not given', () => {
    const cfg = writeConfig(undefined);
    fs.writeFileSync(path.join(repo, POINTER_FILE), JSON.stringify({ config: cfg, out: 'out/dist' }));
    expect(main([])).toBe(0);
    expect(appPath(path.join(repo, 'out/dist'))).toBe('out/dist/authentik-extras');
  });

  test.each([
    ['not JSON', '{config', /^config error: unified-auth\.json: not valid JSON: /],
    ['a missing field', '{"config": "c.json"}', /^config error: unified-auth\.json: out: /],
    [
      'an absolute output',
      '{"config": "c.json", "out": "/srv/dist"}',
      /^config error: unified-auth\.json: out: must be a relative directory/,
    ],
  ])('%s: one line, never a fall back to the default config', (_name, text, message) => {
    fs.writeFileSync(path.join(repo, POINTER_FILE), text);
    refused([], message);
  });

  test('cdk8s synth writing elsewhere than the pointer says is refused', () => {
    fs.writeFileSync(path.join(repo, POINTER_FILE), JSON.stringify({ config: writeConfig(undefined), out: 'out/dist' }));
    process.env.CDK8S_OUTDIR = 'dist';
    refused([], /^usage error: cdk8s synth writes to dist but unified-auth\.json names out\/dist: /);
  });
});

describe('YAML errors name line:column', () => {
  test('a schema error in a YAML config', () => {
    const text = yaml.dump(defaultInput()).replace('httpPort: 9000', "httpPort: '9000'");
    fs.writeFileSync(path.join(repo, 'c.yaml'), text);
    const line = text.split('\n').findIndex((l) => l.includes('httpPort')) + 1;
    const column = text.split('\n')[line - 1].indexOf("'9000'") + 1;
    refused(
      ['--config', 'c.yaml', '--out', 'dist'],
      new RegExp(`^config error: c\\.yaml:${line}:${column}: authentik\\.loadBalancer\\.httpPort: expected a number`),
    );
  });

  test('block, flow and nested positions; a missing path stops at its deepest written node', () => {
    const text = 'a:\n  b: 1\n  list:\n    - x: 1\n    - { y: 2, z: [3, 4] }\nc: # note\n  d\n';
    const at = locateYamlPaths(text, ['a.b', 'a.list[0].x', 'a.list[1].y', 'a.list[1].z[1]', 'c', 'a.missing']);
    expect(Object.fromEntries(at)).toEqual({
      'a.b': '2:6',
      'a.list[0].x': '4:10',
      'a.list[1].y': '5:12',
      'a.list[1].z[1]': '5:22',
      c: '7:3',
      'a.missing': '2:3',
    });
  });
});
