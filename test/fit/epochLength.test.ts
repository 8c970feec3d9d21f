import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchExamples, epochLength, resolveFitConfig } from '../../src/shared/config/index.js';

test("an epoch is ceil(N/B) steps, as fastai 0.7's DataLoader and PyTorch's default; floor(N/B) with dropLast", () => {
  // CIFAR-10 at batch 512 for 95 epochs: 9,310 iterations in fastai's one-cycle (98 an epoch), 9,215 dropping the last.
  assert.equal(95 * epochLength(50_000, 512, false), 9310);
  assert.equal(95 * epochLength(50_000, 512, true), 9215);
  assert.equal(epochLength(6000, 128, false), 47);
  assert.equal(epochLength(6000, 120, false), 50, 'no partial batch when B divides N');
  assert.deepEqual(
    [0, 96, 97].map((b) => batchExamples(50_000, 512, b)),
    [512, 512, 50_000 - 97 * 512],
  );
  const c = resolveFitConfig({});
  assert.deepEqual(
    [c.dropLast, c.augment, c.padMode],
    [false, false, 'reflect'],
    'the defaults: fastai 0.7 and PyTorch',
  );
});
