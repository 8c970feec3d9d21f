import type { TopLevelSpec } from 'vega-lite';

export interface ScheduleRow {
  iteration: number;
  lr: number;
  momentum?: number;
}

/** fastai's plot_lr: the learning rate and (where recorded) the momentum against the iteration, side by side. */
export function lrPlotSpec(rows: readonly ScheduleRow[], title = 'schedule'): TopLevelSpec {
  const panel = (field: 'lr' | 'momentum', axisTitle: string) => ({
    width: 360,
    height: 240,
    title: axisTitle,
    mark: { type: 'line' as const, strokeWidth: 2 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative' as const, title: 'iteration' },
      y: { field, type: 'quantitative' as const, title: axisTitle, scale: { zero: false } },
    },
  });
  const hasMomentum = rows.some((r) => typeof r.momentum === 'number');
  const data = { values: rows.map((r) => ({ iteration: r.iteration, lr: r.lr, momentum: r.momentum ?? null })) };
  return {
    title,
    data,
    hconcat: hasMomentum ? [panel('lr', 'learning rate'), panel('momentum', 'momentum')] : [panel('lr', 'learning rate')],
  };
}
