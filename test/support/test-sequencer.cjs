// The order Jest starts suites in: costliest first (longest processing time first), by the CPU
// table test/support/test-groups.cjs reads, so no long suite starts last while the other worker
// idles. Jest's own order needs its timing cache, which a clean clone (CI) does not have: it then
// orders by file size, and a group suite file is a few bytes whatever its group costs.
'use strict';
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const { ROOT, suiteCosts } = require('./test-groups.cjs');

class CostSequencer extends Sequencer {
  sort(tests) {
    const costs = suiteCosts();
    const cost = (t) => costs[path.relative(ROOT, t.path).split(path.sep).join('/')] ?? 0;
    // Jest reads duration (ms) to decide whether a few short suites run in band.
    for (const t of tests) t.duration = cost(t) * 1000;
    return [...tests].sort((a, b) => cost(b) - cost(a) || a.path.localeCompare(b.path));
  }
}

module.exports = CostSequencer;
