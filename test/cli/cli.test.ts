// The CLI (main.ts): every failure is one line per problem on stderr, exit code 1, no stack
// trace, and the output directory untouched; `--check` compares a fresh synth with the tree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, runProcess } from '../../main';
import { ROOT, defaultInput, renderInput } from '../support/helpers';

const BAD = path.join(ROOT, 'test/bad-configs/files');
/** What a run into a temporary directory (outside any git repository) adds to its success line (lib/pipeline/git-path.ts). */
const OUTSIDE = ' (outside a git repository: the Applications use git.path dist)';

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) visit(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name)).toString('base64');
    }
  };
  visit(dir, '');
  return out;
}

let base: string;
let out: string;
let stderr: string[];
let stdout: string[];
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-cli-'));
  out = path.join(base, 'out');
  fs.mkdirSync(path.join(out, 'values'), { recursive: true });
  fs.writeFileSync(path.join(out, 'values/authentik.yaml'), '# hand-made, must survive failed runs\n');
  fs.writeFileSync(path.join(out, 'keep.txt'), 'untouched');
  stderr = [];
  stdout = [];
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});

/** main() must fail with exactly these stderr lines (regexes), leaving `out` byte-identical. */
function expectFailure(argv: string[], ...lines: RegExp[]) {
  const before = snapshot(out);
  expect(main(argv)).toBe(1);
  expect(stderr).toHaveLength(lines.length);
  lines.forEach((re, i) => expect(stderr[i]).toMatch(re));
  for (const l of stderr) {
    expect(l).not.toContain('\n');
    expect(l).not.toMatch(/^\s+at |\n\s+at |Error: /);
  }
  expect(snapshot(out)).toEqual(before);
  expect(fs.readdirSync(base).filter((n) => /\.(tmp|old)-/.test(n))).toEqual([]);
}

describe('bad configs: exit 1, one line per problem, output untouched', () => {
  test('a YAML config with a bad host', () => {
    expectFailure(
      ['--config', path.join(BAD, 'longhorn-ui-host.yaml'), '--out', out],
      /^config error: .*longhorn-ui-host\.yaml:87:11: services\[3\]\.host: "Longhorn UI" is not a DNS name: must be lowercase; " " not allowed \(dot-separated labels of lowercase letters, digits and "-", each at most 63 characters\)$/,
    );
  });

  test('a JSON config with two wrong types: two lines', () => {
    expectFailure(
      ['--config', path.join(BAD, 'wrong-types.json'), '--out', out],
      /^config error: .*wrong-types\.json:18:19: authentik\.loadBalancer\.httpPort: expected a number, got string "9000"$/,
      /^config error: .*wrong-types\.json:63:20: groups\[0\]\.superuser: expected true or false, got string "yes"$/,
    );
  });

  test('an Authentik chart of an unsupported minor', () => {
    expectFailure(
      ['--config', path.join(BAD, 'chart-2025-12.yaml'), '--out', out],
      /^config error: .*chart-2025-12\.yaml:10:14: authentik\.chart\.version: "2025\.12\.0" is Authentik 2025\.12; supported are 2026\.2\.x, 2026\.5\.x or 2026\.8\.x$/,
    );
  });

  test('an agent on an Authentik release with a known defect for agents: one line naming the fixed release', () => {
    expectFailure(
      ['--config', path.join(BAD, 'agents-on-2026-2-1.yaml'), '--out', out],
      /^config error: .*agents-on-2026-2-1\.yaml:\d+:\d+: authentik\.chart\.version: "2026\.2\.1" breaks agents \(2026\.2\.0–2026\.2\.1: .*HTTP Basic header.*\); use 2026\.2\.2 or newer$/,
    );
  });

  test('an empty file', () => {
    expectFailure(['--config', path.join(BAD, 'empty.yaml'), '--out', out], /^config error: \(config\): is empty/);
  });

  test('invalid YAML syntax', () => {
    const f = path.join(base, 'broken.yaml');
    fs.writeFileSync(f, 'cluster:\n  name: frank\n   domain: [unclosed\n');
    expectFailure(['--config', f, '--out', out], /^config error: .*broken\.yaml:3:10: not valid YAML: bad indentation of a mapping entry$/);
  });

  test('invalid JSON syntax', () => {
    const f = path.join(base, 'broken.json');
    fs.writeFileSync(f, '{"cluster": {"name": "frank",}');
    expectFailure(['--config', f, '--out', out], /^config error: .*broken\.json: not valid JSON: /);
  });

  test('a missing file', () => {
    expectFailure(['--config', path.join(base, 'nope.yaml'), '--out', out], /^config error: .*nope\.yaml: no such file$/);
  });

  test('a config file of another type', () => {
    const f = path.join(base, 'cluster.toml');
    fs.writeFileSync(f, 'name = "frank"\n');
    expectFailure(['--config', f, '--out', out], /^config error: .*cluster\.toml: expected a \.ts, \.yaml, \.yml or \.json file$/);
  });

  test('an unknown flag, and a flag without its value', () => {
    expectFailure(
      ['--out', out, '--verbose'],
      /^usage error: unknown argument "--verbose" \(expected --config <file>, --out <dir>, --baseline <dir>\|none, --check, --staged, --help, --version\)$/,
    );
    stderr = [];
    expectFailure(['--out', out, '--config'], /^usage error: --config needs a value$/);
  });
});

