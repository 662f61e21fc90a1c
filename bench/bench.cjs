#!/usr/bin/env node
// `npm run bench`: wall time and peak RSS of this project's synth against the stock cdk8s
// pipeline (`cdk8s synth` running `npx ts-node main.ts`), the bare `node -e 0` floor, and
// generated configs of 50/500/2000 services. Prints a markdown report on stdout (progress goes
// to stderr) and checks the issue-6 targets. A script, not a test: exit code 0 unless --strict.
//
//   node bench/bench.cjs [--runs N] [--large-runs N] [--warmup N] [--sizes 50,500,2000]
//                        [--format yaml|json] [--no-stock] [--no-rss] [--profile] [--strict] [--keep]
//
// Each case: `--warmup` untimed runs, then N timed runs, each a fresh process. Wall time is
// measured here (process.hrtime around spawnSync). Peak RSS comes from GNU time (`/usr/bin/time
// -f %M`, Debian package `time`) when it is installed, else it is reported as n/a; for a command
// that spawns children (npm, cdk8s) it is the peak of the largest single process in the tree.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fail, int, log } = require('./cli.cjs');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'build', 'main.cjs');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const NODE = process.execPath;

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `usage: node bench/bench.cjs [options]
  --runs N          timed runs per case (default 10)
  --large-runs N    timed runs for configs of 2000+ services (default 3)
  --warmup N        untimed warm-up runs per case (default 1)
  --sizes LIST      generated config sizes, comma-separated (default 50,500,2000)
  --format F        generated config format: yaml or json (default yaml)
  --access SxG      the access-size case: S services over G groups (default 2000x24)
  --oidc-sizes LIST sizes of generated configs of native-OIDC services only (default 2000; 0 = none)
  --no-stock        skip the stock cdk8s + ts-node case (the slow one)
  --no-rss          do not use GNU time (peak RSS is then n/a)
  --profile         also CPU-profile the largest size and print the hot spots
  --strict          exit 1 when a target fails or a case cannot run
  --keep            keep the temporary directory (its path is printed)`;

