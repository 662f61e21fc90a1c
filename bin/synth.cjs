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

// First, so its boot runs beside the bundle's load (bin/config-worker.cjs); only when a .ts config may be evaluated.
const configWorker = needsTsConfig(process.argv.slice(2)) ? require('./config-worker.cjs').startConfigWorker() : undefined;
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
  .runProcess(process.argv.slice(2), {
    configCacheDir: path.join(__dirname, '..', 'build', 'config-cache'),
    configWorker: configWorker?.handle,
    interrupted: () => early,
  })
  .then((code) => {
    configWorker?.release();
    for (const s of SIGNALS) process.off(s, record);
    process.exitCode = code;
    // A run that rendered and passed saw the code a synth runs; --help, --version or an error did not.
    saveCache(code === 0 && !process.argv.includes('--help') && !process.argv.includes('-h') && !process.argv.includes('--version'));
  });

/** Whether this run may evaluate a TypeScript config: a guess that only decides whether to boot early. */
function needsTsConfig(argv) {
  if (argv.includes('--help') || argv.includes('--version')) return false;
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i < 0) return true; // the default config, or the one unified-auth.json names
  const file = argv[i] === '--config' ? argv[i + 1] : argv[i].slice('--config='.length);
  return typeof file === 'string' && /\.[mc]?ts$/.test(file);
}
