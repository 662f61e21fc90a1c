#!/usr/bin/env node
// `npm test`: the type check and Jest at once, instead of one after the other. tsc is one
// single-threaded process: run first, it left the second core idle for its whole run (and in CI
// its incremental cache, build/, is always cold). Running beside Jest it fills the cores Jest
// leaves idle (start-up, the last suite). Arguments go to Jest (`npm test -- --json
// --outputFile=x`, as .ci/run gives them). tsc's output is shown after Jest's, whole; the exit code
// is 1 when either failed (or the first child's signal exit code), 0 only when both passed.
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
      resolve({ name: step.name, code: code ?? (signal ? 128 : 1), wall, output: Buffer.concat(chunks).toString() });
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
    if (r.output) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
    console.error(`npm test: ${r.name} ${r.code === 0 ? 'passed' : `failed (exit ${r.code})`} in ${r.wall.toFixed(1)} s`);
  }
  process.exitCode = results.find((r) => r.code !== 0)?.code ?? 0;
}

if (require.main === module) main();

module.exports = { STEPS };
