#!/usr/bin/env node
// `npm run verify`: rebuild the verify bundle if a source changed, then run it in-process (Ctrl-C: lib/verify/cli.ts verifyProcess).
const { ensureBuilt } = require('./build.cjs');
const { verifyProcess } = require(ensureBuilt(false, 'verify'));
verifyProcess(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
