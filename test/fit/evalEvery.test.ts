import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fit } from '../../src/index.js';
import { ConfigError } from '../../src/shared/config/index.js';
import { createLogger } from '../../src/shared/log/index.js';

const quiet = createLogger({ level: 'warn' });

test('--eval-every N evaluates every N steps and at epoch ends, each a row of evals.csv', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sc-evals-'));
  // The sample has 6,000 training examples: 12 steps of 512 make one epoch (the last of 368, as fastai and PyTorch
  // keep it); 14 steps end two steps into the second.
  const s = await fit(
    { model: 'mlp', backend: 'cpu', iterations: 14, batchSize: 512, evalEvery: 4, lr: 0.1, augment: false, out },
    { logger: quiet, plots: false },
  );
  const rows = readFileSync(path.join(out, 'evals.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'iterations,epoch,valLoss,accuracy');
  const evals = rows.slice(1).map((r) => r.split(',').map(Number));
  // every 4 steps (4, 8, 12), the epoch end (12, the same evaluation) and the last step (14)
  assert.deepEqual(
    evals.map((e) => e[0]),
    [4, 8, 12, 14],
  );
  assert.deepEqual(
    evals.map((e) => e[1]),
    [0, 0, 0, 1],
  );
  for (const [, , valLoss, accuracy] of evals) assert.ok(Number.isFinite(valLoss) && accuracy > 0 && accuracy <= 1);
  // the epoch-end rows are the same evaluations as epochs.csv's, and the summary's are the last one
  assert.deepEqual(
    s.evalRecords.map((e) => e.iterations),
    [4, 8, 12, 14],
  );
  assert.equal(s.epochRecords.length, 2);
  assert.equal(s.epochRecords[0].accuracy, evals[2][3]);
  assert.equal(s.accuracy, evals[3][3]);
  assert.equal(s.epochs, 14 / 12);
  assert.ok(evals[3][3] > evals[0][3], `accuracy rises from ${evals[0][3]} after 4 steps to ${evals[3][3]} after 14`);
});

test('evalEvery must be a whole number of steps', async () => {
  await assert.rejects(fit({ model: 'mlp', backend: 'cpu', evalEvery: -1 }, { logger: quiet }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /evalEvery \(--eval-every\) must be an integer >= 0, got -1/);
    return true;
  });
});
