// Atomic writes (lib/output/write.ts via main): a failed run leaves the output directory byte-identical,
// a successful run leaves exactly the rendered files (stale files and removed services' files
// disappear), and no temporary sibling directory is left behind either way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKS, type Check } from '../../lib/checks';
import { manifestFile, writeAtomically } from '../../lib/output/write';
import { GENERATED_HEADER, textFile } from '../../lib/base/file-text';
import { OUTPUT } from '../../lib/base/paths';
import { main } from '../../main';
import { defaultInput, renderInput, snapshotTree } from '../support/helpers';

let base: string;
let out: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-atomic-'));
  out = path.join(base, 'dist');
  // A previous synth that also wrote files of an older layout (listed in its manifest, so they are
  // synth's: docs/output.md#what-synth-may-replace): a stale file, a nested one, and an empty directory.
  const files = renderInput(defaultInput()).files.filter((f) => f.path !== OUTPUT.manifest);
  const stale = [
    textFile('authentik-extras/stale.yaml', `${GENERATED_HEADER}kind: Leftover\n`),
    textFile('docs/old-service/nested/file.yaml', `${GENERATED_HEADER}a: 1\n`),
  ];
  writeAtomically(out, [...files, ...stale, manifestFile([...files, ...stale])]);
  fs.mkdirSync(path.join(out, 'empty-dir'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(base, { recursive: true, force: true });
});

const quiet = () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  return jest.spyOn(console, 'error').mockImplementation(() => undefined);
};
/** Only the output directory itself is left next to it: no run directory (<out>.synth-<run>). */
const siblings = () => fs.readdirSync(base).sort();

function writeConfig(name: string, edit?: (c: ReturnType<typeof defaultInput>) => void): string {
  const c = defaultInput();
  edit?.(c);
  const p = path.join(base, name);
  fs.writeFileSync(p, JSON.stringify(c));
  return p;
}

/** Run main with one extra check appended to CHECKS (restored afterwards). */
function withExtraCheck<T>(check: Check, run: () => T): T {
  const list = CHECKS as Check[];
  list.push(check);
  try {
    return run();
  } finally {
    list.splice(list.indexOf(check), 1);
  }
}

describe('a failed run leaves the output directory byte-identical', () => {
  test('a check that fails after the others passed', () => {
    const before = snapshotTree(out);
    const err = quiet();
    let ran = 0;
    const failsLate: Check = function failsLate(r) {
      ran++;
      return r.files.length > 0 ? ['values/authentik.yaml: simulated finding after every other check passed'] : [];
    };
    const code = withExtraCheck(failsLate, () => main(['--out', out]));
    expect(ran).toBe(1);
    expect(code).toBe(1);
    expect(err).toHaveBeenCalledWith('check failed: values/authentik.yaml: simulated finding after every other check passed');
    expect(snapshotTree(out)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  test('a config error', () => {
    const before = snapshotTree(out);
    quiet();
    expect(
      main([
        '--config',
        writeConfig('bad.json', (c) => {
          c.authentik.url = 'http://auth.frank.derio.net';
        }),
        '--out',
        out,
      ]),
    ).toBe(1);
    expect(snapshotTree(out)).toEqual(before);
  });

  test('a write that fails halfway (a file path that collides with a directory)', () => {
    const before = snapshotTree(out);
    const files = [...renderInput(defaultInput()).files, { path: 'values', text: 'a file where a directory is\n' }];
    expect(() => writeAtomically(out, files)).toThrow();
    expect(snapshotTree(out)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  test('the swap itself fails after the old tree was moved aside: the old tree is put back', () => {
    const before = snapshotTree(out);
    const real = fs.renameSync;
    let calls = 0;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      calls++;
      if (calls === 2) throw Object.assign(new Error('EXDEV: simulated rename failure'), { code: 'EXDEV' });
      return real(from, to);
    });
    expect(() => writeAtomically(out, renderInput(defaultInput()).files)).toThrow('simulated rename failure');
    expect(calls).toBeGreaterThanOrEqual(3); // aside, (failed) swap, restore
    expect(snapshotTree(out)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });

  test('main reports a write failure as a user error (not an internal one): one line, exit 1, target intact', () => {
    const before = snapshotTree(out);
    const err = quiet();
    const real = fs.writeFileSync;
    let n = 0;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      if (++n === 5)
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', syscall: 'open', path: String(args[0]) });
      return real(...args);
    });
    expect(main(['--out', out])).toBe(1);
    const lines = err.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^output error: cannot write .*\/dist\/: no space left on device \(.*\/dist\.synth-[0-9a-f]{16}\/[^ ]+\); free some space on that file system and run again$/,
    );
    expect(lines.join('\n')).not.toContain('    at ');
    expect(snapshotTree(out)).toEqual(before);
    expect(siblings()).toEqual(['dist']);
  });
});

describe('a successful run leaves exactly the rendered files', () => {
  test('stale files and directories disappear', () => {
    quiet();
    expect(main(['--out', out])).toBe(0);
    const after = snapshotTree(out);
    expect(after['authentik-extras/stale.yaml']).toBeUndefined();
    expect(after['docs/old-service/']).toBeUndefined();
    expect(after['empty-dir/']).toBeUndefined();
    const rendered = renderInput(defaultInput()).files;
    expect(
      Object.keys(after)
        .filter((k) => !k.endsWith('/'))
        .sort(),
    ).toEqual(rendered.map((f) => f.path).sort());
    for (const f of rendered) expect(fs.readFileSync(path.join(out, f.path), 'utf8')).toBe(f.text);
    expect(siblings()).toEqual(['dist']);
  });

  test("a removed service's files disappear on the next write", () => {
    quiet();
    expect(main(['--config', writeConfig('all.json'), '--out', out])).toBe(0);
    expect(fs.existsSync(path.join(out, 'values/grafana.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'authentik-extras/configmap-authentik-blueprint-oidc-providers-11.yaml'))).toBe(true);

    // Retire first (tombstones replace the provider blueprint), then remove the entry.
    const retired = writeConfig('retired-grafana.json', (c) => {
      c.services.find((s) => s.slug === 'grafana')!.retired = true;
    });
    expect(main(['--config', retired, '--out', out])).toBe(0);
    expect(fs.existsSync(path.join(out, 'values/grafana.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'authentik-extras/configmap-authentik-blueprint-oidc-providers-11.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'authentik-extras/configmap-authentik-blueprint-retired.yaml'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'values/authentik.yaml'), 'utf8')).not.toContain('grafana');

    const noGrafana = writeConfig('no-grafana.json', (c) => {
      c.services = c.services.filter((s) => s.slug !== 'grafana');
    });
    expect(main(['--config', noGrafana, '--out', out])).toBe(0);
    expect(fs.existsSync(path.join(out, 'authentik-extras/configmap-authentik-blueprint-retired.yaml'))).toBe(false);
  });

  test('writing into a directory that does not exist yet', () => {
    quiet();
    const fresh = path.join(base, 'new', 'dist');
    expect(main(['--out', fresh])).toBe(0);
    expect(fs.existsSync(path.join(fresh, 'values/authentik.yaml'))).toBe(true);
  });
});
