import { checkIteration, type Schedule } from './Schedule.js';

export interface LrRangeOptions {
  /** Iterations of the range test (n). */
  iterations: number;
  startLr: number;
  endLr: number;
  /** Linear instead of exponential steps. */
  linear?: boolean;
}

/**
 * The LR range test's schedule (fastai's LR_Finder / lr_find2), for i = 0..n-1:
 * exponential lr = start·(end/start)^(i/n); linear lr = start + (end − start)·i/n. No momentum: the test's is
 * constant (hyperparameterSchedule's fixed one).
 */
export function lrRange(o: LrRangeOptions): Schedule {
  const { iterations: n, startLr: a, endLr: b } = o;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`lr-range: iterations must be a positive integer, got ${n}`);
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`lr-range: start and end lr must be positive and finite, got ${a} and ${b}`);
  }
  const lrAt = o.linear ? (i: number) => a + ((b - a) * i) / n : (i: number) => a * Math.pow(b / a, i / n);
  return (i) => {
    checkIteration(i, n, 'lr-range');
    return { lr: lrAt(i) };
  };
}
