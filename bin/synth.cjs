#!/usr/bin/env node
// `npm run synth` / `cdk8s synth`: rebuild the bundle if a source changed, then run it in-process.
const path = require('node:path');

// Ctrl-C is recorded from the first moment, so it never kills a run halfway (main.ts runProcess).
let early;
const record = (s) => {
  early = early ?? s;
};
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const s of SIGNALS) process.on(s, record);

const { ensureBuilt, loadBundle, BuildError } = require('./build.cjs');

let bundle;
try {
  bundle = ensureBuilt();
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`build error: ${e.message}`);
  process.exit(1);
}
const { exports: app, saveCache } = loadBundle(bundle);
app
  // Compiled TypeScript configs are cached next to the bundle (lib/config/load.ts).
  .runProcess(process.argv.slice(2), { configCacheDir: path.join(__dirname, '..', 'build', 'config-cache'), interrupted: () => early })
  .then((code) => {
    for (const s of SIGNALS) process.off(s, record);
    process.exitCode = code;
    saveCache();
  });
