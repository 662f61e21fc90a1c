#!/usr/bin/env node
// `npm run import`: rebuild the import bundle if a source changed, then run it in-process.
const { ensureBuilt } = require('./build.cjs');
const { importMain } = require(ensureBuilt(false, 'import'));
process.exitCode = importMain(process.argv.slice(2));
