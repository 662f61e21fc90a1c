#!/usr/bin/env node
// `npm run init`: rebuild the init bundle if a source changed, then run it (lib/init/cli.ts).
const { ensureBuilt } = require('./build.cjs');
const { initMain } = require(ensureBuilt(false, 'init'));
initMain(process.argv.slice(2)).then((code) => (process.exitCode = code));