describe('npm run check (--check): compares a fresh synth with the tree', () => {
  let dist: string;
  beforeEach(() => {
    dist = path.join(base, 'dist');
    expect(main(['--out', dist])).toBe(0);
    stdout = [];
  });

  test('passes on a fresh synth', () => {
    const n = renderInput(defaultInput()).files.length;
    expect(main(['--check', '--out', dist])).toBe(0);
    expect(stdout).toEqual([`check: ${n} files in ${dist}/ match a fresh synth; all checks pass${OUTSIDE}`]);
    expect(stderr).toEqual([]);
  });

  test('fails after editing one file', () => {
    fs.appendFileSync(path.join(dist, 'values/authentik.yaml'), '# hand edit\n');
    expect(main(['--check', '--out', dist])).toBe(1);
    expect(stderr).toEqual([
      `drift: ${path.join(dist, 'values/authentik.yaml')} differs from a fresh synth`,
      `check: 1 file(s) out of date; run npm run synth and commit ${dist}/`,
    ]);
  });

  test('fails on a stray file', () => {
    fs.writeFileSync(path.join(dist, 'authentik-extras/configmap-stray.yaml'), 'kind: ConfigMap\n');
    expect(main(['--check', '--out', dist])).toBe(1);
    expect(stderr).toEqual([
      `drift: ${path.join(dist, 'authentik-extras/configmap-stray.yaml')} is stale (no longer generated)`,
      `check: 1 file(s) out of date; run npm run synth and commit ${dist}/`,
    ]);
  });

  test('fails on a deleted file', () => {
    fs.rmSync(path.join(dist, 'traefik/authentik.yaml'));
    expect(main(['--check', '--out', dist])).toBe(1);
    expect(stderr).toEqual([
      `drift: ${path.join(dist, 'traefik/authentik.yaml')} is missing`,
      `check: 1 file(s) out of date; run npm run synth and commit ${dist}/`,
    ]);
  });

  test('never writes, even when out of date', () => {
    fs.rmSync(path.join(dist, 'traefik/authentik.yaml'));
    const before = snapshot(dist);
    expect(main(['--check', '--out', dist])).toBe(1);
    expect(snapshot(dist)).toEqual(before);
  });
});

