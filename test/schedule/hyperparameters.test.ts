import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchedule } from '../../src/coordinator/buildSchedule.js'; // not the index: no tfjs to load
import { resolveFitConfig, resolveGroupValues } from '../../src/shared/config/index.js';
import {
  headlineLr,
  hyperparameterSchedule,
  lrRange,
  oneCycle,
  type StepHyperparameters,
} from '../../src/shared/schedule/index.js';

const close = (a: number, b: number, msg: string) =>
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${msg}: ${a} != ${b}`);

/** Each row: iteration, the last group's lr, momentum, every group's lr, every group's weight decay. */
type Row = [number, number, number, number[], number[]];

function checkTable(schedule: (i: number) => StepHyperparameters, table: Row[]): void {
  for (const [i, lr, momentum, groupLrs, groupWeightDecays] of table) {
    const h = schedule(i);
    close(headlineLr(h), lr, `lr at ${i}`);
    close(h.momentum, momentum, `momentum at ${i}`);
    assert.equal(h.groupLrs.length, groupLrs.length);
    h.groupLrs.forEach((v, g) => close(v, groupLrs[g], `group ${g}'s lr at ${i}`));
    assert.deepEqual(h.groupWeightDecays, groupWeightDecays, `weight decays at ${i}`);
  }
}

describe('hyperparameterSchedule: each step whole, one-cycle over three layer groups', () => {
  // nb = 20, pct = 10 -> c = floor(20 * 0.9 / 2) = 9; the last group's peak 0.4, div 10; momenta 0.95 -> 0.85.
  // Groups at 0.004, 0.04, 0.4: the first two stay at 1/100 and 1/10 of the last at every step.
  const wds = [1e-3, 1e-4, 0];
  const schedule = hyperparameterSchedule({
    lr: oneCycle({ iterations: 20, maxLr: 0.4, div: 10, pct: 10, maxMomentum: 0.95, minMomentum: 0.85 }),
    groupLrs: [0.004, 0.04, 0.4],
    momentum: 0.9,
    groupWeightDecays: wds,
  });
  test('value table at the phase boundaries', () =>
    checkTable(schedule, [
      [0, 0.04, 0.95, [0.0004, 0.004, 0.04], wds], // start: lr/div, max momentum
      [4, 0.2, 0.95 - (4 / 9) * 0.1, [0.002, 0.02, 0.2], wds], // rising: p = 4/9
      [9, 0.4, 0.85, [0.004, 0.04, 0.4], wds], // c: the peak, min momentum
      [10, 0.36, 0.95 - (8 / 9) * 0.1, [0.0036, 0.036, 0.36], wds], // falling: p = 1 - 1/9, lr = 0.04(1 + 8)
      [18, 0.04, 0.95, [0.0004, 0.004, 0.04], wds], // 2c: back at the start
      [19, 0.0202, 0.95, [0.000202, 0.00202, 0.0202], wds], // annealing: lr(1 - 0.99 * 0.5)/div
    ]));

  test("the last group's lr is the lr schedule's value exactly, and each step is a fresh object", () => {
    const cycle = oneCycle({ iterations: 20, maxLr: 0.4, div: 10, pct: 10, maxMomentum: 0.95, minMomentum: 0.85 });
    for (let i = 0; i < 20; i++) assert.equal(headlineLr(schedule(i)), cycle(i).lr);
    const a = schedule(3);
    a.groupLrs[0] = 99;
    a.groupWeightDecays[0] = 99;
    assert.notEqual(schedule(3).groupLrs[0], 99);
    assert.equal(schedule(3).groupWeightDecays[0], 1e-3);
  });

  test('one lr and one weight decay per group, or a RangeError saying what it got', () => {
    const lr = oneCycle({ iterations: 4, maxLr: 0.4, div: 10, pct: 10 });
    assert.throws(() => hyperparameterSchedule({ lr, groupLrs: [0.1, 0.4], momentum: 0.9, groupWeightDecays: [0] }), {
      name: 'RangeError',
      message: 'hyperparameters: give one lr and one weight decay per layer group, got 2 lrs and 1 weight decays',
    });
    assert.throws(() => hyperparameterSchedule({ lr, groupLrs: [], momentum: 0.9, groupWeightDecays: [] }), RangeError);
  });
});

describe('the lr range test (lr-find) composed the same way', () => {
  // Exponential from the last group's start 1e-3 to 1 over n = 4: lr = 1e-3 * 1000^(i/4); the first group at 1/10.
  const schedule = hyperparameterSchedule({
    lr: lrRange({ iterations: 4, startLr: 1e-3, endLr: 1 }),
    groupLrs: [1e-4, 1e-3],
    momentum: 0.9,
    groupWeightDecays: [1e-2, 0],
  });
  const at = (i: number) => 1e-3 * 1000 ** (i / 4);
  test('value table: momentum falls back to the fixed one, the weight decays stay', () =>
    checkTable(
      schedule,
      [0, 1, 2, 3].map((i): Row => [i, at(i), 0.9, [at(i) / 10, at(i)], [1e-2, 0]]),
    ));
});

describe("buildSchedule: a fit config's policy, groups and momentum in one schedule", () => {
  const grouped = (input: Parameters<typeof resolveFitConfig>[0]) =>
    resolveGroupValues(resolveFitConfig({ iterations: 8, ...input }), ['hidden', 'output']);

  test('step: lr x gamma at each milestone (steps 4 and 6 of 8), every group alike; momentum from the config', () => {
    const s = buildSchedule(
      grouped({ schedule: 'step', lrs: [0.05, 0.5], wds: [1e-4, 0], momentum: 0.8, stepGamma: 0.1 }),
      8,
    );
    checkTable(s, [
      [0, 0.5, 0.8, [0.05, 0.5], [1e-4, 0]],
      [3, 0.5, 0.8, [0.05, 0.5], [1e-4, 0]],
      [4, 0.05, 0.8, [0.005, 0.05], [1e-4, 0]],
      [5, 0.05, 0.8, [0.005, 0.05], [1e-4, 0]],
      [6, 0.005, 0.8, [0.0005, 0.005], [1e-4, 0]],
      [7, 0.005, 0.8, [0.0005, 0.005], [1e-4, 0]],
    ]);
  });

  test('constant, one value for every group: the same at every step', () => {
    const s = buildSchedule(grouped({ schedule: 'constant', lr: 0.1, wd: 5e-4 }), 8);
    checkTable(
      s,
      [0, 7].map((i): Row => [i, 0.1, 0.9, [0.1, 0.1], [5e-4, 5e-4]]),
    );
  });

  test('one-cycle without cyclical momentum takes the config momentum', () => {
    const s = buildSchedule(grouped({ lr: 1, oneCycle: { div: 10, pct: 0 }, momentum: 0.7 }), 8);
    // c = floor(8 / 2) = 4: the peak at step 4
    checkTable(s, [
      [0, 0.1, 0.7, [0.1, 0.1], [1e-4, 1e-4]],
      [4, 1, 0.7, [1, 1], [1e-4, 1e-4]],
    ]);
  });
});
