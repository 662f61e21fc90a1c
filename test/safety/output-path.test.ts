// The output path (lib/output/write.ts through main): synth replaces a directory only when it is
// missing, empty or provably its own output. Every refusal is one line, exit 1, and every file
// that existed before is byte-identical afterwards (the .git directory included).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../main';
import { OUTPUT } from '../../lib/base/paths';
import { ROOT, defaultInput, snapshotTree } from '../support/helpers';

let tmp: string;
let repo: string;
let config: string;
let stderr: string[];
let stdout: string[];
const cwd0 = process.cwd();

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ua-out-')));
  // A user's repository: README, a .git, a cluster directory with SOPS secrets and the config.
  repo = path.join(tmp, 'repo');
  fs.mkdirSync(path.join(repo, '.git/objects'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.git/HEAD'), 'ref: refs/heads/main\n');
  fs.writeFileSync(path.join(repo, 'README.md'), '# my cluster\n');
  fs.mkdirSync(path.join(repo, 'clusters/lab/secrets'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'clusters/lab/secrets/authentik.sops.yaml'), 'sops: encrypted\n');
  config = path.join(repo, 'clusters/lab/config.json');
  // No git.path: the Applications follow --out inside this repository (lib/pipeline/git-path.ts).
  const input = defaultInput();
  delete (input.git as { path?: string }).path;
  fs.writeFileSync(config, JSON.stringify(input));
  stderr = [];
  stdout = [];
  jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
  process.chdir(repo);
});
afterEach(() => {
  process.chdir(cwd0);
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Case {
  name: string;
  /** Prepares the case (runs with cwd = repo); returns the --out value. */
  out: () => string;
  message: RegExp;
  cwd?: () => string;
}

const CASES: Case[] = [
  {
    name: '"." (the current directory)',
    out: () => '.',
    message: /^output error: refusing to write \.: it is the current directory; synth replaces the whole directory/,
  },
  {
    name: '"" (an unset $OUT_DIR)',
    out: () => '',
    message: /^output error: --out is empty: give the output directory \(for example --out dist\)$/,
  },
  {
    name: 'the repository root, from a subdirectory',
    cwd: () => path.join(repo, 'clusters'),
    out: () => repo,
    message: /^output error: refusing to write .*\/repo: it is the repository root;/,
  },
  {
    name: 'a parent of the current directory',
    out: () => tmp,
    message: /^output error: refusing to write .*: it is a parent of the current directory;/,
  },
  {
    name: '"/"',
    out: () => '/',
    message: /^output error: refusing to write \/: it is (a parent of the current directory|the file system root);/,
  },
  {
    name: "the config file's directory (forgetting /dist)",
    out: () => 'clusters/lab',
    message: /^output error: refusing to write clusters\/lab: it is the config file's directory or a parent of it;/,
  },
  {
    name: 'a parent of the config file',
    out: () => 'clusters',
    message: /^output error: refusing to write clusters: it is the config file's directory or a parent of it;/,
  },
  {
    name: 'a non-empty directory of foreign files',
    out: () => {
      fs.mkdirSync(path.join(repo, 'notes'));
      fs.writeFileSync(path.join(repo, 'notes/todo.txt'), 'buy milk\n');
      return 'notes';
    },
    message:
      /^output error: refusing to replace notes: notes\/todo\.txt was not written by synth \(notes has no \.unified-auth\.sha256\); move it out or choose another --out \(the output of a version before the manifest: move it aside and give it as --baseline\)$/,
  },
  {
    name: 'a previous output with one foreign file added',
    out: () => {
      expect(main(['--config', config, '--out', 'dist'])).toBe(0);
      fs.writeFileSync(path.join(repo, 'dist/values/my-overrides.yaml'), 'replicas: 3\n');
      stdout = [];
      return 'dist';
    },
    message: /^output error: refusing to replace dist: dist\/values\/my-overrides\.yaml was not written by synth/,
  },
  {
    name: 'a directory holding the outputs of other clusters (--out clusters)',
    cwd: () => tmp,
    out: () => {
      process.chdir(repo);
      expect(main(['--config', config, '--out', 'out/lab/dist'])).toBe(0);
      expect(main(['--config', config, '--out', 'out/prod/dist'])).toBe(0);
      fs.rmSync(path.join(repo, 'out/prod/dist', OUTPUT.manifest));
      stdout = [];
      return path.join(repo, 'out');
    },
    message: /^output error: refusing to replace .*\/out: .*\/out\/lab\/dist\/\.unified-auth\.sha256 was not written by synth/,
  },
  {
    name: 'generated-looking files outside the known layout',
    out: () => {
      fs.mkdirSync(path.join(repo, 'gen'));
      fs.writeFileSync(
        path.join(repo, 'gen/notes.yaml'),
        '# Generated by unified-auth (npm run synth). Do not edit: change the config and re-run.\nmine: true\n',
      );
      return 'gen';
    },
    message: /^output error: refusing to replace gen: gen\/notes\.yaml was not written by synth/,
  },
  {
    name: 'a file',
    out: () => {
      fs.writeFileSync(path.join(repo, 'dist'), 'a file\n');
      return 'dist';
    },
    message: /^output error: refusing to write dist: it is a file, not a directory$/,
  },
  {
    name: 'a symlink to a file',
    out: () => {
      fs.symlinkSync('README.md', path.join(repo, 'dist'));
      return 'dist';
    },
    message: /^output error: refusing to write dist: it is a symbolic link to a file, not a directory$/,
  },
  {
    name: 'a dangling symlink',
    out: () => {
      fs.symlinkSync('nowhere', path.join(repo, 'dist'));
      return 'dist';
    },
    message: /^output error: refusing to write dist: it is a symbolic link to a path that does not exist$/,
  },
  {
    name: 'a directory holding a .git',
    out: () => {
      fs.mkdirSync(path.join(repo, 'vendor/other/.git'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'vendor/other/.git/HEAD'), 'x\n');
      return 'vendor/other';
    },
    message: /^output error: refusing to write vendor\/other: it holds a \.git repository$/,
  },
  {
    name: 'a generated tree with a .git inside',
    out: () => {
      expect(main(['--config', config, '--out', 'dist'])).toBe(0);
      fs.mkdirSync(path.join(repo, 'dist/docs/.git'));
      stdout = [];
      return 'dist';
    },
    message: /^output error: refusing to replace dist: dist\/docs\/\.git was not written by synth/,
  },
  {
    name: 'a read-only directory',
    out: () => {
      fs.mkdirSync(path.join(repo, 'ro'));
      fs.chmodSync(path.join(repo, 'ro'), 0o555);
      // root ignores file modes: there, make the kernel's answer explicit.
      if (process.getuid?.() === 0) {
        const real = fs.mkdirSync;
        jest.spyOn(fs, 'mkdirSync').mockImplementation((p, o) => {
          if (String(p).startsWith(path.join(repo, 'ro')))
            throw Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'mkdir', path: String(p) });
          return real(p, o);
        });
      }
      return 'ro/dist';
    },
    message:
      /^output error: cannot write ro\/dist\/: permission denied \(.*\/ro\/dist\.synth-[0-9a-f]{16}\); give this user access to it, or choose another path$/,
  },
];

