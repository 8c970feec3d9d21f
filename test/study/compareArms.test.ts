import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseWeightDecay } from '../../bench/study/chooseWeightDecay.js';
import { compareArms, type ArmResult, type TargetComparison } from '../../bench/study/compareArms.js';
import { goalProgress, judgeGoal, type GoalProgress, type GoalVerdict } from '../../bench/study/judgeGoal.js';
import { FULL_STUDY } from '../../bench/study/StudyPlan.js';
import { iterationsToTarget } from '../../bench/study/iterationsToTarget.js';

const curve = (pairs: [number, number][]) => pairs.map(([iterations, accuracy]) => ({ iterations, accuracy }));

function arm(name: string, kind: ArmResult['kind'], pairs: [number, number][]): ArmResult {
  const c = curve(pairs);
  return {
    name,
    kind,
    batchSize: 128,
    lr: 0.1,
    wd: 1e-4,
    iterations: c.at(-1)!.iterations,
    epochs: 1,
    curve: c,
    finalAccuracy: c.at(-1)!.accuracy,
    seconds: 1,
    imagesPerSecond: 1,
    finished: true,
  };
}

test('iterationsToTarget: the first evaluation at or above the target, whatever the order of the curve', () => {
  const c = curve([
    [300, 0.91],
    [100, 0.85],
    [200, 0.92],
    [400, 0.95],
  ]);
  assert.equal(iterationsToTarget(c, 0.92), 200);
  assert.equal(iterationsToTarget(c, 0.85), 100);
  assert.equal(iterationsToTarget(c, 0.9), 200);
  assert.equal(iterationsToTarget(c, 0.96), undefined);
  assert.equal(iterationsToTarget([], 0.5), undefined);
});

test('compareArms: one-cycle against the best of the constant and step baselines, per target', () => {
  const arms = [
    arm('one-cycle-2ep', 'one-cycle', [
      [50, 0.8],
      [100, 0.9],
      [150, 0.93],
    ]),
    arm('one-cycle-1ep', 'one-cycle', [
      [50, 0.85],
      [75, 0.91],
    ]),
    arm('one-cycle-b1024', 'one-cycle-large-batch', [[10, 0.95]]), // not part of the main comparison
    arm('step-4ep', 'step', [
      [100, 0.85],
      [200, 0.9],
      [300, 0.93],
    ]),
    arm('step-8ep', 'step', [
      [200, 0.88],
      [400, 0.9],
      [600, 0.92],
    ]),
    arm('constant-8ep', 'constant', [
      [200, 0.85],
      [400, 0.91],
      [600, 0.915],
      [800, 0.92],
    ]),
  ];
  const [t91, t93, t95] = compareArms(arms, [0.91, 0.93, 0.95]);
  assert.deepEqual(t91, {
    target: 0.91,
    oneCycle: { iterations: 75, arm: 'one-cycle-1ep' },
    baseline: { iterations: 300, arm: 'step-4ep' },
    ratio: 4,
  });
  assert.deepEqual(t93, {
    target: 0.93,
    oneCycle: { iterations: 150, arm: 'one-cycle-2ep' },
    baseline: { iterations: 300, arm: 'step-4ep' },
    ratio: 2,
  });
  // one-cycle never reached 95% (the large-batch arm did, but it is reported on its own)
  assert.deepEqual(t95, { target: 0.95 });
});

test('compareArms: when no baseline reaches the target, the ratio is a lower bound from the longest baseline', () => {
  const arms = [
    arm('one-cycle-2ep', 'one-cycle', [[100, 0.93]]),
    arm('step-4ep', 'step', [
      [200, 0.9],
      [400, 0.91],
    ]),
    arm('constant-8ep', 'constant', [[800, 0.92]]),
  ];
  assert.deepEqual(compareArms(arms, [0.93]), [
    { target: 0.93, oneCycle: { iterations: 100, arm: 'one-cycle-2ep' }, ratio: 8, atLeast: true },
  ]);
  assert.deepEqual(compareArms([arms[0]], [0.93]), [
    { target: 0.93, oneCycle: { iterations: 100, arm: 'one-cycle-2ep' } },
  ]);
});

