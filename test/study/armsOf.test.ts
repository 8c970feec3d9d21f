import assert from 'node:assert/strict';
import { test } from 'node:test';
import { armsOf } from '../../bench/study/armsOf.js';
import type { LrChoice } from '../../bench/study/findLr.js';
import { FULL_STUDY } from '../../bench/study/StudyPlan.js';

const choice = (lr: number): LrChoice => ({
  lr,
  wd: 1e-3,
  lrWhy: '',
  wdChoice: { wd: 1e-3, why: '' } as LrChoice['wdChoice'],
  run: 'lr-find',
});

test('armsOf: the full plan trains the comparison that settles the speedup before the large batch and the long baselines', async () => {
  const specsOf = async (plan: typeof FULL_STUDY, large: () => Promise<LrChoice>) => {
    const out = [];
    for (const next of armsOf(plan, choice(0.25), large)) out.push(await next());
    return out;
  };
  let largeAsked = 0;
  const specs = await specsOf(FULL_STUDY, async () => {
    largeAsked++;
    return choice(0.4);
  });
  assert.deepEqual(
    specs.map((s) => s?.name),
    [
      'one-cycle-3ep',
      'step-6ep',
      'one-cycle-6ep',
      'one-cycle-12ep',
      'step-12ep',
      'one-cycle-6ep-batch1024',
      'constant-6ep',
    ],
  );
  // with longer baselines (the plan before step-12ep settled both verdicts), they come after the large batch
  const longer = { ...FULL_STUDY, baseline: { ...FULL_STUDY.baseline, constantEpochs: 30, stepEpochs: [6, 12, 30] } };
  assert.deepEqual(
    (await specsOf(longer, async () => choice(0.4))).map((s) => s?.name),
    [
      'one-cycle-3ep',
      'step-6ep',
      'one-cycle-6ep',
      'one-cycle-12ep',
      'step-12ep',
      'one-cycle-6ep-batch1024',
      'step-30ep',
      'constant-30ep',
    ],
  );
  assert.equal(largeAsked, 1, 'lr_find2 at the large batch is asked for once, when its arm comes');
  const large = specs[5]!.config;
  assert.deepEqual(
    [large.batchSize, large.lr, large.evalEvery, large.checkpointEvery],
    [1024, 0.4, Math.round(234 / 8), 25],
  );
  // baselines: lr 0.1, momentum 0.9, the one-cycle's weight decay
  assert.deepEqual(
    [specs[4]!.config.lr, specs[4]!.config.momentum, specs[4]!.config.wd, specs[4]!.config.schedule],
    [0.1, 0.9, 1e-3, 'step'],
  );
});
