import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fit, type FitSummary } from '../../src/coordinator/index.js';
import { quietLogger, relativeDifference, savedWeights, tempRunDir } from './helpers.js';

// The same global batch of 128 examples per step whatever the number of workers, so 1, 2 and 4 workers must end
// with the same weights up to float32 summation order.
test('mlp, no augmentation, one-cycle: 1, 2 and 4 workers end with weights equal within 1e-5 relative after 24 steps', async (t) => {
  const root = tempRunDir(t);
  const run = (workers: number): Promise<FitSummary> =>
    fit(
      {
        model: 'mlp',
        data: 'sample',
        backend: 'cpu',
        batchSize: 128,
        iterations: 24,
        lr: 0.2,
        schedule: 'one-cycle',
        augment: false,
        seed: 3,
        workers,
        checksumEvery: 8,
        out: path.join(root, `w${workers}`),
      },
      { logger: quietLogger() },
    );
  const one = await run(1);
  const reference = savedWeights(one.runDir);
  assert.equal(one.workers, 1);
  assert.equal(one.iterations, 24);
  for (const workers of [2, 4]) {
    const many = await run(workers);
    assert.equal(many.workers, workers);
    assert.equal(many.config.spawn, 'thread');
    const rel = relativeDifference(reference, savedWeights(many.runDir));
    assert.ok(rel <= 1e-5, `${workers} workers: weights differ from 1 worker's by ${rel} (relative L2)`);
    // The sharded evaluation of the whole validation split gives the same loss and accuracy.
    assert.equal(many.epochRecords.at(-1)!.accuracy, one.epochRecords.at(-1)!.accuracy);
    assert.ok(
      Math.abs(many.valLoss - one.valLoss) <= 1e-5 * one.valLoss,
      `${workers} workers: val loss ${many.valLoss} vs ${one.valLoss}`,
    );
  }
});
