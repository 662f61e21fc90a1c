// Ownership by proof (lib/output/write.ts): synth touches a directory next to its output only when the
// run marker inside proves a synth run made it for that output and the run is over (pid and start
// time); a user's `dist.old-2024` is never one. Inside the output, only files the manifest lists are
// synth's. Every case asserts the exit code, the lines printed, and that what must stay is byte-identical.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../main';
import { GENERATED_HEADER } from '../../lib/base/file-text';
import { OUTPUT } from '../../lib/base/paths';
import { RUN_MARKER, runDirName, thisRun, type RunMarker } from '../../lib/output/write';
import { ROOT, defaultInput } from '../support/helpers';
import { oneLineEach, runIn, scratch, snapshot } from './support';

let template: string; // a synth of the default config
let deadPid: number;
let repo: string;
const abs = () => path.join(repo, 'dist');

beforeAll(() => {
  const dir = scratch('own-template');
  template = path.join(dir, 'dist');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(defaultInput()));
  expect(runIn(dir, () => main(['--config', 'config.json', '--out', 'dist'])).code).toBe(0);
  deadPid = spawnSync('true').pid!; // a process that has ended (the cheapest to start)
});
beforeEach(() => {
  repo = scratch('own');
  fs.mkdirSync(path.join(repo, 'cluster'));
  fs.writeFileSync(path.join(repo, 'cluster/config.json'), JSON.stringify(defaultInput()));
  const noSympozium = defaultInput();
  noSympozium.services = noSympozium.services.filter((s) => s.slug !== 'sympozium');
  fs.writeFileSync(path.join(repo, 'cluster/no-sympozium.json'), JSON.stringify(noSympozium));
  const bad = defaultInput();
  bad.authentik.url = 'http://auth.frank.derio.net';
  fs.writeFileSync(path.join(repo, 'cluster/bad.json'), JSON.stringify(bad));
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

const withOutput = () => fs.cpSync(template, abs(), { recursive: true });
const userDir = (name: string) => {
  fs.mkdirSync(path.join(repo, name, 'apps'), { recursive: true });
  fs.writeFileSync(path.join(repo, name, 'apps/mine.yaml'), `# ${name}: a backup of mine\n`);
};

/** A run directory as a synth run writes it, with its marker changed by `m`; returns its name. */
function forge(m: Partial<RunMarker> = {}, contents: { old?: boolean; fresh?: boolean } = {}): string {
  const marker = { ...thisRun(abs()), pid: deadPid, start: null, ...m };
  const dir = path.join(repo, runDirName(abs(), marker.run));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, RUN_MARKER), JSON.stringify(marker));
  if (contents.old) fs.cpSync(template, path.join(dir, 'old'), { recursive: true });
  if (contents.fresh) {
    fs.mkdirSync(path.join(dir, 'new/apps'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'new/apps/half.yaml'), 'half');
  }
  return path.basename(dir);
}

interface Case {
  name: string;
  /** Prepares the repository; returns the entries (relative to it) that must stay byte-identical (all: everything). */
  arrange: () => string[] | 'all';
  config?: string;
  code: 0 | 1;
  stderr: RegExp[];
  /** Lines stdout must hold (in order, among others). */
  stdout?: RegExp[];
  /** Entries of the repository that must be gone afterwards. */
  gone?: string[];
}

