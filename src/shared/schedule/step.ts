import { checkIteration, type Schedule } from './Schedule.js';

export interface StepOptions {
  iterations: number;
  lr: number;
  /** Fractions of the run (0 < f < 1, increasing) at which the lr is multiplied by gamma. */
  milestones: number[];
  /** Factor applied at each milestone (0.1 in the classic step schedule). */
  gamma: number;
}

/** Piecewise constant: lr·gamma^k after the k-th milestone (iteration >= floor(f·iterations)); no momentum. */
export function step(o: StepOptions): Schedule {
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`step: lr must be positive and finite, got ${o.lr}`);
  if (!(o.gamma > 0) || !Number.isFinite(o.gamma)) throw new RangeError(`step: gamma must be positive, got ${o.gamma}`);
  o.milestones.forEach((f, k) => {
    if (!(f > 0 && f < 1) || (k > 0 && f <= o.milestones[k - 1])) {
      throw new RangeError(`step: milestones must be increasing fractions in (0, 1), got ${o.milestones.join(',')}`);
    }
  });
  const at = o.milestones.map((f) => Math.floor(f * o.iterations));
  return (i) => {
    checkIteration(i, o.iterations, 'step');
    const passed = at.filter((m) => i >= m).length;
    return { lr: o.lr * Math.pow(o.gamma, passed) };
  };
}
