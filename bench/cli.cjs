// What every bench script prints with and reads options by: a fatal usage or setup error (one line,
// exit 2), progress lines on stderr (stdout holds only the markdown report), integer options.
'use strict';

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`${msg}\n`);

/** The integer value `v` of option `a`, at least `min`; else a usage error. */
function int(a, v, min) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`${a} needs an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

module.exports = { fail, int, log };
