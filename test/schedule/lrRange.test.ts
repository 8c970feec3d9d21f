import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constant, lrRange, scheduleToCsv, step } from '../../src/shared/schedule/index.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${a} != ${b}`);

test('lr-range exponential: start*(end/start)^(i/n)', () => {
  const s = lrRange({ iterations: 4, startLr: 1e-4, endLr: 1 });
  [1e-4, 1e-3, 1e-2, 1e-1].forEach((lr, i) => close(s(i).lr, lr));
});

test('lr-range linear: start + (end-start)*i/n', () => {
  const s = lrRange({ iterations: 5, startLr: 0.1, endLr: 1.1, linear: true });
  [0.1, 0.3, 0.5, 0.7, 0.9].forEach((lr, i) => close(s(i).lr, lr));
});

test('constant and step', () => {
  const c = constant({ iterations: 3, lr: 0.2 });
  assert.deepEqual(c(2), { lr: 0.2 });
  const s = step({ iterations: 100, lr: 1, milestones: [0.5, 0.75], gamma: 0.1 });
  close(s(49).lr, 1);
  close(s(50).lr, 0.1);
  close(s(74).lr, 0.1);
  close(s(75).lr, 0.01);
  close(s(99).lr, 0.01);
  assert.throws(() => step({ iterations: 10, lr: 1, milestones: [0.8, 0.5], gamma: 0.1 }), /increasing/);
});

test('CSV: header, one row per iteration, empty momentum where none', () => {
  const csv = scheduleToCsv(lrRange({ iterations: 2, startLr: 0.1, endLr: 10 }), 2);
  assert.equal(csv, 'iteration,lr,momentum\n0,0.1,\n1,1,\n');
});
