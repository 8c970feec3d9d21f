import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import {
  CheckpointStore,
  checkpointDir,
  fit,
  NonFiniteLossError,
  RunInterruptedError,
  type FitCallback,
} from '../../src/coordinator/index.js';
import { quietLogger, tempRunDir } from '../distributed/helpers.js';

test('a NaN or infinite loss stops the run naming the step, with the last good checkpoint; --continue-on-nan goes on', async (t) => {
  const root = tempRunDir(t, 'sc-nan-');
  // lr 1e6 on the mlp overflows within a few steps.
  const run = {
    model: 'mlp',
    data: 'sample',
    backend: 'cpu' as const,
    batchSize: 64,
    iterations: 30,
    lr: 1e6,
    schedule: 'constant' as const,
    augment: false,
    checkpointEvery: 1,
  };
  const losses: number[] = [];
  const record: FitCallback = {
    afterStep(_c, rec) {
      losses.push(rec.loss);
    },
  };
  const err = await fit(
    { ...run, out: path.join(root, 'stop') },
    { logger: quietLogger(), plots: false, callbacks: [record] },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof RunInterruptedError, String(err));
  assert.ok(err.cause instanceof NonFiniteLossError);
  const bad = err.cause.iteration;
  assert.equal(losses.length, bad, 'no record of the bad step');
  assert.ok(losses.every(Number.isFinite));
  assert.match(err.message, new RegExp(`the training loss is (NaN|-?Infinity) at step ${bad} .*--continue-on-nan`));
  assert.match(
    err.message,
    new RegExp(`the last checkpoint is checkpoints/step-${String(bad).padStart(9, '0')}\\.ckpt`),
  );
  const { checkpoint } = new CheckpointStore(checkpointDir(path.join(root, 'stop'))).latest();
  assert.equal(checkpoint.loop.nextIteration, bad);
  const goOn = await fit(
    { ...run, continueOnNan: true, out: path.join(root, 'go-on') },
    { logger: quietLogger(), plots: false },
  );
  assert.equal(goOn.iterations, 30);
});
