// Evaluating a compiled TypeScript config apart from the main thread, in a worker thread: the
// config is code, and code can loop for ever, exit the process, throw from a timer or leave a
// promise rejected. The main thread waits with a time limit; while it waits, Ctrl-C (SIGINT) ends
// the wait with the outcome 'interrupted' (the caller says so on one line and exits 130), and
// SIGTERM/SIGHUP take their default action: nothing has been written yet either way. A worker was
// measured cheaper to start than a child process (docs/bounded-reading.md).
import vm from 'node:vm';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { HANDLED_SIGNALS } from '../base/signals';

/** What the config evaluation ended with. */
export type Outcome =
  | { kind: 'ok'; config: unknown }
  | { kind: 'throw' | 'late' | 'rejection'; name: string; message: string; stack: string }
  | { kind: 'exit'; code: unknown }
  | { kind: 'data'; at: string; what: string }
  | { kind: 'exports'; names: string[] }
  | { kind: 'timeout' }
  | { kind: 'interrupted' };

/**
 * The worker: evaluate the module like Node's CommonJS loader would, wait until its event loop is
 * empty (a late timer throw or rejection is still the config's), check the export is plain data
 * (naming the first value that is not), then post it. Plain JavaScript: it runs as `eval` code.
 */
const WORKER_BODY = String.raw`
const vm = require('node:vm');
const path = require('node:path');
const { types } = require('node:util');
const { createRequire } = require('node:module');
const { code, filename, abs, port, shared } = workerData;
let done = false;
const finish = (msg) => {
  if (done) return;
  done = true;
  try { port.postMessage(msg); } catch (e) { port.postMessage({ kind: 'data', at: '', what: 'a value that cannot be copied' }); }
  Atomics.store(shared, 0, 1);
  Atomics.notify(shared, 0);
};
const errorOf = (kind, e) => e instanceof Error
  ? { kind, name: String(e.name), message: String(e.message), stack: String(e.stack) }
  : { kind, name: '', message: 'threw ' + (typeof e === 'object' && e !== null ? 'a non-Error object' : String(e)), stack: '' };
process.on('uncaughtException', (e) => finish(errorOf('late', e)));
process.on('unhandledRejection', (e) => finish(errorOf('rejection', e)));
const exit = process.exit;
process.exit = (c) => { finish({ kind: 'exit', code: c === undefined ? 0 : c }); exit(c); };
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (at, k) => typeof k === 'number' ? at + '[' + k + ']' : IDENT.test(k) ? (at ? at + '.' : '') + k : at + '[' + JSON.stringify(k) + ']';
function notPlain(v, at, stack) {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { at, what: String(v) + ' (not a finite number)' };
  if (typeof v === 'function') return { at, what: 'a function' };
  if (typeof v === 'bigint') return { at, what: 'a BigInt' };
  if (typeof v === 'symbol') return { at, what: 'a Symbol' };
  if (types.isProxy(v)) return { at, what: 'a Proxy' };
  if (stack.includes(v)) return { at, what: 'a circular reference (it contains itself)' };
  const proto = Object.getPrototypeOf(v);
  const isArray = Array.isArray(v) && proto === Array.prototype;
  if (!isArray && proto !== Object.prototype && proto !== null)
    return { at, what: 'a ' + ((proto && proto.constructor && proto.constructor.name) || 'non-plain object') };
  stack.push(v);
  const keys = isArray ? v.map((_, i) => i) : Object.keys(v);
  for (const k of keys) {
    const found = notPlain(v[k], key(at, k), stack);
    if (found) return found;
  }
  stack.pop();
  return undefined;
}
const mod = { exports: {} };
try {
  const fn = vm.runInThisContext('(function (exports, require, module, __filename, __dirname) {' + code + '\n})', { filename });
  fn(mod.exports, createRequire(abs), mod, abs, path.dirname(abs));
} catch (e) {
  finish(errorOf('throw', e));
}
process.on('beforeExit', () => {
  if (done) return;
  const names = Object.keys(mod.exports).filter((k) => k !== '__esModule');
  const config = 'default' in mod.exports ? mod.exports.default : names.length === 1 ? mod.exports[names[0]] : undefined;
  if (config === undefined) return finish({ kind: 'exports', names });
  const bad = notPlain(config, '', []);
  finish(bad ? { kind: 'data', at: bad.at, what: bad.what } : { kind: 'ok', config });
});
`;

