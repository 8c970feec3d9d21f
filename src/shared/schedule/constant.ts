import { checkIteration, type Schedule } from './Schedule.js';

/** The same lr at every iteration of a run of `iterations` (no momentum: hyperparameterSchedule's fixed one). */
export function constant(o: { iterations: number; lr: number }): Schedule {
  if (!(o.lr > 0) || !Number.isFinite(o.lr))
    throw new RangeError(`constant: lr must be positive and finite, got ${o.lr}`);
  return (i) => {
    checkIteration(i, o.iterations, 'constant');
    return { lr: o.lr };
  };
}
