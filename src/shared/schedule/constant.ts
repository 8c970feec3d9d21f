import { checkIteration, type Schedule } from './Schedule.js';

/** The same lr (and momentum, if given) at every iteration of a run of `iterations`. */
export function constant(o: { iterations: number; lr: number; momentum?: number }): Schedule {
  if (!(o.lr > 0) || !Number.isFinite(o.lr))
    throw new RangeError(`constant: lr must be positive and finite, got ${o.lr}`);
  return (i) => {
    checkIteration(i, o.iterations, 'constant');
    return { lr: o.lr, momentum: o.momentum };
  };
}
