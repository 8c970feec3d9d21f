import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleBatch, computeNormalization, loadDataset } from '../../src/data/index.js';
import { syntheticSplit } from './fixtures.js';

test('computeNormalization gives each channel its own mean and population std of pixels/255', () => {
  const split = syntheticSplit('t', 2, 1, 2, 2);
  // Pixels (NHWC, 2 channels): channel 0 = 0, 255, 51, 102; channel 1 = 255, 255, 255, 255 (constant).
  split.pixels.set([0, 255, 255, 255, 51, 255, 102, 255]);
  const { mean, std } = computeNormalization(split);
  const c0 = [0, 1, 0.2, 0.4];
  const m0 = c0.reduce((a, b) => a + b) / 4;
  const s0 = Math.sqrt(c0.reduce((a, v) => a + (v - m0) ** 2, 0) / 4);
  assert.ok(Math.abs(mean[0] - m0) < 1e-12 && Math.abs(std[0] - s0) < 1e-12, `channel 0: ${mean[0]}, ${std[0]}`);
  assert.equal(mean[1], 1);
  assert.equal(std[1], 1, 'a constant channel gets std 1, not 0');
});

test('normalising the sample training split with its own stats gives mean 0 and std 1', async () => {
  const { train } = await loadDataset('sample');
  const stats = computeNormalization(train);
  // Fashion-MNIST's published statistics are about 0.286 / 0.353; the stratified sample is close to them.
  assert.ok(Math.abs(stats.mean[0] - 0.286) < 0.005 && Math.abs(stats.std[0] - 0.353) < 0.005, JSON.stringify(stats));
  const all = Int32Array.from({ length: train.n }, (_, i) => i);
  const { x } = assembleBatch(train, all, { stats, augment: false, seed: 0, epoch: 0 });
  let sum = 0;
  let squares = 0;
  for (const v of x) {
    sum += v;
    squares += v * v;
  }
  const m = sum / x.length;
  assert.ok(Math.abs(m) < 1e-4, `mean ${m}`);
  assert.ok(Math.abs(Math.sqrt(squares / x.length - m * m) - 1) < 1e-4, 'std');
});