describe('refused output paths: exit 1, one line, every pre-existing file byte-identical', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const out = c.out();
    if (c.cwd) process.chdir(c.cwd());
    const before = snapshotTree(tmp);
    expect(main(['--config', config, '--out', out])).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(c.message);
    expect(stderr[0]).not.toMatch(/\n|internal error|^\s+at /);
    expect(stdout).toEqual([]);
    expect(snapshotTree(tmp)).toEqual(before);
  });
});

describe('accepted output paths', () => {
  const synth = (out: string) => main(['--config', config, '--out', out]);

  test('a missing directory, then its own output again', () => {
    expect(synth('dist')).toBe(0);
    expect(fs.existsSync(path.join(repo, 'dist', OUTPUT.manifest))).toBe(true);
    expect(synth('dist')).toBe(0);
    expect(stderr).toEqual([]);
  });

  test('an empty directory', () => {
    fs.mkdirSync(path.join(repo, 'dist'));
    expect(synth('dist')).toBe(0);
  });

  test('the output of a version without a manifest is the baseline of a fresh --out (README § What synth may replace)', () => {
    fs.cpSync(path.join(ROOT, 'dist'), path.join(repo, 'old-dist'), { recursive: true });
    fs.rmSync(path.join(repo, 'old-dist', OUTPUT.manifest));
    expect(main(['--out', 'dist', '--baseline', 'old-dist', '--config', config])).toBe(0);
    expect(fs.existsSync(path.join(repo, 'dist', OUTPUT.manifest))).toBe(true);
  });

  test("a file listed in the manifest is synth's even after a hand edit: regenerated, and named on a warning line", () => {
    expect(synth('dist')).toBe(0);
    fs.writeFileSync(path.join(repo, 'dist/values/argocd.yaml'), '<<<<<<< HEAD\nmerge conflict\n');
    expect(synth('dist')).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'dist/values/argocd.yaml'), 'utf8')).toMatch(/^# Generated by unified-auth/);
    expect(stderr).toEqual([
      'warning: dist/values/argocd.yaml was changed since synth wrote it (a hand edit or a merge conflict); replaced by the generated file',
    ]);
  });

  test('a symlink to a directory is written through: the link stays, its target gets the tree', () => {
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(repo, 'dist'));
    expect(synth('dist')).toBe(0);
    expect(synth('dist')).toBe(0);
    expect(fs.lstatSync(path.join(repo, 'dist')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(repo, 'dist'))).toBe(path.join(tmp, 'elsewhere'));
    expect(fs.existsSync(path.join(tmp, 'elsewhere', OUTPUT.manifest))).toBe(true);
    expect(fs.readdirSync(tmp).sort()).toEqual(['elsewhere', 'repo']);
  });
});

