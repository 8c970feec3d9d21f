/**
 * The fused residual add + ReLU (wasm) against tf.relu(tf.add(a, b)) on the cpu backend: values and both inputs'
 * gradients, exactly (up to the sign of zero), including elements where a + b is exactly 0 (ReLU's gradient is 0
 * there); bitwise repeatable.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { addRelu } from '../../src/worker/fastForward/index.js';
import { on, seededTensor } from './compare.js';

function step(shape: number[]): tf.Tensor[] {
  const a = seededTensor(shape, 41);
  const b = tf.where(tf.less(seededTensor(shape, 43), -0.3), tf.neg(a), seededTensor(shape, 42)); // some a + b == 0
  const dy = seededTensor(shape, 44);
  const y = addRelu(a, b);
  const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(addRelu(p, q), dy)))([a, b]);
  return [y, da, db];
}

for (const shape of [[4], [2, 3, 5, 8], [128, 36]]) {
  test(`fused add + ReLU (wasm) equals relu(add) (cpu): [${shape}]`, async () => {
    const ref = await on('cpu', () => step(shape));
    const got = await on('wasm', () => step(shape));
    // equal values (the cpu gradient has -0 where dy < 0 is masked; +0 here)
    const plusZero = (v: Float32Array): Float32Array => v.map((e) => e + 0);
    ['y', 'da', 'db'].forEach((name, i) => assert.deepEqual(plusZero(got.values[i]), plusZero(ref.values[i]), name));
    const again = await on('wasm', () => step(shape));
    again.values.forEach((v, i) => assert.deepEqual(v, got.values[i], `output ${i} not bitwise repeatable`));
  });
}
