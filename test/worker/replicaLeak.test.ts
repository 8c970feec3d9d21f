import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel, Replica, selectBackend } from '../../src/worker/index.js';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`no tensor leak across training steps and evaluations (${backend}, BatchNorm model)`, async () => {
    await selectBackend(backend);
    const model = buildModel('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 3 });
    const replica = await Replica.create(model);
    const n = 8;
    const batch = {
      x: new Float32Array(n * 784).map((_, i) => Math.sin(i)),
      labels: new Int32Array(n).map((_, i) => i % 10),
      shape: [n, 28, 28, 1] as [number, number, number, number],
    };
    const step = async () => {
      const g = await replica.computeGradients(batch, n);
      replica.applyUpdate(g.gradients, { groupLrs: [0.05], momentum: 0.9, groupWeightDecays: [1e-4] }, 'coupled');
      await replica.evaluate(batch);
      return g.lossSum / n;
    };
    const first = await step();
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = await step();
    assert.equal(tf.memory().numTensors, tensors, 'tensor count is flat across steps');
    assert.ok(last < first, `loss falls on a repeated batch (${first} -> ${last})`);
    model.dispose();
  });
}
