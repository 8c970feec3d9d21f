/**
 * Determinism of the SIMD kernels through the trainer: a wasm fit of the cnn (its second conv, 16 -> 32 channels,
 * runs on the igemm kernels, its BatchNorm on the fused kernels) with 2 worker threads, replica
 * checksums compared after every step (a mismatch fails the fit), run twice: both runs end bit for bit the same.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fit } from '../../src/coordinator/index.js';
import { quietLogger, savedWeights, tempRunDir } from '../distributed/helpers.js';

test('wasm fit with the SIMD kernels: 2 workers keep equal replicas at every step, and a rerun is bitwise the same', async (t) => {
  const root = tempRunDir(t, 'sc-simd-');
  const run = (name: string) =>
    fit(
      {
        model: 'cnn',
        data: 'sample',
        backend: 'wasm',
        batchSize: 64,
        iterations: 4,
        lr: 0.1,
        workers: 2,
        spawn: 'thread',
        seed: 5,
        checksumEvery: 1,
        out: path.join(root, name),
      },
      { logger: quietLogger() },
    );
  const a = await run('a');
  const b = await run('b');
  assert.equal(a.backend, 'wasm');
  assert.equal(a.iterations, 4);
  assert.deepEqual(savedWeights(b.runDir), savedWeights(a.runDir));
  assert.equal(b.valLoss, a.valLoss);
});
