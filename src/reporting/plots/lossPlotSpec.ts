import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord, StepRow } from '../records/index.js';

/**
 * A fit's losses: the training loss of each iteration (raw, faint, and smoothed) with the validation loss at each
 * epoch's end against the iteration; and the validation accuracy per epoch beside it.
 */
export function lossPlotSpec(
  steps: readonly StepRow[] = [],
  epochs: readonly EpochRecord[] = [],
  title = 'training',
): TopLevelSpec {
  const lastIterationOf = new Map<number, number>();
  for (const s of steps) lastIterationOf.set(s.epoch, Math.max(s.iteration, lastIterationOf.get(s.epoch) ?? -1));
  const points = [
    ...steps.map((s) => ({ iteration: s.iteration, value: s.loss, series: 'training loss' })),
    ...steps
      .filter((s) => typeof s.smoothLoss === 'number')
      .map((s) => ({ iteration: s.iteration, value: s.smoothLoss, series: 'training loss (smoothed)' })),
    ...epochs
      .filter((e) => lastIterationOf.has(e.epoch))
      .map((e) => ({ iteration: lastIterationOf.get(e.epoch), value: e.valLoss, series: 'validation loss' })),
  ];
  const domain = ['training loss', 'training loss (smoothed)', 'validation loss'];
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain, range: ['#aec7e8', '#1f77b4', '#ff7f0e'] },
  };
  const x = { field: 'iteration', type: 'quantitative' as const, title: 'iteration' };
  const y = { field: 'value', type: 'quantitative' as const, title: 'loss', scale: { zero: false } };
  const lossPanel = {
    width: 420,
    height: 280,
    title: 'loss',
    data: { values: points },
    layer: [
      {
        transform: [{ filter: { field: 'series', oneOf: domain.slice(0, 2) } }],
        mark: { type: 'line' as const, strokeWidth: 1.5 },
        encoding: { x, y, color: colour },
      },
      {
        transform: [{ filter: { field: 'series', equal: 'validation loss' } }],
        mark: { type: 'line' as const, point: { size: 50 }, strokeWidth: 2 },
        encoding: { x, y, color: colour },
      },
    ],
  };
  const accuracyPanel = {
    width: 260,
    height: 280,
    title: 'validation accuracy',
    data: { values: epochs.map((e) => ({ epoch: e.epoch, accuracy: e.accuracy })) },
    mark: { type: 'line' as const, point: { color: '#2ca02c', size: 50 }, color: '#2ca02c', strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'accuracy',
        type: 'quantitative' as const,
        title: 'accuracy',
        scale: { zero: false },
        axis: { format: '.1%' },
      },
    },
  };
  const panels = [...(points.length > 0 ? [lossPanel] : []), ...(epochs.length > 0 ? [accuracyPanel] : [])];
  return { title, hconcat: panels } as TopLevelSpec;
}
