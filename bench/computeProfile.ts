/**
 * Kernel-time breakdown of one training step (Replica.computeGradients) on the wasm backend, for finding the
 * slow kernels. Usage: node dist/bench/computeProfile.js [model] [batch] [layers|fast] [minMs]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../src/worker/kernels/index.js';
import { buildModel } from '../src/worker/models/index.js';
import { Replica } from '../src/worker/replica/index.js';
import { trainInputShape, randomBatch, forwardFor } from './computeSetup.js';

async function main(): Promise<void> {
  const [model = 'resnet-mini', batchArg = '128', forward = 'layers', minMs = '5'] = process.argv.slice(2);
  const batchSize = Number(batchArg);
  await tf.setBackend('wasm');
  registerWasmKernels();
  const shape = trainInputShape(model);
  const replica = await Replica.create(
    buildModel(model, { inputShape: shape, numClasses: 10, seed: 1 }),
    forwardFor(forward),
  );
  const batch = randomBatch(batchSize, shape, 7);
  await replica.computeGradients(batch, batchSize);
  await replica.computeGradients(batch, batchSize);
  const t0 = performance.now();
  await replica.computeGradients(batch, batchSize);
  const stepMs = performance.now() - t0;
  const prof = await tf.profile(async () => {
    await replica.computeGradients(batch, batchSize);
  });
  const agg = new Map<string, { ms: number; n: number }>();
  const slow: string[] = [];
  let total = 0;
  for (const k of prof.kernels) {
    const ms = Number(await k.kernelTimeMs);
    total += ms;
    const a = agg.get(k.name) ?? { ms: 0, n: 0 };
    a.ms += ms;
    a.n += 1;
    agg.set(k.name, a);
    if (ms >= Number(minMs)) slow.push(`  ${k.name} ${JSON.stringify(k.inputShapes)} ${ms.toFixed(1)} ms`);
  }
  console.log(
    `${model} batch ${batchSize} forward=${forward}: step ${stepMs.toFixed(0)} ms; kernels ${total.toFixed(0)} ms`,
  );
  for (const [name, a] of [...agg].sort((x, y) => y[1].ms - x[1].ms)) {
    console.log(`  ${name.padEnd(24)} ${a.ms.toFixed(1).padStart(8)} ms  x${a.n}`);
  }
  console.log(`kernel calls >= ${minMs} ms:\n${slow.join('\n')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
