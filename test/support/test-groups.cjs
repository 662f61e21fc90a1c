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
 * The files of each group: the longest file first into the lightest group (size stands in for
 * cost), so a change of one file moves few others. Every file that does not run alone is in
 * exactly one group.
 */
function groups() {
  const load = Array.from({ length: GROUPS }, () => ({ bytes: 0, files: [] }));
  const sized = testFiles()
    .filter((f) => !runsAlone(f))
    .map((f) => ({ f, bytes: fs.statSync(path.join(ROOT, f)).size }))
    .sort((a, b) => b.bytes - a.bytes || a.f.localeCompare(b.f));
  for (const { f, bytes } of sized) {
    const lightest = load.reduce((min, g) => (g.bytes < min.bytes ? g : min));
    lightest.bytes += bytes;
    lightest.files.push(f);
  }
  return load.map((g) => g.files.sort());
}

module.exports = { ROOT, GROUPS, testFiles, runsAlone, groups };
