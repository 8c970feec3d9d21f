import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseWeightDecay } from '../../bench/study/chooseWeightDecay.js';
import { compareArms, type ArmResult } from '../../bench/study/compareArms.js';
import { iterationsToTarget } from '../../bench/study/iterationsToTarget.js';

const curve = (pairs: [number, number][]) => pairs.map(([iterations, accuracy]) => ({ iterations, accuracy }));

function arm(name: string, kind: ArmResult['kind'], pairs: [number, number][]): ArmResult {
  const c = curve(pairs);
  return {
    name, kind, batchSize: 128, lr: 0.1, wd: 1e-4, iterations: c.at(-1)!.iterations, epochs: 1, curve: c,
    finalAccuracy: c.at(-1)!.accuracy, seconds: 1, imagesPerSecond: 1, finished: true,
  };
}

test('iterationsToTarget: the first evaluation at or above the target, whatever the order of the curve', () => {
  const c = curve([[300, 0.91], [100, 0.85], [200, 0.92], [400, 0.95]]);
  assert.equal(iterationsToTarget(c, 0.92), 200);
  assert.equal(iterationsToTarget(c, 0.85), 100);
  assert.equal(iterationsToTarget(c, 0.9), 200);
  assert.equal(iterationsToTarget(c, 0.96), undefined);
  assert.equal(iterationsToTarget([], 0.5), undefined);
});

test('compareArms: one-cycle against the best of the constant and step baselines, per target', () => {
  const arms = [
    arm('one-cycle-2ep', 'one-cycle', [[50, 0.8], [100, 0.9], [150, 0.93]]),
    arm('one-cycle-1ep', 'one-cycle', [[50, 0.85], [75, 0.91]]),
    arm('one-cycle-b1024', 'one-cycle-large-batch', [[10, 0.95]]), // not part of the main comparison
    arm('step-4ep', 'step', [[100, 0.85], [200, 0.9], [300, 0.93]]),
    arm('step-8ep', 'step', [[200, 0.88], [400, 0.9], [600, 0.92]]),
    arm('constant-8ep', 'constant', [[200, 0.85], [400, 0.91], [600, 0.915], [800, 0.92]]),
  ];
  const [t91, t93, t95] = compareArms(arms, [0.91, 0.93, 0.95]);
  assert.deepEqual(t91, { target: 0.91, oneCycle: { iterations: 75, arm: 'one-cycle-1ep' }, baseline: { iterations: 300, arm: 'step-4ep' }, ratio: 4 });
  assert.deepEqual(t93, { target: 0.93, oneCycle: { iterations: 150, arm: 'one-cycle-2ep' }, baseline: { iterations: 300, arm: 'step-4ep' }, ratio: 2 });
  // one-cycle never reached 95% (the large-batch arm did, but it is reported on its own)
  assert.deepEqual(t95, { target: 0.95 });
});

test('compareArms: when no baseline reaches the target, the ratio is a lower bound from the longest baseline', () => {
  const arms = [arm('one-cycle-2ep', 'one-cycle', [[100, 0.93]]), arm('step-4ep', 'step', [[200, 0.9], [400, 0.91]]), arm('constant-8ep', 'constant', [[800, 0.92]])];
  assert.deepEqual(compareArms(arms, [0.93]), [{ target: 0.93, oneCycle: { iterations: 100, arm: 'one-cycle-2ep' }, ratio: 8, atLeast: true }]);
  assert.deepEqual(compareArms([arms[0]], [0.93]), [{ target: 0.93, oneCycle: { iterations: 100, arm: 'one-cycle-2ep' } }]);
});

test('chooseWeightDecay: the sweep reaching the lowest smoothed validation loss; near-ties go to the larger wd', () => {
  const lrs = Array.from({ length: 100 }, (_, i) => 1e-4 * 10 ** (i / 20));
  // a U-shaped curve with its floor at `floor`, at iteration 60 (lr 1e-1)
  const sweep = (wd: number, floor: number) => ({ wd, points: lrs.map((lr, i) => ({ lr, valLoss: floor + 0.001 * (i - 60) ** 2 })) });
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
