// `npm test`: the same tests as jest.config.cjs, in a few suites instead of one per file
// (test/support/test-groups.cjs says which files share a suite and why some run alone).
const base = require('./jest.config.cjs');
const { testFiles, runsAlone, groups, GROUPS } = require('./test/support/test-groups.cjs');

module.exports = {
  ...base,
  // The groups, planned once here and handed to every worker (test/support/run-group.ts): a suite
  // that planned them itself, while a file was being edited, could run it twice or not at all.
  globals: { ...base.globals, UA_TEST_GROUPS: groups() },
  testMatch: [
    ...Array.from({ length: GROUPS }, (_, i) => `**/test/support/groups/group-${i + 1}.suite.ts`),
    ...testFiles()
      .filter(runsAlone)
      .map((f) => `**/${f}`),
  ],
};
