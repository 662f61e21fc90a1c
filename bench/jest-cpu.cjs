// Loaded by Jest (setupFilesAfterEnv) only when bench/tests.cjs sets UA_TEST_CPU: records each
// test file's CPU time, its processes included, as one JSON line in that directory. A Jest worker
// runs one file at a time, so the worker's own CPU plus that of the children it waited for, read
// before the file loads and after its last test, is that file's cost.
/* global afterAll, expect */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** utime + stime + cutime + cstime of this process, in clock ticks (/proc/<pid>/stat, fields 14-17). */
function cpuTicks() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
}

const dir = process.env.UA_TEST_CPU;
if (dir && fs.existsSync('/proc/self/stat')) {
  const start = cpuTicks();
  afterAll(() => {
    const file = expect.getState().testPath;
    fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify({ file, ticks: cpuTicks() - start })}\n`);
  });
}
