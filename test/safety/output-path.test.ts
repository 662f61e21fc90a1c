// The output path (lib/output/write.ts through main): synth replaces a directory only when it is
// missing, empty or provably its own output. Every refusal is one line, exit 1, and every file
// that existed before is byte-identical afterwards (the .git directory included).
import { execFileSync, spawn } from 'node:child_process';
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

describe('SIGKILL at random points: the output is the old or the new tree, and the next run leaves no leftovers', () => {
  const SYNTH = path.join(ROOT, 'bin/synth.cjs');
  /** Deterministic pseudo-random delays (mulberry32), so a failure reproduces. */
  const rand = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  test('bounded loop of kills', async () => {
    process.chdir(cwd0);
    // Old: the default config. New: 80 more forward-auth services (more files and bytes to write).
    const newInput = defaultInput();
    for (let i = 0; i < 80; i++) {
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
    // Runs that are not killed go in-process (the same code, no Node start-up): only killed ones spawn.
    const run = (cfg: string) => expect(main(['--config', cfg, '--out', out])).toBe(0);
    run(config);
    const oldTree = snapshotTree(out);
    run(newConfig);
    const newTree = snapshotTree(out);
    expect(newTree).not.toEqual(oldTree);

    // The bundle is built (if a source changed) before the timed run, in this process: no extra Node start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../bin/build.cjs').ensureBuilt();
    const t0 = Date.now();
    execFileSync(process.execPath, [SYNTH, '--config', newConfig, '--out', out], { stdio: 'pipe' });
    const full = Date.now() - t0;
    const next = rand(9);
    const seen = new Set<string>();
    const saved = path.join(tmp, 'saved-old');
    fs.rmSync(out, { recursive: true });
    run(config);
    fs.cpSync(out, saved, { recursive: true });
    for (let i = 0; i < 5; i++) {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      fs.cpSync(saved, out, { recursive: true });
      const delay = Math.floor(next() * full * 1.2);
      const child = spawn(process.execPath, [SYNTH, '--config', newConfig, '--out', out], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      const siblings = fs.readdirSync(path.dirname(out)).filter((n) => n !== 'dist');
      if (fs.existsSync(out)) {
        const now = snapshotTree(out);
        const which =
          JSON.stringify(now) === JSON.stringify(oldTree) ? 'old' : JSON.stringify(now) === JSON.stringify(newTree) ? 'new' : 'neither';
        expect(`${which} (after ${delay} ms)`).toMatch(/^(old|new) /);
        seen.add(which);
      } else {
        // Killed between the two renames of the swap: the old tree waits in the run's directory, complete.
        const work = siblings.find((n) => n.startsWith('dist.synth-'));
        expect(work).toBeDefined();
        expect(snapshotTree(path.join(path.dirname(out), work!, 'old'))).toEqual(oldTree);
        seen.add('swap');
      }
      // The next run (of either config) restores or cleans up, and leaves exactly one tree.
      run(newConfig);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
      expect(snapshotTree(out)).toEqual(newTree);
    }
    // Informational: which states the kills hit (old before the swap, new after it).
    expect([...seen].every((s) => ['old', 'new', 'swap'].includes(s))).toBe(true);

    // Ctrl-C (SIGINT) is handled: the old tree or the new one, no temp directory even before the next run.
    for (const delay of [Math.floor(full * 0.3), Math.floor(full * 0.8)]) {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      fs.cpSync(saved, out, { recursive: true });
      const child = spawn(process.execPath, [SYNTH, '--config', newConfig, '--out', out], { stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGINT');
      const code = await exited;
      // null: the signal came while node was still starting, before synth installed its handler,
      // or after the write, once synth had removed it (a loaded machine hits both): the old tree
      // or the new one, whole.
      expect([0, 130, null]).toContain(code);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
      const now = snapshotTree(out);
      if (code === null) expect([oldTree, newTree]).toContainEqual(now);
      else expect(now).toEqual(code === 0 ? newTree : oldTree);
    }
  }, 180_000);
});
