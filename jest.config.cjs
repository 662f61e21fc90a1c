// Sources are TypeScript; some dependencies (@kubernetes-models/*, kubernetes-models, is-cidr) ship only
// ES modules, so swc transforms those too and Jest runs everything as CommonJS.
module.exports = {
  testEnvironment: 'node',
  // Jest's default is one worker fewer than the cores: on the 2-core machines this project is
  // tested on that is one worker, every suite in a row. The parent only schedules, so use them all.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@kubernetes-models|kubernetes-models|is-cidr|cidr-regex|ip-regex)/)'],
  // `npm run bench -- --tests` (bench/tests.cjs) sets UA_TEST_CPU to record each suite's CPU time.
  setupFilesAfterEnv: process.env.UA_TEST_CPU ? ['<rootDir>/bench/jest-cpu.cjs'] : [],
  // Costliest suites first, from the committed CPU table (Jest's own order needs a warm cache).
  testSequencer: '<rootDir>/test/support/test-sequencer.cjs',
  snapshotResolver: '<rootDir>/test/snapshot-resolver.cjs',
  // One temporary directory per run, removed at its end (test/support/tmp-dir.cjs).
  globalSetup: '<rootDir>/test/support/tmp-setup.cjs',
  globalTeardown: '<rootDir>/test/support/tmp-teardown.cjs',
  resolver: '<rootDir>/test/resolver.cjs',
  // The construct package by its name, as examples/ import it (tsconfig.json "paths").
  moduleNameMapper: { '^unified-auth$': '<rootDir>/lib/index.ts' },
};
