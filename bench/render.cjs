// `npm run bench -- --render`: CPU time of the in-process stages every synth, check, plan and
// import pays, per iteration: render (config -> files), the checks (lib/checks), and reading the
// produced tree back as a baseline (lib/pipeline/baseline.ts: hashing and parsing it). It builds
// nothing of its own: the stages come from the CLI's bundle (build/main.cjs, bin/build.cjs), loaded
// as bin/synth.cjs loads it. Prints a markdown table on stdout, progress on stderr.
//
//   npm run bench -- --render [--iterations N] [--warmup N] [--sizes 50,500] [--bundle FILE]...
//
// `--bundle FILE` (repeatable) measures that bundle too, e.g. one built from an older commit (with
// its main.ts exporting the same stages): the bundles' iterations alternate in one process, so a
// change is compared under the same load (the machine's noise hits both alike).
//
// One process runs every iteration, so caches the code keeps per run start empty each time while
// the JIT is warm: a steady-state cost, below what one `npm run synth` pays for the same work. CPU
// is process.cpuUsage() (user + system) around each stage; wall time is printed beside it.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fail, int, log } = require('./cli.cjs');

const ROOT = path.resolve(__dirname, '..');

function parseOptions(argv) {
  const o = { iterations: 20, warmup: 3, sizes: [50], bundles: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--render') continue;
    else if (a === '--iterations') o.iterations = int(a, value(), 1);
    else if (a === '--warmup') o.warmup = int(a, value(), 0);
    else if (a === '--bundle') o.bundles.push(path.resolve(value()));
    else if (a === '--sizes')
      o.sizes = value()
        .split(',')
        .map((s) => int(a, s.trim(), 0))
        .filter((n) => n > 0);
    else fail(`unknown argument "${a}" (--render takes --iterations N, --warmup N, --sizes LIST, --bundle FILE)`);
  }
  return o;
}

/** CPU (user + system) and wall milliseconds of fn(), and its result. */
function timed(fn) {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1000, wall: Number(process.hrtime.bigint() - w0) / 1e6 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One iteration: render, check, read the produced tree back; CPU and wall ms per stage. */
function iterate(app, loaded) {
  const render = timed(() => app.render(loaded.config, { passThrough: loaded.passThrough }));
  const checks = timed(() => app.findings(render.value));
  if (checks.value.length) fail(`the checks found problems:\n${checks.value.join('\n')}`);
  const tree = new Map(render.value.files.map((f) => [f.path, f.text]));
  const baseline = timed(() => app.readBaseline({ kind: 'tree', tree, label: 'dist' }));
  return { render, checks, baseline };
}

const STAGES = ['render', 'checks', 'baseline'];

/** Table rows of one config, per bundle: each stage, render + checks, all three. */
function measure(apps, label, loaded, opts) {
  const runs = apps.map(() => []);
  for (let i = 0; i < opts.warmup + opts.iterations; i++)
    apps.forEach((app, b) => {
      const r = iterate(app.exports, loaded[b]);
      if (i >= opts.warmup) runs[b].push(r);
    });
  const total = (r, stages) => ({
    cpu: stages.reduce((s, k) => s + r[k].cpu, 0),
    wall: stages.reduce((s, k) => s + r[k].wall, 0),
  });
  const rows = [
    ...STAGES.map((k) => [k, (r) => r[k]]),
    ['**render + checks**', (r) => total(r, ['render', 'checks'])],
    ['**all three**', (r) => total(r, STAGES)],
  ];
  return rows.flatMap(([name, pick]) =>
    runs.map((rs, b) => {
      const cpu = rs.map((r) => pick(r).cpu);
      const wall = rs.map((r) => pick(r).wall);
      return `| ${label} | ${apps[b].name} | ${name} | ${median(cpu).toFixed(1)} | ${Math.min(...cpu).toFixed(1)} | ${median(wall).toFixed(1)} |`;
    }),
  );
}

/**
 * The default config plus n services, as bench.cjs's case (d) generates them (its generateConfig),
 * written as JSON and loaded the way `--config` loads it.
 */
function sizedConfig(app, generateConfig, tmp, n) {
  const file = path.join(tmp, `services-${n}.json`);
  fs.writeFileSync(file, `${JSON.stringify(generateConfig(app.loadConfigInput(), n), null, 2)}\n`);
  return app.loadConfigWithInput(file);
}

/** Run the render bench; `generateConfig` is bench.cjs's generator of sized configs. */
module.exports = function renderBench(generateConfig) {
  const opts = parseOptions(process.argv.slice(2));
  const { ensureBuilt, loadBundle } = require(path.join(ROOT, 'bin', 'build.cjs'));
  log('bench: node bin/build.cjs (rebuilds build/main.cjs only if a source is newer)');
  const files = [ensureBuilt(), ...opts.bundles];
  const shown = (f) => (path.relative(ROOT, f).startsWith('..') ? f : path.relative(ROOT, f));
  const apps = files.map((f) => ({ name: shown(f), exports: loadBundle(f).exports }));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unified-auth-render-'));
  try {
    // Each bundle loads the config itself: its objects are its own (a cdk8s app needs its own copy).
    const cases = [['default', (app) => app.loadConfigWithInput(app.DEFAULT_CONFIG)]];
    for (const n of opts.sizes) cases.push([`+${n} services`, (app) => sizedConfig(app, generateConfig, tmp, n)]);
    const lines = [
      `## Render, checks, baseline read (in-process, ${opts.iterations} iterations after ${opts.warmup} warm-up, node ${process.version})`,
      '',
      '| config | bundle | stage | CPU ms/iter (median) | CPU ms (min) | wall ms (median) |',
      '|---|---|---|---:|---:|---:|',
    ];
    for (const [label, load] of cases) {
      log(`bench: ${label}`);
      lines.push(
        ...measure(
          apps,
          label,
          apps.map((app) => load(app.exports)),
          opts,
        ),
      );
    }
    console.log(lines.join('\n'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
};
