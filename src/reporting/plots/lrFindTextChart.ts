import { debiasedSmooth } from '../../shared/smoothing/index.js';
import type { LrFindRow } from '../records/index.js';
import { formatNumber, textChart, type TextChartOptions } from './textChart.js';

/**
 * lr_find's result for the terminal: the smoothed validation loss (the training loss where no validation loss was
 * recorded) against the lr on a log axis, ends skipped as in the plot, the suggestion marked. In a weight-decay
 * sweep, pass one curve's rows.
 */
export function lrFindTextChart(
  rows: readonly LrFindRow[],
  opts: { suggestion?: number; skipStart?: number; skipEnd?: number } & Pick<TextChartOptions, 'width' | 'height'> = {},
): string {
  const useVal = rows.some((r) => typeof r.valLoss === 'number');
  const have = rows.filter((r) => typeof (useVal ? r.valLoss : r.loss) === 'number');
  const ys = debiasedSmooth(have.map((r) => (useVal ? r.valLoss : r.loss) as number));
  const skipStart = opts.skipStart ?? 10;
  const end = Math.max(0, have.length - (opts.skipEnd ?? 5));
  const points = have.slice(skipStart, end).map((r, i) => ({ x: r.lr, y: ys[i + skipStart] }));
  return textChart(points, {
    width: opts.width,
    height: opts.height,
    markX: opts.suggestion,
    markLabel: opts.suggestion === undefined ? undefined : `suggested lr ${formatNumber(opts.suggestion)}`,
    xLabel: 'learning rate (log)',
    yLabel: useVal ? 'validation loss (smoothed)' : 'training loss (smoothed)',
  });
}
