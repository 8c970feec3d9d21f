import { checkIteration, type Schedule } from './Schedule.js';

export interface OneCycleOptions {
  /** Total iterations of the cycle (nb). */
  iterations: number;
  /** Peak learning rate L. */
  maxLr: number;
  /** The cycle starts and ends its triangle at maxLr / div. */
  div: number;
  /** Percent (0-100) of the iterations spent annealing after the triangle, down to maxLr / (div * 100). */
  pct: number;
  /** Cyclical momentum: falls maxMomentum -> minMomentum while the lr rises, and back. Omit both for none. */
  maxMomentum?: number;
  minMomentum?: number;
}

/**
 * fastai 0.7's CircularLR_beta (`use_clr_beta=(div, pct, max_mom, min_mom)`), as a pure function of the iteration.
 * With c = floor(nb * (1 - pct/100) / 2):
 *   i <= c       p = i/c            lr = L(1 + p(div-1))/div   mom = hi + p(lo - hi)
 *   c < i <= 2c  p = 1 - (i-c)/c    same formulas
 *   i > 2c       p = (i-2c)/(nb-2c) lr = L(1 - 0.99p)/div      mom = hi
 * fastai 0.7 sets each momentum one iteration early (from the iteration count it has already advanced); this
 * evaluates the lr and the momentum at the same iteration.
 */
export function oneCycle(o: OneCycleOptions): Schedule {
  const { iterations: nb, maxLr: L, div, pct } = o;
  if (!Number.isInteger(nb) || nb < 1)
    throw new RangeError(`one-cycle: iterations must be a positive integer, got ${nb}`);
  if (!(L > 0) || !Number.isFinite(L)) throw new RangeError(`one-cycle: max lr must be positive and finite, got ${L}`);
  if (!(div >= 1) || !Number.isFinite(div)) throw new RangeError(`one-cycle: div must be >= 1, got ${div}`);
  if (!(pct >= 0 && pct <= 100)) throw new RangeError(`one-cycle: pct must be in [0, 100], got ${pct}`);
  const hasMomentum = o.maxMomentum !== undefined || o.minMomentum !== undefined;
  if (hasMomentum && (o.maxMomentum === undefined || o.minMomentum === undefined)) {
    throw new RangeError('one-cycle: give both max and min momentum, or neither');
  }
  const hi = o.maxMomentum ?? 0;
  const lo = o.minMomentum ?? 0;
  const c = Math.floor((nb * (1 - pct / 100)) / 2);
  const triangle = (p: number) => ({
    lr: (L * (1 + p * (div - 1))) / div,
    momentum: hasMomentum ? hi + p * (lo - hi) : undefined,
  });
  return (i) => {
    checkIteration(i, nb, 'one-cycle');
    if (i <= c) return triangle(c === 0 ? 0 : i / c);
    if (i <= 2 * c) return triangle(1 - (i - c) / c);
    const p = (i - 2 * c) / (nb - 2 * c);
    return { lr: (L * (1 - 0.99 * p)) / div, momentum: hasMomentum ? hi : undefined };
  };
}
