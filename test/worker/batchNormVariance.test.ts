/**
 * BatchNorm's running variance takes the unbiased batch variance (× n/(n−1), n the values per channel), as
 * PyTorch's BatchNorm does; trainForward's default stays tfjs-layers' biased one, model.apply's exactly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { trainForward } from '../../src/worker/fastForward/index.js';

/** A one-BatchNorm model on 2×3×2 inputs (channels last) with fixed weights. */
function model(): tf.LayersModel {
  const input = tf.input({ shape: [2, 3, 2] });
  const bn = tf.layers.batchNormalization({ axis: -1, momentum: 0.9 }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.flatten().apply(bn) as tf.SymbolicTensor });
}

test('BatchNorm running variance: unbiased (PyTorch) with unbiasedVariance, biased (tfjs-layers) by default', async () => {
  await tf.setBackend('cpu');
  const batch = 3;
  const values = Array.from({ length: batch * 2 * 3 * 2 }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 2) * 5);
  const movingVariance = (unbiased: boolean): number[] => {
    const m = model();
    tf.tidy(() => {
      trainForward(m, tf.tensor4d(values, [batch, 2, 3, 2]), { unbiasedVariance: unbiased });
    });
    const v = m.getLayer(m.layers[1].name).getWeights()[3].arraySync() as number[];
    m.dispose();
    return v;
  };
  // Per channel: n = 3·2·3 = 18 values; biased variance = mean of squared deviations.
  const n = batch * 2 * 3;
  const expected = [0, 1].map((c) => {
    const xs = values.filter((_, i) => i % 2 === c);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const biased = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    // moving = moving·momentum + batch·(1 − momentum), from the initial 1
    return { biased: 0.9 + 0.1 * biased, unbiased: 0.9 + 0.1 * biased * (n / (n - 1)) };
  });
  const got = { biased: movingVariance(false), unbiased: movingVariance(true) };
  for (const c of [0, 1]) {
    assert.ok(
      Math.abs(got.biased[c] - expected[c].biased) < 1e-5,
      `channel ${c} biased: ${got.biased[c]} vs ${expected[c].biased}`,
    );
    assert.ok(
      Math.abs(got.unbiased[c] - expected[c].unbiased) < 1e-5,
      `channel ${c} unbiased: ${got.unbiased[c]} vs ${expected[c].unbiased}`,
    );
  }
  const m = model();
  tf.tidy(() => {
    m.apply(tf.tensor4d(values, [batch, 2, 3, 2]), { training: true });
  });
  const layers = m.getLayer(m.layers[1].name).getWeights()[3].arraySync() as number[];
  m.dispose();
  assert.ok(
    layers.every((v, c) => Math.abs(v - got.biased[c]) < 1e-5),
    "the default is model.apply's update",
  );
});

test("a frozen group's BatchNorm (inferenceLayers) runs in inference mode and keeps its statistics; the others take the unbiased variance", async () => {
  await tf.setBackend('cpu');
  const input = tf.input({ shape: [2, 3, 2] });
  const frozenBn = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, name: 'frozen_bn' });
  const trainedBn = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, name: 'trained_bn' });
  const out = trainedBn.apply(frozenBn.apply(input)) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: tf.layers.flatten().apply(out) as tf.SymbolicTensor });
  frozenBn.setWeights([tf.ones([2]), tf.zeros([2]), tf.tensor1d([1, -2]), tf.tensor1d([4, 0.25])]);
  const batch = 3;
  const values = Array.from({ length: batch * 2 * 3 * 2 }, (_, i) => Math.cos(i * 0.9) * 2 + (i % 2));
  tf.tidy(() => {
    trainForward(m, tf.tensor4d(values, [batch, 2, 3, 2]), {
      unbiasedVariance: true,
      inferenceLayers: new Set(['frozen_bn']),
    });
  });
  const [, , frozenMean, frozenVar] = frozenBn.getWeights().map((w) => w.arraySync() as number[]);
  assert.deepEqual(frozenMean, [1, -2], "the frozen BatchNorm's moving mean is unchanged");
  assert.deepEqual(frozenVar, [4, 0.25], "the frozen BatchNorm's moving variance is unchanged");
  // The trained BatchNorm sees the frozen one's inference-mode output: (x − mean)/sqrt(var + eps).
  const eps = 1e-3;
  const n = batch * 2 * 3;
  const trainedVar = trainedBn.getWeights()[3].arraySync() as number[];
  for (const c of [0, 1]) {
    const xs = values.filter((_, i) => i % 2 === c).map((v) => (v - frozenMean[c]) / Math.sqrt(frozenVar[c] + eps));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const unbiased = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    assert.ok(
      Math.abs(trainedVar[c] - (0.9 + 0.1 * unbiased)) < 1e-5,
      `channel ${c}: ${trainedVar[c]} vs ${0.9 + 0.1 * unbiased}`,
    );
  }
  m.dispose();
});
