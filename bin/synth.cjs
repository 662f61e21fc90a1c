#!/usr/bin/env node
// `npm run synth` / `cdk8s synth`: rebuild the bundle if a source changed, then run it in-process.
const { ensureBuilt } = require('./build.cjs');
const { main } = require(ensureBuilt());
process.exitCode = main(process.argv.slice(2));