// Leftovers of killed runs (run directories with and without a marker): test/safety/ownership.test.ts.

describe('SIGKILL at each point of the write: the output is the old or the new tree, and the next run leaves no leftovers', () => {
  const SYNTH = path.join(ROOT, 'bin/synth.cjs');
  /** Stops or signals the real process at fs calls (test/support/interrupt-at.cjs). */
  const HOOK = path.join(ROOT, 'test/support/interrupt-at.cjs');
  interface At {
    fn: 'mkdirSync' | 'writeFileSync' | 'renameSync' | 'rmSync' | 'openSync';
    match: string;
    nth: number;
  }
  /**
   * Run `node bin/synth.cjs` on `cfg`, interrupted by `signal` at `points`; resolves to its exit
   * code (-9 when killed). With SIGKILL it stops at each point, `atStop(i)` runs (the disk then is
   * what a kill there leaves: nothing of the process survives a SIGKILL but what it wrote), and the
   * last point gets the real SIGKILL.
   */
  const interrupted = (cfg: string, out: string, points: At[], signal: NodeJS.Signals, atStop: (i: number) => void = () => {}) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['--require', HOOK, SYNTH, '--config', cfg, '--out', out], {
        env: { ...process.env, UA_INTERRUPT_AT: JSON.stringify({ signal, points }) },
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        for (let m = /stopped (\d+)\n/.exec(err); m; m = /stopped (\d+)\n/.exec(err)) {
          err = err.slice(m.index + m[0].length);
          const i = Number(m[1]);
          atStop(i);
          if (i === points.length - 1) child.kill('SIGKILL');
          else child.stdin.write('\n');
        }
      });
      child.once('exit', (code, sig) => resolve(sig === 'SIGKILL' ? -9 : code));
    });

  // The points a kill can hit, in the order of lib/output/write.ts writeAtomically (the run's
  // directory is <out>.synth-<run>/; both renames name a path under <out>): what the output is then.
  const kills = (out: string): Array<{ at: At; state: 'old' | 'new' | 'swap' }> => [
    { at: { fn: 'mkdirSync', match: 'dist.synth-', nth: 1 }, state: 'old' }, // rendered, nothing written
    { at: { fn: 'writeFileSync', match: 'dist.synth-', nth: 10 }, state: 'old' }, // the marker and 8 files of the new tree
    { at: { fn: 'renameSync', match: out, nth: 1 }, state: 'old' }, // the new tree complete, before the swap
    { at: { fn: 'renameSync', match: out, nth: 2 }, state: 'swap' }, // between the two renames
    { at: { fn: 'rmSync', match: 'dist.synth-', nth: 1 }, state: 'new' }, // swapped, the old tree not yet removed
  ];

  test('bounded loop of kills', async () => {
    process.chdir(cwd0);
    // Old: the default config. New: 8 more forward-auth services (other bytes in most files).
    const newInput = defaultInput();
    for (let i = 0; i < 8; i++) {
      newInput.services.push({
        slug: `svc${i}`,
        name: `Service ${i}`,
        host: `svc${i}.frank.derio.net`,
        allowedGroups: ['root-admins'],
        forwardAuth: { upstream: `http://10.0.0.${i % 250}:80` },
      });
    }
    delete (newInput.git as { path?: string }).path;
    const newConfig = path.join(tmp, 'new.json');
    fs.writeFileSync(newConfig, JSON.stringify(newInput));
    const out = path.join(repo, 'kill', 'dist'); // in the repository: git.path follows it
    // Runs that are not interrupted go in-process (the same code, no Node start-up): only interrupted ones spawn.
    const run = (cfg: string) => expect(main(['--config', cfg, '--out', out])).toBe(0);
    run(config);
    const oldTree = snapshotTree(out);
    run(newConfig);
    const newTree = snapshotTree(out);
    expect(newTree).not.toEqual(oldTree);

    // The bundle is built (if a source changed) before the real runs, in this process: no extra Node start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../bin/build.cjs').ensureBuilt();
    const saved = path.join(tmp, 'saved-old');
    fs.rmSync(out, { recursive: true });
    run(config);
    fs.cpSync(out, saved, { recursive: true });
    const fromOld = () => {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      fs.cpSync(saved, out, { recursive: true });
    };
    // One real process stops at each point in turn; what is on disk at each stop is kept, and the
    // process ends by SIGKILL at the last. Each kept state then meets the next run.
    fromOld();
    const points = kills(out);
    const atPoint = (i: number) => path.join(tmp, `killed-at-${i}`);
    const code = await interrupted(
      newConfig,
      out,
      points.map((k) => k.at),
      'SIGKILL',
      (i) => fs.cpSync(path.dirname(out), atPoint(i), { recursive: true }),
    );
    expect(code).toBe(-9);
    for (const [i, { at, state }] of points.entries()) {
      expect([JSON.stringify(at), fs.existsSync(atPoint(i))]).toEqual([JSON.stringify(at), true]);
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      fs.cpSync(atPoint(i), path.dirname(out), { recursive: true });
      const siblings = fs.readdirSync(path.dirname(out)).filter((n) => n !== 'dist');
      // Killed before the run's directory was made, none; after, that one directory.
      expect(siblings).toHaveLength(at.fn === 'mkdirSync' ? 0 : 1);
      if (fs.existsSync(out)) {
        const now = snapshotTree(out);
        const which =
          JSON.stringify(now) === JSON.stringify(oldTree) ? 'old' : JSON.stringify(now) === JSON.stringify(newTree) ? 'new' : 'neither';
        expect(`${which} (killed at ${JSON.stringify(at)})`).toMatch(/^(old|new) /);
        expect(which).toBe(state);
      } else {
        // Killed between the two renames of the swap: the old tree waits in the run's directory, complete.
        expect(state).toBe('swap');
        const work = siblings.find((n) => n.startsWith('dist.synth-'));
        expect(work).toBeDefined();
        expect(snapshotTree(path.join(path.dirname(out), work!, 'old'))).toEqual(oldTree);
      }
      // The next run (of either config) restores or cleans up, and leaves exactly one tree.
      run(newConfig);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
      expect(snapshotTree(out)).toEqual(newTree);
    }

    // Ctrl-C (SIGINT) is handled: the old tree or the new one, no temp directory even before the next
    // run. While rendering (the config is read): exit 130, the old tree. During the write (at its
    // first rename): the write finishes, exit 0, the new tree.
    const CTRL_C: Array<{ at: At; code: number; tree: Record<string, string> }> = [
      { at: { fn: 'openSync', match: 'new.json', nth: 1 }, code: 130, tree: oldTree },
      { at: { fn: 'renameSync', match: out, nth: 1 }, code: 0, tree: newTree },
    ];
    for (const { at, code, tree } of CTRL_C) {
      fromOld();
      expect(await interrupted(newConfig, out, [at], 'SIGINT')).toBe(code);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
      expect(snapshotTree(out)).toEqual(tree);
    }
  }, 180_000);
});