const WORKER_SOURCE = `const { workerData } = require('node:worker_threads');\n${WORKER_BODY}`;

/**
 * A worker started before the bundle loaded (bin/config-worker.cjs), so its boot overlaps that
 * load. It waits, blocked, on `go` (0) for one job on `jobs`: `{ body, data }`, the evaluation
 * above as a function of workerData and require. 1 = a job was posted, 2 = none will come.
 */
export interface PrebootedWorker {
  readonly worker: Worker;
  readonly jobs: MessagePort;
  readonly go: Int32Array;
}

/** The heap a config may use (its worker ends when it needs more; the run then hits the time limit). */
export const CONFIG_HEAP_MB = 512;
/** Sets another heap limit in MB (tests use a small one, so hitting it is quick; docs/bounded-reading.md). */
export const CONFIG_HEAP_ENV = 'UNIFIED_AUTH_CONFIG_HEAP_MB';

/**
 * Run `wait` with every signal at its default action (the process ends), then restore the
 * listeners; SIGINT instead ends `wait` early with 'interrupted'. The main thread is blocked in
 * Atomics.wait, so no JavaScript listener could run: Node's `breakOnSigint` (vm, Script
 * runInContext) catches SIGINT outside the event loop and terminates the script, and V8 wakes an
 * Atomics.wait for that termination (its futex wait returns to handle interrupts).
 */
function withDefaultSignals(wait: () => void): 'done' | 'interrupted' {
  const saved = HANDLED_SIGNALS.map((s) => [s, process.listeners(s)] as const);
  for (const s of HANDLED_SIGNALS) process.removeAllListeners(s);
  try {
    // A context of its own holds `wait` (about a millisecond): no global of the process is touched.
    new vm.Script('wait()').runInContext(vm.createContext({ wait }), { breakOnSigint: true });
    return 'done';
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') return 'interrupted';
    throw e;
  } finally {
    for (const [s, listeners] of saved) for (const l of listeners) process.on(s, l);
  }
}

/** Evaluate compiled config code (CommonJS) named `filename`, as the module `abs`, within `timeoutMs` and `heapMb`. */
export function evaluateInWorker(
  code: string,
  filename: string,
  abs: string,
  timeoutMs: number,
  preboot?: PrebootedWorker,
  heapMb = CONFIG_HEAP_MB,
): Outcome {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker({ code, filename, abs, port: port2, shared }, preboot, heapMb);
  worker.unref();
  // The outcome is decided by the message (or its absence, the time limit); an 'error' the worker
  // emits afterwards (out of memory) must not end the run with a stack trace.
  worker.on('error', () => undefined);
  try {
    const deadline = Date.now() + timeoutMs;
    const waited = withDefaultSignals(() => {
      for (let left = timeoutMs; Atomics.load(shared, 0) === 0 && left > 0; left = deadline - Date.now()) Atomics.wait(shared, 0, 0, left);
    });
    if (waited === 'interrupted') return { kind: 'interrupted' };
    const received = receiveMessageOnPort(port1);
    return received ? (received.message as Outcome) : { kind: 'timeout' };
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** Hand the evaluation to the prebooted worker when it is unused, alive and as limited as a fresh one; else start one. */
function startWorker(data: { port: MessagePort } & Record<string, unknown>, preboot: PrebootedWorker | undefined, heapMb: number): Worker {
  const usable = preboot?.worker.resourceLimits?.maxOldGenerationSizeMb === heapMb && Atomics.load(preboot.go, 0) === 0;
  if (preboot && usable) {
    preboot.jobs.postMessage({ body: WORKER_BODY, data }, [data.port]);
    Atomics.store(preboot.go, 0, 1);
    Atomics.notify(preboot.go, 0);
    return preboot.worker;
  }
  return new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: data,
    transferList: [data.port],
    // A config is a few MB of data at most: one that keeps allocating ends here, not in swap.
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}
