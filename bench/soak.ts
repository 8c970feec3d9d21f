/**
 * Soak: 2,000 steps on 2 workers (mlp, batch 8, cpu, in this process so one tf.memory() sees both replicas),
 * with a checkpoint every 100 steps and an evaluation at every epoch end. Samples tf.memory().numTensors and the
 * RSS every 100 steps; fails (exit 1) when the tensor count moves after warm-up or the RSS grows by 10% or more.
 *   npm run soak            (SOAK_STEPS=N to change the length)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fit, LocalWorkerHandle, type FitCallback, type LaunchedWorkers } from '../src/coordinator/index.js';
import { createLogger } from '../src/shared/log/index.js';
import { InProcessCollective } from '../src/worker/allreduce/index.js';
import { TrainingWorker } from '../src/worker/index.js';
import { openTrainingData } from '../src/worker/localWorkerEnvironment.js';

const steps = Number(process.env.SOAK_STEPS ?? 2000);
const every = 100;
const samples: { step: number; tensors: number; rssMiB: number }[] = [];
const sample: FitCallback = {
  afterStep(_ctx, rec) {
    if ((rec.iteration + 1) % every !== 0) return;
    samples.push({
      step: rec.iteration + 1,
      tensors: tf.memory().numTensors,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
    });
  },
};
const ring = InProcessCollective.group(2);
const env = { openData: openTrainingData, openCollective: async (rank: number) => ring[rank] };
const launched: LaunchedWorkers = {
  workers: [0, 1].map((rank) => new LocalWorkerHandle(rank, new TrainingWorker(env))),
  ringAddresses: [],
  runId: 'soak',
  close: async () => {},
};
const out = mkdtempSync(path.join(os.tmpdir(), 'sc-soak-'));
const t0 = Date.now();
try {
  await fit(
    {
      model: 'mlp',
      data: 'sample',
      backend: 'cpu',
      batchSize: 8,
      iterations: steps,
      lr: 0.05,
      augment: false,
      checkpointEvery: 100,
      checksumEvery: 100,
      out,
    },
    { logger: createLogger({ level: 'warn' }), plots: false, workers: launched, callbacks: [sample] },
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
const warm = samples.find((s) => s.step >= Math.min(200, steps)) ?? samples[0];
const last = samples[samples.length - 1];
const tensorRange = samples.filter((s) => s.step >= warm.step).map((s) => s.tensors);
const growth = (last.rssMiB - warm.rssMiB) / warm.rssMiB;
console.log(`soak: ${steps} steps on 2 in-process workers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(
  `tensors: ${tensorRange[0]} at step ${warm.step}, ${last.tensors} at step ${last.step} (min ${Math.min(...tensorRange)}, max ${Math.max(...tensorRange)})`,
);
console.log(
  `rss: ${warm.rssMiB.toFixed(1)} MiB at step ${warm.step}, ${last.rssMiB.toFixed(1)} MiB at step ${last.step} (${(growth * 100).toFixed(1)}%)`,
);
const flat = Math.max(...tensorRange) === Math.min(...tensorRange);
if (!flat || growth >= 0.1) {
  console.error(
    `soak failed: ${flat ? '' : 'the tensor count moved; '}${growth >= 0.1 ? 'RSS grew by 10% or more' : ''}`,
  );
  process.exitCode = 1;
}
