import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fit, lrFind } from '../../src/index.js';
import { LocalWorkerHandle } from '../../src/coordinator/LocalWorkerHandle.js';
import type { LaunchedWorkers } from '../../src/coordinator/launchWorkers.js';
import { createLogger } from '../../src/shared/log/index.js';
import { lrRange, oneCycle } from '../../src/shared/schedule/index.js';
import * as tf from '@tensorflow/tfjs';
import {
  buildModel,
  InProcessCollective,
  loadModel,
  openTrainingData,
  saveModel,
  selectBackend,
  TrainingWorker,
} from '../../src/worker/index.js';

const quiet = createLogger({ level: 'warn' });
const tmp = () => mkdtempSync(path.join(tmpdir(), 'sc-groups-'));
const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { lr: number; lrs: number[] });

/**
 * A small tfjs model saved to disk, to load with --model PATH: flatten, fc1 (64) + BatchNorm + ReLU, fc2 (32) +
 * BatchNorm + ReLU, out (10). Dense layers keep the CPU backend fast; the BatchNorms exercise freezing.
 */
async function saveDenseModel(): Promise<string> {
  await selectBackend('cpu');
  const input = tf.input({ shape: [28, 28, 1], name: 'input' });
  let x = tf.layers.flatten({ name: 'flatten' }).apply(input) as tf.SymbolicTensor;
  for (const [name, units] of [
    ['fc1', 64],
    ['fc2', 32],
  ] as const) {
    x = tf.layers
      .dense({ name, units, kernelInitializer: tf.initializers.heNormal({ seed: units }) })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `${name}_bn`, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.activation({ name: `${name}_relu`, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers
    .dense({ name: 'out', units: 10, kernelInitializer: tf.initializers.heNormal({ seed: 1 }) })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'dense3' });
  const file = await saveModel(model, tmp());
  model.dispose();
  return file;
}

const weightsOf = (m: tf.LayersModel, layer: string) =>
  m
    .getLayer(layer)
    .getWeights()
    .map((w) => Float32Array.from(w.dataSync()));

/** The ratio of every group's lr to the last group's is the same at every iteration, and the last is the schedule's. */
function assertRatiosHold(
  rows: { lr: number; lrs: number[] }[],
  base: number[],
  expectedLr: (i: number) => number,
): void {
  rows.forEach((r, i) => {
    assert.equal(r.lrs.length, base.length, `iteration ${i}: lrs lists every group`);
    assert.equal(r.lr, expectedLr(i), `iteration ${i}: lr is the schedule's`);
    assert.equal(r.lrs[base.length - 1], r.lr, `iteration ${i}: the last group's lr is lr`);
    base.forEach((b, g) => {
      const ratio = r.lrs[g] / r.lr;
      const want = b / base[base.length - 1];
      assert.ok(Math.abs(ratio - want) <= 1e-12 * want, `iteration ${i}, group ${g}: ratio ${ratio}, want ${want}`);
    });
  });
}

test('per-group lrs through a one-cycle fit keep their ratios at every iteration; the config records groups and values', async () => {
  const out = tmp();
  const lrs = [0.1 / 9, 0.1 / 3, 0.1];
  const model = await saveDenseModel();
  const s = await fit(
    {
      model,
      layerGroups: ['fc1', 'fc2', 'out'],
      backend: 'cpu',
      iterations: 24,
      batchSize: 64,
      lrs,
      wds: [0, 1e-4, 1e-3],
      augment: false,
      out,
    },
    { logger: quiet, plots: false },
  );
  const rows = readJsonl(path.join(out, 'metrics.jsonl'));
  assert.equal(rows.length, 24);
  const sched = oneCycle({ iterations: 24, maxLr: 0.1, div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 });
  assertRatiosHold(rows, lrs, (i) => sched(i).lr);
  const saved = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { config: Record<string, unknown> };
  assert.deepEqual(saved.config.lrs, lrs);
  assert.deepEqual(saved.config.wds, [0, 1e-4, 1e-3]);
  assert.equal(saved.config.lr, 0.1);
  assert.equal(saved.config.wd, 1e-3);
  assert.deepEqual(saved.config.layerGroups, ['input', 'fc2', 'out']);
  assert.equal(saved.config.freezeTo, 0);
  assert.deepEqual(s.config.layerGroups, saved.config.layerGroups);
});

test('--freeze-to 2: the frozen groups (weights and BatchNorm statistics) are bitwise unchanged after a fit, the head moves', async () => {
  const out = tmp();
  await fit(
    { model: 'cnn', backend: 'cpu', iterations: 20, batchSize: 32, lr: 0.5, freezeTo: 2, seed: 7, out },
    { logger: quiet, plots: false },
  );
  await selectBackend('cpu');
  const start = buildModel('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 7 });
  const end = await loadModel(path.join(out, 'model', 'model.json'));
  const values = weightsOf;
  for (const layer of ['conv1', 'bn1', 'conv2', 'bn2']) {
    assert.equal(values(start, layer).length, layer.startsWith('bn') ? 4 : 1); // BatchNorm: gamma, beta, moving mean and variance
    assert.deepEqual(values(end, layer), values(start, layer), `${layer} is frozen`);
  }
  const [k0] = values(start, 'head_dense');
  const [k1] = values(end, 'head_dense');
  assert.ok(
    k0.some((x, i) => x !== k1[i]),
    'the head trained',
  );
  start.dispose();
  end.dispose();
});

test('a loaded tfjs model with three groups (--layer-groups) fits on 2 workers, per-group lrs and a frozen first group', async () => {
  const modelJson = await saveDenseModel();
  // Two workers in this process, their allreduce an in-process ring (the coordinator's side is unchanged).
  const ring = InProcessCollective.group(2);
  const env = { openData: openTrainingData, openCollective: async (rank: number) => ring[rank] };
  const launched: LaunchedWorkers = {
    workers: [0, 1].map((rank) => new LocalWorkerHandle(rank, new TrainingWorker(env))),
    ringAddresses: [],
    runId: 'groups-two-workers',
    close: async () => {},
  };
  const out = tmp();
  const s = await fit(
    {
      model: modelJson,
      layerGroups: ['0', 'fc2', 'out'],
      lrs: [0.02, 0.05, 0.2],
      freezeTo: 1,
      workers: 2,
      backend: 'cpu',
      iterations: 12,
      batchSize: 64,
      checksumEvery: 4,
      out,
    },
    { logger: quiet, plots: false, workers: launched },
  );
  assert.equal(s.workers, 2);
  assert.equal(s.iterations, 12);
  assert.ok(Number.isFinite(s.valLoss));
  assert.deepEqual(s.config.layerGroups, ['input', 'fc2', 'out']);
  assert.equal(s.config.freezeTo, 1);
  const rows = readJsonl(path.join(out, 'metrics.jsonl'));
  assertRatiosHold(
    rows,
    [0.02, 0.05, 0.2],
    (i) => oneCycle({ iterations: 12, maxLr: 0.2, div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 })(i).lr,
  );
  const before = await loadModel(modelJson);
  const after = await loadModel(path.join(out, 'model', 'model.json'));
  const w = weightsOf;
  assert.deepEqual(w(after, 'fc1'), w(before, 'fc1'));
  assert.deepEqual(w(after, 'fc1_bn'), w(before, 'fc1_bn'), 'the frozen BatchNorm: gamma, beta and its statistics');
  assert.notDeepEqual(w(after, 'fc2'), w(before, 'fc2'));
  assert.notDeepEqual(w(after, 'fc2_bn')[2], w(before, 'fc2_bn')[2], 'an unfrozen BatchNorm updates its moving mean');
  before.dispose();
  after.dispose();
});

test("lr_find multiplies every group's start lr by the same factor; the last group's follows the lr-range schedule", async () => {
  const out = tmp();
  const r = await lrFind(
    { model: 'mlp', backend: 'cpu', batchSize: 64, augment: false, out },
    { startLr: [1e-4, 1e-3], endLr: 1, numIt: 12, wds: [[1e-3, 1e-4]], stopDiv: false },
    { logger: quiet, plots: false },
  );
  const s = lrRange({ iterations: 12, startLr: 1e-3, endLr: 1 });
  assert.equal(r.records.length, 12);
  assertRatiosHold(r.records as { lr: number; lrs: number[] }[], [1e-4, 1e-3], (i) => s(i).lr);
  assert.deepEqual(r.sweeps[0].wds, [1e-3, 1e-4]);
  assert.deepEqual(r.checksumAfter, r.checksumBefore);
});

test('invalid groups fail with a message saying what is wrong', async () => {
  const base = { backend: 'cpu' as const, iterations: 1, batchSize: 64, out: tmp() };
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { model: 'mlp', lrs: [0.01, 0.03, 0.1] },
      /--lr gives 3 values but the model mlp has 2 layer groups \(starting at input, head_dense\)/,
    ],
    [{ model: 'mlp', wds: [0, 0, 0] }, /--wd gives 3 values but the model mlp has 2 layer groups/],
    [
      { model: 'mlp', layerGroups: ['hidden', 'nope'] },
      /--layer-groups: 'nope' matches no layer name; the model's layers are input, flatten, hidden, head_dense/,
    ],
    [
      { model: 'mlp', freezeTo: 2 },
      /--freeze-to 2 is past the last layer group: the model mlp has 2 layer groups .*0\.\.1/,
    ],
    [
      { model: 'mlp', layerGroups: ['hidden', 'head'], freezeTo: 2 },
      /--freeze-to 2 is past the last layer group \(--layer-groups names 2 groups, so 0\.\.1\)/,
    ],
    [
      { model: 'mlp', layerGroups: ['hidden', 'head'], lrs: [0.1, 0.2, 0.3] },
      /--layer-groups names 2 groups but --lr gives 3 values/,
    ],
  ];
  for (const [input, message] of cases) {
    await assert.rejects(
      fit({ ...base, ...input }, { logger: quiet, plots: false }),
      (e: Error) => message.test(e.message),
      JSON.stringify(input),
    );
  }
});
