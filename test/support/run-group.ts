// One group of test files as one Jest suite (test/support/test-groups.cjs): each file's tests in a
// describe block named by its path, so its top-level hooks (beforeEach, afterAll...) stay its own.
// With UA_TEST_CPU set (npm run bench -- --tests), each file's CPU time is recorded as well.
import fs from 'node:fs';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ROOT, groups } = require('./test-groups.cjs') as { ROOT: string; groups: () => string[][] };

/** utime + stime + cutime + cstime of this process, in clock ticks (/proc/self/stat fields 14-17). */
function cpuTicks(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 15)
    .reduce((sum, f) => sum + Number(f), 0);
}

/**
 * Records a file's CPU: loading it (its imports, renders at describe time) plus running its tests.
 * The first file of a group also pays for loading the modules the others then share.
 */
function describeFile(file: string): void {
  const dir = process.env.UA_TEST_CPU;
  const load = () => require(path.join(ROOT, file)) as unknown; // eslint-disable-line @typescript-eslint/no-require-imports
  if (!dir || !fs.existsSync('/proc/self/stat')) return void load();
  // Hooks first: the file's own beforeAll (a render, a temporary tree) counts too.
  let start = 0;
  beforeAll(() => void (start = cpuTicks()));
  afterAll(() => {
    const line = JSON.stringify({ file: path.join(ROOT, file), ticks: loading + cpuTicks() - start, inGroup: true });
    fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${line}\n`);
  });
  const before = cpuTicks();
  load();
  const loading = cpuTicks() - before;
}

/**
 * The modules nearly every file imports (the pipeline, the checks, the test helpers), loaded before
 * the first file: their cost is the suite's, not that of whichever file comes first
 * (test/support/test-cpu.json measures files).
 */
const SHARED = ['lib/output/render.ts', 'lib/checks/index.ts', 'test/support/helpers.ts'];

/** Register the tests of group `index` (1-based). */
export function runGroup(index: number): void {
  for (const m of SHARED) require(path.join(ROOT, m)); // eslint-disable-line @typescript-eslint/no-require-imports
  const planned = (globalThis as { UA_TEST_GROUPS?: string[][] }).UA_TEST_GROUPS ?? groups();
  const files = planned[index - 1];
  if (!files) throw new Error(`test group ${index} does not exist`);
  for (const file of files) describe(file, () => describeFile(file));
}
