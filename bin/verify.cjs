#!/usr/bin/env node
// `npm run verify`: rebuild the verify bundle if a source changed, then run it in-process.
const { ensureBuilt } = require('./build.cjs');
const { verifyMain } = require(ensureBuilt(false, 'verify'));
verifyMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
