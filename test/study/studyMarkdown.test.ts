import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareArms, type ArmResult } from '../../bench/study/compareArms.js';
import type { LrChoice } from '../../bench/study/findLr.js';
import { FULL_STUDY } from '../../bench/study/StudyPlan.js';
import { accuracyPlotSpec, studyMarkdown, type StudyResult } from '../../bench/study/studyReport.js';

function arm(
  name: string,
  kind: ArmResult['kind'],
  batchSize: number,
  epochs: number,
  pairs: [number, number][],
): ArmResult {
  const curve = pairs.map(([iterations, accuracy]) => ({ iterations, accuracy }));
  return {
    name,
    kind,
    batchSize,
    lr: 0.25,
    wd: 1e-3,
    iterations: curve.at(-1)!.iterations,
    epochs,
    curve,
    finalAccuracy: curve.at(-1)!.accuracy,
    seconds: 60,
    imagesPerSecond: 100,
    finished: true,
  };
}

const choice: LrChoice = {
  lr: 0.251,
  wd: 1e-3,
  lrWhy: 'why',
  wdChoice: { wd: 1e-3, why: 'lowest' } as LrChoice['wdChoice'],
  run: 'lr-find',
};

function result(arms: ArmResult[]): StudyResult {
  return {
    plan: FULL_STUDY,
    date: '2026-11-29',
    machine: { cpus: 2, cpuModel: 'cpu', node: 'v20' },
    wallSeconds: 60,
    lrChoice: choice,
    arms,
    comparisons: compareArms(arms, FULL_STUDY.targets),
  };
}

test('studyMarkdown: one line per target with the goal verdict; a baseline that never got there is no "0.5x fewer"', () => {
  const arms = [
    arm('one-cycle-3ep', 'one-cycle', 128, 3, [[1404, 0.9]]),
    arm('step-6ep', 'step', 128, 6, [[2808, 0.911]]),
    arm('one-cycle-6ep', 'one-cycle', 128, 6, [[2808, 0.915]]),
    arm('one-cycle-12ep', 'one-cycle', 128, 12, [
      [4000, 0.91],
      [5616, 0.923],
    ]),
    arm('one-cycle-6ep-batch1024', 'one-cycle-large-batch', 1024, 6, [[351, 0.88]]),
  ];
  const md = studyMarkdown(result(arms));
  // 5x of 5,616 needs a baseline of 28,080 iterations or more; the longest planned (12 epochs) has 5,616
  assert.match(
    md,
    /- 92\.00%: one-cycle in 5616 iterations \(one-cycle-12ep\); no baseline reached it \(the longest has 2808 iterations\)\. Goal \(5x fewer\): \*\*beyond the plan\*\* \(for 5x a baseline would have to need at least 28080 iterations; the plan's longest baseline budget is 5616\)\./,
  );
  assert.match(md, /- 93\.00%: one-cycle did not reach it\. Goal \(5x fewer\): \*\*not met\*\*\./);
  assert.match(md, /Runs finished: 3 of 3 one-cycle runs, 1 of 3 baseline runs\./);
  assert.match(
    md,
    /- one-cycle-6ep-batch1024: 88\.00% after 351 iterations at batch 1024, lr 0\.250; at batch 128 the same 6 epochs \(one-cycle-6ep\) gave 91\.50% after 2808 iterations\./,
  );

  // With a baseline at 92% in 5,000 iterations: 0.9x, and no one-cycle run to come can change that.
  const withStep = studyMarkdown(result([...arms, arm('step-12ep', 'step', 128, 12, [[5000, 0.921]])]));
  assert.match(
    withStep,
    /- 92\.00%: one-cycle in 5616 iterations \(one-cycle-12ep\), the best baseline in 5000 \(step-12ep\): the baseline was faster: one-cycle took \*\*1\.1x\*\* as many iterations\. Goal \(5x fewer\): \*\*not met\*\*\./,
  );
});

test('accuracyPlotSpec: the y axis starts exactly at the floor its title names (no rounding of the domain)', () => {
  const spec = accuracyPlotSpec(
    result([
      arm('one-cycle-3ep', 'one-cycle', 128, 3, [
        [234, 0.5],
        [1404, 0.9],
      ]),
    ]),
  ) as unknown as {
    layer: { encoding?: { y?: { title: string; scale: { domain: number[]; clamp: boolean; nice: boolean } } } }[];
  };
  const y = spec.layer[0].encoding!.y!;
  assert.match(y.title, /below 77\.00% drawn at it/);
  assert.deepEqual([y.scale.domain[0].toFixed(4), y.scale.clamp, y.scale.nice], ['0.7700', true, false]);
});