let forged = '';
const CASES: Case[] = [
  {
    name: "a user's directories named like the old leftovers (dist.old-2024, dist.tmp-1) are never touched",
    arrange: () => (withOutput(), userDir('dist.old-2024'), userDir('dist.tmp-1'), ['dist.old-2024', 'dist.tmp-1']),
    code: 0,
    stderr: [],
    stdout: [/^synth: wrote \d+ files to dist\/(?: \(outside a git repository[^)]*\))?$/],
  },
  {
    name: 'a failed run with no output and two user directories named like leftovers changes nothing',
    arrange: () => {
      fs.cpSync(template, path.join(repo, 'dist.old-1'), { recursive: true });
      fs.cpSync(template, path.join(repo, 'dist.old-2'), { recursive: true });
      return 'all';
    },
    config: 'cluster/bad.json',
    code: 1,
    stderr: [/^config error: (?:\S+:\d+:\d+: )?authentik\.url: /],
  },
  {
    name: "a dead run's unfinished directory is removed after the write, and named",
    arrange: () => (withOutput(), userDir('dist.old-9'), (forged = forge({}, { fresh: true })), ['dist.old-9']),
    code: 0,
    stderr: [],
    stdout: [/^synth: removed dist\.synth-[0-9a-f]{16}\/ \(left by a synth run that did not finish\)$/, /^synth: wrote /],
    gone: ['<forged>'],
  },
  {
    name: 'killed mid-swap: the previous output it left is the baseline (removing a service is an orphan), and nothing changes',
    arrange: () => (forge({}, { old: true }), 'all'),
    config: 'cluster/no-sympozium.json',
    code: 1,
    stderr: ['proxy provider "sympozium forward auth"', 'application "sympozium"', 'access policy "unified-auth access sympozium"'].map(
      (o) => new RegExp(`^check failed: ${o} \\(created by dist\\.synth-[0-9a-f]{16}/old/authentik-extras/[^)]+\\) is no longer generated`),
    ),
  },
  {
    name: 'killed mid-swap: the next good run writes the output, then removes the run directory',
    arrange: () => ((forged = forge({}, { old: true })), []),
    code: 0,
    stderr: [],
    stdout: [/^synth: removed dist\.synth-[0-9a-f]{16}\/ \(left by a synth run killed mid-swap; its previous output was the baseline\)$/],
    gone: ['<forged>'],
  },
  {
    name: 'a reused pid (same pid, another start time) is a dead run',
    arrange: () => (withOutput(), (forged = forge({ pid: process.pid, start: '1' }, { fresh: true })), []),
    code: 0,
    stderr: [],
    stdout: [/^synth: removed dist\.synth-/],
    gone: ['<forged>'],
  },
  {
    name: 'a live run (this very process, same start time) is left alone',
    arrange: () => (withOutput(), [forge({ pid: process.pid, start: thisRun(abs()).start }, { fresh: true })]),
    code: 0,
    stderr: [],
  },
  {
    name: 'no output while a live run is between its two renames: refused (its old/ is the baseline, not nothing), nothing changes',
    arrange: () => (forge({ pid: process.pid, start: thisRun(abs()).start }, { old: true }), 'all'),
    code: 1,
    stderr: [/^output error: another synth run \(pid \d+\) is replacing .*\/dist right now; run again when it has finished/],
  },
  {
    name: 'a run on another host (a shared disk: cannot tell) is left alone',
    arrange: () => (withOutput(), [forge({ host: 'another-host' }, { fresh: true })]),
    code: 0,
    stderr: [],
  },
  {
    name: 'a marker naming another output is no proof',
    arrange: () => (withOutput(), [forge({ target: path.join(repo, 'elsewhere') }, { old: true })]),
    code: 0,
    stderr: [],
  },
  {
    name: 'a marker that does not parse is no proof',
    arrange: () => {
      withOutput();
      const name = forge({}, { fresh: true });
      fs.writeFileSync(path.join(repo, name, RUN_MARKER), '{"tool": "unified-auth synth", ');
      return [name];
    },
    code: 0,
    stderr: [],
  },
  {
    name: 'no output and two killed swaps each holding a previous output: refused, nothing changes',
    arrange: () => (forge({}, { old: true }), forge({}, { old: true }), 'all'),
    code: 1,
    stderr: [/^output error: .*\/dist is missing and 2 killed runs each left a previous output \(.*\): move the right one to /],
  },
  {
    name: "a reviewer's annotated copy of ACCESS.md, with the generated header but not in the manifest, is refused, not deleted",
    arrange: () => {
      withOutput();
      fs.writeFileSync(path.join(abs(), 'docs/ACCESS-reviewed.md'), `<!-- ${GENERATED_HEADER.slice(2).trim()} -->\nlooks fine to me\n`);
      return 'all';
    },
    code: 1,
    stderr: [
      /^output error: refusing to replace dist: dist\/docs\/ACCESS-reviewed\.md was not written by synth \(not in \.unified-auth\.sha256\); move it out or choose another --out$/,
    ],
  },
  {
    name: 'a manifest that is not one synth wrote (a conflict in it) is refused',
    arrange: () => {
      withOutput();
      fs.appendFileSync(path.join(abs(), OUTPUT.manifest), '<<<<<<< HEAD\n');
      return 'all';
    },
    code: 1,
    stderr: [/^output error: refusing to replace dist: dist\/\.unified-auth\.sha256 line \d+ is not a manifest synth wrote/],
  },
];

describe('ownership by proof: exit code, lines, and what must stay byte-identical', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    forged = '';
    const keep = c.arrange();
    const before = snapshot(repo);
    const r = runIn(repo, () => main(['--config', c.config ?? 'cluster/config.json', '--out', 'dist']));
    expect(r.code).toBe(c.code);
    expect(r.stderr).toHaveLength(c.stderr.length);
    r.stderr.forEach((l, i) => expect(l).toMatch(c.stderr[i]));
    expect(oneLineEach([...r.stderr, ...r.stdout])).toBe(true);
    const lines = [...(c.stdout ?? [])];
    for (const l of r.stdout) if (lines.length && lines[0].test(l)) lines.shift();
    expect(lines).toEqual([]);
    const after = snapshot(repo);
    if (keep === 'all') expect(after).toEqual(before);
    else
      for (const k of Object.keys(before).filter((p) => keep.some((d) => p === d || p.startsWith(`${d}/`))))
        expect(after[k]).toBe(before[k]);
    for (const g of c.gone ?? []) expect(fs.existsSync(path.join(repo, g === '<forged>' ? forged : g))).toBe(false);
    if (c.code === 0) expect(snapshot(abs())).toEqual(snapshot(template));
  });
});

test('two concurrent synths of one output: each exits 0 or with one output error line; one complete tree, no run directory left', async () => {
  const SYNTH = path.join(ROOT, 'bin/synth.cjs');
  const cfg = path.join(repo, 'cluster/config.json');
  const runs = [0, 1].map(
    () =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [SYNTH, '--config', cfg, '--out', abs()], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += String(d)));
        child.on('exit', (code) => resolve({ code, err }));
      }),
  );
  const results = await Promise.all(runs);
  for (const { code, err } of results) {
    if (code === 0) expect(err).toBe('');
    else expect(err).toMatch(/^output error: [^\n]+\n$/);
  }
  expect(results.some((r) => r.code === 0)).toBe(true);
  expect(fs.readdirSync(repo).sort()).toEqual(['cluster', 'dist']);
  expect(snapshot(abs())).toEqual(snapshot(template));
}, 60_000);
