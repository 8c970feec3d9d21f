/**
 * N local workers as worker threads in one process, each with its own tfjs + wasm instance and replica (as the
 * project's local workers run), training at the same time. Prints one JSON line: per-thread step times and the
 * total images/s over the common wall-clock window, and the process's CPU time over that window.
 * Usage: node dist/bench/computeThreads.js '{"threads":2,"model":"resnet-mini","batch":128,"warmup":2,"steps":6}'
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface ThreadsSpec {
  threads: number;
  model: string;
  batch: number;
  warmup: number;
  steps: number;
}

/** The JSON line main() prints. */
export interface ThreadsResult {
  spec: ThreadsSpec;
  wallMs: number;
  /** CPU time of the whole process (every thread) over the timed steps. */
  cpuMs: number;
  /** Each thread's step times. */
  stepMs: number[][];
  /** Total over the common wall-clock window. */
  imagesPerSec: number;
}

async function worker(spec: ThreadsSpec): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmKernels } = await import('../src/worker/kernels/index.js');
  const { buildModel } = await import('../src/worker/models/index.js');
  const { Replica } = await import('../src/worker/replica/index.js');
  const { forwardFor, randomBatch, trainInputShape } = await import('./computeSetup.js');
  registerWasmKernels();
  await tf.setBackend('wasm');
  const shape = trainInputShape(spec.model);
  const replica = await Replica.create(
    buildModel(spec.model, { inputShape: shape, numClasses: 10, seed: 1 }),
    forwardFor('fast'),
  );
  const batch = randomBatch(spec.batch, shape, 7);
  const h = { groupLrs: [0.01], momentum: 0.9, groupWeightDecays: [1e-4] }; // one layer group
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    replica.applyUpdate((await replica.computeGradients(batch, spec.batch)).gradients, h, 'coupled');
    return performance.now() - t0;
  };
  for (let i = 0; i < spec.warmup; i++) await step();
  parentPort!.postMessage('ready');
  parentPort!.once('message', async () => {
    const times: number[] = [];
    for (let i = 0; i < spec.steps; i++) times.push(await step());
    parentPort!.postMessage(times);
  });
}

async function main(spec: ThreadsSpec): Promise<void> {
  const workers = Array.from(
    { length: spec.threads },
    () => new Worker(new URL(import.meta.url), { workerData: spec }),
  );
  const once = (w: Worker): Promise<unknown> =>
    new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  await Promise.all(workers.map(once));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const done = workers.map(once);
  for (const w of workers) w.postMessage('go');
  const times = (await Promise.all(done)) as number[][];
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await Promise.all(workers.map((w) => w.terminate()));
  const result: ThreadsResult = {
    spec,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    stepMs: times,
    imagesPerSec: (spec.threads * spec.batch * spec.steps) / (wallMs / 1000),
  };
  console.log(JSON.stringify(result));
}

if (isMainThread) {
  main(JSON.parse(process.argv[2] ?? '{}') as ThreadsSpec).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
} else {
  worker(workerData as ThreadsSpec).catch((e: unknown) => {
    throw e;
  });
}
