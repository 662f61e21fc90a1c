// What every bench script prints with: a fatal usage or setup error (one line, exit 2) and progress
// lines on stderr, so stdout holds only the markdown report.
'use strict';

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`${msg}\n`);

module.exports = { fail, log };
