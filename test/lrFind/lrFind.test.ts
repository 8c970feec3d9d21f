import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { lrFind } from '../../src/index.js';
import { createLogger } from '../../src/shared/log/index.js';
import { lrRange } from '../../src/shared/schedule/index.js';

const quiet = createLogger({ level: 'warn' });
const tmp = () => mkdtempSync(path.join(tmpdir(), 'sc-lrfind-'));

test('lr_find: the LRs are the lr-range schedule, valLoss is finite everywhere, records and summary are written', async () => {
  const out = tmp();
  const r = await lrFind(
    { model: 'mlp', backend: 'cpu', batchSize: 64, augment: false, out },
    { startLr: 1e-4, endLr: 1, numIt: 30, wds: [1e-2], stopDiv: false },
    { logger: quiet },
  );
  const s = lrRange({ iterations: 30, startLr: 1e-4, endLr: 1 });
  assert.equal(r.records.length, 30, 'exactly num_it iterations');
  r.records.forEach((rec, i) => {
    assert.equal(rec.lr, s(i).lr);
    assert.ok(Number.isFinite(rec.valLoss) && rec.valLoss > 0, `valLoss at ${i}`);
    assert.ok(rec.accuracy >= 0 && rec.accuracy <= 1);
  });
  const lines = readFileSync(path.join(out, 'lr_find.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
  assert.equal(lines.length, 30);
  for (const k of ['iteration', 'lr', 'momentum', 'loss', 'smoothLoss', 'valLoss', 'accuracy'])
    assert.ok(k in lines[0], k);
  const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
    suggestion: { lr: number; minValLossLr: number; steepestLr: number };
  };
  assert.ok(summary.suggestion.lr > 1e-4 && summary.suggestion.lr < 1);
  assert.ok(summary.suggestion.steepestLr <= summary.suggestion.minValLossLr);
});

test('lr_find crosses epoch boundaries: 120 iterations of batch 64 over 6000 examples', async () => {
  const r = await lrFind(
    { model: 'mlp', backend: 'cpu', batchSize: 64, augment: false, out: tmp() },
    { startLr: 1e-5, endLr: 1e-3, numIt: 120, wds: [0], stopDiv: false },
    { logger: quiet, plots: false },
  );
  assert.equal(r.records.length, 120); // 94 iterations per epoch (93 of 64 and the last of 48)
});

test('stop_dv stops a diverging run before num_it', async () => {
  const r = await lrFind(
    { model: 'mlp', backend: 'cpu', batchSize: 64, augment: false, out: tmp() },
    { startLr: 1e-3, endLr: 1e4, numIt: 80, wds: [0] },
    { logger: quiet, plots: false },
  );
  assert.ok(r.records.length < 80, `stopped after ${r.records.length}`);
  assert.match(r.sweeps[0].stoppedEarly ?? '', /exceeded 4x the best|became/);
});

test('a sweep over 3 weight decays gives 3 curves from the same starting weights', async () => {
  const r = await lrFind(
    { model: 'mlp', backend: 'cpu', batchSize: 64, augment: false, out: tmp() },
    { startLr: 1e-3, endLr: 1, numIt: 12, wds: [1e-2, 1e-3, 0], stopDiv: false },
    { logger: quiet, plots: false },
  );
  assert.deepEqual(
    r.sweeps.map((s) => s.wd),
    [1e-2, 1e-3, 0],
  );
  for (const wd of [1e-2, 1e-3, 0]) assert.equal(r.records.filter((x) => x.wd === wd).length, 12);
  // Same start, same data: the first step's loss is the same for every sweep (wd changes only the update).
  const first = r.records.filter((x) => x.iteration === 0).map((x) => x.loss);
  assert.equal(new Set(first).size, 1);
});

test('lr_find leaves weights, momentum and BatchNorm statistics bitwise unchanged (1 worker, BatchNorm model)', async () => {
  const r = await lrFind(
    { model: 'cnn', backend: 'wasm', batchSize: 32, out: tmp() },
    { startLr: 1e-3, endLr: 10, numIt: 15, wds: [1e-2, 0] },
    { logger: quiet, plots: false },
  );
  assert.deepEqual(r.checksumAfter, r.checksumBefore);
  assert.ok(r.records.length > 0);
});

test('lr_find on 2 workers (threads) leaves every replica bitwise as it was, BatchNorm statistics included', async () => {
  const r = await lrFind(
    { model: 'cnn', backend: 'cpu', batchSize: 32, workers: 2, spawn: 'thread', out: tmp() },
    { startLr: 1e-3, endLr: 10, numIt: 8, wds: [1e-2] },
    { logger: quiet, plots: false },
  );
  assert.deepEqual(r.checksumAfter, r.checksumBefore);
  assert.equal(r.records.length, 8);
  r.records.forEach((x) => assert.ok(Number.isFinite(x.valLoss)));
});

test("lr_find's default weight decay is 0, as fastai 0.7's lr_find2(wds=None)", async () => {
  const r = await lrFind(
    { model: 'mlp', backend: 'cpu', batchSize: 64, out: tmp() },
    { numIt: 3, stopDiv: false },
    { logger: quiet, plots: false },
  );
  assert.deepEqual(
    r.sweeps.map((s) => s.wd),
    [0],
  );
  const summary = JSON.parse(readFileSync(path.join(r.runDir, 'summary.json'), 'utf8')) as {
    wds: number[];
    config: { wd: number };
  };
  assert.deepEqual([summary.wds, summary.config.wd], [[0], 0]);
});

test("lr_find's options from code get the declared checks before anything starts, naming the flag", async () => {
  for (const [find, message] of [
    [{ numIt: 1 }, 'numIt (--num-it) must be an integer >= 2, got 1'],
    [{ numIt: 2.5 }, 'numIt (--num-it) must be an integer >= 2, got 2.5'],
    [{ skipEnd: -1 }, 'skipEnd (--skip-end) must be an integer >= 0, got -1'],
    [{ linear: 'yes' as unknown as boolean }, 'linear must be true or false, got "yes"'],
  ] as const) {
    await assert.rejects(lrFind({ model: 'mlp', backend: 'cpu', out: tmp() }, find, { logger: quiet }), {
      name: 'ConfigError',
      message,
    });
  }
});
