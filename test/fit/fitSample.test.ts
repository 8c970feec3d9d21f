import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { fit } from '../../src/index.js';
import { createLogger } from '../../src/shared/log/index.js';
import { loadModel } from '../../src/worker/index.js';

const quiet = createLogger({ level: 'warn' });

test('fit on the shipped sample: records, summary, a saved model, and accuracy well above chance', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sc-fit-'));
  const s = await fit(
    { model: 'mlp', data: 'sample', backend: 'cpu', epochs: 2, lr: 0.1, batchSize: 128, augment: false, out },
    { logger: quiet },
  );
  assert.ok(s.accuracy > 0.6, `validation accuracy ${s.accuracy} should clearly beat chance (0.1)`);
  // 47 steps an epoch: 46 of 128 and the last partial one of 112, as fastai 0.7 and PyTorch count it.
  assert.equal(s.iterations, 2 * 47);
  const counts = readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { iteration: number; epoch: number });
  assert.deepEqual(
    counts.filter((m) => m.epoch === 1).map((m) => m.iteration),
    Array.from({ length: 47 }, (_, i) => 47 + i),
  );
  assert.equal(s.epochs, 2);

  const lines = readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
  assert.equal(lines.length, s.iterations);
  for (const key of ['iteration', 'epoch', 'lr', 'momentum', 'loss', 'smoothLoss'])
    assert.ok(key in lines[0], `metrics.jsonl has ${key}`);
  assert.equal(lines[0].lr, 0.01); // one-cycle starts at lr/div
  assert.equal(lines[0].momentum, 0.95);
  assert.equal(lines[0].smoothLoss, lines[0].loss); // debiased: the first smoothed value is the first loss
  assert.ok(lines.at(-1)!.loss < lines[0].loss, 'training loss falls');

  const epochs = readFileSync(path.join(out, 'epochs.csv'), 'utf8').trim().split('\n');
  assert.equal(epochs[0], 'epoch,trainLoss,valLoss,accuracy,seconds,imagesPerSecond');
  assert.equal(epochs.length, 3);

  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
  for (const key of [
    'valLoss',
    'accuracy',
    'iterations',
    'epochs',
    'imagesPerSecond',
    'workers',
    'backend',
    'config',
  ]) {
    assert.ok(key in summary, `summary.json has ${key}`);
  }
  const config = summary.config as Record<string, unknown>;
  assert.equal(config.model, 'mlp');
  assert.ok((config.dataStats as { mean: number[] }).mean.length === 1, 'the normalisation stats are recorded');
  assert.ok((summary.imagesPerSecond as number) > 0);

  // The saved model loads with tf.loadLayersModel and gives the accuracy fit reported.
  assert.ok(existsSync(path.join(out, 'model', 'model.json')) && existsSync(path.join(out, 'model', 'weights.bin')));
  const model = await loadModel(path.join(out, 'model', 'model.json'));
  assert.equal(model.countParams(), 101770);
  model.dispose();
  assert.equal(tf.getBackend(), 'cpu');
});

test('fit starts from a saved tfjs model with --model PATH', async () => {
  const first = mkdtempSync(path.join(tmpdir(), 'sc-fit-'));
  const a = await fit(
    { model: 'mlp', backend: 'cpu', iterations: 30, lr: 0.1, augment: false, out: first },
    { logger: quiet },
  );
  const second = mkdtempSync(path.join(tmpdir(), 'sc-fit-'));
  const b = await fit(
    {
      model: path.join(first, 'model', 'model.json'),
      backend: 'cpu',
      iterations: 1,
      lr: 1e-6,
      augment: false,
      out: second,
    },
    { logger: quiet },
  );
  // One step at a tiny lr from the trained weights keeps the trained model's accuracy, far from a fresh model's.
  assert.ok(Math.abs(b.accuracy - a.accuracy) < 0.02, `${b.accuracy} vs ${a.accuracy}`);
});
