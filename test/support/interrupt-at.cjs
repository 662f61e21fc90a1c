// Preloaded (`node --require`) into a real `node bin/synth.cjs` by test/safety/output-path.test.ts:
// interrupts the run at chosen points, each the n-th call of an fs function on a path containing a
// string, so every interruption point is hit on purpose instead of by a timed kill.
// UA_INTERRUPT_AT = {"signal": "SIGKILL", "points": [{"fn": "renameSync", "match": "dist", "nth": 2}, ...]}:
// - SIGKILL: before each point's call, say "stopped <i>" on stderr and wait for a line on stdin;
//   the test copies what is on disk then (what a kill there leaves), and sends the real SIGKILL at the last.
// - another signal: the process sends it to itself before the point's call, as a Ctrl-C would arrive.
'use strict';
const fs = require('node:fs');

const { signal, points } = JSON.parse(process.env.UA_INTERRUPT_AT);
const calls = points.map(() => 0);
const originals = new Map(points.map((p) => [p.fn, fs[p.fn]]));

/** Block until the test answers on stdin (one byte) or closes it (the test is gone: go on), or kills this process. */
function stop(i) {
  fs.writeSync(2, `stopped ${i}\n`);
  const byte = Buffer.alloc(1);
  for (;;) {
    try {
      fs.readSync(0, byte, 0, 1, null);
      return;
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // a non-blocking stdin: poll
    }
  }
}

for (const [fn, original] of originals) {
  fs[fn] = function interrupted(...args) {
    points.forEach((p, i) => {
      if (p.fn !== fn || !String(args[0]).includes(p.match) || ++calls[i] !== p.nth) return;
      if (signal === 'SIGKILL') stop(i);
      else process.kill(process.pid, signal);
    });
    return original.apply(this, args);
  };
}
