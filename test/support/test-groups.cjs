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
const GROUPS = 8;
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
 * Files whose cost size does not show (real processes, the importer's order replays, property
 * runs), in CPU seconds as `npm run bench -- --tests` measured them. Only a hint for balancing the
 * groups: a stale value moves files between groups, never drops one.
 */
const CPU_SECONDS = {
  'test/safety/bounded-reading.test.ts': 10.7,
  'test/lifecycle/lifecycle.test.ts': 9,
  'test/safety/output-path.test.ts': 9.5,
  'test/cli/cli.test.ts': 8.5,
  'test/lifecycle/migration.test.ts': 7.2,
  'test/config/property.test.ts': 6.8,
  'test/state/state.test.ts': 5.2,
  'test/cli/staged.test.ts': 4.4,
  'test/init/init.test.ts': 4.1,
  'test/importer/importer-findings-b.test.ts': 3.8,
};
/** Any other file: about a CPU second per 10 kB of test code. */
const BYTES_PER_SECOND = 10_000;

/**
 * The files of each group: the costliest file first into the lightest group, so a change of one
 * file moves few others. Every file that does not run alone is in exactly one group.
 */
function groups() {
  const load = Array.from({ length: GROUPS }, () => ({ cost: 0, files: [] }));
  const costed = testFiles()
    .filter((f) => !runsAlone(f))
    .map((f) => ({ f, cost: CPU_SECONDS[f] ?? fs.statSync(path.join(ROOT, f)).size / BYTES_PER_SECOND }))
    .sort((a, b) => b.cost - a.cost || a.f.localeCompare(b.f));
  for (const { f, cost } of costed) {
    const lightest = load.reduce((min, g) => (g.cost < min.cost ? g : min));
    lightest.cost += cost;
    lightest.files.push(f);
  }
  return load.map((g) => g.files.sort());
}

module.exports = { ROOT, GROUPS, CPU_SECONDS, testFiles, runsAlone, groups };
