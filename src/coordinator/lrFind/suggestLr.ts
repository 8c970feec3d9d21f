import { debiasedSmooth } from '../../shared/smoothing/index.js';

interface LrCurvePoint {
  lr: number;
  valLoss: number;
  /** The training batch's loss at this iteration. */
  loss: number;
}

/** lr_find's advice, read off the smoothed validation and training curves; each pick comes with how it was made. */
export interface LrFindSuggestion {
  /** The recommended max LR for one-cycle. */
  lr: number;
  /** LR at the minimum of the smoothed validation loss. */
  minValLossLr: number;
  /** LR where the smoothed validation loss falls fastest against log(lr). */
  steepestLr: number;
  /** LR at the minimum of the smoothed training loss. */
  minTrainLossLr: number;
  /** Raw validation loss scatter around the smoothed curve, relative (median |raw − smooth| / smooth). */
  noise: number;
  explanation: { lr: string; minValLossLr: string; steepestLr: string; minTrainLossLr: string; noise: string };
}

const fmt = (x: number) => x.toExponential(2);

/**
 * The smoothing of the picks: fastai's debiased moving average, with a span (1/(1-beta)) of a tenth of the sweep,
 * at most fastai's 0.98. The plots draw beta 0.98, whose span of ~50 iterations is half of a 100-iteration sweep:
 * its curve lags the raw one by about as much, and on a ragged, flat tail past the true minimum (BatchNorm keeps the
 * net from diverging at large lrs) its lowest point lands decades late (a recorded Fashion-MNIST sweep: 3.98 against
 * a raw minimum near 0.15, test/lrFind/suggestLr.test.ts).
 */
export function suggestionBeta(points: number): number {
  return Math.min(0.98, Math.max(0.5, 1 - 10 / points));
}

/**
 * Suggests LRs from the validation and training curves (debiased smoothing at suggestionBeta, skipping the first
 * `skipStart` and last `skipEnd` points as the plots do). Returns undefined when fewer than MIN_SUGGESTION_POINTS remain.
 */
/** Fewer finite points than this (after skipping) make no suggestion: a minimum of so few is noise, not a curve. */
export const MIN_SUGGESTION_POINTS = 10;

export function suggestLr(
  points: LrCurvePoint[],
  opts: {
    skipStart?: number;
    skipEnd?: number;
    /** Whether the model has BatchNorm layers (undefined: not known), to explain a validation loss that turns up early. */
    batchNorm?: boolean;
  } = {},
): LrFindSuggestion | undefined {
  const finite = points.filter((p) => Number.isFinite(p.valLoss) && Number.isFinite(p.loss) && p.lr > 0);
  const beta = suggestionBeta(finite.length);
  const smooth = debiasedSmooth(
    finite.map((p) => p.valLoss),
    beta,
  );
  const smoothTrain = debiasedSmooth(
    finite.map((p) => p.loss),
    beta,
  );
  let start = opts.skipStart ?? 10;
  let end = finite.length - (opts.skipEnd ?? 5);
  if (end - start < 5) {
    start = 0;
    end = finite.length;
  }
  if (end - start < MIN_SUGGESTION_POINTS) return undefined;
  let iMin = start;
  for (let i = start; i < end; i++) if (smooth[i] < smooth[iMin]) iMin = i;
  // Steepest descent before the minimum: most negative d(loss)/d(log10 lr), by central differences.
  let iSteep = start;
  let best = Infinity;
  for (let i = start + 1; i < Math.max(iMin, start + 2) && i < end - 1; i++) {
    const d = (smooth[i + 1] - smooth[i - 1]) / (Math.log10(finite[i + 1].lr) - Math.log10(finite[i - 1].lr));
    if (d < best) {
      best = d;
      iSteep = i;
    }
  }
  let iTrain = start;
  for (let i = start; i < end; i++) if (smoothTrain[i] < smoothTrain[iTrain]) iTrain = i;
  const minValLossLr = finite[iMin].lr;
  const steepestLr = finite[iSteep].lr;
  const minTrainLossLr = finite[iTrain].lr;
  // Smith's max bound for one-cycle is where the loss stops falling. When the validation loss turns up more than
  // half a decade before the training loss, that is typically BatchNorm's running statistics lagging weights that
  // move fast, not divergence: the training curve then marks the bound.
  const valLags = minTrainLossLr > Math.sqrt(10) * minValLossLr;
  const lr = valLags ? minTrainLossLr : minValLossLr;
  const residuals = finite
    .slice(start, end)
    .map((p, k) => Math.abs(p.valLoss - smooth[start + k]) / Math.max(Math.abs(smooth[start + k]), 1e-12));
  residuals.sort((a, b) => a - b);
  const noise = residuals[Math.floor(residuals.length / 2)];
  return {
    lr,
    minValLossLr,
    steepestLr,
    minTrainLossLr,
    noise,
    explanation: {
      minValLossLr: `the smoothed validation loss is lowest (${smooth[iMin].toFixed(4)}) at lr ${fmt(minValLossLr)}; beyond it the loss turns up`,
      steepestLr: `the smoothed validation loss falls fastest against log(lr) at ${fmt(steepestLr)} (${best === Infinity ? 'no descent found' : best.toFixed(3) + ' per decade'})`,
      minTrainLossLr: `the smoothed training loss is lowest (${smoothTrain[iTrain].toFixed(4)}) at lr ${fmt(minTrainLossLr)}`,
      lr: valLags
        ? `recommended max lr for one-cycle: ${fmt(lr)}, where the training loss stops falling (Smith's bound); the validation ` +
          `loss turned up earlier, at ${fmt(minValLossLr)}, ` +
          (opts.batchNorm === false
            ? 'which on this model (no BatchNorm) is overfitting or noise in the validation batches, so the validation picks are conservative here'
            : `as BatchNorm's running statistics lag fast-moving weights, so the validation picks are conservative here`)
        : `recommended max lr for one-cycle: ${fmt(lr)}, where the smoothed validation loss bottoms out (Smith's bound: ` +
          `the largest lr at which the loss still falls; the training loss agrees, lowest at ${fmt(minTrainLossLr)})`,
      noise:
        `the raw validation loss scatters ${(noise * 100).toFixed(1)}% (median) around the smoothed curve` +
        (noise > 0.1 ? ': noisy, so take the picks as rough (a larger batch or more iterations steadies them)' : ''),
    },
  };
}
