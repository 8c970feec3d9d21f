/**
 * The fused batch-norm kernels (wasm) against batchNormTrain's tfjs formulas on the cpu backend: values, batch
 * statistics and the three gradients, over row counts around the 64-row accumulation block and channel counts
 * 4 to 36, with and without the fused ReLU; and bitwise the same when run again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { batchNormTrain } from '../../src/worker/fastForward/index.js';
import { on, relErr, seededTensor } from './compare.js';

const TOL = 2e-5;
const SHAPES: number[][] = [
  [1, 1, 1, 4],
  [63, 8],
  [2, 4, 8, 12],
  [65, 36],
  [3, 7, 9, 32],
  [128, 4, 4, 20],
];

function step(shape: number[], relu: boolean): tf.Tensor[] {
  const c = shape[shape.length - 1];
  const x = tf.add(tf.mul(seededTensor(shape, 31), 3), 0.7); // off-centre, not unit scale
  const gamma = seededTensor([c], 32);
  const beta = seededTensor([c], 33);
  const dy = seededTensor(shape, 34);
  let stats: tf.Tensor[] = [];
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const r = batchNormTrain(a, g, b, 1e-3, relu);
    stats = [r.mean, r.variance];
    return tf.sum(tf.mul(r.y, dy));
  })([x, gamma, beta]);
  const y = batchNormTrain(x, gamma, beta, 1e-3, relu);
  return [y.y, y.mean, y.variance, ...grads, ...stats];
}

const CASES: Array<[number[], boolean]> = [
  ...SHAPES.map((sh): [number[], boolean] => [sh, false]),
  [[65, 36], true],
  [[3, 7, 9, 32], true],
];
for (const [shape, relu] of CASES) {
  test(`fused batch norm${relu ? ' + ReLU' : ''} (wasm) equals the tfjs formulas (cpu): [${shape}]`, async () => {
    const ref = await on('cpu', () => step(shape, relu));
    const got = await on('wasm', () => step(shape, relu));
    const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
    names.forEach((name, i) => {
      const err = relErr(got.values[i], ref.values[i]);
      assert.ok(err < TOL, `${name}: relative error ${err.toExponential(2)} >= ${TOL}`);
    });
    const again = await on('wasm', () => step(shape, relu));
    again.values.forEach((v, i) => assert.deepEqual(v, got.values[i], `output ${i} not bitwise repeatable`));
  });
}
