import { SmoothLoss } from './SmoothLoss.js';

/** fastai's debiased exponential moving average over a series (as the loop's smoothLoss), beta 0.98 by default. */
export function debiasedSmooth(values: readonly number[], beta = 0.98): number[] {
  const s = new SmoothLoss(beta);
  return values.map((v) => s.add(v));
}
