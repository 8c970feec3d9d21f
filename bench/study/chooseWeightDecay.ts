import { suggestionBeta } from '../../src/coordinator/lrFind/index.js';
import { debiasedSmooth } from '../../src/shared/smoothing/index.js';

export interface SweepCurve {
  wd: number;
  /** The sweep's iterations in order: lr and the validation loss of the next validation batch. */
  points: { lr: number; valLoss: number }[];
}

export interface WeightDecayChoice {
  wd: number;
  /** Every sweep's lowest smoothed validation loss, and the lr where it was. */
  minima: { wd: number; minValLoss: number; atLr: number }[];
  why: string;
}

/**
 * Picks the weight decay of the lr_find2 sweep whose smoothed validation loss (debiased smoothing with the span
 * suggestLr uses, a tenth of the sweep; the first `skipStart` points skipped as the plots do) gets lowest: Smith's "disciplined approach" reads the
 * weight decay off the same range test, preferring the one whose curve reaches the lowest loss. Ties (within 0.5%)
 * go to the larger weight decay, which regularises more at the same loss.
 */
export function chooseWeightDecay(sweeps: readonly SweepCurve[], skipStart = 10): WeightDecayChoice {
  if (sweeps.length === 0) throw new Error('chooseWeightDecay: no lr_find sweeps to choose from');
  const minima = sweeps.map((s) => {
    const finite = s.points.filter((p) => Number.isFinite(p.valLoss));
    const smooth = debiasedSmooth(
      finite.map((p) => p.valLoss),
      suggestionBeta(finite.length),
    );
    const from = finite.length > skipStart + 5 ? skipStart : 0;
    let best = from;
    for (let i = from; i < smooth.length; i++) if (smooth[i] < smooth[best]) best = i;
    return { wd: s.wd, minValLoss: smooth[best] ?? Infinity, atLr: finite[best]?.lr ?? NaN };
  });
  const lowest = Math.min(...minima.map((m) => m.minValLoss));
  if (!Number.isFinite(lowest)) throw new Error('chooseWeightDecay: no sweep has a finite validation loss');
  const near = minima.filter((m) => m.minValLoss <= lowest * 1.005);
  const pick = near.reduce((a, b) => (b.wd > a.wd ? b : a));
  const list = minima.map((m) => `wd ${m.wd}: ${m.minValLoss.toFixed(4)} at lr ${m.atLr.toExponential(2)}`).join('; ');
  return { wd: pick.wd, minima, why: `lowest smoothed validation loss over the range (${list}) -> wd ${pick.wd}` };
}
