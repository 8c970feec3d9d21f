import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fit, type FitCallback, type FitSummary } from '../../src/coordinator/index.js';
import type { SpawnMode } from '../../src/shared/config/index.js';
import { quietLogger, savedWeights, tempRunDir } from './helpers.js';

interface Run {
  summary: FitSummary;
  /** One validation batch of 32 after every iteration (lr_find2's measurement), sharded across the workers. */
  perIteration: { lossSum: number; count: number }[];
}

async function trainOnSample(spawn: SpawnMode, out: string): Promise<Run> {
  const perIteration: Run['perIteration'] = [];
  const validateEachStep: FitCallback = {
    async afterStep(ctx, rec) {
      const v = await ctx.cluster.evaluate(rec.iteration, 32);
      perIteration.push({ lossSum: v.lossSum, count: v.count });
    },
  };
  const summary = await fit(
    {
      // augment: as the run this test was written for (augmentation was the default then), threads and processes alike.
      model: 'mlp',
      data: 'sample',
      backend: 'cpu',
      batchSize: 64,
      iterations: 8,
      lr: 0.2,
      workers: 2,
      spawn,
      seed: 5,
      augment: true,
      out,
    },
    { logger: quietLogger(), callbacks: [validateEachStep] },
  );
  return { summary, perIteration };
}

test('fit on the sample with 2 local workers as threads and as processes: same run, records and model', async (t) => {
  const root = tempRunDir(t);
  const threads = await trainOnSample('thread', path.join(root, 'thread'));
  const processes = await trainOnSample('process', path.join(root, 'process'));
  for (const [spawn, run] of [
    ['thread', threads],
    ['process', processes],
  ] as const) {
    const s = run.summary;
    assert.equal(s.workers, 2, spawn);
    assert.equal(s.iterations, 8, spawn);
    assert.equal(s.config.spawn, spawn);
    const saved = JSON.parse(readFileSync(path.join(s.runDir, 'summary.json'), 'utf8')) as {
      workers: number;
      config: { workers: number };
    };
    assert.equal(saved.workers, 2);
    const lines = readFileSync(path.join(s.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 8, `${spawn}: one metrics line per step`);
    assert.ok(s.valLoss > 0 && Number.isFinite(s.valLoss), `${spawn}: val loss ${s.valLoss}`);
    assert.deepEqual(
      run.perIteration.map((v) => v.count),
      Array(8).fill(32),
      `${spawn}: each validation batch is 32 examples over both shards`,
    );
  }
  // Same ring, same shards: the two launch modes must agree bit for bit.
  assert.deepEqual(savedWeights(processes.summary.runDir), savedWeights(threads.summary.runDir));
  assert.deepEqual(processes.perIteration, threads.perIteration);
  assert.equal(processes.summary.valLoss, threads.summary.valLoss);
  // Training moved the per-iteration validation loss.
  assert.ok(threads.perIteration[7].lossSum < threads.perIteration[0].lossSum, 'validation loss fell over 8 steps');
});

test('a local worker process that dies before joining fails the launch with its rank and last stderr lines', async () => {
  const { launchWorkers } = await import('../../src/coordinator/index.js');
  const { resolveFitConfig } = await import('../../src/shared/config/index.js');
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = '--require /nonexistent/superconverge-test-preload.cjs'; // inherited by the children only
  try {
    const config = resolveFitConfig({ model: 'mlp', backend: 'cpu', workers: 2, spawn: 'process' });
    await assert.rejects(launchWorkers(config, quietLogger()), (e: Error) => {
      assert.match(
        e.message,
        /^worker rank [01] \(pid \d+\) exited with code 1 before the run ended: Error: Cannot find module .*superconverge-test-preload/,
      );
      return true;
    });
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
});
