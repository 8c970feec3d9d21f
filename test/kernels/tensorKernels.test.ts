import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compareBackends, seededTensor } from './compare.js';

const TOL = 2e-5;

async function expectMatch(name: string, fn: () => tf.Tensor[]): Promise<void> {
  const err = await compareBackends(fn);
  assert.ok(err < TOL, `${name}: relative error ${err.toExponential(2)} >= ${TOL}`);
}

const reductions: Array<[number[], number | number[], boolean]> = [
  [[128, 28, 28, 32], [0, 1, 2], false], // BatchNorm statistics at resnet-mini's largest layer
  [[16, 7, 7, 128], [0, 1, 2], true],
  [[16, 7, 7, 128], [1, 2], false], // global average pooling
  [[3, 5, 4, 6], [-2, 1], true],
  [[1, 5, 4, 6], [0, 1, 2], false],
  [[5, 1, 1, 6], [0, 1, 2], false],
  [[128, 10], 0, false], // dense bias gradient
  [[7, 3], [0], true],
  [[4, 5, 6], [0, 1], false],
  [[3, 5, 4, 6], 1, false], // stock fallback
  [[3, 5, 4, 6], [0, 1, 2, 3], false], // stock fallback
  [[6, 1], 0, false], // one channel: stock fallback
];
for (const [shape, axis, keepDims] of reductions) {
  test(`Mean and Sum over ${JSON.stringify(axis)} of [${shape}] keepDims=${keepDims} match the cpu backend`, async () => {
    await expectMatch('mean/sum', () => {
      const x = tf.add(seededTensor(shape, 4), 0.3);
      return [tf.mean(x, axis, keepDims), tf.sum(x, axis, keepDims)];
    });
  });
}

test('Sum of int32 goes to the stock kernel and stays exact', async () => {
  await expectMatch('int sum', () => [
    tf.cast(tf.sum(tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]), [0, 1]), 'float32'),
  ]);
});

const tiles: Array<[number[], number[]]> = [
  [
    [1, 1, 1, 32],
    [128, 28, 28, 1],
  ], // tfjs' BatchNorm gradient
  [
    [1, 1, 1, 5],
    [2, 3, 4, 1],
  ],
  [
    [3, 1, 1, 5],
    [1, 4, 2, 1],
  ], // repeats inside: broadcasting Add path
  [
    [1, 4],
    [3, 1],
  ],
  [
    [2, 3],
    [2, 2],
  ], // real tiling: stock fallback
];
for (const [shape, reps] of tiles) {
  test(`Tile [${shape}] by [${reps}] matches the cpu backend`, async () => {
    await expectMatch('tile', () => [tf.tile(seededTensor(shape, 5), reps)]);
  });
}

// tfjs' own batchNorm gradient fails without offset/scale and with rank-4 statistics (on cpu too): forward only.
const norms: Array<[string, number[], number[], boolean, boolean]> = [
  ['resnet-mini layer', [32, 28, 28, 32], [32], true, true],
  ['odd', [3, 5, 7, 6], [6], true, true],
  ['no offset/scale', [3, 5, 7, 6], [6], false, false],
  ['rank-4 statistics', [2, 3, 3, 4], [1, 1, 1, 4], true, false],
  ['rank 2', [9, 5], [5], true, true],
];
for (const [name, xShape, statShape, affine, withGrads] of norms) {
  test(`batchNorm (${name}) ${withGrads ? 'and its gradients ' : ''}match the cpu backend`, async () => {
    await expectMatch('batchNorm', () => {
      const x = seededTensor(xShape, 6);
      const mean = tf.mul(seededTensor(statShape, 7), 0.1);
      const variance = tf.add(tf.abs(seededTensor(statShape, 8)), 0.5);
      const offset = affine ? seededTensor(statShape, 9) : undefined;
      const scale = affine ? tf.add(seededTensor(statShape, 10), 1) : undefined;
      const dy = seededTensor(xShape, 11);
      const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor): tf.Tensor =>
        tf.sum(tf.mul(tf.batchNorm(a, m, v, offset, scale, 1e-3), dy));
      const y = tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
      return withGrads ? [y, ...tf.grads(f)([x, mean, variance])] : [y];
    });
  });
}

const pools: Array<[string, number[], [number, number], number, 'valid' | 'same']> = [
  ['global 7x7 (resnet-mini head)', [32, 7, 7, 128], [7, 7], 7, 'valid'],
  ['global 8x8 odd channels', [3, 8, 8, 5], [8, 8], 8, 'valid'],
  ['global 1x1', [2, 1, 1, 3], [1, 1], 1, 'valid'],
  ['3x3 stride 2 same (stock fallback)', [2, 9, 9, 3], [3, 3], 2, 'same'],
];
for (const [name, shape, filter, stride, pad] of pools) {
  test(`avgPool gradient (${name}) matches the cpu backend`, async () => {
    await expectMatch('avgPoolGrad', () => {
      const x = seededTensor(shape, 12);
      const y = tf.avgPool(x as tf.Tensor4D, filter, stride, pad);
      const dy = seededTensor(y.shape, 13);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, filter, stride, pad), dy)))(x)];
    });
  });
}

const products: Array<[string, number[], number[], boolean, boolean]> = [
  ['dense gradient x^T dy (mlp 784-128)', [128, 784], [128, 128], true, false],
  ['dense gradient dy W^T', [128, 10], [128, 10], false, true],
  ['both transposed', [7, 5], [3, 7], true, true],
  ['batch 3', [3, 4, 5], [3, 5, 6], false, false],
  ['batch 3 transposed', [3, 5, 4], [3, 6, 5], true, true],
  ['broadcast batch', [1, 4, 5], [2, 3, 5, 6], false, false],
  ['plain (stock)', [6, 5], [5, 4], false, false],
];
for (const [name, aShape, bShape, ta, tb] of products) {
  test(`matMul (${name}) matches the cpu backend`, async () => {
    await expectMatch('matMul', () => [tf.matMul(seededTensor(aShape, 14), seededTensor(bShape, 15), ta, tb)]);
  });
}

test('Identity shares data without copying and values survive disposal of the source', async () => {
  await expectMatch('identity', () => {
    const x = seededTensor([4, 5], 16);
    const c = tf.clone(x);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.clone(a), a)))(x);
    x.dispose();
    return [c, g];
  });
});

test('Cast to the same dtype shares data; other casts still convert (stock kernel)', async () => {
  await expectMatch('cast', () => {
    const x = tf.mul(seededTensor([3, 4], 17), 10);
    const same = tf.cast(x, 'float32');
    const ints = tf.cast(tf.tensor1d([3, -2, 7], 'int32'), 'float32');
    const bools = tf.cast(tf.tensor1d([0, 2.5, 0], 'float32'), 'bool').cast('float32');
    x.dispose();
    return [same, ints, bools];
  });
});