function parseOptions(argv) {
  const o = {
    runs: 10,
    largeRuns: 3,
    warmup: 1,
    sizes: [50, 500, 2000],
    access: [2000, 24],
    oidcSizes: [2000],
    format: 'yaml',
    stock: true,
    rss: true,
    profile: false,
    strict: false,
    keep: false,
    forceMinimal: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') o.runs = int(a, value(), 1);
    else if (a === '--large-runs') o.largeRuns = int(a, value(), 1);
    else if (a === '--warmup') o.warmup = int(a, value(), 0);
    else if (a === '--access') {
      const m = /^(\d+)x(\d+)$/.exec(value());
      if (!m) fail('--access needs SxG, e.g. 2000x24');
      o.access = [int(a, m[1], 1), int(a, m[2], 1)];
    } else if (a === '--oidc-sizes')
      o.oidcSizes = value()
        .split(',')
        .map((s) => int(a, s.trim(), 0))
        .filter((n) => n > 0);
    else if (a === '--sizes')
      o.sizes = value()
        .split(',')
        .map((s) => int(a, s.trim(), 1))
        .sort((x, y) => x - y);
    else if (a === '--format') {
      o.format = value();
      if (!['yaml', 'json'].includes(o.format)) fail('--format must be yaml or json');
    } else if (a === '--no-stock') o.stock = false;
    else if (a === '--no-rss') o.rss = false;
    else if (a === '--profile') o.profile = true;
    else if (a === '--strict') o.strict = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--stock-minimal')
      o.forceMinimal = true; // testing aid: exercise the fallback
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument "${a}"\n${USAGE}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Measuring one process

/** GNU time with -f/-o, or null (then RSS is n/a). BusyBox `time` lacks -o and is not used. */
function findGnuTime(tmp) {
  const bin = '/usr/bin/time';
  if (!fs.existsSync(bin)) return null;
  const probe = path.join(tmp, 'time-probe');
  const r = spawnSync(bin, ['-f', '%M', '-o', probe, NODE, '-e', '0'], { stdio: 'ignore' });
  const ok = r.status === 0 && fs.existsSync(probe) && /^\d+$/.test(fs.readFileSync(probe, 'utf8').trim().split('\n').pop());
  return ok ? bin : null;
}

let TIME_BIN = null;
let TIME_OUT = null;

/** One run: { ms, rssKiB (or null), status, stdout, stderr }. */
function runOnce(cmd) {
  let file = cmd.file;
  let args = cmd.args;
  if (TIME_BIN) {
    fs.rmSync(TIME_OUT, { force: true });
    args = ['-f', '%M', '-o', TIME_OUT, file, ...args];
    file = TIME_BIN;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, {
    cwd: cmd.cwd ?? ROOT,
    env: cmd.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssKiB = null;
  if (TIME_BIN && fs.existsSync(TIME_OUT)) {
    // With -o, GNU time writes "Command exited with non-zero status N" before the format line.
    const last = fs.readFileSync(TIME_OUT, 'utf8').trim().split('\n').pop();
    if (/^\d+$/.test(last)) rssKiB = Number(last);
  }
  const status = r.error ? `${r.error.code ?? r.error.message}` : (r.status ?? `signal ${r.signal}`);
  return { ms, rssKiB, status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const bundleMtime = () => fs.statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/**
 * Warm-up + timed runs of one case. Returns a result row; `error` is set (and no timings) when a
 * run exits non-zero. A timed run during which build/main.cjs changed (someone edited a source,
 * so the run may include an esbuild rebuild) is discarded and repeated, at most `runs` times;
 * `redone` counts those.
 */
function bench(label, cmd, runs, warmup) {
  return benchTogether([[label, cmd]], runs, warmup)[0];
}

/**
 * bench() for several cases at once, taking turns run by run: a host's speed drifts over seconds
 * (other processes, CPU frequency), and cases compared with each other (synth against the
 * `node -e 0` floor) must meet the same drift. Returns one row per case, in order.
 */
function benchTogether(cases, runs, warmup) {
  const rows = cases.map(([label]) => ({ label, runs, times: [], rss: [], error: null, redone: 0, lastStdout: '' }));
  for (let round = 0; round < warmup + runs + runs; round++) {
    const live = rows.filter((row) => !row.error && (round < warmup || row.times.length < runs));
    if (!live.length) break;
    for (const row of live) {
      const [label, cmd] = cases[rows.indexOf(row)];
      const timed = round >= warmup;
      log(`  ${label}: ${timed ? `run ${row.times.length + 1}/${runs}` : `warm-up ${round + 1}/${warmup}`}`);
      const before = bundleMtime();
      const r = runOnce(cmd);
      if (r.status !== 0) {
        const lines = `${r.stderr}\n${r.stdout}`
          .split('\n')
          .filter((l) => l.trim())
          .slice(0, 12);
        row.error = `exit ${r.status}: ${lines.join(' | ')}`;
        row.times = [];
        row.rss = [];
        log(`  ${label}: FAILED (${row.error})`);
        continue;
      }
      row.lastStdout = r.stdout;
      if (!timed) continue;
      if (bundleMtime() !== before && row.redone < runs) {
        row.redone++;
        log(`  ${label}: build/main.cjs changed during the run; repeating it`);
        continue;
      }
      row.times.push(r.ms);
      if (r.rssKiB !== null) row.rss.push(r.rssKiB);
    }
  }
  for (const row of rows.filter((r) => !r.error && r.times.length)) {
    row.median = median(row.times);
    row.min = Math.min(...row.times);
    row.max = Math.max(...row.times);
    row.peakRss = row.rss.length ? Math.max(...row.rss) : null;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Generated configs

/**
 * The default config (config/frank.ts, via the bundle's loadConfigFile()) plus `n` services:
 * every 5th a native-OIDC `generic` consumer (callbackPath /oauth/callback), the others
 * forward-auth behind http://10.0.<i/250>.<i%250>:80; every 3rd restricted to two groups, the
 * others open on purpose (allowedGroups: any). With `groups` > 0: that many people groups in
 * all (team-<k> added to the default's), and every service restricted to two of them in turn.
 * With `allOidc`, every added service is a native-OIDC consumer (the per-client checks: issuers,
 * callbacks, secret contract).
 */
function generateConfig(base, n, groups = 0, allOidc = false) {
  const cfg = structuredClone(base);
  const domain = cfg.cluster.domain;
  for (let k = cfg.groups.length; k < groups; k++) cfg.groups.push({ name: `team-${k}` });
  const people = cfg.groups.filter((g) => (g.members ?? 'people') === 'people').map((g) => g.name);
  for (let i = 0; i < n; i++) {
    const s = { slug: `svc-${i}`, name: `Service ${i}`, host: `svc-${i}.${domain}` };
    if (allOidc || i % 5 === 4) s.oidc = { consumer: 'generic', callbackPath: '/oauth/callback' };
    else s.forwardAuth = { upstream: `http://10.0.${Math.floor(i / 250)}.${i % 250}:80` };
    if (groups) s.allowedGroups = [people[i % people.length], people[(i + 1) % people.length]];
    else s.allowedGroups = i % 3 === 0 ? people.slice(0, 2) : 'any';
    cfg.services.push(s);
  }
  return cfg;
}

/**
 * Blueprint entries (total, tombstones, and the tombstones of group bindings: one per (service,
 * group) would make the size O(services × groups)) and the largest ConfigMap file of an output
 * directory. The other tombstones are one per forward-auth service at most (its handover guard).
 */
function blueprintSize(outDir) {
  const dir = path.join(outDir, 'authentik-extras');
  let entries = 0;
  let absent = 0;
  let absentBindings = 0;
  let largest = { name: '', bytes: 0 };
  for (const f of fs.readdirSync(dir).filter((n) => n.startsWith('configmap-'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    entries += (text.match(/^ {6}- model: /gm) ?? []).length;
    absent += (text.match(/^ {8}state: absent$/gm) ?? []).length;
    absentBindings += (text.match(/^ {6}- model: authentik_policies\.policybinding\n {8}state: absent$/gm) ?? []).length;
    const bytes = Buffer.byteLength(text);
    if (bytes > largest.bytes) largest = { name: f, bytes };
  }
  return { entries, absent, absentBindings, largest };
}

function writeConfig(dir, cfg, n, format, tag = 'services') {
  const file = path.join(dir, `${tag}-${n}.${format}`);
  const text = format === 'json' ? `${JSON.stringify(cfg, null, 2)}\n` : require(require.resolve('js-yaml', { paths: [ROOT] })).dump(cfg);
  fs.writeFileSync(file, text);
  return file;
}

// ---------------------------------------------------------------------------------------------
// The stock pipeline

// Stock cdk8s TypeScript apps run `npx ts-node main.ts` with type checking on. Two overrides
// are unavoidable here, and nothing else is changed:
//  - tsconfig.json is written for the bundler (module "preserve", moduleResolution "bundler",
//    noEmit), which ts-node cannot execute. module/moduleResolution "commonjs"/"node10" cannot
//    see @kubernetes-models/argo-cd's types (they are only in its "exports" map: TS2339 on
//    Application.validate/toJSON), so ts-node gets "nodenext", which type-checks cleanly.
//  - @kubernetes-models/argo-cd is ESM-only and its "exports" map has only the "import"
//    condition, so require() fails with ERR_PACKAGE_PATH_NOT_EXPORTED even though Node 20.19+
//    can require(esm). NODE_OPTIONS=--conditions=import lets require() resolve it; the ESM
//    module is then loaded through require(esm).
const TS_NODE_COMPILER_OPTIONS = '{"module":"nodenext","moduleResolution":"nodenext"}';
const STOCK_APP = 'NODE_OPTIONS=--conditions=import npx ts-node main.ts';

const stockEnv = (extra = {}) => ({ ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...extra });

function stockCmd(out) {
  return {
    file: CDK8S,
    args: ['synth', '-a', STOCK_APP, '-o', out],
    env: stockEnv({ TS_NODE_COMPILER_OPTIONS }),
  };
}

// Fallback when main.ts cannot run the stock way at all (e.g. a type error in the working
// tree): a minimal cdk8s app of the same shape, run by `cdk8s synth -a 'npx ts-node ...'`.
const MINIMAL_APP = `// bench fallback: minimal stand-in for main.ts (same libraries, same number of objects)
import { App, ApiObject, Chart } from 'cdk8s';
import { z } from 'zod';

const Service = z.object({ slug: z.string(), host: z.string() });
const services = z.array(Service).parse(
  Array.from({ length: 17 }, (_, i) => ({ slug: \`svc-\${i}\`, host: \`svc-\${i}.example.org\` })),
);
const app = new App();
const chart = new Chart(app, 'apps');
for (const s of services) {
  new ApiObject(chart, s.slug, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: s.slug }, data: { host: s.host } });
}
app.synth();
`;

function minimalStockCmd(tmp, out) {
  const dir = path.join(tmp, 'stock-minimal');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), MINIMAL_APP);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: true },
    }),
  );
  const link = path.join(dir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(ROOT, 'node_modules'), link, 'dir');
  return { file: CDK8S, args: ['synth', '-a', 'npx ts-node main.ts', '-o', out], cwd: dir, env: stockEnv() };
}

// ---------------------------------------------------------------------------------------------
// Output comparison (the stock run must produce the same files as ours)

function readTree(dir, prefix = '', out = new Map()) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) readTree(p, `${prefix}${e.name}/`, out);
    else out.set(`${prefix}${e.name}`, fs.readFileSync(p, 'utf8'));
  }
  return out;
}

function sameTree(a, b) {
  const ta = readTree(a);
  const tb = readTree(b);
  if (ta.size !== tb.size) return { same: false, files: ta.size, why: `${ta.size} vs ${tb.size} files` };
  for (const [k, v] of ta) if (tb.get(k) !== v) return { same: false, files: ta.size, why: `${k} differs` };
  return { same: true, files: ta.size };
}

// ---------------------------------------------------------------------------------------------
// --profile: V8 CPU profile of one synth, hot spots named by source file and function

function profile(tmp, configFile, n) {
  const dir = path.join(tmp, 'cpu-prof');
  fs.rmSync(dir, { recursive: true, force: true });
  const r = spawnSync(NODE, ['--cpu-prof', `--cpu-prof-dir=${dir}`, BUNDLE, '--config', configFile, '--out', path.join(tmp, 'out-prof')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (!files.length) return [`profile of ${n} services failed: ${r.stderr.trim().split('\n')[0]}`];
  const prof = JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8'));

  // esbuild keeps a `// <source path>` comment where each module starts in the bundle.
  const markers = [];
  fs.readFileSync(BUNDLE, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = /^\/\/ (\S+\.(?:ts|tsx|js|cjs|mjs|json))$/.exec(l);
      if (m) markers.push([i, m[1]]);
    });
  const sourceOf = (line) => {
    let lo = 0;
    let hi = markers.length - 1;
    let hit = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid][0] <= line) {
        hit = markers[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return hit ?? 'build/main.cjs';
  };
  const nodes = new Map(prof.nodes.map((nd) => [nd.id, nd]));
  const parent = new Map();
  for (const nd of prof.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
  const key = (nd) => {
    const f = nd.callFrame;
    const inBundle = f.url.endsWith('/build/main.cjs');
    const where = inBundle ? sourceOf(f.lineNumber) : f.url ? path.basename(f.url) : '(native)';
    // Arrow functions have no name: give their line in the bundle (build/main.cjs) instead.
    const name = f.functionName || (inBundle ? `(anonymous, main.cjs:${f.lineNumber + 1})` : '(anonymous)');
    return `${where}:${name}`;
  };
  const self = new Map();
  const incl = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const k = key(nodes.get(id));
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(nodes.get(cur));
      if (!seen.has(kk)) {
        seen.add(kk);
        incl.set(kk, (incl.get(kk) ?? 0) + dt);
      }
    }
  });
  const isProject = (k) => /^(lib|charts|config)\//.test(k) || k.startsWith('main.ts:');
  const top = (m, filter, count) =>
    [...m]
      .filter(([k]) => filter(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([k, ms]) => `| \`${k}\` | ${ms.toFixed(0)} ms | ${((100 * ms) / total).toFixed(0)}% |`);
  return [
    `CPU profile of one synth of ${n} services (\`node --cpu-prof build/main.cjs\`), ${total.toFixed(0)} ms sampled.`,
    '',
    'Project functions by inclusive time:',
    '',
    '| function | inclusive | share |',
    '|---|---:|---:|',
    ...top(incl, isProject, 12),
    '',
    'All functions by self time:',
    '',
    '| function | self | share |',
    '|---|---:|---:|',
    ...top(self, () => true, 10),
  ];
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtS = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(3)} s`);
const fmtMiB = (kib) => (kib === null || kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);

function gitDescribe() {
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (rev.status !== 0) return 'unknown';
  const st = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
  return `${rev.stdout.trim()}${st.stdout.trim() ? ' + uncommitted changes' : ''}`;
}

function main() {
  const opts = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unified-auth-bench-'));
  const cleanup = () => {
    if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  try {
    TIME_BIN = opts.rss ? findGnuTime(tmp) : null;
    TIME_OUT = path.join(tmp, 'time.out');
    if (!TIME_BIN && opts.rss) log('bench: GNU time (/usr/bin/time, Debian package "time") not found; peak RSS will be n/a');

    // The bundle must be fresh before anything is timed, so no timed run includes esbuild.
    log('bench: node bin/build.cjs (rebuilds build/main.cjs only if a source is newer)');
    const build = spawnSync(NODE, [path.join(ROOT, 'bin', 'build.cjs')], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) fail(`node bin/build.cjs failed:\n${build.stderr}`);

    const rows = {};
    const notes = [];
    const out = (name) => path.join(tmp, `out-${name}`);
    const R = opts.runs;
    const W = opts.warmup;

    // (a) and its floor (c) take turns run by run, so their ratio meets one host speed. The in-place
    // row is the process as users run it: in the repository, with its dist/ and recorded state. (a)
    // writes to a directory of its own instead, so it also reads that tree back as the baseline
    // (the state records dist/). Only when dist/ is current: then a run writes nothing.
    log('bench: (a) synth process (default config, and in place) and (c) node -e 0, in turns');
    const current = spawnSync(NODE, ['bin/synth.cjs', '--check'], { cwd: ROOT, stdio: 'ignore' }).status === 0;
    if (!current) notes.push('(a) in place: skipped, `npm run check` fails here (a run would write the repository).');
    [rows.floor, rows.synth, rows.inPlace] = benchTogether(
      [
        ['`node -e 0` (floor)', { file: NODE, args: ['-e', '0'] }],
        ['`node bin/synth.cjs` (default config)', { file: NODE, args: ['bin/synth.cjs', '--out', out('a')] }],
        ...(current ? [['`node bin/synth.cjs` in place (dist/ current, nothing written)', { file: NODE, args: ['bin/synth.cjs'] }]] : []),
      ],
      R,
      W,
    );

    log('bench: (a) npm run synth');
    rows.npm = bench('`npm run synth` (whole, default config)', { file: 'npm', args: ['run', 'synth', '--', '--out', out('npm')] }, R, W);

    log('bench: cdk8s synth with the project app (cdk8s.yaml)');
    rows.cdk8sFast = bench(
      '`cdk8s synth` with cdk8s.yaml (`app: node bin/synth.cjs`)',
      { file: CDK8S, args: ['synth', '-o', out('cdk8s')], env: stockEnv() },
      R,
      W,
    );

    let stockLabel = null;
    if (opts.stock) {
      log('bench: (b) stock cdk8s synth + npx ts-node main.ts (type-checked)');
      stockLabel = "stock: `cdk8s synth -a 'npx ts-node main.ts'` (type-checked)";
      rows.stock = opts.forceMinimal ? { error: 'skipped (--stock-minimal)' } : bench(stockLabel, stockCmd(out('b')), R, W);
      if (rows.stock.error) {
        notes.push(
          `**The stock way could not run main.ts** (${rows.stock.error}). Row (b) instead measures a MINIMAL EQUIVALENT: \`cdk8s synth -a 'npx ts-node main.ts'\` of a 17-object cdk8s + zod app in a temp directory (type-checked); the (b)/(a) ratio compares against it.`,
        );
        stockLabel = "stock, MINIMAL EQUIVALENT app: `cdk8s synth -a 'npx ts-node main.ts'`";
        rows.stock = bench(stockLabel, minimalStockCmd(tmp, out('b-min')), R, W);
        rows.stock.minimal = true;
      } else {
        const cmp = sameTree(out('a'), out('b'));
        notes.push(cmp.same ? `(a) and (b) wrote identical output (${cmp.files} files).` : `**(a) and (b) output differ**: ${cmp.why}.`);
      }
    }

    log('bench: (d) generated configs');
    const bundle = require(BUNDLE);
    const base = JSON.parse(JSON.stringify(bundle.loadConfigFile(path.join(ROOT, bundle.DEFAULT_CONFIG))));
    const sizes = {};
    for (const n of opts.sizes) {
      const file = writeConfig(tmp, generateConfig(base, n), n, opts.format);
      const runs = n >= 2000 ? Math.min(opts.largeRuns, R) : R;
      const row = bench(
        `\`node bin/synth.cjs --config\` ${n} services`,
        { file: NODE, args: ['bin/synth.cjs', '--config', file, '--out', out(`svc-${n}`)] },
        runs,
        W,
      );
      const m = /wrote (\d+) files/.exec(row.lastStdout);
      row.files = m ? Number(m[1]) : undefined;
      row.configFile = file;
      sizes[n] = row;
    }

    const [S, G] = opts.access;
    log(`bench: (e) access size, ${S} services × ${G} groups`);
    const accessFile = writeConfig(tmp, generateConfig(base, S, G), `${S}x${G}`, opts.format);
    const access = bench(
      `\`node bin/synth.cjs --config\` ${S} services × ${G} groups`,
      { file: NODE, args: ['bin/synth.cjs', '--config', accessFile, '--out', out('access')] },
      Math.min(opts.largeRuns, R),
      W,
    );
    if (!access.error) access.size = blueprintSize(out('access'));

    log('bench: (f) generated configs of OIDC services');
    const oidcSizes = {};
    for (const n of opts.oidcSizes) {
      const file = writeConfig(tmp, generateConfig(base, n, 0, true), n, opts.format, 'oidc');
      const runs = n >= 2000 ? Math.min(opts.largeRuns, R) : R;
      const row = bench(
        `\`node bin/synth.cjs --config\` ${n} OIDC services`,
        { file: NODE, args: ['bin/synth.cjs', '--config', file, '--out', out(`oidc-${n}`)] },
        runs,
        W,
      );
      const m = /wrote (\d+) files/.exec(row.lastStdout);
      row.files = m ? Number(m[1]) : undefined;
      oidcSizes[n] = row;
    }

    // ---- report ----
    const lines = [];
    const cpus = os.cpus();
    lines.push('## Synth benchmark');
    lines.push('');
    lines.push(
      `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model?.trim() ?? 'cpu'}, ${os.platform()} ${os.release()}; commit ${gitDescribe()}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    );
    lines.push(
      `${W} warm-up + ${R} timed runs per case (${Math.min(opts.largeRuns, R)} for 2000+ services); wall time measured around each process, peak RSS = max over the timed runs of GNU time's %M (largest single process of the tree)${TIME_BIN ? '' : opts.rss ? ' — **n/a: GNU time not installed**' : ' — n/a (--no-rss)'}.`,
    );
    lines.push('');
    lines.push('| case | runs | median | min | max | peak RSS |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    const tableRow = (tag, r) => {
      if (r.error) lines.push(`| ${tag} ${r.label} | – | FAILED | | | |`);
      else
        lines.push(
          `| ${tag} ${r.label}${r.files !== undefined ? ` → ${r.files} files` : ''}${r.redone ? ` (${r.redone} repeated)` : ''} | ${r.runs} | ${fmtS(r.median)} | ${fmtS(r.min)} | ${fmtS(r.max)} | ${fmtMiB(r.peakRss)} |`,
        );
    };
    tableRow('(a)', rows.synth);
    if (rows.inPlace) tableRow('(a)', rows.inPlace);
    tableRow('(a)', rows.npm);
    if (rows.stock) tableRow('(b)', rows.stock);
    tableRow('(–)', rows.cdk8sFast);
    tableRow('(c)', rows.floor);
    for (const n of opts.sizes) tableRow('(d)', sizes[n]);
    tableRow('(e)', access);
    for (const n of opts.oidcSizes) tableRow('(f)', oidcSizes[n]);
    lines.push('');
    if (access.size) {
      const z = access.size;
      lines.push(
        `(e) blueprints of ${S} services × ${G} groups: **${z.entries} entries** (${z.absent} tombstones, ${z.absentBindings} of them group bindings), largest ConfigMap \`${z.largest.name}\` **${(z.largest.bytes / 1024).toFixed(0)} KiB** (Kubernetes limit 1 MiB); entries per service ${((z.entries - G) / S).toFixed(2)}.`,
      );
      lines.push('');
    }

    const ok = (r) => r && !r.error;
    const derived = [];
    let ratio;
    if (ok(rows.stock) && ok(rows.synth)) {
      ratio = rows.stock.median / rows.synth.median;
      derived.push(
        `- (b)/(a) = ${fmtS(rows.stock.median)} / ${fmtS(rows.synth.median)} = **${ratio.toFixed(1)}×**${rows.stock.minimal ? ' (against the MINIMAL EQUIVALENT, see below)' : ''}`,
      );
    }
    if (ok(rows.synth) && ok(rows.floor)) {
      derived.push(
        `- synth above the \`node -e 0\` floor: ${(rows.synth.median - rows.floor.median).toFixed(0)} ms; \`npm run synth\` adds ${ok(rows.npm) ? (rows.npm.median - rows.synth.median).toFixed(0) : 'n/a'} ms of npm on top`,
      );
    }
    const small = opts.sizes[0];
    const large = opts.sizes[opts.sizes.length - 1];
    if (opts.sizes.length > 1 && ok(sizes[small]) && ok(sizes[large])) {
      const per = (sizes[large].median - sizes[small].median) / (large - small);
      derived.push(`- per-service cost: (t(${large}) − t(${small})) / ${large - small} = **${per.toFixed(3)} ms/service**`);
      const slopes = [];
      for (let i = 1; i < opts.sizes.length; i++) {
        const a = opts.sizes[i - 1];
        const b = opts.sizes[i];
        if (ok(sizes[a]) && ok(sizes[b])) slopes.push(`${a}→${b}: ${((sizes[b].median - sizes[a].median) / (b - a)).toFixed(3)}`);
      }
      if (slopes.length > 1)
        derived.push(`- marginal ms/service per segment (equal for linear growth, rising for superlinear): ${slopes.join(', ')}`);
    }
    if (derived.length) lines.push(...derived, '');

    // ---- targets ----
    const targets = [];
    const target = (what, measured, pass) => targets.push({ what, measured, pass });
    const t = (r) => (ok(r) ? r.median : undefined);
    target('synth process, default config ≤ 0.5 s', fmtS(t(rows.synth)), t(rows.synth) !== undefined ? t(rows.synth) <= 500 : null);
    // Start-up against the bare runtime (issue 23): the part of (a) the tool itself adds, as a ratio.
    const overFloor = t(rows.synth) !== undefined && t(rows.floor) !== undefined ? t(rows.synth) / t(rows.floor) : undefined;
    target(
      'synth process ≤ 3× the `node -e 0` floor (c)',
      overFloor !== undefined ? `${overFloor.toFixed(1)}×` : 'n/a',
      overFloor !== undefined ? overFloor <= 3 : null,
    );
    const inPlace = t(rows.inPlace) !== undefined && t(rows.floor) !== undefined ? t(rows.inPlace) / t(rows.floor) : undefined;
    target(
      'synth process in place ≤ 3× the `node -e 0` floor (c)',
      inPlace !== undefined ? `${inPlace.toFixed(1)}×` : 'n/a',
      inPlace !== undefined ? inPlace <= 3 : null,
    );
    target(
      'synth process ≥ 5× faster than stock (b)',
      ratio !== undefined ? `${ratio.toFixed(1)}×${rows.stock?.minimal ? ' (minimal equivalent)' : ''}` : 'n/a',
      ratio !== undefined ? ratio >= 5 : null,
    );
    target('`npm run synth` whole ≤ 1.0 s', fmtS(t(rows.npm)), t(rows.npm) !== undefined ? t(rows.npm) <= 1000 : null);
    const s500 = sizes[500];
    const s2000 = sizes[2000];
    target('500 services ≤ 3 s', fmtS(t(s500)), t(s500) !== undefined ? t(s500) <= 3000 : null);
    target(
      '500 services ≤ 400 MiB',
      ok(s500) ? fmtMiB(s500.peakRss) : 'n/a',
      ok(s500) && s500.peakRss !== null ? s500.peakRss <= 400 * 1024 : null,
    );
    target('2000 services ≤ 10 s', fmtS(t(s2000)), t(s2000) !== undefined ? t(s2000) <= 10_000 : null);
    target(
      `(e) largest ConfigMap of ${S} × ${G} < 1 MiB`,
      access.size ? `${(access.size.largest.bytes / 1024).toFixed(0)} KiB` : 'n/a',
      access.size ? access.size.largest.bytes < 1024 * 1024 : null,
    );
    target(
      `(e) entries O(services + groups): no tombstone per (service, group)`,
      access.size ? `${access.size.absentBindings} group-binding tombstones` : 'n/a',
      access.size ? access.size.absentBindings === 0 : null,
    );
    const lin = t(s500) !== undefined && t(s2000) !== undefined ? t(s2000) / t(s500) : undefined;
    target(
      'roughly linear: t(2000)/t(500) ≤ 6 (4 × 1.5)',
      lin !== undefined ? `${lin.toFixed(2)}×` : 'n/a',
      lin !== undefined ? lin <= 6 : null,
    );

    const o2000 = oidcSizes[2000];
    target('(f) 2000 OIDC services ≤ 10 s', fmtS(t(o2000)), t(o2000) !== undefined ? t(o2000) <= 10_000 : null);

    lines.push('| target | measured | result |');
    lines.push('|---|---:|:---:|');
    for (const x of targets) lines.push(`| ${x.what} | ${x.measured} | ${x.pass === null ? 'n/a' : x.pass ? 'PASS' : '**FAIL**'} |`);
    lines.push('');

    lines.push('Notes:');
    lines.push('');
    lines.push('- (a) runs the esbuild bundle `build/main.cjs` (built once before timing, so no timed run includes esbuild).');
    if (rows.stock?.minimal) {
      lines.push(
        "- (b) is `CDK8S_CHECK_UPGRADE=false cdk8s synth -a 'npx ts-node main.ts'` run in a temp directory holding the minimal app, a tsconfig (module nodenext, strict) and a symlink to node_modules; ts-node type-checks (no --transpile-only).",
      );
    } else if (rows.stock) {
      lines.push(
        `- (b) is \`CDK8S_CHECK_UPGRADE=false cdk8s synth -a '${STOCK_APP}'\` with \`TS_NODE_COMPILER_OPTIONS='${TS_NODE_COMPILER_OPTIONS}'\`; ts-node type-checks (no --transpile-only). The project tsconfig (module "preserve", noEmit) cannot run under ts-node and node10 resolution cannot see the types of the ESM-only \`@kubernetes-models/argo-cd\`, hence "nodenext"; its \`exports\` map has only an "import" condition, so require() needs \`--conditions=import\` (then Node 20's require(esm) loads it).`,
      );
    } else {
      lines.push('- (b) skipped (--no-stock).');
    }
    lines.push(
      "- (–) is the same CLI running the project's own app (cdk8s.yaml `app: node bin/synth.cjs`): the cdk8s CLI itself accounts for most of that time.",
    );
    lines.push(
      `- (d) configs: the default config plus N services (every 5th an OIDC \`generic\` consumer, the rest forward-auth; every 3rd with allowedGroups, the others \`any\`), as ${opts.format.toUpperCase()}.`,
    );
    lines.push(
      `- (e) config: the default config with ${G} groups in all and ${S} services like (d), each allowed two groups in turn; entries counted in the blueprint ConfigMaps it writes.`,
    );
    if (opts.oidcSizes.length)
      lines.push(
        '- (f) configs: the default config plus N native-OIDC `generic` consumers (each its own provider, issuer, redirect URI and client secret).',
      );
    for (const n of notes) lines.push(`- ${n}`);
    for (const [name, r] of Object.entries({
      ...rows,
      ...Object.fromEntries(Object.entries(sizes).map(([k, v]) => [`svc-${k}`, v])),
      ...Object.fromEntries(Object.entries(oidcSizes).map(([k, v]) => [`oidc-${k}`, v])),
    })) {
      if (r.error) lines.push(`- **${name} failed**: ${r.error}`);
      if (r.redone)
        lines.push(
          `- ${name}: ${r.redone} timed run(s) discarded and repeated because build/main.cjs was rebuilt meanwhile (a source changed mid-bench).`,
        );
    }

    if (opts.profile && ok(sizes[large])) {
      log(`bench: --profile: CPU profile of ${large} services`);
      lines.push('', `### Profile`, '', ...profile(tmp, sizes[large].configFile, large));
    }

    lines.push('', `Bench took ${((Date.now() - started) / 1000).toFixed(0)} s.${opts.keep ? ` Temp dir kept: ${tmp}` : ''}`);
    console.log(lines.join('\n'));

    const failed =
      targets.some((x) => x.pass === false) ||
      Object.values(rows).some((r) => r.error) ||
      [...Object.values(sizes), ...Object.values(oidcSizes)].some((r) => r.error);
    if (opts.strict && failed) process.exitCode = 1;
  } finally {
    cleanup();
  }
}

// `--tests` times `npm test` instead (bench/tests.cjs): a separate report, no synth cases.
if (process.argv.includes('--tests')) require('./tests.cjs');
// `--render` times render, checks and the baseline read in-process instead (bench/render.cjs).
else if (process.argv.includes('--render')) require('./render.cjs')(generateConfig);
else main();
