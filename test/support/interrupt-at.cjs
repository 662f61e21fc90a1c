// Preloaded (`node --require`) into a real `node bin/synth.cjs` by test/safety/output-path.test.ts:
// interrupts the run at one chosen point, the n-th call of an fs function on a path containing a
// string, so every interruption point is hit on purpose instead of by a timed kill.
// UA_INTERRUPT_AT = {"fn": "renameSync", "match": "dist.synth-", "nth": 2, "signal": "SIGKILL"}:
// - SIGKILL: before that call, say "stopped" on stderr and block; the test sends the real SIGKILL.
// - another signal: the process sends it to itself before that call, as a Ctrl-C would arrive.
'use strict';
const fs = require('node:fs');

const spec = JSON.parse(process.env.UA_INTERRUPT_AT);
const original = fs[spec.fn];
let calls = 0;
fs[spec.fn] = function interrupted(...args) {
  if (String(args[0]).includes(spec.match) && ++calls === spec.nth) {
    if (spec.signal === 'SIGKILL') {
      fs.writeSync(2, 'stopped\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    } else process.kill(process.pid, spec.signal);
  }
  return original.apply(this, args);
};
