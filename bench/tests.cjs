#!/usr/bin/env node
// `npm run bench -- --tests`: how long `npm test` takes, and where the time goes. Runs package.json's
// "test" script (tsc and Jest at once, test/support/npm-test.cjs) with Jest's --json and
// bench/jest-cpu.cjs, and prints a markdown report: its wall and CPU seconds (CPU includes every
// child process, read from /proc; n/a elsewhere; the script prints each step's wall time), suite
// and test counts, and the slowest suites by CPU and by wall.
// The machine's load average is printed too: on a shared machine wall time is noise, CPU is not.
//
//   node bench/tests.cjs [--top N] [--strict] [--write-costs] [-- <extra jest arguments>]
//
// With Jest arguments (files or folders), Jest runs with jest.config.cjs: one suite per file.
// --write-costs writes each test file's measured CPU seconds into test/support/test-cpu.json (the
// mean of the old entry and the new measure; files that no longer exist leave): what balances the
// groups and orders the suites (test/support/test-groups.cjs). Measure a whole run for it: a
// file run alone also pays for loading the tool.
//
// Exit 1 when a step fails; with --strict also when the whole run is over TARGET_SECONDS.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
/** Issue 23 item 6: `npm test` in a minute on an idle 2-core machine. */
const TARGET_SECONDS = 60;

function parseOptions(argv) {
  const o = { top: 10, strict: false, writeCosts: false, jestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tests') continue; // the flag that routed bench.cjs here
    if (a === '--') {
      o.jestArgs = argv.slice(i + 1);
      break;
    }
    if (a === '--strict') o.strict = true;
    else if (a === '--write-costs') o.writeCosts = true;
    else if (a === '--top' && /^\d+$/.test(argv[i + 1] ?? '')) o.top = Number(argv[++i]);
    else {
      console.error(`bench --tests: unknown argument "${a}" (usage: [--top N] [--strict] [--write-costs] [-- <jest arguments>])`);
      process.exit(2);
    }
  }
  return o;
}

/** CPU seconds of the children this process has waited for, or null off Linux. */
function childCpu() {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / clockTicks();
}

let ticks;
function clockTicks() {
  ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
  return ticks;
}

/** One step of the test script, timed: { command, status, wall, cpu }. */
function runStep(command, env) {
  const cpu0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu0After = childCpu();
  return { command, status: r.status, wall, cpu: cpu0 === null ? null : cpu0After - cpu0 };
}

/** CPU seconds per suite, and per file inside a group suite (test/support/run-group.ts), from the JSON lines. */
function suiteCpu(dir) {
  const cpu = new Map();
  for (const f of fs.readdirSync(dir)) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) {
      const { file, ticks: t, inGroup } = JSON.parse(line);
      cpu.set(path.relative(ROOT, file), { cpu: t / clockTicks(), inGroup: Boolean(inGroup) });
    }
  }
  return cpu;
}

/** One row per suite, and per file run inside a group (its tests' summed durations as wall). */
function rows(result, cpu) {
  const out = [];
  for (const r of result.testResults) {
    const file = path.relative(ROOT, r.name);
    out.push({ file, wall: (r.endTime - r.startTime) / 1000, tests: r.assertionResults.length, cpu: cpu.get(file)?.cpu ?? null });
    for (const [inner, v] of cpu) {
      if (!v.inGroup) continue;
      const own = r.assertionResults.filter((a) => a.ancestorTitles[0] === inner);
      if (!own.length) continue;
      const wall = own.reduce((a, x) => a + (x.duration ?? 0), 0) / 1000;
      out.push({ file: `${inner} (in ${path.basename(file)})`, wall, tests: own.length, cpu: v.cpu });
    }
  }
  return out;
}

const s = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(1));

function report(steps, result, cpu, o) {
  const total = steps.reduce((a, x) => a + x.wall, 0);
  const totalCpu = steps.every((x) => x.cpu !== null) ? steps.reduce((a, x) => a + x.cpu, 0) : null;
  const lines = [
    `## npm test (${os.availableParallelism()} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
    '',
  ];
  lines.push('| step | wall s | CPU s | exit |', '|---|---:|---:|---:|');
  for (const x of steps) lines.push(`| \`${x.command}\` | ${s(x.wall)} | ${s(x.cpu)} | ${x.status} |`);
  lines.push(`| total | ${s(total)} | ${s(totalCpu)} | |`, '');
  if (result) {
    lines.push(
      `${result.numTotalTestSuites} suites, ${result.numTotalTests} tests (${result.numPassedTests} passed, ${result.numFailedTests} failed).`,
    );
    const suites = rows(result, cpu);
    const table = (title, key) => {
      lines.push(
        '',
        `Slowest ${o.top} by ${title} (suites, and the files inside group suites):`,
        '',
        '| suite | tests | CPU s | wall s |',
        '|---|---:|---:|---:|',
      );
      for (const x of [...suites].sort((a, b) => (b[key] ?? 0) - (a[key] ?? 0)).slice(0, o.top))
        lines.push(`| ${x.file} | ${x.tests} | ${s(x.cpu)} | ${s(x.wall)} |`);
    };
    if (cpu.size) table('CPU', 'cpu');
    table('wall', 'wall');
  }
  lines.push('', `Target: ${TARGET_SECONDS} s wall on an idle machine: ${total <= TARGET_SECONDS ? 'met' : 'not met'} (${s(total)} s).`);
  console.log(lines.join('\n'));
  return total;
}

/** Merges the measured CPU seconds of test files into the committed table, sorted, 0.1 s steps. */
function writeCosts(cpu) {
  const { COSTS_FILE, readCosts, testFiles } = require('../test/support/test-groups.cjs');
  const files = new Set(testFiles());
  const table = { ...readCosts() };
  // Half the old value, half the new: one run on a busy machine moves a file only halfway.
  const blend = (file, seconds) => (file in table ? (table[file] + seconds) / 2 : seconds);
  for (const [file, { cpu: seconds }] of cpu) if (files.has(file)) table[file] = Math.round(blend(file, seconds) * 10) / 10;
  const kept = Object.keys(table)
    .filter((f) => files.has(f))
    .sort();
  fs.writeFileSync(COSTS_FILE, `${JSON.stringify(Object.fromEntries(kept.map((f) => [f, table[f]])), null, 2)}\n`);
  console.log(`\nWrote ${path.relative(ROOT, COSTS_FILE)}: ${kept.length} files.`);
}

function main() {
  const o = parseOptions(process.argv.slice(2));
  const script = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.test;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-bench-tests-'));
  const json = path.join(tmp, 'jest.json');
  const cpuDir = path.join(tmp, 'cpu');
  fs.mkdirSync(cpuDir);
  const env = {
    ...process.env,
    PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
    UA_TEST_CPU: cpuDir,
  };
  const steps = [];
  try {
    // The whole test script (tsc and Jest at once: test/support/npm-test.cjs), Jest's --json
    // passed through. Files picked by hand run alone, one suite each (jest.config.cjs): a group
    // suite cannot be cut.
    const args = `--json --outputFile=${json}`;
    const command = o.jestArgs.length ? `jest ${args} ${o.jestArgs.join(' ')}` : `${script} ${args}`;
    steps.push(runStep(command, env));
    const result = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : null;
    const cpu = suiteCpu(cpuDir);
    const total = report(steps, result, cpu, o);
    const failed = steps.some((x) => x.status !== 0);
    if (o.writeCosts && !failed) writeCosts(cpu);
    process.exitCode = failed || (o.strict && total > TARGET_SECONDS) ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
