#!/usr/bin/env node
// `npm run plan`: rebuild the plan bundle if a source changed, then run it in-process.
const { ensureBuilt } = require('./build.cjs');
const { planMain } = require(ensureBuilt(false, 'plan'));
process.exitCode = planMain(process.argv.slice(2));
