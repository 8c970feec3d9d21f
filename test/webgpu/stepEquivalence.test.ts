import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { trainForward } from '../../src/worker/fastForward/index.js';
import { buildModel, Replica, selectBackend, type ReplicaState, type TensorBatch } from '../../src/worker/index.js';
import { relL2, webgpuSkipReason } from './webgpuAvailable.js';

/**
 * float32 tolerance, relative L2 per tensor: the two backends sum in different orders (tiled GPU reductions vs
 * sequential loops), which moves float32 results by a few ulps per op; over a forward and backward pass of a few
 * dozen ops that stays near 1e-6 (measured: under 4e-6 for a conv-BN net). 1e-4 leaves room, and is still far
 * below what a wrong kernel gives (differences of order 1).
 */
const TOL = 1e-4;
const H = { groupLrs: [0.1], momentum: 0.9, groupWeightDecays: [1e-4] }; // one layer group

interface StepOutcome {
  lossSum: number;
  correct: number;
  gradients: Float32Array;
  after: ReplicaState;
}

function batchOf(n: number): TensorBatch {
  return {
    x: new Float32Array(n * 784).map((_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 0.011)),
    labels: new Int32Array(n).map((_, i) => (i * 7) % 10),
    shape: [n, 28, 28, 1],
  };
}

/** One training step (the worker's: fast forward, gradients, SGD) from `start` on `backend`. */
async function oneStep(
  backend: 'cpu' | 'wasm' | 'webgpu',
  model: string,
  start: ReplicaState | undefined,
  batch: TensorBatch,
): Promise<{ start: ReplicaState; out: StepOutcome; sizes: { name: string; size: number }[] }> {
  await selectBackend(backend);
  const m = buildModel(model, { inputShape: [28, 28, 1], numClasses: 10, seed: 5 });
  try {
    const replica = await Replica.create(m, trainForward);
    if (start) replica.setState(start);
    const initial = await replica.getState();
    const r = await replica.computeGradients(batch, batch.labels.length);
    replica.applyUpdate(r.gradients, H, 'coupled');
    const sizes = m.trainableWeights.map((w) => ({
      name: w.name,
      size: w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    }));
    return {
      start: initial,
      sizes,
      out: { lossSum: r.lossSum, correct: r.correct, gradients: r.gradients.slice(), after: await replica.getState() },
    };
  } finally {
    m.dispose();
  }
}

// The reference is tfjs's cpu backend; for resnet-mini it is wasm (superconverge's CPU path, whose kernels
// test/kernels checks against cpu), as tfjs's cpu backend takes minutes for one resnet-mini step on a 2-core VM.
for (const [model, n, reference] of [
  ['mlp', 8, 'cpu'],
  ['cnn', 8, 'cpu'],
  ['resnet-mini', 4, 'wasm'],
] as const) {
  test(`${model}, batch ${n}: one step on webgpu equals the ${reference} backend's (loss, every gradient, weights, BatchNorm statistics) within ${TOL} relative`, async (t) => {
    const why = await webgpuSkipReason();
    if (why) return t.skip(why);
    const batch = batchOf(n);
    const cpu = await oneStep(reference, model, undefined, batch);
    const gpu = await oneStep('webgpu', model, cpu.start, batch);
    assert.deepEqual(gpu.start.weights, cpu.start.weights, 'both start from the same weights');
    const c = cpu.out;
    const g = gpu.out;
    assert.ok(
      Math.abs(g.lossSum - c.lossSum) <= TOL * Math.abs(c.lossSum),
      `loss: webgpu ${g.lossSum}, cpu ${c.lossSum}`,
    );
    assert.equal(g.correct, c.correct);
    let off = 0;
    let worst = 0;
    for (const { name, size } of cpu.sizes) {
      const rel = relL2(g.gradients.subarray(off, off + size), c.gradients.subarray(off, off + size));
      assert.ok(rel <= TOL, `gradient of ${name}: relative L2 difference ${rel.toExponential(2)}`);
      worst = Math.max(worst, rel);
      off += size;
    }
    t.diagnostic(
      `loss ${(Math.abs(g.lossSum - c.lossSum) / Math.abs(c.lossSum)).toExponential(2)}, worst gradient ${worst.toExponential(2)}, weights ${relL2(g.after.weights, c.after.weights).toExponential(2)}, buffers ${model === 'mlp' ? '-' : relL2(g.after.buffers, c.after.buffers).toExponential(2)} (relative L2)`,
    );
    assert.equal(off, c.gradients.length, 'every gradient compared');
    const w = relL2(g.after.weights, c.after.weights);
    assert.ok(w <= TOL, `updated weights: ${w.toExponential(2)}`);
    assert.ok(relL2(g.after.momentum, c.after.momentum) <= TOL, 'momentum buffers');
    if (model !== 'mlp') {
      assert.ok(c.after.buffers.length > 0, `${model} has BatchNorm statistics`);
      const b = relL2(g.after.buffers, c.after.buffers);
      assert.ok(b <= TOL, `BatchNorm moving mean and variance after the step: ${b.toExponential(2)}`);
      assert.notDeepEqual(c.after.buffers, cpu.start.buffers, 'the step moved the statistics');
    }
    assert.equal(tf.getBackend(), 'webgpu');
  });
}