test('chooseWeightDecay: the sweep reaching the lowest smoothed validation loss; near-ties go to the larger wd', () => {
  const lrs = Array.from({ length: 100 }, (_, i) => 1e-4 * 10 ** (i / 20));
  // a U-shaped curve with its floor at `floor`, at iteration 60 (lr 1e-1)
  const sweep = (wd: number, floor: number) => ({
    wd,
    points: lrs.map((lr, i) => ({ lr, valLoss: floor + 0.001 * (i - 60) ** 2 })),
  });
  const low = chooseWeightDecay([sweep(1e-4, 0.5), sweep(1e-3, 0.4), sweep(1e-2, 0.9)]);
  assert.equal(low.wd, 1e-3);
  assert.equal(low.minima.length, 3);
  assert.ok(low.minima[1].minValLoss < low.minima[0].minValLoss && low.minima[0].minValLoss < low.minima[2].minValLoss);
  assert.match(low.why, /wd 0\.0001: \d\.\d{4} at lr \S+; wd 0\.001: \d\.\d{4} at lr \S+; wd 0\.01: .* -> wd 0\.001$/);
  const tie = chooseWeightDecay([sweep(1e-4, 0.5), sweep(1e-3, 0.5001)]);
  assert.equal(tie.wd, 1e-3);
  // a sweep that diverged (NaN from some point) is judged on its finite part
  const nan = { wd: 1e-2, points: lrs.map((lr, i) => ({ lr, valLoss: i > 70 ? NaN : 0.3 + 0.001 * (i - 60) ** 2 })) };
  assert.equal(chooseWeightDecay([sweep(1e-4, 0.5), nan]).wd, 1e-2);
  assert.throws(() => chooseWeightDecay([]), /no lr_find sweeps/);
});

test('judgeGoal: a verdict only where the runs still to come cannot change it', () => {
  const done = { finished: 2, planned: 2 };
  const half = { finished: 1, planned: 2 };
  const p = (oneCycles: typeof done, baselines: typeof done): GoalProgress => ({ factor: 5, oneCycles, baselines });
  const oc = { iterations: 100, arm: 'oc' };
  const bl = { iterations: 300, arm: 'step' };
  const table: [TargetComparison, GoalProgress, GoalVerdict][] = [
    [{ target: 0.9 }, p(done, half), 'not met'], // every one-cycle budget ran and none reached it
    [{ target: 0.9 }, p(half, done), 'open'],
    [{ target: 0.9, oneCycle: oc }, p(done, half), 'open'], // no baseline run has an evaluation yet
    [{ target: 0.9, oneCycle: oc, baseline: bl, ratio: 3 }, p(done, half), 'not met'], // more baselines only lower 3
    [{ target: 0.9, oneCycle: oc, baseline: bl, ratio: 3 }, p(half, done), 'open'], // a one-cycle to come may be faster
    [{ target: 0.9, oneCycle: oc, baseline: bl, ratio: 6 }, p(half, done), 'met'], // more one-cycles only raise 6
    [{ target: 0.9, oneCycle: oc, baseline: bl, ratio: 6 }, p(done, half), 'open'], // a baseline to come may be faster
    [{ target: 0.9, oneCycle: oc, ratio: 8, atLeast: true }, p(done, done), 'met'], // no baseline reached it in 8x the steps
    [{ target: 0.9, oneCycle: oc, ratio: 3, atLeast: true }, p(done, done), 'open'], // "at least 3x" decides nothing
    // the plan's longest baseline budget caps what it can show: 5x of 100 needs a baseline of 500 iterations or more
    [
      { target: 0.9, oneCycle: oc, ratio: 3, atLeast: true },
      { ...p(done, done), longestBaseline: 300 },
      'beyond the plan',
    ],
    [{ target: 0.9, oneCycle: oc }, { ...p(done, half), longestBaseline: 400 }, 'beyond the plan'],
    [{ target: 0.9, oneCycle: oc }, { ...p(done, half), longestBaseline: 500 }, 'open'],
    [{ target: 0.9, oneCycle: oc }, { ...p(half, half), longestBaseline: 400 }, 'open'], // a faster one-cycle may come
    [{ target: 0.9, oneCycle: oc, baseline: bl, ratio: 3 }, { ...p(done, half), longestBaseline: 400 }, 'not met'],
  ];
  for (const [c, progress, want] of table) assert.equal(judgeGoal(c, progress), want, JSON.stringify([c, progress]));
});

test('goalProgress: finished main-batch one-cycle runs and baselines (diverged ones count) against the plan', () => {
  const arms = [
    arm('one-cycle-3ep', 'one-cycle', [[10, 0.5]]),
    { ...arm('one-cycle-6ep', 'one-cycle', [[10, 0.5]]), finished: false },
    arm('one-cycle-6ep-batch1024', 'one-cycle-large-batch', [[10, 0.5]]),
    arm('step-6ep', 'step', [[10, 0.5]]),
    { ...arm('step-12ep', 'step', [[10, 0.5]]), diverged: 'NaN' },
  ];
  // the longest baseline budget (12 epochs) in iterations, at one-cycle-3ep's 10 iterations in its 1 epoch
  assert.deepEqual(goalProgress(FULL_STUDY, arms), {
    factor: 5,
    oneCycles: { finished: 1, planned: 3 },
    baselines: { finished: 2, planned: 3 },
    longestBaseline: 120,
  });
  assert.equal(goalProgress(FULL_STUDY, arms.slice(1, 3)).longestBaseline, undefined); // no finished main-batch run
});
