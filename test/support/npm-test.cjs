#!/usr/bin/env node
// `npm test`: the type check and Jest at once, instead of one after the other. tsc is one
// single-threaded process: run first, it left the second core idle for its whole run (and in CI
// its incremental cache, build/, is always cold). Running beside Jest it fills the cores Jest
// leaves idle (start-up, the last suite). Arguments go to Jest (`npm test -- --json
// --outputFile=x`, as .ci/run gives them). tsc's output is shown after Jest's, whole, on stderr; the
// exit code is 0 only when both passed, else the first failed step's code (1 for a signal).
'use strict';

const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

/** The two steps: the command and whether its output is held back until the end. */
const STEPS = [
  {
    name: 'tsc',
    argv: [bin('tsc'), '--noEmit', '--incremental', '--tsBuildInfoFile', 'build/tsc-test.tsbuildinfo'],
    buffered: true,
  },
  { name: 'jest', argv: [bin('jest'), '--config', 'jest.grouped.cjs'], buffered: false },
];

/** Runs one step; resolves { name, code, wall, output }. */
function run(step, extra) {
  const t0 = process.hrtime.bigint();
  const child = spawn(step.argv[0], [...step.argv.slice(1), ...extra], {
    cwd: ROOT,
    stdio: step.buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  const chunks = [];
  if (step.buffered) for (const s of [child.stdout, child.stderr]) s.on('data', (c) => chunks.push(c));
  children.add(child);
  return new Promise((resolve) => {
    child.once('error', (e) => chunks.push(Buffer.from(`${step.name}: ${e.message}\n`)));
    child.once('close', (code, signal) => {
      children.delete(child);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      // A signal, or a command that could not start (code -2, after 'error'), is a failure too.
      const status = code === 0 && !signal ? 0 : code > 0 ? code : 1;
      resolve({ name: step.name, code: status, wall, output: Buffer.concat(chunks).toString() });
    });
  });
}

const children = new Set();
// A Ctrl-C reaches the children through the terminal; a kill of this process is passed on.
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    for (const c of children) c.kill(sig);
  });

async function main() {
  const results = await Promise.all(STEPS.map((s) => run(s, s.name === 'jest' ? process.argv.slice(2) : [])));
  for (const r of results) {
    // On stderr: stdout stays Jest's alone (its --json without --outputFile prints there).
    if (r.output) process.stderr.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
    console.error(`npm test: ${r.name} ${r.code === 0 ? 'passed' : `failed (exit ${r.code})`} in ${r.wall.toFixed(1)} s`);
  }
  process.exitCode = results.find((r) => r.code !== 0)?.code ?? 0;
}

if (require.main === module) main();

module.exports = { STEPS };
