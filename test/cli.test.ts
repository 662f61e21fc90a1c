// The CLI (main.ts): every failure is one line per problem on stderr, exit code 1, no stack
// trace, and the output directory untouched; `--check` compares a fresh synth with the tree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../main';
import { ROOT, defaultInput, renderInput } from './helpers';

const BAD = path.join(ROOT, 'test/bad-configs/files');

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
    expectFailure(['--config', path.join(BAD, 'longhorn-ui-host.yaml'), '--out', out], /^config error: services\[3\]\.host: "Longhorn UI" is not a DNS name$/);
  });

  test('a JSON config with two wrong types: two lines', () => {
    expectFailure(
      ['--config', path.join(BAD, 'wrong-types.json'), '--out', out],
      /^config error: authentik\.loadBalancer\.httpPort: expected a number, got string "9000"$/,
      /^config error: groups\[0\]\.superuser: expected true or false, got string "yes"$/,
    );
  });

  test('an Authentik chart of an unsupported minor', () => {
    expectFailure(
      ['--config', path.join(BAD, 'chart-2025-12.yaml'), '--out', out],
      /^config error: authentik\.chart\.version: "2025\.12\.0" is Authentik 2025\.12; supported are 2026\.2\.x, 2026\.5\.x or 2026\.8\.x$/,
    );
  });

  test('an agent on an Authentik release with a known defect for agents: one line naming the fixed release', () => {
    expectFailure(
      ['--config', path.join(BAD, 'agents-on-2026-2-1.yaml'), '--out', out],
      /^config error: authentik\.chart\.version: "2026\.2\.1" breaks agents \(2026\.2\.0–2026\.2\.1: .*HTTP Basic header.*\); use 2026\.2\.2 or newer$/,
    );
  });

  test('an empty file', () => {
    expectFailure(['--config', path.join(BAD, 'empty.yaml'), '--out', out], /^config error: \(config\): is empty/);
  });

  test('invalid YAML syntax', () => {
    const f = path.join(base, 'broken.yaml');
    fs.writeFileSync(f, 'cluster:\n  name: frank\n   domain: [unclosed\n');
    expectFailure(['--config', f, '--out', out], /^usage error: --config .*broken\.yaml: not valid YAML: /);
  });

  test('invalid JSON syntax', () => {
    const f = path.join(base, 'broken.json');
    fs.writeFileSync(f, '{"cluster": {"name": "frank",}');
    expectFailure(['--config', f, '--out', out], /^usage error: --config .*broken\.json: not valid JSON: /);
  });

  test('a missing file', () => {
    expectFailure(['--config', path.join(base, 'nope.yaml'), '--out', out], /^usage error: --config .*nope\.yaml: cannot read the file$/);
  });

  test('a config file of another type', () => {
    expectFailure(['--config', path.join(ROOT, 'config/frank.ts'), '--out', out], /^usage error: --config .*frank\.ts: expected a \.yaml, \.yml or \.json file$/);
  });

  test('an unknown flag, and a flag without its value', () => {
    expectFailure(['--out', out, '--verbose'], /^usage error: unknown argument "--verbose" \(expected --config <file>, --out <dir>, --baseline <dir>, --check, --help\)$/);
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
    expect(stdout).toEqual([`check: ${n} files in ${dist}/ match a fresh synth; all checks pass`]);
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
      const stdoutText = execFileSync(process.execPath, [path.join(ROOT, 'bin/synth.cjs'), ...args], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
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
    expect(r.stderr).toBe('config error: services[3].host: "Longhorn UI" is not a DNS name\n');
    expect(r.stdout).toBe('');
    expect(snapshot(out)).toEqual(before);
  });

  test('--check passes against a tree it just wrote', () => {
    const dist = path.join(base, 'dist');
    expect(run(['--out', dist]).code).toBe(0);
    const r = run(['--check', '--out', dist]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^check: \d+ files in .* match a fresh synth; all checks pass\n$/);
  });
});

test('--help prints the usage and exits 0 without touching the output', () => {
  const logs: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
  expect(main(['--help', '--out', '/nonexistent/never-written'])).toBe(0);
  spy.mockRestore();
  expect(logs.join('\n')).toContain('usage: npm run synth -- [--config <file.yaml|file.json>] [--out <dir>] [--baseline <dir>] [--check]');
});
