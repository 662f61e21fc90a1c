// `npm test` runs the test files in a few groups, each group one Jest suite (jest.grouped.cjs):
// a suite loads the whole tool (about 660 modules, half a second of CPU) once, where one suite per
// file loaded it 74 times. A file runs alone, as its own suite, when it changes what a suite shares:
// snapshots (one snapshot file per suite), the suite's timeout, module mocks or fake timers, or it
// focuses a test with .only (which would skip the other files of its group).
// `npx jest <file>` (jest.config.cjs) still runs any file on its own.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
/** Groups, each one suite; more groups than cores lets Jest even out the workers. */
const GROUPS = 4;
const ALONE =
  /\b(toMatchSnapshot|toMatchInlineSnapshot|toThrowErrorMatchingSnapshot)\b|\bjest\.(setTimeout|mock|doMock|unmock|resetModules|isolateModules|useFakeTimers|retryTimes)\(|\b(test|it|describe)(\.each\([^)]*\))?\.only\b|\b(fit|fdescribe)\(/;

/** Every test file under test/, repository-relative, sorted. */
function testFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts')) out.push(p);
    }
  };
  walk('test');
  return out.sort();
}

const runsAlone = (file) => ALONE.test(fs.readFileSync(path.join(ROOT, file), 'utf8'));

/**
 * Each test file's CPU seconds in a group suite, as `npm run bench -- --tests --write-costs`
 * measured them (test/support/test-cpu.json). Only a hint for balancing the groups and ordering
 * the suites: a stale or missing value moves files between groups, never drops one.
 */
const COSTS_FILE = path.join(__dirname, 'test-cpu.json');
const readCosts = () => (fs.existsSync(COSTS_FILE) ? JSON.parse(fs.readFileSync(COSTS_FILE, 'utf8')) : {});
/** A file the table does not list yet (new, or renamed): about a CPU second per 10 kB of test code. */
const BYTES_PER_SECOND = 10_000;
/** What a suite costs before its first test: Jest's environment and the tool's modules (warm transforms). */
const SUITE_SECONDS = 0.6;

/** CPU seconds of one test file: measured, else estimated from its size. */
function fileCost(file, costs = readCosts()) {
  return costs[file] ?? fs.statSync(path.join(ROOT, file)).size / BYTES_PER_SECOND;
}

/**
 * The files of each group: the costliest file first into the lightest group (longest processing
 * time first), so the groups cost about the same. Every file that does not run alone is in exactly
 * one group.
 */
function groups() {
  const costs = readCosts();
  const load = Array.from({ length: GROUPS }, () => ({ cost: 0, files: [] }));
  const costed = testFiles()
    .filter((f) => !runsAlone(f))
    .map((f) => ({ f, cost: fileCost(f, costs) }))
    .sort((a, b) => b.cost - a.cost || a.f.localeCompare(b.f));
  for (const { f, cost } of costed) {
    const lightest = load.reduce((min, g) => (g.cost < min.cost ? g : min));
    lightest.cost += cost;
    lightest.files.push(f);
  }
  return load.map((g) => g.files.sort());
}

/** The group suite of group `index` (1-based), repository-relative. */
const groupSuite = (index) => `test/support/groups/group-${index}.suite.ts`;

/**
 * CPU seconds of every suite `npm test` runs, by repository-relative path: each group suite (its
 * files summed) and each file that runs alone, plus what loading a suite costs. The test sequencer
 * (test/support/test-sequencer.cjs) starts the costliest first.
 */
function suiteCosts() {
  const costs = readCosts();
  const out = {};
  groups().forEach((files, i) => {
    out[groupSuite(i + 1)] = SUITE_SECONDS + files.reduce((sum, f) => sum + fileCost(f, costs), 0);
  });
  for (const f of testFiles()) if (!(f in out)) out[f] = SUITE_SECONDS + fileCost(f, costs);
  return out;
}

module.exports = { ROOT, GROUPS, COSTS_FILE, readCosts, fileCost, testFiles, runsAlone, groups, groupSuite, suiteCosts };
