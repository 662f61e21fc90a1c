// The config worker bin/synth.cjs boots before the bundle loads (bin/config-worker.cjs) evaluates a
// config exactly like a fresh one (lib/config/evaluate.ts): the same outcomes, the same time limit,
// the same heap limit; one it cannot trust is passed over for a fresh worker.
import { evaluateInWorker, CONFIG_HEAP_MB, type PrebootedWorker } from '../../lib/config/evaluate';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startConfigWorker } = require('../../bin/config-worker.cjs') as {
  startConfigWorker: () => { handle: PrebootedWorker; release: () => void };
};

const run = (code: string, booted: { handle: PrebootedWorker }, timeoutMs = 5000) =>
  evaluateInWorker(code, '/x/config.ts.cjs', '/x/config.ts', timeoutMs, booted.handle);

test('the booted worker takes the job (go = 1) and returns the config', () => {
  const booted = startConfigWorker();
  expect(run('exports.default = { a: [1, "b"] };', booted)).toEqual({ kind: 'ok', config: { a: [1, 'b'] } });
  expect(Atomics.load(booted.handle.go, 0)).toBe(1);
});

test('the booted worker has the heap limit evaluate.ts gives a config', () => {
  const booted = startConfigWorker();
  expect(booted.handle.worker.resourceLimits?.maxOldGenerationSizeMb).toBe(CONFIG_HEAP_MB);
  expect(CONFIG_HEAP_MB).toBe(512);
  booted.release();
});

test("UNIFIED_AUTH_CONFIG_HEAP_MB sets the booted worker's limit too, so the evaluation under that limit takes it", () => {
  process.env.UNIFIED_AUTH_CONFIG_HEAP_MB = '64';
  let booted: ReturnType<typeof startConfigWorker>;
  try {
    booted = startConfigWorker();
  } finally {
    delete process.env.UNIFIED_AUTH_CONFIG_HEAP_MB;
  }
  expect(booted.handle.worker.resourceLimits?.maxOldGenerationSizeMb).toBe(64);
  expect(evaluateInWorker('exports.default = { n: 5 };', '/x/c.ts.cjs', '/x/c.ts', 5000, booted.handle, 64)).toEqual({
    kind: 'ok',
    config: { n: 5 },
  });
  expect(Atomics.load(booted.handle.go, 0)).toBe(1);
});

// Each outcome the evaluation distinguishes, through the booted worker.
const OUTCOMES: Array<[string, string, string]> = [
  ['a throw', 'throw new Error("boom")', 'throw'],
  ['a late timer throw', 'setTimeout(() => { throw new Error("late") }, 1); exports.default = { a: 1 };', 'late'],
  ['process.exit', 'process.exit(4)', 'exit'],
  ['a function in the data', 'module.exports = { f: () => 1 };', 'data'],
  ['no usable export', 'exports.a = 1; exports.b = 2;', 'exports'],
];
test.each(OUTCOMES)('%s is reported as it is by a fresh worker', (_name, code, kind) => {
  expect(run(code, startConfigWorker()).kind).toBe(kind);
  expect(evaluateInWorker(code, '/x/config.ts.cjs', '/x/config.ts', 5000).kind).toBe(kind);
});

test('the time limit holds: a config that loops for ever times out', () => {
  expect(run('for (;;) {}', startConfigWorker(), 300)).toEqual({ kind: 'timeout' });
});

test('a used or released worker is never given a second job: a fresh one runs it', () => {
  const booted = startConfigWorker();
  expect(run('exports.default = { n: 1 };', booted)).toEqual({ kind: 'ok', config: { n: 1 } });
  expect(run('exports.default = { n: 2 };', booted)).toEqual({ kind: 'ok', config: { n: 2 } });
  const released = startConfigWorker();
  released.release();
  expect(Atomics.load(released.handle.go, 0)).toBe(2);
  expect(run('exports.default = { n: 3 };', released)).toEqual({ kind: 'ok', config: { n: 3 } });
});

test('a worker with another heap limit is not used', () => {
  const booted = startConfigWorker();
  const other = {
    ...booted.handle,
    worker: { resourceLimits: { maxOldGenerationSizeMb: CONFIG_HEAP_MB * 2 } },
  } as unknown as PrebootedWorker;
  expect(evaluateInWorker('exports.default = { n: 4 };', '/x/c.ts.cjs', '/x/c.ts', 5000, other)).toEqual({ kind: 'ok', config: { n: 4 } });
  expect(Atomics.load(booted.handle.go, 0)).toBe(0);
  booted.release();
});
