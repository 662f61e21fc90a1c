#!/usr/bin/env node
// `npm run schema`: regenerate schema/config.schema.json and docs/config-reference.md from the zod schema (lib/init/schema.ts).
const { ensureBuilt } = require('./build.cjs');
const { schemaMain } = require(ensureBuilt(false, 'init'));
process.exitCode = schemaMain(process.argv.slice(2));
