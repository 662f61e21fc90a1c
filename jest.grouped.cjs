// `npm test`: the same tests as jest.config.cjs, in a few suites instead of one per file
// (test/support/test-groups.cjs says which files share a suite and why some run alone).
const base = require('./jest.config.cjs');
const { testFiles, runsAlone, GROUPS } = require('./test/support/test-groups.cjs');

module.exports = {
  ...base,
  testMatch: [
    ...Array.from({ length: GROUPS }, (_, i) => `**/test/support/groups/group-${i + 1}.suite.ts`),
    ...testFiles()
      .filter(runsAlone)
      .map((f) => `**/${f}`),
  ],
};