describe('the real process (node bin/synth.cjs)', () => {
  const run = (args: string[]) => {
    try {
      const stdoutText = execFileSync(process.execPath, [path.join(ROOT, 'bin/synth.cjs'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
      });
      return { code: 0, stdout: stdoutText, stderr: '' };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, stdout: err.stdout, stderr: err.stderr };
    }
  };

  test('a bad config: exit code 1, only the problem lines, no stack trace, output untouched', () => {
    const before = snapshot(out);
    const r = run(['--config', path.join(BAD, 'longhorn-ui-host.yaml'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `config error: ${path.join(BAD, 'longhorn-ui-host.yaml')}:87:11: services[3].host: "Longhorn UI" is not a DNS name: must be lowercase; " " not allowed (dot-separated labels of lowercase letters, digits and "-", each at most 63 characters)\n`,
    );
    expect(r.stdout).toBe('');
    expect(snapshot(out)).toEqual(before);
  });

  test('--check passes against a tree it just wrote', () => {
    const dist = path.join(base, 'dist');
    // The write in-process (the same code, cwd ROOT too); the check's exit code and stdout from the real process.
    expect(main(['--out', dist])).toBe(0);
    const r = run(['--check', '--out', dist]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^check: \d+ files in .* match a fresh synth; all checks pass \(outside a git repository: the Applications use git\.path dist\)\n$/,
    );
  });
});

test('--help prints the usage and exits 0 without touching the output', () => {
  const logs: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
  expect(main(['--help', '--out', '/nonexistent/never-written'])).toBe(0);
  spy.mockRestore();
  expect(logs.join('\n')).toContain('usage: npm run synth -- [--config <file>] [--out <dir>] [--baseline <dir>|none] [--check [--staged]]');
});

describe('arguments (util.parseArgs): no silent fall-backs', () => {
  test('--flag=value works like --flag value', () => {
    const cfg = path.join(base, 'c.json');
    fs.writeFileSync(cfg, JSON.stringify(defaultInput()));
    expect(main([`--config=${cfg}`, `--out=${path.join(base, 'eq')}`, '--baseline=none'])).toBe(0);
    expect(stdout.at(-1)).toEqual(`synth: wrote ${renderInput(defaultInput()).files.length} files to ${path.join(base, 'eq')}/${OUTSIDE}`);
  });

  test.each([
    [['--config', ''], /^usage error: --config is empty: give a config file \(or leave --config out for config\/frank\.ts\)$/],
    [['--config='], /^usage error: --config is empty/],
    [
      ['--baseline', '/nonexistent/dist'],
      /^usage error: --baseline \/nonexistent\/dist: no such directory \(use --baseline none when there is no previous output\)$/,
    ],
    [['--baseline', ''], /^usage error: --baseline is empty: give the previous output directory, or --baseline none$/],
    [['--check=yes'], /^usage error: --check takes no value$/],
    [['--out'], /^usage error: --out needs a value$/],
    [['stray'], /^usage error: unexpected argument "stray"/],
  ])('%j', (args, message) => {
    expectFailure([...args, ...(args.some((a) => a.startsWith('--out')) ? [] : ['--out', out])], message);
  });
});

describe('a TypeScript config fails like any other config', () => {
  type Run = { code: number; stdout: string; stderr: string };
  /** The real process (bin/synth.cjs): its exit code and its streams. */
  const spawned = (cwd: string, args: string[]): Run => {
    try {
      return {
        code: 0,
        stderr: '',
        stdout: execFileSync(process.execPath, [path.join(ROOT, 'bin/synth.cjs'), ...args], { cwd, encoding: 'utf8', stdio: 'pipe' }),
      };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, stdout: err.stdout, stderr: err.stderr };
    }
  };
  /** The same code in this process (main.ts main, no Node start-up), its lines as the process prints them. */
  const inProcess = (cwd: string, args: string[]): Run => {
    const [errBefore, outBefore] = [stderr.length, stdout.length];
    const cwd0 = process.cwd();
    process.chdir(cwd);
    try {
      const code = main(args);
      const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
      return { code, stderr: text(stderr.slice(errBefore)), stdout: text(stdout.slice(outBefore)) };
    } finally {
      process.chdir(cwd0);
    }
  };
  // One behaviour each through the real process (an esbuild error, the compile cache of
  // bin/synth.cjs); the other cases run the same code in-process.
  const REAL = new Set(['a syntax error']);
  let proj: string;
  beforeEach(() => {
    proj = path.join(base, 'proj');
    fs.mkdirSync(path.join(proj, 'config'), { recursive: true });
  });
  const frank = () => fs.readFileSync(path.join(ROOT, 'config/frank.ts'), 'utf8');

  test.each([
    [
      'a syntax error',
      (t: string) => t.replace("const domain = 'frank.derio.net';", "const domain = ('frank.derio.net';"),
      /^config error: config\/frank\.ts:\d+:\d+: Expected "\)" but found ";"\n$/,
    ],
    [
      'a misspelled identifier',
      (t: string) => t.replace("cluster: { name: 'frank', domain }", "cluster: { name: 'frank', domain: domian }"),
      /^config error: config\/frank\.ts:\d+:\d+: ReferenceError: domian is not defined\n$/,
    ],
    [
      'no export',
      (t: string) => t.replace('export const frank', 'const frank').replace('export default frank;', ''),
      /^config error: config\/frank\.ts: export the config as the default export or as the module's only export \(found: none\)\n$/,
    ],
  ])('%s: one line with file:line:column, exit 1, output untouched; --config other.yaml still works', (name, edit, message) => {
    const run = REAL.has(name) ? spawned : inProcess;
    fs.writeFileSync(path.join(proj, 'config/frank.ts'), edit(frank()));
    fs.mkdirSync(path.join(proj, 'dist'));
    fs.writeFileSync(path.join(proj, 'dist/keep.txt'), 'mine');
    const r = run(proj, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(path.join(proj, 'dist'))).toEqual(['keep.txt']);
    // The other config in-process (the same code, no Node start-up): only the failure needs the real process.
    const other = inProcess(proj, ['--config', path.join(ROOT, 'test/fixtures/other-cluster.yaml'), '--out', 'lab']);
    expect(other.stderr).toBe('');
    expect(other.code).toBe(0);
  });

  test('a value of the wrong type: the schema problem with file:line:column of the value', () => {
    const text = frank().replace('httpPort: 9000', "httpPort: '9000'");
    fs.writeFileSync(path.join(proj, 'config/frank.ts'), text);
    const line = text.split('\n').findIndex((l) => l.includes("httpPort: '9000'")) + 1;
    const column = text.split('\n')[line - 1].indexOf("'9000'") + 1;
    const r = inProcess(proj, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `config error: config/frank.ts:${line}:${column}: authentik.loadBalancer.httpPort: expected a number, got string "9000"\n`,
    );
  });

  test('the line and column point at the mistake', () => {
    const text = frank().replace("cluster: { name: 'frank', domain }", "cluster: { name: 'frank', domain: domian }");
    fs.writeFileSync(path.join(proj, 'config/frank.ts'), text);
    const line = text.split('\n').findIndex((l) => l.includes('domian')) + 1;
    const column = text.split('\n')[line - 1].indexOf('domian') + 1;
    expect(inProcess(proj, []).stderr).toBe(`config error: config/frank.ts:${line}:${column}: ReferenceError: domian is not defined\n`);
  });

  /** The process entry's code in this process, with the compile cache bin/synth.cjs gives it (build/config-cache). */
  const cachedInProcess = async (cwd: string, args: string[]): Promise<number> => {
    const cwd0 = process.cwd();
    process.chdir(cwd);
    try {
      return await runProcess(args, { configCacheDir: path.join(ROOT, 'build', 'config-cache') });
    } finally {
      process.chdir(cwd0);
    }
  };
  // The real process compiles and caches; the recompiles after each change run the same code, with
  // the same cache directory, in this process.
  test('the compiled config is cached, and recompiled when the config or a file it imports changes', async () => {
    const helper = path.join(proj, 'config/domain.ts');
    fs.writeFileSync(helper, "export const domain = 'frank.derio.net';\n");
    fs.writeFileSync(
      path.join(proj, 'config/frank.ts'),
      frank().replace("const domain = 'frank.derio.net';", "import { domain } from './domain';"),
    );
    const argocdHost = () =>
      fs.readFileSync(path.join(proj, 'dist/values/argocd.yaml'), 'utf8').match(/url: (https:\/\/argocd\.[^\s]+)/)?.[1];
    expect(spawned(proj, []).code).toBe(0);
    expect(argocdHost()).toBe('https://argocd.frank.derio.net');
    fs.writeFileSync(helper, "export const domain = 'lab.example.org';\n");
    expect(await cachedInProcess(proj, ['--baseline', 'none'])).toBe(0);
    expect(argocdHost()).toBe('https://argocd.lab.example.org');
    fs.writeFileSync(
      path.join(proj, 'config/frank.ts'),
      fs.readFileSync(path.join(proj, 'config/frank.ts'), 'utf8').replace("from './domain';", "from './domain';\nconst unused = 1;"),
    );
    fs.writeFileSync(helper, "export const domain = 'frank.derio.net';\n");
    expect(await cachedInProcess(proj, ['--baseline', 'none'])).toBe(0);
    expect(argocdHost()).toBe('https://argocd.frank.derio.net');
  });

  test('a UTF-8 byte-order mark is accepted (YAML, JSON and TypeScript)', () => {
    fs.writeFileSync(path.join(proj, 'config/frank.ts'), `\ufeff${frank()}`);
    fs.writeFileSync(path.join(proj, 'c.json'), `\ufeff${JSON.stringify(defaultInput())}`);
    expect(inProcess(proj, ['--out', 'a']).code).toBe(0);
    expect(inProcess(proj, ['--config', 'c.json', '--out', 'b']).stderr).toBe('');
  });
});

test('a bundle that cannot be built is one line, exit 1 (bin/build.cjs and bin/synth.cjs)', () => {
  // A copy of the project's bin/ next to a main.ts with a syntax error; node_modules linked.
  const proj = path.join(base, 'broken-tool');
  fs.mkdirSync(path.join(proj, 'bin'), { recursive: true });
  for (const f of ['build.cjs', 'synth.cjs', 'config-worker.cjs']) fs.copyFileSync(path.join(ROOT, 'bin', f), path.join(proj, 'bin', f));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(proj, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(proj, 'main.ts'), 'export const main = (: number) => 1;\n');
  for (const script of ['bin/build.cjs', 'bin/synth.cjs']) {
    let r: { status: number; stderr: string; stdout: string };
    try {
      r = {
        status: 0,
        stderr: '',
        stdout: execFileSync(process.execPath, [path.join(proj, script)], { cwd: proj, encoding: 'utf8', stdio: 'pipe' }),
      };
    } catch (e) {
      r = e as typeof r;
    }
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^build error: main\.ts:1:22: Unexpected ":" \(the tool's own source does not compile; run npm test for details\)\n$/,
    );
    expect(fs.existsSync(path.join(proj, 'build/main.cjs'))).toBe(false);
  }
});
