import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, resolveFitConfig } from '../../src/shared/config/index.js';

test('defaults fill what is not given', () => {
  const c = resolveFitConfig({ lr: 0.8 });
  assert.equal(c.lr, 0.8);
  assert.equal(c.schedule, 'one-cycle');
  assert.deepEqual(c.oneCycle, { div: 10, pct: 13.68, maxMomentum: 0.95, minMomentum: 0.85 });
});

const bad: [Record<string, unknown>, RegExp][] = [
  [{ lr: -1 }, /lr must be a positive number/],
  [{ lr: Number.NaN }, /lr must be a positive number/],
  [{ batchSize: 0 }, /batchSize \(--batch-size\) must be an integer >= 1/],
  [{ momentum: 1.2 }, /momentum must be in \[0, 1\)/],
  [{ backend: 'tpu' }, /backend must be one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu/],
  [{ oneCycle: { div: 10, pct: 150 } }, /pct must be in \[0, 100\]/],
  [{ oneCycle: { div: 10, pct: 10, maxMomentum: 0.95 } }, /both momenta/],
  [{ workers: 300, batchSize: 128 }, /workers \(300\) cannot exceed/],
  [{ learningRate: 1 }, /unknown config key 'learningRate'/],
];
for (const [input, message] of bad) {
  test(`rejects ${JSON.stringify(input)}`, () => {
    assert.throws(
      () => resolveFitConfig(input as never),
      (e: Error) => e instanceof ConfigError && message.test(e.message),
    );
  });
}
