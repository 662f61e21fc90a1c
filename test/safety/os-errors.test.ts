// Every OS error a user error (issue 22 item 7, docs/bounded-reading.md): one line naming the path
// and the fix, exit 1, every pre-existing file byte-identical. The cases that need root or a mount
// (a read-only file system, a full disk, a busy mount point) are in .ci/os-errors.sh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { importMain } from '../../lib/import/cli';
import { osErrorMessage } from '../../lib/os/errors';
import { makeDirs } from '../../lib/os/mkdirs';
import { ROOT, defaultInput } from '../support/helpers';
import { capture, snapshotTree } from './snapshot';

// Each test's and hook's own time limit (Jest's default is 5 s): not jest.setTimeout, which would
// set it for every file of the group suite this file runs in (test/support/test-groups.cjs).
const SLOW = 60_000;

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-oserr-')));
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(defaultInput()));
}, SLOW);
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
}, SLOW);

const ERR = (code: string, p?: string) => Object.assign(new Error(code), { code, path: p });

test.each([
  ['EROFS', /^cannot write dist\/: read-only file system \(\/x\); choose a path on a writable file system/],
  ['ENOSPC', /^cannot write dist\/: no space left on device \(\/x\); free some space/],
  [
    'EBUSY',
    /^cannot write dist\/: resource busy \(\/x\); it is a mount point or in use; .* give a directory inside it \(for example --out dist\/dist\)$/,
  ],
  ['EACCES', /^cannot write dist\/: permission denied \(\/x\); give this user access/],
  ['ELOOP', /^cannot write dist\/: too many levels of symbolic links \(a link loop\) \(\/x\); a symbolic link in the path points back/],
  ['ENOTDIR', /^cannot write dist\/: a path component is not a directory \(\/x\); a file stands where the path needs a directory/],
])(
  'osErrorMessage(%s) names the path and the fix',
  (code, line) => {
    expect(osErrorMessage(ERR(code, '/x'), 'dist/')).toMatch(line);
  },
  SLOW,
);

test(
  'an error that is not an OS error is left to be a bug',
  () => {
    expect(osErrorMessage(new TypeError('x'))).toBeUndefined();
    expect(osErrorMessage(ERR('ESOMETHINGNEW'))).toBeUndefined();
  },
  SLOW,
);

const CASES: Array<{ name: string; setup: (t: string) => string; line: (t: string) => RegExp }> = [
  {
    // Node's recursive mkdir spins for ever here; makeDirs makes one level at a time.
    name: '--out under /proc (used to spin at 100% CPU)',
    setup: () => '/proc/x/out',
    line: () => /^output error: cannot write \/proc\/x\/out\/: no such file or directory \(\/proc\/x\); check the path/,
  },
  {
    name: '--out below a regular file',
    setup: (t) => (fs.writeFileSync(`${t}/file`, 'keep\n'), `${t}/file/dist`),
    line: (t) =>
      new RegExp(`^(error|output error): cannot (access|write) ${t}/file/dist.*a path component is not a directory.*check the path$`),
  },
  {
    name: '--out through a symbolic link loop',
    setup: (t) => (fs.symlinkSync('loop', `${t}/loop`), `${t}/loop/dist`),
    line: (t) =>
      new RegExp(`^(error|output error): cannot (access|write) ${t}/loop/dist.*too many levels of symbolic links \\(a link loop\\)`),
  },
];

test.each(CASES)(
  '$name: exit 1, one line naming the path and the fix, nothing changed',
  ({ setup, line }) => {
    const out = setup(tmp);
    const before = snapshotTree(tmp);
    const t0 = Date.now();
    const { result, stderr } = capture(() => main(['--config', `${tmp}/config.json`, '--out', out, '--baseline', 'none']));
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(result).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(line(tmp));
    expect(stderr[0]).not.toMatch(/internal error/);
    expect(snapshotTree(tmp)).toEqual(before);
  },
  SLOW,
);

test(
  'ENOSPC while import writes the draft: one line, and no draft.yaml.<pid>.tmp left behind',
  () => {
    fs.cpSync(path.join(ROOT, 'test/fixtures/hand-written-layer'), path.join(tmp, 'layer'), { recursive: true });
    const before = snapshotTree(tmp);
    const write = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      if (String(args[0]).includes('draft.yaml')) {
        write(args[0], 'half a dra'); // the disk filled up part-way
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      }
      write(...args);
    });
    const { result, stderr } = capture(() => importMain(['--from', `${tmp}/layer`, '--out', `${tmp}/draft.yaml`]));
    expect(result).toBe(1);
    expect(stderr).toEqual([
      `import error: cannot write ${tmp}/draft.yaml: no space left on device; free some space on that file system and run again`,
    ]);
    expect(snapshotTree(tmp)).toEqual(before);
  },
  SLOW,
);

test(
  'makeDirs creates the missing levels and refuses a file in the way with ENOTDIR',
  () => {
    makeDirs(`${tmp}/a/b/c`);
    expect(fs.statSync(`${tmp}/a/b/c`).isDirectory()).toBe(true);
    makeDirs(`${tmp}/a/b/c`); // already there: nothing to do
    fs.writeFileSync(`${tmp}/f`, '');
    expect(() => makeDirs(`${tmp}/f/g`)).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  },
  SLOW,
);
