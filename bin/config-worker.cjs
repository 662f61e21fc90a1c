// The TypeScript config's worker, started by bin/synth.cjs before the bundle loads, so booting a
// second Node environment overlaps loading the bundle. It blocks until lib/config/evaluate.ts
// (PrebootedWorker) posts the one job, the evaluation's own code with its data; a run that
// evaluates no .ts config releases it (go = 2) and it ends without running anything.
const { MessageChannel, Worker } = require('node:worker_threads');

const BOOT = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { jobs, go } = workerData;
Atomics.wait(go, 0, 0);
const job = Atomics.load(go, 0) === 1 ? receiveMessageOnPort(jobs) : undefined;
jobs.close();
if (job) require('node:vm').runInThisContext('(function (workerData, require) {' + job.message.body + '\\n})', { filename: '[config worker]' })(job.message.data, require);
`;

/** The heap limit lib/config/evaluate.ts gives a config, 512 MB or UNIFIED_AUTH_CONFIG_HEAP_MB (checked there: a mismatch is not used). */
const heapMb = (raw = process.env.UNIFIED_AUTH_CONFIG_HEAP_MB ?? '') => (/^\d+$/.test(raw) && Number(raw) >= 16 ? Number(raw) : 512);

function startConfigWorker() {
  const go = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOT, {
    eval: true,
    workerData: { jobs: port2, go },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: heapMb() },
  });
  worker.unref();
  worker.on('error', () => undefined);
  const release = () => {
    if (Atomics.compareExchange(go, 0, 0, 2) === 0) Atomics.notify(go, 0);
    port1.close();
  };
  return { handle: { worker, jobs: port1, go }, release };
}

module.exports = { startConfigWorker };
